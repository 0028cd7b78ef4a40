/* pdf_parts.c: the PDF's parts that are more than headings and lists:
 * the setup (questions, phases, the rotation plan as a table), the
 * sub-groups' sheets in the columns their grid declares, the kit, and
 * the annex's participants as a table. Same parts, order and words as
 * emit_md.c and emit_html.c. */
#include <stdlib.h>
#include <string.h>

#include "ff_image.h"
#include "forcefield.h"
#include "pdf_emit.h"
#include "text.h"

#define GUTTER 14.0
#define MAX_GRID_COLUMNS 3

/* ---- tables ---- */

/* A table of n columns, widths in proportion to weights: its header
 * row repeated on every page it spans. */
typedef struct table {
	size_t n;
	double xs[8], ws[8];
	pdf_blocks header[8];
	pdf_blocks cells[8];
	int rows;
} table;

static void table_init(table *t, const double *weights, size_t n)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	double sum = 0, x = 0;
	for (size_t i = 0; i < n; i++)
		sum += weights[i];
	for (size_t i = 0; i < n; i++) {
		t->xs[i] = x;
		t->ws[i] = pdf_content_width() * weights[i] / sum;
		x += t->ws[i];
	}
}

/* The paragraph (e->p) as cell i of the row being made. */
static void cell(pdf_emit *e, table *t, size_t i, int header)
{
	pdf_block b;
	pdf_para_block(&e->p, &b, PDF_CELL, 0, t->ws[i] - 6, 2);
	pdf_blocks *to = header ? &t->header[i] : &t->cells[i];
	if (!b.lay)
		pdf_block_free(&b);
	else if (pdf_blocks_add(to, &b))
		e->doc.oom = 1;
}

static void cell_text(pdf_emit *e, table *t, size_t i, const char *s,
		      int header)
{
	pdf_para_puts(&e->p, s ? s : "", header ? AT_RUN_BOLD : 0);
	cell(e, t, i, header);
}

static void row(pdf_emit *e, table *t)
{
	pdf_row(&e->doc, t->cells, t->xs, t->n, t->header, t->rows == 0);
	t->rows++;
}

static void table_free(table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		pdf_blocks_free(&t->header[i]);
		pdf_blocks_free(&t->cells[i]);
	}
}

/* ---- the setup ---- */

/* "(20 min · groupes de 5 à 8 personnes)" */
static void phase_details(pdf_emit *e, const at_phase *p)
{
	const at_labels *l = e->l;
	if (!p->minutes && !p->group_size.min)
		return;
	at_buf_clear(&e->words);
	at_buf_puts(&e->words, l->space);
	at_buf_puts(&e->words, l->open);
	if (p->minutes)
		at_labelf(&e->words, l->minutes, p->minutes);
	if (p->minutes && p->group_size.min)
		at_buf_puts(&e->words, l->sep);
	at_format_group_size(&e->words, l, &p->group_size);
	at_buf_puts(&e->words, l->close);
	pdf_para_puts(&e->p, at_buf_cstr(&e->words), 0);
}

static void phases(pdf_emit *e)
{
	const at_session *s = e->s;
	for (size_t i = 0; i < s->n_phases; i++) {
		const at_phase *p = &s->phases[i];
		at_buf_clear(&e->tmp);
		at_buf_printf(&e->tmp, "%zu.\xc2\xa0", i + 1);
		pdf_para_puts(&e->p, at_buf_cstr(&e->tmp), 0);
		pdf_para_hang(&e->p);
		pdf_para_puts(&e->p, at_phase_label(e->l, p), AT_RUN_BOLD);
		phase_details(e, p);
		if (p->text)
			pdf_para_puts(&e->p, e->l->colon, 0);
		pdf_put(e, PDF_BODY, 0, 4);
		if (p->text)
			pdf_md_blocks(&e->doc, p->text, e->x + 14, e->w - 14);
	}
}

static void table_name(pdf_emit *e, const char *id)
{
	at_buf_clear(&e->words);
	at_say_table(&e->ol, &e->words, id);
	pdf_para_puts(&e->p, at_buf_cstr(&e->words), 0);
}

/* The declared tables with who hosted them, before the plan names them. */
static void tables_list(pdf_emit *e)
{
	const at_session *s = e->s;
	int any = 0;
	for (size_t i = 0; i < s->n_tables; i++)
		any |= s->tables[i].name || s->tables[i].host;
	for (size_t i = 0; any && i < s->n_tables; i++) {
		const at_table *t = &s->tables[i];
		pdf_para_puts(&e->p, "\xe2\x80\xa2\xc2\xa0", 0);
		pdf_para_hang(&e->p);
		table_name(e, t->id.s);
		if (t->host) {
			pdf_para_puts(&e->p, e->l->list_sep, 0);
			pdf_para_puts(&e->p, e->l->host, 0);
			pdf_para_puts(&e->p, e->l->space, 0);
			pdf_para_puts(&e->p, t->host, 0);
		}
		pdf_put(e, PDF_BODY, 0, 2);
	}
}

/* "Tour 1 (20 min)" */
static void round_title(pdf_emit *e, const at_round *r, size_t num)
{
	at_buf_clear(&e->words);
	at_buf_printf(&e->words, "%s %zu", e->l->round, num);
	if (r->minutes) {
		at_buf_puts(&e->words, e->l->space);
		at_buf_puts(&e->words, e->l->open);
		at_labelf(&e->words, e->l->minutes, r->minutes);
		at_buf_puts(&e->words, e->l->close);
	}
}

static void cell_tables(pdf_emit *e, const at_round_cell *rc)
{
	for (size_t t = 0; t < rc->tables.n; t++) {
		if (t)
			pdf_para_puts(&e->p, e->l->list_sep, 0);
		table_name(e, rc->tables.v[t].s);
	}
}

/* Past what a grid holds: a line per round. */
static void rotation_list(pdf_emit *e)
{
	const at_session *s = e->s;
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		round_title(e, round, r + 1);
		pdf_para_puts(&e->p, at_buf_cstr(&e->words), AT_RUN_BOLD);
		const char *sep = e->l->colon;
		for (size_t c = 0; c < round->n_cells; c++) {
			const at_round_cell *rc = &round->cells[c];
			if (!rc->q)
				continue;
			at_buf_clear(&e->words);
			at_buf_printf(&e->words, "%s%s %zu%s", sep, e->l->question,
				      at_question_number(&e->ol, rc->q), e->l->dash);
			pdf_para_puts(&e->p, at_buf_cstr(&e->words), 0);
			cell_tables(e, rc);
			sep = e->l->semicolon;
		}
		pdf_put(e, PDF_BODY, 0, 2);
	}
}

/* Rounds x questions, each cell the tables. */
static void rotation_grid(pdf_emit *e)
{
	const at_session *s = e->s;
	size_t nq = s->n_questions;
	double weights[8] = {1.3, 1, 1, 1, 1, 1, 1, 1};
	table t;
	table_init(&t, weights, nq + 1);
	pdf_space(&e->doc, 6);
	cell_text(e, &t, 0, e->l->round, 1);
	for (size_t q = 0; q < nq; q++) {
		at_buf_clear(&e->words);
		at_buf_printf(&e->words, "%s %zu", e->l->question, q + 1);
		cell_text(e, &t, q + 1, at_buf_cstr(&e->words), 1);
	}
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		round_title(e, round, r + 1);
		cell_text(e, &t, 0, at_buf_cstr(&e->words), 0);
		for (size_t q = 0; q < nq; q++) {
			int first = 1;
			for (size_t c = 0; c < round->n_cells; c++) {
				const at_round_cell *rc = &round->cells[c];
				if (rc->q != &s->questions[q])
					continue;
				if (!first)
					pdf_para_puts(&e->p, e->l->list_sep, 0);
				first = 0;
				cell_tables(e, rc);
			}
			cell(e, &t, q + 1, 0);
		}
		row(e, &t);
	}
	table_free(&t);
}

static void rotation_plan(pdf_emit *e)
{
	const at_session *s = e->s;
	if (!s->n_rounds)
		return;
	pdf_heading(e, PDF_H4, e->l->rotation_plan);
	tables_list(e);
	/* A grid of more than 7 questions would not fit a page's width. */
	if (at_session_rotation_is_grid(s) && s->n_questions <= 7)
		rotation_grid(e);
	else
		rotation_list(e);
}

static void questions(pdf_emit *e)
{
	for (size_t i = 0; i < e->s->n_questions; i++) {
		const at_question *q = &e->s->questions[i];
		pdf_question_heading(e, PDF_H4, q);
		for (size_t k = 0; k < q->prompts.n; k++) {
			pdf_para_puts(&e->p, "\xe2\x80\xa2\xc2\xa0", 0);
			pdf_para_hang(&e->p);
			pdf_para_md(&e->p, q->prompts.v[k].s, 0);
			pdf_put(e, PDF_BODY, 0, 2);
		}
	}
}

void pdf_setup(pdf_emit *e)
{
	const at_session *s = e->s;
	for (at_setup_kind k = AT_SETUP_CONTEXT; k <= AT_SETUP_METHOD; k++) {
		if (!at_setup_has(&e->ol, k))
			continue;
		pdf_heading(e, PDF_H3, at_setup_title(&e->ol, k));
		switch (k) {
		case AT_SETUP_CONTEXT:
			if (s->context)
				pdf_md_blocks(&e->doc, s->context, e->x, e->w);
			pdf_figures(e, &s->figures);
			break;
		case AT_SETUP_QUESTIONS:
			questions(e);
			break;
		case AT_SETUP_METHOD:
			if (s->method)
				pdf_md_blocks(&e->doc, s->method, e->x, e->w);
			phases(e);
			rotation_plan(e);
			break;
		}
	}
}

/* ---- the sub-groups ---- */

/* "Consigne (groupes de 4 à 5 personnes) :" then the brief. */
static void brief(pdf_emit *e, const at_subgroup_work *w)
{
	if (!w->brief && !w->group_size.min)
		return;
	pdf_para_puts(&e->p, e->l->brief, AT_RUN_BOLD);
	if (w->group_size.min) {
		at_buf_clear(&e->words);
		at_buf_puts(&e->words, e->l->space);
		at_buf_puts(&e->words, e->l->open);
		at_format_group_size(&e->words, e->l, &w->group_size);
		at_buf_puts(&e->words, e->l->close);
		pdf_para_puts(&e->p, at_buf_cstr(&e->words), 0);
	}
	if (w->brief)
		pdf_para_puts(&e->p, e->l->colon, AT_RUN_BOLD);
	pdf_put(e, PDF_BODY, 0, 4);
	if (w->brief)
		pdf_md_blocks(&e->doc, w->brief, e->x, e->w);
}

/* "5 personnes · Membres : Jeanne Martin, Paul Durand" */
static void group_meta(pdf_emit *e, const at_group *g)
{
	if (!g->size && !g->members.n)
		return;
	at_buf_clear(&e->words);
	if (g->size)
		at_labelf(&e->words, e->l->size, g->size);
	if (g->size && g->members.n)
		at_buf_puts(&e->words, e->l->sep);
	if (g->members.n) {
		at_buf_puts(&e->words, e->l->members);
		at_buf_puts(&e->words, e->l->colon);
		at_say_names(&e->ol, &e->words, &g->members);
	}
	pdf_para_puts(&e->p, at_buf_cstr(&e->words),
		      PDF_RUN_SMALL | PDF_RUN_GREY);
	pdf_put(e, PDF_BODY, 0, 1);
}

static void section(pdf_emit *e, const at_section *sec)
{
	pdf_heading(e, PDF_H4, at_section_label(e->l, sec));
	pdf_items(e, &sec->items);
}

/* The sections of one column of the paper sheet: of change or not. */
static void paper_column(pdf_emit *e, const at_group *g, int of_change)
{
	if (of_change)
		pdf_heading(e, PDF_H3, e->l->conditions_for_change);
	for (size_t i = 0; i < g->n_sections; i++)
		if (at_section_of_change(&g->sections[i]) == (of_change != 0))
			section(e, &g->sections[i]);
}

static void fill_paper(pdf_emit *e, const at_group *g, size_t i)
{
	paper_column(e, g, (int)i);
}

static void fill_section(pdf_emit *e, const at_group *g, size_t i)
{
	if (i < g->n_sections)
		section(e, &g->sections[i]);
}

/* More text than a column of a page holds, whatever the words: a
 * column of a third of the page's width holds about 3,000 letters. */
#define COLUMN_BYTES 3000

/* The bytes of items' texts, counted up to `cap`. */
static size_t items_bytes(const at_items *list, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < list->n && n < cap; i++) {
		const at_item *it = &list->v[i];
		n += it->text ? strlen(it->text) : 0;
		n += items_bytes(&it->items, cap - (n < cap ? n : cap));
	}
	return n;
}

/* Whether the sections [first, first + n) hold more text than n columns
 * of a page: laid out as a row, they would not stand on one page. */
static int too_long_for_a_row(const at_group *g, size_t first, size_t n,
			      int paper)
{
	size_t cap = n * COLUMN_BYTES, bytes = 0;
	size_t end = paper ? g->n_sections : first + n;
	for (size_t i = paper ? 0 : first; i < end && bytes <= cap; i++)
		bytes += items_bytes(&g->sections[i].items, cap + 1);
	return bytes > cap;
}

/* Columns side by side, each filled by fill(e, g, i), placed as one row
 * when it stands on one page; else filled again, one after the other. */
static void columns(pdf_emit *e, const at_group *g, size_t first, size_t n,
		    void (*fill)(pdf_emit *, const at_group *, size_t))
{
	if (too_long_for_a_row(g, first, n, fill == fill_paper)) {
		for (size_t i = 0; i < n; i++)
			fill(e, g, first + i);
		return;
	}
	pdf_blocks cols[MAX_GRID_COLUMNS] = {{0}};
	double xs[MAX_GRID_COLUMNS];
	double w = (pdf_content_width() - GUTTER * (double)(n - 1)) / (double)n;
	double x = e->x, width = e->w;
	for (size_t i = 0; i < n; i++) {
		xs[i] = (w + GUTTER) * (double)i;
		e->doc.into = &cols[i];
		e->x = 0, e->w = w;
		fill(e, g, first + i);
	}
	e->doc.into = NULL;
	e->x = x, e->w = width;
	int fits = pdf_row_fits(&e->doc, cols, n);
	if (fits) {
		if (fits == PDF_FITS_PAGE)
			pdf_break_page(&e->doc);
		pdf_row(&e->doc, cols, xs, n, NULL, 0);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		pdf_blocks_free(&cols[i]);
		fill(e, g, first + i);
	}
}

/* A group's sections as its grid says (at_group_layout): the paper
 * sheet's two columns, or rows of one, two or up to three columns. */
static void sheet(pdf_emit *e, const at_group *g)
{
	static const size_t per_row[] = {
		[AT_LAYOUT_ONE] = 1, [AT_LAYOUT_TWO] = 2,
		[AT_LAYOUT_SQUARE] = 2, [AT_LAYOUT_FLOW] = MAX_GRID_COLUMNS};
	if (!g->n_sections)
		return;
	at_layout layout = at_group_layout(g);
	if (layout == AT_LAYOUT_PAPER) {
		columns(e, g, 0, 2, fill_paper);
		return;
	}
	size_t k = per_row[layout];
	if (k > g->n_sections)
		k = g->n_sections;
	if (k == 1) {
		for (size_t i = 0; i < g->n_sections; i++)
			section(e, &g->sections[i]);
		return;
	}
	for (size_t i = 0; i < g->n_sections; i += k)
		columns(e, g, i, k, fill_section);
}

static void group(pdf_emit *e, const at_group *g)
{
	pdf_para_puts(&e->p, at_group_label(g), 0);
	if (g->name && g->theme) {
		pdf_para_puts(&e->p, e->l->theme_sep, 0);
		pdf_para_puts(&e->p, g->theme, 0);
	}
	pdf_heading(e, PDF_H3, NULL);
	group_meta(e, g);
	sheet(e, g);
	pdf_figures(e, &g->figures);
}

/* "Champ de forces — Question 1. 12 moteurs, 9 freins. How to read
 * it", kept with the figure, then the figure as vectors (ff_image.h: the
 * HTML's figure as SVG). */
static void force_field(pdf_emit *e, const at_question *q)
{
	at_ff ff;
	if (!at_ff_of(e->s, q, &ff))
		return;
	const at_labels *l = e->l;
	at_buf svg;
	at_buf_init(&svg);
	double w = 0, h = 0;
	at_status st = at_ff_svg(e->s, l, q, e->w, &svg, &w, &h);
	if (st != AT_OK || !svg.len) {
		e->doc.oom |= st == AT_ENOMEM;
		at_buf_free(&svg);
		return;
	}
	at_buf_clear(&e->words);
	at_labelf(&e->words, l->ff_caption, at_question_number(&e->ol, q));
	pdf_para_puts(&e->p, at_buf_cstr(&e->words), AT_RUN_BOLD | PDF_RUN_SMALL);
	at_buf_clear(&e->words);
	at_buf_puts(&e->words, l->space);
	at_labelf(&e->words, l->ff_counts, ff.total.drivers,
		  l->driver_word[at_plural(l, ff.total.drivers)],
		  ff.total.brakes, l->brake_word[at_plural(l, ff.total.brakes)]);
	at_buf_puts(&e->words, l->space);
	at_buf_puts(&e->words, l->ff_legend);
	pdf_para_puts(&e->p, at_buf_cstr(&e->words), PDF_RUN_SMALL | PDF_RUN_GREY);
	pdf_block b;
	pdf_para_block(&e->p, &b, PDF_BODY, e->x, e->w, 10);
	b.keep = 1;
	pdf_add(&e->doc, &b);
	memset(&b, 0, sizeof b);
	if (pdf_svg_block(&b, svg.s, svg.len, w, h, e->w,
			  PDF_PAGE_H - PDF_MARGIN_TOP - PDF_MARGIN_BOTTOM - 40) == 0) {
		b.dx = e->x;
		b.before = 4;
		pdf_add(&e->doc, &b);
	} else {
		pdf_block_free(&b);
	}
	at_buf_free(&svg);
}

void pdf_subgroups(pdf_emit *e, const at_question *q)
{
	const at_subgroup_work *w = q->subgroups;
	brief(e, w);
	for (size_t g = 0; g < w->n_groups; g++)
		group(e, &w->groups[g]);
	force_field(e, q);
}

/* ---- the kit ---- */

/* "Temps 1 : Etat des lieux : Est-ce que…": step, title and prompt in
 * one run, as the kit was handed out. */
static void step_head(pdf_emit *e, const at_kit_step *st)
{
	if (st->step)
		pdf_para_puts(&e->p, st->step, AT_RUN_BOLD);
	if (st->step && st->title)
		pdf_para_puts(&e->p, e->l->colon, AT_RUN_BOLD);
	if (st->title)
		pdf_para_md(&e->p, st->title, AT_RUN_BOLD);
	const char *joint = at_step_joint(&e->ol, st);
	if (joint)
		pdf_para_puts(&e->p, joint, 0);
	if (st->prompt)
		pdf_para_md(&e->p, st->prompt, 0);
	pdf_put(e, PDF_BODY, 0, 6);
}

static void expectations(pdf_emit *e, const at_kit_step *st)
{
	for (size_t i = 0; i < st->n_expect; i++) {
		const at_expect *x = &st->expect[i];
		const char *what = x->def ? at_section_def_label(e->l, x->def)
					  : x->section.s;
		at_buf_clear(&e->words);
		at_labelf(&e->words, e->l->expect, what, x->range.min,
			  x->range.max);
		pdf_para_puts(&e->p, at_buf_cstr(&e->words),
			      AT_RUN_ITALIC | PDF_RUN_SMALL | PDF_RUN_GREY);
		pdf_put(e, PDF_BODY, 0, 2);
	}
}

void pdf_kit(pdf_emit *e, const at_kit *k)
{
	for (size_t j = 0; j < k->n_steps; j++) {
		step_head(e, &k->steps[j]);
		pdf_items(e, &k->steps[j].asks);
		expectations(e, &k->steps[j]);
	}
}

/* ---- the annex ---- */

static void participants(pdf_emit *e)
{
	const at_session *s = e->s;
	int has_org = 0, has_role = 0;
	for (size_t i = 0; i < s->n_participants; i++) {
		has_org |= s->participants[i].organisation != NULL;
		has_role |= s->participants[i].role != NULL;
	}
	double weights[3] = {1, 1, 1};
	table t;
	table_init(&t, weights, 1 + (size_t)has_org + (size_t)has_role);
	pdf_space(&e->doc, 6);
	size_t n = 0;
	cell_text(e, &t, n++, e->l->name, 1);
	if (has_org)
		cell_text(e, &t, n++, e->l->organisation, 1);
	if (has_role)
		cell_text(e, &t, n++, e->l->role, 1);
	for (size_t i = 0; i < s->n_participants; i++) {
		const at_participant *p = &s->participants[i];
		n = 0;
		cell_text(e, &t, n++, p->name, 0);
		if (has_org)
			cell_text(e, &t, n++, p->organisation, 0);
		if (has_role)
			cell_text(e, &t, n++, p->role, 0);
		row(e, &t);
	}
	table_free(&t);
}

void pdf_annex(pdf_emit *e)
{
	const at_session *s = e->s;
	if (s->attendance) {
		at_buf_clear(&e->words);
		at_labelf(&e->words, e->l->participants_count, s->attendance);
		pdf_para_puts(&e->p, at_buf_cstr(&e->words), 0);
		pdf_put(e, PDF_BODY, 0, 4);
	}
	if (s->n_participants)
		participants(e);
	else if (!s->attendance) {
		pdf_para_puts(&e->p, e->l->no_list, 0);
		pdf_put(e, PDF_BODY, 0, 4);
	}
}
