/* bind_int.h: what the binder's files share, private to them: bind.c
 * (the session and the driver), bind_read.c (keys and values),
 * bind_items.c (items and figures), bind_work.c (grid, sub-groups,
 * brainstorms, kits). */
#ifndef ATELIER_BIND_INT_H
#define ATELIER_BIND_INT_H

#include <stddef.h>

#include "bind.h"
#include "suggest.h"

typedef struct binder {
	at_arena *a;
	at_tree *tree;    /* to release what is bound, or NULL */
	int nesting;      /* lists of items being bound, one in another */
	at_diags *d;
	const at_limits *lim;
	at_session *s;
	size_t items;     /* contributions so far, against lim->max_items */
	int too_many;     /* reported once */
	/* The grid's ids, sorted (keys a group may hold), and for each the
	 * index of its section in the grid. */
	const char **section_ids;
	size_t *section_of;
	size_t n_section_ids;
} binder;

/* A key a mapping may hold. */
typedef struct key_spec {
	const char *name;
	int required;
} key_spec;

#define END_KEYS {NULL, 0}

/* The helpers keep their short names in the code; the symbols carry the
 * prefix bind_ (the way zlib's Z_PREFIX does), so that no name as plain
 * as err is global. */
#define alloc_array bind_alloc_array
#define err bind_err
#define is_blank bind_is_blank
#define says_nothing bind_says_nothing
#define check_keys bind_check_keys
#define expect_map bind_expect_map
#define dash_without_space bind_dash_without_space
#define get_list bind_get_list
#define get_map bind_get_map
#define colon_text bind_colon_text
#define node_text bind_node_text
#define get_text bind_get_text
#define get_texts bind_get_texts
#define str_of bind_str_of
#define get_str bind_get_str
#define node_int bind_node_int
#define get_int bind_get_int
#define node_number bind_node_number
#define range_of bind_range_of
#define get_range bind_get_range
#define get_id bind_get_id
#define node_strs bind_node_strs
#define get_date bind_get_date
#define read_maps bind_read_maps
#define read_pairs bind_read_pairs
#define get_items bind_get_items
#define index_sections bind_index_sections
#define section_named bind_section_named

/* bind_read.c: each reports what is wrong at the node and returns nothing
 * (NULL, 0, an empty value); get_X reads key X of a mapping, node_X a
 * node. */
void *alloc_array(binder *B, size_t n, size_t size);
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void err(binder *B, const char *code, const at_node *n, const char *fmt, ...);
int is_blank(const char *s);
int says_nothing(const at_node *v);
void check_keys(binder *B, const at_node *map, const key_spec *specs,
		const char *const *extra, size_t n_extra, const char *what);
int expect_map(binder *B, const at_node *n, const char *what);
int dash_without_space(binder *B, const at_node *n);
const at_node *get_list(binder *B, const at_node *map, const char *key,
			const char *what);
const at_node *get_map(binder *B, const at_node *map, const char *key,
		       const char *what);
/* Reads a mapping n, or the pair p of a mapping, into slot: 1 to keep it. */
typedef int (*read_map_fn)(binder *B, const at_node *n, void *slot);
typedef int (*read_pair_fn)(binder *B, const at_pair *p, void *slot);
void *read_maps(binder *B, const at_node *l, const char *what, size_t size,
		size_t *n, read_map_fn one);
void *read_pairs(binder *B, const at_node *m, size_t size, size_t *n,
		 read_pair_fn one);
const char *colon_text(binder *B, const at_node *n);
const char *node_text(binder *B, const at_node *n, const char *key);
const char *get_text(binder *B, const at_node *map, const char *key);
/* A record's optional texts, each read from the key of its field's name
 * into that field (TEXT_FIELD); the table ends with {NULL, 0}. */
typedef struct text_field {
	const char *key;
	size_t offset;
} text_field;
#define TEXT_FIELD(type, field) {#field, offsetof(type, field)}
void get_texts(binder *B, const at_node *map, void *record,
	       const text_field *fields);
at_str str_of(const char *s, const at_node *n);
at_str get_str(binder *B, const at_node *map, const char *key);
int node_int(binder *B, const at_node *n, const char *key, long min,
	     long max, long *out);
int get_int(binder *B, const at_node *map, const char *key, long min,
	    long max, long *out, at_pos *pos);
int node_number(binder *B, const at_node *n, const char *key, double *out);
at_range range_of(binder *B, const at_node *n, const char *key);
at_range get_range(binder *B, const at_node *map, const char *key);
at_str get_id(binder *B, const at_node *map, const char *key);
at_strs node_strs(binder *B, const at_node *n, const char *key);
at_date get_date(binder *B, const at_node *map);

/* bind_items.c */
at_figures bind_figures(binder *B, const at_node *map);
void bind_items(binder *B, const at_node *list, at_items *out,
		const char *key);
void get_items(binder *B, const at_node *map, const char *key,
	       at_items *out);

/* bind_work.c */
void bind_sections(binder *B, const at_node *root);
void index_sections(binder *B);
size_t section_named(const binder *B, const char *id);
void bind_subgroups(binder *B, const at_node *root);
void bind_brainstorm(binder *B, const at_node *root);
void bind_kit(binder *B, const at_node *root);

#endif
