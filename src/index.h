/* index.h: what a build across many sessions remembers of each one, and
 * the index pages written from it (OUT/index.md, OUT/index.html). */
#ifndef ATELIER_INDEX_H
#define ATELIER_INDEX_H

#include <stddef.h>
#include "atelier/atelier.h"

/* A driver or brake, as the index groups them across sessions. */
typedef struct at_force_note {
	int brake;       /* 0 driver, 1 brake */
	char *text;      /* plain text */
	char *tags;      /* comma-separated, or "" */
} at_force_note;

typedef struct at_summary {
	char *rel;       /* the input, relative to the build's root */
	char *title;     /* plain text */
	char *date;      /* YYYY-MM-DD */
	char *place;     /* or "" */
	long people;     /* attendance, else participants listed; 0 unknown */
	long contributions, drivers, brakes;
	char *html;      /* the HTML report, relative to OUT, or "" */
	char *md;        /* the Markdown report, relative to OUT, or "" */
	at_force_note *forces;
	size_t n_forces;
	/* Why the session no longer builds, or NULL or "" when it does: its
	 * reports were removed, and the index says so in their place. */
	char *failed;
} at_summary;

/* Fills sum from a validated session (strings malloc'd). */
int at_summary_of(const at_session *s, at_summary *sum);
void at_summary_free(at_summary *sum);

/* "Résistance au changement !" -> "resistance au changement": the key
 * under which the same force said in two sessions is grouped. */
char *at_force_key(const char *text);

/* The forces of session i of an index, loaded on demand (valid until the
 * next call): a repository's do not all fit in memory at once. */
typedef int (*at_forces_fn)(void *ctx, size_t i, const at_force_note **v,
			    size_t *n);

/* Writes index.md and index.html into out_dir (atomically), sessions
 * newest first, then the forces that recur across sessions (the forces of
 * v[i] from forces(ctx, i), or v[i].forces when forces is NULL). */
at_status at_index_write(const char *out_dir, const at_summary *v, size_t n,
			 at_forces_fn forces, void *ctx, at_lang lang,
			 at_diags *d);

#endif
