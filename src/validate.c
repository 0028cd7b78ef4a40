/* validate.c: semantic checks over a bound session, every problem reported,
 * none fatal. Errors are things a report cannot be made from honestly
 * (a reference to nobody); warnings are a plan that reality did not follow
 * (a group of 9 where the kit said 5 to 8), which --werror can promote. */
#include "validate.h"

#include "labels.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- duplicate ids ---- */

typedef struct id_ref {
	const at_str *id;
} id_ref;

static int id_cmp(const void *a, const void *b)
{
	const at_str *x = ((const id_ref *)a)->id, *y = ((const id_ref *)b)->id;
	int c = strcmp(x->s, y->s);
	if (c)
		return c;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	return x->pos.col < y->pos.col ? -1 : x->pos.col > y->pos.col;
}

/* ids[i] lives at base + i*stride: one function for every kind of id. */
static void check_unique(at_diags *d, const void *base, size_t n,
			 size_t stride, size_t offset, const char *what)
{
	if (n < 2)
		return;
	id_ref *v = malloc(n * sizeof *v);
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i].id = (const at_str *)((const char *)base + i * stride +
					   offset);
	qsort(v, n, sizeof *v, id_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i].id->s, v[i - 1].id->s) != 0)
			continue;
		size_t first = i - 1;
		while (first > 0 && strcmp(v[first - 1].id->s, v[i].id->s) == 0)
			first--;
		at_diag_add(d, AT_ERROR, "duplicate-id", v[i].id->pos,
			    (uint32_t)strlen(v[i].id->s),
			    "duplicate %s id '%s' (first at line %u, column %u)",
			    what, v[i].id->s, (unsigned)v[first].id->pos.line,
			    (unsigned)v[first].id->pos.col);
	}
	free(v);
}

/* ---- references ---- */

static void unknown_question(at_diags *d, const at_str *q, const char *where)
{
	at_diag_add(d, AT_ERROR, "unknown-question", q->pos,
		    (uint32_t)strlen(q->s),
		    "%s names question '%s', which is not under 'questions'",
		    where, q->s);
}

static void check_participants(const at_session *s, at_diags *d,
			       const at_strs *ids)
{
	for (size_t i = 0; i < ids->n; i++) {
		const at_str *id = &ids->v[i];
		if (at_session_participant(s, id->s))
			continue;
		at_diag_add(d, AT_ERROR, "unknown-participant", id->pos,
			    (uint32_t)strlen(id->s),
			    s->n_participants
				    ? "unknown participant '%s': not an id "
				      "under 'participants'"
				    : "unknown participant '%s': the session "
				      "lists no participants",
			    id->s);
	}
}

static void check_table_ref(const at_session *s, at_diags *d,
			    const at_str *t)
{
	/* Tables are free names until the session declares them. */
	if (!t->s || !s->n_tables || at_session_table(s, t->s))
		return;
	at_diag_add(d, AT_ERROR, "unknown-table", t->pos, (uint32_t)strlen(t->s),
		    "unknown table '%s': not an id under 'tables'", t->s);
}

static void check_figure(at_diags *d, const at_figure *f)
{
	struct stat st;
	if (stat(f->path, &st) == 0 && S_ISREG(st.st_mode))
		return;
	at_diag_add(d, AT_ERROR, "missing-image", f->image.pos,
		    (uint32_t)strlen(f->image.s),
		    "image file '%s' not found (looked for %s)", f->image.s,
		    f->path);
}

static void check_items(const at_session *s, at_diags *d,
			const at_items *items)
{
	for (size_t i = 0; i < items->n; i++) {
		const at_item *it = &items->v[i];
		if (it->figure) {
			check_figure(d, it->figure);
			continue;
		}
		check_participants(s, d, &it->by);
		check_table_ref(s, d, &it->table);
		if (it->round && s->n_rounds && (size_t)it->round > s->n_rounds)
			at_diag_add(d, AT_ERROR, "unknown-round", it->round_pos,
				    1,
				    "round %d does not exist: the rotation plan "
				    "has %zu rounds",
				    it->round, s->n_rounds);
		check_items(s, d, &it->items);
	}
}

static void check_figures(at_diags *d, const at_figures *f)
{
	for (size_t i = 0; i < f->n; i++)
		check_figure(d, &f->v[i]);
}

/* ---- plan versus reality (warnings) ---- */

static int within(const at_range *r, int v)
{
	return !r->min || (v >= r->min && v <= r->max);
}

static void check_group_sizes(const at_session *s, at_diags *d,
			      const at_subgroup_work *w)
{
	const at_phase *ph = at_session_subgroups_phase(s);
	const at_range *plan = w->group_size.min ? &w->group_size
			       : ph ? &ph->group_size : NULL;
	if (ph && ph->group_size.min && w->group_size.min &&
	    (w->group_size.min < ph->group_size.min ||
	     w->group_size.max > ph->group_size.max))
		at_diag_add(d, AT_WARNING, "group-size", w->group_size.pos, 1,
			    "groups of %d to %d people for '%s' contradict the "
			    "%d to %d of the sub-groups phase (line %u)",
			    w->group_size.min, w->group_size.max, w->question.s,
			    ph->group_size.min, ph->group_size.max,
			    (unsigned)ph->pos.line);
	if (!plan || !plan->min)
		return;
	for (size_t i = 0; i < w->n_groups; i++) {
		const at_group *g = &w->groups[i];
		int size = g->size ? g->size : (int)g->members.n;
		if (!size || within(plan, size))
			continue;
		at_diag_add(d, AT_WARNING, "group-size",
			    g->size ? g->size_pos : g->pos, 1,
			    "%s has %d people, outside the %d to %d planned",
			    at_group_label(g), size, plan->min, plan->max);
	}
}

static void check_expectations(at_diags *d, const at_subgroup_work *w,
			       const at_kit *k)
{
	for (size_t i = 0; k && i < k->n_steps; i++) {
		const at_kit_step *st = &k->steps[i];
		for (size_t e = 0; e < st->n_expect; e++) {
			const at_expect *x = &st->expect[e];
			if (!x->def)
				continue;
			for (size_t g = 0; g < w->n_groups; g++) {
				const at_group *grp = &w->groups[g];
				size_t n = 0;
				for (size_t j = 0; j < grp->n_sections; j++)
					if (grp->sections[j].def == x->def)
						for (size_t m = 0;
						     m < grp->sections[j].items.n;
						     m++)
							n += !grp->sections[j]
								      .items.v[m]
								      .figure;
				if (within(&x->range, (int)n))
					continue;
				at_diag_add(d, AT_WARNING, "expected-count",
					    grp->pos, 1,
					    "%s gives %zu %s; the kit (line %u) "
					    "asked for %d to %d",
					    at_group_label(grp), n, x->section.s,
					    (unsigned)x->section.pos.line,
					    x->range.min, x->range.max);
			}
		}
	}
}

/* Each table of the plan should meet each question once in a rotation. */
static void check_rotation(const at_session *s, at_diags *d)
{
	if (!s->n_rounds)
		return;
	for (size_t r = 0; r < s->n_rounds; r++) {
		for (size_t c = 0; c < s->rounds[r].n_cells; c++) {
			const at_round_cell *cell = &s->rounds[r].cells[c];
			for (size_t t = 0; t < cell->tables.n; t++) {
				const at_str *table = &cell->tables.v[t];
				/* Report each table once: at its first use. */
				int seen = 0;
				for (size_t r2 = 0; r2 <= r && !seen; r2++)
					for (size_t c2 = 0;
					     c2 < s->rounds[r2].n_cells && !seen;
					     c2++) {
						const at_round_cell *o =
							&s->rounds[r2].cells[c2];
						for (size_t t2 = 0;
						     t2 < o->tables.n && !seen;
						     t2++)
							if (&o->tables.v[t2] ==
							    table)
								goto first;
							else if (strcmp(o->tables.v[t2].s,
									table->s) == 0)
								seen = 1;
					}
			first:
				if (seen)
					continue;
				for (size_t q = 0; q < s->n_questions; q++) {
					const char *qid = s->questions[q].id.s;
					int met = 0;
					for (size_t r2 = 0;
					     r2 < s->n_rounds && !met; r2++)
						for (size_t c2 = 0;
						     c2 < s->rounds[r2].n_cells &&
						     !met;
						     c2++) {
							const at_round_cell *o =
								&s->rounds[r2]
									 .cells[c2];
							if (strcmp(o->question.s,
								   qid) != 0)
								continue;
							for (size_t t2 = 0;
							     t2 < o->tables.n;
							     t2++)
								met |= strcmp(o->tables
										      .v[t2]
										      .s,
									      table->s) ==
								       0;
						}
					if (!met)
						at_diag_add(
							d, AT_WARNING,
							"rotation-gap",
							table->pos,
							(uint32_t)strlen(
								table->s),
							"in the rotation plan, "
							"table '%s' never "
							"meets question '%s'",
							table->s, qid);
				}
			}
		}
	}
}

static size_t count_items(const at_items *items)
{
	size_t n = 0;
	for (size_t i = 0; i < items->n; i++)
		n += !items->v[i].figure + count_items(&items->v[i].items);
	return n;
}

static void check_contributions(const at_session *s, at_diags *d)
{
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		size_t n = q->brainstorm ? count_items(&q->brainstorm->items) : 0;
		for (size_t g = 0; q->subgroups && g < q->subgroups->n_groups;
		     g++)
			for (size_t k = 0;
			     k < q->subgroups->groups[g].n_sections; k++)
				n += count_items(
					&q->subgroups->groups[g].sections[k].items);
		if (!n)
			at_diag_add(d, AT_WARNING, "no-contribution", q->id.pos,
				    (uint32_t)strlen(q->id.s),
				    "question '%s' has no contribution: no "
				    "brainstorm item and no sub-group item",
				    q->id.s);
	}
}

void at_validate(const at_session *s, at_diags *d)
{
	check_unique(d, s->questions, s->n_questions, sizeof(at_question),
		     offsetof(at_question, id), "question");
	check_unique(d, s->participants, s->n_participants,
		     sizeof(at_participant), offsetof(at_participant, id),
		     "participant");
	check_unique(d, s->tables, s->n_tables, sizeof(at_table),
		     offsetof(at_table, id), "table");
	check_unique(d, s->sections, s->n_sections, sizeof(at_section_def),
		     offsetof(at_section_def, id), "section");

	check_figures(d, &s->figures);
	for (size_t i = 0; i < s->n_brainstorms; i++) {
		const at_brainstorm *b = &s->brainstorms[i];
		if (!b->q)
			unknown_question(d, &b->question, "the brainstorm");
		check_items(s, d, &b->items);
	}
	for (size_t i = 0; i < s->n_subgroups; i++) {
		const at_subgroup_work *w = &s->subgroups[i];
		if (!w->q)
			unknown_question(d, &w->question, "the sub-group work");
		for (size_t g = 0; g < w->n_groups; g++) {
			const at_group *grp = &w->groups[g];
			check_participants(s, d, &grp->members);
			check_figures(d, &grp->figures);
			for (size_t k = 0; k < grp->n_sections; k++)
				check_items(s, d, &grp->sections[k].items);
		}
		check_group_sizes(s, d, w);
		if (w->q)
			check_expectations(d, w, w->q->kit);
	}
	for (size_t i = 0; i < s->n_kits; i++) {
		const at_kit *k = &s->kits[i];
		if (!k->q)
			unknown_question(d, &k->question, "the kit");
		for (size_t j = 0; j < k->n_steps; j++) {
			check_items(s, d, &k->steps[j].asks);
			for (size_t e = 0; e < k->steps[j].n_expect; e++) {
				const at_expect *x = &k->steps[j].expect[e];
				if (!x->def)
					at_diag_add(d, AT_ERROR, "unknown-section",
						    x->section.pos,
						    (uint32_t)strlen(x->section.s),
						    "the kit expects '%s', which "
						    "is not a section of the "
						    "sub-group grid",
						    x->section.s);
			}
		}
	}
	for (size_t r = 0; r < s->n_rounds; r++)
		for (size_t c = 0; c < s->rounds[r].n_cells; c++) {
			const at_round_cell *cell = &s->rounds[r].cells[c];
			if (!cell->q)
				unknown_question(d, &cell->question,
						 "the rotation plan");
			for (size_t t = 0; t < cell->tables.n; t++)
				check_table_ref(s, d, &cell->tables.v[t]);
		}
	check_rotation(s, d);
	check_contributions(s, d);
}
