/* node.h: the generic YAML tree, as loaded, before any meaning is given.
 *
 * Every node remembers where it starts in the source. Aliases are resolved
 * by sharing: an alias points at its anchor's node, so the tree is a DAG and
 * positions inside an aliased subtree are those of the anchor. */
#ifndef ATELIER_NODE_H
#define ATELIER_NODE_H

#include <stddef.h>
#include "atelier/diag.h"

typedef enum at_node_kind {
	AT_SCALAR,
	AT_SEQ,
	AT_MAP
} at_node_kind;

typedef enum at_scalar_style {
	AT_PLAIN,   /* unquoted: may be a number, a date, null, a boolean */
	AT_QUOTED,  /* 'single' or "double": always text */
	AT_BLOCK    /* | or >: always text */
} at_scalar_style;

typedef struct at_node at_node;

typedef struct at_pair {
	at_node *key;
	at_node *value;
} at_pair;

struct at_node {
	at_node_kind kind;
	at_pos pos;
	uint32_t span;   /* characters on the first line, for the caret */
	const char *tag; /* explicit tag as written, or NULL */
	union {
		struct {
			const char *s; /* NUL-terminated; may contain no NUL */
			size_t len;
			at_scalar_style style;
		} scalar;
		struct {
			at_node **v;
			size_t n;
		} seq;
		struct {
			at_pair *v;
			size_t n;
		} map;
	} u;
};

/* True for an untagged plain scalar that YAML reads as null: "", ~, null. */
int at_node_is_null(const at_node *n);

/* The value of key in a mapping, or NULL. */
const at_node *at_map_get(const at_node *map, const char *key);

/* Human name of what a node is, for "expected X, found Y" messages:
 * "a mapping", "a list", "text", "a number", "nothing" ... */
const char *at_node_describe(const at_node *n);

#endif
