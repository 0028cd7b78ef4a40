/* document.c: the front half of the pipeline, one stage after another:
 * read -> load -> bind -> validate. Owns the arena and the source.
 *
 * Memory on a large file is what this file arranges, so that the peak
 * stays near the texts plus the model: a checked file's text is not kept
 * (it is read again from the file where needed); the tree lives in an
 * arena of its own, which gives back each contribution's nodes as soon as
 * it is bound and goes whole after binding; the document's arena keeps
 * only the texts and the model, which the session points into. */
#define _XOPEN_SOURCE 700 /* realpath: the folder figures are confined to */
#include "atelier/atelier.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bind.h"
#include "load.h"
#include "lookup.h"
#include "read.h"
#include "validate.h"

struct at_document {
	at_arena arena;       /* scalars' texts and the typed model */
	at_source src;
	at_session *session;
};

void at_limits_default(at_limits *l)
{
	l->max_input = 64u << 20;
	l->max_depth = 256;
	l->max_nodes = 4u << 20;
	l->max_items = 1000000;
	l->max_text = 1u << 20;
	l->max_cpu = 0;
	l->max_output = 0;
	l->figure_root = NULL;
	l->figures_anywhere = 0;
}

static size_t mib_of(long long n)
{
	return n > 0 ? (size_t)((n + (1 << 20) - 1) >> 20) : 0;
}

size_t at_limits_cpu(const at_limits *l, long long input_size)
{
	return l->max_cpu ? l->max_cpu : 10 + mib_of(input_size);
}

size_t at_limits_output(const at_limits *l, long long input_size)
{
	if (l->max_output)
		return l->max_output;
	size_t in = input_size > 0 ? (size_t)input_size : 0;
	return ((size_t)64 << 20) + (in < SIZE_MAX / 64 ? in * 32 : SIZE_MAX / 2);
}

/* Where the session's figures may come from (figure.h), as a real path
 * in the arena. */
static void set_figure_root(at_document *doc, const at_limits *lim)
{
	at_session *s = doc->session;
	s->figures_anywhere = lim->figures_anywhere;
	s->figure_root_is_tree = lim->figure_root != NULL;
	char *real = realpath(lim->figure_root ? lim->figure_root : s->dir,
			      NULL);
	s->figure_root = real ? at_arena_strdup(&doc->arena, real) : NULL;
	free(real);
}

static at_status run(at_document *doc, const char *name, const at_limits *lim,
		     at_diags *d)
{
	at_tree tree;
	at_status rc = at_load_tree(&doc->src, lim, &doc->arena, &tree, d);
	if (at_source_changed(&doc->src)) {
		at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "the file changed while it was read: run again");
		at_tree_free(&tree);
		return AT_EIO;
	}
	if (!tree.root) {
		at_tree_free(&tree);
		return rc;
	}
	doc->session = at_bind(tree.root, &tree, name, lim, &doc->arena, d);
	at_tree_free(&tree); /* nothing points into it */
	if (doc->session)
		set_figure_root(doc, lim);
	if (doc->session && at_session_index(doc->session, &doc->arena)) {
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		return AT_ENOMEM;
	}
	if (doc->session)
		at_validate(doc->session, d);
	if (d->oom)
		return AT_ENOMEM;
	return at_diags_has_errors(d) ? AT_EINPUT : AT_OK;
}

static at_document *new_document(at_diags *d)
{
	at_document *doc = calloc(1, sizeof *doc);
	if (!doc)
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
	else
		at_arena_init(&doc->arena);
	return doc;
}

/* I/O failures leave no document; input errors keep it, with its source,
 * so that diagnostics can quote the lines. */
static at_status finish(at_document *doc, at_status rc, at_document **out)
{
	if (rc == AT_EIO || rc == AT_ENOMEM) {
		at_document_free(doc);
		*out = NULL;
	} else {
		*out = doc;
	}
	return rc;
}

/* The start of a load: *lim the default limits (kept in def) when NULL,
 * nothing in *out yet, and a new document (NULL: out of memory). */
static at_document *start(const at_limits **lim, at_limits *def,
			  at_document **out, at_diags *d)
{
	if (!*lim) {
		at_limits_default(def);
		*lim = def;
	}
	*out = NULL;
	return new_document(d);
}

at_status at_document_load_file(const char *path, const at_limits *lim,
				at_document **out, at_diags *d)
{
	at_limits def;
	at_document *doc = start(&lim, &def, out, d);
	if (!doc)
		return AT_ENOMEM;
	int is_stdin = strcmp(path, "-") == 0;
	at_status rc = is_stdin ? at_source_read_stdin(lim->max_input,
						       &doc->src, d)
				: at_source_read(path, lim->max_input,
						 &doc->src, d);
	if (rc == AT_OK) {
		/* Checked: from here on the file is read again where needed,
		 * rather than held whole beside the tree and the model. */
		at_source_drop_text(&doc->src);
		rc = run(doc, is_stdin ? "<stdin>" : path, lim, d);
	}
	return finish(doc, rc, out);
}

at_document *at_document_open_source(const char *path)
{
	at_document *doc = calloc(1, sizeof *doc);
	if (!doc)
		return NULL;
	at_arena_init(&doc->arena);
	if (at_source_open(path, &doc->src) != AT_OK) {
		at_document_free(doc);
		return NULL;
	}
	return doc;
}

at_status at_document_load_buffer(const char *name, const char *buf,
				  size_t len, const at_limits *lim,
				  at_document **out, at_diags *d)
{
	at_limits def;
	at_document *doc = start(&lim, &def, out, d);
	if (!doc)
		return AT_ENOMEM;
	at_status rc = at_source_from_buffer(buf, len, lim->max_input, &doc->src,
					     d);
	if (rc == AT_OK)
		rc = run(doc, name, lim, d);
	return finish(doc, rc, out);
}

const at_source_stamp *at_document_stamp(const at_document *doc)
{
	return &doc->src.stamp;
}

const at_session *at_document_session(const at_document *doc)
{
	return doc ? doc->session : NULL;
}

static const char *source_line(void *ctx, uint32_t n, size_t *len)
{
	return at_lines_get(ctx, n, len);
}

void at_document_render(const at_document *doc, const at_diags *d,
			FILE *out, const char *path, const at_render_opts *o)
{
	if (!doc) {
		at_diags_render_lines(d, out, path, NULL, NULL, o);
		return;
	}
	at_source_lines lines;
	at_lines_init(&lines, &doc->src);
	at_diags_render_lines(d, out, path, source_line, &lines, o);
	at_lines_free(&lines);
}

const char *at_document_source(const at_document *doc, size_t *len)
{
	if (!doc) {
		*len = 0;
		return NULL;
	}
	*len = doc->src.data ? doc->src.len : 0;
	return doc->src.data;
}

void at_document_free(at_document *doc)
{
	if (!doc)
		return;
	at_arena_free(&doc->arena);
	at_source_free(&doc->src);
	free(doc);
}
