/* report.c: checking one file and reporting its diagnostics in the form
 * the command line asked for; shared by check and build. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"

int at_cli_color(const at_cli *c)
{
	if (c->color >= 0)
		return c->color;
	const char *no = getenv("NO_COLOR");
	if (no && *no)
		return 0;
	return isatty(STDERR_FILENO);
}

const char *at_cli_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int at_cli_source_date_epoch(long long *out)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (!e || !*e)
		return 0;
	if (*e < '0' || *e > '9')
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(e, &end, 10);
	if (*end || errno)
		return -1;
	*out = v;
	return 1;
}

void at_cli_report(const at_cli *c, const char *path, const at_document *doc,
		   at_diags *d, FILE *err, FILE *out)
{
	at_diags_sort(d);
	path = at_cli_display_name(path);
	if (c->diag_format == AT_DIAGS_JSON) {
		at_diags_render_json(d, out, path);
		return;
	}
	at_render_opts ro = {at_cli_color(c), 1};
	at_document_render(doc, d, err, path, &ro);
	if (c->diag_format == AT_DIAGS_GITHUB)
		at_diags_render_github(d, out, path);
}

const char *at_cli_count(char *buf, size_t size, size_t n, at_count what)
{
	switch (what) {
	case AT_COUNT_ERRORS:
		snprintf(buf, size, P_("%zu error", "%zu errors", n), n);
		break;
	case AT_COUNT_WARNINGS:
		snprintf(buf, size, P_("%zu warning", "%zu warnings", n), n);
		break;
	}
	return buf;
}

/* "path: 9 errors, 1 warning" after a file's diagnostics, as compilers
 * end theirs: nothing when there are none. */
static void tally(FILE *err, const char *path, size_t errors,
		  size_t warnings)
{
	char e[64], w[64];
	if (!errors && !warnings)
		return;
	at_put_escaped(err, at_cli_display_name(path));
	fputs(": ", err);
	if (errors)
		fputs(at_cli_count(e, sizeof e, errors, AT_COUNT_ERRORS), err);
	if (errors && warnings)
		fputs(", ", err);
	if (warnings)
		fputs(at_cli_count(w, sizeof w, warnings, AT_COUNT_WARNINGS),
		      err);
	fputc('\n', err);
}

int at_cli_check_file(const at_cli *c, const char *path, FILE *err, FILE *out,
		      at_document **keep, size_t *warnings)
{
	at_diags d;
	int rc = at_cli_check_file_diags(c, path, err, out, keep, &d);
	if (warnings)
		*warnings = d.warnings;
	at_diags_free(&d);
	return rc;
}

int at_cli_check_file_diags(const at_cli *c, const char *path, FILE *err,
			    FILE *out, at_document **keep, at_diags *kept)
{
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_status st = at_document_load_file(path, &c->limits, &doc, &d);
	if (c->werror)
		at_diags_promote_warnings(&d);
	at_cli_report(c, path, doc, &d, err, out);
	int rc = 0;
	if (c->diag_format != AT_DIAGS_JSON && st != AT_EIO && !c->in_tree)
		tally(err, path, d.errors + (size_t)d.oom, d.warnings);
	if (st == AT_EIO || st == AT_ENOMEM)
		rc = AT_EXIT_USAGE;
	else if (at_diags_has_errors(&d) || !at_document_session(doc))
		rc = AT_EXIT_INPUT;
	if (rc == 0 && c->verbose) {
		size_t n = at_session_count(at_document_session(doc));
		char w[64];
		at_put_escaped(err, at_cli_display_name(path));
		fprintf(err,
			P_(": ok (%zu contribution, %s)\n",
			   ": ok (%zu contributions, %s)\n", n),
			n, at_cli_count(w, sizeof w, d.warnings,
					AT_COUNT_WARNINGS));
	}
	*kept = d;
	if (rc == 0 && keep)
		*keep = doc;
	else
		at_document_free(doc);
	return rc;
}
