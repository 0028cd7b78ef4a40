/* md_text.h: the session's Markdown texts made safe to stand inside the
 * Markdown compte-rendu, through the text layer (text.h: parse,
 * neutralise raw HTML and refused link targets, render back as GFM) so
 * that their markup survives but nothing in them can break the structure
 * around them: an item stays one paragraph inside its list item, a heading
 * inside a block text sinks below the section holding it; and the few
 * pieces of Markdown the report builds around them (a figure, the front
 * matter, a link destination). Internal to emit_md.c. */
#ifndef ATELIER_MD_TEXT_H
#define ATELIER_MD_TEXT_H

#include <cmark-gfm.h>

#include "buf.h"
#include "text.h"

typedef struct at_mdt {
	int unsafe;          /* --unsafe: raw HTML passes */
	int oom;
	at_buf src;          /* scratch */
} at_mdt;

enum { AT_MDT_ONE_LINE = AT_MD_ONE_LINE, AT_MDT_NO_STRONG = AT_MD_NO_STRONG,
       AT_MDT_NO_EMPH = AT_MD_NO_EMPH };

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
 * an inline text's safe Markdown moved into `to`; a new node; children
 * moved; a document rendered without its final newline. */
void at_mdt_append_inline(at_mdt *m, cmark_node *to, const char *text,
			  int flags);
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
