/* build_int.h: what the pieces of `atelier build` share (private to
 * build*.c). build.c plans the jobs from the command line and holds the
 * options; build_session.c builds one session; build_run.c runs the jobs
 * in worker processes and prints their diagnostics in order; build_find.c
 * finds the sessions of a folder and refuses colliding names;
 * build_tree.c finishes a folder build (manifest, index, merged workbook,
 * depfile). */
#ifndef ATELIER_BUILD_INT_H
#define ATELIER_BUILD_INT_H

#include <stdint.h>
#include <stdio.h>

#include "atelier/emitter.h"
#include "book.h"
#include "cli.h"
#include "manifest.h"

#define MAX_FORMATS 16

typedef enum job_state { JOB_PENDING, JOB_BUILT, JOB_UP_TO_DATE,
			 JOB_FAILED } job_state;

typedef struct job {
	char *input;     /* as found or given */
	char *rel;       /* relative to the root: the manifest's key */
	char *out_dir;   /* NULL: standard output */
	char *stem;
	const char *root; /* the folder searched, where its figures stay */
	job_state state;
	int rc;
	size_t warnings;
	/* What a folder build records of it: inputs, outputs, summary. */
	at_manifest_entry *entry;
	char *err_text, *out_text; /* diagnostics, printed in order */
	size_t err_len, out_len;
	int done;        /* finished and its texts stored */
	int fresh;       /* its last build stands (build.c, find_fresh) */
	/* Its size and time when the search found it a session (valid 0:
	 * given, not searched): a worker that reads it changed since says
	 * so in the manifest (build_session.c, record_inputs). */
	at_source_stamp found;
} job;

typedef struct build {
	const at_cli *c;
	const at_emitter *sel[MAX_FORMATS];
	size_t n_sel;
	job *jobs;
	size_t n_jobs, jobs_cap;
	const char *root_out;      /* OUT for folders, or NULL */
	at_manifest *old;          /* what the last build recorded */
	uint64_t options_hash;
	size_t printed;            /* jobs whose diagnostics are out */
	size_t finished;
	int progress;              /* draw a progress bar on stderr */
	/* OUT/contributions.xlsx, filled with the sessions in their order
	 * as they finish, from the first one built on: a parallel build
	 * writes it while the workers build (book.c). */
	int wants_book, any_built, book_on;
	at_book *book;             /* NULL: not started, or failed to */
	size_t book_next;          /* first job not yet in the book */
	at_diags book_diags;
	/* Where the drivers and brakes of the sessions built wait for the
	 * index (at_manifest_spill): thousands would not fit in memory. An
	 * unlinked file, gone with the process. */
	FILE *spill;
	/* The folders last looked in for inputs and outputs, kept open
	 * while the sessions are checked in order (manifest.h). */
	at_manifest_probe probe[2];
	/* What finding the sessions reported (warn_lookalikes). */
	size_t found_warnings;
	int found_rc;
} build;

/* A file found under a folder: its path, and its size and time then. */
typedef struct found_file {
	char *rel;
	at_source_stamp st;
} found_file;

/* Session files found under a folder (build_find.c). */
typedef struct found {
	found_file *v;  /* paths relative to the searched folder */
	size_t n, cap;
	int oom;
	struct found *lookalikes; /* YAML files that look like sessions */
	/* The last build's manifest (or NULL): a file it read as a session,
	 * unchanged since, is not read again. Its keys are prefix/path. */
	at_manifest *known;
	const char *prefix;
} found;

/* build.c: -v lines and messages that quote a name (the contributor's,
 * escaped as diagnostics escape it). */
char *build_escaped(const char *name);
void build_say(FILE *f, const char *path, const char *what);
void build_say_wrote(FILE *f, const char *path, const char *name);

/* build_session.c */
long long build_timestamp_at(int year, int month, int day);
long long build_size_of(const char *path);
int build_copies_figures(const build *b);
void build_record_failure(build *b, job *j, const at_diags *d);
int build_up_to_date(build *b, const job *j);
/* fresh: j is known to be up to date (its diagnostics are replayed). */
void build_work_on(build *b, job *j, int fresh);

/* build_run.c */
void build_run_all(build *b);

/* build_find.c */
int build_cmp_str(const void *a, const void *b);
int build_cmp_found(const void *a, const void *b);
int build_in_shard(const at_cli *c, const char *rel);
void build_search(const at_cli *c, const char *root, const char *rel,
		  const char *skip, found *f);
void build_free_found(found *f);
int build_check_collisions(const build *b);
void build_warn_lookalikes(build *b, found *look);

/* build_tree.c */
int build_wants_book(const build *b);
void build_book_add(at_book *book, const char *root_out, const char *name,
		    const at_summary *sum);
long long build_book_timestamp(const at_summary *v, size_t n);
int build_feed_book(build *b);
int build_book_ready(const build *b);
int build_write_depfile(const build *b);
int build_finish_tree(build *b, size_t *pruned);
/* Locks OUT for a folder build (exclusive) or a file's (shared), waiting
 * for another build: the descriptor to close, -2 nothing to lock, -1. */
int build_lock_out(const char *root, int exclusive);

#endif
