/* arena.h: bump allocation for a document; everything an arena hands out
 * is released at once by at_arena_free, so the tree needs no per-node
 * frees.
 *
 * An arena can also give memory back before that, a chunk at a time: a
 * chunk is freed as soon as everything handed out from it has been
 * released (at_arena_release). The loader's tree uses this so that the
 * nodes of what the binder is done with make room for the model. */
#ifndef ATELIER_ARENA_H
#define ATELIER_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct at_arena_chunk at_arena_chunk;
typedef struct at_arena_spot at_arena_spot;

typedef struct at_arena {
	at_arena_chunk *head;
	size_t used; /* bytes handed out, for the memory limit */
	/* The chunks by address, made by the first release after a new
	 * chunk (NULL until then): a released pointer finds its chunk. */
	at_arena_spot *spots;
	size_t n_spots;
	size_t n_chunks;
	size_t page;     /* mapped arena: the system's page size; else 0 */
} at_arena;

void at_arena_init(at_arena *a);
/* An arena whose chunks are mapped from the system rather than taken from
 * malloc: a chunk released goes back to the system at once, instead of
 * staying a hole in the heap that only small allocations could reuse. */
void at_arena_init_mapped(at_arena *a);
void at_arena_free(at_arena *a);

/* Zeroed memory, aligned for any type; NULL when out of memory. */
void *at_arena_alloc(at_arena *a, size_t size);
/* n elements of size each, with overflow checked. */
void *at_arena_array(at_arena *a, size_t n, size_t size);
/* Texts are packed byte to byte: they need no alignment, and a session's
 * texts are most of its memory. */
char *at_arena_strndup(at_arena *a, const char *s, size_t len);
char *at_arena_strdup(at_arena *a, const char *s);

/* Gives back what at_arena_alloc(a, size) returned as p (or
 * at_arena_array's n * size; texts cannot be released). Its chunk is freed
 * when nothing handed out from it is left. -1 when p lies in no chunk of
 * a, or its chunk has less than size left to release: a bug. */
int at_arena_release(at_arena *a, const void *p, size_t size);

#endif
