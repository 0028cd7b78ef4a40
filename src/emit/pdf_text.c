/* pdf_text.c: the PDF's paragraphs (pdf_text.h): texts and styled runs
 * into Pango layouts with their attributes and links, and a block
 * text's Markdown into the blocks of the flow. */
#include "pdf_text.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define LIST_INDENT 14.0
#define QUOTE_INDENT 12.0
#define MAX_TABLE_COLUMNS 8
/* Past this many bytes without a space, a word gets a break opportunity
 * (U+200B): Pango's line breaking slows down on a word of a hundred
 * thousand letters, which a hostile file can hold. */
#define MAX_UNBROKEN 120

void pdf_para_init(pdf_para *p, pdf_doc *d)
{
	memset(p, 0, sizeof *p);
	p->d = d;
	at_buf_init(&p->text);
	p->attrs = pango_attr_list_new();
}

static void clear_links(pdf_para *p)
{
	for (size_t i = 0; i < p->n_links; i++)
		free(p->links[i].target);
	p->n_links = 0;
}

void pdf_para_free(pdf_para *p)
{
	free(p->url);
	clear_links(p);
	free(p->links);
	at_buf_free(&p->text);
	if (p->attrs)
		pango_attr_list_unref(p->attrs);
}

int pdf_para_empty(const pdf_para *p)
{
	return p->text.len == 0;
}

static void attr(pdf_para *p, PangoAttribute *a, size_t start, size_t end)
{
	a->start_index = (guint)start;
	a->end_index = (guint)end;
	pango_attr_list_insert(p->attrs, a);
}

static void add_link(pdf_para *p, size_t start, size_t end,
		     const char *target, int internal)
{
	pdf_link *v = at_grow(p->links, &p->cap, p->n_links, sizeof *v, 4);
	char *t = strdup(target);
	if (!v || !t) {
		free(t);
		p->oom = 1;
		return;
	}
	p->links = v;
	p->links[p->n_links++] = (pdf_link){(unsigned)start, (unsigned)end, t,
					    internal};
}

static void styles(pdf_para *p, size_t s, size_t e, unsigned flags)
{
	if (flags & AT_RUN_BOLD)
		attr(p, pango_attr_weight_new(PANGO_WEIGHT_BOLD), s, e);
	if (flags & AT_RUN_ITALIC)
		attr(p, pango_attr_style_new(PANGO_STYLE_ITALIC), s, e);
	if (flags & AT_RUN_STRIKE)
		attr(p, pango_attr_strikethrough_new(TRUE), s, e);
	if (flags & AT_RUN_CODE)
		attr(p, pango_attr_family_new("DejaVu Sans Mono"), s, e);
	else if (flags & (PDF_RUN_SANS | PDF_RUN_SMALL))
		attr(p, pango_attr_family_new("DejaVu Sans"), s, e);
	if (flags & (PDF_RUN_SMALL | AT_RUN_CODE))
		attr(p, pango_attr_scale_new(flags & PDF_RUN_SMALL ? 0.8 : 0.9),
		     s, e);
	if (flags & PDF_RUN_GREY)
		attr(p, pango_attr_foreground_new(0x5500, 0x5500, 0x5500), s, e);
}

static void link_style(pdf_para *p, size_t s, size_t e)
{
	attr(p, pango_attr_foreground_new(0x1a00, 0x4d00, 0x9900), s, e);
	attr(p, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), s, e);
}

/* Appends s, a zero-width space where a word grows too long. */
static void append(pdf_para *p, const char *s, size_t len)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\n' || c == '\t' || c == '-' || c == '/') {
			p->unbroken = 0;
			continue;
		}
		if ((c & 0xC0) == 0x80 || ++p->unbroken < MAX_UNBROKEN)
			continue;
		at_buf_put(&p->text, s + from, i - from);
		at_buf_puts(&p->text, "\xe2\x80\x8b");
		from = i;
		p->unbroken = 1;
	}
	at_buf_put(&p->text, s + from, len - from);
}

/* After a link's text, its target when the text does not say it. */
static void end_url(pdf_para *p)
{
	char *url = p->url;
	if (!url)
		return;
	p->url = NULL;
	const char *t = p->text.s + p->url_start;
	size_t n = p->text.len - p->url_start;
	int same = strlen(url) == n && memcmp(url, t, n) == 0;
	if (!same && strncmp(url, "mailto:", 7) == 0)
		same = strlen(url + 7) == n && memcmp(url + 7, t, n) == 0;
	if (!same) {
		pdf_para_put(p, " (", 2, PDF_RUN_SMALL, NULL);
		size_t s = p->text.len;
		append(p, url, strlen(url));
		styles(p, s, p->text.len, PDF_RUN_SMALL);
		link_style(p, s, p->text.len);
		add_link(p, s, p->text.len, url, 0);
		pdf_para_put(p, ")", 1, PDF_RUN_SMALL, NULL);
	}
	free(url);
}

void pdf_para_put(pdf_para *p, const char *s, size_t len, unsigned flags,
		  const char *url)
{
	if (p->url && (!url || strcmp(url, p->url) != 0))
		end_url(p);
	size_t start = p->text.len;
	append(p, s, len);
	size_t end = p->text.len;
	if (end == start)
		return;
	styles(p, start, end, flags);
	if (url) {
		link_style(p, start, end);
		add_link(p, start, end, url, 0);
		if (!p->url) {
			/* A copy: the runs' URL lives only as long as its text. */
			p->url_start = start;
			p->url = strdup(url);
			p->oom |= !p->url;
		}
	}
}

void pdf_para_puts(pdf_para *p, const char *s, unsigned flags)
{
	pdf_para_put(p, s, strlen(s), flags, NULL);
}

void pdf_para_dest(pdf_para *p, const char *s, unsigned flags,
		   const char *dest)
{
	size_t start = p->text.len;
	pdf_para_puts(p, s, flags);
	add_link(p, start, p->text.len, dest, 1);
}

void pdf_para_hang(pdf_para *p)
{
	p->hang = p->text.len;
}

/* ---- inline Markdown ---- */

typedef struct inl {
	pdf_para *p;
	unsigned flags;
} inl;

static int inline_run(void *ctx, const at_run *r)
{
	inl *in = ctx;
	if (r->ev == AT_EV_TEXT)
		pdf_para_put(in->p, r->text, r->len, r->flags | in->flags, r->url);
	else if (r->ev == AT_EV_BREAK)
		pdf_para_put(in->p, "\xe2\x80\xa8", 3, 0, NULL); /* U+2028 */
	return 0;
}

void pdf_para_md(pdf_para *p, const char *md, unsigned flags)
{
	at_text *t = at_text_parse(md, AT_TEXT_INLINE);
	if (!t) {
		p->oom = 1;
		return;
	}
	inl in = {p, flags};
	at_text_runs(t, inline_run, &in);
	at_text_free(t);
	end_url(p);
}

/* ---- the block ---- */

void pdf_para_block(pdf_para *p, pdf_block *b, pdf_style st, double dx,
		    double width, double before)
{
	end_url(p);
	memset(b, 0, sizeof *b);
	b->dx = dx;
	b->before = before;
	p->oom |= p->text.oom;
	if (p->text.len && !p->text.oom) {
		PangoLayout *lay = pdf_layout_new(p->d, st, width);
		if (g_utf8_validate(p->text.s, (gssize)p->text.len, NULL)) {
			pango_layout_set_text(lay, p->text.s, (int)p->text.len);
			pango_layout_set_attributes(lay, p->attrs);
			b->links = p->links;
			b->n_links = p->n_links;
			p->links = NULL;
			p->n_links = p->cap = 0;
		} else {
			/* Not from a validated session: its words, unstyled. */
			gchar *v = g_utf8_make_valid(p->text.s, (gssize)p->text.len);
			pango_layout_set_text(lay, v, -1);
			g_free(v);
		}
		if (p->hang) {
			double w = pdf_text_width(p->d, st, p->text.s, p->hang);
			pango_layout_set_indent(lay, -(int)(w * PANGO_SCALE));
		}
		b->lay = lay;
	}
	clear_links(p);
	at_buf_clear(&p->text);
	pango_attr_list_unref(p->attrs);
	p->attrs = pango_attr_list_new();
	p->hang = 0;
	p->unbroken = 0;
}

/* ---- block texts ---- */

typedef struct mdb {
	pdf_doc *d;
	pdf_para p;
	double dx, width;
	int depth, quote, heading, code;
	/* a table: its columns, the row being filled, its header row */
	int columns, in_header, rows;
	pdf_blocks *cells, *header;
	double *xs;
	at_buf scratch;
} mdb;

static double indent(const mdb *m)
{
	return m->depth * LIST_INDENT + m->quote * QUOTE_INDENT;
}

static void flush(mdb *m)
{
	if (pdf_para_empty(&m->p))
		return;
	pdf_style st = PDF_BODY;
	if (m->heading)
		st = m->heading <= 2 ? PDF_H3 : PDF_H4;
	pdf_block b;
	double dx = m->dx + indent(m);
	pdf_para_block(&m->p, &b, st, dx, m->width - indent(m),
		       m->heading ? 6 : 4);
	b.keep = m->heading != 0;
	pdf_add(m->d, &b);
}

static unsigned text_flags(const mdb *m, unsigned flags)
{
	if (m->quote)
		flags |= AT_RUN_ITALIC | PDF_RUN_GREY;
	return flags;
}

static void item(mdb *m, const at_run *r)
{
	flush(m);
	m->depth = r->level;
	at_buf_clear(&m->scratch);
	if (r->ordered)
		at_buf_printf(&m->scratch, "%d.\xc2\xa0", r->number);
	else
		at_buf_puts(&m->scratch, r->level > 1 ? "\xe2\x97\xa6\xc2\xa0"
						      : "\xe2\x80\xa2\xc2\xa0");
	pdf_para_puts(&m->p, at_buf_cstr(&m->scratch), 0);
	pdf_para_hang(&m->p);
	m->p.oom |= m->scratch.oom;
}

/* ---- tables inside a text ---- */

static void table_start(mdb *m, int columns)
{
	flush(m);
	m->columns = columns;
	m->rows = 0;
	if (columns < 1 || columns > MAX_TABLE_COLUMNS)
		return;
	m->cells = calloc((size_t)columns, sizeof *m->cells);
	m->header = calloc((size_t)columns, sizeof *m->header);
	m->xs = calloc((size_t)columns, sizeof *m->xs);
	if (!m->cells || !m->header || !m->xs) {
		m->d->oom = 1;
		m->columns = 0;
		return;
	}
	double w = (m->width - indent(m)) / columns;
	for (int i = 0; i < columns; i++)
		m->xs[i] = m->dx + indent(m) + i * w;
}

static int table_wide(const mdb *m)
{
	return m->columns > MAX_TABLE_COLUMNS || !m->cells;
}

static void cell_end(mdb *m, int column)
{
	if (table_wide(m)) {
		pdf_para_puts(&m->p, " | ", PDF_RUN_GREY);
		return;
	}
	if (column < 0 || column >= m->columns)
		return;
	double w = (m->width - indent(m)) / m->columns;
	pdf_block b;
	pdf_para_block(&m->p, &b, PDF_CELL, 0, w - 6, 0);
	pdf_blocks *to = m->in_header ? &m->header[column] : &m->cells[column];
	if (b.lay && pdf_blocks_add(to, &b))
		m->d->oom = 1;
}

static void row_end(mdb *m)
{
	if (table_wide(m)) {
		flush(m);
		return;
	}
	if (m->in_header) {
		m->in_header = 0;
		return;
	}
	int has_header = 0;
	for (int i = 0; i < m->columns; i++)
		has_header |= m->header[i].n > 0;
	pdf_row(m->d, m->cells, m->xs, (size_t)m->columns,
		has_header ? m->header : NULL, has_header && m->rows == 0);
	m->rows++;
}

static void table_end(mdb *m)
{
	if (m->cells && m->rows == 0) {
		/* A header alone: drawn as a row of its own. */
		pdf_row(m->d, m->header, m->xs, (size_t)m->columns, NULL, 0);
	}
	for (int i = 0; m->header && i < m->columns; i++)
		pdf_blocks_free(&m->header[i]);
	for (int i = 0; m->cells && i < m->columns; i++)
		pdf_blocks_free(&m->cells[i]);
	free(m->cells);
	free(m->header);
	free(m->xs);
	m->cells = m->header = NULL;
	m->xs = NULL;
	m->columns = 0;
}

static int block_run(void *ctx, const at_run *r)
{
	mdb *m = ctx;
	switch (r->ev) {
	case AT_EV_TEXT:
		pdf_para_put(&m->p, r->text, r->len, text_flags(m, r->flags),
			     r->url);
		break;
	case AT_EV_BREAK:
		pdf_para_put(&m->p, "\xe2\x80\xa8", 3, 0, NULL);
		break;
	case AT_EV_HEADING:
		flush(m);
		m->heading = r->level;
		break;
	case AT_EV_ITEM:
		item(m, r);
		break;
	case AT_EV_ITEM_END:
		flush(m);
		m->depth = r->level - 1;
		break;
	case AT_EV_QUOTE:
	case AT_EV_QUOTE_END:
		flush(m);
		m->quote += r->ev == AT_EV_QUOTE ? 1 : -1;
		break;
	case AT_EV_TABLE:
		table_start(m, r->columns);
		break;
	case AT_EV_TABLE_END:
		table_end(m);
		break;
	case AT_EV_ROW:
		m->in_header = r->header;
		break;
	case AT_EV_ROW_END:
		row_end(m);
		break;
	case AT_EV_CELL_END:
		cell_end(m, r->column);
		break;
	case AT_EV_PARA_END:
	case AT_EV_HEADING_END:
	case AT_EV_CODE_BLOCK_END:
		/* In a table's cell, a cell's end makes the block. */
		if (m->columns == 0)
			flush(m);
		m->heading = 0;
		break;
	default:
		break;
	}
	return m->d->oom;
}

void pdf_md_blocks(pdf_doc *d, const char *md, double dx, double width)
{
	at_text *t = at_text_parse(md, AT_TEXT_BLOCK);
	if (!t) {
		d->oom = 1;
		return;
	}
	mdb m = {.d = d, .dx = dx, .width = width};
	pdf_para_init(&m.p, d);
	at_buf_init(&m.scratch);
	at_text_runs(t, block_run, &m);
	flush(&m);
	if (m.columns)
		table_end(&m);
	d->oom |= m.p.oom | m.scratch.oom;
	pdf_para_free(&m.p);
	at_buf_free(&m.scratch);
	at_text_free(t);
}
