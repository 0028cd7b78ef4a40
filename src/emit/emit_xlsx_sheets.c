/* emit_xlsx_sheets.c: the spreadsheet's sheets after Contributions:
 * Forces (when the grid declares a force), Participants, Session and
 * Questions (docs/spreadsheet.md describes them). */
#include <stdio.h>
#include <string.h>

#include "emit_xlsx.h"
#include "text.h"

/* ---- Forces ---- */

static void put_counts(xw *w, sheet *sh, const force_counts *fc,
		       lxw_format *f)
{
	xw_put_num(w, sh, 3, (double)fc->drivers, f);
	xw_put_num(w, sh, 4, (double)fc->brakes, f);
	xw_put_num(w, sh, 5, (double)fc->others, f);
	xw_put_num(w, sh, 6, (double)(fc->drivers + fc->brakes + fc->others), f);
}

/* A clustered column chart of one question's drivers against its brakes,
 * one pair of bars per sub-group: the force field of the report. */
static void add_chart(xw *w, sheet *sh, const at_question *q,
		      lxw_row_t first, lxw_row_t last, size_t nth)
{
	if (w->status != AT_OK)
		return;
	lxw_chart *chart = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
	if (!chart) {
		xw_fail_nomem(w);
		return;
	}
	static const lxw_color_t colour[2] = {0x2E7D32, 0xC62828};
	for (lxw_col_t k = 0; k < 2; k++) {
		lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
		if (!series) {
			xw_fail_nomem(w);
			return;
		}
		chart_series_set_categories(series, sh->name, first, 2, last, 2);
		chart_series_set_values(series, sh->name, first, 3 + k, last,
					3 + k);
		chart_series_set_name_range(series, sh->name, 0, 3 + k);
		lxw_chart_fill fill = {colour[k], 0, 0};
		chart_series_set_fill(series, &fill);
	}
	at_buf title;
	at_buf_init(&title);
	/* Titled with the question, as the report's force field is; the
	 * label first, so the name never reads as a formula ("=A1"), and
	 * only characters XML accepts (the library escapes markup only). */
	at_buf_printf(&title, "%s — ", w->l->force_field);
	at_text_for_xml(&title, q->title ? xw_plain(w, q->title) : q->id.s);
	chart_title_set_name(chart, at_buf_cstr(&title));
	lxw_chart_font font;
	memset(&font, 0, sizeof font);
	font.size = 12;
	font.bold = 1;
	chart_title_set_name_font(chart, &font);
	if (title.oom)
		xw_fail_nomem(w);
	at_buf_free(&title);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	lxw_chart_options opt;
	memset(&opt, 0, sizeof opt);
	opt.x_scale = 1.5;
	opt.y_scale = 1.2;
	if (w->status == AT_OK)
		xw_fail_lxw(w, worksheet_insert_chart_opt(
				    sh->ws, (lxw_row_t)(1 + nth * CHART_ROWS),
				    CHART_COL, chart, &opt));
}

static void write_question_forces(xw *w, sheet *sh, size_t qi, size_t nth)
{
	const at_question *q = &w->s->questions[qi];
	const at_subgroup_work *sw = q->subgroups;
	at_buf name;
	at_buf_init(&name);
	force_counts sum = {0, 0, 0};
	lxw_row_t first = sh->row;
	for (size_t g = 0; g < sw->n_groups; g++) {
		const force_counts *fc = &w->forces[w->forces_first[qi] + g];
		xw_put_str(w, sh, 0, q->id.s, w->top, q->pos, w->xl->forces_head[0]);
		xw_put_md(w, sh, 1, q->title, w->wrap, q->pos, w->xl->forces_head[1]);
		at_buf_clear(&name);
		at_rows_group_name(&name, &sw->groups[g]);
		xw_put_str(w, sh, 2, at_buf_cstr(&name), w->top, sw->groups[g].pos,
			w->xl->forces_head[2]);
		put_counts(w, sh, fc, w->top);
		sum.drivers += fc->drivers;
		sum.brakes += fc->brakes;
		sum.others += fc->others;
		xw_next_row(w, sh);
	}
	if (name.oom)
		xw_fail_nomem(w);
	at_buf_free(&name);
	add_chart(w, sh, q, first, sh->row - 1, nth);
	xw_put_str(w, sh, 0, q->id.s, w->bold, q->pos, w->xl->forces_head[0]);
	xw_put_str(w, sh, 2, w->xl->total, w->bold, q->pos, w->xl->total);
	put_counts(w, sh, &sum, w->bold);
	xw_next_row(w, sh);
}

void xw_write_forces(xw *w)
{
	sheet sh;
	if (!xw_new_sheet(w, &sh, w->xl->sheet[SHEET_FORCES]))
		return;
	static const double width[7] = {12, 50, 28, 10, 10, 18, 8};
	static const int wrap[7] = {0, 1, 0, 0, 0, 0, 0};
	xw_set_widths(w, &sh, width, 7, wrap);
	xw_put_header(w, &sh, w->xl->forces_head, 7);
	size_t nth = 0;
	for (size_t q = 0; q < w->s->n_questions; q++) {
		const at_subgroup_work *sw = w->s->questions[q].subgroups;
		if (sw && sw->n_groups)
			write_question_forces(w, &sh, q, nth++);
	}
	if (nth == 0)
		return;
	xw_put_str(w, &sh, 0, w->xl->all_questions, w->bold, (at_pos){0, 0},
		w->xl->total);
	xw_put_str(w, &sh, 2, w->xl->total, w->bold, (at_pos){0, 0},
		w->xl->total);
	put_counts(w, &sh, &w->total, w->bold);
}

/* ---- Participants ---- */

/* "q1 : Sous-groupe 1; q2 : Sous-groupe 3": the groups p was a member of. */
static void groups_of(xw *w, const at_participant *p, at_buf *out)
{
	const char *sep = w->l->colon;
	for (size_t q = 0; q < w->s->n_questions; q++) {
		const at_subgroup_work *sw = w->s->questions[q].subgroups;
		for (size_t g = 0; sw && g < sw->n_groups; g++) {
			const at_strs *m = &sw->groups[g].members;
			for (size_t i = 0; i < m->n; i++) {
				if (strcmp(m->v[i].s, p->id.s) != 0)
					continue;
				if (out->len)
					at_buf_puts(out, "; ");
				at_buf_printf(out, "%s%s",
					      w->s->questions[q].id.s, sep);
				at_rows_group_name(out, &sw->groups[g]);
				break;
			}
		}
	}
}

void xw_write_participants(xw *w)
{
	sheet sh;
	if (!xw_new_sheet(w, &sh, w->xl->sheet[SHEET_PARTICIPANTS]))
		return;
	static const double width[4] = {30, 40, 30, 50};
	static const int wrap[4] = {1, 1, 1, 1};
	xw_set_widths(w, &sh, width, 4, wrap);
	const at_session *s = w->s;
	if (s->n_participants == 0) {
		at_buf count;
		at_buf_init(&count);
		if (s->attendance)
			at_labelf(&count, w->l->participants_count,
				       s->attendance);
		else
			at_buf_puts(&count, w->l->no_list);
		if (count.oom)
			xw_fail_nomem(w);
		xw_put_str(w, &sh, 0, at_buf_cstr(&count), w->top,
			s->attendance_pos, w->l->annex);
		at_buf_free(&count);
		return;
	}
	const char *head[4] = {w->l->name, w->l->organisation, w->l->role,
			       w->xl->groups_of};
	xw_put_header(w, &sh, head, 4);
	at_buf groups;
	at_buf_init(&groups);
	for (size_t i = 0; i < s->n_participants && w->status == AT_OK; i++) {
		const at_participant *p = &s->participants[i];
		xw_put_str(w, &sh, 0, p->name, w->wrap, p->pos, head[0]);
		xw_put_str(w, &sh, 1, p->organisation, w->wrap, p->pos, head[1]);
		xw_put_str(w, &sh, 2, p->role, w->wrap, p->pos, head[2]);
		at_buf_clear(&groups);
		groups_of(w, p, &groups);
		if (groups.oom)
			xw_fail_nomem(w);
		xw_put_str(w, &sh, 3, at_buf_cstr(&groups), w->wrap, p->pos,
			head[3]);
		xw_next_row(w, &sh);
	}
	at_buf_free(&groups);
}

/* ---- Session ---- */

static void kv_str(xw *w, sheet *sh, const char *key, const char *value,
		   at_pos pos)
{
	if (!value || !*value)
		return;
	xw_put_str(w, sh, 0, key, w->bold, pos, key);
	xw_put_str(w, sh, 1, value, w->wrap, pos, key);
	xw_next_row(w, sh);
}

static void kv_num(xw *w, sheet *sh, const char *key, double v)
{
	xw_put_str(w, sh, 0, key, w->bold, (at_pos){0, 0}, key);
	xw_put_num(w, sh, 1, v, w->left);
	xw_next_row(w, sh);
}

static void kv_figures(xw *w, sheet *sh, const at_figures *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const at_figure *fig = &f->v[i];
		xw_put_str(w, sh, 0, w->l->figure, w->bold, fig->pos, w->l->figure);
		xw_put_md(w, sh, 1, fig->caption ? fig->caption : fig->alt, w->wrap,
		       fig->pos, w->l->figure);
		xw_put_figure(w, sh, 2, fig);
		xw_next_row(w, sh);
	}
}

static void kv_phase(xw *w, sheet *sh, const at_phase *p)
{
	at_buf b;
	at_buf_init(&b);
	if (p->minutes)
		at_labelf(&b, w->l->minutes, p->minutes);
	if (p->group_size.min && b.len)
		at_buf_puts(&b, " · ");
	at_format_group_size(&b, w->l, &p->group_size);
	const char *label = at_phase_label(w->l, p);
	if (b.len) {
		kv_str(w, sh, label, at_buf_cstr(&b), p->pos);
		label = NULL;
	}
	if (b.oom)
		xw_fail_nomem(w);
	at_buf_free(&b);
	if (p->text) {
		xw_put_block(w, sh, label, p->text, p->pos, at_phase_label(w->l, p));
	} else if (label) {
		xw_put_str(w, sh, 0, label, w->bold, p->pos, label);
		xw_next_row(w, sh);
	}
}

static void kv_tables(xw *w, sheet *sh)
{
	at_buf b;
	at_buf_init(&b);
	for (size_t i = 0; i < w->s->n_tables; i++) {
		const at_table *t = &w->s->tables[i];
		at_buf_clear(&b);
		at_buf_puts(&b, t->id.s);
		if (t->name)
			at_buf_printf(&b, " — %s", t->name);
		if (t->host)
			at_buf_printf(&b, " (%s %s)", w->l->host, t->host);
		if (i == 0)
			xw_put_str(w, sh, 0, w->xl->tables, w->bold, t->pos,
				w->xl->tables);
		xw_put_str(w, sh, 1, at_buf_cstr(&b), w->wrap, t->pos,
			w->xl->tables);
		xw_next_row(w, sh);
	}
	if (b.oom)
		xw_fail_nomem(w);
	at_buf_free(&b);
}

static void kv_rounds(xw *w, sheet *sh)
{
	at_buf key, b;
	at_buf_init(&key);
	at_buf_init(&b);
	for (size_t i = 0; i < w->s->n_rounds; i++) {
		const at_round *r = &w->s->rounds[i];
		at_buf_clear(&key);
		at_buf_clear(&b);
		at_buf_printf(&key, "%s %zu", w->l->round, i + 1);
		if (r->minutes)
			at_labelf(&b, w->l->minutes, r->minutes);
		for (size_t c = 0; c < r->n_cells; c++) {
			at_buf_puts(&b, b.len ? (c ? w->l->semicolon : " — ") : "");
			at_buf_printf(&b, "%s%s", r->cells[c].question.s,
				      w->l->colon);
			for (size_t t = 0; t < r->cells[c].tables.n; t++)
				at_buf_printf(&b, "%s%s", t ? ", " : "",
					      r->cells[c].tables.v[t].s);
		}
		kv_str(w, sh, at_buf_cstr(&key), at_buf_cstr(&b), r->pos);
	}
	if (key.oom || b.oom)
		xw_fail_nomem(w);
	at_buf_free(&key);
	at_buf_free(&b);
}

static void kv_counts(xw *w, sheet *sh)
{
	const at_session *s = w->s;
	const at_xlsx_labels *xl = w->xl;
	if (s->n_participants)
		kv_num(w, sh, xl->n_participants, (double)s->n_participants);
	if (s->attendance)
		kv_num(w, sh, xl->attendance, s->attendance);
	kv_num(w, sh, xl->n_questions, (double)s->n_questions);
	kv_num(w, sh, xl->n_contributions, (double)w->counts.contributions);
	kv_num(w, sh, xl->n_groups, (double)w->n_groups);
	if (!at_grid_has_forces(s))
		return;
	kv_num(w, sh, xl->n_drivers, (double)w->counts.drivers);
	kv_num(w, sh, xl->n_brakes, (double)w->counts.brakes);
}

static void kv_header(xw *w, sheet *sh)
{
	const at_session *s = w->s;
	const at_pos none = {0, 0};
	kv_str(w, sh, w->xl->title, xw_plain(w, s->title), none);
	kv_str(w, sh, w->xl->subtitle, s->subtitle, none);
	kv_str(w, sh, w->l->organiser, s->organiser, none);
	if (s->date.year) {
		xw_put_str(w, sh, 0, w->l->date, w->bold, none, w->l->date);
		xw_put_date(w, sh, 1, w->left_date);
		xw_next_row(w, sh);
	}
	kv_str(w, sh, w->l->place, s->place, none);
	at_buf b;
	at_buf_init(&b);
	for (size_t i = 0; i < s->facilitators.n; i++)
		at_buf_printf(&b, "%s%s", i ? "; " : "", s->facilitators.v[i].s);
	kv_str(w, sh, w->l->facilitators, at_buf_cstr(&b), none);
	if (b.oom)
		xw_fail_nomem(w);
	at_buf_free(&b);
}

void xw_write_session(xw *w)
{
	sheet sh;
	if (!xw_new_sheet(w, &sh, w->xl->sheet[SHEET_SESSION]))
		return;
	static const double width[3] = {30, 100, 30};
	static const int wrap[3] = {1, 1, 0};
	xw_set_widths(w, &sh, width, 3, wrap);
	const at_session *s = w->s;
	const at_pos none = {0, 0};
	kv_header(w, &sh);
	kv_counts(w, &sh);
	xw_put_block(w, &sh, w->l->context, s->context, none, w->l->context);
	kv_figures(w, &sh, &s->figures);
	xw_put_block(w, &sh, w->l->method, s->method, none, w->l->method);
	for (size_t i = 0; i < s->n_phases; i++)
		kv_phase(w, &sh, &s->phases[i]);
	kv_tables(w, &sh);
	kv_rounds(w, &sh);
	xw_put_block(w, &sh, w->l->synthesis, s->synthesis, none,
		  w->l->synthesis);
	kv_num(w, &sh, w->xl->format_version, s->version);
	kv_str(w, &sh, w->xl->atelier_version, ATELIER_VERSION, none);
	kv_str(w, &sh, w->xl->source_file, at_buf_cstr(&w->rows.source_path),
	       none);
}

/* ---- Questions ---- */

typedef struct qrow {
	const char *part, *detail;
	const char *text;    /* plain already */
	const at_figure *fig;
	at_pos pos;
} qrow;

static void put_qrow(xw *w, sheet *sh, const at_question *q, const qrow *r)
{
	if ((!r->text || !*r->text) && (!r->detail || !*r->detail))
		return;
	const char *const *h = w->xl->questions_head;
	xw_put_str(w, sh, 0, q->id.s, w->top, q->pos, h[0]);
	xw_put_str(w, sh, 1, r->part, w->bold, r->pos, h[1]);
	xw_put_str(w, sh, 2, r->detail, w->wrap, r->pos, h[2]);
	xw_put_str(w, sh, 3, r->text, w->wrap, r->pos, h[3]);
	if (r->fig)
		xw_put_figure(w, sh, 4, r->fig);
	xw_next_row(w, sh);
}

/* Figures standing among items, at any depth (not contributions, so the
 * walk skips them: they are listed here). */
static void q_item_figures(xw *w, sheet *sh, const at_question *q,
			   const char *where, const at_items *items)
{
	for (size_t i = 0; i < items->n && w->status == AT_OK; i++) {
		const at_item *it = &items->v[i];
		if (it->figure) {
			const at_figure *f = it->figure;
			qrow r = {w->l->figure, where,
				  xw_plain(w, f->caption ? f->caption : f->alt),
				  f, f->pos};
			put_qrow(w, sh, q, &r);
		}
		q_item_figures(w, sh, q, where, &it->items);
	}
}

static void q_groups(xw *w, sheet *sh, const at_question *q)
{
	const at_subgroup_work *sw = q->subgroups;
	at_buf name, text;
	at_buf_init(&name);
	at_buf_init(&text);
	for (size_t g = 0; g < sw->n_groups && w->status == AT_OK; g++) {
		const at_group *gr = &sw->groups[g];
		at_buf_clear(&name);
		at_buf_clear(&text);
		at_rows_group_name(&name, gr);
		if (gr->size)
			at_labelf(&text, w->l->size, gr->size);
		for (size_t m = 0; m < gr->members.n; m++) {
			const at_participant *p =
				at_session_participant(w->s, gr->members.v[m].s);
			at_buf_printf(&text, "%s%s", text.len ? "; " : "",
				      p ? p->name : gr->members.v[m].s);
		}
		qrow r = {w->l->group, at_buf_cstr(&name), at_buf_cstr(&text),
			  NULL, gr->pos};
		put_qrow(w, sh, q, &r);
		for (size_t f = 0; f < gr->figures.n; f++) {
			const at_figure *fig = &gr->figures.v[f];
			qrow fr = {w->l->figure, at_buf_cstr(&name),
				   xw_plain(w, fig->caption ? fig->caption : fig->alt),
				   fig, fig->pos};
			put_qrow(w, sh, q, &fr);
		}
		for (size_t k = 0; k < gr->n_sections; k++)
			q_item_figures(w, sh, q, at_buf_cstr(&name),
				       &gr->sections[k].items);
	}
	if (name.oom || text.oom)
		xw_fail_nomem(w);
	at_buf_free(&name);
	at_buf_free(&text);
}

static void q_subgroups(xw *w, sheet *sh, const at_question *q)
{
	const at_subgroup_work *sw = q->subgroups;
	if (sw->brief) {
		/* One cell: the brief is read as a whole. */
		at_buf text;
		at_buf_init(&text);
		if (at_md_plain(&text, sw->brief))
			xw_fail_nomem(w);
		qrow r = {w->l->brief, NULL, at_buf_cstr(&text), NULL, sw->pos};
		put_qrow(w, sh, q, &r);
		at_buf_free(&text);
	}
	if (sw->group_size.min) {
		at_buf size;
		at_buf_init(&size);
		at_format_group_size(&size, w->l, &sw->group_size);
		if (size.oom)
			xw_fail_nomem(w);
		qrow r = {w->xl->group_size, NULL, at_buf_cstr(&size), NULL,
			  sw->group_size.pos};
		put_qrow(w, sh, q, &r);
		at_buf_free(&size);
	}
	q_groups(w, sh, q);
}

static void q_expect(xw *w, sheet *sh, const at_question *q,
		     const char *step, const at_expect *e)
{
	at_buf text;
	at_buf_init(&text);
	const char *label = e->def ? at_section_def_label(w->l, e->def)
				   : e->section.s;
	at_labelf(&text, w->l->expect, label, e->range.min, e->range.max);
	if (text.oom)
		xw_fail_nomem(w);
	qrow r = {step, w->xl->expected, at_buf_cstr(&text), NULL,
		  e->section.pos};
	put_qrow(w, sh, q, &r);
	at_buf_free(&text);
}

static void q_kit(xw *w, sheet *sh, const at_question *q)
{
	const at_kit *k = q->kit;
	at_buf step, title;
	at_buf_init(&step);
	at_buf_init(&title);
	for (size_t i = 0; i < k->n_steps && w->status == AT_OK; i++) {
		const at_kit_step *st = &k->steps[i];
		at_buf_clear(&step);
		if (st->step)
			at_buf_puts(&step, st->step);
		else
			at_rows_step_name(&step, w->o->lang,
					  &(at_kit_step){.step = NULL}, i);
		/* Step, title and prompt side by side, read as one line:
		 * "Temps 1 | Etat des lieux | Est-ce que vous...". */
		const char *name = at_buf_cstr(&step);
		at_buf_clear(&title);
		if (st->title)
			at_md_plain_inline(&title, st->title);
		qrow r = {name, at_buf_cstr(&title), xw_plain(w, st->prompt), NULL,
			  st->pos};
		put_qrow(w, sh, q, &r);
		for (size_t e = 0; e < st->n_expect; e++)
			q_expect(w, sh, q, name, &st->expect[e]);
		q_item_figures(w, sh, q, name, &st->asks);
	}
	if (step.oom || title.oom)
		xw_fail_nomem(w);
	at_buf_free(&step);
	at_buf_free(&title);
}

static void write_question(xw *w, sheet *sh, const at_question *q)
{
	qrow t = {w->l->question, NULL, xw_plain(w, q->title), NULL, q->pos};
	put_qrow(w, sh, q, &t);
	for (size_t i = 0; i < q->prompts.n; i++) {
		char n[24];
		snprintf(n, sizeof n, "%zu", i + 1);
		qrow r = {w->l->prompts, n, xw_plain(w, q->prompts.v[i].s), NULL,
			  q->prompts.v[i].pos};
		put_qrow(w, sh, q, &r);
	}
	if (q->brainstorm)
		q_item_figures(w, sh, q, w->l->brainstorm, &q->brainstorm->items);
	if (q->subgroups)
		q_subgroups(w, sh, q);
	if (q->kit)
		q_kit(w, sh, q);
}

void xw_write_questions(xw *w)
{
	sheet sh;
	if (!xw_new_sheet(w, &sh, w->xl->sheet[SHEET_QUESTIONS]))
		return;
	static const double width[5] = {12, 24, 24, 100, 24};
	static const int wrap[5] = {0, 1, 1, 1, 0};
	xw_set_widths(w, &sh, width, 5, wrap);
	xw_put_header(w, &sh, w->xl->questions_head, 5);
	for (size_t q = 0; q < w->s->n_questions && w->status == AT_OK; q++)
		write_question(w, &sh, &w->s->questions[q]);
}
