/* sorted.c: binary search over sorted arrays (see sorted.h). */
#include "sorted.h"

#include <string.h>

/* The first element e with cmp(key, e) < 0, or <= 0 when !after. */
static size_t bound(const void *v, size_t n, size_t size, const void *key,
		    at_key_cmp cmp, int after)
{
	const char *p = v;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp(key, p + mid * size);
		if (c > 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t at_lower_bound(const void *v, size_t n, size_t size, const void *key,
		      at_key_cmp cmp)
{
	return bound(v, n, size, key, cmp, 0);
}

size_t at_upper_bound(const void *v, size_t n, size_t size, const void *key,
		      at_key_cmp cmp)
{
	return bound(v, n, size, key, cmp, 1);
}

void *at_find_sorted(const void *v, size_t n, size_t size, const void *key,
		     at_key_cmp cmp)
{
	size_t i = bound(v, n, size, key, cmp, 0);
	if (i == n || cmp(key, (const char *)v + i * size) != 0)
		return NULL;
	return (char *)v + i * size;
}

int at_cmp_str_key(const void *key, const void *e)
{
	return strcmp(key, *(const char *const *)e);
}
