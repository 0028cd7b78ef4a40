/* arena.c: chunked bump allocation for a document's tree and model. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK ((size_t)64 * 1024)
#define ARENA_ALIGN (_Alignof(max_align_t))

struct at_arena_chunk {
	at_arena_chunk *next;
	size_t size, used;
	max_align_t data[];
};

void at_arena_init(at_arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void at_arena_free(at_arena *a)
{
	at_arena_chunk *c = a->head;
	while (c) {
		at_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *at_arena_alloc(at_arena *a, size_t size)
{
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	size = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	at_arena_chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		/* Big requests get a chunk of their own, placed behind the
		 * current one so its free space is not wasted. */
		size_t cap = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;
		at_arena_chunk *n = malloc(sizeof *n + cap);
		if (!n)
			return NULL;
		n->size = cap;
		n->used = 0;
		if (c && cap != ARENA_CHUNK) {
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		c = n;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	a->used += size;
	memset(p, 0, size);
	return p;
}

void *at_arena_array(at_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return at_arena_alloc(a, n * size);
}

char *at_arena_strndup(at_arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = at_arena_alloc(a, len + 1);
	if (p) {
		if (len)
			memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *at_arena_strdup(at_arena *a, const char *s)
{
	return at_arena_strndup(a, s, strlen(s));
}
