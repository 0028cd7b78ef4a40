/* docx_xml.c: the DOCX compte-rendu's writer (docx_out.h): text escaped
 * for XML, paragraphs and runs with their properties in the order the
 * schema fixes (Word refuses a document whose w:pPr or w:rPr children are
 * out of order), links as external relationships, bookmarks. */
#include "docx_out.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "html_out.h"
#include "text.h"
#include "xml_out.h"

void dx_fail(dx *x, at_status st)
{
	if (x->status == AT_OK)
		x->status = st;
}

void dx_puts(dx *x, const char *s)
{
	at_buf_puts(&x->doc, s);
}

void dx_printf(dx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	at_buf_vprintf(&x->doc, fmt, ap);
	va_end(ap);
}

/* s made safe for XML into x->xt.clean (s need not end with NUL). */
static const char *xml_safe(dx *x, const char *s, size_t len)
{
	if (at_xml_clean(&x->xt, s, len))
		dx_fail(x, AT_ENOMEM);
	return at_buf_cstr(&x->xt.clean);
}

void dx_escape(dx *x, at_buf *out, const char *s, size_t len)
{
	const char *t = xml_safe(x, s, len);
	size_t n = x->xt.clean.len, run = 0;
	/* French typography, as the HTML page keeps it (html_out.h). */
	for (size_t i = 0; i < n; i++) {
		if (t[i] != ' ' || !at_html_glued_space(t, i, n))
			continue;
		at_html_escape(out, t + run, i - run);
		at_buf_puts(out, "\xc2\xa0");
		run = i + 1;
	}
	at_html_escape(out, t + run, n - run);
}

void dx_escape_value(dx *x, at_buf *out, const char *s)
{
	const char *t = xml_safe(x, s, strlen(s));
	at_html_escape(out, t, x->xt.clean.len);
}

/* ---- paragraphs ---- */

void dx_p_open(dx *x, const dx_para *p)
{
	dx_puts(x, "<w:p><w:pPr>");
	if (p->style)
		dx_printf(x, "<w:pStyle w:val=\"%s\"/>", p->style);
	if (p->keep)
		dx_puts(x, "<w:keepNext/>");
	if (p->num) {
		int ilvl = p->ilvl > DX_MAX_ILVL ? DX_MAX_ILVL : p->ilvl;
		dx_printf(x, "<w:numPr><w:ilvl w:val=\"%d\"/>"
			     "<w:numId w:val=\"%u\"/></w:numPr>",
			  ilvl < 0 ? 0 : ilvl, p->num);
	}
	if (p->indent > 0)
		dx_printf(x, "<w:ind w:left=\"%d\"/>", p->indent);
	dx_puts(x, "</w:pPr>");
	if (p->mark) {
		unsigned id = x->next_mark++;
		dx_printf(x, "<w:bookmarkStart w:id=\"%u\" w:name=\"%s\"/>", id,
			  p->mark);
		x->open_mark = id + 1;
	}
}

/* The document is held in memory until the zip is built: past the
 * output budget before compression, building stops (a few lines of
 * aliases can repeat a long text a million times) and nothing is
 * written. */
static void check_budget(dx *x)
{
	size_t max = x->o->max_output;
	if (!max || x->doc.len <= max || x->status != AT_OK)
		return;
	at_diag_add(x->d, AT_ERROR, "output-too-large", (at_pos){0, 0}, 0,
		    "the Word document of this session passes the output "
		    "budget of %zu bytes before it is compressed (see "
		    "--max-output): it is not written, the previous one stays",
		    max);
	dx_fail(x, AT_EINPUT);
	/* Later appends are no-ops; the status says why. */
	x->doc.oom = 1;
}

void dx_p_close(dx *x)
{
	if (x->open_mark) {
		dx_printf(x, "<w:bookmarkEnd w:id=\"%u\"/>", x->open_mark - 1);
		x->open_mark = 0;
	}
	dx_puts(x, "</w:p>\n");
	check_budget(x);
}

void dx_p_text(dx *x, const char *style, const char *text, unsigned flags)
{
	dx_para p = {.style = style};
	dx_p_open(x, &p);
	dx_run_s(x, text, flags);
	dx_p_close(x);
}

void dx_mark_name(at_buf *out, const char *anchor, size_t num)
{
	/* Word's bookmark names: a letter first, then letters, digits, _. */
	at_buf_puts(out, "at_");
	for (const char *p = anchor; *p; p++)
		at_buf_putc(out, *p == '-' ? '_' : *p);
	if (num)
		at_buf_printf(out, "_%zu", num);
}

/* ---- links ---- */

/* A relationship's target is a URI: what a URI may not hold (spaces,
 * controls, quotes, brackets) is percent-encoded, or Word calls the
 * document corrupt; the rest, non-ASCII included, stays as written. */
static void uri_escape(at_buf *out, const char *url)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f || strchr("\"<>\\^`{|}", *p))
			at_buf_printf(out, "%%%02X", *p);
		else
			at_buf_putc(out, (char)*p);
	}
}

/* The relationship of a link to url: the last one's when the target is
 * the same (a link's runs, one styled span after another). */
static unsigned link_rid(dx *x, const char *url)
{
	if (x->last_url_rid && strcmp(at_buf_cstr(&x->last_url), url) == 0)
		return x->last_url_rid;
	unsigned rid = x->next_rid++;
	at_buf_clear(&x->tmp);
	uri_escape(&x->tmp, url);
	at_buf_printf(&x->rels, "<Relationship Id=\"rId%u\" Type=\"http://"
				"schemas.openxmlformats.org/officeDocument/"
				"2006/relationships/hyperlink\" Target=\"",
		      rid);
	dx_escape_value(x, &x->rels, at_buf_cstr(&x->tmp));
	at_buf_puts(&x->rels, "\" TargetMode=\"External\"/>\n");
	at_buf_clear(&x->last_url);
	at_buf_puts(&x->last_url, url);
	x->last_url_rid = rid;
	return rid;
}

/* ---- runs ---- */

static void run_props(dx *x, unsigned flags, int link)
{
	if (!flags && !link)
		return;
	dx_puts(x, "<w:rPr>");
	if (link)
		dx_puts(x, "<w:rStyle w:val=\"Hyperlink\"/>");
	else if (flags & DX_FACTS)
		dx_puts(x, "<w:rStyle w:val=\"Facts\"/>");
	if (flags & AT_RUN_CODE)
		dx_puts(x, "<w:rFonts w:ascii=\"Courier New\" "
			   "w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/>");
	if (flags & AT_RUN_BOLD)
		dx_puts(x, "<w:b/>");
	if (flags & AT_RUN_ITALIC)
		dx_puts(x, "<w:i/>");
	if (flags & AT_RUN_STRIKE)
		dx_puts(x, "<w:strike/>");
	if (flags & DX_DRIVER)
		dx_puts(x, "<w:color w:val=\"2E7D32\"/>");
	else if (flags & DX_BRAKE)
		dx_puts(x, "<w:color w:val=\"C62828\"/>");
	dx_puts(x, "</w:rPr>");
}

void dx_run(dx *x, const char *text, size_t len, unsigned flags,
	    const char *url)
{
	if (!len)
		return;
	if (url)
		dx_printf(x, "<w:hyperlink r:id=\"rId%u\">", link_rid(x, url));
	dx_puts(x, "<w:r>");
	run_props(x, flags, url != NULL);
	dx_puts(x, "<w:t xml:space=\"preserve\">");
	dx_escape(x, &x->doc, text, len);
	dx_puts(x, "</w:t></w:r>");
	if (url)
		dx_puts(x, "</w:hyperlink>");
}

void dx_run_s(dx *x, const char *text, unsigned flags)
{
	dx_run(x, text, strlen(text), flags, NULL);
}

void dx_break(dx *x)
{
	dx_puts(x, "<w:r><w:br/></w:r>");
}

void dx_run_words(dx *x, unsigned flags)
{
	dx_run(x, at_buf_cstr(&x->words), x->words.len, flags, NULL);
}

void dx_run_labelf(dx *x, unsigned flags, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	at_buf_clear(&x->words);
	at_buf_vprintf(&x->words, fmt, ap);
	va_end(ap);
	dx_run_words(x, flags);
}

unsigned dx_new_num(dx *x, int start)
{
	unsigned id = x->next_num++;
	at_buf_printf(&x->nums, "<w:num w:numId=\"%u\"><w:abstractNumId "
				"w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\">"
				"<w:startOverride w:val=\"%d\"/></w:lvlOverride>",
		      id, start < 0 ? 0 : start);
	/* Every level restarts there: the list's own depth decides which. */
	for (int l = 1; l <= DX_MAX_ILVL; l++)
		at_buf_printf(&x->nums, "<w:lvlOverride w:ilvl=\"%d\">"
					"<w:startOverride w:val=\"%d\"/>"
					"</w:lvlOverride>",
			      l, start < 0 ? 0 : start);
	at_buf_puts(&x->nums, "</w:num>\n");
	return id;
}

/* ---- tables ---- */

void dx_table_open(dx *x, size_t cols, int first, int rest)
{
	dx_puts(x, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
		   "<w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout "
		   "w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" "
		   "w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" "
		   "w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/>"
		   "</w:tblPr><w:tblGrid>");
	for (size_t i = 0; i < cols; i++)
		dx_printf(x, "<w:gridCol w:w=\"%d\"/>", i ? rest : first);
	dx_puts(x, "</w:tblGrid>\n");
}

/* A row; header: repeated at the top of every page it runs over. */
void dx_row_open(dx *x, int header)
{
	dx_puts(x, header ? "<w:tr><w:trPr><w:tblHeader/></w:trPr>" : "<w:tr>");
}

void dx_cell_open(dx *x, int width)
{
	dx_printf(x, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>"
		     "</w:tcPr>",
		  width);
}

/* A cell ends with a paragraph, or Word calls the document corrupt. */
void dx_cell_close(dx *x)
{
	static const char end[] = "</w:p>\n";
	size_t n = sizeof end - 1;
	if (x->doc.len < n || memcmp(x->doc.s + x->doc.len - n, end, n) != 0)
		dx_puts(x, "<w:p/>");
	dx_puts(x, "</w:tc>");
}

void dx_cell_text(dx *x, int width, const char *style, const char *text)
{
	dx_cell_open(x, width);
	dx_p_text(x, style, text, 0);
	dx_cell_close(x);
}

/* ---- the writer ---- */

int dx_init(dx *x, const at_session *s, const at_emit_options *o,
	    at_diags *d)
{
	memset(x, 0, sizeof *x);
	x->s = s;
	x->o = o;
	x->d = d;
	x->l = at_labels_for(o->lang);
	x->status = AT_OK;
	at_outline_init(&x->ol, s, x->l);
	at_buf_init(&x->doc);
	at_buf_init(&x->rels);
	at_buf_init(&x->nums);
	at_buf_init(&x->words);
	at_buf_init(&x->tmp);
	at_xml_tmp_init(&x->xt);
	at_buf_init(&x->raw);
	at_buf_init(&x->last_url);
	/* rId1 to rId9 are the fixed parts' (docx_parts.c). */
	x->next_rid = 10;
	x->next_docpr = 1;
	x->next_num = DX_NUM_FIRST;
	x->zip = at_zip_new(o->timestamp);
	x->figs = at_figure_set_for(s, o, &x->own_figs);
	return x->zip && x->figs ? 0 : -1;
}

at_status dx_status(dx *x)
{
	if (x->doc.oom || x->rels.oom || x->nums.oom || x->words.oom ||
	    x->tmp.oom || x->xt.clean.oom || x->raw.oom || x->last_url.oom ||
	    x->ol.scratch.oom || x->ol.oom)
		dx_fail(x, AT_ENOMEM);
	return x->status;  /* the budget's AT_EINPUT comes first */
}

void dx_free(dx *x)
{
	at_outline_free(&x->ol);
	at_buf_free(&x->doc);
	at_buf_free(&x->rels);
	at_buf_free(&x->nums);
	at_buf_free(&x->words);
	at_buf_free(&x->tmp);
	at_xml_tmp_free(&x->xt);
	at_buf_free(&x->raw);
	at_buf_free(&x->last_url);
	free(x->media);
	at_zip_free(x->zip);
	at_figure_set_free(x->own_figs);
}
