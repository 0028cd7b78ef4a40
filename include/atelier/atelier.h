/* atelier.h: the public entry points, from a file to a validated session.
 *
 *   at_document *doc;
 *   at_diags d; at_diags_init(&d);
 *   int rc = at_document_load_file(path, &limits, &doc, &d);
 *   ... at_document_session(doc) ...
 *   at_document_free(doc); at_diags_free(&d);
 *
 * Every stage reports into the same diagnostics list and never prints. */
#ifndef ATELIER_H
#define ATELIER_H

#include <stddef.h>
#include "atelier/diag.h"
#include "atelier/node.h"
#include "atelier/session.h"

#define ATELIER_VERSION "0.1.0"
#define ATELIER_FORMAT_VERSION 1

/* Results shared by every function that can fail. */
typedef enum at_status {
	AT_OK = 0,
	AT_EINPUT = 1, /* the input has errors: see the diagnostics */
	AT_EIO = 2,    /* the file could not be read or written */
	AT_ENOMEM = 3
} at_status;

/* Bounds that keep hostile input from exhausting memory or time. */
typedef struct at_limits {
	size_t max_input;     /* bytes; default 64 MiB */
	size_t max_depth;     /* nesting of collections; default 256 */
	size_t max_nodes;     /* nodes after alias expansion; default 4 M */
	size_t max_items;     /* contributions; default 1 M */
	size_t max_text;      /* bytes in one scalar; default 1 MiB */
	/* Budgets of one session's build (0: the default, which grows with
	 * the file: see at_limits_cpu and at_limits_output). */
	size_t max_cpu;       /* seconds of CPU time */
	size_t max_output;    /* bytes written, all outputs together */
	/* Figures: the folder they must stay inside (NULL: the session
	 * file's own), or anywhere (a facilitator's own machine). */
	const char *figure_root;
	int figures_anywhere;
} at_limits;

void at_limits_default(at_limits *l);

/* The budgets for a session file of input_size bytes: max_cpu or max_output
 * when set, else 10 s plus 1 s per MiB, and 64 MiB plus 32 bytes per byte
 * (a report is a few times its file; an alias bomb is thousands). */
size_t at_limits_cpu(const at_limits *l, long long input_size);
size_t at_limits_output(const at_limits *l, long long input_size);

typedef struct at_document at_document;

/* Reads, loads, binds and validates one session file ("-": standard
 * input, named "<stdin>", its figures found from the current folder). On AT_OK or AT_EINPUT
 * *out holds a document (free it); its session is only safe to emit when
 * the diagnostics hold no error. On AT_EIO/AT_ENOMEM *out is NULL and the
 * reason is a diagnostic at 0:0. */
at_status at_document_load_file(const char *path, const at_limits *lim,
				at_document **out, at_diags *d);

/* The same from bytes in memory; name is used for figures' folder. */
at_status at_document_load_buffer(const char *name, const char *buf,
				  size_t len, const at_limits *lim,
				  at_document **out, at_diags *d);

/* The typed session, or NULL when the tree could not be bound at all. */
const at_session *at_document_session(const at_document *doc);

/* Renders d as at_diags_render does, with excerpts from doc's text; doc
 * may be NULL (no excerpt). A large file's text is not kept in memory:
 * its lines are read again from the file, and left out if it changed. */
void at_document_render(const at_document *doc, const at_diags *d,
			FILE *out, const char *path, const at_render_opts *o);

/* The source text (BOM removed) when the document holds it in memory: one
 * loaded from a buffer or a pipe, or that is not valid text. NULL for a
 * file read again when needed (see at_document_render). */
const char *at_document_source(const at_document *doc, size_t *len);

void at_document_free(at_document *doc);

#endif
