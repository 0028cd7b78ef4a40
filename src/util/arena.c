/* arena.c: chunked bump allocation for a document's tree and model, with
 * chunks given back once everything in them is released. */
/* MAP_ANONYMOUS is POSIX.1-2024, not 2008: glibc and macOS show it only
 * with their extensions (docs/portability.md). */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include "arena.h"
#include "sorted.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ARENA_CHUNK ((size_t)64 * 1024)
/* Mapped chunks are larger: fewer mappings, and released memory comes
 * back in order as a list is bound, so a coarser grain costs little. */
#define MAPPED_CHUNK ((size_t)256 * 1024)
#define ARENA_ALIGN (_Alignof(max_align_t))

/* Under AddressSanitizer a "mapped" arena takes its chunks from malloc
 * all the same: a node read after its release is then reported as a use
 * after free, where a mapping given back could have been reused unseen. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_MAPS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_MAPS 0
#endif
#endif
#ifndef ARENA_MAPS
#define ARENA_MAPS 1
#endif

struct at_arena_chunk {
	at_arena_chunk *next, *prev;
	size_t size, used;
	size_t live;   /* bytes handed out and not released */
	size_t mapped; /* length of its mapping, or 0: malloc'd */
	max_align_t data[];
};

/* Where a chunk's data lies, kept apart from the chunk so that a search
 * never reads a chunk already freed. Addresses are compared as integers:
 * pointers into different objects cannot be compared in C. */
struct at_arena_spot {
	uintptr_t start, end;
	at_arena_chunk *chunk; /* NULL once freed */
};

void at_arena_init(at_arena *a)
{
	memset(a, 0, sizeof *a);
}

void at_arena_init_mapped(at_arena *a)
{
	at_arena_init(a);
	if (!ARENA_MAPS)
		return;
	long page = sysconf(_SC_PAGESIZE);
	a->page = page > 0 ? (size_t)page : 4096;
}

static void free_chunk(at_arena_chunk *c)
{
	if (c->mapped)
		munmap(c, c->mapped);
	else
		free(c);
}

void at_arena_free(at_arena *a)
{
	at_arena_chunk *c = a->head;
	while (c) {
		at_arena_chunk *next = c->next;
		free_chunk(c);
		c = next;
	}
	free(a->spots);
	size_t page = a->page;
	at_arena_init(a);
	a->page = page;
}

static size_t align_up(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
}

/* From the system for a mapped arena: given back by munmap, a released
 * chunk leaves no hole in the C library's heap. A big chunk (one
 * allocation's) comes zeroed from calloc, which need not touch fresh
 * pages: they count only as they are filled. *zeroed says whether it is. */
static at_arena_chunk *new_chunk(at_arena *a, size_t cap, int big,
				 int *zeroed)
{
	at_arena_chunk *n;
	if (cap > SIZE_MAX - sizeof *n - a->page)
		return NULL;
	size_t bytes = sizeof *n + cap;
	if (a->page) {
		bytes = (bytes + a->page - 1) / a->page * a->page;
		void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		n = m;
		n->mapped = bytes;
		*zeroed = 1;
	} else {
		n = big ? calloc(1, bytes) : malloc(bytes);
		if (!n)
			return NULL;
		n->mapped = 0;
		*zeroed = big;
	}
	n->size = cap;
	n->used = 0;
	n->live = 0;
	n->prev = NULL;
	return n;
}

/* A chunk with at least size bytes free from offset `from` on. Big
 * requests get a chunk of their own, placed behind the current one so its
 * free space is not wasted. */
static at_arena_chunk *chunk_for(at_arena *a, size_t size, size_t *from,
				 int aligned, int *zeroed)
{
	at_arena_chunk *c = a->head;
	/* Mapped memory is zero, and a chunk is never written twice. */
	*zeroed = a->page != 0;
	if (c) {
		*from = aligned ? align_up(c->used) : c->used;
		if (*from <= c->size && c->size - *from >= size)
			return c;
	}
	size_t normal = a->page ? MAPPED_CHUNK - sizeof *c : ARENA_CHUNK;
	size_t cap = size > normal / 4 ? size : normal;
	at_arena_chunk *n = new_chunk(a, cap, cap != normal, zeroed);
	if (!n)
		return NULL;
	if (c && cap != normal) {
		n->next = c->next;
		n->prev = c;
		c->next = n;
	} else {
		n->next = c;
		a->head = n;
	}
	if (n->next)
		n->next->prev = n;
	a->n_chunks++;
	free(a->spots); /* out of date: made again by the next release */
	a->spots = NULL;
	a->n_spots = 0;
	*from = 0;
	return n;
}

/* size bytes at the right alignment; *zeroed when known to be zero. */
static void *take(at_arena *a, size_t size, int aligned, int *zeroed)
{
	size_t from;
	at_arena_chunk *c = chunk_for(a, size, &from, aligned, zeroed);
	if (!c)
		return NULL;
	void *p = (char *)c->data + from;
	c->used = from + size;
	c->live += size;
	a->used += size;
	return p;
}

void *at_arena_alloc(at_arena *a, size_t size)
{
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	size = align_up(size);
	int zeroed;
	void *p = take(a, size, 1, &zeroed);
	if (p && !zeroed)
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
	int zeroed;
	char *p = take(a, len + 1, 0, &zeroed);
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

static int by_start(const void *x, const void *y)
{
	uintptr_t a = ((const at_arena_spot *)x)->start;
	uintptr_t b = ((const at_arena_spot *)y)->start;
	return a < b ? -1 : a > b;
}

static int make_spots(at_arena *a)
{
	a->spots = malloc((a->n_chunks ? a->n_chunks : 1) * sizeof *a->spots);
	if (!a->spots)
		return -1;
	size_t n = 0;
	for (at_arena_chunk *c = a->head; c; c = c->next) {
		uintptr_t start = (uintptr_t)(void *)c->data;
		a->spots[n++] = (at_arena_spot){start, start + c->size, c};
	}
	qsort(a->spots, n, sizeof *a->spots, by_start);
	a->n_spots = n;
	return 0;
}

/* An address against a spot: before it, inside, after it. */
static int addr_vs_spot(const void *key, const void *e)
{
	uintptr_t u = *(const uintptr_t *)key;
	const at_arena_spot *s = e;
	return u < s->start ? -1 : u >= s->end ? 1 : 0;
}

static at_arena_spot *spot_of(at_arena *a, const void *p)
{
	uintptr_t u = (uintptr_t)p;
	at_arena_spot *s = at_find_sorted(a->spots, a->n_spots, sizeof *s, &u,
					  addr_vs_spot);
	return s && s->chunk ? s : NULL;
}

static void drop_chunk(at_arena *a, at_arena_spot *s)
{
	at_arena_chunk *c = s->chunk;
	if (c->prev)
		c->prev->next = c->next;
	else
		a->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free_chunk(c);
	s->chunk = NULL;
	a->n_chunks--;
}

int at_arena_release(at_arena *a, const void *p, size_t size)
{
	if (!p || (!a->spots && make_spots(a)))
		return -1;
	at_arena_spot *s = spot_of(a, p);
	size = align_up(size ? size : 1);
	if (!s || s->chunk->live < size)
		return -1;
	s->chunk->live -= size;
	a->used -= size;
	if (s->chunk->live == 0)
		drop_chunk(a, s);
	return 0;
}
