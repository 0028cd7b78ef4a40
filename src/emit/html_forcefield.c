/* html_forcefield.c: a question's force field on the HTML page.
 *
 * Lewin's force field, the way facilitators draw it on a flip chart: a
 * line for the situation today, the drivers of change pushing it from the
 * left, the brakes pushing back from the right, one arrow per force, its
 * length following the force's weight. What is drawn comes from the
 * format-neutral model (forcefield.h); this file only writes it, in HTML
 * and CSS rather than SVG, so that every word of every force is text that
 * wraps: on a phone the brakes come under the drivers, on paper nothing is
 * cut, and a screen reader reads the counts, written out. */
#include "forcefield.h"
#include "html_out.h"

/* An arrow's length below which its head would not show, in percent of
 * its column (html_style.c gives it a minimum width too). */
#define MIN_SHARE 0.04

/* Writing one side (the drivers or the brakes of a group): a list whose
 * nesting follows the items', so a sub-point stands under its parent. */
typedef struct side {
	at_html *h;
	size_t open;   /* lists open: 1 + the depth of the last force */
} side;

static void close_to(side *sd, size_t open)
{
	while (sd->open > open) {
		at_html_puts(sd->h, "</li>\n</ul>");
		sd->open--;
	}
}

/* The arrow is drawn by CSS after the text (html_style.c), its length a
 * custom property: no empty element, nothing off-screen. */
static int write_force(const at_ff_force *f, void *ctx)
{
	side *sd = ctx;
	at_html *h = sd->h;
	if (f->depth + 1 > sd->open) {
		at_html_puts(h, "\n<ul>\n");
		sd->open++;
	} else {
		close_to(sd, f->depth + 1);
		at_html_puts(h, "</li>\n");
	}
	double share = f->share < MIN_SHARE ? MIN_SHARE : f->share;
	at_html_printf(h, "<li><span class=\"ff-force\" style=\"--w:%.1f%%\">",
		       share * 100);
	at_html_md(h, f->item->text, 1);
	if (f->item->has_weight) {
		at_html_puts(h, " <span class=\"meta\">");
		at_html_labelf(h, h->l->ff_weight, f->item->weight);
		at_html_puts(h, "</span>");
	}
	at_html_puts(h, "</span>");
	return 0;
}

static void write_side(at_html *h, const at_ff *ff, const at_group *g,
		       at_force force, size_t n)
{
	if (!n)
		return;
	int brake = force == AT_FORCE_BRAKE;
	at_html_printf(h, "<div class=\"ff-side ff-%s\">\n<p class=\"ff-head\">",
		       brake ? "b" : "d");
	at_html_text(h, brake ? h->l->force_brakes : h->l->force_drivers);
	at_html_puts(h, "</p>");
	side sd = {h, 0};
	at_ff_each_force(ff, g, force, write_force, &sd);
	close_to(&sd, 0);
	at_html_puts(h, "\n</div>\n");
}

/* "3 moteurs, 1 frein", or with who first: "Groupe A : 3 moteurs, …". */
static void counts(at_html *h, const char *who, const at_counts *n)
{
	const at_labels *l = h->l;
	const char *dw = l->driver_word[at_plural(l, n->drivers)];
	const char *bw = l->brake_word[at_plural(l, n->brakes)];
	if (who)
		at_html_labelf(h, l->force_field_alt, who, n->drivers, dw,
			       n->brakes, bw);
	else
		at_html_labelf(h, l->ff_counts, n->drivers, dw, n->brakes, bw);
}

static void write_group(at_html *h, const at_ff *ff, const at_group *g)
{
	at_counts n;
	if (!at_ff_group_shown(g, &n))
		return;
	at_html_puts(h, "<div class=\"ff-group\">\n<p class=\"ff-name\">");
	counts(h, at_group_label(g), &n);
	at_html_puts(h, "</p>\n");
	write_side(h, ff, g, AT_FORCE_DRIVER, n.drivers);
	write_side(h, ff, g, AT_FORCE_BRAKE, n.brakes);
	at_html_puts(h, "</div>\n");
}

void at_html_force_field(at_html *h, const at_question *q, size_t num)
{
	at_ff ff;
	if (!at_ff_of(h->s, q, &ff))
		return;
	at_html_printf(h, "<figure class=\"ff\" id=\"ff-%zu\">\n<figcaption>"
			  "<strong>",
		       num);
	at_html_labelf(h, h->l->ff_caption, num);
	at_html_puts(h, "</strong> ");
	counts(h, NULL, &ff.total);
	at_html_puts(h, " ");
	at_html_text(h, h->l->ff_legend);
	at_html_puts(h, "</figcaption>\n");
	for (size_t g = 0; g < ff.work->n_groups; g++)
		write_group(h, &ff, &ff.work->groups[g]);
	at_html_puts(h, "</figure>\n");
}
