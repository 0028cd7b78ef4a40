/* ff_image.c: the force field as SVG and PNG (see ff_image.h).
 *
 * SVG has no line wrapping, so the lines are broken here, by Pango, with
 * the font the SVG names (DejaVu Sans, from fonts-dejavu-core): a reader
 * that has the font draws the lines exactly as measured, and one that
 * substitutes another keeps them within a column's slack. */
#include "ff_image.h"

#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <math.h>
#include <string.h>

#include "forcefield.h"
#include "text.h"

#define FONT "DejaVu Sans"
#define SIZE_PT 8.0
#define GAP 12.0        /* between a column and the line of today */
#define INDENT 10.0     /* a sub-point under its parent */
#define ARROW_ROOM 7.0  /* the arrow under a force's text */
#define FORCE_SKIP 4.0  /* between two forces */
#define GROUP_SKIP 8.0  /* between two groups */
#define MIN_SHARE 0.04  /* shorter, an arrow's head would not show */
#define MAX_SIDE 30000.0      /* pixels: cairo's images stop at 32767 */
#define MAX_PIXELS 40.0e6

static const char *const colour[] = {"#2e7d32", "#c62828"};

typedef struct ff_out {
	const at_labels *l;
	PangoLayout *layout;
	at_buf *svg;
	at_buf text;        /* one force's plain text at a time */
	double width, col;  /* the figure's width, a column's */
	double y[2];        /* where each side's next force goes */
	const at_ff *ff;
} ff_out;

/* Writes s wrapped to width at (x, *y), each line a <text>; *y moves
 * below it. */
static void put_lines(ff_out *o, const char *s, double x, double *y,
		      double width, int bold)
{
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_size(fd, (gint)(SIZE_PT * PANGO_SCALE));
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
						  : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(o->layout, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(o->layout, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(o->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(o->layout, s, -1);
	PangoLayoutIter *it = pango_layout_get_iter(o->layout);
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		double base = *y + (double)pango_layout_iter_get_baseline(it) /
					   PANGO_SCALE;
		at_buf_printf(o->svg, "<text x=\"%.2f\" y=\"%.2f\"%s>", x,
			      base, bold ? " font-weight=\"bold\"" : "");
		size_t len = (size_t)line->length;
		while (len && s[line->start_index + (int)len - 1] == ' ')
			len--;  /* the space Pango broke the line at */
		at_html_escape(o->svg, s + line->start_index, len);
		at_buf_puts(o->svg, "</text>\n");
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	int h;
	pango_layout_get_size(o->layout, NULL, &h);
	*y += (double)h / PANGO_SCALE;
}

static void arrow(ff_out *o, int brake, double y, double share)
{
	double mid = o->width / 2;
	double len = (share < MIN_SHARE ? MIN_SHARE : share) * o->col;
	double tip = brake ? mid + GAP / 2 : mid - GAP / 2;
	double tail = brake ? tip + len : tip - len;
	double head = brake ? 4 : -4;
	at_buf_printf(o->svg,
		      "<path d=\"M%.2f %.2fH%.2fM%.2f %.2fL%.2f %.2fL%.2f "
		      "%.2f\" stroke=\"%s\" stroke-width=\"1.6\" fill=\"none\"/>\n",
		      tail, y, tip, tip + head, y - 3, tip, y, tip + head,
		      y + 3, colour[brake]);
}

static int put_force(const at_ff_force *f, void *ctx)
{
	ff_out *o = ctx;
	int brake = f->force == AT_FORCE_BRAKE;
	double indent = INDENT * (double)(f->depth > 4 ? 4 : f->depth);
	at_buf_clear(&o->text);
	at_md_plain_inline(&o->text, f->item->text);
	if (f->item->has_weight) {
		at_buf_puts(&o->text, " (");
		at_labelf(&o->text, o->l->ff_weight, f->item->weight);
		at_buf_puts(&o->text, ")");
	}
	double x = (brake ? o->width / 2 + GAP / 2 : 0) + indent;
	put_lines(o, at_buf_cstr(&o->text), x, &o->y[brake], o->col - indent,
		  0);
	arrow(o, brake, o->y[brake] + ARROW_ROOM / 2, f->share);
	o->y[brake] += ARROW_ROOM + FORCE_SKIP;
	return o->text.oom;
}

static void put_group(ff_out *o, const at_group *g, double *y)
{
	at_counts n;
	if (!at_ff_group_shown(g, &n))
		return;
	const at_labels *l = o->l;
	at_buf_clear(&o->text);
	at_labelf(&o->text, l->force_field_alt, at_group_label(g), n.drivers,
		  l->driver_word[at_plural(l, n.drivers)], n.brakes,
		  l->brake_word[at_plural(l, n.brakes)]);
	put_lines(o, at_buf_cstr(&o->text), 0, y, o->width, 1);
	*y += FORCE_SKIP;
	o->y[0] = o->y[1] = *y;
	at_ff_each_force(o->ff, g, AT_FORCE_DRIVER, put_force, o);
	at_ff_each_force(o->ff, g, AT_FORCE_BRAKE, put_force, o);
	*y = (o->y[0] > o->y[1] ? o->y[0] : o->y[1]) + GROUP_SKIP;
}

/* The figure's body after its heads; returns its height. */
static double put_body(ff_out *o)
{
	double y = 0;
	put_lines(o, o->l->force_drivers, 0, &y, o->col, 1);
	double yb = 0;
	put_lines(o, o->l->force_brakes, o->width / 2 + GAP / 2, &yb, o->col,
		  1);
	y = (y > yb ? y : yb) + FORCE_SKIP;
	double top = y;
	for (size_t g = 0; g < o->ff->work->n_groups; g++)
		put_group(o, &o->ff->work->groups[g], &y);
	at_buf_printf(o->svg,
		      "<path d=\"M%.2f %.2fV%.2f\" stroke=\"#555\" "
		      "stroke-width=\"1\" stroke-dasharray=\"3 2\"/>\n",
		      o->width / 2, top, y - GROUP_SKIP);
	return y - GROUP_SKIP + 2;
}

at_status at_ff_svg(const at_session *s, const at_labels *l,
		    const at_question *q, double width_pt, at_buf *svg,
		    double *w_pt, double *h_pt)
{
	at_ff ff;
	*w_pt = *h_pt = 0;
	if (!at_ff_of(s, q, &ff))
		return AT_OK;
	PangoFontMap *map = pango_cairo_font_map_new();
	PangoContext *pc = pango_font_map_create_context(map);
	pango_cairo_context_set_resolution(pc, 72);  /* a unit is a point */
	ff_out o = {.l = l, .layout = pango_layout_new(pc), .svg = svg,
		    .width = width_pt, .col = (width_pt - GAP) / 2, .ff = &ff};
	at_buf_init(&o.text);
	at_buf body;
	at_buf_init(&body);
	o.svg = &body;
	double h = put_body(&o);
	at_buf_printf(svg,
		      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "width=\"%.2fpt\" height=\"%.2fpt\" "
		      "viewBox=\"0 0 %.2f %.2f\" font-family=\"%s, sans-serif\" "
		      "font-size=\"%.1f\" fill=\"#222\">\n",
		      width_pt, h, width_pt, h, FONT, SIZE_PT);
	at_buf_put(svg, body.s ? body.s : "", body.len);
	at_buf_puts(svg, "</svg>\n");
	int oom = body.oom || o.text.oom || svg->oom;
	at_buf_free(&body);
	at_buf_free(&o.text);
	g_object_unref(o.layout);
	g_object_unref(pc);
	g_object_unref(map);
	*w_pt = width_pt;
	*h_pt = h;
	return oom ? AT_ENOMEM : AT_OK;
}

static cairo_status_t png_chunk(void *ctx, const unsigned char *data,
				unsigned int len)
{
	at_buf *png = ctx;
	at_buf_put(png, (const char *)data, len);
	return png->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

at_status at_ff_png(const at_buf *svg, double dpi, at_buf *png)
{
	RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg->s,
						  svg->len, NULL);
	if (!h)
		return AT_ENOMEM;
	double w_px, h_px;
	rsvg_handle_set_dpi(h, dpi);
	if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w_px, &h_px) ||
	    w_px < 1 || h_px < 1) {
		g_object_unref(h);
		return AT_ENOMEM;
	}
	/* a figure of thousands of forces is drawn smaller rather than
	 * refused: within cairo's side limit and the pixel budget */
	double fit = 1;
	if (h_px * fit > MAX_SIDE)
		fit = MAX_SIDE / h_px;
	if (w_px * fit > MAX_SIDE)
		fit = MAX_SIDE / w_px;
	if (w_px * h_px * fit * fit > MAX_PIXELS)
		fit = sqrt(MAX_PIXELS / (w_px * h_px));
	w_px *= fit;
	h_px *= fit;
	cairo_surface_t *cs = cairo_image_surface_create(
		CAIRO_FORMAT_ARGB32, (int)(w_px + 0.5), (int)(h_px + 0.5));
	cairo_t *cr = cairo_create(cs);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	RsvgRectangle vp = {0, 0, (int)(w_px + 0.5), (int)(h_px + 0.5)};
	gboolean ok = rsvg_handle_render_document(h, cr, &vp, NULL);
	cairo_destroy(cr);
	at_status st = ok && cairo_surface_write_to_png_stream(cs, png_chunk,
							       png) ==
					 CAIRO_STATUS_SUCCESS
			       ? AT_OK
			       : AT_ENOMEM;
	cairo_surface_destroy(cs);
	g_object_unref(h);
	return st;
}
