/* pdf_page.c: what the PDF's pages and file carry around the report:
 * the running title and "n / N" on every page but the first, the
 * document's metadata (title, author = organiser, subject, keywords, the
 * creation date from at_emit_options.timestamp so the bytes are the
 * same each time), the stream cairo writes to, and the figures' check. */
#include <cairo-pdf.h>
#include <string.h>
#include <time.h>

#include "figure.h"
#include "pdf_emit.h"
#include "text.h"

/* At most this many of the session's tags as the keywords. */
#define MAX_KEYWORDS 16

cairo_status_t pdf_write_file(void *closure, const unsigned char *data,
			      unsigned int length)
{
	FILE *f = closure;
	return fwrite(data, 1, length, f) == length ? CAIRO_STATUS_SUCCESS
						    : CAIRO_STATUS_WRITE_ERROR;
}

/* ---- furniture ---- */

static void line_at(pdf_emit *e, cairo_t *cr, const char *text, double y,
		    PangoAlignment align)
{
	PangoLayout *lay = pdf_layout_new(&e->doc, PDF_SMALL, pdf_content_width());
	pango_layout_set_text(lay, text, -1);
	pango_layout_set_alignment(lay, align);
	/* The running title on one line. */
	pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
	cairo_move_to(cr, PDF_MARGIN_X, y);
	pango_cairo_show_layout(cr, lay);
	cairo_restore(cr);
	g_object_unref(lay);
}

/* The credit stands in the last page's foot, as in the HTML's print:
 * in the flow, it could be pushed alone onto a page of its own. */
static void credit(pdf_emit *e, cairo_t *cr)
{
	at_buf c;
	at_buf_init(&c);
	at_labelf(&c, e->l->generated, ATELIER_VERSION);
	line_at(e, cr, at_buf_cstr(&c), PDF_PAGE_H - 40, PANGO_ALIGN_LEFT);
	at_buf_free(&c);
}

static void furniture(void *ctx, cairo_t *cr, int page, int pages)
{
	pdf_emit *e = ctx;
	if (page == pages)
		credit(e, cr);
	if (page == 1)
		return;
	line_at(e, cr, at_buf_cstr(&e->title), 30, PANGO_ALIGN_LEFT);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
	cairo_set_line_width(cr, 0.4);
	cairo_move_to(cr, PDF_MARGIN_X, 44);
	cairo_line_to(cr, PDF_PAGE_W - PDF_MARGIN_X, 44);
	cairo_stroke(cr);
	cairo_restore(cr);
	at_buf n;
	at_buf_init(&n);
	at_labelf(&n, e->l->page_of, page, pages);
	line_at(e, cr, at_buf_cstr(&n), PDF_PAGE_H - 40, PANGO_ALIGN_CENTER);
	at_buf_free(&n);
}

/* ---- metadata ---- */

typedef struct tags {
	const char *v[MAX_KEYWORDS];
	size_t n;
} tags;

static int collect_tag(const at_contribution *c, void *ctx)
{
	tags *t = ctx;
	for (size_t i = 0; i < c->item->tags.n && t->n < MAX_KEYWORDS; i++) {
		const char *tag = c->item->tags.v[i].s;
		size_t k = 0;
		while (k < t->n && strcmp(t->v[k], tag) != 0)
			k++;
		if (k == t->n)
			t->v[t->n++] = tag;
	}
	return t->n >= MAX_KEYWORDS;
}

/* The session's first tags, else the report's word and the place. */
static void keywords(pdf_emit *e, at_buf *out)
{
	tags t = {0};
	at_session_walk(e->s, collect_tag, &t);
	for (size_t i = 0; i < t.n; i++) {
		if (i)
			at_buf_puts(out, e->l->list_sep);
		at_buf_puts(out, t.v[i]);
	}
	if (t.n)
		return;
	at_buf_puts(out, e->l->report);
	if (e->s->place) {
		at_buf_puts(out, e->l->list_sep);
		at_buf_puts(out, e->s->place);
	}
}

/* Plain text as cairo takes it: valid UTF-8, no control character. */
static void set_meta(pdf_emit *e, cairo_pdf_metadata_t what, const char *s)
{
	at_buf_clear(&e->tmp);
	at_text_for_xml(&e->tmp, s);
	cairo_pdf_surface_set_metadata(e->doc.surface, what, at_buf_cstr(&e->tmp));
}

static void metadata(pdf_emit *e)
{
	const at_session *s = e->s;
	at_buf b;
	at_buf_init(&b);
	set_meta(e, CAIRO_PDF_METADATA_TITLE, at_buf_cstr(&e->title));
	if (s->organiser)
		set_meta(e, CAIRO_PDF_METADATA_AUTHOR, s->organiser);
	char date[64];
	at_format_date(e->l, &s->date, date, sizeof date);
	at_buf_printf(&b, "%s%s%s%s%s", e->l->report, e->l->sep,
		      e->l->workshop_of, e->l->space, date);
	if (s->place)
		at_buf_printf(&b, "%s%s", e->l->sep, s->place);
	set_meta(e, CAIRO_PDF_METADATA_SUBJECT, at_buf_cstr(&b));
	at_buf_clear(&b);
	keywords(e, &b);
	set_meta(e, CAIRO_PDF_METADATA_KEYWORDS, at_buf_cstr(&b));
	at_buf_clear(&b);
	at_buf_printf(&b, "atelier %s", ATELIER_VERSION);
	set_meta(e, CAIRO_PDF_METADATA_CREATOR, at_buf_cstr(&b));
	/* The options' time, in UTC whatever the machine's zone. */
	time_t t = (time_t)e->o->timestamp;
	struct tm tm;
	char iso[32];
	if (gmtime_r(&t, &tm) &&
	    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		set_meta(e, CAIRO_PDF_METADATA_CREATE_DATE, iso);
		set_meta(e, CAIRO_PDF_METADATA_MOD_DATE, iso);
	}
	e->doc.oom |= b.oom;
	at_buf_free(&b);
}

void pdf_page_setup(pdf_emit *e)
{
	e->doc.pages = e->pages;
	e->doc.furniture = furniture;
	e->doc.furniture_ctx = e;
	metadata(e);
}

/* ---- figures ---- */

static int check_figure(const at_figure *f, void *ctx)
{
	pdf_emit *e = ctx;
	at_status st = AT_OK;
	if (!at_figure_get(e->figs, f, 0, e->d, &st) && st == AT_ENOMEM)
		return 1;
	if (st != AT_OK && e->status == AT_OK)
		e->status = st;
	return 0;
}

at_status pdf_check_figures(pdf_emit *e)
{
	e->figs = at_figure_set_for(e->s, e->o, &e->own_figs);
	if (!e->figs)
		return AT_ENOMEM;
	if (at_session_each_figure(e->s, check_figure, e))
		return AT_ENOMEM;
	return e->status;
}
