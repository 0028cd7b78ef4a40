/* suggest.c: "did you mean" for keys, ids, options and commands: the one
 * edit distance and the one choice of the closest candidate. */
#include "suggest.h"

#include <stdint.h>
#include <string.h>


size_t at_edit_distance(const char *a, const char *b)
{
	/* Optimal string alignment distance, so that a swap of two letters
	 * ("barkes") counts as one edit. Words here are short keys. */
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return la > lb ? la : lb;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *at_suggest(const char *word, const char *const *candidates,
		       size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	size_t len = strlen(word);
	/* Close enough to be a typo, not merely a short word. */
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	for (size_t i = 0; i < n; i++) {
		/* The distance is at least the difference in length: most
		 * candidates are ruled out without building a table. */
		size_t lc = strlen(candidates[i]);
		if ((lc > len ? lc - len : len - lc) > limit)
			continue;
		size_t dist = at_edit_distance(word, candidates[i]);
		if (dist < best_d) {
			best_d = dist;
			best = candidates[i];
		}
	}
	return best && best_d <= limit ? best : NULL;
}
