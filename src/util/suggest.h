/* suggest.h: "did you mean" suggestions, shared by the binder (keys), the
 * validator (ids) and the command line (commands, formats). */
#ifndef ATELIER_SUGGEST_H
#define ATELIER_SUGGEST_H

#include <stddef.h>

/* Optimal string alignment distance: a swap of two letters is one edit. */
size_t at_edit_distance(const char *a, const char *b);

/* The closest of candidates[0..n) to word, or NULL if none is close
 * enough to be a typo. */
const char *at_suggest(const char *word, const char *const *candidates,
		       size_t n);

#endif
