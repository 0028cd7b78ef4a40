/* html_forcefield.c: the force-field picture of a question, as inline SVG.
 *
 * Lewin's force field, the way facilitators draw it on a flip chart: a
 * vertical line for the situation today, the drivers of change pushing it
 * from the left, the brakes pushing back from the right. One band per
 * sub-group, one arrow per driver or brake (a section whose def->force
 * says so, so custom grids count too); an arrow's length follows the
 * item's weight (1 when none is given), scaled to the largest weight of the
 * question. Only the top-level items are forces: their children explain
 * them. Labels are wrapped to two lines and truncated past that, the full
 * text in a <title> child; the counts are written out, and the <desc> says
 * them again for screen readers.
 *
 * Two passes over the question's groups: the first measures (counts,
 * largest weight, height), the second draws, so nothing is stored. */
#include <string.h>

#include "html_out.h"
#include "text.h"
#include "utf8.h"

enum {
	WIDTH = 720,
	CENTRE = WIDTH / 2,
	GAP = 6,            /* between the axis and an arrow's tip */
	HEAD = 10,          /* length of an arrow's head */
	TOP = 40,           /* room for the column headings */
	BAND = 26,          /* a sub-group's band */
	LINE = 15,          /* one line of label */
	ARROW_ROOM = 22,    /* below the label: the arrow and a margin */
	BOTTOM = 10,
	CHARS_PER_LINE = 50 /* fits half the width at 13px */
};

/* The longest arrow, at the question's largest weight; the shortest still
 * shows its head. */
#define MAX_LEN ((double)(CENTRE - GAP - 8))
#define MIN_LEN ((double)(HEAD + 2))

/* Walks one group's items of one force, section by section, skipping
 * figures. */
typedef struct cursor {
	const at_group *g;
	at_force force;
	size_t sec, item;
} cursor;

static const at_item *next_force(cursor *c)
{
	while (c->sec < c->g->n_sections) {
		const at_section *s = &c->g->sections[c->sec];
		if (s->def->force == c->force)
			while (c->item < s->items.n) {
				const at_item *it = &s->items.v[c->item++];
				if (!it->figure)
					return it;
			}
		c->sec++;
		c->item = 0;
	}
	return NULL;
}

static cursor start(const at_group *g, at_force f)
{
	cursor c = {g, f, 0, 0};
	return c;
}

static double weight_of(const at_item *it)
{
	if (!it->has_weight)
		return 1.0;
	return it->weight > 0 ? it->weight : 0.0;
}

static void count_forces(const at_group *g, size_t *drivers, size_t *brakes)
{
	cursor d = start(g, AT_FORCE_DRIVER), b = start(g, AT_FORCE_BRAKE);
	*drivers = *brakes = 0;
	while (next_force(&d))
		++*drivers;
	while (next_force(&b))
		++*brakes;
}

/* ---- wrapping a label ---- */

typedef struct wrapped {
	const char *line[2];
	size_t len[2];
	int lines;
	int cut; /* the second line was truncated: add an ellipsis */
} wrapped;

/* Bytes of s (len bytes) that fit on a line of at most max characters,
 * broken at the last space; *rest is where the next line starts. */
static size_t fit(const char *s, size_t len, size_t max, size_t *rest)
{
	size_t i = 0, chars = 0, space = 0;
	while (i < len && chars < max) {
		if ((s[i] == ' ' && !at_html_glued_space(s, i, len)) ||
		    s[i] == '\n')
			space = i;
		i += at_utf8_seq_len(s + i, len - i);
		chars++;
	}
	if (i >= len) {
		*rest = len;
		return len;
	}
	if (space == 0) { /* one long word: cut it */
		*rest = i;
		return i;
	}
	*rest = space + 1;
	return space;
}

static void wrap(const char *s, wrapped *w)
{
	size_t len = strlen(s), rest, rest2;
	memset(w, 0, sizeof *w);
	w->line[0] = s;
	w->len[0] = fit(s, len, CHARS_PER_LINE, &rest);
	w->lines = 1;
	if (rest >= len)
		return;
	w->lines = 2;
	w->line[1] = s + rest;
	w->len[1] = fit(s + rest, len - rest, CHARS_PER_LINE, &rest2);
	if (rest + rest2 < len) {
		w->len[1] = fit(s + rest, len - rest, CHARS_PER_LINE - 1,
				&rest2);
		w->cut = 1;
	}
}

static int lines_of(at_html *h, const at_item *it)
{
	wrapped w;
	if (!it)
		return 0;
	wrap(at_html_plain(h, it->text), &w);
	return w.lines;
}

/* ---- measuring ---- */

typedef struct measure {
	size_t drivers, brakes;
	double max_weight;
	int height;
} measure;

/* Height of one group's rows; counts its forces into m. */
static int group_rows(at_html *h, const at_group *g, measure *m)
{
	cursor d = start(g, AT_FORCE_DRIVER), b = start(g, AT_FORCE_BRAKE);
	const at_item *di, *bi;
	int height = 0;
	while ((di = next_force(&d)), (bi = next_force(&b)), di || bi) {
		int nd = lines_of(h, di), nb = lines_of(h, bi);
		height += (nd > nb ? nd : nb) * LINE + ARROW_ROOM;
		if (di) {
			m->drivers++;
			if (weight_of(di) > m->max_weight)
				m->max_weight = weight_of(di);
		}
		if (bi) {
			m->brakes++;
			if (weight_of(bi) > m->max_weight)
				m->max_weight = weight_of(bi);
		}
	}
	return height;
}

static void measure_question(at_html *h, const at_subgroup_work *w,
			     measure *m)
{
	memset(m, 0, sizeof *m);
	m->height = TOP;
	for (size_t g = 0; g < w->n_groups; g++)
		m->height += BAND + 6 + group_rows(h, &w->groups[g], m);
	m->height += BOTTOM;
	if (m->max_weight <= 0)
		m->max_weight = 1;
}

/* ---- drawing ---- */

static void count_text(at_html *h, const char *who, size_t nd, size_t nb)
{
	at_html_labelf(h, h->l->force_field_alt, who, nd,
		       h->l->driver_word[at_plural(h->l, nd)], nb,
		       h->l->brake_word[at_plural(h->l, nb)]);
}

/* A coordinate to a tenth, as "%.1f" would write it but without the cost
 * of floating-point formatting for each of a million points. */
static void coord(at_html *h, double v)
{
	long t = (long)(v * 10 + (v < 0 ? -0.5 : 0.5));
	if (t < 0) {
		at_html_puts(h, "-");
		t = -t;
	}
	at_html_printf(h, "%ld.%ld", t / 10, t % 10);
}

/* One arrow: pointing right (a driver) or left (a brake), its tip by the
 * axis; len from its tail to its tip. */
static void arrow(at_html *h, int brake, double len, double y)
{
	double dir = brake ? -1 : 1;
	double tip = brake ? CENTRE + GAP : CENTRE - GAP;
	double neck = tip - dir * HEAD, tail = tip - dir * len;
	const double pts[][2] = {{tail, y - 3.5}, {neck, y - 3.5},
				 {neck, y - 8},   {tip, y},
				 {neck, y + 8},   {neck, y + 3.5},
				 {tail, y + 3.5}};
	at_html_printf(h, "<polygon class=\"arrow %s\" points=\"",
		       brake ? "b" : "d");
	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		if (i)
			at_html_puts(h, " ");
		coord(h, pts[i][0]);
		at_html_puts(h, ",");
		coord(h, pts[i][1]);
	}
	at_html_puts(h, "\"/>");
}

/* A force's label: its plain text, and that text wrapped. */
typedef struct label {
	at_buf text;
	wrapped w;
} label;

static int prepare(at_html *h, label *lb, const at_item *it)
{
	at_buf_clear(&lb->text);
	if (!it)
		return 0;
	if (at_md_plain_inline(&lb->text, it->text) && h->status == AT_OK)
		h->status = AT_ENOMEM;
	wrap(at_buf_cstr(&lb->text), &lb->w);
	return lb->w.lines;
}

/* One force: its label above its arrow, the full text in a tooltip. */
static void force(at_html *h, const at_item *it, const label *lb, int brake,
		  int y, int lines, double max_weight)
{
	const wrapped *w = &lb->w;
	double x = brake ? CENTRE + GAP : CENTRE - GAP;
	at_html_puts(h, "<g><title>");
	at_html_textn(h, lb->text.s ? lb->text.s : "", lb->text.len);
	if (it->has_weight)
		at_html_printf(h, " (%s %g)", h->l->weight, it->weight);
	at_html_printf(h, "</title><text x=\"%.0f\" y=\"%d\"%s>", x, y + 12,
		       brake ? "" : " text-anchor=\"end\"");
	for (int i = 0; i < w->lines; i++) {
		if (i)
			at_html_printf(h, "<tspan x=\"%.0f\" dy=\"%d\">", x,
				       LINE);
		at_html_textn(h, w->line[i], w->len[i]);
		if (i && w->cut)
			at_html_puts(h, "\xe2\x80\xa6");
		if (i)
			at_html_puts(h, "</tspan>");
	}
	at_html_puts(h, "</text>");
	double len = MAX_LEN * weight_of(it) / max_weight;
	arrow(h, brake, len < MIN_LEN ? MIN_LEN : len, y + lines * LINE + 9);
	at_html_puts(h, "</g>\n");
}

/* One band for the group, then its drivers and brakes side by side,
 * row by row. Returns the y below it. */
static int draw_group(at_html *h, const at_group *g, int y,
		      double max_weight, label lb[2])
{
	size_t nd, nb;
	count_forces(g, &nd, &nb);
	at_html_printf(h, "<rect class=\"band\" x=\"0\" y=\"%d\" width=\"%d\" "
			  "height=\"%d\" rx=\"4\"/>",
		       y, WIDTH, BAND);
	at_html_printf(h, "<text class=\"grp\" x=\"10\" y=\"%d\">", y + 17);
	count_text(h, at_group_label(g), nd, nb);
	at_html_puts(h, "</text>\n");
	y += BAND + 6;
	cursor d = start(g, AT_FORCE_DRIVER), b = start(g, AT_FORCE_BRAKE);
	const at_item *di, *bi;
	while ((di = next_force(&d)), (bi = next_force(&b)), di || bi) {
		int ld = prepare(h, &lb[0], di), lbr = prepare(h, &lb[1], bi);
		int lines = ld > lbr ? ld : lbr;
		if (di)
			force(h, di, &lb[0], 0, y, lines, max_weight);
		if (bi)
			force(h, bi, &lb[1], 1, y, lines, max_weight);
		y += lines * LINE + ARROW_ROOM;
	}
	return y;
}

static void svg_open(at_html *h, const at_question *q, size_t num,
		     const measure *m)
{
	char who[64];
	snprintf(who, sizeof who, "%s %zu", h->l->question, num);
	at_html_printf(h, "<figure class=\"ff\" id=\"ff-%zu\">\n<svg viewBox="
			  "\"0 0 %d %d\" role=\"img\" aria-labelledby="
			  "\"ff-%zu-desc\">\n<title>",
		       num, WIDTH, m->height, num);
	at_html_text(h, h->l->force_field);
	at_html_printf(h, " \xe2\x80\x94 %s</title>\n<desc id=\"ff-%zu-desc\">",
		       who, num);
	count_text(h, who, m->drivers, m->brakes);
	at_html_puts(h, ".");
	const at_subgroup_work *w = q->subgroups;
	for (size_t g = 0; g < w->n_groups; g++) {
		size_t nd, nb;
		count_forces(&w->groups[g], &nd, &nb);
		at_html_puts(h, " ");
		count_text(h, at_group_label(&w->groups[g]), nd, nb);
		at_html_puts(h, ".");
	}
	at_html_puts(h, "</desc>\n");
}

static void headings(at_html *h, const measure *m)
{
	at_html_printf(h, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			  "y2=\"%d\"/>\n",
		       CENTRE, TOP - 12, CENTRE, m->height - 4);
	at_html_printf(h, "<text class=\"head d\" x=\"%d\" y=\"20\" "
			  "text-anchor=\"end\">+ ",
		       CENTRE - GAP);
	at_html_text(h, h->l->force_drivers);
	at_html_printf(h, " (%zu) \xe2\x86\x92</text>\n", m->drivers);
	at_html_printf(h, "<text class=\"head b\" x=\"%d\" y=\"20\">"
			  "\xe2\x86\x90 \xe2\x88\x92 ",
		       CENTRE + GAP);
	at_html_text(h, h->l->force_brakes);
	at_html_printf(h, " (%zu)</text>\n", m->brakes);
}

void at_html_force_field(at_html *h, const at_question *q, size_t num)
{
	const at_subgroup_work *w = q->subgroups;
	if (!w)
		return;
	measure m;
	measure_question(h, w, &m);
	if (!m.drivers && !m.brakes)
		return;
	svg_open(h, q, num, &m);
	headings(h, &m);
	/* Two labels at a time (a row's driver and brake), their buffers
	 * reused from row to row. */
	label lb[2];
	at_buf_init(&lb[0].text);
	at_buf_init(&lb[1].text);
	int y = TOP;
	for (size_t g = 0; g < w->n_groups; g++)
		y = draw_group(h, &w->groups[g], y, m.max_weight, lb);
	at_buf_free(&lb[0].text);
	at_buf_free(&lb[1].text);
	at_html_puts(h, "</svg>\n<figcaption><strong>");
	at_html_text(h, h->l->force_field);
	at_html_printf(h, " \xe2\x80\x94 %s %zu.</strong> ", h->l->question,
		       num);
	at_html_text(h, h->l->force_field_legend);
	at_html_puts(h, "</figcaption>\n</figure>\n");
}
