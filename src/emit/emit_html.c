/* emit_html.c: the compte-rendu as one self-contained HTML5 page.
 *
 * What the page says, in which order and with which numbers, is the
 * outline's (outline.h), as for every format; its words and punctuation
 * are the labels'. What HTML adds: the layouts of the paper original
 * (questions in columns, a group's sections laid out as its grid), a
 * force-field picture per question (html_forcefield.c), figures inlined as
 * data: URIs, a table of contents and a print style sheet (html_style.c).
 *
 * Safety: every Markdown text goes through cmark's safe mode
 * (at_html_md), every plain text and attribute is escaped; no script, no
 * external resource. The page is streamed: nothing is held but one
 * rendered text at a time. */
#include <string.h>

#include "atelier/emitter.h"
#include "html_out.h"
#include "outline.h"

/* ---- small pieces ---- */

static void question_label(at_html *h, size_t num)
{
	at_html_printf(h, "%s %zu", h->l->question, num);
}

/* "Question 1 : <title>" as a heading's content. */
static void question_heading(at_html *h, const at_question *q, size_t num)
{
	at_html_puts(h, "<span class=\"qnum\">");
	question_label(h, num);
	at_html_text(h, h->l->colon);
	at_html_puts(h, "</span>");
	at_html_md(h, q->title, 1);
}

/* "groupes de 5 à 8 personnes" */
static void group_size(at_html *h, const at_range *r)
{
	at_buf_clear(&h->tmp);
	at_format_group_size(&h->tmp, h->l, r);
	at_html_textn(h, at_buf_cstr(&h->tmp), h->tmp.len);
}

/* Writes the separator between two parts of a metadata line. */
static void meta_sep(at_html *h, int *first)
{
	if (!*first)
		at_html_text(h, h->l->sep);
	*first = 0;
}

/* ---- items ---- */

/* The words of the outline's (h->words) as escaped text. */
static void put_words(at_html *h)
{
	at_html_textn(h, at_buf_cstr(&h->words), h->words.len);
}

/* Who said it, where, how much it weighed: small, after the text. */
static void item_meta(at_html *h, const at_facts *f)
{
	if (!f->any)
		return;
	at_html_puts(h, "<span class=\"meta\">");
	at_buf_clear(&h->words);
	at_say_facts(&h->ol, &h->words, f);
	put_words(h);
	if (f->link) {
		if (h->words.len)
			at_html_text(h, h->l->sep);
		at_html_link(h, f->link, h->l->link);
	}
	at_html_puts(h, "</span>");
}

/* Items render as the tree they are (nested lists, figures in place):
 * at_session_walk lists contributions flat and skips figures, which suits
 * listings, not a document. Depth is bounded by the loader's limits. */
static void items(at_html *h, const at_items *list)
{
	if (!list->n)
		return;
	at_html_puts(h, "<ul class=\"items\">\n");
	for (size_t i = 0; i < list->n; i++) {
		const at_item *it = &list->v[i];
		if (it->figure) {
			at_html_puts(h, "<li class=\"fig\">");
			at_html_figure(h, it->figure);
			at_html_puts(h, "</li>\n");
			continue;
		}
		at_facts f = at_item_facts(&h->ol, it);
		at_html_puts(h, "<li>");
		at_html_md(h, it->text, 1);
		item_meta(h, &f);
		if (f.note) {
			at_html_puts(h, "<div class=\"note\"><p class=\"label\">");
			at_html_text(h, h->l->note);
			at_html_puts(h, "</p>");
			at_html_md(h, f.note, 0);
			at_html_puts(h, "</div>");
		}
		if (it->items.n) {
			at_html_puts(h, "\n");
			items(h, &it->items);
		}
		at_html_puts(h, "</li>\n");
	}
	at_html_puts(h, "</ul>\n");
}

static void figures(at_html *h, const at_figures *f)
{
	for (size_t i = 0; i < f->n; i++)
		at_html_figure(h, &f->v[i]);
}

/* ---- head, title block, contents ---- */

static void head(at_html *h)
{
	const at_session *s = h->s;
	at_html_printf(h,
		       "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		       "<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, "
		       "initial-scale=1\">\n"
		       "<meta name=\"generator\" content=\"atelier %s\">\n"
		       "<title>",
		       h->l->lang, ATELIER_VERSION);
	at_html_md_plain(h, s->title);
	at_html_text(h, h->l->dash);
	at_html_text(h, h->l->report);
	at_html_puts(h, "</title>\n<style>\n");
	for (const char *const *rule = at_html_style; *rule; rule++)
		at_html_puts(h, *rule);
	at_html_page_margins(h);
	at_html_puts(h, "</style>\n</head>\n<body>\n<div class=\"page\">\n");
}

static void masthead(at_html *h)
{
	const at_session *s = h->s;
	at_html_puts(h, "<header class=\"masthead\">\n");
	if (s->organiser) {
		at_html_puts(h, "<p class=\"organiser\">");
		at_html_text(h, s->organiser);
		at_html_puts(h, "</p>\n");
	}
	at_html_puts(h, "<p class=\"kicker\">");
	at_html_text(h, h->l->report);
	at_html_puts(h, "</p>\n<h1>");
	at_html_md(h, s->title, 1);
	at_html_puts(h, "</h1>\n");
	if (s->subtitle) {
		at_html_puts(h, "<p class=\"subtitle\">");
		at_html_text(h, s->subtitle);
		at_html_puts(h, "</p>\n");
	}
	char date[64];
	at_format_date(h->l, &s->date, date, sizeof date);
	at_html_puts(h, "<p class=\"when\">");
	at_html_text(h, h->l->workshop_of);
	at_html_text(h, h->l->space);
	at_html_text(h, date);
	if (s->place) {
		at_html_text(h, h->l->sep);
		at_html_text(h, s->place);
	}
	at_html_puts(h, "</p>\n");
	if (s->facilitators.n) {
		at_html_puts(h, "<p class=\"facilitators\">");
		at_html_text(h, h->l->facilitators);
		at_html_text(h, h->l->colon);
		for (size_t i = 0; i < s->facilitators.n; i++) {
			if (i)
				at_html_text(h, h->l->list_sep);
			at_html_text(h, s->facilitators.v[i].s);
		}
		at_html_puts(h, "</p>\n");
	}
	at_html_puts(h, "</header>\n");
}

static void toc_entry(at_html *h, const char *id, const char *label)
{
	at_html_printf(h, "<li><a href=\"#%s\">", id);
	at_html_text(h, label);
	at_html_puts(h, "</a>");
}

/* One link per question that has a piece in the part: #anchor-N. */
static void toc_questions(at_html *h, const at_part *p)
{
	const at_session *s = h->s;
	at_html_puts(h, "<ol>");
	for (size_t i = 0; i < s->n_questions; i++) {
		if (!at_part_has_question(p, &s->questions[i]))
			continue;
		at_html_printf(h, "<li><a href=\"#%s-%zu\">", p->anchor, i + 1);
		question_label(h, i + 1);
		at_html_puts(h, "</a></li>");
	}
	at_html_puts(h, "</ol>");
}

/* "2. Mise à plat des idées fortes : brainstorming", escaped. */
static void part_title(at_html *h, const at_part *p)
{
	at_buf_clear(&h->words);
	at_part_title(&h->ol, p, &h->words);
	put_words(h);
}

static void toc_part(at_html *h, const at_part *p)
{
	at_html_printf(h, "<li><a href=\"#%s\">", p->anchor);
	part_title(h, p);
	at_html_puts(h, "</a>");
	if (p->kind == AT_PART_SETUP) {
		at_html_puts(h, "<ol>");
		for (at_setup_kind k = AT_SETUP_CONTEXT; k <= AT_SETUP_METHOD;
		     k++)
			if (at_setup_has(&h->ol, k)) {
				toc_entry(h, at_setup_anchor(k),
					  at_setup_title(&h->ol, k));
				at_html_puts(h, "</li>");
			}
		at_html_puts(h, "</ol>");
	} else if (p->kind != AT_PART_SYNTHESIS && p->kind != AT_PART_ANNEX) {
		toc_questions(h, p);
	}
	at_html_puts(h, "</li>\n");
}

static void toc(at_html *h)
{
	at_html_puts(h, "<nav class=\"toc\" aria-labelledby=\"toc-title\">\n"
			"<h2 id=\"toc-title\">");
	at_html_text(h, h->l->contents);
	at_html_puts(h, "</h2>\n<ol>\n");
	for (size_t i = 0; i < h->ol.n_parts; i++)
		toc_part(h, &h->ol.parts[i]);
	at_html_puts(h, "</ol>\n</nav>\n");
}

static void part_open(at_html *h, const at_part *p)
{
	at_html_printf(h, "<section class=\"part\" id=\"%s\">\n<h2>",
		       p->anchor);
	part_title(h, p);
	at_html_puts(h, "</h2>\n");
}

/* ---- 1. setting up the workshop ---- */

/* <section id="context"><h3>Préalables</h3> */
static void setup_open(at_html *h, at_setup_kind k)
{
	at_html_printf(h, "<section id=\"%s\">\n<h3>", at_setup_anchor(k));
	at_html_text(h, at_setup_title(&h->ol, k));
	at_html_puts(h, "</h3>\n");
}

static void context(at_html *h)
{
	const at_session *s = h->s;
	if (s->context) {
		at_html_puts(h, "<div class=\"prose\">\n");
		at_html_md(h, s->context, 0);
		at_html_puts(h, "\n</div>\n");
	}
	figures(h, &s->figures);
}

static void questions(at_html *h)
{
	const at_session *s = h->s;
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		at_html_printf(h, "<div class=\"question\" id=\"question-%zu\">"
				  "\n<h4>",
			       i + 1);
		question_heading(h, q, i + 1);
		at_html_puts(h, "</h4>\n");
		if (q->prompts.n) {
			at_html_puts(h, "<p class=\"label\">");
			at_html_text(h, h->l->prompts);
			at_html_puts(h, "</p>\n<ul class=\"prompts\">\n");
			for (size_t k = 0; k < q->prompts.n; k++) {
				at_html_puts(h, "<li>");
				at_html_md(h, q->prompts.v[k].s, 1);
				at_html_puts(h, "</li>\n");
			}
			at_html_puts(h, "</ul>\n");
		}
		at_html_puts(h, "</div>\n");
	}
}

static void phase(at_html *h, const at_phase *p)
{
	at_html_puts(h, "<li><p class=\"phase-head\"><strong>");
	at_html_text(h, at_phase_label(h->l, p));
	at_html_puts(h, "</strong>");
	if (p->minutes || p->group_size.min) {
		int first = 1;
		at_html_puts(h, "<span class=\"meta\">");
		if (p->minutes) {
			meta_sep(h, &first);
			at_html_labelf(h, h->l->minutes, p->minutes);
		}
		if (p->group_size.min) {
			meta_sep(h, &first);
			group_size(h, &p->group_size);
		}
		at_html_puts(h, "</span>");
	}
	at_html_puts(h, "</p>\n");
	if (p->text) {
		at_html_md(h, p->text, 0);
		at_html_puts(h, "\n");
	}
	at_html_puts(h, "</li>\n");
}

/* One rotation-plan cell: each table with its host. */
static void round_tables(at_html *h, const at_round_cell *c)
{
	at_html_puts(h, "<ul>");
	for (size_t i = 0; i < c->tables.n; i++) {
		const char *id = c->tables.v[i].s;
		const at_table *t = at_session_table(h->s, id);
		at_html_puts(h, "<li>");
		at_buf_clear(&h->words);
		at_say_table(&h->ol, &h->words, id);
		put_words(h);
		if (t && t->host) {
			at_html_puts(h, " <span class=\"meta\">");
			at_html_text(h, h->l->host);
			at_html_text(h, h->l->space);
			at_html_text(h, t->host);
			at_html_puts(h, "</span>");
		}
		at_html_puts(h, "</li>");
	}
	at_html_puts(h, "</ul>");
}

static void round_cell(at_html *h, const at_round_cell *c)
{
	at_html_puts(h, "<td>");
	round_tables(h, c);
	at_html_puts(h, "</td>");
}

static void round_heading(at_html *h, const at_round *round, size_t num)
{
	at_html_printf(h, "%s %zu", h->l->round, num);
	if (round->minutes) {
		at_html_puts(h, " <span class=\"meta\">");
		at_html_labelf(h, h->l->minutes, round->minutes);
		at_html_puts(h, "</span>");
	}
}

/* The rotation plan as a list, a round per item: past what a grid holds
 * (at_session_rotation_is_grid). */
static void rotation_list(at_html *h)
{
	const at_session *s = h->s;
	at_html_puts(h, "<p>");
	at_html_text(h, h->l->rotation_plan);
	at_html_puts(h, "</p>\n<ul class=\"rotation\">\n");
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		at_html_puts(h, "<li><strong>");
		round_heading(h, round, r + 1);
		at_html_puts(h, "</strong><ul>");
		for (size_t c = 0; c < round->n_cells; c++) {
			const at_round_cell *cell = &round->cells[c];
			if (!cell->q)
				continue;
			at_html_puts(h, "<li>");
			question_label(h, (size_t)(cell->q - s->questions) + 1);
			round_tables(h, cell);
			at_html_puts(h, "</li>");
		}
		at_html_puts(h, "</ul></li>\n");
	}
	at_html_puts(h, "</ul>\n");
}

static const at_round_cell *cell_for(const at_round *r, const at_question *q)
{
	for (size_t i = 0; i < r->n_cells; i++)
		if (r->cells[i].q == q)
			return &r->cells[i];
	return NULL;
}

/* Rounds down, questions across: who worked on what, when. */
static void rotation_plan(at_html *h)
{
	const at_session *s = h->s;
	if (!at_session_rotation_is_grid(s)) {
		rotation_list(h);
		return;
	}
	at_html_puts(h, "<table class=\"rotation\">\n<caption>");
	at_html_text(h, h->l->rotation_plan);
	at_html_puts(h, "</caption>\n<thead><tr><th scope=\"col\">");
	at_html_text(h, h->l->round);
	at_html_puts(h, "</th>");
	for (size_t q = 0; q < s->n_questions; q++) {
		at_html_puts(h, "<th scope=\"col\">");
		question_label(h, q + 1);
		at_html_puts(h, "</th>");
	}
	at_html_puts(h, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		at_html_puts(h, "<tr><th scope=\"row\">");
		round_heading(h, round, r + 1);
		at_html_puts(h, "</th>");
		for (size_t q = 0; q < s->n_questions; q++) {
			const at_round_cell *c =
				cell_for(round, &s->questions[q]);
			if (c)
				round_cell(h, c);
			else
				at_html_puts(h, "<td></td>");
		}
		at_html_puts(h, "</tr>\n");
	}
	at_html_puts(h, "</tbody>\n</table>\n");
}

static void method(at_html *h)
{
	const at_session *s = h->s;
	if (s->method) {
		at_html_md(h, s->method, 0);
		at_html_puts(h, "\n");
	}
	if (s->n_phases) {
		at_html_puts(h, "<ol class=\"phases\">\n");
		for (size_t i = 0; i < s->n_phases; i++)
			phase(h, &s->phases[i]);
		at_html_puts(h, "</ol>\n");
	}
	if (s->n_rounds)
		rotation_plan(h);
}

static void setup(at_html *h, const at_part *p)
{
	static void (*const write[])(at_html *) = {context, questions, method};
	part_open(h, p);
	for (at_setup_kind k = AT_SETUP_CONTEXT; k <= AT_SETUP_METHOD; k++) {
		if (!at_setup_has(&h->ol, k))
			continue;
		setup_open(h, k);
		write[k](h);
		at_html_puts(h, "</section>\n");
	}
	at_html_puts(h, "</section>\n");
}

/* ---- 2. the brainstorm, one column per question ---- */

static void brainstorm(at_html *h, const at_part *p)
{
	const at_session *s = h->s;
	part_open(h, p);
	at_html_puts(h, "<div class=\"columns\">\n");
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		if (!at_part_has_question(p, q))
			continue;
		at_html_printf(h, "<section class=\"column\" "
				  "id=\"brainstorm-%zu\">\n<h3>",
			       i + 1);
		question_label(h, i + 1);
		at_html_puts(h, "</h3>\n<p class=\"qtitle\">");
		at_html_md(h, q->title, 1);
		at_html_puts(h, "</p>\n");
		items(h, &q->brainstorm->items);
		at_html_puts(h, "</section>\n");
	}
	at_html_puts(h, "</div>\n</section>\n");
}

/* ---- 3. the sub-group work ---- */

static void section(at_html *h, const at_section *sec)
{
	static const char *const force_class[] = {"", " force-driver",
						  " force-brake"};
	at_force force = sec->def ? sec->def->force : AT_FORCE_NONE;
	at_html_printf(h, "<div class=\"sec%s\">\n<h5>", force_class[force]);
	at_html_text(h, at_section_label(h->l, sec));
	at_html_puts(h, "</h5>\n");
	items(h, &sec->items);
	at_html_puts(h, "</div>\n");
}

static void sections(at_html *h, const at_group *g, int of_change)
{
	for (size_t i = 0; i < g->n_sections; i++)
		if (of_change < 0 ||
		    at_section_of_change(&g->sections[i]) == (of_change > 0))
			section(h, &g->sections[i]);
}

/* A group's sections laid out as its grid (at_group_layout): the built-in
 * grid as the paper sheet, practices beside the conditions for change
 * under their own heading; a declared grid's sections in one, two, two by
 * two or as many columns as fit. */
static void sheet(at_html *h, const at_group *g)
{
	static const char *const class[] = {"", " single", " two", " square",
					    " flow"};
	if (!g->n_sections)
		return;
	at_layout layout = at_group_layout(g);
	at_html_printf(h, "<div class=\"sheet%s\">\n", class[layout]);
	if (layout != AT_LAYOUT_PAPER) {
		sections(h, g, -1);
		at_html_puts(h, "</div>\n");
		return;
	}
	at_html_puts(h, "<div class=\"col\">\n");
	sections(h, g, 0);
	at_html_puts(h, "</div>\n<div class=\"col\">\n<p class=\"colhead\">");
	at_html_text(h, h->l->conditions_for_change);
	at_html_puts(h, "</p>\n");
	sections(h, g, 1);
	at_html_puts(h, "</div>\n</div>\n");
}

static void group_meta(at_html *h, const at_group *g)
{
	if (!g->size && !g->members.n)
		return;
	int first = 1;
	at_html_puts(h, "<p class=\"meta\">");
	if (g->size) {
		meta_sep(h, &first);
		at_html_labelf(h, h->l->size, g->size);
	}
	if (g->members.n) {
		meta_sep(h, &first);
		at_html_text(h, h->l->members);
		at_html_text(h, h->l->colon);
		at_buf_clear(&h->words);
		at_say_names(&h->ol, &h->words, &g->members);
		put_words(h);
	}
	at_html_puts(h, "</p>\n");
}

static void group(at_html *h, const at_group *g)
{
	at_html_puts(h, "<article class=\"group\">\n<h4>");
	at_html_text(h, at_group_label(g));
	if (g->name && g->theme) {
		at_html_puts(h, "<span class=\"theme\">");
		at_html_text(h, h->l->theme_sep);
		at_html_text(h, g->theme);
		at_html_puts(h, "</span>");
	}
	at_html_puts(h, "</h4>\n");
	group_meta(h, g);
	sheet(h, g);
	figures(h, &g->figures);
	at_html_puts(h, "</article>\n");
}

static void brief(at_html *h, const at_subgroup_work *w)
{
	if (!w->brief && !w->group_size.min)
		return;
	at_html_puts(h, "<div class=\"brief\">\n<p class=\"label\">");
	at_html_text(h, h->l->brief);
	if (w->group_size.min) {
		at_html_puts(h, "<span class=\"meta\">");
		at_html_text(h, h->l->sep);
		group_size(h, &w->group_size);
		at_html_puts(h, "</span>");
	}
	at_html_puts(h, "</p>\n");
	if (w->brief) {
		at_html_md(h, w->brief, 0);
		at_html_puts(h, "\n");
	}
	at_html_puts(h, "</div>\n");
}

static void subgroups(at_html *h, const at_part *p)
{
	const at_session *s = h->s;
	part_open(h, p);
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		const at_subgroup_work *w = q->subgroups;
		if (!at_part_has_question(p, q))
			continue;
		at_html_printf(h, "<section id=\"subgroups-%zu\">\n<h3>", i + 1);
		question_heading(h, q, i + 1);
		at_html_puts(h, "</h3>\n");
		brief(h, w);
		for (size_t g = 0; g < w->n_groups; g++)
			group(h, &w->groups[g]);
		at_html_force_field(h, q, i + 1);
		at_html_puts(h, "</section>\n");
	}
	at_html_puts(h, "</section>\n");
}

/* ---- 4. the kit ---- */

/* "<strong>Temps 1 : Etat des lieux</strong> : Est-ce que…": step, title
 * and prompt side by side, as the kit was handed out. */
static void step_head(at_html *h, const at_kit_step *st)
{
	if (!st->step && !st->title && !st->prompt)
		return;
	at_html_puts(h, "<p class=\"step-head\">");
	if (st->step || st->title) {
		at_html_puts(h, "<strong>");
		if (st->step)
			at_html_text(h, st->step);
		if (st->step && st->title)
			at_html_text(h, h->l->colon);
		if (st->title)
			at_html_md(h, st->title, 1);
		at_html_puts(h, "</strong>");
	}
	const char *joint = at_step_joint(&h->ol, st);
	if (joint)
		at_html_text(h, joint);
	if (st->prompt)
		at_html_md(h, st->prompt, 1);
	at_html_puts(h, "</p>\n");
}

static void expectations(at_html *h, const at_kit_step *st)
{
	if (!st->n_expect)
		return;
	at_html_puts(h, "<ul class=\"expect\">\n");
	for (size_t i = 0; i < st->n_expect; i++) {
		const at_expect *e = &st->expect[i];
		const char *what = e->def ? at_section_def_label(h->l, e->def)
					  : e->section.s;
		at_html_puts(h, "<li>");
		at_html_labelf(h, h->l->expect, what, e->range.min,
			       e->range.max);
		at_html_puts(h, "</li>\n");
	}
	at_html_puts(h, "</ul>\n");
}

static void kit(at_html *h, const at_part *p)
{
	const at_session *s = h->s;
	part_open(h, p);
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		const at_kit *k = q->kit;
		if (!at_part_has_question(p, q))
			continue;
		at_html_printf(h, "<section id=\"kit-%zu\">\n<h3>", i + 1);
		question_heading(h, q, i + 1);
		at_html_puts(h, "</h3>\n");
		for (size_t j = 0; j < k->n_steps; j++) {
			at_html_puts(h, "<div class=\"step\">\n");
			step_head(h, &k->steps[j]);
			items(h, &k->steps[j].asks);
			expectations(h, &k->steps[j]);
			at_html_puts(h, "</div>\n");
		}
		at_html_puts(h, "</section>\n");
	}
	at_html_puts(h, "</section>\n");
}

/* ---- 5. synthesis, annex ---- */

static void synthesis(at_html *h, const at_part *p)
{
	part_open(h, p);
	at_html_puts(h, "<div class=\"prose\">\n");
	at_html_md(h, h->s->synthesis, 0);
	at_html_puts(h, "\n</div>\n</section>\n");
}

static void participants_table(at_html *h)
{
	const at_session *s = h->s;
	int has_org = 0, has_role = 0;
	for (size_t i = 0; i < s->n_participants; i++) {
		has_org |= s->participants[i].organisation != NULL;
		has_role |= s->participants[i].role != NULL;
	}
	at_html_puts(h, "<table class=\"participants\">\n<thead><tr>"
			"<th scope=\"col\">");
	at_html_text(h, h->l->name);
	if (has_org) {
		at_html_puts(h, "</th><th scope=\"col\">");
		at_html_text(h, h->l->organisation);
	}
	if (has_role) {
		at_html_puts(h, "</th><th scope=\"col\">");
		at_html_text(h, h->l->role);
	}
	at_html_puts(h, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < s->n_participants; i++) {
		const at_participant *p = &s->participants[i];
		at_html_puts(h, "<tr><td>");
		at_html_text(h, p->name);
		if (has_org) {
			at_html_puts(h, "</td><td>");
			at_html_text(h, p->organisation ? p->organisation : "");
		}
		if (has_role) {
			at_html_puts(h, "</td><td>");
			at_html_text(h, p->role ? p->role : "");
		}
		at_html_puts(h, "</td></tr>\n");
	}
	at_html_puts(h, "</tbody>\n</table>\n");
}

static void annex(at_html *h, const at_part *p)
{
	const at_session *s = h->s;
	part_open(h, p);
	if (s->attendance) {
		at_html_puts(h, "<p>");
		at_html_labelf(h, h->l->participants_count, s->attendance);
		at_html_puts(h, "</p>\n");
	}
	if (s->n_participants) {
		participants_table(h);
	} else if (!s->attendance) {
		at_html_puts(h, "<p>");
		at_html_text(h, h->l->no_list);
		at_html_puts(h, "</p>\n");
	}
	at_html_puts(h, "</section>\n");
}

static void foot(at_html *h)
{
	at_html_puts(h, "<footer>\n<p>");
	at_html_labelf(h, h->l->generated, ATELIER_VERSION);
	at_html_puts(h, "</p>\n</footer>\n</div>\n</body>\n</html>\n");
}

static void part(at_html *h, const at_part *p)
{
	switch (p->kind) {
	case AT_PART_SETUP:
		setup(h, p);
		break;
	case AT_PART_BRAINSTORM:
		brainstorm(h, p);
		break;
	case AT_PART_SUBGROUPS:
		subgroups(h, p);
		break;
	case AT_PART_SYNTHESIS:
		synthesis(h, p);
		break;
	case AT_PART_KIT:
		kit(h, p);
		break;
	case AT_PART_ANNEX:
		annex(h, p);
		break;
	}
}

static at_status emit_html(const at_session *s, FILE *out,
			   const at_emit_options *o, at_diags *d)
{
	at_html h;
	if (at_html_init(&h, s, out, o, d)) {
		at_html_free(&h);
		return AT_ENOMEM;
	}
	at_status st = at_html_check_figures(&h);
	if (st != AT_OK) {
		at_html_free(&h);
		return st;
	}
	head(&h);
	masthead(&h);
	toc(&h);
	at_html_puts(&h, "<main>\n");
	for (size_t i = 0; i < h.ol.n_parts; i++)
		part(&h, &h.ol.parts[i]);
	at_html_puts(&h, "</main>\n");
	foot(&h);
	st = h.status;
	if (st == AT_OK && (h.ol.oom || h.ol.scratch.oom || h.words.oom))
		st = AT_ENOMEM;
	at_html_free(&h);
	if (st == AT_OK && ferror(out))
		st = AT_EIO;
	return st;
}

const at_emitter at_emit_html = {
	.name = "html",
	.ext = "html",
	.description = "HTML compte-rendu: one self-contained page, printable",
	.flags = AT_EMITTER_DOCUMENT | AT_EMITTER_INDEXED | AT_EMITTER_WEB_PAGE,
	.emit = emit_html,
};
