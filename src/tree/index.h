/* index.h: what a build across many sessions remembers of each one, and
 * the index pages written from it (OUT/index.md, OUT/index.html). */
#ifndef ATELIER_INDEX_H
#define ATELIER_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "atelier/atelier.h"
#include "atelier/emitter.h"

/* A driver or brake, as the index groups them across sessions. */
typedef struct at_force_note {
	int brake;       /* 0 driver, 1 brake */
	char *text;      /* plain text */
	char *tags;      /* comma-separated, or "" */
	char *key;       /* at_force_key(text), or NULL: computed when needed */
} at_force_note;

/* The ids of the keys the index groups a force under, appended to *ids
 * (*n of *cap; at_grow): its words' key, then each of its tags. An id is
 * the 64-bit hash (at_hash_bytes) of "BRAKE|text|KEY" or "BRAKE|tag|TAG"
 * with its lowest bit 1 for a tag. -1 on OOM. */
int at_force_key_ids(const at_force_note *f, uint64_t **ids, size_t *n,
		     size_t *cap);

typedef struct at_summary {
	char *rel;       /* the input, relative to the build's root */
	char *title;     /* plain text */
	char *date;      /* YYYY-MM-DD */
	char *place;     /* or "" */
	long people;     /* attendance, else participants listed; 0 unknown */
	long contributions, drivers, brakes;
	/* The reports, relative to OUT without their extension
	 * ("2016/moulins"), or "" ; and the formats built, by emitter
	 * name, comma-separated ("md,html,json"). */
	char *report;
	char *formats;
	at_force_note *forces;
	size_t n_forces;
	/* Why the session no longer builds, or NULL or "" when it does: its
	 * last good reports (if any) are kept, and the index says they are
	 * stale and why. */
	char *failed;
	/* What the folder's own pages follow (at_index_lang, and whether
	 * they speak of forces): the session's language, "fr" or "en" ("" or
	 * NULL when it never built), and whether its grid declares a driver
	 * or a brake section. */
	char *lang;
	int force_grid;
	/* The ids of its forces' keys (at_force_key_ids), in their order:
	 * the index counts recurring forces by them, without reading the
	 * forces of every session. Lent by the manifest (never freed here). */
	const uint64_t *key_ids;
	size_t n_key_ids;
} at_summary;

/* Fills sum from a validated session (strings malloc'd). */
int at_summary_of(const at_session *s, at_summary *sum);
void at_summary_free(at_summary *sum);

/* The report of sum in the first format built whose emitter has flag
 * (AT_EMITTER_WEB_PAGE...), else in the first format built that the index
 * links (AT_EMITTER_INDEXED); NULL when there is none. */
const at_emitter *at_summary_report(const at_summary *sum, unsigned flag);

/* "Résistance au changement !" -> "resistance au changement": the key
 * under which the same force said in two sessions is grouped (forcekey.c):
 * case and accents folded (composed or not), letters and digits of any
 * script kept, anything else one space between words. NULL on OOM. */
char *at_force_key(const char *text);

/* The forces of session i of an index, loaded on demand (valid until the
 * next call): a repository's do not all fit in memory at once. */
typedef int (*at_forces_fn)(void *ctx, size_t i, const at_force_note **v,
			    size_t *n);

/* The language of a folder's own pages (the index, the merged workbook):
 * cli when given (>= 0), else the sessions' when they all agree
 * (at_lang_fold), else French. */
at_lang at_index_lang(int cli, const at_summary *v, size_t n);

/* The names a folder build writes at OUT's root besides the reports:
 * OUT/index.md and OUT/index.html. */
#define AT_INDEX_STEM "index"

/* Writes index.md and index.html into out_dir (atomically), sessions
 * newest first with a link to each of their reports, then the forces that
 * recur across sessions: counted by v[i].key_ids, and shown from the
 * forces of the few sessions each one lists (from forces(ctx, i), or
 * v[i].forces when forces is NULL). book: link OUT/contributions.xlsx. */
at_status at_index_write(const char *out_dir, const at_summary *v, size_t n,
			 at_forces_fn forces, void *ctx, at_lang lang, int book,
			 at_diags *d);

#endif
