/* md_text.h: the session's Markdown texts made safe to stand inside the
 * Markdown compte-rendu. Each text goes through cmark (parse, neutralise
 * raw HTML and dangerous link targets, render back as CommonMark) so that
 * its markup survives but nothing in it can break the structure around
 * it: an item stays one paragraph inside its list item, a heading inside
 * a block text sinks below the section holding it. Internal to
 * emit_md.c, which writes the report's own structure around them. */
#ifndef ATELIER_MD_TEXT_H
#define ATELIER_MD_TEXT_H

#include <cmark.h>

#include "buf.h"

/* cmark nodes collected during a walk, changed after it: cmark forbids
 * changing a tree while iterating over it. */
typedef struct at_mdt_nodes {
	cmark_node **v;
	size_t n, cap;
} at_mdt_nodes;

typedef struct at_mdt {
	int unsafe;          /* --unsafe: raw HTML passes */
	int oom;
	at_buf src;          /* scratch: a text prepared for cmark */
	at_mdt_nodes found;
} at_mdt;

enum { AT_MDT_ONE_LINE = 1, AT_MDT_NO_STRONG = 2, AT_MDT_NO_EMPH = 4 };

void at_mdt_init(at_mdt *m, int unsafe);
void at_mdt_free(at_mdt *m);

/* Appends an inline text (item, title, prompt) as Markdown that cmark
 * reads back as the same one paragraph. */
void at_mdt_inline(at_mdt *m, at_buf *out, const char *text, int flags);

/* Appends a block text (context, brief, note...) with its headings sunk
 * `demote` levels, and lead (Markdown written by the emitter) at the start
 * of its first paragraph. Returns whether it ends with a "1." list, which
 * a list written right after it would continue. */
int at_mdt_block(at_mdt *m, at_buf *out, const char *text, int demote,
		 const char *lead);

/* The pieces to build a paragraph of one's own (a kit step, a figure):
 * an inline text parsed into a document holding one safe paragraph; a
 * new node; children moved; a document rendered without its final
 * newline. */
cmark_node *at_mdt_inline_doc(at_mdt *m, const char *text, int flags,
			      cmark_node **para);
cmark_node *at_mdt_node(cmark_node_type t, const char *literal);
void at_mdt_move_children(cmark_node *to, cmark_node *from);
void at_mdt_render(at_mdt *m, cmark_node *doc, at_buf *out);

/* Appends a figure: its image (url, alt as plain text) and its caption
 * (inline Markdown, or NULL) in italics, below it, or on the next line
 * inside a list item. */
void at_mdt_figure(at_mdt *m, at_buf *out, const char *url, const char *alt,
		   const char *caption, int in_list);

/* Appends `key: "s"\n`, s quoted as a YAML double-quoted string that
 * every YAML reader takes back whole: for the front matter. */
void at_mdt_yaml_string(at_buf *b, const char *key, const char *s);

/* A link destination: what cmark could misread escaped, spaces and
 * control characters percent-encoded. */
void at_mdt_url(at_buf *b, const char *url);

#endif
