/* load.c: building the generic tree from libyaml's event stream: nodes
 * with positions, anchors and aliases within their budget, keys checked.
 * The texts YAML reads otherwise than a facilitator meant are named in
 * load_text.c, libyaml's syntax errors explained in load_syntax.c. */
#include "load_int.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "hash.h"
#include "i18n.h"

void fail(loader *L, const char *code, at_pos pos, uint32_t span,
	  const char *msg)
{
	at_diag_add(L->d, AT_ERROR, code, pos, span, "%s", _(msg));
	L->failed = 1;
}

static void nomem(loader *L)
{
	fail(L, "nomem", (at_pos){0, 0}, 0, "out of memory");
}

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static int count_nodes(loader *L, size_t w, at_pos pos)
{
	L->expanded = sat_add(L->expanded, w);
	if (L->expanded > L->lim->max_nodes) {
		at_diag_add(L->d, AT_ERROR, "too-many-nodes", pos, 1,
			    "the document expands to more than %zu nodes "
			    "(aliases included): is an alias repeated "
			    "exponentially?",
			    L->lim->max_nodes);
		L->failed = 1;
		return -1;
	}
	return 0;
}

/* Byte offset of the character at index ci (a mark's index). */
size_t byte_at(loader *L, size_t ci)
{
	if (ci < L->cur_char) {
		L->cur_char = 0;
		L->cur_byte = 0;
	}
	L->cur_char += at_view_step(&L->view, &L->cur_byte, ci - L->cur_char);
	return L->cur_byte;
}

/* Span of a node on its first line, for the caret under it. */
uint32_t span_of(loader *L, yaml_mark_t s, yaml_mark_t e)
{
	if (e.line == s.line)
		return e.column > s.column ? (uint32_t)(e.column - s.column)
					   : 1;
	/* Multi-line: underline to the end of the first line. */
	size_t off = byte_at(L, s.index);
	size_t nl = at_view_find(&L->view, off, '\n');
	size_t end = nl == SIZE_MAX ? L->src->len : nl;
	size_t avail;
	const char *last = end > off ? at_view_get(&L->view, end - 1, 1, &avail)
				     : NULL;
	if (last && *last == '\r')
		end--;
	size_t chars = at_view_count(&L->view, off, end);
	return chars ? (uint32_t)chars : 1;
}

/* The character at a mark, for the hints libyaml's text cannot give. */
char char_at(loader *L, yaml_mark_t m)
{
	size_t avail;
	const char *p = at_view_get(&L->view, byte_at(L, m.index), 1, &avail);
	return p ? *p : '\0';
}

/* The text [from, to) at hand in memory, or NULL. */
const char *text_span(loader *L, size_t from, size_t to)
{
	size_t avail;
	const char *p = at_view_get(&L->view, from, to - from, &avail);
	return p && avail >= to - from ? p : NULL;
}

static int push_child(loader *L, at_node *n, size_t weight, size_t height)
{
	if (L->depth == 0) {
		L->root = n;
		return 0;
	}
	frame *f = &L->stack[L->depth - 1];
	at_node **k = at_grow(f->kids, &f->cap, f->n, sizeof *k, 8);
	if (!k) {
		nomem(L);
		return -1;
	}
	f->kids = k;
	f->kids[f->n++] = n;
	f->weight = sat_add(f->weight, weight);
	if (height > f->height)
		f->height = height;
	return 0;
}

static size_t name_hash(const char *s)
{
	return (size_t)at_hash_bytes(s, strlen(s));
}

/* The slot of name: where it is, or the empty one where it would go. */
static size_t *slot_of(size_t *slots, size_t cap, const anchor *anchors,
		       const char *name)
{
	size_t i = name_hash(name) & (cap - 1);
	while (slots[i] && strcmp(anchors[slots[i] - 1].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* Short texts repeat: keys (text, by, tags ...), tags, participants' ids,
 * numbers. One copy serves every node that holds it; texts are never
 * written to. The table stops growing at its size limit: a file of
 * distinct short texts then costs what it did, and the table little. */
#define SHORT_TEXT 24
#define SHORT_SLOTS_MAX ((size_t)1 << 16)

static size_t bytes_hash(const char *s, size_t len)
{
	return (size_t)at_hash_bytes(s, len);
}

static const char **short_slot(const char **slots, size_t cap, const char *s,
			       size_t len)
{
	size_t i = bytes_hash(s, len) & (cap - 1);
	while (slots[i] && (strncmp(slots[i], s, len) != 0 || slots[i][len]))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* Room for one more text, the table kept at most half full; 0 when it is
 * at its limit (or memory is short: interning is only a saving). */
static int grow_short(loader *L)
{
	if ((L->used_short + 1) * 2 <= L->cap_short)
		return 1;
	if (L->cap_short >= SHORT_SLOTS_MAX)
		return 0;
	size_t cap = L->cap_short ? L->cap_short * 2 : 1024;
	const char **slots = calloc(cap, sizeof *slots);
	if (!slots)
		return 0;
	for (size_t i = 0; i < L->cap_short; i++)
		if (L->short_texts[i])
			*short_slot(slots, cap, L->short_texts[i],
				    strlen(L->short_texts[i])) =
				L->short_texts[i];
	free(L->short_texts);
	L->short_texts = slots;
	L->cap_short = cap;
	return 1;
}

/* A scalar's text in the texts' arena: the copy made before when it is
 * short and was seen already. */
static const char *text_of(loader *L, const char *s, size_t len)
{
	if (len > SHORT_TEXT)
		return at_arena_strndup(L->texts, s, len);
	if (L->cap_short) {
		const char *seen =
			*short_slot(L->short_texts, L->cap_short, s, len);
		if (seen)
			return seen;
	}
	const char *copy = at_arena_strndup(L->texts, s, len);
	if (copy && grow_short(L)) {
		*short_slot(L->short_texts, L->cap_short, copy, len) = copy;
		L->used_short++;
	}
	return copy;
}

static anchor *find_anchor(loader *L, const char *name)
{
	if (!L->cap_slots)
		return NULL;
	size_t *slot = slot_of(L->slots, L->cap_slots, L->anchors, name);
	return *slot ? &L->anchors[*slot - 1] : NULL;
}

/* Keeps the table at most half full; the names in it are distinct. */
static int grow_slots(loader *L)
{
	if ((L->used_slots + 1) * 2 <= L->cap_slots)
		return 0;
	size_t cap = L->cap_slots ? L->cap_slots * 2 : 64;
	size_t *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < L->cap_slots; i++)
		if (L->slots[i])
			*slot_of(slots, cap, L->anchors,
				 L->anchors[L->slots[i] - 1].name) = L->slots[i];
	free(L->slots);
	L->slots = slots;
	L->cap_slots = cap;
	return 0;
}

/* The latest anchor of a name is the one its aliases mean (YAML). */
static int index_anchor(loader *L, size_t i)
{
	if (grow_slots(L))
		return -1;
	size_t *slot = slot_of(L->slots, L->cap_slots, L->anchors,
			       L->anchors[i].name);
	if (!*slot)
		L->used_slots++;
	*slot = i + 1;
	return 0;
}

static anchor *add_anchor(loader *L, const char *name, at_node *n, size_t w,
			  size_t height, int open)
{
	anchor *v = at_grow(L->anchors, &L->cap_anchors, L->n_anchors, sizeof *v,
			    8);
	if (!v) {
		nomem(L);
		return NULL;
	}
	L->anchors = v;
	/* Owned by the table, not the arena: gone when loading ends. */
	size_t len = strlen(name);
	anchor *an = &L->anchors[L->n_anchors];
	*an = (anchor){malloc(len + 1), n, w, height, open, 0};
	if (!an->name) {
		nomem(L);
		return NULL;
	}
	memcpy(an->name, name, len + 1);
	if (index_anchor(L, L->n_anchors)) {
		free(an->name);
		nomem(L);
		return NULL;
	}
	L->n_anchors++;
	return an;
}

/* In the nodes' arena, aligned, so that at_tree_release can give it back
 * (a tag is an error: only its presence matters to the binder). */
static const char *tag_of(loader *L, const yaml_char_t *tag)
{
	if (!tag)
		return NULL;
	size_t len = strlen((const char *)tag);
	char *t = at_arena_alloc(L->nodes, len + 1);
	if (t)
		memcpy(t, tag, len + 1);
	return t;
}

static int on_scalar(loader *L, yaml_event_t *e)
{
	at_pos pos = mark_pos(e->start_mark);
	uint32_t span = span_of(L, e->start_mark, e->end_mark);
	if (explicit_key(L, e))
		return -1;
	const char *value = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length;
	int local = local_tag_text(L, e, pos, span, &value, &len);
	if (!local && check_tag(L, e->data.scalar.tag, pos, span))
		return -1;
	int amp = empty_anchor_text(L, e, pos, span, &value, &len);
	local = amp ? 1 : local;
	comment_in_text(L, e);
	if (len > L->lim->max_text) {
		at_diag_add(L->d, AT_ERROR, "text-too-long", pos, span,
			    "text of %zu bytes is longer than the limit of "
			    "%zu bytes",
			    len, L->lim->max_text);
		L->failed = 1;
		return -1;
	}
	/* YAML allows \0 in double-quoted scalars; C strings do not. */
	if (!value) {
		nomem(L);
		return -1;
	}
	if (memchr(value, '\0', len)) {
		fail(L, "nul-byte", pos, span,
		     "text holds a NUL character (\\0): remove it");
		return -1;
	}
	/* Nor \uFFFE, \uFFFF, which XML (the workbook) refuses: read.c
	 * refuses them written as they are. */
	if (has_nonchar(value, len)) {
		fail(L, "bad-char", pos, span,
		     "text holds the non-character U+FFFE or U+FFFF (written "
		     "as an escape): remove it");
		return -1;
	}
	at_node *n = at_arena_alloc(L->nodes, sizeof *n);
	const char *s = n ? local == 1 ? value : text_of(L, value, len) : NULL;
	if (!s) {
		nomem(L);
		return -1;
	}
	n->kind = AT_SCALAR;
	n->pos = pos;
	n->span = span;
	n->tag = local ? NULL : tag_of(L, e->data.scalar.tag);
	if (e->data.scalar.tag && !local && !n->tag) {
		nomem(L);
		return -1;
	}
	n->u.scalar.s = s;
	n->u.scalar.len = len;
	switch (e->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
		n->u.scalar.style = AT_PLAIN;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		n->u.scalar.style = AT_BLOCK;
		break;
	default:
		n->u.scalar.style = AT_QUOTED;
		break;
	}
	if (count_nodes(L, 1, pos))
		return -1;
	if (e->data.scalar.anchor && !amp &&
	    !add_anchor(L, (const char *)e->data.scalar.anchor, n, 1, 0, 0))
		return -1;
	return push_child(L, n, 1, 0);
}


static int on_start(loader *L, yaml_event_t *e, at_node_kind kind)
{
	at_pos pos = mark_pos(e->start_mark);
	const yaml_char_t *tag = kind == AT_MAP ? e->data.mapping_start.tag
						: e->data.sequence_start.tag;
	const yaml_char_t *anc = kind == AT_MAP ? e->data.mapping_start.anchor
						: e->data.sequence_start.anchor;
	if (check_tag(L, tag, pos, 1))
		return -1;
	if (L->depth >= L->lim->max_depth) {
		at_diag_add(L->d, AT_ERROR, "too-deep", pos, 1,
			    "nesting deeper than %zu levels",
			    L->lim->max_depth);
		L->failed = 1;
		return -1;
	}
	if (count_nodes(L, 1, pos))
		return -1;
	at_node *n = at_arena_alloc(L->nodes, sizeof *n);
	if (!n) {
		nomem(L);
		return -1;
	}
	n->kind = kind;
	n->pos = pos;
	n->span = 1;
	n->tag = tag_of(L, tag);
	if (tag && !n->tag) {
		nomem(L);
		return -1;
	}
	frame *s = at_grow(L->stack, &L->cap, L->depth, sizeof *s, 16);
	if (!s) {
		nomem(L);
		return -1;
	}
	L->stack = s;
	frame *f = &L->stack[L->depth++];
	int flow = kind == AT_MAP ? e->data.mapping_start.style ==
					    YAML_FLOW_MAPPING_STYLE
				  : e->data.sequence_start.style ==
					    YAML_FLOW_SEQUENCE_STYLE;
	*f = (frame){n, NULL, 0, 0, 1, 0, e->start_mark, flow, NULL};
	if (anc) {
		/* Registered now, marked open: an alias to it from inside is a
		 * cycle. */
		anchor *an = add_anchor(L, (const char *)anc, n, 0, 0, 1);
		if (!an)
			return -1;
		f->anchor = an->name;
	}
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	const at_node *x = *(at_node *const *)a, *y = *(at_node *const *)b;
	size_t n = x->u.scalar.len < y->u.scalar.len ? x->u.scalar.len
						       : y->u.scalar.len;
	int c = memcmp(x->u.scalar.s, y->u.scalar.s, n);
	if (c)
		return c;
	if (x->u.scalar.len != y->u.scalar.len)
		return x->u.scalar.len < y->u.scalar.len ? -1 : 1;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	return x->pos.col < y->pos.col ? -1 : x->pos.col > y->pos.col;
}

/* Keys must be text, not merge keys, and unique: libyaml checks none of
 * this, and a silently overridden key would lose a contribution. Sorting a
 * copy keeps this O(n log n) for the largest mappings. */
static int check_keys(loader *L, at_node *map)
{
	size_t n = map->u.map.n;
	int bad = 0;
	at_node **keys = malloc((n ? n : 1) * sizeof *keys);
	if (!keys) {
		nomem(L);
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		at_node *key = map->u.map.v[i].key;
		if (key->kind != AT_SCALAR) {
			at_diag_add(L->d, AT_ERROR, "key-not-text", key->pos,
				    key->span,
				    "a key must be a plain name, found %s",
				    at_node_describe(key));
			bad = 1;
			continue;
		}
		if (key->u.scalar.style == AT_PLAIN &&
		    strcmp(key->u.scalar.s, "<<") == 0) {
			at_diag_add(L->d, AT_ERROR, "merge-key", key->pos, 2,
				    "merge keys ('<<') are not supported: "
				    "write the keys out");
			bad = 1;
			continue;
		}
		keys[k++] = key;
	}
	qsort(keys, k, sizeof *keys, key_cmp);
	for (size_t i = 1; i < k; i++) {
		const at_node *a = keys[i - 1], *b = keys[i];
		if (a->u.scalar.len == b->u.scalar.len &&
		    memcmp(a->u.scalar.s, b->u.scalar.s, a->u.scalar.len) == 0) {
			size_t j = i - 1;
			/* Point every repeat back at the first occurrence. */
			while (j > 0 && keys[j - 1]->u.scalar.len == a->u.scalar.len &&
			       memcmp(keys[j - 1]->u.scalar.s, a->u.scalar.s,
				      a->u.scalar.len) == 0)
				j--;
			at_diag_add(L->d, AT_ERROR, "duplicate-key", b->pos,
				    b->span,
				    "duplicate key '%s' (first at line %u, "
				    "column %u)",
				    b->u.scalar.s, (unsigned)keys[j]->pos.line,
				    (unsigned)keys[j]->pos.col);
			bad = 1;
		}
	}
	free(keys);
	if (bad)
		L->soft = 1;
	return 0;
}

static int on_end(loader *L, const yaml_event_t *e)
{
	/* libyaml pairs every end with its start: this only keeps the
	 * analyzer (and a future parser) from an empty stack. */
	if (!L->depth) {
		fail(L, "yaml-syntax", mark_pos(e->start_mark), 1,
		     "YAML syntax: the end of a collection that was not opened");
		return -1;
	}
	frame f = L->stack[--L->depth];
	at_node *n = f.node;
	int rc = 0;
	/* A flow collection on one line is underlined whole: [4, 5]. */
	if (e->end_mark.line == f.start.line &&
	    e->end_mark.column > f.start.column)
		n->span = (uint32_t)(e->end_mark.column - f.start.column);
	if (n->kind == AT_SEQ) {
		n->u.seq.v = at_arena_array(L->nodes, f.n ? f.n : 1,
					    sizeof(at_node *));
		if (!n->u.seq.v) {
			nomem(L);
			rc = -1;
		} else {
			if (f.n)
				memcpy(n->u.seq.v, f.kids, f.n * sizeof *f.kids);
			n->u.seq.n = f.n;
		}
	} else {
		size_t pairs = f.n / 2;
		n->u.map.v = at_arena_array(L->nodes, pairs ? pairs : 1,
					    sizeof(at_pair));
		if (!n->u.map.v) {
			nomem(L);
			rc = -1;
		} else {
			for (size_t i = 0; i < pairs; i++) {
				n->u.map.v[i].key = f.kids[2 * i];
				n->u.map.v[i].value = f.kids[2 * i + 1];
			}
			n->u.map.n = pairs;
			rc = check_keys(L, n);
		}
	}
	free(f.kids);
	if (rc)
		return rc;
	if (f.anchor) {
		anchor *an = find_anchor(L, f.anchor);
		if (an && an->node == n) {
			an->open = 0;
			an->weight = f.weight;
			an->height = f.height + 1;
		}
	}
	return push_child(L, n, f.weight, f.height + 1);
}

static int on_alias(loader *L, yaml_event_t *e)
{
	at_pos pos = mark_pos(e->start_mark);
	uint32_t span = span_of(L, e->start_mark, e->end_mark);
	const char *name = (const char *)e->data.alias.anchor;
	anchor *an = find_anchor(L, name);
	if (!an) {
		/* libyaml reports unknown aliases itself only in the loader
		 * API; with events we must. */
		at_diag_add(L->d, AT_ERROR, "unknown-alias", pos, span,
			    "alias '*%s' refers to no anchor '&%s' before it",
			    name, name);
		L->failed = 1;
		return -1;
	}
	if (an->open) {
		at_diag_add(L->d, AT_ERROR, "alias-cycle", pos, span,
			    "alias '*%s' refers to a collection that contains "
			    "it (line %u): the value would be infinite",
			    name, (unsigned)an->node->pos.line);
		L->failed = 1;
		return -1;
	}
	if (count_nodes(L, an->weight, pos))
		return -1;
	/* Sharing keeps memory small, but whoever walks the tree walks the
	 * expansion: the depth limit holds for it too. */
	if (L->depth + an->height > L->lim->max_depth) {
		at_diag_add(L->d, AT_ERROR, "too-deep", pos, span,
			    "nesting deeper than %zu levels (through alias "
			    "'*%s')",
			    L->lim->max_depth, name);
		L->failed = 1;
		return -1;
	}
	L->shared = 1;
	an->used = 1;
	return push_child(L, an->node, an->weight, an->height);
}

/* libyaml itself refuses text after '...' that does not start a document
 * with '---', so a second document always has its '---'. */
static void second_document(loader *L, const yaml_event_t *e)
{
	fail(L, "second-document", mark_pos(e->start_mark), 3,
	     "a second YAML document: a session file holds one document "
	     "(remove the '---' line, or split the file)");
}

static int on_event(loader *L, yaml_event_t *e)
{
	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++L->documents > 1) {
			second_document(L, e);
			return -1;
		}
		return 0;
	case YAML_SCALAR_EVENT:
		return on_scalar(L, e);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(L, e, AT_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(L, e, AT_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(L, e);
	case YAML_ALIAS_EVENT:
		return on_alias(L, e);
	default:
		return 0;
	}
}

/* libyaml's input when the text is not in memory: the file, in order. */
static int feed(void *ctx, unsigned char *buf, size_t size, size_t *got)
{
	loader *L = ctx;
	if (at_source_copy(L->src, L->fed, (char *)buf, size, got) != 0) {
		L->unreadable = 1;
		return 0;
	}
	L->fed += *got;
	return 1;
}

/* UTF-8 continuation bytes in [from, to): a byte offset less those is a
 * character index. */
static size_t continuation_bytes(loader *L, size_t from, size_t to)
{
	size_t n = 0, avail;
	const char *p;
	while (from < to && (p = at_view_get(&L->view, from, 1, &avail))) {
		size_t k = avail < to - from ? avail : to - from;
		for (size_t i = 0; i < k; i++)
			n += ((unsigned char)p[i] & 0xC0) == 0x80;
		from += k;
	}
	return n;
}

/* Fills L->hashes (see comment_in_text) with one memchr pass: a file
 * without such a '#' costs its scalars nothing. 0, or -1 out of memory. */
static int find_hashes(loader *L)
{
	size_t off = 0, counted = 0, cont = 0;
	while ((off = at_view_find(&L->view, off, '#')) != SIZE_MAX) {
		size_t h = off++;
		const char *p = h >= 2 && h + 1 < L->src->len
					? text_span(L, h - 2, h + 2)
					: NULL;
		if (!p || p[1] != ' ' || strchr(" \t\r\n", p[0]) ||
		    strchr(" \t\r\n", p[3]))
			continue;
		cont += continuation_bytes(L, counted, h - 1);
		counted = h - 1;
		size_t *v = at_grow(L->hashes, &L->cap_hashes, L->n_hashes,
				    sizeof *v, 16);
		if (!v)
			return -1;
		L->hashes = v;
		L->hashes[L->n_hashes++] = h - 1 - cont;
	}
	return 0;
}

static void free_loader(loader *L)
{
	for (size_t i = 0; i < L->depth; i++)
		free(L->stack[i].kids);
	free(L->stack);
	for (size_t i = 0; i < L->n_anchors; i++)
		free(L->anchors[i].name);
	free(L->anchors);
	free(L->slots);
	free(L->short_texts);
	free(L->hashes);
	at_view_free(&L->view);
}

static at_status parse(loader *L, at_node **root)
{
	at_diags *d = L->d;
	*root = NULL;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		return AT_ENOMEM;
	}
	if (L->src->data)
		yaml_parser_set_input_string(
			&p, (const unsigned char *)L->src->data, L->src->len);
	else
		yaml_parser_set_input(&p, feed, L);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	int done = find_hashes(L) != 0;
	if (done)
		nomem(L);
	while (!done) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			syntax_error(L, &p);
			break;
		}
		done = e.type == YAML_STREAM_END_EVENT;
		int rc = on_event(L, &e);
		yaml_event_delete(&e);
		/* Duplicate keys are reported but loading goes on, so that
		 * every one is listed; anything else stops here. */
		if (rc)
			break;
	}
	yaml_parser_delete(&p);
	if (!L->failed)
		unused_text_anchors(L);
	free_loader(L);
	if (L->failed) {
		/* Discard the partial tree: nothing after an error is trusted. */
		return d->oom ? AT_ENOMEM : AT_EINPUT;
	}
	if (!L->root) {
		at_diag_add(d, AT_ERROR, "no-document", (at_pos){1, 1}, 1,
			    "the file holds no YAML document: start from "
			    "'atelier init'");
		return AT_EINPUT;
	}
	*root = L->root;
	return L->soft ? AT_EINPUT : AT_OK;
}

static void start(loader *L, const at_source *src, const at_limits *lim,
		  at_diags *d)
{
	memset(L, 0, sizeof *L);
	L->src = src;
	L->lim = lim;
	L->d = d;
	at_view_init(&L->view, src);
}

at_status at_load_tree(const at_source *src, const at_limits *lim,
		       at_arena *texts, at_tree *t, at_diags *d)
{
	loader L;
	start(&L, src, lim, d);
	memset(t, 0, sizeof *t);
	at_arena_init_mapped(&t->nodes);
	L.texts = texts;
	L.nodes = &t->nodes;
	at_status rc = parse(&L, &t->root);
	t->shared = L.shared;
	return rc;
}

at_status at_load(const at_source *src, const at_limits *lim, at_arena *a,
		  at_node **root, at_diags *d)
{
	loader L;
	start(&L, src, lim, d);
	L.texts = a;
	L.nodes = a;
	return parse(&L, root);
}

/* What on_scalar, on_start and on_end allocated for n, children first
 * (each is read before its own memory goes). */
static void release_node(at_arena *a, const at_node *n)
{
	if (n->kind == AT_SEQ) {
		for (size_t i = 0; i < n->u.seq.n; i++)
			release_node(a, n->u.seq.v[i]);
		at_arena_release(a, n->u.seq.v,
				 (n->u.seq.n ? n->u.seq.n : 1) *
					 sizeof *n->u.seq.v);
	} else if (n->kind == AT_MAP) {
		for (size_t i = 0; i < n->u.map.n; i++) {
			release_node(a, n->u.map.v[i].key);
			release_node(a, n->u.map.v[i].value);
		}
		at_arena_release(a, n->u.map.v,
				 (n->u.map.n ? n->u.map.n : 1) *
					 sizeof *n->u.map.v);
	}
	if (n->tag)
		at_arena_release(a, n->tag, strlen(n->tag) + 1);
	at_arena_release(a, n, sizeof *n);
}

void at_tree_release(at_tree *t, const at_node *n)
{
	if (t && n && !t->shared)
		release_node(&t->nodes, n);
}

void at_tree_free(at_tree *t)
{
	at_arena_free(&t->nodes);
	t->root = NULL;
}
