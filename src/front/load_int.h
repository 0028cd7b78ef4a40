/* load_int.h: what the loader's files share, private to them: load.c
 * (the event loop and the tree), load_text.c (texts YAML misreads),
 * load_syntax.c (syntax errors explained). */
#ifndef ATELIER_LOAD_INT_H
#define ATELIER_LOAD_INT_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "load.h"

/* A collection being built: its node, and its children so far (pairs for a
 * mapping are stored flat: key, value, key, value). */
typedef struct frame {
	at_node *node;
	at_node **kids;
	size_t n, cap;
	size_t weight;         /* nodes in its full expansion */
	size_t height;         /* deepest nesting of collections below it */
	yaml_mark_t start;     /* for the span of a one-line flow collection */
	int flow;              /* written [...] or {...} */
	const char *anchor;    /* to register when it closes, or NULL */
} frame;

typedef struct anchor {
	char *name;            /* owned: freed with the table */
	at_node *node;
	size_t weight;
	size_t height;         /* collections nested in it, itself included */
	int open;              /* still being built: an alias to it is a cycle */
	int used;              /* an alias refers to it */
} anchor;

typedef struct loader {
	const at_source *src;
	const at_limits *lim;
	at_arena *texts;       /* scalars' texts, which the session keeps */
	at_arena *nodes;       /* the rest, which it does not */
	at_diags *d;
	frame *stack;
	size_t depth, cap;
	anchor *anchors;       /* in the order they were written */
	size_t n_anchors, cap_anchors;
	/* By name: open addressing, each slot an index into anchors plus 1
	 * (0: empty). A file may hold a million anchors and aliases to the
	 * first of them: a scan per alias took hours. */
	size_t *slots;
	size_t cap_slots;      /* a power of two, or 0 */
	size_t used_slots;
	size_t expanded;       /* nodes counted with aliases expanded */
	/* Short texts already copied, by content: open addressing, NULL
	 * when empty (see text_of). */
	const char **short_texts;
	size_t cap_short, used_short;
	at_node *root;
	int shared;            /* an alias was followed */
	int failed;            /* the tree cannot be trusted: drop it */
	int soft;              /* errors reported, but the tree is usable */
	int documents;
	/* libyaml's marks count characters; the source is bytes. A cursor
	 * that only moves forward (marks mostly do) converts between them. */
	size_t cur_char, cur_byte;
	at_source_view view;   /* the text, for positions and spans */
	size_t fed;            /* bytes given to libyaml from the file */
	int unreadable;        /* the file could not be read again */
	/* Character indexes (as libyaml's marks count) of the spaces
	 * before a '#' glued to a word, in order; see comment_in_text. */
	size_t *hashes;
	size_t n_hashes, cap_hashes, next_hash;
} loader;

static inline at_pos mark_pos(yaml_mark_t m)
{
	return (at_pos){(uint32_t)m.line + 1, (uint32_t)m.column + 1};
}

/* The helpers keep their short names in the code; the symbols carry the
 * prefix load_ (the way zlib's Z_PREFIX does), so that no name as plain
 * as fail is global. */
#define fail load_fail
#define byte_at load_byte_at
#define span_of load_span_of
#define char_at load_char_at
#define text_span load_text_span
#define check_tag load_check_tag
#define has_nonchar load_has_nonchar
#define local_tag_text load_local_tag_text
#define empty_anchor_text load_empty_anchor_text
#define comment_in_text load_comment_in_text
#define explicit_key load_explicit_key
#define unused_text_anchors load_unused_text_anchors
#define syntax_error load_syntax_error

/* load.c: an error that drops the tree; the source's text at a mark. */
void fail(loader *L, const char *code, at_pos pos, uint32_t span,
	  const char *msg);
size_t byte_at(loader *L, size_t ci);
uint32_t span_of(loader *L, yaml_mark_t s, yaml_mark_t e);
char char_at(loader *L, yaml_mark_t m);
const char *text_span(loader *L, size_t from, size_t to);

/* load_text.c */
int check_tag(loader *L, const yaml_char_t *tag, at_pos pos, uint32_t span);
int has_nonchar(const char *s, size_t len);
int local_tag_text(loader *L, yaml_event_t *e, at_pos pos, uint32_t span,
		   const char **s, size_t *len);
int empty_anchor_text(loader *L, yaml_event_t *e, at_pos pos, uint32_t span,
		      const char **s, size_t *len);
void comment_in_text(loader *L, const yaml_event_t *e);
int explicit_key(loader *L, const yaml_event_t *key);
void unused_text_anchors(loader *L);

/* load_syntax.c */
void syntax_error(loader *L, yaml_parser_t *p);

#endif
