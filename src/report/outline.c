/* outline.c: what the compte-rendu says, decided once for every format
 * (see outline.h). */
#include "outline.h"

#include <string.h>

#include "text.h"

static bool has_part(const at_session *s, at_part_kind k)
{
	switch (k) {
	case AT_PART_BRAINSTORM:
		return s->n_brainstorms > 0;
	case AT_PART_SUBGROUPS:
		return s->n_subgroups > 0;
	case AT_PART_SYNTHESIS:
		return s->synthesis != NULL;
	case AT_PART_KIT:
		return s->n_kits > 0;
	case AT_PART_SETUP:
	case AT_PART_ANNEX:
		break;
	}
	return true;
}

void at_outline_init(at_outline *o, const at_session *s, const at_labels *l)
{
	/* The one order of the parts. */
	static const at_part_kind order[AT_PART_MAX] = {
		AT_PART_SETUP, AT_PART_BRAINSTORM, AT_PART_SUBGROUPS,
		AT_PART_SYNTHESIS, AT_PART_KIT, AT_PART_ANNEX};
	static const char *const anchors[AT_PART_MAX] = {
		"setup", "brainstorm", "subgroups", "synthesis", "kit", "annex"};
	memset(o, 0, sizeof *o);
	o->s = s;
	o->l = l;
	at_buf_init(&o->scratch);
	const char *titles[AT_PART_MAX] = {l->setup, l->brainstorm,
					   l->subgroups, l->synthesis, l->kit,
					   l->annex};
	for (size_t i = 0; i < AT_PART_MAX; i++) {
		if (!has_part(s, order[i]))
			continue;
		at_part *p = &o->parts[o->n_parts++];
		p->kind = order[i];
		p->number = (int)o->n_parts;
		p->anchor = anchors[order[i]];
		p->title = titles[order[i]];
	}
}

void at_outline_free(at_outline *o)
{
	o->oom |= o->scratch.oom;
	at_buf_free(&o->scratch);
}

void at_part_title(const at_outline *o, const at_part *p, at_buf *out)
{
	at_labelf(out, o->l->part_title, p->number, p->title);
}

bool at_setup_has(const at_outline *o, at_setup_kind k)
{
	const at_session *s = o->s;
	switch (k) {
	case AT_SETUP_CONTEXT:
		return s->context || s->figures.n;
	case AT_SETUP_METHOD:
		return s->method || s->n_phases || s->n_rounds;
	case AT_SETUP_QUESTIONS:
		break;
	}
	return true;
}

const char *at_setup_anchor(at_setup_kind k)
{
	static const char *const anchors[] = {"context", "questions", "method"};
	return anchors[k];
}

const char *at_setup_title(const at_outline *o, at_setup_kind k)
{
	const char *titles[] = {o->l->context, o->l->questions, o->l->method};
	return titles[k];
}

bool at_part_has_question(const at_part *p, const at_question *q)
{
	switch (p->kind) {
	case AT_PART_BRAINSTORM:
		return q->brainstorm != NULL;
	case AT_PART_SUBGROUPS:
		return q->subgroups != NULL;
	case AT_PART_KIT:
		return q->kit != NULL;
	default:
		return false;
	}
}

size_t at_question_number(const at_outline *o, const at_question *q)
{
	return (size_t)(q - o->s->questions) + 1;
}

/* ---- A group's sections ---- */

bool at_section_of_change(const at_section *sec)
{
	return sec->def->builtin && sec->def->builtin->of_change;
}

at_layout at_group_layout(const at_group *g)
{
	size_t n = g->n_sections, change = 0;
	for (size_t i = 0; i < n; i++)
		change += at_section_of_change(&g->sections[i]);
	if (n && g->sections[0].def->builtin)
		return change && change < n ? AT_LAYOUT_PAPER : AT_LAYOUT_ONE;
	switch (n) {
	case 0:
	case 1:
		return AT_LAYOUT_ONE;
	case 2:
		return AT_LAYOUT_TWO;
	case 4:
		return AT_LAYOUT_SQUARE;
	default:
		return AT_LAYOUT_FLOW;
	}
}

/* ---- An item's facts ---- */

const char *at_outline_person(const at_outline *o, const char *id)
{
	const at_participant *p = at_session_participant(o->s, id);
	return p ? p->name : id;
}

at_born at_outline_table(const at_outline *o, const char *id)
{
	const at_table *t = at_session_table(o->s, id);
	at_born b = {0, id, false};
	if (t && t->name)
		b.table = t->name, b.table_named = true;
	return b;
}

at_facts at_item_facts(const at_outline *o, const at_item *it)
{
	at_facts f;
	memset(&f, 0, sizeof f);
	f.by = &it->by;
	if (it->table.s)
		f.born = at_outline_table(o, it->table.s);
	f.born.round = it->round;
	f.has_votes = it->has_votes;
	f.votes = it->votes;
	f.has_weight = it->has_weight;
	f.weight = it->weight;
	f.tags = &it->tags;
	f.link = it->link && !at_url_dangerous(it->link) ? it->link : NULL;
	f.note = it->note;
	f.any = it->by.n || f.born.round || f.born.table || f.has_votes ||
		f.has_weight || it->tags.n || f.link;
	return f;
}

void at_say_born(const at_outline *o, at_buf *out, const at_born *b)
{
	const at_labels *l = o->l;
	if (b->round && b->table)
		at_labelf(out, b->table_named ? l->born_at_named : l->born_at,
			  b->round, b->table);
	else if (b->round)
		at_labelf(out, l->born_round, b->round);
	else if (b->table)
		at_labelf(out, b->table_named ? l->born_table_named
					      : l->born_table,
			  b->table);
}

void at_say_table(const at_outline *o, at_buf *out, const char *id)
{
	at_born b = at_outline_table(o, id);
	at_labelf(out, b.table_named ? o->l->table_named : o->l->table_unnamed,
		  b.table);
}

void at_say_votes(const at_outline *o, at_buf *out, long votes)
{
	at_labelf(out, o->l->votes_n[at_plural(o->l, (size_t)(votes < 0 ? 2
								    : votes))],
		  votes);
}

void at_say_weight(const at_outline *o, at_buf *out, double weight)
{
	at_labelf(out, o->l->weight_is, weight);
}

static void say_list(const at_outline *o, at_buf *out, const at_strs *v,
		     bool people)
{
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			at_buf_puts(out, o->l->list_sep);
		at_buf_puts(out, people ? at_outline_person(o, v->v[i].s)
					: v->v[i].s);
	}
}

void at_say_names(const at_outline *o, at_buf *out, const at_strs *ids)
{
	say_list(o, out, ids, true);
}

void at_say_people(const at_outline *o, at_buf *out, const at_strs *ids)
{
	at_buf_puts(out, o->l->by);
	at_buf_puts(out, o->l->space);
	say_list(o, out, ids, true);
}

void at_say_tags(const at_outline *o, at_buf *out, const at_strs *tags)
{
	at_buf_puts(out, o->l->tags);
	at_buf_puts(out, o->l->colon);
	say_list(o, out, tags, false);
}

static void sep(const at_outline *o, at_buf *out, size_t start)
{
	if (out->len > start)
		at_buf_puts(out, o->l->sep);
}

void at_say_facts(const at_outline *o, at_buf *out, const at_facts *f)
{
	size_t start = out->len;
	if (f->by->n)
		at_say_people(o, out, f->by);
	if (f->born.round || f->born.table) {
		sep(o, out, start);
		at_say_born(o, out, &f->born);
	}
	if (f->has_votes) {
		sep(o, out, start);
		at_say_votes(o, out, f->votes);
	}
	if (f->has_weight) {
		sep(o, out, start);
		at_say_weight(o, out, f->weight);
	}
	if (f->tags->n) {
		sep(o, out, start);
		at_say_tags(o, out, f->tags);
	}
}

/* ---- The kit ---- */

/* Whether a plain text ends with a mark of its own. */
static bool ends_in_mark(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		n--;
	if (n >= 3 && memcmp(s + n - 3, "\xe2\x80\xa6", 3) == 0) /* … */
		return true;
	return n && strchr("?!:.", s[n - 1]);
}

const char *at_step_joint(at_outline *o, const at_kit_step *st)
{
	const char *last = st->title ? st->title : st->step;
	if (!last || !st->prompt)
		return NULL;
	at_buf_clear(&o->scratch);
	if (st->title) {
		if (at_md_plain_inline(&o->scratch, last))
			o->oom = 1;
	} else {
		at_buf_puts(&o->scratch, last);
	}
	return ends_in_mark(at_buf_cstr(&o->scratch), o->scratch.len)
		       ? o->l->space
		       : o->l->colon;
}
