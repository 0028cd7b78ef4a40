/* emitter.h: the one interface every output format implements.
 *
 * An emitter turns a validated session into bytes on a stream, reading the
 * session only (never the YAML, never another emitter's output). Adding a
 * format is one new src/emit_*.c defining an at_emitter, plus one line in
 * the registry (src/emitters.c). */
#ifndef ATELIER_EMITTER_H
#define ATELIER_EMITTER_H

#include <stdio.h>
#include "atelier/atelier.h"

typedef struct at_emit_options {
	at_lang lang;          /* language of the labels */
	int front_matter;      /* md: YAML front matter for site generators */
	int unsafe;            /* md: let raw HTML from the session through */
	int csv_bom;           /* csv: start with a UTF-8 byte-order mark */
	/* Folder the output is written to, or NULL for standard output:
	 * relative links (figures) are made relative to it. */
	const char *out_dir;
	/* Seconds since the epoch for timestamps inside files (xlsx
	 * properties): SOURCE_DATE_EPOCH when set, else the session's date,
	 * so that the same input gives the same bytes. */
	long long timestamp;
	/* Figures (src/figure.h): the long side in pixels (0: not scaled),
	 * the pixel budget of one image (0: the default), -v notes on each
	 * figure processed, and the session's figures processed so far
	 * (NULL: the emitter processes its own). */
	unsigned figure_size;
	unsigned long long figure_pixels;
	int verbose;
	struct at_figure_set *figures;
} at_emit_options;

typedef struct at_emitter {
	const char *name;        /* as given to -f: "md" */
	const char *ext;         /* file extension without the dot */
	const char *description; /* one line, for `atelier formats` */
	int document;            /* part of the default set of `build` */
	int binary;              /* not text: never written to a terminal */
	/* Writes s to out. Problems that belong to the input (a text too long
	 * for a spreadsheet cell) are diagnostics with their position and
	 * AT_EINPUT; a failed write is AT_EIO. */
	at_status (*emit)(const at_session *s, FILE *out,
			  const at_emit_options *o, at_diags *d);
} at_emitter;

/* The registry, in the order formats are listed and built. */
const at_emitter *const *at_emitters(size_t *n);
const at_emitter *at_emitter_find(const char *name);

#endif
