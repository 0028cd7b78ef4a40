/* bind_items.c: the contributions: an item's text and items, its
 * authors, where it was born (round, table), weight, link, tags, votes and
 * note; figures; the limit on contributions; an outline YAML misreads. */
#include "bind_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- figures and items ---- */

static const char *join_path(binder *B, const char *dir, const char *rel)
{
	if (rel[0] == '/' || strcmp(dir, ".") == 0)
		return rel;
	size_t ld = strlen(dir), lr = strlen(rel);
	char *p = at_arena_alloc(B->a, ld + lr + 2);
	if (!p)
		return rel;
	snprintf(p, ld + lr + 2, "%s/%s", dir, rel);
	return p;
}

static const key_spec figure_keys[] = {
	{"image", 1}, {"caption", 0}, {"alt", 0}, END_KEYS};

static int bind_figure(binder *B, const at_node *n, at_figure *f)
{
	if (!expect_map(B, n, "a figure"))
		return 0;
	check_keys(B, n, figure_keys, NULL, 0, "figure");
	f->pos = n->pos;
	f->image = get_str(B, n, "image");
	static const text_field texts[] = {TEXT_FIELD(at_figure, caption),
					   TEXT_FIELD(at_figure, alt),
					   {NULL, 0}};
	get_texts(B, n, f, texts);
	if (!f->image.s)
		return 0; /* missing: reported by check_keys */
	if (is_blank(f->image.s))
		return 0; /* reported by check_keys */
	f->path = join_path(B, B->s->dir, f->image.s);
	return 1;
}

at_figures bind_figures(binder *B, const at_node *map)
{
	at_figures r = {NULL, 0};
	const at_node *l = get_list(B, map, "figures", "figures");
	if (!l || !(r.v = alloc_array(B, l->u.seq.n, sizeof *r.v)))
		return r;
	for (size_t i = 0; i < l->u.seq.n; i++)
		if (bind_figure(B, l->u.seq.v[i], &r.v[r.n]))
			r.n++;
	return r;
}

static const key_spec item_keys[] = {
	{"text", 1}, {"items", 0}, {"by", 0},   {"round", 0},
	{"table", 0}, {"weight", 0}, {"link", 0}, {"tags", 0},
	{"votes", 0}, {"note", 0},  END_KEYS};

/* A key an item or a figure among items may hold, or a misspelling of
 * one (`- txet: Vélo` is a typo to point out, not a text with ': '). */
static int is_item_key(const at_node *key)
{
	if (key->kind != AT_SCALAR)
		return 0;
	const char *names[16];
	size_t n = 0;
	for (const key_spec *k = item_keys; k->name && n < 16; k++)
		names[n++] = k->name;
	for (const key_spec *k = figure_keys; k->name && n < 16; k++)
		names[n++] = k->name;
	const char *word = key->u.scalar.s;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], word) == 0)
			return 1;
	return at_suggest(word, names, n) != NULL;
}

static int count_item(binder *B, const at_node *n)
{
	if (++B->items <= B->lim->max_items)
		return 1;
	if (!B->too_many) {
		B->too_many = 1;
		at_diag_add(B->d, AT_ERROR, "too-many-items", n->pos, n->span,
			    "more than %zu contributions in one session",
			    B->lim->max_items);
	}
	return 0;
}

/* `- Diagnostic :` with a list indented below it, the way a Markdown
 * outline is written: YAML reads a key, the list its value. Say how an
 * item with items is written, and read it as meant (the text, its items),
 * so that nothing else is reported about it. */
static int parent_item(binder *B, const at_node *n, at_item *it)
{
	if (n->kind != AT_MAP || n->u.map.n != 1)
		return 0;
	const at_pair *p = &n->u.map.v[0];
	if (p->key->kind != AT_SCALAR || p->key->u.scalar.style != AT_PLAIN ||
	    p->value->kind != AT_SEQ || is_item_key(p->key) ||
	    is_blank(p->key->u.scalar.s))
		return 0;
	const char *t = p->key->u.scalar.s;
	at_diag_add(B->d, AT_ERROR, "parent-item", p->key->pos, p->key->span,
		    "YAML reads '%s:' and the list under it as a key and its "
		    "value: write '- text: %s', then 'items:' under 'text:', "
		    "with the list under 'items:'",
		    t, t);
	it->text = t;
	bind_items(B, p->value, &it->items, "items");
	return 1;
}

static int bind_item(binder *B, const at_node *n, at_item *it)
{
	it->pos = n->pos;
	if (n->kind == AT_SCALAR || at_node_is_null(n)) {
		if (at_node_is_null(n) || is_blank(n->u.scalar.s)) {
			at_diag_add(B->d, AT_ERROR, "empty-item", n->pos, n->span,
				    "empty item: write its text, or remove the "
				    "item");
			return 0;
		}
		it->text = n->u.scalar.s;
		return count_item(B, n);
	}
	if (n->kind != AT_MAP) {
		at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
			    "expected an item (text, or a mapping with "
			    "'text'), found %s",
			    at_node_describe(n));
		return 0;
	}
	if (n->u.map.n == 1 && !is_item_key(n->u.map.v[0].key)) {
		const char *t = colon_text(B, n);
		if (t) {
			it->text = t;
			return count_item(B, n);
		}
	}
	if (parent_item(B, n, it))
		return count_item(B, n);
	if (at_map_get(n, "image") && !at_map_get(n, "text")) {
		at_figure *f = at_arena_alloc(B->a, sizeof *f);
		if (!f || !bind_figure(B, n, f))
			return 0;
		it->figure = f;
		return 1;
	}
	check_keys(B, n, item_keys, NULL, 0, "item");
	const at_node *t = at_map_get(n, "text");
	it->text = node_text(B, t, "text");
	if (it->text && is_blank(it->text))
		it->text = NULL; /* reported by check_keys */
	const at_node *kids = at_map_get(n, "items");
	if (kids && !at_node_is_null(kids)) {
		if (kids->kind == AT_SEQ)
			bind_items(B, kids, &it->items, "items");
		else if (!dash_without_space(B, kids))
			at_diag_add(B->d, AT_ERROR, "wrong-type", kids->pos,
				    kids->span,
				    "expected a list of items for 'items', "
				    "found %s",
				    at_node_describe(kids));
	}
	it->by = node_strs(B, at_map_get(n, "by"), "by");
	long v;
	if (get_int(B, n, "round", 1, INT_MAX, &v, &it->round_pos))
		it->round = (int)v;
	it->table = get_str(B, n, "table");
	const at_node *w = at_map_get(n, "weight");
	if (w && !at_node_is_null(w))
		it->has_weight = node_number(B, w, "weight", &it->weight);
	it->link = get_text(B, n, "link");
	if (it->link) {
		const at_node *l = at_map_get(n, "link");
		it->link_pos = l->pos;
		it->link_span = l->span;
	}
	it->tags = node_strs(B, at_map_get(n, "tags"), "tags");
	if (get_int(B, n, "votes", 0, LONG_MAX, &v, NULL)) {
		it->votes = v;
		it->has_votes = true;
	}
	it->note = get_text(B, n, "note");
	if (!it->text)
		return 0;
	return count_item(B, n);
}

void bind_items(binder *B, const at_node *list, at_items *out,
		const char *key)
{
	(void)key;
	/* Past the limit (reported once) nothing more is bound: aliases can
	 * make a small file name millions of items. */
	if (B->too_many)
		return;
	out->v = alloc_array(B, list->u.seq.n, sizeof *out->v);
	out->n = 0;
	if (!out->v)
		return;
	B->nesting++;
	for (size_t i = 0; i < list->u.seq.n; i++) {
		if (bind_item(B, list->u.seq.v[i], &out->v[out->n]))
			out->n++;
		else /* the next item reuses the slot: nothing of this one */
			memset(&out->v[out->n], 0, sizeof out->v[out->n]);
		/* A contribution is read once: its nodes (children
		 * included, hence only at the outer level) can go. */
		if (B->nesting == 1)
			at_tree_release(B->tree, list->u.seq.v[i]);
	}
	B->nesting--;
}

void get_items(binder *B, const at_node *map, const char *key,
	       at_items *out)
{
	const at_node *l = get_list(B, map, key, "items");
	if (l)
		bind_items(B, l, out, key);
}
