/* manifest_int.h: what manifest.c (the entries and the manifest in
 * memory) and manifest_text.c (the file they are written to and read
 * from) share. Private to them. */
#ifndef ATELIER_MANIFEST_INT_H
#define ATELIER_MANIFEST_INT_H

#include <stdio.h>

#include "buf.h"
#include "manifest.h"

/* 5: each entry's key ids (K), and its F lines without their key: the
 * index counts recurring forces by the ids, and reads the forces of a few
 * sessions only, whose keys it computes.
 * 4 also puts the summaries (V U X F lines) before the cheap part of every
 * entry (E D O G) and ends with where that part starts (Z), so that a
 * rebuild where nothing changed reads only that part.
 * 2: the summary names its reports' path and formats, not two links.
 * 3: and the session's language and whether its grid has forces; each
 * session's rows file (bookrows.h) is one of its outputs.
 * 4: each driver and brake with its key (at_force_key): a change of that
 * rule bumps the version, so that no index groups by two rules. */
#define MANIFEST_VERSION 5

typedef struct dep {
	char *path;
	long long size, sec, nsec;
	uint64_t hash;
} dep;

struct at_manifest_entry {
	char *key, *input;
	dep *deps;
	size_t n_deps;
	char **outputs;
	size_t n_outputs, outputs_cap;
	at_summary sum;   /* without its forces: see forces below */
	int has_sum;
	int stale; /* never fresh: built with other options, or failed */
	int input_seen; /* the search found deps[0] unchanged (found_as) */
	/* Loaded from a file whose summaries are not read yet (sum_later),
	 * and whether its summary (V line) has been read. */
	int sum_later, summed;
	at_buf diags; /* G lines: what its build reported, to replay */
	/* The summary's drivers and brakes, as the manifest's F lines. A
	 * repository has millions: they stay on disk, in the manifest they
	 * were read from or in a build's spill file (at_manifest_spill),
	 * and are read back one session at a time when the index or the
	 * manifest is written. A fresh entry holds them in memory (text). */
	at_buf forces;
	FILE *forces_file;
	long long forces_off;
	size_t forces_len;
	/* The ids of its forces' keys (at_force_key_ids), the K line; keyed
	 * once they are known (a summary read from a file has a K line). */
	uint64_t *ids;
	size_t n_ids, ids_cap;
	int keyed;
};

struct at_manifest {
	uint64_t options_hash;
	at_manifest_entry **v;
	size_t n, cap;
	int sorted;
	at_summary *sums; /* view for the index, rebuilt on demand */
	at_manifest_entry **sum_entries; /* whose summary each one is */
	FILE *file;       /* the manifest read, kept open for its F lines */
	/* Where its summaries are, and whether they are still to be read
	 * (at_manifest_load_summaries). */
	long long summaries_from, summaries_to;
	int summaries_pending;
	at_buf text;      /* one entry's F lines, read back */
	at_force_note *notes; /* and parsed, in text */
	size_t notes_cap;
};

/* manifest.c */
int mf_push_dep(at_manifest_entry *e, dep d);
int mf_push_output(at_manifest_entry *e, const char *rel);
/* Whether rel is a name inside OUT (no "..", not absolute). */
int mf_inside_out(const char *rel);

/* The F lines of e (from memory, its spill file or the manifest read),
 * appended to out. 0, or -1 if unreadable. */
int mf_read_forces(const at_manifest_entry *e, at_buf *out);

/* manifest_text.c */
/* A tab, then s with backslash, tab and line ends escaped. */
void mf_field(at_buf *b, const char *s);
/* Splits a line at its tabs into at most max fields, unescaped in place;
 * returns how many. */
size_t mf_split(char *line, char **fields, size_t max);

#endif
