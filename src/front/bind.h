/* bind.h: stage 3, the generic tree into the typed session model.
 *
 * Reports structural problems (missing or unknown keys, wrong types, bad
 * dates and numbers, empty items) and goes on past each one, so that one run
 * lists them all. References between parts (question ids, participants,
 * tables, sections) are resolved here and left NULL when unknown: the
 * validator reports them. */
#ifndef ATELIER_BIND_H
#define ATELIER_BIND_H

#include "arena.h"
#include "atelier/atelier.h"
#include "load.h"

/* NULL when the root is not a mapping (reported) or memory ran out. The
 * session points into the tree's texts, never at its nodes: when tree is
 * not NULL (root is its root), each contribution's nodes are released
 * once bound, so that the tree makes room for the model as it grows. */
at_session *at_bind(const at_node *root, at_tree *tree, const char *path,
		    const at_limits *lim, at_arena *a, at_diags *d);

/* Whether name is a top-level key of a session file (title, questions
 * ...): how a folder build tells a session that lacks `atelier: 1` from
 * other YAML. */
int at_is_session_key(const char *name);

#endif
