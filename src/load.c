/* load.c: building the generic tree from libyaml's event stream. */
#include "load.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "hash.h"
#include "i18n.h"

/* A collection being built: its node, and its children so far (pairs for a
 * mapping are stored flat: key, value, key, value). */
typedef struct frame {
	at_node *node;
	at_node **kids;
	size_t n, cap;
	size_t weight;         /* nodes in its full expansion */
	size_t height;         /* deepest nesting of collections below it */
	yaml_mark_t start;     /* for the span of a one-line flow collection */
	int flow;              /* written [...] or {...} */
	const char *anchor;    /* to register when it closes, or NULL */
} frame;

typedef struct anchor {
	char *name;            /* owned: freed with the table */
	at_node *node;
	size_t weight;
	size_t height;         /* collections nested in it, itself included */
	int open;              /* still being built: an alias to it is a cycle */
	int used;              /* an alias refers to it */
} anchor;

typedef struct loader {
	const at_source *src;
	const at_limits *lim;
	at_arena *texts;       /* scalars' texts, which the session keeps */
	at_arena *nodes;       /* the rest, which it does not */
	at_diags *d;
	frame *stack;
	size_t depth, cap;
	anchor *anchors;       /* in the order they were written */
	size_t n_anchors, cap_anchors;
	/* By name: open addressing, each slot an index into anchors plus 1
	 * (0: empty). A file may hold a million anchors and aliases to the
	 * first of them: a scan per alias took hours. */
	size_t *slots;
	size_t cap_slots;      /* a power of two, or 0 */
	size_t used_slots;
	size_t expanded;       /* nodes counted with aliases expanded */
	/* Short texts already copied, by content: open addressing, NULL
	 * when empty (see text_of). */
	const char **short_texts;
	size_t cap_short, used_short;
	at_node *root;
	int shared;            /* an alias was followed */
	int failed;            /* the tree cannot be trusted: drop it */
	int soft;              /* errors reported, but the tree is usable */
	int documents;
	/* libyaml's marks count characters; the source is bytes. A cursor
	 * that only moves forward (marks mostly do) converts between them. */
	size_t cur_char, cur_byte;
	at_source_view view;   /* the text, for positions and spans */
	size_t fed;            /* bytes given to libyaml from the file */
	int unreadable;        /* the file could not be read again */
	/* Character indexes (as libyaml's marks count) of the spaces
	 * before a '#' glued to a word, in order; see comment_in_text. */
	size_t *hashes;
	size_t n_hashes, cap_hashes, next_hash;
} loader;

static at_pos mark_pos(yaml_mark_t m)
{
	return (at_pos){(uint32_t)m.line + 1, (uint32_t)m.column + 1};
}

static void fail(loader *L, const char *code, at_pos pos, uint32_t span,
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
static size_t byte_at(loader *L, size_t ci)
{
	if (ci < L->cur_char) {
		L->cur_char = 0;
		L->cur_byte = 0;
	}
	L->cur_char += at_view_step(&L->view, &L->cur_byte, ci - L->cur_char);
	return L->cur_byte;
}

/* Span of a node on its first line, for the caret under it. */
static uint32_t span_of(loader *L, yaml_mark_t s, yaml_mark_t e)
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

static int push_child(loader *L, at_node *n, size_t weight, size_t height)
{
	if (L->depth == 0) {
		L->root = n;
		return 0;
	}
	frame *f = &L->stack[L->depth - 1];
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		at_node **k = realloc(f->kids, cap * sizeof *k);
		if (!k) {
			nomem(L);
			return -1;
		}
		f->kids = k;
		f->cap = cap;
	}
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
	if (L->n_anchors == L->cap_anchors) {
		size_t cap = L->cap_anchors ? L->cap_anchors * 2 : 8;
		anchor *v = realloc(L->anchors, cap * sizeof *v);
		if (!v) {
			nomem(L);
			return NULL;
		}
		L->anchors = v;
		L->cap_anchors = cap;
	}
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

/* Explicit tags change what a value means (!!binary, !custom): a session
 * is plain data, so they are refused rather than silently ignored. */
static int check_tag(loader *L, const yaml_char_t *tag, at_pos pos,
		     uint32_t span)
{
	if (!tag)
		return 0;
	const char *t = (const char *)tag;
	const char *std = "tag:yaml.org,2002:";
	char shown[128];
	if (strncmp(t, std, strlen(std)) == 0)
		snprintf(shown, sizeof shown, "!!%s", t + strlen(std));
	else
		snprintf(shown, sizeof shown, "%s", t);
	at_diag_add(L->d, AT_ERROR, "tag", pos, span,
		    "YAML tag '%s' is not supported in a session file: "
		    "remove it",
		    shown);
	L->soft = 1;
	return 0;
}

/* U+FFFE or U+FFFF in UTF-8: EF BF BE, EF BF BF. */
static int has_nonchar(const char *s, size_t len)
{
	for (const char *p = s; (p = memchr(p, '\xEF', len - (size_t)(p - s)));
	     p++)
		if ((size_t)(p - s) + 2 < len && p[1] == '\xBF' &&
		    (p[2] == '\xBE' || p[2] == '\xBF'))
			return 1;
	return 0;
}

/* A plain text that starts with '!' ("!Attention", "! q1") is a local
 * tag to YAML, but a facilitator's '!': say to quote it, and keep the
 * text as written (in the texts' arena: 1), so that nothing else is
 * reported about it; a key stays as YAML reads it (2). 0: not one. */
static int local_tag_text(loader *L, yaml_event_t *e, at_pos pos,
			  uint32_t span, const char **s, size_t *len)
{
	const char *t = (const char *)e->data.scalar.tag;
	if (!t || t[0] != '!' || e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	at_diag_add(L->d, AT_ERROR, "tag", pos, span,
		    "YAML reads a text that starts with '!' as a tag: put the "
		    "whole text between double quotes");
	L->soft = 1;
	const frame *f = L->depth ? &L->stack[L->depth - 1] : NULL;
	if (f && f->node->kind == AT_MAP && f->n % 2 == 0)
		return 2; /* a key: "! q1" is q1 */
	at_buf b;
	at_buf_init(&b);
	at_buf_puts(&b, t);
	if (*len) {
		at_buf_putc(&b, ' ');
		at_buf_put(&b, *s, *len);
	}
	*len = b.len;
	*s = b.oom ? NULL : at_arena_strndup(L->texts, at_buf_cstr(&b), b.len);
	at_buf_free(&b);
	return 1;
}

/* `- &amp` is an anchor on nothing, `- &` and a word a facilitator's
 * ampersand: say to quote it, and keep the text as written (1; the
 * anchor is not registered). 0: not one. */
static int empty_anchor_text(loader *L, yaml_event_t *e, at_pos pos,
			     uint32_t span, const char **s, size_t *len)
{
	const char *a = (const char *)e->data.scalar.anchor;
	if (!a || *len || e->data.scalar.tag ||
	    e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, span,
		    "YAML reads a text that starts with '&' as an anchor: put "
		    "the whole text between double quotes");
	L->soft = 1;
	size_t n = strlen(a);
	char *t = at_arena_alloc(L->texts, n + 2);
	if (t) {
		t[0] = '&';
		memcpy(t + 1, a, n + 1);
	}
	*s = t;
	*len = n + 1;
	return 1;
}

/* `text #word`: YAML ends the text at ' #', the rest is a comment, and
 * nothing says so. A comment is set apart by more than one space or by
 * a space after its '#' (`date: 2016-06-30  # YYYY-MM-DD`); a '#' glued
 * to a word after one space is most likely part of the text. Such '#'
 * are found before parsing (find_hashes): a plain text that ends where
 * one starts lost its end. */
static void comment_in_text(loader *L, const yaml_event_t *e)
{
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return;
	yaml_mark_t m = e->end_mark;
	while (L->next_hash < L->n_hashes && L->hashes[L->next_hash] < m.index)
		L->next_hash++;
	if (L->next_hash == L->n_hashes || L->hashes[L->next_hash] != m.index)
		return;
	at_diag_add(L->d, AT_WARNING, "comment-in-text",
		    (at_pos){(uint32_t)m.line + 1, (uint32_t)m.column + 2}, 1,
		    "' #' starts a comment: the text stops before it; if the "
		    "'#' is part of the text, put the whole text between "
		    "double quotes");
}

static char char_at(loader *L, yaml_mark_t m);

/* A block mapping that starts with '?' and a space: YAML's explicit key,
 * which a session never needs, and a text such as "? Pourquoi pas"
 * becomes. Looked at when its first key does not start where the mapping
 * does (a block mapping's first key otherwise does), so that reading the
 * character costs nothing in the common case. 1: reported. */
static int explicit_key(loader *L, const yaml_event_t *key)
{
	const frame *f = L->depth ? &L->stack[L->depth - 1] : NULL;
	if (!f || f->node->kind != AT_MAP || f->n || f->flow ||
	    key->start_mark.index == f->start.index || char_at(L, f->start) != '?')
		return 0;
	yaml_mark_t m = f->start;
	m.index++;
	char c = char_at(L, m);
	if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\0')
		return 0;
	fail(L, "yaml-syntax", f->node->pos, 1,
	     "YAML syntax: YAML reads '? ' at the start of a text as a key: put "
	     "the whole text between double quotes");
	return 1;
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
	if (L->depth == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 16;
		frame *s = realloc(L->stack, cap * sizeof *s);
		if (!s) {
			nomem(L);
			return -1;
		}
		L->stack = s;
		L->cap = cap;
	}
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

/* libyaml's syntax messages name parser states ("while parsing a block
 * mapping"); a facilitator needs the likely cause and its fix. Each hint
 * matches libyaml's problem (and context, when given) as a prefix. */
typedef struct hint {
	const char *problem;
	const char *context;
	const char *text;
	int at_context; /* report at the context mark: where it started */
} hint;

#define TAB_HINT \
	N_("tab character in the indentation: indent with spaces only")

static const hint tab_hint = {"", NULL, TAB_HINT, 0};

static const hint hints[] = {
	{"found unexpected end of stream", "while scanning a quoted scalar",
	 N_("unclosed quote: this text has no closing quote"), 1},
	{"found unexpected document indicator", "while scanning a quoted",
	 N_("unclosed quote: this text has no closing quote"), 1},
	{"did not find expected ',' or ']'", NULL,
	 N_("the list opened with '[' at line %u, column %u is not closed: "
	 "expected ',' or ']'"), 0},
	{"did not find expected ',' or '}'", NULL,
	 N_("the mapping opened with '{' at line %u, column %u is not closed: "
	 "expected ',' or '}'"), 0},
	{"found a tab character", NULL, TAB_HINT, 0},
	{"mapping values are not allowed", NULL,
	 N_("unexpected ':' here: put a text that contains ': ' between "
	 "double quotes; otherwise check this line's indentation"), 0},
	{"did not find expected key", NULL,
	 N_("expected 'key: value' here: check this line's indentation, and "
	 "that a quoted text is not followed by more text"), 0},
	{"did not find expected '-' indicator", NULL,
	 N_("expected a list item '- ' here: indent this line like the items "
	 "above it"), 0},
	{"block sequence entries are not allowed", NULL,
	 N_("a list item '- ' cannot start here: put the list on the lines "
	 "below its key, indented"), 0},
	{"did not find expected alphabetic or numeric character",
	 "while scanning an alias",
	 N_("'*' starts an alias: put a text that starts with '*' (such as "
	 "**bold**) between double quotes"), 1},
	{"did not find expected alphabetic or numeric character",
	 "while scanning an anchor",
	 N_("'&' starts an anchor: put a text that starts with '&' between "
	 "double quotes"), 1},
	{"found unknown escape character", NULL,
	 N_("unknown escape after '\\' in a double-quoted text: write '\\\\' "
	 "for a backslash, or use single quotes"), 0},
	{"could not find expected ':'", NULL,
	 N_("expected ':' after the key at line %u, column %u: a text that goes "
	 "on over several lines needs quotes or '|'"), 0},
	{"did not find expected comment or line break",
	 "while scanning a block scalar",
	 N_("after '|' or '>' the text starts on the next line"), 0},
	{"found undefined tag handle", NULL,
	 N_("'!' starts a YAML tag: put a text that starts with '!' between "
	 "double quotes"), 0},
	{"did not find expected <document start>", NULL,
	 N_("text after '...', which ends the document: remove the '...' "
	 "line"), 0},
	{"found incompatible YAML document", NULL,
	 N_("unsupported YAML version: remove the '%%YAML' line"), 0},
	{"found unknown directive name", NULL,
	 N_("a line that starts with '%%' is a YAML directive: put a text that "
	 "starts with '%%' between double quotes"), 0},
	{NULL, NULL, NULL, 0}};

/* Writes a hint's text: each %u takes the next of the context mark's line
 * and column, %% is a percent sign. (The texts are data, not formats.) */
static void format_hint(at_buf *b, const char *text, unsigned line,
			unsigned col)
{
	unsigned args[2] = {line, col};
	size_t next = 0;
	for (const char *t = text; *t; t++) {
		if (t[0] == '%' && t[1] == 'u') {
			at_buf_printf(b, "%u", next < 2 ? args[next++] : 0u);
			t++;
		} else if (t[0] == '%' && t[1] == '%') {
			at_buf_putc(b, '%');
			t++;
		} else {
			at_buf_putc(b, *t);
		}
	}
}

static int has_prefix(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static const hint *find_hint(const yaml_parser_t *p)
{
	for (const hint *h = hints; h->problem; h++)
		if (has_prefix(p->problem, h->problem) &&
		    (!h->context || has_prefix(p->context, h->context)))
			return h;
	return NULL;
}

/* The character at a mark, for the hints libyaml's text cannot give. */
static char char_at(loader *L, yaml_mark_t m)
{
	size_t avail;
	const char *p = at_view_get(&L->view, byte_at(L, m.index), 1, &avail);
	return p ? *p : '\0';
}

/* How far back a quote is looked for: a quoted text is shorter. */
#define QUOTE_SCAN ((size_t)1 << 16)

/* The text [from, to) at hand in memory, or NULL. */
static const char *text_span(loader *L, size_t from, size_t to)
{
	size_t avail;
	const char *p = at_view_get(&L->view, from, to - from, &avail);
	return p && avail >= to - from ? p : NULL;
}

/* Where the quoted text that quote q at offset close ends opened (YAML
 * reads '' inside '...' and \" inside "..." as part of the text), or
 * SIZE_MAX. */
static size_t opening_quote(loader *L, size_t close, char q)
{
	size_t from = close > QUOTE_SCAN ? close - QUOTE_SCAN : 0;
	const char *t = close > from ? text_span(L, from, close) : NULL;
	for (size_t i = close - from; t && i-- > 0;) {
		if (t[i] != q)
			continue;
		if (i && t[i - 1] == (q == '"' ? '\\' : q)) {
			i -= q == '\'';
			continue;
		}
		return from + i;
	}
	return SIZE_MAX;
}

static int ends_word(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\'' || c == '"';
}

/* More text after a quoted text or a [list] on its line, apart by
 * spaces ('Les outils' du quartier, [x] fait): a text that starts with a
 * quote, '[' or '{' is read as that value, which ends early. off is the
 * first byte of the extra text. 1: reported. */
static int text_after_value(loader *L, size_t off)
{
	size_t from = off > 256 ? off - 256 : 0;
	const char *t = text_span(L, from, off);
	size_t i = off - from;
	while (t && i > 0 && t[i - 1] == ' ')
		i--;
	if (!t || i == 0 || !t[i - 1] || !strchr("'\"]}", t[i - 1]))
		return 0;
	char c = t[i - 1];
	size_t close = from + i - 1, open;
	if (c == '\'' || c == '"') {
		open = opening_quote(L, close, c);
	} else {
		/* The line's first '[' or '{': the value's start. */
		char o = c == ']' ? '[' : '{';
		size_t k = i - 1;
		while (k > 0 && t[k - 1] != '\n')
			k--;
		const char *b = memchr(t + k, o, i - 1 - k);
		open = b ? from + (size_t)(b - t) : SIZE_MAX;
	}
	if (open == SIZE_MAX)
		return 0;
	at_pos po = at_view_pos(&L->view, open);
	if (po.line != at_view_pos(&L->view, off).line)
		return 0;
	if (c == '\'' || c == '"')
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", po, 1,
			    "YAML syntax: a text that starts with %c ends at the "
			    "next %c, and more text follows it: put the whole "
			    "text between %s",
			    c, c,
			    c == '"' ? _("single quotes") : _("double quotes"));
	else
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", po, 1,
			    "YAML syntax: a text that starts with '%c' is read "
			    "as a %s, and more text follows it: put the whole "
			    "text between double quotes",
			    c == ']' ? '[' : '{',
			    c == ']' ? _("list") : _("mapping"));
	return 1;
}

/* Text right after a closing quote: the quote was the user's apostrophe
 * or quotation mark inside the text (L'outil), or the text's own closing
 * quote is missing and YAML read on to the next quote. 1: reported. */
static int quote_trouble(loader *L, const yaml_parser_t *p)
{
	size_t off = byte_at(L, p->problem_mark.index);
	size_t avail;
	const char *at = off ? at_view_get(&L->view, off - 1, 2, &avail) : NULL;
	if (at && avail >= 2 && at[0] == ' ' && !strchr(" \t\r\n,]}#:", at[1]))
		return text_after_value(L, off);
	if (!at || avail < 2 || (at[0] != '\'' && at[0] != '"') ||
	    strchr(" \t\r\n,]}#:", at[1]))
		return 0;
	char q = at[0];
	size_t open = opening_quote(L, off - 1, q);
	if (open == SIZE_MAX)
		return 0;
	at_pos po = at_view_pos(&L->view, open);
	at_pos pq = at_view_pos(&L->view, off - 1);
	if (po.line != pq.line) {
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", po, 1,
			    "YAML syntax: unclosed quote: this text has no "
			    "closing %c on its line, so YAML read on to the %c "
			    "at line %u, column %u",
			    q, q, (unsigned)pq.line, (unsigned)pq.col);
		return 1;
	}
	/* The word around the quote: L'outil. */
	size_t from = off - 1, to = off;
	const char *t = text_span(L, open + 1, off - 1);
	while (t && from > open + 1 && !ends_word(t[from - open - 2]))
		from--;
	const char *w = at_view_get(&L->view, off, 64, &avail);
	while (w && to - off < avail && to - off < 64 && !ends_word(w[to - off]))
		to++;
	const char *word = text_span(L, from, to);
	if (!word)
		return 0;
	int before = (int)(off - 1 - from), after = (int)(to - off);
	if (q == '\'')
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pq, 1,
			    "YAML syntax: the apostrophe of %.*s'%.*s closes the "
			    "text opened with ': put the whole text between "
			    "double quotes, or write the apostrophe twice "
			    "(%.*s''%.*s)",
			    before, word, after, word + before + 1, before,
			    word, after, word + before + 1);
	else
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pq, 1,
			    "YAML syntax: the \" before %.*s closes the text "
			    "opened with \": write \\\" for a quotation mark "
			    "inside it, or put the whole text between single "
			    "quotes",
			    after, word + before + 1);
	return 1;
}

/* libyaml's "could not find expected ':'" when the line it started at is
 * one plain text without ':': a key whose colon is missing (place Riom),
 * or a list item without its space (-Des outils). 1: reported. */
static int missing_colon(loader *L, const yaml_parser_t *p)
{
	yaml_mark_t m = p->context_mark;
	size_t off = byte_at(L, m.index);
	size_t line = off - m.column; /* the line's start: columns are ASCII spaces */
	const char *lead = off > line ? text_span(L, line, off) : "";
	size_t spaces = 0;
	while (lead && spaces < off - line && lead[spaces] == ' ')
		spaces++;
	if (!lead || spaces < off - line ||
	    (line && !text_span(L, line - 1, line)) ||
	    (line && *text_span(L, line - 1, line) != '\n'))
		return 0;
	size_t nl = at_view_find(&L->view, off, '\n');
	size_t end = nl == SIZE_MAX ? L->src->len : nl;
	if (end - off > 512)
		return 0;
	const char *t = end > off ? text_span(L, off, end) : NULL;
	int len = t ? (int)(end - off) : 0;
	if (len && t[len - 1] == '\r')
		len--;
	if (!len || memchr(t, ':', (size_t)len) || memchr(t, '#', (size_t)len))
		return 0;
	int word = 0; /* t is a window on the text, not a C string */
	while (word < len && !strchr(" \t\r\n", t[word]))
		word++;
	at_pos pos = mark_pos(m);
	if (t[0] == '-' && word > 1)
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, (uint32_t)word,
			    "YAML syntax: a list item is a dash and a space: "
			    "write '- %.*s', not '%.*s'",
			    word - 1, t + 1, word, t);
	else
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, (uint32_t)word,
			    "YAML syntax: '%.*s' needs a colon after it: write "
			    "'%.*s: ...'",
			    word, t, word, t);
	return 1;
}

static void unknown_syntax(loader *L, const yaml_parser_t *p, at_pos pos)
{
	const char *problem = p->problem ? p->problem : "unknown problem";
	if (p->context)
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, 1,
			    "YAML syntax: %s %s (line %u, column %u)", problem,
			    p->context, (unsigned)p->context_mark.line + 1,
			    (unsigned)p->context_mark.column + 1);
	else
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, 1,
			    "YAML syntax: %s", problem);
}

static void syntax_error(loader *L, yaml_parser_t *p)
{
	L->failed = 1;
	if (p->error == YAML_READER_ERROR && L->unreadable) {
		/* A file that changed is reported as such by the document. */
		if (!at_source_changed(L->src))
			at_diag_add(L->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
				    "cannot read the file again");
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		/* Only problem_offset is set, in bytes. read.c refuses what
		 * libyaml's reader refuses, so this is a safety net. */
		const char *problem =
			p->problem ? p->problem : "unreadable input";
		at_diag_add(L->d, AT_ERROR, "yaml-syntax",
			    at_view_pos(&L->view, p->problem_offset), 1,
			    "YAML syntax: %s", problem);
		return;
	}
	at_pos pos = mark_pos(p->problem_mark);
	if (quote_trouble(L, p))
		return;
	if (has_prefix(p->problem, "could not find expected ':'") &&
	    missing_colon(L, p))
		return;
	const hint *h = find_hint(p);
	if (has_prefix(p->problem, "found character that cannot start")) {
		char c = char_at(L, p->problem_mark);
		if (c == '\t')
			h = &tab_hint;
		else if (c == '`' || c == '@' || c == '%') {
			at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, 1,
				    "YAML syntax: a text cannot start with "
				    "'%c': put it between double quotes",
				    c);
			return;
		}
	}
	if (!h) {
		unknown_syntax(L, p, pos);
		return;
	}
	uint32_t span = 1;
	if (h->at_context) {
		pos = mark_pos(p->context_mark);
		span = span_of(L, p->context_mark, p->problem_mark);
	}
	unsigned cl = (unsigned)p->context_mark.line + 1;
	unsigned cc = (unsigned)p->context_mark.column + 1;
	at_buf b;
	at_buf_init(&b);
	format_hint(&b, _(h->text), cl, cc);
	at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, span,
		    "YAML syntax: %s", at_buf_cstr(&b));
	at_buf_free(&b);
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

/* `- &Co. les partenaires`: YAML reads an anchor, the text loses "&Co.",
 * and nothing says so. An anchor on a plain text that no alias uses was
 * most likely part of the text. */
static void unused_text_anchors(loader *L)
{
	for (size_t i = 0; i < L->n_anchors; i++) {
		const anchor *an = &L->anchors[i];
		const at_node *n = an->node;
		if (an->used || n->kind != AT_SCALAR ||
		    n->u.scalar.style != AT_PLAIN)
			continue;
		at_diag_add(L->d, AT_WARNING, "anchor-in-text", n->pos,
			    (uint32_t)strlen(an->name) + 1,
			    "YAML reads '&%s' as an anchor, and no alias uses "
			    "it: if it is part of the text, put the whole text "
			    "between double quotes",
			    an->name);
	}
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
