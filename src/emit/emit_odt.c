/* emit_odt.c: the compte-rendu as an OpenDocument text (.odt), the file
 * an organiser touches up in LibreOffice or Word before sending it.
 *
 * What it says, in which order and with which numbers, is the outline's
 * (outline.h), as for every format; its words are the labels'. What ODT
 * adds: the word processor's own styles (Title, Heading 1 to 3 with their
 * outline levels, so that its navigator and table of contents work; list
 * styles), items as nested lists, tables for the rotation plan and the
 * participants (their header row repeated on each page), each group's
 * sections laid out as its grid says in a table, figures embedded. The
 * writer is odt_text.c, the container odt_parts.c, the styles
 * odt_styles.c. The bytes depend on the input only. */
#include <stdio.h>
#include <string.h>

#include "odt_out.h"

/* Outline levels: a part, then a piece of it, then a question or a
 * group inside that piece. */
enum { PART = 1, PIECE = 2, INNER = 3 };

/* ---- small pieces ---- */

static void question_label(at_odt *w, size_t num)
{
	at_odt_printf(w, "%s %zu", w->l->question, num);
}

/* "Question 1 : <title>" as a heading's content. */
static void question_heading(at_odt *w, const at_question *q, size_t num)
{
	question_label(w, num);
	at_odt_text(w, w->l->colon);
	at_odt_md(w, q->title);
}

/* The anchor the HTML page gives the same place: "setup",
 * "brainstorm-2" (num 0: the prefix alone). */
static void anchor_of(char *buf, size_t size, const char *prefix, size_t num)
{
	if (num)
		snprintf(buf, size, "%s-%zu", prefix, num);
	else
		snprintf(buf, size, "%s", prefix);
}

static void heading(at_odt *w, int level, const char *prefix, size_t num)
{
	char anchor[64];
	anchor_of(anchor, sizeof anchor, prefix, num);
	at_odt_h_open(w, level, anchor);
}

static void meta_open(at_odt *w)
{
	at_odt_text(w, w->l->space);
	at_odt_puts(w, "<text:span text:style-name=\"Meta\">");
}

static void meta_sep(at_odt *w, int *first)
{
	if (!*first)
		at_odt_text(w, w->l->sep);
	*first = 0;
}

static void group_size(at_odt *w, const at_range *r)
{
	at_buf_clear(&w->words);
	at_format_group_size(&w->words, w->l, r);
	at_odt_words(w);
}

/* ---- items ---- */

/* Who said it, where, how much it weighed: small, after the text. */
static void item_meta(at_odt *w, const at_facts *f)
{
	if (!f->any)
		return;
	meta_open(w);
	at_buf_clear(&w->words);
	at_say_facts(&w->ol, &w->words, f);
	at_odt_words(w);
	if (f->link) {
		if (w->words.len)
			at_odt_text(w, w->l->sep);
		at_odt_link(w, f->link, w->l->link);
	}
	at_odt_puts(w, "</text:span>");
}

static void items(at_odt *w, const at_items *list);

static void item(at_odt *w, const at_item *it)
{
	at_facts f = at_item_facts(&w->ol, it);
	at_odt_puts(w, "<text:p text:style-name=\"List_20_Contents\">");
	at_odt_md(w, it->text);
	item_meta(w, &f);
	at_odt_puts(w, "</text:p>\n");
	if (f.note) {
		at_odt_para(w, "Label", w->l->note);
		at_odt_block(w, f.note, INNER, "List_20_Contents");
	}
	items(w, &it->items);
}

/* Items as the tree they are: a list, each item's children a list in
 * it, figures in place. Depth is bounded by the loader's limits. */
static void items(at_odt *w, const at_items *list)
{
	if (!list->n)
		return;
	at_odt_puts(w, "<text:list text:style-name=\"List_20_Bullet\">\n");
	w->items++;
	for (size_t i = 0; i < list->n; i++) {
		const at_item *it = &list->v[i];
		at_odt_puts(w, "<text:list-item>");
		if (it->figure)
			at_odt_figure(w, it->figure);
		else
			item(w, it);
		at_odt_puts(w, "</text:list-item>\n");
	}
	w->items--;
	at_odt_puts(w, "</text:list>\n");
}

static void figures(at_odt *w, const at_figures *f)
{
	for (size_t i = 0; i < f->n; i++)
		at_odt_figure(w, &f->v[i]);
}

/* ---- title block, contents ---- */

static void masthead(at_odt *w)
{
	const at_session *s = w->s;
	/* The first paragraph starts the first page, without header and
	 * footer. */
	if (s->organiser)
		at_odt_para(w, "FirstPage", s->organiser);
	at_odt_para(w, s->organiser ? "Kicker" : "FirstPageKicker",
		    w->l->report);
	at_odt_puts(w, "<text:p text:style-name=\"Title\">");
	at_odt_md(w, s->title);
	at_odt_puts(w, "</text:p>\n");
	if (s->subtitle)
		at_odt_para(w, "Subtitle", s->subtitle);
	char date[64];
	at_format_date(w->l, &s->date, date, sizeof date);
	at_odt_puts(w, "<text:p text:style-name=\"When\">");
	at_odt_text(w, w->l->workshop_of);
	at_odt_text(w, w->l->space);
	at_odt_text(w, date);
	if (s->place) {
		at_odt_text(w, w->l->sep);
		at_odt_text(w, s->place);
	}
	at_odt_puts(w, "</text:p>\n");
	if (s->facilitators.n) {
		at_odt_puts(w, "<text:p text:style-name=\"Facilitators\">");
		at_odt_text(w, w->l->facilitators);
		at_odt_text(w, w->l->colon);
		for (size_t i = 0; i < s->facilitators.n; i++) {
			if (i)
				at_odt_text(w, w->l->list_sep);
			at_odt_text(w, s->facilitators.v[i].s);
		}
		at_odt_puts(w, "</text:p>\n");
	}
}

/* "2. Mise à plat des idées fortes : brainstorming" */
static void part_title(at_odt *w, const at_part *p)
{
	at_buf_clear(&w->words);
	at_part_title(&w->ol, p, &w->words);
	at_odt_words(w);
}

static void toc_entry_open(at_odt *w, int level, const char *prefix,
			   size_t num)
{
	char anchor[64];
	anchor_of(anchor, sizeof anchor, prefix, num);
	at_odt_printf(w, "<text:p text:style-name=\"Contents_20_%d\">"
			 "<text:a xlink:type=\"simple\" xlink:href=\"#%s\" "
			 "text:style-name=\"Index_20_Link\" "
			 "text:visited-style-name=\"Index_20_Link\">",
		      level, anchor);
}

static void toc_part(at_odt *w, const at_part *p)
{
	toc_entry_open(w, 1, p->anchor, 0);
	part_title(w, p);
	at_odt_puts(w, "</text:a></text:p>\n");
	if (p->kind == AT_PART_SETUP) {
		for (at_setup_kind k = AT_SETUP_CONTEXT; k <= AT_SETUP_METHOD; k++)
			if (at_setup_has(&w->ol, k)) {
				toc_entry_open(w, 2, at_setup_anchor(k), 0);
				at_odt_text(w, at_setup_title(&w->ol, k));
				at_odt_puts(w, "</text:a></text:p>\n");
			}
		return;
	}
	if (p->kind == AT_PART_SYNTHESIS || p->kind == AT_PART_ANNEX)
		return;
	for (size_t i = 0; i < w->s->n_questions; i++) {
		if (!at_part_has_question(p, &w->s->questions[i]))
			continue;
		toc_entry_open(w, 2, p->anchor, i + 1);
		question_label(w, i + 1);
		at_odt_puts(w, "</text:a></text:p>\n");
	}
}

/* The word processor's own table of contents over Heading 1 and 2, its
 * body written as the HTML page's (no page numbers: the reader's
 * "Update index" adds them). */
static void toc(at_odt *w)
{
	at_odt_puts(w, "<text:table-of-content text:name=\"Contents\" "
		       "text:protected=\"false\"><text:table-of-content-source "
		       "text:outline-level=\"2\" text:use-index-marks=\"false\">"
		       "<text:index-title-template text:style-name="
		       "\"Contents_20_Heading\">");
	at_odt_text(w, w->l->contents);
	at_odt_puts(w, "</text:index-title-template>");
	for (int k = 1; k <= 2; k++)
		at_odt_printf(w, "<text:table-of-content-entry-template "
				 "text:outline-level=\"%d\" text:style-name="
				 "\"Contents_20_%d\"><text:index-entry-link-start "
				 "text:style-name=\"Index_20_Link\"/>"
				 "<text:index-entry-text/><text:index-entry-tab-stop "
				 "style:type=\"right\" style:leader-char=\".\"/>"
				 "<text:index-entry-page-number/>"
				 "<text:index-entry-link-end/>"
				 "</text:table-of-content-entry-template>",
			      k, k);
	at_odt_puts(w, "</text:table-of-content-source><text:index-body>"
		       "<text:index-title text:name=\"Contents_Head\">"
		       "<text:p text:style-name=\"Contents_20_Heading\">");
	at_odt_text(w, w->l->contents);
	at_odt_puts(w, "</text:p></text:index-title>\n");
	for (size_t i = 0; i < w->ol.n_parts; i++)
		toc_part(w, &w->ol.parts[i]);
	at_odt_puts(w, "</text:index-body></text:table-of-content>\n");
}

static void part_open(at_odt *w, const at_part *p)
{
	at_odt_h_open(w, PART, p->anchor);
	part_title(w, p);
	at_odt_h_close(w);
}

/* ---- tables ---- */

static void table_open(at_odt *w, const char *style, size_t cols)
{
	at_odt_printf(w, "<table:table table:name=\"Table%u\" "
			 "table:style-name=\"%s\">\n<table:table-column "
			 "table:style-name=\"GridColumn\" "
			 "table:number-columns-repeated=\"%zu\"/>\n",
		      at_odt_table_no(w), style, cols);
}

static void cell_open(at_odt *w, const char *style)
{
	at_odt_printf(w, "<table:table-cell table:style-name=\"%s\" "
			 "office:value-type=\"string\">",
		      style);
}

static void head_cell(at_odt *w, const char *text)
{
	cell_open(w, "GridCell");
	at_odt_para(w, "Table_20_Heading", text);
	at_odt_puts(w, "</table:table-cell>");
}

static void text_cell(at_odt *w, const char *text)
{
	cell_open(w, "GridCell");
	at_odt_para(w, "Table_20_Contents", text ? text : "");
	at_odt_puts(w, "</table:table-cell>");
}

/* ---- 1. setting up the workshop ---- */

static void context(at_odt *w)
{
	if (w->s->context)
		at_odt_block(w, w->s->context, PIECE, "Text_20_body");
	figures(w, &w->s->figures);
}

static void questions(at_odt *w)
{
	const at_session *s = w->s;
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		heading(w, INNER, "question", i + 1);
		question_heading(w, q, i + 1);
		at_odt_h_close(w);
		if (!q->prompts.n)
			continue;
		at_odt_para(w, "Label", w->l->prompts);
		at_odt_puts(w, "<text:list text:style-name=\"List_20_Bullet\">\n");
		for (size_t k = 0; k < q->prompts.n; k++) {
			at_odt_puts(w, "<text:list-item><text:p text:style-name="
				       "\"List_20_Contents\">");
			at_odt_md(w, q->prompts.v[k].s);
			at_odt_puts(w, "</text:p></text:list-item>\n");
		}
		at_odt_puts(w, "</text:list>\n");
	}
}

static void phase(at_odt *w, const at_phase *p)
{
	at_odt_puts(w, "<text:list-item><text:p text:style-name="
		       "\"List_20_Contents\"><text:span text:style-name="
		       "\"Strong_20_Emphasis\">");
	at_odt_text(w, at_phase_label(w->l, p));
	at_odt_puts(w, "</text:span>");
	if (p->minutes || p->group_size.min) {
		int first = 1;
		meta_open(w);
		if (p->minutes) {
			meta_sep(w, &first);
			at_odt_labelf(w, w->l->minutes, p->minutes);
		}
		if (p->group_size.min) {
			meta_sep(w, &first);
			group_size(w, &p->group_size);
		}
		at_odt_puts(w, "</text:span>");
	}
	at_odt_puts(w, "</text:p>\n");
	if (p->text)
		at_odt_block(w, p->text, INNER, "List_20_Contents");
	at_odt_puts(w, "</text:list-item>\n");
}

/* Each table of a rotation-plan cell with its host, a line each. */
static void round_tables(at_odt *w, const at_round_cell *c)
{
	for (size_t i = 0; i < c->tables.n; i++) {
		const char *id = c->tables.v[i].s;
		const at_table *t = at_session_table(w->s, id);
		at_odt_puts(w, "<text:p text:style-name=\"Table_20_Contents\">");
		at_buf_clear(&w->words);
		at_say_table(&w->ol, &w->words, id);
		at_odt_words(w);
		if (t && t->host) {
			meta_open(w);
			at_odt_text(w, w->l->host);
			at_odt_text(w, w->l->space);
			at_odt_text(w, t->host);
			at_odt_puts(w, "</text:span>");
		}
		at_odt_puts(w, "</text:p>\n");
	}
}

/* "Tour 1 20 min" */
static void round_heading(at_odt *w, const at_round *round, size_t num)
{
	at_odt_printf(w, "%s %zu", w->l->round, num);
	if (round->minutes) {
		meta_open(w);
		at_odt_labelf(w, w->l->minutes, round->minutes);
		at_odt_puts(w, "</text:span>");
	}
}

/* The rotation plan as a list, a round per item: past what a grid holds
 * (at_session_rotation_is_grid). */
static void rotation_list(at_odt *w)
{
	const at_session *s = w->s;
	at_odt_para(w, "Table_20_Caption", w->l->rotation_plan);
	at_odt_puts(w, "<text:list text:style-name=\"List_20_Bullet\">\n");
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		at_odt_puts(w, "<text:list-item><text:p text:style-name="
			       "\"List_20_Contents\">");
		round_heading(w, round, r + 1);
		at_odt_puts(w, "</text:p><text:list>\n");
		for (size_t c = 0; c < round->n_cells; c++) {
			const at_round_cell *cell = &round->cells[c];
			if (!cell->q)
				continue;
			at_odt_puts(w, "<text:list-item><text:p text:style-name="
				       "\"List_20_Contents\">");
			question_label(w, (size_t)(cell->q - s->questions) + 1);
			at_odt_puts(w, "</text:p>");
			round_tables(w, cell);
			at_odt_puts(w, "</text:list-item>\n");
		}
		at_odt_puts(w, "</text:list></text:list-item>\n");
	}
	at_odt_puts(w, "</text:list>\n");
}

static const at_round_cell *cell_for(const at_round *r, const at_question *q)
{
	for (size_t i = 0; i < r->n_cells; i++)
		if (r->cells[i].q == q)
			return &r->cells[i];
	return NULL;
}

/* Rounds down, questions across; the header row repeats on each page. */
static void rotation_plan(at_odt *w)
{
	const at_session *s = w->s;
	if (!at_session_rotation_is_grid(s)) {
		rotation_list(w);
		return;
	}
	at_odt_para(w, "Table_20_Caption", w->l->rotation_plan);
	table_open(w, "Grid", s->n_questions + 1);
	at_odt_puts(w, "<table:table-header-rows><table:table-row>");
	head_cell(w, w->l->round);
	for (size_t q = 0; q < s->n_questions; q++) {
		char label[64];
		snprintf(label, sizeof label, "%s %zu", w->l->question, q + 1);
		head_cell(w, label);
	}
	at_odt_puts(w, "</table:table-row></table:table-header-rows>\n");
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		at_odt_puts(w, "<table:table-row>");
		cell_open(w, "GridCell");
		at_odt_puts(w, "<text:p text:style-name=\"Table_20_Heading\">");
		round_heading(w, round, r + 1);
		at_odt_puts(w, "</text:p></table:table-cell>");
		for (size_t q = 0; q < s->n_questions; q++) {
			const at_round_cell *c = cell_for(round, &s->questions[q]);
			cell_open(w, "GridCell");
			if (c && c->tables.n)
				round_tables(w, c);
			else
				at_odt_para(w, "Table_20_Contents", "");
			at_odt_puts(w, "</table:table-cell>");
		}
		at_odt_puts(w, "</table:table-row>\n");
	}
	at_odt_puts(w, "</table:table>\n");
}

static void method(at_odt *w)
{
	const at_session *s = w->s;
	if (s->method)
		at_odt_block(w, s->method, PIECE, "Text_20_body");
	if (s->n_phases) {
		at_odt_puts(w, "<text:list text:style-name=\"Numbering_20_123\">\n");
		w->items++;
		for (size_t i = 0; i < s->n_phases; i++)
			phase(w, &s->phases[i]);
		w->items--;
		at_odt_puts(w, "</text:list>\n");
	}
	if (s->n_rounds)
		rotation_plan(w);
}

static void setup(at_odt *w, const at_part *p)
{
	static void (*const write[])(at_odt *) = {context, questions, method};
	part_open(w, p);
	for (at_setup_kind k = AT_SETUP_CONTEXT; k <= AT_SETUP_METHOD; k++) {
		if (!at_setup_has(&w->ol, k))
			continue;
		at_odt_h_open(w, PIECE, at_setup_anchor(k));
		at_odt_text(w, at_setup_title(&w->ol, k));
		at_odt_h_close(w);
		write[k](w);
	}
}

/* ---- 2. the brainstorm ---- */

static void brainstorm(at_odt *w, const at_part *p)
{
	const at_session *s = w->s;
	part_open(w, p);
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		if (!at_part_has_question(p, q))
			continue;
		heading(w, PIECE, "brainstorm", i + 1);
		question_label(w, i + 1);
		at_odt_h_close(w);
		at_odt_puts(w, "<text:p text:style-name=\"Question_20_Title\">");
		at_odt_md(w, q->title);
		at_odt_puts(w, "</text:p>\n");
		items(w, &q->brainstorm->items);
	}
}

/* ---- 3. the sub-group work ---- */

static void section(at_odt *w, const at_section *sec)
{
	static const char *const style[] = {"Section", "Section_20_Driver",
					    "Section_20_Brake"};
	at_force force = sec->def ? sec->def->force : AT_FORCE_NONE;
	at_odt_para(w, style[force], at_section_label(w->l, sec));
	items(w, &sec->items);
}

static void sections(at_odt *w, const at_group *g, int of_change)
{
	for (size_t i = 0; i < g->n_sections; i++)
		if (of_change < 0 ||
		    at_section_of_change(&g->sections[i]) == (of_change > 0))
			section(w, &g->sections[i]);
}

/* The built-in grid as the paper sheet: practices beside the conditions
 * for change under their own head. */
static void paper_sheet(at_odt *w, const at_group *g)
{
	table_open(w, "Sheet", 2);
	at_odt_puts(w, "<table:table-row>");
	cell_open(w, "SheetCell");
	sections(w, g, 0);
	at_odt_puts(w, "</table:table-cell>");
	cell_open(w, "SheetCell");
	at_odt_para(w, "Column_20_Head", w->l->conditions_for_change);
	sections(w, g, 1);
	at_odt_puts(w, "</table:table-cell></table:table-row>\n</table:table>\n");
}

/* A group's sections laid out as its grid (at_group_layout), in a table
 * without frames: one column, two, two by two, or three across for any
 * other count. */
static void sheet(at_odt *w, const at_group *g)
{
	if (!g->n_sections)
		return;
	at_layout layout = at_group_layout(g);
	if (layout == AT_LAYOUT_PAPER) {
		paper_sheet(w, g);
		return;
	}
	if (layout == AT_LAYOUT_ONE) {
		sections(w, g, -1);
		return;
	}
	size_t cols = layout == AT_LAYOUT_FLOW ? 3 : 2;
	if (cols > g->n_sections)
		cols = g->n_sections;
	table_open(w, "Sheet", cols);
	size_t rows = (g->n_sections + cols - 1) / cols;
	for (size_t i = 0; i < rows * cols; i++) {
		if (i % cols == 0)
			at_odt_puts(w, "<table:table-row>");
		cell_open(w, "SheetCell");
		if (i < g->n_sections)
			section(w, &g->sections[i]);
		else
			at_odt_para(w, "Table_20_Contents", "");
		at_odt_puts(w, "</table:table-cell>");
		if (i % cols == cols - 1)
			at_odt_puts(w, "</table:table-row>\n");
	}
	at_odt_puts(w, "</table:table>\n");
}

static void group_meta(at_odt *w, const at_group *g)
{
	if (!g->size && !g->members.n)
		return;
	int first = 1;
	at_odt_puts(w, "<text:p text:style-name=\"Facts\">");
	if (g->size) {
		meta_sep(w, &first);
		at_odt_labelf(w, w->l->size, g->size);
	}
	if (g->members.n) {
		meta_sep(w, &first);
		at_odt_text(w, w->l->members);
		at_odt_text(w, w->l->colon);
		at_buf_clear(&w->words);
		at_say_names(&w->ol, &w->words, &g->members);
		at_odt_words(w);
	}
	at_odt_puts(w, "</text:p>\n");
}

static void group(at_odt *w, const at_group *g)
{
	at_odt_h_open(w, INNER, NULL);
	at_odt_text(w, at_group_label(g));
	if (g->name && g->theme) {
		at_odt_text(w, w->l->theme_sep);
		at_odt_text(w, g->theme);
	}
	at_odt_h_close(w);
	group_meta(w, g);
	sheet(w, g);
	figures(w, &g->figures);
}

static void brief(at_odt *w, const at_subgroup_work *sw)
{
	if (!sw->brief && !sw->group_size.min)
		return;
	at_odt_puts(w, "<text:p text:style-name=\"Label\">");
	at_odt_text(w, w->l->brief);
	if (sw->group_size.min) {
		meta_open(w);
		at_odt_text(w, w->l->sep);
		group_size(w, &sw->group_size);
		at_odt_puts(w, "</text:span>");
	}
	at_odt_puts(w, "</text:p>\n");
	if (sw->brief)
		at_odt_block(w, sw->brief, INNER, "Text_20_body");
}

static void subgroups(at_odt *w, const at_part *p)
{
	const at_session *s = w->s;
	part_open(w, p);
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		const at_subgroup_work *sw = q->subgroups;
		if (!at_part_has_question(p, q))
			continue;
		heading(w, PIECE, "subgroups", i + 1);
		question_heading(w, q, i + 1);
		at_odt_h_close(w);
		brief(w, sw);
		for (size_t g = 0; g < sw->n_groups; g++)
			group(w, &sw->groups[g]);
		at_odt_force_field(w, q, i + 1);
	}
}

/* ---- 4. the kit ---- */

/* "Temps 1 : Etat des lieux : Est-ce que…", the head in bold. */
static void step_head(at_odt *w, const at_kit_step *st)
{
	if (!st->step && !st->title && !st->prompt)
		return;
	at_odt_puts(w, "<text:p text:style-name=\"Text_20_body\">");
	if (st->step || st->title) {
		at_odt_puts(w, "<text:span text:style-name=\"Strong_20_Emphasis\">");
		if (st->step)
			at_odt_text(w, st->step);
		if (st->step && st->title)
			at_odt_text(w, w->l->colon);
		if (st->title)
			at_odt_md(w, st->title);
		at_odt_puts(w, "</text:span>");
	}
	const char *joint = at_step_joint(&w->ol, st);
	if (joint)
		at_odt_text(w, joint);
	if (st->prompt)
		at_odt_md(w, st->prompt);
	at_odt_puts(w, "</text:p>\n");
}

static void expectations(at_odt *w, const at_kit_step *st)
{
	if (!st->n_expect)
		return;
	at_odt_puts(w, "<text:list text:style-name=\"List_20_Bullet\">\n");
	for (size_t i = 0; i < st->n_expect; i++) {
		const at_expect *e = &st->expect[i];
		const char *what = e->def ? at_section_def_label(w->l, e->def)
					  : e->section.s;
		at_odt_puts(w, "<text:list-item><text:p text:style-name=\"Facts\">");
		at_odt_labelf(w, w->l->expect, what, e->range.min, e->range.max);
		at_odt_puts(w, "</text:p></text:list-item>\n");
	}
	at_odt_puts(w, "</text:list>\n");
}

static void kit(at_odt *w, const at_part *p)
{
	const at_session *s = w->s;
	part_open(w, p);
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		const at_kit *k = q->kit;
		if (!at_part_has_question(p, q))
			continue;
		heading(w, PIECE, "kit", i + 1);
		question_heading(w, q, i + 1);
		at_odt_h_close(w);
		for (size_t j = 0; j < k->n_steps; j++) {
			step_head(w, &k->steps[j]);
			items(w, &k->steps[j].asks);
			expectations(w, &k->steps[j]);
		}
	}
}

/* ---- 5. synthesis, annex ---- */

static void synthesis(at_odt *w, const at_part *p)
{
	part_open(w, p);
	at_odt_block(w, w->s->synthesis, PART, "Text_20_body");
}

static void participants_table(at_odt *w)
{
	const at_session *s = w->s;
	int has_org = 0, has_role = 0;
	for (size_t i = 0; i < s->n_participants; i++) {
		has_org |= s->participants[i].organisation != NULL;
		has_role |= s->participants[i].role != NULL;
	}
	table_open(w, "Grid", 1 + (size_t)has_org + (size_t)has_role);
	at_odt_puts(w, "<table:table-header-rows><table:table-row>");
	head_cell(w, w->l->name);
	if (has_org)
		head_cell(w, w->l->organisation);
	if (has_role)
		head_cell(w, w->l->role);
	at_odt_puts(w, "</table:table-row></table:table-header-rows>\n");
	for (size_t i = 0; i < s->n_participants; i++) {
		const at_participant *p = &s->participants[i];
		at_odt_puts(w, "<table:table-row>");
		text_cell(w, p->name);
		if (has_org)
			text_cell(w, p->organisation);
		if (has_role)
			text_cell(w, p->role);
		at_odt_puts(w, "</table:table-row>\n");
	}
	at_odt_puts(w, "</table:table>\n");
}

static void annex(at_odt *w, const at_part *p)
{
	const at_session *s = w->s;
	part_open(w, p);
	if (s->attendance) {
		at_odt_puts(w, "<text:p text:style-name=\"Text_20_body\">");
		at_odt_labelf(w, w->l->participants_count, s->attendance);
		at_odt_puts(w, "</text:p>\n");
	}
	if (s->n_participants)
		participants_table(w);
	else if (!s->attendance)
		at_odt_para(w, "Text_20_body", w->l->no_list);
}

static void part(at_odt *w, const at_part *p)
{
	static void (*const write[])(at_odt *, const at_part *) = {
		[AT_PART_SETUP] = setup,	 [AT_PART_BRAINSTORM] = brainstorm,
		[AT_PART_SUBGROUPS] = subgroups, [AT_PART_SYNTHESIS] = synthesis,
		[AT_PART_KIT] = kit,		 [AT_PART_ANNEX] = annex};
	write[p->kind](w, p);
}

static at_status emit_odt(const at_session *s, FILE *out,
			  const at_emit_options *o, at_diags *d)
{
	at_odt w;
	if (at_odt_init(&w, s, o, d)) {
		at_odt_free(&w);
		return AT_ENOMEM;
	}
	at_status st = at_odt_check_figures(&w);
	if (st == AT_OK) {
		at_odt_content_open(&w);
		masthead(&w);
		toc(&w);
		for (size_t i = 0; i < w.ol.n_parts; i++)
			part(&w, &w.ol.parts[i]);
		at_odt_puts(&w, "<text:p text:style-name=\"Generated\">");
		at_odt_labelf(&w, w.l->generated, ATELIER_VERSION);
		at_odt_puts(&w, "</text:p>\n");
		if (w.ol.oom || w.ol.scratch.oom || w.words.oom || w.tmp.oom)
			w.status = AT_ENOMEM;
		st = at_odt_write(&w, out);
	}
	at_odt_free(&w);
	if (st == AT_OK && ferror(out))
		st = AT_EIO;
	return st;
}

/* The work of the registry's "odt" (src/emit/emitters.c), in a module. */
const at_emitter at_emit_odt = {
	.name = "odt",
	.emit = emit_odt,
};
