/* pdf_layout.c: the PDF's flow engine (pdf_layout.h): blocks placed line
 * by line down the pages, headings kept with what follows, rows of
 * columns drawn page by page, images, links and destinations. */
#include "pdf_layout.h"

#include <cairo-pdf.h>
#include <stdlib.h>
#include <string.h>

#define BOTTOM (PDF_PAGE_H - PDF_MARGIN_BOTTOM)

/* Fonts through fontconfig: DejaVu (fonts-dejavu-core), which fontconfig
 * replaces by its nearest sans or serif when absent (docs/format.md). */
static const struct {
	const char *font;
} styles[PDF_N_STYLES] = {
	[PDF_BODY] = {"DejaVu Serif 10"},
	[PDF_SMALL] = {"DejaVu Sans 8"},
	[PDF_TITLE] = {"DejaVu Sans Bold 20"},
	[PDF_H1] = {"DejaVu Sans Bold 15"},
	[PDF_H2] = {"DejaVu Sans Bold 12"},
	[PDF_H3] = {"DejaVu Sans Bold 10.5"},
	[PDF_H4] = {"DejaVu Sans Bold 9.5"},
	[PDF_CELL] = {"DejaVu Sans 8.5"},
};

/* ---- blocks ---- */

void pdf_block_free(pdf_block *b)
{
	if (b->lay)
		g_object_unref(b->lay);
	if (b->img.svg)
		g_object_unref(b->img.svg);
	if (b->img.raster)
		cairo_surface_destroy(b->img.raster);
	for (size_t i = 0; i < b->n_links; i++)
		free(b->links[i].target);
	free(b->links);
	free(b->dest);
	free(b->mark);
	memset(b, 0, sizeof *b);
}

void pdf_blocks_free(pdf_blocks *bs)
{
	for (size_t i = 0; i < bs->n; i++)
		pdf_block_free(&bs->v[i]);
	free(bs->v);
	memset(bs, 0, sizeof *bs);
}

int pdf_blocks_add(pdf_blocks *bs, pdf_block *b)
{
	pdf_block *v = at_grow(bs->v, &bs->cap, bs->n, sizeof *v, 8);
	if (!v) {
		pdf_block_free(b);
		return -1;
	}
	bs->v = v;
	bs->v[bs->n++] = *b;
	memset(b, 0, sizeof *b);
	return 0;
}

/* ---- the document ---- */

static cairo_status_t discard(void *closure, const unsigned char *data,
			      unsigned int length)
{
	(void)closure, (void)data, (void)length;
	return CAIRO_STATUS_SUCCESS;
}

int pdf_doc_init(pdf_doc *d, cairo_write_func_t write, void *closure,
		 int measure)
{
	memset(d, 0, sizeof *d);
	d->measure = measure;
	d->page = 1;
	d->y = PDF_MARGIN_TOP;
	d->at_top = 1;
	d->surface = cairo_pdf_surface_create_for_stream(
		write ? write : discard, closure, PDF_PAGE_W, PDF_PAGE_H);
	d->cr = cairo_create(d->surface);
	if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS)
		return -1;
	d->pango = pango_cairo_create_context(d->cr);
	if (!d->pango)
		return -1;
	/* No hinting: the same glyph positions whatever the machine. */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(d->pango, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(d->pango, 72);
	for (int i = 0; i < PDF_N_STYLES; i++)
		d->font[i] = pango_font_description_from_string(styles[i].font);
	return 0;
}

static void new_page(pdf_doc *d)
{
	if (!d->measure) {
		if (d->furniture)
			d->furniture(d->furniture_ctx, d->cr, d->page, d->pages);
		cairo_show_page(d->cr);
	}
	d->page++;
	d->y = PDF_MARGIN_TOP;
	d->at_top = 1;
}

cairo_status_t pdf_doc_finish(pdf_doc *d)
{
	pdf_flush(d);
	if (!d->measure && d->furniture)
		d->furniture(d->furniture_ctx, d->cr, d->page, d->pages);
	cairo_surface_finish(d->surface);
	return cairo_surface_status(d->surface);
}

void pdf_doc_free(pdf_doc *d)
{
	pdf_blocks_free(&d->pending);
	for (int i = 0; i < PDF_N_STYLES; i++)
		if (d->font[i])
			pango_font_description_free(d->font[i]);
	if (d->pango)
		g_object_unref(d->pango);
	if (d->cr)
		cairo_destroy(d->cr);
	if (d->surface)
		cairo_surface_destroy(d->surface);
}

double pdf_content_width(void)
{
	return PDF_PAGE_W - 2 * PDF_MARGIN_X;
}

PangoLayout *pdf_layout_new(pdf_doc *d, pdf_style st, double width)
{
	PangoLayout *lay = pango_layout_new(d->pango);
	pango_layout_set_font_description(lay, d->font[st]);
	if (width > 0) {
		pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	}
	return lay;
}

double pdf_text_width(pdf_doc *d, pdf_style st, const char *s, size_t len)
{
	size_t size = sizeof d->widths[0].text;
	for (size_t i = 0; len < size && i < d->n_widths; i++)
		if (d->widths[i].st == st && strlen(d->widths[i].text) == len &&
		    memcmp(d->widths[i].text, s, len) == 0)
			return d->widths[i].w;
	PangoLayout *lay = pdf_layout_new(d, st, 0);
	pango_layout_set_text(lay, s, (int)len);
	int w, h;
	pango_layout_get_size(lay, &w, &h);
	g_object_unref(lay);
	double pt = w / (double)PANGO_SCALE;
	size_t n = d->n_widths;
	if (len < size && n < sizeof d->widths / sizeof d->widths[0]) {
		memcpy(d->widths[n].text, s, len);
		d->widths[n].text[len] = '\0';
		d->widths[n].st = st;
		d->widths[n].w = pt;
		d->n_widths++;
	}
	return pt;
}

/* ---- pieces: a block's lines as placed on pages ---- */

typedef struct piece {
	const pdf_block *b;
	PangoLayoutLine *line;  /* NULL: the block's image, or a spacer */
	int page, first;
	double x, y;            /* the block's left, the line's (the
				   image's) top */
	double dx;              /* the line's left from the block's */
	double baseline;        /* from y */
} piece;

typedef struct pieces {
	piece *v;
	size_t n, cap;
	int oom;
} pieces;

typedef struct cursor {
	int page, at_top;
	double y, top;          /* top: where a new page starts */
} cursor;

static void add_piece(pieces *ps, const piece *p)
{
	piece *v = at_grow(ps->v, &ps->cap, ps->n, sizeof *v, 16);
	if (!v) {
		ps->oom = 1;
		return;
	}
	ps->v = v;
	ps->v[ps->n++] = *p;
}

static void next_page(cursor *c)
{
	c->page++;
	c->y = c->top;
	c->at_top = 1;
}

/* Room for h more points, or a new page (never twice for one thing). */
static void room(cursor *c, double h)
{
	if (!c->at_top && c->y + h > BOTTOM)
		next_page(c);
}

/* The height of a block's first lines: what must fit under a heading. */
static double head_height(const pdf_block *b, int lines)
{
	if (!b->lay)
		return b->img.h;
	PangoLayoutIter *it = pango_layout_get_iter(b->lay);
	int y0 = 0, y1 = 0;
	do
		pango_layout_iter_get_line_yrange(it, NULL, &y1);
	while (--lines > 0 && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return (y1 - y0) / (double)PANGO_SCALE;
}

static double block_height(const pdf_block *b)
{
	if (!b->lay)
		return b->img.h;
	int w, h;
	pango_layout_get_size(b->lay, &w, &h);
	return h / (double)PANGO_SCALE;
}

/* Places b at column x from cursor c, line by line, into ps; whole:
 * not split across pages when it fits on one (a narrow column's
 * paragraph, read across its neighbour's otherwise). */
static void place(cursor *c, const pdf_block *b, double x, pieces *ps,
		  int whole)
{
	if (!c->at_top)
		c->y += b->before;
	piece p = {.b = b, .x = x + b->dx, .first = 1};
	if (!b->lay) {
		room(c, b->img.h);
		p.page = c->page, p.y = c->y;
		add_piece(ps, &p);
		c->y += b->img.h;
		c->at_top = 0;
		return;
	}
	/* Two lines together at least: no line alone at a page's foot. */
	double need = whole ? block_height(b) : head_height(b, 2);
	room(c, need < BOTTOM - c->top ? need : head_height(b, 2));
	PangoLayoutIter *it = pango_layout_get_iter(b->lay);
	do {
		int y0, y1;
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		double h = (y1 - y0) / (double)PANGO_SCALE;
		room(c, h);
		PangoRectangle lg;
		pango_layout_iter_get_line_extents(it, NULL, &lg);
		p.line = pango_layout_iter_get_line_readonly(it);
		/* In the layout's frame: its indent and alignment included. */
		p.dx = lg.x / (double)PANGO_SCALE;
		p.page = c->page, p.y = c->y;
		p.baseline = (pango_layout_iter_get_baseline(it) - y0) /
			     (double)PANGO_SCALE;
		add_piece(ps, &p);
		p.first = 0;
		c->y += h;
		c->at_top = 0;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* ---- drawing ---- */

void pdf_attr_string(at_buf *b, const char *s)
{
	at_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			at_buf_putc(b, '\\');
		at_buf_putc(b, *s);
	}
	at_buf_putc(b, '\'');
}

static void tag_rect(pdf_doc *d, const pdf_link *l, double x, double y,
		     double w, double h)
{
	at_buf a;
	at_buf_init(&a);
	at_buf_puts(&a, l->internal ? "dest=" : "uri=");
	pdf_attr_string(&a, l->target);
	at_buf_printf(&a, " rect=[%.2f %.2f %.2f %.2f]", x, y, w, h);
	if (a.oom)
		d->oom = 1;
	else {
		cairo_tag_begin(d->cr, CAIRO_TAG_LINK, a.s);
		cairo_tag_end(d->cr, CAIRO_TAG_LINK);
	}
	at_buf_free(&a);
}

/* The links of p's block that fall on p's line, as rectangles. */
static void line_links(pdf_doc *d, const piece *p, double h)
{
	int ls = p->line->start_index, le = ls + p->line->length;
	for (size_t i = 0; i < p->b->n_links; i++) {
		const pdf_link *l = &p->b->links[i];
		int s = (int)l->start > ls ? (int)l->start : ls;
		int e = (int)l->end < le ? (int)l->end : le;
		if (s >= e)
			continue;
		int *r = NULL, n = 0;
		pango_layout_line_get_x_ranges(p->line, s, e, &r, &n);
		for (int k = 0; k < n; k++)
			tag_rect(d, l, p->x + r[2 * k] / (double)PANGO_SCALE, p->y,
				 (r[2 * k + 1] - r[2 * k]) / (double)PANGO_SCALE,
				 h);
		g_free(r);
	}
}

static void draw_image(pdf_doc *d, const pdf_image *im, double x, double y)
{
	cairo_t *cr = d->cr;
	if (im->svg) {
		RsvgRectangle vp = {x, y, im->w, im->h};
		rsvg_handle_render_document(im->svg, cr, &vp, NULL);
	} else if (im->raster) {
		int w = cairo_image_surface_get_width(im->raster);
		int h = cairo_image_surface_get_height(im->raster);
		cairo_save(cr);
		cairo_translate(cr, x, y);
		cairo_scale(cr, im->w / w, im->h / h);
		cairo_set_source_surface(cr, im->raster, 0, 0);
		cairo_paint(cr);
		cairo_restore(cr);
	}
}

static void mark(pdf_doc *d, const pdf_block *b, double y)
{
	int lv = b->mark_level;
	if (lv < 1 || lv > 2)
		return;
	at_buf a;
	at_buf_init(&a);
	at_buf_printf(&a, "page=%d pos=[%.2f %.2f]", d->page, PDF_MARGIN_X,
		      y);
	if (a.oom) {
		d->oom = 1;
	} else {
		d->outline[lv] = cairo_pdf_surface_add_outline(
			d->surface, d->outline[lv - 1], b->mark, a.s, 0);
	}
	at_buf_free(&a);
}

static void dest(pdf_doc *d, const pdf_block *b, double y)
{
	at_buf a;
	at_buf_init(&a);
	at_buf_puts(&a, "name=");
	pdf_attr_string(&a, b->dest);
	at_buf_printf(&a, " x=%.2f y=%.2f", PDF_MARGIN_X, y);
	if (a.oom) {
		d->oom = 1;
	} else {
		cairo_tag_begin(d->cr, CAIRO_TAG_DEST, a.s);
		cairo_tag_end(d->cr, CAIRO_TAG_DEST);
	}
	at_buf_free(&a);
}

static void draw_piece(pdf_doc *d, const piece *p)
{
	if (p->first && p->b->mark_level == 1 && d->n_parts < 8)
		d->part_page[d->n_parts++] = d->page;
	if (d->measure)
		return;
	if (p->first && p->b->dest)
		dest(d, p->b, p->y);
	if (p->first && p->b->mark)
		mark(d, p->b, p->y);
	if (!p->line) {
		draw_image(d, &p->b->img, p->x, p->y);
		return;
	}
	PangoRectangle lg;
	pango_layout_line_get_extents(p->line, NULL, &lg);
	cairo_move_to(d->cr, p->x + p->dx, p->y + p->baseline);
	pango_cairo_show_layout_line(d->cr, p->line);
	if (p->b->n_links)
		line_links(d, p, lg.height / (double)PANGO_SCALE);
}

static void shade(pdf_doc *d, double y, double h);

/* A table's header row at the flow's place (its pieces were placed from
 * the top margin). */
static void draw_header(pdf_doc *d, const pieces *hp, double hh)
{
	if (!hp)
		return;
	if (!d->measure) {
		cairo_save(d->cr);
		cairo_translate(d->cr, 0, d->y - PDF_MARGIN_TOP);
		shade(d, PDF_MARGIN_TOP - 1.5, hh - 1);
		for (size_t i = 0; i < hp->n; i++)
			draw_piece(d, &hp->v[i]);
		cairo_restore(d->cr);
	}
	d->y += hh;
	d->at_top = 0;
}

/* Draws the pieces, page by page from the current one; then the flow
 * goes on from c. header: drawn at the top of each page past the first. */
static void draw_pieces(pdf_doc *d, const pieces *ps, const cursor *c,
			const pieces *header, double hh)
{
	for (int page = d->page;; page++) {
		for (size_t i = 0; i < ps->n; i++)
			if (ps->v[i].page == page)
				draw_piece(d, &ps->v[i]);
		if (page >= c->page)
			break;
		new_page(d);
		draw_header(d, header, hh);
	}
	d->y = c->y;
	d->at_top = c->at_top;
}

static cursor here(const pdf_doc *d)
{
	cursor c = {d->page, d->at_top, d->y, PDF_MARGIN_TOP};
	return c;
}

static void place_now(pdf_doc *d, pdf_block *b)
{
	pieces ps = {0};
	cursor c = here(d);
	place(&c, b, PDF_MARGIN_X, &ps, 0);
	draw_pieces(d, &ps, &c, NULL, 0);
	d->oom |= ps.oom;
	free(ps.v);
}

/* The pending headings, on the page where `need` more points fit under
 * them. */
static void settle(pdf_doc *d, double need)
{
	if (!d->pending.n)
		return;
	double h = need;
	for (size_t i = 0; i < d->pending.n; i++)
		h += d->pending.v[i].before + block_height(&d->pending.v[i]);
	if (!d->at_top && d->y + h > BOTTOM && h < BOTTOM - PDF_MARGIN_TOP)
		new_page(d);
	for (size_t i = 0; i < d->pending.n; i++)
		place_now(d, &d->pending.v[i]);
	pdf_blocks_free(&d->pending);
}

void pdf_add(pdf_doc *d, pdf_block *b)
{
	if (d->into) {
		if (pdf_blocks_add(d->into, b))
			d->oom = 1;
		return;
	}
	if (b->keep) {
		if (pdf_blocks_add(&d->pending, b))
			d->oom = 1;
		return;
	}
	settle(d, b->before + head_height(b, 2));
	place_now(d, b);
	pdf_block_free(b);
}

void pdf_flush(pdf_doc *d)
{
	settle(d, 0);
}

void pdf_break_page(pdf_doc *d)
{
	if (!d->at_top)
		new_page(d);
}

void pdf_space(pdf_doc *d, double pt)
{
	if (!d->at_top && !d->into)
		d->y += pt;
}

/* ---- rows of columns ---- */

/* The first lines of a row: what must fit where it starts. */
static double row_head(const pdf_blocks *cols, size_t n)
{
	double need = 0;
	for (size_t i = 0; i < n; i++) {
		if (!cols[i].n)
			continue;
		double h = cols[i].v[0].before + head_height(&cols[i].v[0], 2);
		if (h > need)
			need = h;
	}
	return need;
}

/* In a column, a heading (block k) goes where the next block's first
 * lines fit under it. */
static void keep(cursor *c, const pdf_blocks *col, size_t k)
{
	const pdf_block *b = &col->v[k];
	if (!b->keep || k + 1 >= col->n)
		return;
	const pdf_block *next = &col->v[k + 1];
	room(c, b->before + block_height(b) + next->before +
			head_height(next, 2));
}

static double pending_height(const pdf_doc *d)
{
	double h = 0;
	for (size_t i = 0; i < d->pending.n; i++)
		h += d->pending.v[i].before + block_height(&d->pending.v[i]);
	return h;
}

int pdf_row_fits(const pdf_doc *d, const pdf_blocks *cols, size_t n)
{
	double h = 0;
	for (size_t i = 0; i < n; i++) {
		double c = 0;
		for (size_t k = 0; k < cols[i].n; k++)
			c += cols[i].v[k].before + block_height(&cols[i].v[k]);
		if (c > h)
			h = c;
	}
	h += pending_height(d);
	double body = BOTTOM - PDF_MARGIN_TOP;
	if (d->at_top || d->y + h <= BOTTOM)
		return h <= body ? PDF_FITS_HERE : 0;
	/* A new page for it when this one is mostly used. */
	return h <= body && BOTTOM - d->y < body * 0.4 ? PDF_FITS_PAGE : 0;
}

/* Inside a column, a row is its cells one after the other. */
static void row_into(pdf_doc *d, pdf_blocks *cols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < cols[i].n; k++)
			if (pdf_blocks_add(d->into, &cols[i].v[k]))
				d->oom = 1;
		cols[i].n = 0;
		pdf_blocks_free(&cols[i]);
	}
}

static double place_header(cursor *c, pdf_blocks *header, const double *xs,
			   size_t n, pieces *ps)
{
	double top = c->y, bottom = c->y;
	for (size_t i = 0; i < n && header; i++) {
		cursor hc = *c;
		hc.at_top = 1; /* the header fits: it is checked before */
		for (size_t k = 0; k < header[i].n; k++)
			place(&hc, &header[i].v[k], PDF_MARGIN_X + xs[i], ps, 0);
		if (hc.y > bottom)
			bottom = hc.y;
	}
	return bottom - top;
}

static void shade(pdf_doc *d, double y, double h)
{
	if (d->measure)
		return;
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0.92, 0.92, 0.92);
	cairo_rectangle(d->cr, PDF_MARGIN_X - 3, y, pdf_content_width() + 6, h);
	cairo_fill(d->cr);
	cairo_restore(d->cr);
}

static void rule(pdf_doc *d, double y)
{
	if (d->measure)
		return;
	cairo_save(d->cr);
	cairo_set_source_rgb(d->cr, 0.75, 0.75, 0.75);
	cairo_set_line_width(d->cr, 0.4);
	cairo_move_to(d->cr, PDF_MARGIN_X - 3, y);
	cairo_line_to(d->cr, PDF_PAGE_W - PDF_MARGIN_X + 3, y);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
}

void pdf_row(pdf_doc *d, pdf_blocks *cols, const double *xs, size_t n,
	     pdf_blocks *header, int with_header)
{
	if (d->into) {
		row_into(d, cols, n);
		return;
	}
	pieces hp = {0}, ps = {0};
	cursor hc = {d->page, 1, PDF_MARGIN_TOP, PDF_MARGIN_TOP};
	double hh = header ? place_header(&hc, header, xs, n, &hp) + 4 : 0;
	double need = row_head(cols, n) + (with_header ? hh : 0);
	settle(d, need);
	if (!d->at_top && d->y + need > BOTTOM) {
		new_page(d);
		with_header = header != NULL;
	}
	if (with_header)
		draw_header(d, &hp, hh);
	cursor start = here(d);
	start.top = PDF_MARGIN_TOP + hh;
	cursor end = start;
	/* The columns' tops aligned: the same space above each. */
	double top = 0;
	for (size_t i = 0; i < n; i++)
		if (cols[i].n && cols[i].v[0].before > top)
			top = cols[i].v[0].before;
	for (size_t i = 0; i < n; i++)
		if (cols[i].n)
			cols[i].v[0].before = top;
	for (size_t i = 0; i < n; i++) {
		cursor c = start;
		for (size_t k = 0; k < cols[i].n; k++) {
			keep(&c, &cols[i], k);
			place(&c, &cols[i].v[k], PDF_MARGIN_X + xs[i], &ps, n > 1);
		}
		if (c.page > end.page || (c.page == end.page && c.y > end.y))
			end = c;
	}
	draw_pieces(d, &ps, &end, header ? &hp : NULL, hh);
	if (header) {
		d->y += 3;
		rule(d, d->y - 1.5);
	}
	d->oom |= ps.oom | hp.oom;
	free(ps.v);
	free(hp.v);
	for (size_t i = 0; i < n; i++)
		pdf_blocks_free(&cols[i]);
}

/* ---- images ---- */

typedef struct mem_read {
	const unsigned char *p;
	size_t left;
} mem_read;

static cairo_status_t read_mem(void *closure, unsigned char *data,
			       unsigned int length)
{
	mem_read *m = closure;
	if (length > m->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, m->p, length);
	m->p += length;
	m->left -= length;
	return CAIRO_STATUS_SUCCESS;
}

/* A JPEG goes into the PDF as it is (cairo embeds its bytes). */
static cairo_surface_t *jpeg_surface(const void *data, size_t len, int w,
				     int h)
{
	if (w <= 0 || h <= 0)
		return NULL;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	unsigned char *copy = malloc(len ? len : 1);
	if (!copy) {
		cairo_surface_destroy(s);
		return NULL;
	}
	memcpy(copy, data, len);
	if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, copy, len,
					free, copy) != CAIRO_STATUS_SUCCESS) {
		free(copy);
		cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

static int image_size(pdf_image *im, double w, double h, double max_w,
		      double max_h)
{
	if (!(w > 0 && h > 0))
		return -1;
	double k = max_w / w;
	if (h * k > max_h)
		k = max_h / h;
	if (k > 1)
		k = 1; /* never blown up past its own size */
	im->w = w * k;
	im->h = h * k;
	return 0;
}

int pdf_svg_block(pdf_block *b, const void *data, size_t len, double w,
		  double h, double max_w, double max_h)
{
	pdf_image *im = &b->img;
	im->svg = rsvg_handle_new_from_data(data, len, NULL);
	if (!im->svg)
		return -1;
	gdouble pw = 0, ph = 0;
	if (w > 0 && h > 0)
		return image_size(im, w, h, max_w, max_h);
	if (!rsvg_handle_get_intrinsic_size_in_pixels(im->svg, &pw, &ph)) {
		RsvgRectangle ink, lg;
		if (!rsvg_handle_get_geometry_for_element(im->svg, NULL, &ink,
							  &lg, NULL))
			return -1;
		pw = lg.width, ph = lg.height;
	}
	/* SVG pixels are CSS pixels: 0.75 point each. */
	return image_size(im, pw * 0.75, ph * 0.75, max_w, max_h);
}

int pdf_image_block(pdf_block *b, const void *data, size_t len,
		    const char *mime, int px_w, int px_h, double max_w,
		    double max_h)
{
	pdf_image *im = &b->img;
	if (strcmp(mime, "image/svg+xml") == 0)
		return pdf_svg_block(b, data, len, 0, 0, max_w, max_h);
	if (strcmp(mime, "image/jpeg") == 0) {
		im->raster = jpeg_surface(data, len, px_w, px_h);
	} else {
		mem_read m = {data, len};
		im->raster = cairo_image_surface_create_from_png_stream(read_mem, &m);
	}
	if (!im->raster || cairo_surface_status(im->raster)) {
		if (im->raster)
			cairo_surface_destroy(im->raster);
		im->raster = NULL;
		return -1;
	}
	int w = cairo_image_surface_get_width(im->raster);
	int h = cairo_image_surface_get_height(im->raster);
	/* A figure at 150 dpi at most: its pixels as 0.48 point each. */
	return image_size(im, w * 0.48, h * 0.48, max_w, max_h);
}
