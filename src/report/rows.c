/* rows.c: one contribution as the columns of the Contributions table,
 * shared by the spreadsheet and the CSV export (see rows.h). */
#include "rows.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

_Static_assert(AT_NCOLS == AT_LABELS_NCOLS, "a column without its labels");

/* Kinds of the built-in grid and of the other origins, by stable id; their
 * words are at_labels.kind, in this order. */
static const char *const kind_ids[] = {"brainstorm", "practice", "condition",
				       "driver", "brake", "instruction"};

const char *at_col_header(at_lang lang, at_col c)
{
	return at_labels_for(lang)->columns[c];
}

int at_col_is_long_text(at_col c)
{
	/* Not the session's or the question's title: the same on every row,
	 * wrapping them would only make every row taller. */
	return c == AT_COL_PARENT || c == AT_COL_TEXT || c == AT_COL_NOTE;
}

const char *at_rows_kind_label(const at_labels *l, const at_contribution *c)
{
	const char *id = at_contribution_kind(c);
	/* A custom section's id is only a key: its label is what the
	 * facilitator named it. */
	if (c->origin == AT_FROM_SUBGROUP && !c->section->def->builtin)
		return at_section_def_label(l, c->section->def);
	for (size_t i = 0; i < sizeof kind_ids / sizeof kind_ids[0]; i++)
		if (strcmp(id, kind_ids[i]) == 0)
			return l->kind[i];
	return id;
}

void at_rows_group_name(at_buf *out, const at_group *g)
{
	if (g->name && g->theme)
		at_buf_printf(out, "%s — %s", g->name, g->theme);
	else
		at_buf_puts(out, at_group_label(g));
}

static const at_phase *first_phase(const at_session *s, at_phase_kind k)
{
	for (size_t i = 0; i < s->n_phases; i++)
		if (s->phases[i].kind == k)
			return &s->phases[i];
	return NULL;
}

/* Brainstorm ideas were gathered in the rotation (or, without one, in a
 * plenary); sub-group sheets and the kit belong to the sub-group phase. */
const char *at_rows_phase(const at_labels *l, const at_session *s,
			  at_origin origin)
{
	const at_phase *p;
	if (origin == AT_FROM_BRAINSTORM) {
		p = first_phase(s, AT_PHASE_ROTATION);
		if (!p)
			p = first_phase(s, AT_PHASE_PLENARY);
	} else {
		p = at_session_subgroups_phase(s);
	}
	return p ? at_phase_label(l, p) : "";
}

/* Whether CommonMark reads md as one paragraph of exactly its own
 * characters: one line, with no space at either end, none of the
 * characters that can open a block at its start, and none that can open
 * a span (emphasis, code, link, autolink, raw HTML, entity, escape)
 * anywhere. Most contributions are such plain sentences; copied rather
 * than parsed, they spare a large session's spreadsheet and CSV a cmark
 * parse each. Anything else, however harmless, goes to cmark. */
static int reads_as_itself(const char *md)
{
	static const unsigned char opens_span[256] = {
		['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['['] = 1,
		[']'] = 1, ['<'] = 1, ['&'] = 1, ['~'] = 1};
	const unsigned char *u = (const unsigned char *)md;
	if (!*u)
		return 1;
	/* Lists (also "1." and "1)"), headings, quotes, rules, fences,
	 * indented code, HTML blocks, link definitions. */
	if (strchr("-+*_#>=`~<[| ", u[0]) || (u[0] >= '0' && u[0] <= '9'))
		return 0;
	size_t i = 0;
	for (; u[i]; i++)
		if (u[i] < 0x20 || opens_span[u[i]])
			return 0; /* line ends, tabs, controls, spans */
	return u[i - 1] != ' ';
}

/* An inline text (a title, an item) made plain, appended to out:
 * at_md_plain_inline, without its parse when the text reads as itself.
 * -1 when memory ran out. */
static int md_plain(at_buf *out, const char *md)
{
	if (!reads_as_itself(md))
		return at_md_plain_inline(out, md);
	at_buf_puts(out, md);
	return out->oom ? -1 : 0;
}

void at_rows_step_name(at_buf *out, at_lang lang, const at_kit_step *st,
		       size_t index)
{
	const at_labels *l = at_labels_for(lang);
	if (st->step)
		at_buf_puts(out, st->step);
	else
		at_labelf(out, l->step, index + 1);
	if (st->title) {
		at_buf_puts(out, l->colon);
		md_plain(out, st->title);
	}
}

at_status at_rows_init(at_rows *r, const at_session *s, at_lang lang)
{
	memset(r, 0, sizeof *r);
	r->s = s;
	r->lang = lang;
	r->l = at_labels_for(lang);
	at_buf_init(&r->title);
	at_buf_init(&r->date);
	at_buf_init(&r->place);
	at_buf_init(&r->source_path);
	at_buf_init(&r->question_title);
	for (size_t i = 0; i < AT_NCOLS; i++)
		at_buf_init(&r->cell[i]);
	at_md_plain_inline(&r->title, s->title);
	if (s->date.year)
		at_buf_printf(&r->date, "%04d-%02d-%02d", s->date.year,
			      s->date.month, s->date.day);
	if (s->place)
		at_buf_puts(&r->place, s->place);
	/* A file name is bytes: not always UTF-8, nor what XML accepts. */
	at_text_for_xml(&r->source_path, s->path ? s->path : "");
	if (r->title.oom || r->date.oom || r->place.oom || r->source_path.oom)
		return AT_ENOMEM;
	return AT_OK;
}

void at_rows_free(at_rows *r)
{
	at_buf_free(&r->title);
	at_buf_free(&r->date);
	at_buf_free(&r->place);
	at_buf_free(&r->source_path);
	at_buf_free(&r->question_title);
	for (size_t i = 0; i < AT_NCOLS; i++)
		at_buf_free(&r->cell[i]);
	for (size_t i = 0; i < r->path_cap; i++)
		at_buf_free(&r->path[i].text);
	free(r->path);
}

static void set_text(at_cell *c, at_buf *b)
{
	c->len = b->len;
	c->text = at_buf_cstr(b);
	c->type = c->len ? AT_CELL_TEXT : AT_CELL_EMPTY;
}

static void set_const(at_cell *c, const char *s)
{
	c->text = s ? s : "";
	c->len = strlen(c->text);
	c->type = c->len ? AT_CELL_TEXT : AT_CELL_EMPTY;
}

static void set_number(at_cell *c, at_buf *b, double v)
{
	c->type = AT_CELL_NUMBER;
	c->number = v;
	c->text = at_buf_cstr(b);
	c->len = b->len;
}

/* Makes room for the path down to depth. */
static int reserve_path(at_rows *r, size_t depth)
{
	if (depth < r->path_cap)
		return 0;
	size_t cap = r->path_cap ? r->path_cap * 2 : 16;
	while (cap <= depth)
		cap *= 2;
	struct at_rows_step *p = realloc(r->path, cap * sizeof *p);
	if (!p)
		return -1;
	r->path = p;
	for (size_t i = r->path_cap; i < cap; i++) {
		p[i].item = NULL;
		at_buf_init(&p[i].text);
	}
	r->path_cap = cap;
	return 0;
}

/* The item's plain text, kept on the path for its children. */
static at_buf *item_text(at_rows *r, const at_contribution *c)
{
	size_t d = (size_t)c->depth;
	if (reserve_path(r, d))
		return NULL;
	at_buf *b = &r->path[d].text;
	at_buf_clear(b);
	if (md_plain(b, c->item->text))
		return NULL;
	r->path[d].item = c->item;
	return b;
}

/* The parent's plain text: from the path when the walk came through it
 * with its text column wanted; computed afresh otherwise. */
static void parent_text(at_rows *r, const at_contribution *c, at_buf *out)
{
	size_t d = (size_t)c->depth;
	if (d > 0 && d - 1 < r->path_cap && r->path[d - 1].item == c->parent)
		at_buf_put(out, at_buf_cstr(&r->path[d - 1].text),
			   r->path[d - 1].text.len);
	else
		md_plain(out, c->parent->text);
}

static void join_authors(const at_session *s, const at_strs *by, at_buf *out)
{
	for (size_t i = 0; i < by->n; i++) {
		const at_participant *p = at_session_participant(s, by->v[i].s);
		if (i)
			at_buf_puts(out, "; ");
		at_buf_puts(out, p && p->name ? p->name : by->v[i].s);
	}
}

static void join_strs(const at_strs *v, at_buf *out)
{
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			at_buf_puts(out, "; ");
		at_buf_puts(out, v->v[i].s);
	}
}

static void fill_place(at_rows *r, const at_contribution *c)
{
	at_buf *b = r->cell;
	at_cell *cell = r->cells;
	set_text(&cell[AT_COL_SESSION], &r->title);
	cell[AT_COL_DATE].type = r->date.len ? AT_CELL_DATE : AT_CELL_EMPTY;
	cell[AT_COL_DATE].text = at_buf_cstr(&r->date);
	cell[AT_COL_DATE].len = r->date.len;
	set_text(&cell[AT_COL_PLACE], &r->place);
	if (c->question != r->question) {
		at_buf_clear(&r->question_title);
		if (c->question)
			md_plain(&r->question_title, c->question->title);
		r->question = c->question;
	}
	set_const(&cell[AT_COL_QUESTION_ID],
		  c->question ? c->question->id.s : "");
	set_text(&cell[AT_COL_QUESTION], &r->question_title);
	set_const(&cell[AT_COL_PHASE], at_rows_phase(r->l, r->s, c->origin));
	if (c->origin == AT_FROM_SUBGROUP) {
		at_rows_group_name(&b[AT_COL_GROUP], c->group);
		at_buf_puts(&b[AT_COL_SECTION],
			    at_section_label(r->l, c->section));
	} else if (c->origin == AT_FROM_KIT && c->question &&
		   c->question->kit) {
		size_t idx = (size_t)(c->step - c->question->kit->steps);
		at_rows_step_name(&b[AT_COL_SECTION], r->lang, c->step, idx);
	}
	set_text(&cell[AT_COL_GROUP], &b[AT_COL_GROUP]);
	set_text(&cell[AT_COL_SECTION], &b[AT_COL_SECTION]);
}

static void fill_kind(at_rows *r, const at_contribution *c)
{
	at_force f = at_contribution_force(c);
	set_const(&r->cells[AT_COL_KIND], at_rows_kind_label(r->l, c));
	set_const(&r->cells[AT_COL_KIND_ID], at_contribution_kind(c));
	set_const(&r->cells[AT_COL_FORCE],
		  f == AT_FORCE_DRIVER  ? r->l->driver_word[0]
		  : f == AT_FORCE_BRAKE ? r->l->brake_word[0]
					: "");
}

/* A number cell, with its text as a CSV writes it: integers without a
 * decimal point, weights in the shortest form that reads back the same
 * for the values people type (%.15g, which writes whole numbers under
 * 10^15 as their digits, as at_buf_put_unsigned does). */
static void fill_number(at_rows *r, at_col col, int present, double v)
{
	at_buf *b = &r->cell[col];
	if (!present) {
		set_text(&r->cells[col], b);
		return;
	}
	if (v >= 0 && v < 1e15 && v == (double)(unsigned long long)v &&
	    !(v == 0 && signbit(v)))
		at_buf_put_unsigned(b, (unsigned long long)v);
	else if (v < 0 && v > -1e15 && -v == (double)(unsigned long long)-v) {
		at_buf_putc(b, '-');
		at_buf_put_unsigned(b, (unsigned long long)-v);
	} else {
		at_buf_printf(b, "%.15g", v);
	}
	set_number(&r->cells[col], b, v);
}

static void fill_details(at_rows *r, const at_contribution *c, at_cols want)
{
	const at_item *it = c->item;
	at_buf *b = r->cell;
	join_authors(r->s, &it->by, &b[AT_COL_AUTHORS]);
	join_strs(&it->tags, &b[AT_COL_TAGS]);
	if (it->table.s) {
		const at_table *t = at_session_table(r->s, it->table.s);
		at_buf_puts(&b[AT_COL_TABLE], t && t->name ? t->name : it->table.s);
	}
	if (it->link)
		at_buf_puts(&b[AT_COL_LINK], it->link);
	if (it->note && (want & AT_COL_BIT(AT_COL_NOTE)))
		at_md_plain(&b[AT_COL_NOTE], it->note); /* a block text */
	at_buf_put(&b[AT_COL_SOURCE], at_buf_cstr(&r->source_path),
		   r->source_path.len);
	at_buf_putc(&b[AT_COL_SOURCE], ':');
	at_buf_put_unsigned(&b[AT_COL_SOURCE], it->pos.line);
	static const at_col texts[] = {AT_COL_AUTHORS, AT_COL_TAGS,
				       AT_COL_TABLE, AT_COL_LINK, AT_COL_NOTE,
				       AT_COL_SOURCE};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		set_text(&r->cells[texts[i]], &b[texts[i]]);
	fill_number(r, AT_COL_DEPTH, 1, c->depth);
	fill_number(r, AT_COL_VOTES, it->has_votes, (double)it->votes);
	fill_number(r, AT_COL_ROUND, it->round > 0, it->round);
	fill_number(r, AT_COL_WEIGHT, it->has_weight, it->weight);
}

at_status at_rows_fill(at_rows *r, const at_contribution *c)
{
	return at_rows_fill_some(r, c, AT_ALL_COLS);
}

/* An item whose text is left out leaves the path as it was: its children,
 * finding another item there, have their parent parsed afresh. */
at_status at_rows_fill_some(at_rows *r, const at_contribution *c,
			    at_cols want)
{
	for (size_t i = 0; i < AT_NCOLS; i++) {
		at_buf_clear(&r->cell[i]);
		r->cells[i] = (at_cell){AT_CELL_EMPTY, "", 0, 0};
	}
	if (want & AT_COL_BIT(AT_COL_TEXT)) {
		at_buf *text = item_text(r, c);
		if (!text)
			return AT_ENOMEM;
		set_text(&r->cells[AT_COL_TEXT], text);
	}
	if (c->parent && (want & AT_COL_BIT(AT_COL_PARENT)))
		parent_text(r, c, &r->cell[AT_COL_PARENT]);
	set_text(&r->cells[AT_COL_PARENT], &r->cell[AT_COL_PARENT]);
	fill_place(r, c);
	fill_kind(r, c);
	fill_details(r, c, want);
	int oom = r->question_title.oom;
	for (size_t i = 0; i < AT_NCOLS; i++)
		oom |= r->cell[i].oom;
	return oom ? AT_ENOMEM : AT_OK;
}

long long at_rows_created(long long timestamp)
{
	return timestamp == 0 ? 1 : timestamp;
}
