/* arena.h: one bump allocator per document; everything it hands out is
 * released at once by at_arena_free, so the tree needs no per-node frees. */
#ifndef ATELIER_ARENA_H
#define ATELIER_ARENA_H

#include <stddef.h>

typedef struct at_arena_chunk at_arena_chunk;

typedef struct at_arena {
	at_arena_chunk *head;
	size_t used; /* bytes handed out, for the memory limit */
} at_arena;

void at_arena_init(at_arena *a);
void at_arena_free(at_arena *a);

/* Zeroed memory, aligned for any type; NULL when out of memory. */
void *at_arena_alloc(at_arena *a, size_t size);
/* n elements of size each, with overflow checked. */
void *at_arena_array(at_arena *a, size_t n, size_t size);
char *at_arena_strndup(at_arena *a, const char *s, size_t len);
char *at_arena_strdup(at_arena *a, const char *s);

#endif
