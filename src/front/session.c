/* session.c: lookups over the session model and the one walk over its
 * contributions that every listing emitter shares. */
#include "atelier/session.h"
#include "lookup.h"
#include "sorted.h"

#include <stdlib.h>
#include <string.h>

const at_question *at_session_question(const at_session *s, const char *id)
{
	for (size_t i = 0; i < s->n_questions; i++)
		if (strcmp(s->questions[i].id.s, id) == 0)
			return &s->questions[i];
	return NULL;
}

static int cmp_participant(const void *a, const void *b)
{
	return strcmp((*(const at_participant *const *)a)->id.s,
		      (*(const at_participant *const *)b)->id.s);
}

static int cmp_table(const void *a, const void *b)
{
	return strcmp((*(const at_table *const *)a)->id.s,
		      (*(const at_table *const *)b)->id.s);
}

/* An id against an element of participants_by_id, tables_by_id. */
static int id_vs_participant(const void *id, const void *e)
{
	return strcmp(id, (*(const at_participant *const *)e)->id.s);
}

static int id_vs_table(const void *id, const void *e)
{
	return strcmp(id, (*(const at_table *const *)e)->id.s);
}

int at_session_index(at_session *s, at_arena *a)
{
	s->participants_by_id = at_arena_array(a, s->n_participants + 1,
					       sizeof *s->participants_by_id);
	s->tables_by_id = at_arena_array(a, s->n_tables + 1,
					 sizeof *s->tables_by_id);
	if (!s->participants_by_id || !s->tables_by_id)
		return -1;
	for (size_t i = 0; i < s->n_participants; i++)
		s->participants_by_id[i] = &s->participants[i];
	for (size_t i = 0; i < s->n_tables; i++)
		s->tables_by_id[i] = &s->tables[i];
	/* Stable for equal ids is not needed: duplicates are errors, and a
	 * session with errors is never emitted. */
	if (s->n_participants)
		qsort(s->participants_by_id, s->n_participants,
		      sizeof *s->participants_by_id, cmp_participant);
	if (s->n_tables)
		qsort(s->tables_by_id, s->n_tables, sizeof *s->tables_by_id,
		      cmp_table);
	return 0;
}

const at_participant *at_session_participant(const at_session *s,
					     const char *id)
{
	const at_participant *const *p =
		at_find_sorted(s->participants_by_id,
			       s->participants_by_id ? s->n_participants : 0,
			       sizeof *p, id, id_vs_participant);
	return p ? *p : NULL;
}

const at_table *at_session_table(const at_session *s, const char *id)
{
	const at_table *const *t =
		at_find_sorted(s->tables_by_id, s->tables_by_id ? s->n_tables : 0,
			       sizeof *t, id, id_vs_table);
	return t ? *t : NULL;
}

const at_section_def *at_session_section(const at_session *s, const char *id)
{
	for (size_t i = 0; i < s->n_sections; i++)
		if (strcmp(s->sections[i].id.s, id) == 0)
			return &s->sections[i];
	return NULL;
}

const at_phase *at_session_subgroups_phase(const at_session *s)
{
	for (size_t i = 0; i < s->n_phases; i++)
		if (s->phases[i].kind == AT_PHASE_SUBGROUPS)
			return &s->phases[i];
	return NULL;
}

static int figures_in(const at_items *items, at_figure_fn fn, void *ctx)
{
	for (size_t i = 0; i < items->n; i++) {
		const at_item *it = &items->v[i];
		int rc = it->figure ? fn(it->figure, ctx)
				    : figures_in(&it->items, fn, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

static int figures_of(const at_figures *f, at_figure_fn fn, void *ctx)
{
	for (size_t i = 0; i < f->n; i++) {
		int rc = fn(&f->v[i], ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int at_session_rotation_is_grid(const at_session *s)
{
	return !s->n_questions || s->n_rounds <= 10000u / s->n_questions;
}

int at_session_each_figure(const at_session *s, at_figure_fn fn, void *ctx)
{
	int rc = figures_of(&s->figures, fn, ctx);
	for (size_t i = 0; !rc && i < s->n_brainstorms; i++)
		rc = figures_in(&s->brainstorms[i].items, fn, ctx);
	for (size_t w = 0; !rc && w < s->n_subgroups; w++)
		for (size_t g = 0; !rc && g < s->subgroups[w].n_groups; g++) {
			const at_group *grp = &s->subgroups[w].groups[g];
			rc = figures_of(&grp->figures, fn, ctx);
			for (size_t k = 0; !rc && k < grp->n_sections; k++)
				rc = figures_in(&grp->sections[k].items, fn, ctx);
		}
	for (size_t k = 0; !rc && k < s->n_kits; k++)
		for (size_t i = 0; !rc && i < s->kits[k].n_steps; i++)
			rc = figures_in(&s->kits[k].steps[i].asks, fn, ctx);
	return rc;
}

typedef struct walker {
	at_contribution c;
	at_contribution_fn fn;
	void *ctx;
} walker;

static int walk_items(walker *w, const at_items *items, const at_item *parent,
		      int depth)
{
	for (size_t i = 0; i < items->n; i++) {
		const at_item *it = &items->v[i];
		if (it->figure)
			continue;
		w->c.item = it;
		w->c.parent = parent;
		w->c.depth = depth;
		int rc = w->fn(&w->c, w->ctx);
		if (rc)
			return rc;
		w->c.index++;
		rc = walk_items(w, &it->items, it, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

/* Questions in their order, so that every output lists a question's
 * contributions together; parts naming an unknown question cannot reach a
 * validated session. */
int at_session_walk(const at_session *s, at_contribution_fn fn, void *ctx)
{
	walker w;
	memset(&w, 0, sizeof w);
	w.fn = fn;
	w.ctx = ctx;
	int rc = 0;
	w.c.origin = AT_FROM_BRAINSTORM;
	for (size_t q = 0; q < s->n_questions && !rc; q++) {
		const at_brainstorm *b = s->questions[q].brainstorm;
		w.c.question = &s->questions[q];
		if (b)
			rc = walk_items(&w, &b->items, NULL, 0);
	}
	w.c.origin = AT_FROM_SUBGROUP;
	for (size_t q = 0; q < s->n_questions && !rc; q++) {
		const at_subgroup_work *sw = s->questions[q].subgroups;
		w.c.question = &s->questions[q];
		for (size_t g = 0; sw && g < sw->n_groups && !rc; g++) {
			w.c.group = &sw->groups[g];
			for (size_t k = 0; k < sw->groups[g].n_sections && !rc;
			     k++) {
				w.c.section = &sw->groups[g].sections[k];
				rc = walk_items(&w, &w.c.section->items, NULL, 0);
			}
		}
	}
	w.c.group = NULL;
	w.c.section = NULL;
	w.c.origin = AT_FROM_KIT;
	for (size_t q = 0; q < s->n_questions && !rc; q++) {
		const at_kit *k = s->questions[q].kit;
		w.c.question = &s->questions[q];
		for (size_t i = 0; k && i < k->n_steps && !rc; i++) {
			w.c.step = &k->steps[i];
			rc = walk_items(&w, &k->steps[i].asks, NULL, 0);
		}
	}
	return rc;
}

const at_builtin_section at_builtin_grid[AT_BUILTIN_GRID_N] = {
	{"practices", "practice", 0, AT_FORCE_NONE, false},
	{"conditions", "condition", 1, AT_FORCE_NONE, true},
	{"drivers", "driver", 2, AT_FORCE_DRIVER, true},
	{"brakes", "brake", 3, AT_FORCE_BRAKE, true},
};

bool at_contribution_counted(const at_contribution *c)
{
	return c->origin != AT_FROM_KIT;
}

at_force at_contribution_force(const at_contribution *c)
{
	return c->origin == AT_FROM_SUBGROUP ? c->section->def->force
					     : AT_FORCE_NONE;
}

void at_counts_add(at_counts *n, const at_contribution *c)
{
	if (!at_contribution_counted(c))
		return;
	n->contributions++;
	at_force f = at_contribution_force(c);
	n->drivers += f == AT_FORCE_DRIVER;
	n->brakes += f == AT_FORCE_BRAKE;
}

static int count_one(const at_contribution *c, void *ctx)
{
	at_counts_add(ctx, c);
	return 0;
}

at_counts at_session_counts(const at_session *s)
{
	at_counts n = {0, 0, 0};
	at_session_walk(s, count_one, &n);
	return n;
}

size_t at_session_count(const at_session *s)
{
	return at_session_counts(s).contributions;
}

static size_t count_items(const at_items *items)
{
	size_t n = 0;
	for (size_t i = 0; i < items->n; i++)
		if (!items->v[i].figure)
			n += 1 + count_items(&items->v[i].items);
	return n;
}

at_counts at_group_counts(const at_group *g)
{
	at_counts n = {0, 0, 0};
	for (size_t k = 0; k < g->n_sections; k++) {
		size_t m = count_items(&g->sections[k].items);
		n.contributions += m;
		at_force f = g->sections[k].def->force;
		n.drivers += f == AT_FORCE_DRIVER ? m : 0;
		n.brakes += f == AT_FORCE_BRAKE ? m : 0;
	}
	return n;
}

bool at_grid_has_forces(const at_session *s)
{
	for (size_t i = 0; i < s->n_sections; i++)
		if (s->sections[i].force != AT_FORCE_NONE)
			return true;
	return false;
}

const char *at_contribution_kind(const at_contribution *c)
{
	switch (c->origin) {
	case AT_FROM_BRAINSTORM:
		return "brainstorm";
	case AT_FROM_KIT:
		return "instruction";
	case AT_FROM_SUBGROUP:
		break;
	}
	const at_section_def *d = c->section->def;
	return d->builtin ? d->builtin->kind : d->id.s;
}
