/* manifest.h: what a folder build remembers in OUT/.atelier-manifest, so
 * that the next build rebuilds only what changed and can remove the
 * reports of deleted sessions (--prune). For each session: its inputs (the
 * YAML and its figures) with size, modification time and content hash; the
 * outputs written; and the summary the index is made from, so that an
 * up-to-date session need not be read again. */
#ifndef ATELIER_MANIFEST_H
#define ATELIER_MANIFEST_H

#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include "atelier/atelier.h"
#include "hash.h"
#include "index.h"
#include "read.h"

#define AT_MANIFEST_NAME ".atelier-manifest"

typedef struct at_manifest at_manifest;
typedef struct at_manifest_entry at_manifest_entry;


at_manifest *at_manifest_new(uint64_t options_hash);
/* The manifest in root, or NULL when there is none (or it is unreadable:
 * then a warning, and everything is rebuilt). Only its cheap part is
 * read: what each session was built from and wrote, and its diagnostics,
 * which are all a rebuild where nothing changed needs. */
at_manifest *at_manifest_load(const char *root, uint64_t options_hash,
			      at_diags *d);
/* Reads the rest (the summaries, and where the forces are), which
 * anything but at_manifest_entry_fresh, _diags, _n_deps, _dep, _key,
 * _input, find, count and at needs. 0, or -1 with a warning when that
 * part is damaged: then m must be dropped and everything rebuilt. */
int at_manifest_load_summaries(at_manifest *m, at_diags *d);
at_status at_manifest_save(const at_manifest *m, const char *root,
			   at_diags *d);
/* The manifest under root as it is, with the options it was built with
 * (atelier merge takes a part's build as it was made); NULL when there
 * is none or it cannot be read (then said in d when damaged). */
at_manifest *at_manifest_load_as_is(const char *root, at_diags *d);
uint64_t at_manifest_options(const at_manifest *m);
void at_manifest_free(at_manifest *m);
/* Whether root's manifest is still the file m was read from (1), or
 * still missing when m is NULL: another build may have written it while
 * this one waited for OUT's lock. */
int at_manifest_unchanged(const at_manifest *m, const char *root);

at_manifest_entry *at_manifest_find(at_manifest *m, const char *key);
size_t at_manifest_count(const at_manifest *m);
at_manifest_entry *at_manifest_at(const at_manifest *m, size_t i);
/* Takes ownership of e (freed on failure). 0, or -1 on OOM. */
int at_manifest_put(at_manifest *m, at_manifest_entry *e);
/* Copies e, but moves its forces and key ids (the most of it) to the
 * copy; stale marks the copy to be rebuilt next time. 0, or -1 on OOM. */
int at_manifest_put_copy(at_manifest *m, at_manifest_entry *e, int stale);
/* The summaries of every entry, in key order (owned by m), with their
 * key ids and without their forces: those are read one summary at a time
 * by at_manifest_forces. */
const at_summary *at_manifest_summaries(at_manifest *m, size_t *n);
/* The drivers and brakes of the i-th summary, read back from disk (or
 * memory) into m, valid until the next call. 0, or -1 if unreadable. */
int at_manifest_forces(at_manifest *m, size_t i, const at_force_note **v,
		       size_t *n);
/* Moves e's forces out of memory, to the end of the file to (a build's
 * scratch file, which must stay open while e or a copy of it lives), so
 * that thousands of entries cost little memory. 0, or -1. */
int at_manifest_spill(at_manifest_entry *e, FILE *to);

at_manifest_entry *at_manifest_entry_new(const char *key, const char *input);
void at_manifest_entry_free(at_manifest_entry *e);
const char *at_manifest_entry_key(const at_manifest_entry *e);
const char *at_manifest_entry_input(const at_manifest_entry *e);
/* NULL when the entry has no summary. */
const at_summary *at_manifest_entry_summary(const at_manifest_entry *e);
/* Records an input as it is now (size, time, content hash), before it is
 * read to be built: an input that changes after is rebuilt next time. */
int at_manifest_entry_add_dep(at_manifest_entry *e, const char *path);
/* Records an input as it was read (read.h): what was built from it. */
int at_manifest_entry_add_read(at_manifest_entry *e, const char *path,
			       const at_source_stamp *st);
int at_manifest_entry_add_output(at_manifest_entry *e, const char *rel);
int at_manifest_entry_set_summary(at_manifest_entry *e, const at_summary *s);
/* Marks e's session as failing to build now, for why (its summary's
 * failed, which the index shows); e is rebuilt next time. 0, or -1. */
int at_manifest_entry_set_failed(at_manifest_entry *e, const char *why);
/* The diagnostics a session's build reported (its warnings), kept so that
 * a build that finds it up to date shows them again. 0, or -1 on OOM. */
int at_manifest_entry_add_diags(at_manifest_entry *e, const at_diags *d);
/* Whether e (or NULL) holds any. */
int at_manifest_entry_has_diags(const at_manifest_entry *e);
/* Appends them to d; their codes point into the text returned (free it
 * after d), NULL on OOM. */
char *at_manifest_entry_diags(const at_manifest_entry *e, at_diags *d);
/* Inputs unchanged (by size and time, else by content), outputs present,
 * and built with the same options. */
int at_manifest_entry_fresh(const at_manifest_entry *e, const char *root);
/* Whether path, which the search found a regular file as st says
 * (lstat), is e's session file as e's last build read it: the same path,
 * size and time of modification. That build found it a session, so it
 * need not be read again to know it is one, nor its time asked again by
 * at_manifest_entry_fresh_in (e remembers it). A stale entry (failed,
 * built with other options) or a racy time never matches. */
int at_manifest_entry_found_as(at_manifest_entry *e, const char *path,
			       const struct stat *st);
/* The folder last looked in, kept open: checking thousands of entries in
 * order, folder by folder, then looks up one name a file, not its whole
 * path. Owned by the caller (_init, then _free). */
typedef struct at_manifest_probe {
	char *dir;
	int fd;
	/* Outputs: the folder's names, read once, sorted. */
	char **names;
	size_t n_names, cap;
	int listed; /* 1 read, -1 unreadable, 0 not yet */
} at_manifest_probe;
void at_manifest_probe_init(at_manifest_probe *p);
void at_manifest_probe_free(at_manifest_probe *p);
/* at_manifest_entry_fresh, looking up inputs in probe[0] and outputs in
 * probe[1]. */
int at_manifest_entry_fresh_in(const at_manifest_entry *e, const char *root,
			       at_manifest_probe probe[2]);
/* Removes the outputs of old that now no longer writes (a figure's copy
 * named after content that changed). */
void at_manifest_entry_remove_dropped(const at_manifest_entry *old,
				      const at_manifest_entry *now,
				      const char *root);
/* Removes the entry's outputs; returns how many were removed. */
size_t at_manifest_entry_remove_outputs(const at_manifest_entry *e,
					const char *root);
/* One entry in the manifest's text form, and back: how a worker process
 * hands what it built to the parent. _read modifies text; NULL if it does
 * not hold exactly one entry. */
void at_manifest_entry_write(const at_manifest_entry *e, FILE *f);
at_manifest_entry *at_manifest_entry_read(char *text);

/* The inputs recorded: the session file first, then its figures. */
size_t at_manifest_entry_n_deps(const at_manifest_entry *e);
/* Its outputs, relative to OUT. */
size_t at_manifest_entry_n_outputs(const at_manifest_entry *e);
const char *at_manifest_entry_output(const at_manifest_entry *e, size_t i);
const char *at_manifest_entry_dep(const at_manifest_entry *e, size_t i);

int at_index_exists(const char *root);

#endif
