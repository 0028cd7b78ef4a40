/* diag.h: source positions and the diagnostics every stage reports.
 *
 * Stages never print: they append diagnostics to an at_diags list, and the
 * command line sorts and renders them once, like a compiler would. */
#ifndef ATELIER_DIAG_H
#define ATELIER_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A position in the source: 1-based line and column, columns counted in
 * characters (code points), as an editor shows them. 0:0 means "the file". */
typedef struct at_pos {
	uint32_t line;
	uint32_t col;
} at_pos;

typedef enum at_severity {
	AT_ERROR,
	AT_WARNING,
	AT_NOTE
} at_severity;

typedef struct at_diag {
	at_severity severity;
	at_pos pos;
	uint32_t span; /* characters to underline from pos (at least 1) */
	char *message; /* owned by the list */
	const char *code; /* stable short name, e.g. "unknown-key"; static */
} at_diag;

typedef struct at_diags {
	at_diag *v;
	size_t n, cap;
	size_t errors, warnings;
	int oom; /* a diagnostic could not be stored: treat as an error */
} at_diags;

void at_diags_init(at_diags *d);
void at_diags_free(at_diags *d);

/* Appends one diagnostic; printf-style message. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
void at_diag_add(at_diags *d, at_severity sev, const char *code, at_pos pos,
		 uint32_t span, const char *fmt, ...);

/* Turns every warning into an error (--werror). */
void at_diags_promote_warnings(at_diags *d);

/* Sorts by position (stable: same position keeps report order). */
void at_diags_sort(at_diags *d);

int at_diags_has_errors(const at_diags *d);

/* Renders every diagnostic the way compilers do:
 *   path:line:col: error: message
 *      42 |         brakess:
 *         |         ^~~~~~~
 * src/src_len is the file's text (may be NULL: no excerpt). */
typedef struct at_render_opts {
	int color;   /* ANSI colours */
	int excerpt; /* show the source line and caret */
} at_render_opts;

void at_diags_render(const at_diags *d, FILE *out, const char *path,
		     const char *src, size_t src_len, const at_render_opts *o);

/* The same with the excerpts' lines from line(ctx, n, &len): line n
 * (1-based) without its line break, or NULL when there is none, valid
 * until the next call; asked for in increasing order, so that a text read
 * from its file is read once. line may be NULL: no excerpt. */
typedef const char *(*at_line_fn)(void *ctx, uint32_t n, size_t *len);

void at_diags_render_lines(const at_diags *d, FILE *out, const char *path,
			   at_line_fn line, void *ctx,
			   const at_render_opts *o);

const char *at_severity_name(at_severity s);

/* Writes s with its control characters (C0, DEL, C1) shown as \xNN or
 * \uNNNN, as diagnostics show the user's words: for file names in
 * messages, which must not move the cursor or start a CI command. */
void at_put_escaped(FILE *out, const char *s);

/* Machine-readable forms, for CI and editors (src/cli/diag_formats.c):
 * GitHub Actions workflow commands, one per diagnostic
 *   ::error file=path,line=42,col=9,title=unknown-key::message
 * and JSON lines, one object per diagnostic
 *   {"file":..., "line":42, "col":9, "severity":"error", "code":..., "message":...} */
void at_diags_render_github(const at_diags *d, FILE *out, const char *path);
void at_diags_render_json(const at_diags *d, FILE *out, const char *path);

#endif
