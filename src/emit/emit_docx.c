/* emit_docx.c: the compte-rendu as an Office Open XML document (.docx),
 * the file an organiser opens in Word or LibreOffice to touch it up
 * before sending it.
 *
 * What the document says, in which order and with which numbers, is the
 * outline's (outline.h), as for every format; its words and punctuation
 * are the labels'. What DOCX adds: real styles (Title, Heading 1 to 3 with
 * their outline levels, List Paragraph), so that Word's navigation pane,
 * its table of contents and restyling work; items as real list paragraphs
 * at their depth; the rotation plan and the participants as tables whose
 * header row repeats; each group's sections laid out as its grid in a
 * table (never a text box); figures and the force field inline, SVG with
 * a PNG beside it. The writer (docx_out.h) builds the parts in memory;
 * nothing reaches the stream until the zip is whole. */
#include <string.h>

#include "atelier/emitter.h"
#include "docx_out.h"
#include "ff_image.h"
#include "forcefield.h"
#include "text.h"

/* ---- small pieces ---- */

static void put_words(dx *x, unsigned flags)
{
	dx_run_words(x, flags);
}

/* Runs written to x->doc moved into out: a lead that a block text's
 * first paragraph opens with. */
static void capture(dx *x, size_t from, at_buf *out)
{
	at_buf_put(out, x->doc.s ? x->doc.s + from : "", x->doc.len - from);
	x->doc.len = from;
	if (x->doc.s)
		x->doc.s[from] = '\0';
}

static void heading(dx *x, int level, const char *anchor, size_t num)
{
	static const char *const style[] = {"Heading1", "Heading2",
					    "Heading3"};
	at_buf mark;
	at_buf_init(&mark);
	if (anchor)
		dx_mark_name(&mark, anchor, num);
	dx_para p = {.style = style[level - 1],
		     .mark = anchor ? at_buf_cstr(&mark) : NULL};
	dx_p_open(x, &p);
	if (mark.oom)
		dx_fail(x, AT_ENOMEM);
	at_buf_free(&mark);
}

/* "Question 1 : <title>" */
static void question_heading(dx *x, int level, const at_question *q,
			     const char *anchor)
{
	size_t num = at_question_number(&x->ol, q);
	heading(x, level, anchor, num);
	dx_run_labelf(x, 0, "%s %zu", x->l->question, num);
	dx_run_s(x, x->l->colon, 0);
	dx_md_inline(x, q->title, 0);
	dx_p_close(x);
}

static void part_heading(dx *x, const at_part *p)
{
	heading(x, 1, p->anchor, 0);
	at_buf_clear(&x->words);
	at_part_title(&x->ol, p, &x->words);
	put_words(x, 0);
	dx_p_close(x);
}

/* "groupes de 5 à 8 personnes" */
static void group_size(dx *x, const at_range *r, unsigned flags)
{
	at_buf_clear(&x->words);
	at_format_group_size(&x->words, x->l, r);
	put_words(x, flags);
}

/* ---- items ---- */

/* " (par Jeanne Martin · tour 2, Table verte · 7 votes · lien)", in the
 * facts' own character style. */
static void item_facts(dx *x, const at_facts *f)
{
	if (!f->any)
		return;
	dx_run_s(x, x->l->space, 0);
	at_buf_clear(&x->words);
	at_buf_puts(&x->words, x->l->open);
	at_say_facts(&x->ol, &x->words, f);
	if (f->link && x->words.len > strlen(x->l->open))
		at_buf_puts(&x->words, x->l->sep);
	put_words(x, DX_FACTS);
	if (f->link)
		dx_run(x, x->l->link, strlen(x->l->link), DX_FACTS, f->link);
	dx_run_s(x, x->l->close, DX_FACTS);
}

/* The facilitator's note, under its item: "Note : ..." as the lead of
 * its first paragraph. */
static void item_note(dx *x, const char *note, int depth)
{
	size_t from = x->doc.len;
	dx_run_s(x, x->l->note, AT_RUN_ITALIC);
	dx_run_s(x, x->l->colon, 0);
	at_buf lead;
	at_buf_init(&lead);
	capture(x, from, &lead);
	dx_md_block(x, note, 3, depth + 1, "Note", at_buf_cstr(&lead));
	if (lead.oom)
		dx_fail(x, AT_ENOMEM);
	at_buf_free(&lead);
}

/* Items as the tree they are: each a list paragraph at its depth, a
 * figure in place under its parent's text; width: the room they have. */
static void items(dx *x, const at_items *list, int depth, int width)
{
	for (size_t i = 0; i < list->n && x->status == AT_OK; i++) {
		const at_item *it = &list->v[i];
		if (it->figure) {
			int level = depth < DX_MAX_ILVL ? depth : DX_MAX_ILVL;
			dx_figure(x, it->figure, DX_INDENT * (level + 1), width);
			continue;
		}
		at_facts f = at_item_facts(&x->ol, it);
		dx_para p = {.style = "ListParagraph", .num = DX_NUM_BULLET,
			     .ilvl = depth};
		dx_p_open(x, &p);
		dx_md_inline(x, it->text, 0);
		item_facts(x, &f);
		dx_p_close(x);
		if (f.note)
			item_note(x, f.note, depth);
		items(x, &it->items, depth + 1, width);
	}
}

static void figures(dx *x, const at_figures *f, int width)
{
	for (size_t i = 0; i < f->n; i++)
		dx_figure(x, &f->v[i], 0, width);
}

/* ---- title block, contents ---- */

static void title_block(dx *x)
{
	const at_session *s = x->s;
	if (s->organiser)
		dx_p_text(x, "Meta", s->organiser, AT_RUN_BOLD);
	dx_p_text(x, "Kicker", x->l->report, 0);
	dx_para t = {.style = "Title"};
	dx_p_open(x, &t);
	dx_md_inline(x, s->title, 0);
	dx_p_close(x);
	if (s->subtitle)
		dx_p_text(x, "Subtitle", s->subtitle, 0);
	char date[64];
	at_format_date(x->l, &s->date, date, sizeof date);
	at_buf_clear(&x->words);
	at_buf_puts(&x->words, x->l->workshop_of);
	at_buf_puts(&x->words, x->l->space);
	at_buf_puts(&x->words, date);
	if (s->place) {
		at_buf_puts(&x->words, x->l->sep);
		at_buf_puts(&x->words, s->place);
	}
	dx_p_text(x, "Meta", at_buf_cstr(&x->words), 0);
	if (!s->facilitators.n)
		return;
	at_buf_clear(&x->words);
	at_buf_puts(&x->words, x->l->facilitators);
	at_buf_puts(&x->words, x->l->colon);
	for (size_t i = 0; i < s->facilitators.n; i++) {
		if (i)
			at_buf_puts(&x->words, x->l->list_sep);
		at_buf_puts(&x->words, s->facilitators.v[i].s);
	}
	dx_p_text(x, "Meta", at_buf_cstr(&x->words), 0);
}

/* One line of the contents, a link to its heading's bookmark; the first
 * opens the TOC field, which Word and LibreOffice can rebuild with page
 * numbers ("update field"). */
static void toc_entry(dx *x, int level, const char *anchor, size_t num,
		      int *first)
{
	dx_para p = {.style = level == 1 ? "TOC1" : "TOC2"};
	dx_p_open(x, &p);
	if (*first)
		dx_puts(x, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
			   "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o "
			   "\"1-2\" \\h \\z \\u </w:instrText></w:r><w:r>"
			   "<w:fldChar w:fldCharType=\"separate\"/></w:r>");
	*first = 0;
	at_buf_clear(&x->tmp);
	dx_mark_name(&x->tmp, anchor, num);
	dx_printf(x, "<w:hyperlink w:anchor=\"%s\" w:history=\"1\">",
		  at_buf_cstr(&x->tmp));
	put_words(x, 0);
	dx_puts(x, "</w:hyperlink>");
	dx_p_close(x);
}

static void toc_part(dx *x, const at_part *p, int *first)
{
	at_buf_clear(&x->words);
	at_part_title(&x->ol, p, &x->words);
	toc_entry(x, 1, p->anchor, 0, first);
	if (p->kind == AT_PART_SETUP) {
		for (at_setup_kind k = AT_SETUP_CONTEXT; k <= AT_SETUP_METHOD; k++)
			if (at_setup_has(&x->ol, k)) {
				at_buf_clear(&x->words);
				at_buf_puts(&x->words, at_setup_title(&x->ol, k));
				toc_entry(x, 2, at_setup_anchor(k), 0, first);
			}
		return;
	}
	if (p->kind == AT_PART_SYNTHESIS || p->kind == AT_PART_ANNEX)
		return;
	for (size_t i = 0; i < x->s->n_questions; i++) {
		if (!at_part_has_question(p, &x->s->questions[i]))
			continue;
		at_buf_clear(&x->words);
		at_buf_printf(&x->words, "%s %zu", x->l->question, i + 1);
		toc_entry(x, 2, p->anchor, i + 1, first);
	}
}

static void contents(dx *x)
{
	dx_p_text(x, "TOCHeading", x->l->contents, 0);
	int first = 1;
	for (size_t i = 0; i < x->ol.n_parts; i++)
		toc_part(x, &x->ol.parts[i], &first);
	dx_puts(x, "<w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>\n");
}

/* ---- 1. setting up the workshop ---- */

static void questions(dx *x)
{
	const at_session *s = x->s;
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		question_heading(x, 3, q, "question");
		if (!q->prompts.n)
			continue;
		dx_p_text(x, "Label", x->l->prompts, 0);
		for (size_t k = 0; k < q->prompts.n; k++) {
			dx_para p = {.style = "ListParagraph",
				     .num = DX_NUM_BULLET};
			dx_p_open(x, &p);
			dx_md_inline(x, q->prompts.v[k].s, 0);
			dx_p_close(x);
		}
	}
}

/* "Agitation d'idées en rotation (20 min · groupes de 5 à 8 personnes)" */
static void phase(dx *x, const at_phase *p, unsigned num)
{
	dx_para para = {.style = "ListParagraph", .num = num, .keep = !!p->text};
	dx_p_open(x, &para);
	dx_run_s(x, at_phase_label(x->l, p), AT_RUN_BOLD);
	if (p->minutes || p->group_size.min) {
		dx_run_s(x, x->l->space, 0);
		dx_run_s(x, x->l->open, DX_FACTS);
		if (p->minutes)
			dx_run_labelf(x, DX_FACTS, x->l->minutes, p->minutes);
		if (p->minutes && p->group_size.min)
			dx_run_s(x, x->l->sep, DX_FACTS);
		if (p->group_size.min)
			group_size(x, &p->group_size, DX_FACTS);
		dx_run_s(x, x->l->close, DX_FACTS);
	}
	dx_p_close(x);
	if (p->text)
		dx_md_block(x, p->text, 2, 1, NULL, NULL);
}

/* "Table verte animée par Paul" */
static void round_tables(dx *x, const at_round_cell *c)
{
	for (size_t i = 0; i < c->tables.n; i++) {
		const char *id = c->tables.v[i].s;
		const at_table *t = at_session_table(x->s, id);
		dx_para p = {.style = "TableText"};
		dx_p_open(x, &p);
		at_buf_clear(&x->words);
		at_say_table(&x->ol, &x->words, id);
		put_words(x, 0);
		if (t && t->host) {
			dx_run_s(x, x->l->space, 0);
			at_buf_clear(&x->words);
			at_buf_puts(&x->words, x->l->host);
			at_buf_puts(&x->words, x->l->space);
			at_buf_puts(&x->words, t->host);
			put_words(x, DX_FACTS);
		}
		dx_p_close(x);
	}
}

static void round_title(dx *x, const at_round *round, size_t num)
{
	dx_run_labelf(x, AT_RUN_BOLD, "%s %zu", x->l->round, num);
	if (round->minutes) {
		dx_run_s(x, x->l->space, 0);
		dx_run_labelf(x, DX_FACTS, x->l->minutes, round->minutes);
	}
}

/* Past what a grid holds (at_session_rotation_is_grid, or Word's
 * columns): a round per item, a question per sub-item. */
static void rotation_list(dx *x)
{
	const at_session *s = x->s;
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		dx_para p = {.style = "ListParagraph", .num = DX_NUM_BULLET};
		dx_p_open(x, &p);
		round_title(x, round, r + 1);
		dx_p_close(x);
		for (size_t c = 0; c < round->n_cells; c++) {
			const at_round_cell *cell = &round->cells[c];
			if (!cell->q)
				continue;
			dx_para q = {.style = "ListParagraph",
				     .num = DX_NUM_BULLET, .ilvl = 1};
			dx_p_open(x, &q);
			dx_run_labelf(x, 0, "%s %zu", x->l->question,
				      at_question_number(&x->ol, cell->q));
			for (size_t t = 0; t < cell->tables.n; t++) {
				dx_run_s(x, t ? x->l->list_sep : x->l->dash, 0);
				at_buf_clear(&x->words);
				at_say_table(&x->ol, &x->words,
					     cell->tables.v[t].s);
				put_words(x, 0);
			}
			dx_p_close(x);
		}
	}
}

/* Rounds down, questions across. */
static void rotation_grid(dx *x)
{
	const at_session *s = x->s;
	size_t cols = s->n_questions + 1;
	int first = 1600, rest = (DX_TEXT_W - first) / (int)s->n_questions;
	dx_table_open(x, cols, first, rest);
	dx_row_open(x, 1);
	dx_cell_text(x, first, "TableHead", x->l->round);
	for (size_t q = 0; q < s->n_questions; q++) {
		at_buf_clear(&x->words);
		at_buf_printf(&x->words, "%s %zu", x->l->question, q + 1);
		dx_cell_text(x, rest, "TableHead", at_buf_cstr(&x->words));
	}
	dx_puts(x, "</w:tr>\n");
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		dx_row_open(x, 0);
		dx_cell_open(x, first);
		dx_para p = {.style = "TableText"};
		dx_p_open(x, &p);
		round_title(x, round, r + 1);
		dx_p_close(x);
		dx_cell_close(x);
		for (size_t q = 0; q < s->n_questions; q++) {
			dx_cell_open(x, rest);
			for (size_t c = 0; c < round->n_cells; c++)
				if (round->cells[c].q == &s->questions[q])
					round_tables(x, &round->cells[c]);
			dx_cell_close(x);
		}
		dx_puts(x, "</w:tr>\n");
	}
	dx_puts(x, "</w:tbl>\n");
}

static void method(dx *x)
{
	const at_session *s = x->s;
	if (s->method)
		dx_md_block(x, s->method, 2, 0, NULL, NULL);
	unsigned num = s->n_phases ? dx_new_num(x, 1) : 0;
	for (size_t i = 0; i < s->n_phases; i++)
		phase(x, &s->phases[i], num);
	if (!s->n_rounds)
		return;
	dx_p_text(x, "Label", x->l->rotation_plan, 0);
	if (at_session_rotation_is_grid(s) && s->n_questions < DX_MAX_COLS)
		rotation_grid(x);
	else
		rotation_list(x);
}

static void setup(dx *x)
{
	const at_session *s = x->s;
	for (at_setup_kind k = AT_SETUP_CONTEXT; k <= AT_SETUP_METHOD; k++) {
		if (!at_setup_has(&x->ol, k))
			continue;
		heading(x, 2, at_setup_anchor(k), 0);
		dx_run_s(x, at_setup_title(&x->ol, k), 0);
		dx_p_close(x);
		if (k == AT_SETUP_CONTEXT) {
			if (s->context)
				dx_md_block(x, s->context, 2, 0, NULL, NULL);
			figures(x, &s->figures, DX_TEXT_W);
		} else if (k == AT_SETUP_QUESTIONS) {
			questions(x);
		} else {
			method(x);
		}
	}
}

/* ---- 3. the sub-group work ---- */

/* in_sheet: in a cell of the group's sheet. */
static void section(dx *x, const at_section *sec, int width, int in_sheet)
{
	at_force force = sec->def ? sec->def->force : AT_FORCE_NONE;
	unsigned colour = force == AT_FORCE_DRIVER  ? DX_DRIVER
			  : force == AT_FORCE_BRAKE ? DX_BRAKE
						    : 0;
	dx_p_text(x, in_sheet ? "SectionLabel" : "Label",
		  at_section_label(x->l, sec), colour);
	items(x, &sec->items, 0, width);
}

static void sections(dx *x, const at_group *g, int of_change, int width)
{
	for (size_t i = 0; i < g->n_sections; i++)
		if (of_change < 0 ||
		    at_section_of_change(&g->sections[i]) == (of_change > 0))
			section(x, &g->sections[i], width,
				width < DX_TEXT_W);
}

/* The built-in grid as the paper sheet: practices beside the conditions
 * for change, under their own head. */
static void paper_sheet(dx *x, const at_group *g)
{
	int half = DX_TEXT_W / 2;
	dx_table_open(x, 2, half, half);
	dx_row_open(x, 0);
	dx_cell_open(x, half);
	sections(x, g, 0, half - 216);
	dx_cell_close(x);
	dx_cell_open(x, half);
	dx_p_text(x, "SheetHead", x->l->conditions_for_change, 0);
	sections(x, g, 1, half - 216);
	dx_cell_close(x);
	dx_puts(x, "</w:tr>\n</w:tbl>\n");
}

/* A declared grid's sections two or three a row, in their order. */
static void grid_sheet(dx *x, const at_group *g, size_t cols)
{
	int w = DX_TEXT_W / (int)cols;
	dx_table_open(x, cols, w, w);
	for (size_t i = 0; i < g->n_sections; i += cols) {
		dx_row_open(x, 0);
		for (size_t c = 0; c < cols; c++) {
			dx_cell_open(x, w);
			if (i + c < g->n_sections)
				section(x, &g->sections[i + c], w - 216, 1);
			dx_cell_close(x);
		}
		dx_puts(x, "</w:tr>\n");
	}
	dx_puts(x, "</w:tbl>\n");
}

/* A group's sections laid out as its grid (at_group_layout). */
static void sheet(dx *x, const at_group *g)
{
	if (!g->n_sections)
		return;
	switch (at_group_layout(g)) {
	case AT_LAYOUT_PAPER:
		paper_sheet(x, g);
		break;
	case AT_LAYOUT_ONE:
		sections(x, g, -1, DX_TEXT_W);
		break;
	case AT_LAYOUT_TWO:
	case AT_LAYOUT_SQUARE:
		grid_sheet(x, g, 2);
		break;
	case AT_LAYOUT_FLOW:
		grid_sheet(x, g, 3);
		break;
	}
}

/* "5 personnes · Membres : Jeanne Martin, Paul Durand" */
static void group_meta(dx *x, const at_group *g)
{
	if (!g->size && !g->members.n)
		return;
	at_buf_clear(&x->words);
	if (g->size)
		at_labelf(&x->words, x->l->size, g->size);
	if (g->size && g->members.n)
		at_buf_puts(&x->words, x->l->sep);
	if (g->members.n) {
		at_buf_puts(&x->words, x->l->members);
		at_buf_puts(&x->words, x->l->colon);
		at_say_names(&x->ol, &x->words, &g->members);
	}
	dx_p_text(x, "Meta", at_buf_cstr(&x->words), 0);
}

static void group(dx *x, const at_group *g)
{
	heading(x, 3, NULL, 0);
	dx_run_s(x, at_group_label(g), 0);
	if (g->name && g->theme) {
		dx_run_s(x, x->l->theme_sep, 0);
		dx_run_s(x, g->theme, 0);
	}
	dx_p_close(x);
	group_meta(x, g);
	sheet(x, g);
	figures(x, &g->figures, DX_TEXT_W);
}

/* "Consigne (groupes de 4 à 5 personnes) : L'objectif était..." */
static void brief(dx *x, const at_subgroup_work *w)
{
	if (!w->brief && !w->group_size.min)
		return;
	size_t from = x->doc.len;
	dx_run_s(x, x->l->brief, AT_RUN_BOLD);
	if (w->group_size.min) {
		dx_run_s(x, x->l->space, 0);
		dx_run_s(x, x->l->open, 0);
		group_size(x, &w->group_size, 0);
		dx_run_s(x, x->l->close, 0);
	}
	if (w->brief)
		dx_run_s(x, x->l->colon, 0);
	at_buf lead;
	at_buf_init(&lead);
	capture(x, from, &lead);
	dx_md_block(x, w->brief ? w->brief : "", 2, 0, NULL,
		    at_buf_cstr(&lead));
	if (lead.oom)
		dx_fail(x, AT_ENOMEM);
	at_buf_free(&lead);
}

/* "12 moteurs, 7 freins." */
static void ff_counts(dx *x, at_buf *b, const at_counts *n)
{
	const at_labels *l = x->l;
	at_labelf(b, l->ff_counts, n->drivers,
		  l->driver_word[at_plural(l, n->drivers)], n->brakes,
		  l->brake_word[at_plural(l, n->brakes)]);
}

/* The force field as a picture (ff_image.h), its caption as text. */
static void force_field(dx *x, const at_question *q, size_t num)
{
	at_ff ff;
	if (x->status != AT_OK || !at_ff_of(x->s, q, &ff))
		return;
	at_buf svg, png, alt;
	at_buf_init(&svg);
	at_buf_init(&png);
	at_buf_init(&alt);
	double w = 0, h = 0;
	at_status st = at_ff_svg(x->s, x->l, q, DX_TEXT_W / 20.0, &svg, &w, &h);
	if (st == AT_OK && svg.len)
		st = at_ff_png(&svg, 150, &png);
	if (st == AT_OK && svg.len) {
		at_labelf(&alt, x->l->ff_caption, num);
		at_buf_puts(&alt, x->l->space);
		ff_counts(x, &alt, &ff.total);
		dx_para p = {.style = "Figure", .keep = 1};
		dx_p_open(x, &p);
		dx_picture(x, &svg, &png, w, h, at_buf_cstr(&alt));
		dx_p_close(x);
		dx_para c = {.style = "Caption"};
		dx_p_open(x, &c);
		dx_run_labelf(x, AT_RUN_BOLD, x->l->ff_caption, num);
		at_buf_clear(&x->words);
		at_buf_puts(&x->words, x->l->space);
		ff_counts(x, &x->words, &ff.total);
		at_buf_puts(&x->words, x->l->space);
		at_buf_puts(&x->words, x->l->ff_legend);
		put_words(x, 0);
		dx_p_close(x);
	}
	if (st != AT_OK || svg.oom || png.oom || alt.oom)
		dx_fail(x, st != AT_OK ? st : AT_ENOMEM);
	at_buf_free(&svg);
	at_buf_free(&png);
	at_buf_free(&alt);
}

static void subgroups(dx *x, const at_part *p)
{
	const at_session *s = x->s;
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		const at_subgroup_work *w = q->subgroups;
		if (!at_part_has_question(p, q))
			continue;
		question_heading(x, 2, q, p->anchor);
		brief(x, w);
		for (size_t g = 0; g < w->n_groups; g++)
			group(x, &w->groups[g]);
		force_field(x, q, i + 1);
	}
}

/* ---- 2. brainstorm, 4. kit ---- */

static void brainstorm(dx *x, const at_part *p)
{
	const at_session *s = x->s;
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		if (!at_part_has_question(p, q))
			continue;
		question_heading(x, 2, q, p->anchor);
		items(x, &q->brainstorm->items, 0, DX_TEXT_W);
	}
}

/* "Temps 1 : Etat des lieux : Est-ce que…": step, title and prompt side
 * by side, as the kit was handed out. */
static void step_head(dx *x, const at_kit_step *st)
{
	if (!st->step && !st->title && !st->prompt)
		return;
	dx_para p = {.keep = 1};
	dx_p_open(x, &p);
	if (st->step)
		dx_run_s(x, st->step, AT_RUN_BOLD);
	if (st->step && st->title)
		dx_run_s(x, x->l->colon, AT_RUN_BOLD);
	if (st->title)
		dx_md_inline(x, st->title, AT_RUN_BOLD);
	const char *joint = at_step_joint(&x->ol, st);
	if (joint)
		dx_run_s(x, joint, 0);
	if (st->prompt)
		dx_md_inline(x, st->prompt, 0);
	dx_p_close(x);
}

/* "attendu : Les freins de 3 à 5 · ..." */
static void expectations(dx *x, const at_kit_step *st)
{
	if (!st->n_expect)
		return;
	at_buf_clear(&x->words);
	for (size_t i = 0; i < st->n_expect; i++) {
		const at_expect *e = &st->expect[i];
		if (i)
			at_buf_puts(&x->words, x->l->sep);
		at_labelf(&x->words, x->l->expect,
			  e->def ? at_section_def_label(x->l, e->def)
				 : e->section.s,
			  e->range.min, e->range.max);
	}
	dx_p_text(x, "Meta", at_buf_cstr(&x->words), AT_RUN_ITALIC);
}

static void kit(dx *x, const at_part *p)
{
	const at_session *s = x->s;
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		if (!at_part_has_question(p, q))
			continue;
		question_heading(x, 2, q, p->anchor);
		for (size_t j = 0; j < q->kit->n_steps; j++) {
			const at_kit_step *st = &q->kit->steps[j];
			step_head(x, st);
			items(x, &st->asks, 0, DX_TEXT_W);
			expectations(x, st);
		}
	}
}

/* ---- 5. annex ---- */

static void participants_table(dx *x)
{
	const at_session *s = x->s;
	int has_org = 0, has_role = 0;
	for (size_t i = 0; i < s->n_participants; i++) {
		has_org |= s->participants[i].organisation != NULL;
		has_role |= s->participants[i].role != NULL;
	}
	size_t cols = 1 + (size_t)has_org + (size_t)has_role;
	int w = DX_TEXT_W / (int)cols;
	dx_table_open(x, cols, w, w);
	dx_row_open(x, 1);
	dx_cell_text(x, w, "TableHead", x->l->name);
	if (has_org)
		dx_cell_text(x, w, "TableHead", x->l->organisation);
	if (has_role)
		dx_cell_text(x, w, "TableHead", x->l->role);
	dx_puts(x, "</w:tr>\n");
	for (size_t i = 0; i < s->n_participants; i++) {
		const at_participant *p = &s->participants[i];
		dx_row_open(x, 0);
		dx_cell_text(x, w, "TableText", p->name);
		if (has_org)
			dx_cell_text(x, w, "TableText",
				  p->organisation ? p->organisation : "");
		if (has_role)
			dx_cell_text(x, w, "TableText", p->role ? p->role : "");
		dx_puts(x, "</w:tr>\n");
	}
	dx_puts(x, "</w:tbl>\n");
}

static void annex(dx *x)
{
	const at_session *s = x->s;
	if (s->attendance) {
		at_buf_clear(&x->words);
		at_labelf(&x->words, x->l->participants_count, s->attendance);
		dx_p_text(x, NULL, at_buf_cstr(&x->words), 0);
	}
	if (s->n_participants)
		participants_table(x);
	else if (!s->attendance)
		dx_p_text(x, NULL, x->l->no_list, 0);
}

static void part(dx *x, const at_part *p)
{
	part_heading(x, p);
	switch (p->kind) {
	case AT_PART_SETUP:
		setup(x);
		break;
	case AT_PART_BRAINSTORM:
		brainstorm(x, p);
		break;
	case AT_PART_SUBGROUPS:
		subgroups(x, p);
		break;
	case AT_PART_SYNTHESIS:
		dx_md_block(x, x->s->synthesis, 1, 0, NULL, NULL);
		break;
	case AT_PART_KIT:
		kit(x, p);
		break;
	case AT_PART_ANNEX:
		annex(x);
		break;
	}
}

static void foot(dx *x)
{
	at_buf_clear(&x->words);
	at_labelf(&x->words, x->l->generated, ATELIER_VERSION);
	dx_p_text(x, "Colophon", at_buf_cstr(&x->words), 0);
}

static at_status emit_docx(const at_session *s, FILE *out,
			   const at_emit_options *o, at_diags *d)
{
	dx x;
	if (dx_init(&x, s, o, d)) {
		dx_free(&x);
		return AT_ENOMEM;
	}
	at_status st = dx_check_figures(&x);
	if (st == AT_OK)
		st = dx_add_head(&x);
	if (st == AT_OK) {
		title_block(&x);
		contents(&x);
		for (size_t i = 0; i < x.ol.n_parts; i++)
			part(&x, &x.ol.parts[i]);
		foot(&x);
		st = dx_add_parts(&x);
	}
	if (st == AT_OK)
		st = dx_status(&x);
	if (st == AT_OK)
		st = at_zip_write(x.zip, out);
	dx_free(&x);
	return st;
}

/* The work of the registry's "docx" (src/emit/emitters.c), in a module. */
const at_emitter at_emit_docx = {
	.name = "docx",
	.emit = emit_docx,
};
