/* odt_text.c: the ODT compte-rendu's writer (odt_out.h): plain texts and
 * session Markdown as ODF text (styled runs from the text layer, lists
 * nested as lists, tables as tables), links, headings, and figures stored
 * once under Pictures/ however many places show them. */
#include "odt_out.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "html_out.h" /* at_html_glued_space: the one rule of French spaces */

void at_odt_puts(at_odt *w, const char *s)
{
	at_buf_puts(&w->x, s);
}

void at_odt_printf(at_odt *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	at_buf_vprintf(&w->x, fmt, ap);
	va_end(ap);
}

/* Escaped text between two characters ODF writes as elements. */
static void chunk(at_odt *w, const char *s, size_t len)
{
	at_html_escape(&w->x, s, len);
}

/* ODF collapses blanks as HTML does: a run of spaces is one space and a
 * text:s for the rest, a tab and a line break are elements. */
void at_odt_textn(at_odt *w, const char *s, size_t len)
{
	if (at_xml_clean(&w->xt, s, len)) {
		at_odt_fail(w, AT_ENOMEM);
		return;
	}
	const char *c = at_buf_cstr(&w->xt.clean);
	size_t n = w->xt.clean.len, run = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i] != ' ' && c[i] != '\t' && c[i] != '\n' && c[i] != '\r')
			continue;
		chunk(w, c + run, i - run);
		if (c[i] == ' ') {
			size_t k = 1;
			while (i + k < n && c[i + k] == ' ')
				k++;
			/* At a line's start ODF would drop a plain space. */
			int lead = i == 0 || c[i - 1] == '\n';
			if (!lead)
				at_odt_puts(w, k == 1 && at_html_glued_space(c, i, n)
						       ? "\xc2\xa0"
						       : " ");
			if (k > 1 || lead)
				at_odt_printf(w, "<text:s text:c=\"%zu\"/>",
					      k - (size_t)!lead);
			i += k - 1;
		} else if (c[i] == '\t') {
			at_odt_puts(w, "<text:tab/>");
		} else if (c[i] == '\n' || i + 1 >= n || c[i + 1] != '\n') {
			at_odt_puts(w, "<text:line-break/>");
		}
		run = i + 1;
	}
	chunk(w, c + run, n - run);
}

void at_odt_text(at_odt *w, const char *s)
{
	at_odt_textn(w, s, strlen(s));
}

void at_odt_labelf(at_odt *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	at_buf_clear(&w->tmp);
	at_buf_vprintf(&w->tmp, fmt, ap);
	va_end(ap);
	at_odt_textn(w, at_buf_cstr(&w->tmp), w->tmp.len);
}

void at_odt_words(at_odt *w)
{
	at_odt_textn(w, at_buf_cstr(&w->words), w->words.len);
}

/* A URL in an attribute. */
static void put_url(at_odt *w, const char *url)
{
	if (at_xml_escape(&w->x, &w->xt, url, strlen(url)))
		at_odt_fail(w, AT_ENOMEM);
}

void at_odt_link(at_odt *w, const char *url, const char *label)
{
	if (at_url_dangerous(url)) {
		at_odt_text(w, label);
		return;
	}
	at_odt_puts(w, "<text:a xlink:type=\"simple\" xlink:href=\"");
	put_url(w, url);
	at_odt_puts(w, "\">");
	at_odt_text(w, label);
	at_odt_puts(w, "</text:a>");
}

void at_odt_para(at_odt *w, const char *style, const char *text)
{
	at_odt_printf(w, "<text:p text:style-name=\"%s\">", style);
	at_odt_text(w, text);
	at_odt_puts(w, "</text:p>\n");
}

void at_odt_h_open(at_odt *w, int level, const char *anchor)
{
	int style = level > 6 ? 6 : level;
	at_odt_printf(w, "<text:h text:style-name=\"Heading_20_%d\" "
			 "text:outline-level=\"%d\">",
		      style, level);
	if (anchor)
		at_odt_printf(w, "<text:bookmark text:name=\"%s\"/>", anchor);
}

void at_odt_h_close(at_odt *w)
{
	at_odt_puts(w, "</text:h>\n");
}

unsigned at_odt_table_no(at_odt *w)
{
	return ++w->tables;
}

/* ---- Markdown as runs ---- */

/* Where a text's runs stand: inline in a paragraph the caller opened,
 * or blocks of their own. */
typedef struct runs {
	at_odt *w;
	int block;
	int level;          /* headings: outline level of a "#" */
	const char *para;   /* the style of a paragraph */
	const char *url;    /* the link open, or NULL */
	int in_p;           /* a paragraph is open */
	int lists, items;   /* lists and list items open */
	unsigned long long ordered; /* per list depth (the first 64) */
	int started;        /* the list just opened has no item yet */
	int quote, code;
	int flat;           /* a table inside a list item: rows as lines */
	int header;         /* the row open is the table's header */
} runs;

static const char *const span_style[] = {
	"Strong_20_Emphasis", "Emphasis", "Source_20_Text", "Strikethrough"};

static void link_to(runs *r, const char *url)
{
	if (r->url && url && strcmp(r->url, url) == 0)
		return;
	if (r->url)
		at_odt_puts(r->w, "</text:a>");
	r->url = url;
	if (url) {
		at_odt_puts(r->w, "<text:a xlink:type=\"simple\" xlink:href=\"");
		put_url(r->w, url);
		at_odt_puts(r->w, "\">");
	}
}

/* A code block keeps its blanks and lines; its last newline ends it. */
static void run_text(runs *r, const at_run *ev)
{
	at_odt *w = r->w;
	size_t len = ev->len;
	if (r->code && len && ev->text[len - 1] == '\n')
		len--;
	link_to(r, ev->url);
	int spans = 0;
	for (int k = 0; k < 4; k++)
		if (ev->flags & (1u << k)) {
			at_odt_printf(w, "<text:span text:style-name=\"%s\">",
				      span_style[k]);
			spans++;
		}
	at_odt_textn(w, ev->text, len);
	while (spans--)
		at_odt_puts(w, "</text:span>");
}

static void set_ordered(runs *r, int ordered)
{
	if (r->lists <= 64) {
		unsigned long long bit = 1ull << (r->lists - 1);
		r->ordered = ordered ? r->ordered | bit : r->ordered & ~bit;
	}
}

static int list_ordered(const runs *r)
{
	return r->lists <= 64 && (r->ordered >> (r->lists - 1) & 1);
}

/* A list stays open after its item ends, until something else than an
 * item of the same kind comes. */
static void close_list(runs *r)
{
	if (r->lists > r->items) {
		at_odt_puts(r->w, "</text:list>\n");
		r->lists--;
	}
}

static void p_open(runs *r, const char *style)
{
	link_to(r, NULL);
	at_odt_printf(r->w, "<text:p text:style-name=\"%s\">", style);
	r->in_p = 1;
}

static void p_close(runs *r)
{
	link_to(r, NULL);
	if (r->in_p)
		at_odt_puts(r->w, "</text:p>\n");
	r->in_p = 0;
}

static void item_open(runs *r, const at_run *ev)
{
	if (r->lists > r->items && list_ordered(r) != ev->ordered)
		close_list(r);
	if (r->lists == r->items) {
		r->lists++;
		set_ordered(r, ev->ordered);
		at_odt_printf(r->w, "<text:list text:style-name=\"%s\">\n",
			      ev->ordered ? "Numbering_20_123"
					  : "List_20_Bullet");
		r->started = 1;
	}
	if (r->started && ev->ordered && ev->number != 1)
		at_odt_printf(r->w, "<text:list-item text:start-value=\"%d\">",
			      ev->number);
	else
		at_odt_puts(r->w, "<text:list-item>");
	r->started = 0;
	r->items++;
	r->w->items++;
}

static void item_close(runs *r)
{
	p_close(r);
	close_list(r);
	at_odt_puts(r->w, "</text:list-item>\n");
	r->items--;
	r->w->items--;
}

static void table_open(runs *r, const at_run *ev)
{
	at_odt *w = r->w;
	r->flat = w->items > 0;
	if (r->flat)
		return;
	at_odt_printf(w, "<table:table table:name=\"Table%u\" "
			 "table:style-name=\"Grid\">\n"
			 "<table:table-column table:style-name=\"GridColumn\" "
			 "table:number-columns-repeated=\"%d\"/>\n",
		      at_odt_table_no(w), ev->columns > 0 ? ev->columns : 1);
}

static void row(runs *r, const at_run *ev, int enter)
{
	if (r->flat) {
		if (enter)
			p_open(r, r->para);
		else
			p_close(r);
		return;
	}
	if (enter) {
		r->header = ev->header;
		at_odt_puts(r->w, r->header ? "<table:table-header-rows>"
					      "<table:table-row>"
					    : "<table:table-row>");
	} else {
		at_odt_puts(r->w, r->header ? "</table:table-row>"
					      "</table:table-header-rows>\n"
					    : "</table:table-row>\n");
	}
}

static void cell(runs *r, const at_run *ev, int enter)
{
	if (r->flat) {
		if (enter && ev->column > 0)
			at_odt_text(r->w, " | ");
		return;
	}
	if (enter) {
		at_odt_puts(r->w, "<table:table-cell table:style-name=\"GridCell\" "
				  "office:value-type=\"string\">");
		p_open(r, r->header ? "Table_20_Heading" : "Table_20_Contents");
	} else {
		p_close(r);
		at_odt_puts(r->w, "</table:table-cell>");
	}
}

static void heading(runs *r, const at_run *ev, int enter)
{
	if (!enter) {
		link_to(r, NULL);
		at_odt_h_close(r->w);
		r->in_p = 0;
		return;
	}
	int level = r->level + ev->level;
	at_odt_h_open(r->w, level > 10 ? 10 : level, NULL);
	r->in_p = 1;
}

/* Block events, for a block text. */
static void block_event(runs *r, const at_run *ev)
{
	if (ev->ev != AT_EV_ITEM_END && ev->ev != AT_EV_ITEM)
		while (r->lists > r->items)
			close_list(r);
	switch (ev->ev) {
	case AT_EV_PARA:
		p_open(r, r->quote ? "Quotations" : r->para);
		break;
	case AT_EV_HEADING:
	case AT_EV_HEADING_END:
		heading(r, ev, ev->ev == AT_EV_HEADING);
		break;
	case AT_EV_ITEM:
		item_open(r, ev);
		break;
	case AT_EV_ITEM_END:
		item_close(r);
		break;
	case AT_EV_QUOTE:
		r->quote++;
		break;
	case AT_EV_QUOTE_END:
		r->quote--;
		break;
	case AT_EV_CODE_BLOCK:
		p_open(r, "Preformatted_20_Text");
		r->code = 1;
		break;
	case AT_EV_CODE_BLOCK_END:
		r->code = 0;
		p_close(r);
		break;
	case AT_EV_RULE:
		at_odt_puts(r->w, "<text:p text:style-name=\"Horizontal_20_Line\"/>\n");
		break;
	case AT_EV_TABLE:
		table_open(r, ev);
		break;
	case AT_EV_TABLE_END:
		if (!r->flat)
			at_odt_puts(r->w, "</table:table>\n");
		r->flat = 0;
		break;
	case AT_EV_ROW:
	case AT_EV_ROW_END:
		row(r, ev, ev->ev == AT_EV_ROW);
		break;
	case AT_EV_CELL:
	case AT_EV_CELL_END:
		cell(r, ev, ev->ev == AT_EV_CELL);
		break;
	default: /* PARA_END */
		p_close(r);
		break;
	}
}

static int on_run(void *ctx, const at_run *ev)
{
	runs *r = ctx;
	if (ev->ev == AT_EV_TEXT) {
		if (r->block && !r->in_p)
			p_open(r, r->para);
		run_text(r, ev);
	} else if (ev->ev == AT_EV_BREAK) {
		at_odt_puts(r->w, "<text:line-break/>");
	} else if (r->block) {
		block_event(r, ev);
	} else if (ev->ev == AT_EV_PARA && r->in_p) {
		/* An inline text is one paragraph; a second one would be
		 * a line of its own. */
		at_odt_puts(r->w, "<text:line-break/>");
	} else if (ev->ev == AT_EV_PARA) {
		r->in_p = 1;
	}
	return r->w->x.oom;
}

static void write_runs(at_odt *w, const char *md, runs *r)
{
	at_text *t = at_text_parse(md, r->block ? AT_TEXT_BLOCK : AT_TEXT_INLINE);
	if (!t || at_text_runs(t, on_run, r))
		at_odt_fail(w, AT_ENOMEM);
	at_text_free(t);
	if (r->block) {
		p_close(r);
		while (r->items)
			item_close(r);
		while (r->lists)
			close_list(r);
	}
	link_to(r, NULL);
}

void at_odt_md(at_odt *w, const char *md)
{
	runs r = {.w = w};
	write_runs(w, md, &r);
}

void at_odt_block(at_odt *w, const char *md, int level, const char *para)
{
	runs r = {.w = w, .block = 1, .level = level, .para = para};
	write_runs(w, md, &r);
}

void at_odt_md_plain(at_odt *w, const char *md)
{
	at_buf_clear(&w->tmp);
	if (at_md_plain_inline(&w->tmp, md) ||
	    at_xml_escape(&w->x, &w->xt, at_buf_cstr(&w->tmp), w->tmp.len))
		at_odt_fail(w, AT_ENOMEM);
}
