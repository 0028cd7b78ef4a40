/* load.h: stage 2, libyaml's events into an at_node tree with positions.
 *
 * What libyaml lets through and a session must not hold is rejected here:
 * duplicate keys, non-text keys, tags, merge keys, alias cycles, alias
 * expansion past the budget, nesting past the depth limit, a second
 * document. On any error the partial tree is dropped (*root = NULL). */
#ifndef ATELIER_LOAD_H
#define ATELIER_LOAD_H

#include "arena.h"
#include "atelier/atelier.h"
#include "read.h"

/* The tree as loaded, apart from its texts. Only the binder needs it: the
 * session keeps the texts (in the arena given to at_load_tree) and none of
 * the nodes, so the document frees the tree once the session is bound. */
typedef struct at_tree {
	at_node *root;
	at_arena nodes;  /* nodes, their lists of children, tags */
	int shared;      /* aliases: a node may have several parents */
} at_tree;

/* Loads src into t (initialised here; free it with at_tree_free, also on
 * failure): scalar texts go to texts, the rest to t->nodes. */
at_status at_load_tree(const at_source *src, const at_limits *lim,
		       at_arena *texts, at_tree *t, at_diags *d);

/* The binder is done with n and all it holds: their memory may go. Nothing
 * is released from a tree with aliases, where a node may be reached again
 * from another parent. */
void at_tree_release(at_tree *t, const at_node *n);

void at_tree_free(at_tree *t);

/* The whole tree, texts included, in one arena that only at_arena_free
 * releases. */
at_status at_load(const at_source *src, const at_limits *lim, at_arena *a,
		  at_node **root, at_diags *d);

#endif
