/* cli.h: what the command line's parts share: the parsed options, the one
 * way a file is checked and its diagnostics reported, and the commands. */
#ifndef ATELIER_CLI_H
#define ATELIER_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "atelier/atelier.h"

enum { AT_EXIT_INPUT = 1, AT_EXIT_USAGE = 2 };

typedef enum at_diag_format {
	AT_DIAGS_HUMAN,  /* compiler style on stderr */
	AT_DIAGS_GITHUB, /* the same, plus GitHub annotations on stdout */
	AT_DIAGS_JSON    /* JSON lines on stdout, nothing on stderr */
} at_diag_format;

typedef struct at_cli {
	int verbose;
	int in_tree;             /* a folder build's session: its summary line
				  * counts, not a line per file */
	int werror;
	int color;               /* -1: on a terminal, unless NO_COLOR */
	at_diag_format diag_format;
	at_limits limits;
	/* build */
	const char *out_dir;     /* -o; "-" is standard output */
	const char *formats;     /* -f, or NULL for the default set */
	int lang;                /* -1: the session's */
	int front_matter, unsafe;
	int csv;                 /* an at_csv_dialect */
	int jobs;                /* -j; 0: one per processor */
	int force, prune;
	/* --shard K/N: only the sessions of shard K (1..N) of a folder;
	 * shard_n 0: all of them (at most AT_SHARDS_MAX parts) */
	unsigned shard_k, shard_n;
	const char *depfile;
	int watch;
	/* A hash of every option given that can change a report, a diagnostic
	 * or the exit status (main.c derives it from its option table): a
	 * folder build rebuilds when it differs from the last build's. */
	uint64_t options_key;
	unsigned figure_size;        /* --figure-size; 0: not scaled */
	unsigned long long figure_pixels; /* --max-figure-pixels */
} at_cli;

#define AT_SHARDS_MAX 4096

/* Loads and validates path, reports its diagnostics (human form to err,
 * machine forms to out, as the options say) and returns the exit code for
 * this file. On 0 and keep != NULL, *keep holds the document (free it).
 * *warnings (if given) receives the number of warnings. */
int at_cli_check_file(const at_cli *c, const char *path, FILE *err, FILE *out,
		      at_document **keep, size_t *warnings);

/* The same, the diagnostics reported handed over in *kept (free them), as
 * a folder build records them to replay them while the session is up to
 * date. */
int at_cli_check_file_diags(const at_cli *c, const char *path, FILE *err,
			    FILE *out, at_document **keep, at_diags *kept);

/* Reports diagnostics that belong to path, with excerpts from doc (which
 * may be NULL). */
void at_cli_report(const at_cli *c, const char *path, const at_document *doc,
		   at_diags *d, FILE *err, FILE *out);

int at_cli_color(const at_cli *c);

/* How diagnostics name path: "<stdin>" for "-", else path itself. */
const char *at_cli_display_name(const char *path);

/* SOURCE_DATE_EPOCH: 1 and *out when set to seconds since 1970, 0 when
 * unset or empty, -1 when malformed (an error, as reproducible-builds.org
 * asks, rather than a timestamp silently taken from elsewhere). */
int at_cli_source_date_epoch(long long *out);
/* "1 warning", "2 warnings": every count the command line prints of
 * errors and warnings is phrased here (src/cli/report.c). */
typedef enum at_count { AT_COUNT_ERRORS, AT_COUNT_WARNINGS } at_count;

const char *at_cli_count(char *buf, size_t size, size_t n, at_count what);

int at_cmd_build(const at_cli *c, int argc, char **argv);

/* Builds, then rebuilds on every change of an input, until a signal. */
int at_cmd_watch(const at_cli *c, int argc, char **argv);

/* atelier merge SHARD_OUT... -o OUT (src/tree/merge.c). */
int at_cmd_merge(const at_cli *c, int argc, char **argv);

#endif
