/* forcefield.c: the model of a force-field figure (forcefield.h): which
 * groups it shows, their forces at every depth, weights and counts. The
 * counts are at_group_counts', so the figure, the Forces sheet and the
 * index say the same numbers. */
#include "forcefield.h"

static double weight_of(const at_item *it)
{
	if (!it->has_weight)
		return 1.0;
	return it->weight > 0 ? it->weight : 0.0;
}

bool at_ff_group_shown(const at_group *g, at_counts *n)
{
	*n = at_group_counts(g);
	return n->drivers || n->brakes;
}

/* Items and their children, depth first; a figure and what it holds are
 * not forces (at_group_counts skips them alike). */
static int each_item(const at_ff *ff, const at_items *items, at_ff_force *f,
		     at_ff_force_fn fn, void *ctx)
{
	for (size_t i = 0; i < items->n; i++) {
		const at_item *it = &items->v[i];
		if (it->figure)
			continue;
		f->item = it;
		f->weight = weight_of(it);
		f->share = f->weight / ff->max_weight;
		int rc = fn(f, ctx);
		if (rc)
			return rc;
		f->depth++;
		rc = each_item(ff, &it->items, f, fn, ctx);
		f->depth--;
		if (rc)
			return rc;
	}
	return 0;
}

int at_ff_each_force(const at_ff *ff, const at_group *g, at_force force,
		     at_ff_force_fn fn, void *ctx)
{
	at_ff_force f = {NULL, force, 0, 0, 0};
	for (size_t k = 0; k < g->n_sections; k++) {
		if (g->sections[k].def->force != force)
			continue;
		int rc = each_item(ff, &g->sections[k].items, &f, fn, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

static int heavier(const at_ff_force *f, void *ctx)
{
	double *max = ctx;
	if (f->weight > *max)
		*max = f->weight;
	return 0;
}

bool at_ff_of(const at_session *s, const at_question *q, at_ff *ff)
{
	const at_subgroup_work *w = q->subgroups;
	*ff = (at_ff){w, {0, 0, 0}, 0, 1.0};
	if (!w || !at_grid_has_forces(s))
		return false;
	double max = 0;
	for (size_t g = 0; g < w->n_groups; g++) {
		at_counts n;
		if (!at_ff_group_shown(&w->groups[g], &n))
			continue;
		ff->groups++;
		ff->total.contributions += n.contributions;
		ff->total.drivers += n.drivers;
		ff->total.brakes += n.brakes;
		at_ff_each_force(ff, &w->groups[g], AT_FORCE_DRIVER, heavier,
				 &max);
		at_ff_each_force(ff, &w->groups[g], AT_FORCE_BRAKE, heavier,
				 &max);
	}
	if (max > 0)
		ff->max_weight = max;
	return ff->groups > 0;
}
