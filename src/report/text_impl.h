/* text_impl.h: what the text layer's files share (text.c parses, text_md.c
 * renders Markdown, text_runs.c styled runs); nothing outside them. */
#ifndef ATELIER_TEXT_IMPL_H
#define ATELIER_TEXT_IMPL_H

#include <cmark-gfm.h>

#include "text.h"

struct at_text {
	cmark_node *doc;
	at_text_kind kind;
};

/* Nodes collected during a walk, changed after it: cmark forbids changing
 * a tree while iterating over it. */
typedef struct at_node_list {
	cmark_node **v;
	size_t n, cap;
	int oom;
} at_node_list;

void at_node_list_push(at_node_list *l, cmark_node *n);
void at_node_list_free(at_node_list *l);

/* The extensions' node types, which cmark-gfm numbers at run time. */
typedef enum {
	AT_X_NONE,
	AT_X_STRIKE,
	AT_X_TABLE,
	AT_X_ROW,    /* a body row */
	AT_X_HEADER, /* the header row */
	AT_X_CELL
} at_ext_type;
at_ext_type at_ext_type_of(cmark_node *n);

/* Makes every literal under root a copy of its own: cmark-gfm's inline
 * literals point into their paragraph's buffer, which a node moved out
 * of it must not outlive. */
void at_own_literals(cmark_node *root);

/* A new node of type t holding literal (when not NULL). */
cmark_node *at_new_node(cmark_node_type t, const char *literal);

/* The lines of lit as nodes of type t, joined by soft breaks (or spaces
 * when one_line), put before `before`, else at the end of parent. */
void at_place_lines(at_buf *scratch, const char *lit, cmark_node_type t,
		    cmark_node *parent, cmark_node *before, int one_line);

/* Whether s, an inline text, is a plain sentence that the Markdown
 * rendering gives back unchanged: most contributions are, and skipping
 * the parse for them keeps big sessions fast (the bytes are the same
 * either way). */
int at_md_as_is(const char *s);

/* Whether the link's text, text, is what its url says: the url itself, or
 * the url less "http://" or "mailto:" (as GFM's autolinks write them). */
int at_link_text_is_url(const char *text, size_t len, const char *url);

#endif
