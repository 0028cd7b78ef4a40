/* sorted.h: the one binary search over a sorted array, for every lookup by
 * id or key (the binder, session.c, validate.c, manifest.c, arena.c).
 * cmp(key, e)
 * compares the key with an element, as bsearch's does: < 0 when the key
 * comes before e, 0 when e matches it, > 0 after. */
#ifndef ATELIER_SORTED_H
#define ATELIER_SORTED_H

#include <stddef.h>

typedef int (*at_key_cmp)(const void *key, const void *e);

/* The index of the first element that matches key or comes after it (n
 * when none): where key would be inserted before its equals. */
size_t at_lower_bound(const void *v, size_t n, size_t size, const void *key,
		      at_key_cmp cmp);
/* The index of the first element that comes after key (n when none). */
size_t at_upper_bound(const void *v, size_t n, size_t size, const void *key,
		      at_key_cmp cmp);
/* The first element that matches key, or NULL. */
void *at_find_sorted(const void *v, size_t n, size_t size, const void *key,
		     at_key_cmp cmp);

/* cmp for an array of strings (const char *) searched by a string. */
int at_cmp_str_key(const void *key, const void *e);

#endif
