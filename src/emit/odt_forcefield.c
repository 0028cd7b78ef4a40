/* odt_forcefield.c: a question's force field in the ODT compte-rendu:
 * the figure ff_image.c draws (the same as the PDF's), embedded as SVG
 * with its PNG twin for readers that do not draw SVG, then its caption as
 * the HTML page writes it: the title, the counts, how to read it. */
#include "odt_out.h"

#include <stdlib.h>
#include <string.h>

#include "ff_image.h"
#include "forcefield.h"

#define TEXT_WIDTH_PT (17.0 / 2.54 * 72) /* the page's 17 cm of text */
#define MAX_HEIGHT_PT 640.0              /* most of the page's height */
#define PNG_DPI 150.0

void at_odt_ff_free(at_odt *w)
{
	for (size_t i = 0; i < w->n_ffs; i++) {
		at_buf_free(&w->ffs[i].svg);
		at_buf_free(&w->ffs[i].png);
	}
	free(w->ffs);
}

/* "3 moteurs, 1 frein.", or with who first. */
static void counts(at_odt *w, const char *who, const at_counts *n)
{
	const at_labels *l = w->l;
	const char *dw = l->driver_word[at_plural(l, n->drivers)];
	const char *bw = l->brake_word[at_plural(l, n->brakes)];
	if (who)
		at_odt_labelf(w, l->force_field_alt, who, n->drivers, dw,
			      n->brakes, bw);
	else
		at_odt_labelf(w, l->ff_counts, n->drivers, dw, n->brakes, bw);
}

/* Draws the figure into a new entry; NULL when there is none to draw. */
static at_odt_ff *draw(at_odt *w, const at_question *q, size_t num,
		       double *wpt, double *hpt)
{
	at_odt_ff *v = at_grow(w->ffs, &w->cap_ffs, w->n_ffs, sizeof *v, 4);
	if (!v) {
		at_odt_fail(w, AT_ENOMEM);
		return NULL;
	}
	w->ffs = v;
	at_odt_ff *f = &v[w->n_ffs];
	memset(f, 0, sizeof *f);
	f->num = num;
	at_status st = at_ff_svg(w->s, w->l, q, TEXT_WIDTH_PT, &f->svg, wpt, hpt);
	if (st == AT_OK && f->svg.len)
		st = at_ff_png(&f->svg, PNG_DPI, &f->png);
	if (st == AT_OK && (f->svg.oom || f->png.oom))
		st = AT_ENOMEM;
	if (st != AT_OK || !f->svg.len) {
		at_odt_fail(w, st);
		at_buf_free(&f->svg);
		at_buf_free(&f->png);
		return NULL;
	}
	w->n_ffs++;
	return f;
}

/* Each group's counts, for the text alternative. */
static void alt(at_odt *w, const at_question *q)
{
	const at_subgroup_work *sw = q->subgroups;
	for (size_t g = 0; g < sw->n_groups; g++) {
		at_counts n;
		if (!at_ff_group_shown(&sw->groups[g], &n))
			continue;
		at_buf_clear(&w->words);
		const char *dw = w->l->driver_word[at_plural(w->l, n.drivers)];
		const char *bw = w->l->brake_word[at_plural(w->l, n.brakes)];
		at_labelf(&w->words, w->l->force_field_alt,
			  at_group_label(&sw->groups[g]), n.drivers, dw,
			  n.brakes, bw);
		at_buf_puts(&w->words, "\n");
		if (at_xml_escape(&w->x, &w->xt, at_buf_cstr(&w->words),
				  w->words.len))
			at_odt_fail(w, AT_ENOMEM);
	}
}

void at_odt_force_field(at_odt *w, const at_question *q, size_t num)
{
	at_ff ff;
	if (!at_ff_of(w->s, q, &ff))
		return;
	double wpt = 0, hpt = 0;
	const at_odt_ff *f = draw(w, q, num, &wpt, &hpt);
	if (!f)
		return;
	if (hpt > MAX_HEIGHT_PT) {
		wpt *= MAX_HEIGHT_PT / hpt;
		hpt = MAX_HEIGHT_PT;
	}
	at_odt_printf(w, "<text:p text:style-name=\"Figure\">"
			 "<draw:frame draw:style-name=\"FigureFrame\" "
			 "draw:name=\"ForceField%zu\" text:anchor-type=\"paragraph\" "
			 "svg:width=\"%.2fpt\" svg:height=\"%.2fpt\" "
			 "draw:z-index=\"0\"><draw:image xlink:href=\"Pictures/"
			 "ff-%zu.svg\" xlink:type=\"simple\" xlink:show=\"embed\" "
			 "xlink:actuate=\"onLoad\" draw:mime-type=\"image/svg+xml\"/>"
			 "<draw:image xlink:href=\"Pictures/ff-%zu.png\" "
			 "xlink:type=\"simple\" xlink:show=\"embed\" "
			 "xlink:actuate=\"onLoad\" draw:mime-type=\"image/png\"/>"
			 "<svg:title>",
		      num, wpt, hpt, num, num);
	at_buf_clear(&w->words);
	at_labelf(&w->words, w->l->ff_caption, num);
	if (at_xml_escape(&w->x, &w->xt, at_buf_cstr(&w->words), w->words.len))
		at_odt_fail(w, AT_ENOMEM);
	at_odt_puts(w, "</svg:title><svg:desc>");
	alt(w, q);
	at_odt_puts(w, "</svg:desc></draw:frame></text:p>\n"
		       "<text:p text:style-name=\"Caption\"><text:span "
		       "text:style-name=\"Strong_20_Emphasis\">");
	at_odt_labelf(w, w->l->ff_caption, num);
	at_odt_puts(w, "</text:span> ");
	counts(w, NULL, &ff.total);
	at_odt_puts(w, " ");
	at_odt_text(w, w->l->ff_legend);
	at_odt_puts(w, "</text:p>\n");
}
