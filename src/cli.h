/* cli.h: what the command line's parts share: the parsed options, the one
 * way a file is checked and its diagnostics reported, and the commands. */
#ifndef ATELIER_CLI_H
#define ATELIER_CLI_H

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
	int werror;
	int color;               /* -1: on a terminal, unless NO_COLOR */
	at_diag_format diag_format;
	at_limits limits;
	/* build */
	const char *out_dir;     /* -o; "-" is standard output */
	const char *formats;     /* -f, or NULL for the default set */
	int lang;                /* -1: the session's */
	int front_matter, unsafe, csv_bom;
	int jobs;                /* -j; 0: one per processor */
	int force, prune;
	const char *depfile;
	int watch;
	unsigned figure_size;        /* --figure-size; 0: not scaled */
	unsigned long long figure_pixels; /* --max-figure-pixels */
} at_cli;

/* Loads and validates path, reports its diagnostics (human form to err,
 * machine forms to out, as the options say) and returns the exit code for
 * this file. On 0 and keep != NULL, *keep holds the document (free it).
 * *warnings (if given) receives the number of warnings. */
int at_cli_check_file(const at_cli *c, const char *path, FILE *err, FILE *out,
		      at_document **keep, size_t *warnings);

/* Reports diagnostics that belong to path, with excerpts from doc (which
 * may be NULL). */
void at_cli_report(const at_cli *c, const char *path, const at_document *doc,
		   at_diags *d, FILE *err, FILE *out);

int at_cli_color(const at_cli *c);

int at_cmd_build(const at_cli *c, int argc, char **argv);

/* Builds, then rebuilds on every change of an input, until a signal. */
int at_cmd_watch(const at_cli *c, int argc, char **argv);

#endif
