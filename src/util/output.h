/* output.h: writing a session's outputs so that a failure or a kill never
 * leaves a half-written report or damages the previous one: every output
 * is written to a temporary file in its target folder, and only when all of
 * them are complete are they renamed over the old ones. */
#ifndef ATELIER_OUTPUT_H
#define ATELIER_OUTPUT_H

#include <stdio.h>
#include "atelier/emitter.h"

/* Writes a file's content to f: AT_OK, or the status that abandons it. */
typedef at_status (*at_write_fn)(FILE *f, void *ctx);

typedef struct at_output {
	const at_emitter *emitter;
	const at_emitter *impl; /* what writes it (at_emitter_impl): set here */
	char *path;       /* final path, or NULL for standard output */
	char *tmp;        /* temporary path while being written */
	/* Or, emitter NULL, a file that is no report (a build's own data
	 * about the session, at path): write(f, ctx) makes it, outside the
	 * output budget, forced to disk and renamed with the reports. */
	at_write_fn write;
	void *ctx;
} at_output;

/* Emits s through each output; renames them into place only if all
 * succeeded. On failure every temporary file is removed and the previous
 * outputs are untouched. I/O problems are diagnostics at 0:0 naming the
 * path. Files past o->max_output bytes together stop the writing: an
 * error at 0:0 that names the budget, AT_EINPUT. */
at_status at_outputs_write(const at_session *s, at_output *outs, size_t n,
			   const at_emit_options *o, at_diags *d);

/* Writes data to dir/name the same way: whole or not at all. */
at_status at_write_atomic(const char *dir, const char *name, const char *data,
			  size_t len, at_diags *d);

/* The same, the content written to a stream by write: for what is too
 * large to hold in memory first. */
at_status at_write_atomic_with(const char *dir, const char *name,
				at_write_fn write, void *ctx, at_diags *d);

/* An emitter that must write a private temporary file (a library that
 * writes only to a path) registers it while it exists, so that an
 * interrupted build removes it too. */
void at_tmp_track(char *path);
void at_tmp_untrack(char *path);

/* Who may read a temporary file: AT_TMP_PRIVATE keeps mkstemp's 0600 (a
 * scratch file, copied then removed); AT_TMP_SHARED gives it the mode of
 * any new file, 0666 & ~umask, since it is renamed into a report. */
typedef enum at_tmp_mode { AT_TMP_PRIVATE, AT_TMP_SHARED } at_tmp_mode;

/* Creates a file from templ (ending in XXXXXX, rewritten in place to the
 * name chosen) and tracks it with at_tmp_track, signals blocked in between
 * so that a kill never leaves it behind. Returns its descriptor, or -1 with
 * errno set. The caller untracks, unlinks or renames, and frees templ only
 * once untracked. */
int at_tmp_create(char *templ, at_tmp_mode mode);

/* What a temporary file's name adds to its target's: ".tmp-" and six
 * letters or digits (mkstemp's XXXXXX). Names that long must still fit
 * in a folder entry. */
#define AT_TMP_SUFFIX ".tmp-"
#define AT_TMP_TEMPLATE AT_TMP_SUFFIX "XXXXXX"

/* Whether name (a file name, no folder) is one atelier's temporary files
 * take: "x.html.tmp-a1B2c3". */
int at_tmp_name_is_ours(const char *name);

/* Removes the regular files of dir named so, left by a build that was
 * killed (SIGKILL, a power cut): never through a symbolic link, neither
 * dir nor its entries. Only for a folder no other build is writing in (the
 * caller holds its lock). Calls removed(path, ctx) for each, if given;
 * returns how many. */
size_t at_tmp_sweep(const char *dir, void (*removed)(const char *name,
						     void *ctx),
		    void *ctx);

/* Removes the temporary files being written, from a signal handler. */
void at_outputs_install_signal_cleanup(void);

#endif
