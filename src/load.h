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

at_status at_load(const at_source *src, const at_limits *lim, at_arena *a,
		  at_node **root, at_diags *d);

#endif
