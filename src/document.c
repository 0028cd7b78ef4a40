/* document.c: the front half of the pipeline, one stage after another:
 * read -> load -> bind -> validate. Owns the arena and the source text. */
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
	at_arena arena;
	at_source src;
	at_node *root;
	at_session *session;
};

void at_limits_default(at_limits *l)
{
	l->max_input = 64u << 20;
	l->max_depth = 256;
	l->max_nodes = 4u << 20;
	l->max_items = 1000000;
	l->max_text = 1u << 20;
}

static at_status run(at_document *doc, const char *name, const at_limits *lim,
		     at_diags *d)
{
	at_status rc = at_load(&doc->src, lim, &doc->arena, &doc->root, d);
	if (!doc->root)
		return rc;
	doc->session = at_bind(doc->root, name, lim, &doc->arena, d);
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

at_status at_document_load_file(const char *path, const at_limits *lim,
				at_document **out, at_diags *d)
{
	at_limits def;
	if (!lim) {
		at_limits_default(&def);
		lim = &def;
	}
	*out = NULL;
	at_document *doc = new_document(d);
	if (!doc)
		return AT_ENOMEM;
	at_status rc = at_source_read(path, lim->max_input, &doc->src, d);
	if (rc == AT_OK)
		rc = run(doc, path, lim, d);
	return finish(doc, rc, out);
}

at_status at_document_load_buffer(const char *name, const char *buf,
				  size_t len, const at_limits *lim,
				  at_document **out, at_diags *d)
{
	at_limits def;
	if (!lim) {
		at_limits_default(&def);
		lim = &def;
	}
	*out = NULL;
	at_document *doc = new_document(d);
	if (!doc)
		return AT_ENOMEM;
	at_status rc = at_source_from_buffer(buf, len, lim->max_input, &doc->src,
					     d);
	if (rc == AT_OK)
		rc = run(doc, name, lim, d);
	return finish(doc, rc, out);
}

const at_session *at_document_session(const at_document *doc)
{
	return doc ? doc->session : NULL;
}

const at_node *at_document_root(const at_document *doc)
{
	return doc ? doc->root : NULL;
}

const char *at_document_source(const at_document *doc, size_t *len)
{
	if (!doc) {
		*len = 0;
		return NULL;
	}
	*len = doc->src.len;
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
