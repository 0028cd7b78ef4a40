/* forcefield.h: what a question's force-field figure shows, whatever draws
 * it (the HTML page today, a PDF drawn with Cairo tomorrow): the groups
 * that gave a driver or a brake, each group's forces at every depth with
 * their weights, and the counts, all by the one counting rule of
 * atelier/session.h. No markup here: a writer walks this model and decides
 * only how it looks. Nothing is stored, so a question of a million items
 * costs no memory. */
#ifndef ATELIER_FORCEFIELD_H
#define ATELIER_FORCEFIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "atelier/session.h"

/* The figure of one question. */
typedef struct at_ff {
	const at_subgroup_work *work;
	at_counts total;    /* .drivers, .brakes of its groups, every depth */
	size_t groups;      /* the groups shown: those with a force */
	double max_weight;  /* the largest weight of its forces, > 0 */
} at_ff;

/* One force as drawn. A sub-point of a driver is a driver too (it
 * explains its parent), drawn under it. */
typedef struct at_ff_force {
	const at_item *item;
	at_force force;
	size_t depth;   /* 0 for an item of the section itself */
	double weight;  /* as written; 1 when none is; 0 when negative */
	double share;   /* weight / the figure's max_weight, in [0, 1] */
} at_ff_force;

/* Whether q gets a figure: the session's grid declares a force, and its
 * groups gave at least one driver or brake. Fills *ff when it does. */
bool at_ff_of(const at_session *s, const at_question *q, at_ff *ff);

/* Whether group g is shown (a driver or a brake, at any depth); *n its
 * counts. */
bool at_ff_group_shown(const at_group *g, at_counts *n);

/* Calls fn for each force of kind `force` of g, in the order written, a
 * parent before its children; figures are not forces. Stops at the first
 * non-zero return of fn and returns it. */
typedef int (*at_ff_force_fn)(const at_ff_force *f, void *ctx);
int at_ff_each_force(const at_ff *ff, const at_group *g, at_force force,
		     at_ff_force_fn fn, void *ctx);

#endif
