/* bind.c: giving the YAML tree its meaning as a session (format version 1).
 *
 * Each part of the format has one bind_* function that checks its mapping's
 * keys against a key table, then reads each key. Problems are reported and
 * the part is skipped or left absent, never guessed: a typo must not drop a
 * contribution silently, so unknown keys are errors with a suggestion. */
#include "bind.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "path.h"

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

static void *alloc_array(binder *B, size_t n, size_t size)
{
	void *p = at_arena_array(B->a, n ? n : 1, size);
	if (!p)
		at_diag_add(B->d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
	return p;
}

/* A problem with node n itself, underlined whole. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void err(binder *B, const char *code, const at_node *n,
		const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);
	va_end(ap);
	at_diag_add(B->d, AT_ERROR, code, n->pos, n->span, "%s", msg);
}

static int is_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* A value that says nothing: empty, ~, null, or only spaces. */
static int says_nothing(const at_node *v)
{
	return at_node_is_null(v) ||
	       (v->kind == AT_SCALAR && is_blank(v->u.scalar.s));
}

/* ---- suggestions ---- */

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

/* ---- keys ---- */

static int is_merge_key(const at_node *key)
{
	return key->u.scalar.style == AT_PLAIN &&
	       strcmp(key->u.scalar.s, "<<") == 0;
}

/* A suggestion compares the word with every name allowed: past this many
 * comparisons (problems so far times names), no more suggestions. A grid
 * of 20,000 sections and as many misspelt keys must not take minutes. */
#define SUGGEST_WORK 2000000u

static int in_sorted(const char *const *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		int c = strcmp(v[m], name);
		if (!c)
			return 1;
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return 0;
}

/* The French words facilitators write for keys, and the key each means:
 * a suggestion when the key is allowed where the word is (keys stay
 * English, whatever the language of the report). */
static const char *const french_keys[][2] = {
	{"animateurs", "facilitators"}, {"animatrices", "facilitators"},
	{"brainstorming", "brainstorm"}, {"consignes", "asks"},
	{"contexte", "context"},        {"duree", "minutes"},
	{"durée", "minutes"},     {"effectif", "attendance"},
	{"etape", "step"},              {"étape", "step"},
	{"etiquettes", "tags"},         {"étiquettes", "tags"},
	{"frein", "brakes"},            {"freins", "brakes"},
	{"groupes", "groups"},          {"hote", "host"},
	{"hôte", "host"},         {"langue", "lang"},
	{"legende", "caption"},         {"légende", "caption"},
	{"leviers", "drivers"},         {"lien", "link"},
	{"lieu", "place"},              {"membres", "members"},
	{"methode", "method"},          {"méthode", "method"},
	{"moteur", "drivers"},          {"moteurs", "drivers"},
	{"nom", "name"},                {"organisateur", "organiser"},
	{"organisatrice", "organiser"}, {"par", "by"},
	{"poids", "weight"},            {"pratiques", "practices"},
	{"remarque", "note"},           {"rôle", "role"},
	{"sous-groupes", "subgroups"},  {"sous-titre", "subtitle"},
	{"synthese", "synthesis"},      {"synthèse", "synthesis"},
	{"taille", "size"},             {"texte", "text"},
	{"theme", "theme"},             {"thème", "theme"},
	{"titre", "title"},             {"tours", "rounds"},
	{"type", "kind"}};

/* The key a French word means, when it is one of names[0..n). */
static const char *french_key(const char *word, const char *const *names,
			      size_t n)
{
	size_t words = sizeof french_keys / sizeof french_keys[0];
	for (size_t i = 0; i < words; i++) {
		if (strcmp(french_keys[i][0], word) != 0)
			continue;
		for (size_t j = 0; j < n; j++)
			if (strcmp(names[j], french_keys[i][1]) == 0)
				return names[j];
	}
	return NULL;
}

/* "(did you mean ...)" among specs and extra, or NULL. */
static const char *suggest_key(binder *B, const char *name,
			       const key_spec *specs, const char *const *extra,
			       size_t n_extra)
{
	size_t n = n_extra;
	for (const key_spec *k = specs; k->name; k++)
		n++;
	if (!n || B->d->errors > SUGGEST_WORK / n)
		return NULL;
	const char **names = malloc(n * sizeof *names);
	if (!names)
		return NULL;
	n = 0;
	for (const key_spec *k = specs; k->name; k++)
		names[n++] = k->name;
	for (size_t i = 0; i < n_extra; i++)
		names[n++] = extra[i];
	const char *hint = at_suggest(name, names, n);
	if (!hint)
		hint = french_key(name, names, n);
	free(names);
	return hint;
}

/* The keys allowed in a mapping, for a key nothing allowed is close to:
 * the first few, a group's many section ids cut short. */
#define KEYS_LISTED 16

static void list_keys(at_buf *b, const key_spec *specs,
		      const char *const *extra, size_t n_extra)
{
	size_t n = 0;
	for (const key_spec *k = specs; k->name && n < KEYS_LISTED; k++)
		at_buf_printf(b, "%s%s", n++ ? ", " : "", k->name);
	for (size_t i = 0; i < n_extra && n < KEYS_LISTED; i++)
		at_buf_printf(b, "%s%s", n++ ? ", " : "", extra[i]);
	size_t total = n_extra;
	for (const key_spec *k = specs; k->name; k++)
		total++;
	if (total > n)
		at_buf_puts(b, ", ...");
}

/* An unknown key nothing allowed is close to: the allowed ones. */
static void unknown_key(binder *B, const at_node *key, const key_spec *specs,
			const char *const *extra, size_t n_extra,
			const char *what)
{
	at_buf b;
	at_buf_init(&b);
	list_keys(&b, specs, extra, n_extra);
	at_diag_add(B->d, AT_ERROR, "unknown-key", key->pos, key->span,
		    "unknown key '%s' in %s (the keys allowed here: %s)",
		    key->u.scalar.s, _(what), b.oom ? "..." : at_buf_cstr(&b));
	at_buf_free(&b);
}

/* Reports unknown keys (with a suggestion) and missing required ones.
 * extra[] are keys allowed on top of specs, sorted (a group's section
 * ids: a grid may have thousands, and every group is checked). */
static void check_keys(binder *B, const at_node *map, const key_spec *specs,
		       const char *const *extra, size_t n_extra,
		       const char *what)
{
	for (size_t i = 0; i < map->u.map.n; i++) {
		const at_node *key = map->u.map.v[i].key;
		/* Non-text keys and '<<' are the loader's to report. */
		if (key->kind != AT_SCALAR || is_merge_key(key))
			continue;
		const char *name = key->u.scalar.s;
		int known = in_sorted(extra, n_extra, name);
		for (const key_spec *k = specs; k->name && !known; k++)
			known = strcmp(k->name, name) == 0;
		if (known)
			continue;
		if (!*name) {
			at_diag_add(B->d, AT_ERROR, "unknown-key", key->pos, 1,
				    "empty key in %s", _(what));
			continue;
		}
		const char *hint = suggest_key(B, name, specs, extra, n_extra);
		if (hint)
			at_diag_add(B->d, AT_ERROR, "unknown-key", key->pos,
				    key->span,
				    "unknown key '%s' in %s (did you mean "
				    "'%s'?)",
				    name, _(what), hint);
		else
			unknown_key(B, key, specs, extra, n_extra, what);
	}
	for (const key_spec *k = specs; k->name; k++) {
		if (!k->required)
			continue;
		const at_node *v = at_map_get(map, k->name);
		if (!v)
			at_diag_add(B->d, AT_ERROR, "missing-key", map->pos,
				    map->span, "missing required key '%s' in %s",
				    k->name, _(what));
		else if (says_nothing(v))
			at_diag_add(B->d, AT_ERROR, "missing-key", v->pos,
				    v->span, "required key '%s' in %s has no value",
				    k->name, _(what));
	}
}

static int expect_map(binder *B, const at_node *n, const char *what)
{
	if (n->kind == AT_MAP)
		return 1;
	at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
		    "expected %s (a mapping of keys), found %s", _(what),
		    at_node_describe(n));
	return 0;
}

/* "-Des outils" where a list is expected: a list item's dash without its
 * space, which YAML reads as a text. 1: reported. */
static int dash_without_space(binder *B, const at_node *n)
{
	if (n->kind != AT_SCALAR || n->u.scalar.style != AT_PLAIN)
		return 0;
	const char *s = n->u.scalar.s;
	if (s[0] != '-' || !s[1] || strchr(" \t\n", s[1]))
		return 0;
	int word = (int)strcspn(s, " \t\n");
	at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, (uint32_t)word,
		    "a list item is a dash and a space: write '- %.*s', not "
		    "'%.*s'",
		    word - 1, s + 1, word, s);
	return 1;
}

/* A list, or NULL for an absent/empty value; reports any other type. */
static const at_node *get_list(binder *B, const at_node *map, const char *key,
			       const char *what)
{
	const at_node *n = at_map_get(map, key);
	if (!n || says_nothing(n))
		return NULL;
	if (n->kind == AT_SEQ || dash_without_space(B, n))
		return n->kind == AT_SEQ ? n : NULL;
	at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
		    "expected a list of %s for '%s', found %s", _(what), key,
		    at_node_describe(n));
	return NULL;
}

static const at_node *get_map(binder *B, const at_node *map, const char *key,
			      const char *what)
{
	const at_node *n = at_map_get(map, key);
	if (!n || says_nothing(n))
		return NULL;
	if (n->kind == AT_MAP)
		return n;
	at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
		    "expected %s for '%s', found %s", _(what), key,
		    at_node_describe(n));
	return NULL;
}

/* ---- scalars ---- */

/* Any scalar reads as text, as written: `title: 2016` is the text "2016". */
/* `- Nièvre et Morvan : productions locales` is valid YAML: a list entry
 * that is a mapping of one key. Where the entry should be a text, that is
 * nearly always a text whose ': ' (or final ':') needed quotes: say so,
 * rather than "found a mapping", and hand back the key as the text so that
 * nothing else is reported. Not for a written {key: value}: a block
 * mapping starts at its first key, a flow one at its '{'. */
static const char *colon_text(binder *B, const at_node *n)
{
	if (n->kind != AT_MAP || n->u.map.n != 1)
		return NULL;
	const at_pair *p = &n->u.map.v[0];
	if (p->key->kind != AT_SCALAR || p->key->u.scalar.style != AT_PLAIN ||
	    p->value->kind != AT_SCALAR || p->key->pos.line != n->pos.line ||
	    p->key->pos.col != n->pos.col)
		return NULL;
	at_diag_add(B->d, AT_ERROR, "colon-in-text", p->key->pos, p->key->span,
		    "this text contains ': ' or ends with ':', so YAML reads "
		    "it as 'key: value': put the whole text between double "
		    "quotes");
	return p->key->u.scalar.s;
}

static const char *node_text(binder *B, const at_node *n, const char *key)
{
	if (!n || at_node_is_null(n))
		return NULL;
	if (n->kind != AT_SCALAR) {
		at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
			    "expected text for '%s', found %s", key,
			    at_node_describe(n));
		return NULL;
	}
	return n->u.scalar.s;
}

static const char *get_text(binder *B, const at_node *map, const char *key)
{
	return node_text(B, at_map_get(map, key), key);
}

/* A text and where it starts. For a quoted scalar that is after the
 * quote: the validator underlines a name by its length, which does not
 * count the quotes. */
static at_str str_of(const char *s, const at_node *n)
{
	at_str r = {s, n ? n->pos : (at_pos){0, 0}};
	if (n && n->kind == AT_SCALAR && n->u.scalar.style == AT_QUOTED)
		r.pos.col++;
	return r;
}

static at_str get_str(binder *B, const at_node *map, const char *key)
{
	const at_node *n = at_map_get(map, key);
	return str_of(node_text(B, n, key), n);
}

/* A whole number in [min, max]; 0 and a report when it is not one. */
/* A number where one is expected must be written bare: "5" is a text.
 * Says so, with the fix when the text is a number between quotes. */
static void not_a_number(binder *B, const at_node *n, const char *key,
			 const char *what)
{
	if (n->kind != AT_SCALAR)
		at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
			    "expected %s for '%s', found %s", _(what), key,
			    at_node_describe(n));
	else if (n->u.scalar.style != AT_PLAIN && *n->u.scalar.s &&
		 strspn(n->u.scalar.s, "+-0123456789.eE") ==
			 n->u.scalar.len)
		at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
			    "expected %s for '%s', found the text \"%s\": "
			    "write the number without quotes",
			    _(what), key, n->u.scalar.s);
	else
		at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
			    "expected %s for '%s', found '%s'", _(what), key,
			    n->u.scalar.s);
}

/* Bounds of INT_MAX or more are only what the program can hold: naming
 * them ("between 1 and 2147483647") would tell a facilitator nothing. */
static void out_of_range(binder *B, const at_node *n, const char *key,
			 long min, long max, int too_big)
{
	const char *s = n->u.scalar.s;
	if (max < INT_MAX)
		at_diag_add(B->d, AT_ERROR, "out-of-range", n->pos, n->span,
			    "'%s' must be between %ld and %ld, found %s", key,
			    min, max, s);
	else if (too_big)
		at_diag_add(B->d, AT_ERROR, "out-of-range", n->pos, n->span,
			    "'%s' is too large: %s", key, s);
	else
		at_diag_add(B->d, AT_ERROR, "out-of-range", n->pos, n->span,
			    "'%s' must be %ld or more, found %s", key, min, s);
}

static int node_int(binder *B, const at_node *n, const char *key, long min,
		    long max, long *out)
{
	if (n->kind != AT_SCALAR || n->u.scalar.style != AT_PLAIN) {
		not_a_number(B, n, key, "a whole number");
		return 0;
	}
	const char *s = n->u.scalar.s;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	int digits = *s && (*s == '-' || *s == '+' || (*s >= '0' && *s <= '9'));
	if (!digits || *end != '\0' || end == s) {
		not_a_number(B, n, key, "a whole number");
		return 0;
	}
	if (errno == ERANGE || v < min || v > max) {
		out_of_range(B, n, key, min, max, errno == ERANGE ? *s != '-'
								   : v > max);
		return 0;
	}
	*out = v;
	return 1;
}

static int get_int(binder *B, const at_node *map, const char *key, long min,
		   long max, long *out, at_pos *pos)
{
	const at_node *n = at_map_get(map, key);
	if (!n || at_node_is_null(n))
		return 0;
	if (pos)
		*pos = n->pos;
	return node_int(B, n, key, min, max, out);
}

static int node_number(binder *B, const at_node *n, const char *key,
		       double *out)
{
	if (n->kind != AT_SCALAR || n->u.scalar.style != AT_PLAIN) {
		not_a_number(B, n, key, "a number");
		return 0;
	}
	const char *s = n->u.scalar.s;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	/* Plain decimal numbers only: no hex, inf or nan. */
	int plain = strspn(s, "+-0123456789.eE") == strlen(s);
	if (!*s || *end != '\0' || !plain) {
		not_a_number(B, n, key, "a number");
		return 0;
	}
	/* Overflow only: a weight too small to hold is as good as 0. */
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) {
		at_diag_add(B->d, AT_ERROR, "out-of-range", n->pos, n->span,
			    "'%s' is too large: %s", key, s);
		return 0;
	}
	*out = v;
	return 1;
}

/* group_size: [5, 8] or 5. */
/* The range n holds, the value of key. */
static at_range range_of(binder *B, const at_node *n, const char *key)
{
	at_range r = {0, 0, {0, 0}};
	if (!n || at_node_is_null(n))
		return r;
	r.pos = n->pos;
	long lo, hi;
	if (n->kind == AT_SCALAR) {
		if (node_int(B, n, key, 1, INT_MAX, &lo))
			r.min = r.max = (int)lo;
		return r;
	}
	if (n->kind != AT_SEQ || n->u.seq.n != 2) {
		at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
			    "expected '%s' as [min, max] or one number, found "
			    "%s",
			    key,
			    n->kind != AT_SEQ ? at_node_describe(n)
			    : n->u.seq.n ? _("a list of another length")
					 : _("an empty list"));
		return r;
	}
	if (node_int(B, n->u.seq.v[0], key, 1, INT_MAX, &lo) &&
	    node_int(B, n->u.seq.v[1], key, 1, INT_MAX, &hi)) {
		if (lo > hi)
			at_diag_add(B->d, AT_ERROR, "bad-range", n->pos, n->span,
				    "'%s' goes from %ld down to %ld: write "
				    "[min, max]",
				    key, lo, hi);
		else {
			r.min = (int)lo;
			r.max = (int)hi;
		}
	}
	return r;
}

static at_range get_range(binder *B, const at_node *map, const char *key)
{
	return range_of(B, at_map_get(map, key), key);
}

static int valid_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static at_str get_id(binder *B, const at_node *map, const char *key)
{
	at_str id = get_str(B, map, key);
	if (id.s && is_blank(id.s)) {
		id.s = NULL; /* reported by check_keys: ids are required */
	} else if (id.s && !valid_id(id.s)) {
		const at_node *n = at_map_get(map, key);
		err(B, "bad-id", n,
		    "invalid id '%s': use letters, digits, '-' and '_' (e.g. "
		    "q1, sous-groupe_2)",
		    id.s);
		id.s = NULL;
	}
	return id;
}

/* A list of texts; a single text is taken as a list of one. */
static at_strs node_strs(binder *B, const at_node *n, const char *key)
{
	at_strs r = {NULL, 0};
	if (!n || at_node_is_null(n))
		return r;
	if (n->kind == AT_SCALAR) {
		if (!*n->u.scalar.s) {
			at_diag_add(B->d, AT_ERROR, "empty-text", n->pos,
				    n->span, "empty text in '%s'", key);
			return r;
		}
		r.v = alloc_array(B, 1, sizeof *r.v);
		if (r.v) {
			r.v[0] = str_of(n->u.scalar.s, n);
			r.n = 1;
		}
		return r;
	}
	if (n->kind != AT_SEQ) {
		at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
			    "expected a list of text for '%s', found %s", key,
			    at_node_describe(n));
		return r;
	}
	r.v = alloc_array(B, n->u.seq.n, sizeof *r.v);
	if (!r.v)
		return r;
	for (size_t i = 0; i < n->u.seq.n; i++) {
		const at_node *e = n->u.seq.v[i];
		const char *t = colon_text(B, e);
		if (!t)
			t = node_text(B, e, key);
		if (!t && !at_node_is_null(e))
			continue; /* not text: reported */
		if (!t || !*t) {
			at_diag_add(B->d, AT_ERROR, "empty-text", e->pos,
				    e->span, "empty text in '%s'", key);
			continue;
		}
		r.v[r.n++] = str_of(t, e);
	}
	return r;
}

/* ---- dates ---- */

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* The value of n decimal digits, already checked to be digits. */
static int digits_value(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static at_date get_date(binder *B, const at_node *map)
{
	at_date r = {0, 0, 0, {0, 0}};
	const at_node *n = at_map_get(map, "date");
	if (!n || says_nothing(n))
		return r; /* missing: reported by check_keys */
	r.pos = n->pos;
	if (n->kind != AT_SCALAR) {
		at_diag_add(B->d, AT_ERROR, "wrong-type", n->pos, n->span,
			    "expected a date as YYYY-MM-DD for 'date', found %s",
			    at_node_describe(n));
		return r;
	}
	const char *s = n->u.scalar.s;
	int ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
	for (int i = 0; ok && i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			ok = 0;
	if (!ok) {
		at_diag_add(B->d, AT_ERROR, "bad-date", n->pos, n->span,
			    "expected a date as YYYY-MM-DD (e.g. 2016-06-30), "
			    "found '%s'",
			    s);
		return r;
	}
	int y = digits_value(s, 4), m = digits_value(s + 5, 2);
	int dd = digits_value(s + 8, 2);
	const char *why = y < 1		    ? N_("there is no year 0")
			  : m < 1 || m > 12 ? N_("there is no such month")
			  : dd < 1 || dd > days_in_month(y, m)
				  ? N_("that month has no such day")
				  : NULL;
	if (why) {
		at_diag_add(B->d, AT_ERROR, "bad-date", n->pos, n->span,
			    "impossible date '%s': %s", s, _(why));
		return r;
	}
	r.year = y;
	r.month = m;
	r.day = dd;
	return r;
}

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
	f->caption = get_text(B, n, "caption");
	f->alt = get_text(B, n, "alt");
	if (!f->image.s)
		return 0; /* missing: reported by check_keys */
	if (is_blank(f->image.s))
		return 0; /* reported by check_keys */
	f->path = join_path(B, B->s->dir, f->image.s);
	return 1;
}

static at_figures bind_figures(binder *B, const at_node *map)
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

static void bind_items(binder *B, const at_node *list, at_items *out,
		       const char *key);

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

static void bind_items(binder *B, const at_node *list, at_items *out,
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

static void get_items(binder *B, const at_node *map, const char *key,
		      at_items *out)
{
	const at_node *l = get_list(B, map, key, "items");
	if (l)
		bind_items(B, l, out, key);
}

/* ---- parts of the session ---- */

static const key_spec participant_keys[] = {
	{"id", 1}, {"name", 1}, {"organisation", 0}, {"role", 0}, END_KEYS};

static void bind_participants(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "participants", "participants");
	if (!l || !(B->s->participants =
			alloc_array(B, l->u.seq.n, sizeof(at_participant))))
		return;
	for (size_t i = 0; i < l->u.seq.n; i++) {
		const at_node *n = l->u.seq.v[i];
		if (!expect_map(B, n, "a participant"))
			continue;
		check_keys(B, n, participant_keys, NULL, 0, "participant");
		at_participant *p = &B->s->participants[B->s->n_participants];
		p->pos = n->pos;
		p->id = get_id(B, n, "id");
		p->name = get_text(B, n, "name");
		p->organisation = get_text(B, n, "organisation");
		p->role = get_text(B, n, "role");
		/* Kept with its id even when its name is missing (reported):
		 * dropping it would also report every reference to it. */
		if (p->id.s)
			B->s->n_participants++;
	}
}

static const key_spec question_keys[] = {
	{"id", 1}, {"title", 1}, {"prompts", 0}, END_KEYS};

static void bind_questions(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "questions", "questions");
	if (!l)
		return;
	if (l->u.seq.n == 0) {
		at_diag_add(B->d, AT_ERROR, "no-questions", l->pos, l->span,
			    "a session needs at least one question");
		return;
	}
	if (!(B->s->questions = alloc_array(B, l->u.seq.n, sizeof(at_question))))
		return;
	for (size_t i = 0; i < l->u.seq.n; i++) {
		const at_node *n = l->u.seq.v[i];
		if (!expect_map(B, n, "a question"))
			continue;
		check_keys(B, n, question_keys, NULL, 0, "question");
		at_question *q = &B->s->questions[B->s->n_questions];
		q->pos = n->pos;
		q->id = get_id(B, n, "id");
		q->title = get_text(B, n, "title");
		q->prompts = node_strs(B, at_map_get(n, "prompts"), "prompts");
		/* Kept with its id even without a title (reported), so that
		 * the parts naming it are not reported as well. */
		if (q->id.s)
			B->s->n_questions++;
	}
}

static const char *const phase_kinds[] = {"rotation", "subgroups", "plenary",
					  "synthesis", "other"};

static const key_spec phase_keys[] = {
	{"kind", 1}, {"title", 0}, {"minutes", 0}, {"group_size", 0},
	{"text", 0}, END_KEYS};

static int phase_kind(binder *B, const at_node *k, at_phase_kind *out)
{
	const char *kind = node_text(B, k, "kind");
	if (!kind || is_blank(kind))
		return 0; /* missing: reported by check_keys */
	for (size_t j = 0; j < 5; j++)
		if (strcmp(kind, phase_kinds[j]) == 0) {
			*out = (at_phase_kind)j;
			return 1;
		}
	const char *hint = at_suggest(kind, phase_kinds, 5);
	if (hint)
		at_diag_add(B->d, AT_ERROR, "bad-kind", k->pos, k->span,
			    "unknown phase kind '%s' (did you mean '%s'?): "
			    "expected rotation, subgroups, plenary, synthesis "
			    "or other",
			    kind, hint);
	else
		at_diag_add(B->d, AT_ERROR, "bad-kind", k->pos, k->span,
			    "unknown phase kind '%s': expected rotation, "
			    "subgroups, plenary, synthesis or other",
			    kind);
	return 0;
}

static void bind_phases(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "phases", "phases");
	if (!l || !(B->s->phases = alloc_array(B, l->u.seq.n, sizeof(at_phase))))
		return;
	for (size_t i = 0; i < l->u.seq.n; i++) {
		const at_node *n = l->u.seq.v[i];
		if (!expect_map(B, n, "a phase"))
			continue;
		check_keys(B, n, phase_keys, NULL, 0, "phase");
		at_phase *p = &B->s->phases[B->s->n_phases];
		p->pos = n->pos;
		/* Every key is read even when the kind is wrong, so that the
		 * problems in the others are reported in the same run. */
		p->title = get_text(B, n, "title");
		long v;
		if (get_int(B, n, "minutes", 1, 100000, &v, NULL))
			p->minutes = (int)v;
		p->group_size = get_range(B, n, "group_size");
		p->text = get_text(B, n, "text");
		if (phase_kind(B, at_map_get(n, "kind"), &p->kind))
			B->s->n_phases++;
	}
}

static const key_spec table_keys[] = {
	{"id", 1}, {"name", 0}, {"host", 0}, END_KEYS};

static void bind_tables(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "tables", "tables");
	if (!l || !(B->s->tables = alloc_array(B, l->u.seq.n, sizeof(at_table))))
		return;
	for (size_t i = 0; i < l->u.seq.n; i++) {
		const at_node *n = l->u.seq.v[i];
		if (!expect_map(B, n, "a table"))
			continue;
		check_keys(B, n, table_keys, NULL, 0, "table");
		at_table *t = &B->s->tables[B->s->n_tables];
		t->pos = n->pos;
		t->id = get_id(B, n, "id");
		t->name = get_text(B, n, "name");
		t->host = get_text(B, n, "host");
		if (t->id.s)
			B->s->n_tables++;
	}
}

static const key_spec round_keys[] = {
	{"minutes", 0}, {"tables", 0}, END_KEYS};

static void bind_rounds(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "rounds", "rounds");
	if (!l || !(B->s->rounds = alloc_array(B, l->u.seq.n, sizeof(at_round))))
		return;
	for (size_t i = 0; i < l->u.seq.n; i++) {
		const at_node *n = l->u.seq.v[i];
		if (!expect_map(B, n, "a round"))
			continue;
		check_keys(B, n, round_keys, NULL, 0, "round");
		at_round *r = &B->s->rounds[B->s->n_rounds++];
		r->pos = n->pos;
		long v;
		if (get_int(B, n, "minutes", 1, 100000, &v, NULL))
			r->minutes = (int)v;
		const at_node *t = get_map(B, n, "tables",
					   "a mapping of question ids to tables");
		if (!t || !(r->cells = alloc_array(B, t->u.map.n,
						   sizeof(at_round_cell))))
			continue;
		for (size_t j = 0; j < t->u.map.n; j++) {
			const at_pair *p = &t->u.map.v[j];
			if (p->key->kind != AT_SCALAR)
				continue;
			at_round_cell *c = &r->cells[r->n_cells++];
			c->question = str_of(p->key->u.scalar.s, p->key);
			c->tables = node_strs(B, p->value, "tables");
		}
	}
}

static const key_spec section_keys[] = {
	{"id", 1}, {"label", 1}, {"force", 0}, END_KEYS};

/* Keys of a group that are not sections: a custom section may not take
 * their names. */
static const char *const group_fixed[] = {"name", "theme", "size", "members",
					  "figures"};

static const key_spec group_keys[] = {
	{"name", 0}, {"theme", 0}, {"size", 0}, {"members", 0},
	{"figures", 0}, END_KEYS};

static void default_sections(binder *B)
{
	static const char *const ids[] = {"practices", "conditions", "drivers",
					  "brakes"};
	static const at_force forces[] = {AT_FORCE_NONE, AT_FORCE_NONE,
					  AT_FORCE_DRIVER, AT_FORCE_BRAKE};
	at_session *s = B->s;
	if (!(s->sections = alloc_array(B, 4, sizeof(at_section_def))))
		return;
	for (size_t i = 0; i < 4; i++) {
		s->sections[i].id.s = ids[i];
		s->sections[i].force = forces[i];
		s->sections[i].builtin = true;
	}
	s->n_sections = 4;
}

static void bind_sections(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "sections", "sections");
	if (!l) {
		default_sections(B);
		return;
	}
	at_session *s = B->s;
	if (!(s->sections = alloc_array(B, l->u.seq.n, sizeof(at_section_def))))
		return;
	for (size_t i = 0; i < l->u.seq.n; i++) {
		const at_node *n = l->u.seq.v[i];
		if (!expect_map(B, n, "a section"))
			continue;
		check_keys(B, n, section_keys, NULL, 0, "section");
		at_section_def *d = &s->sections[s->n_sections];
		d->pos = n->pos;
		d->id = get_id(B, n, "id");
		d->label = get_text(B, n, "label");
		const at_node *f = at_map_get(n, "force");
		const char *force = node_text(B, f, "force");
		if (force) {
			if (strcmp(force, "driver") == 0)
				d->force = AT_FORCE_DRIVER;
			else if (strcmp(force, "brake") == 0)
				d->force = AT_FORCE_BRAKE;
			else if (strcmp(force, "none") != 0)
				err(B, "bad-force", f,
				    "unknown force '%s': expected driver, "
				    "brake or none",
				    force);
		}
		if (!d->id.s)
			continue; /* a missing label is reported; the id kept */
		int reserved = 0;
		for (size_t j = 0; j < 5; j++)
			reserved |= strcmp(d->id.s, group_fixed[j]) == 0;
		if (reserved) {
			const at_node *idn = at_map_get(n, "id");
			err(B, "reserved-id", idn,
			    "section id '%s' is a group key already: choose "
			    "another",
			    d->id.s);
			continue;
		}
		s->n_sections++;
	}
}

typedef struct section_id {
	const char *id;
	size_t def;
} section_id;

static int cmp_section_id(const void *a, const void *b)
{
	const section_id *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->def < y->def ? -1 : x->def > y->def);
}

/* The grid's ids sorted, each with its section: a group's keys are looked
 * up in it, rather than the grid walked for every group. */
static void section_ids(binder *B)
{
	const at_session *s = B->s;
	size_t n = 0;
	section_id *v = malloc((s->n_sections ? s->n_sections : 1) * sizeof *v);
	B->section_ids = alloc_array(B, s->n_sections, sizeof(const char *));
	B->section_of = alloc_array(B, s->n_sections, sizeof(size_t));
	if (!v || !B->section_ids || !B->section_of) {
		free(v);
		return;
	}
	for (size_t i = 0; i < s->n_sections; i++)
		if (s->sections[i].id.s)
			v[n++] = (section_id){s->sections[i].id.s, i};
	qsort(v, n, sizeof *v, cmp_section_id);
	for (size_t i = 0; i < n; i++) {
		B->section_ids[i] = v[i].id;
		B->section_of[i] = v[i].def;
	}
	B->n_section_ids = n;
	free(v);
}

/* The grid's section named id (the first of that id), or SIZE_MAX. */
static size_t section_named(const binder *B, const char *id)
{
	size_t lo = 0, hi = B->n_section_ids;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (strcmp(B->section_ids[m], id) < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < B->n_section_ids && strcmp(B->section_ids[lo], id) == 0
		       ? B->section_of[lo]
		       : SIZE_MAX;
}

static const key_spec labelled_keys[] = {
	{"label", 0}, {"items", 1}, END_KEYS};

typedef struct section_key {
	size_t def;  /* index in the grid */
	size_t pair; /* index in the group's mapping */
} section_key;

static int cmp_section_key(const void *a, const void *b)
{
	const section_key *x = a, *y = b;
	if (x->def != y->def)
		return x->def < y->def ? -1 : 1;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

static void bind_section(binder *B, const at_section_def *def,
			 const at_node *v, at_group *g)
{
	at_section *sec = &g->sections[g->n_sections];
	sec->pos = v->pos;
	sec->def = def;
	if (v->kind == AT_MAP) {
		check_keys(B, v, labelled_keys, NULL, 0, "section");
		sec->label = get_text(B, v, "label");
		get_items(B, v, "items", &sec->items);
	} else if (v->kind == AT_SEQ) {
		bind_items(B, v, &sec->items, def->id.s);
	} else {
		if (!dash_without_space(B, v))
			at_diag_add(B->d, AT_ERROR, "wrong-type", v->pos, v->span,
				    "expected a list of items for '%s', found %s",
				    def->id.s, at_node_describe(v));
		return;
	}
	g->n_sections++;
}

/* The group's sections, from its own keys: a grid of thousands of
 * sections cost every group the whole grid (groups times sections: 4 GB
 * for a 1 MB file). They come out in the grid's order, whatever the
 * YAML's; of a key written twice (an error), the first counts. */
static void bind_group_sections(binder *B, const at_node *n, at_group *g)
{
	const at_session *s = B->s;
	size_t k = 0;
	section_key *keys = malloc((n->u.map.n ? n->u.map.n : 1) * sizeof *keys);
	if (!keys) {
		at_diag_add(B->d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		return;
	}
	for (size_t i = 0; i < n->u.map.n; i++) {
		const at_node *key = n->u.map.v[i].key;
		size_t def = key->kind == AT_SCALAR
				     ? section_named(B, key->u.scalar.s)
				     : SIZE_MAX;
		if (def != SIZE_MAX)
			keys[k++] = (section_key){def, i};
	}
	qsort(keys, k, sizeof *keys, cmp_section_key);
	g->sections = alloc_array(B, k, sizeof(at_section));
	for (size_t i = 0; g->sections && i < k; i++) {
		const at_node *v = n->u.map.v[keys[i].pair].value;
		if ((i && keys[i].def == keys[i - 1].def) || at_node_is_null(v))
			continue;
		bind_section(B, &s->sections[keys[i].def], v, g);
	}
	free(keys);
}

static void bind_group(binder *B, const at_node *n, at_group *g)
{
	check_keys(B, n, group_keys, B->section_ids, B->n_section_ids,
		   "sub-group");
	g->pos = n->pos;
	g->name = get_text(B, n, "name");
	g->theme = get_text(B, n, "theme");
	if (!g->name && !g->theme)
		at_diag_add(B->d, AT_ERROR, "missing-key", n->pos, 1,
			    "a sub-group needs a 'name' or a 'theme'");
	long size;
	if (get_int(B, n, "size", 1, 100000, &size, &g->size_pos))
		g->size = (int)size;
	g->members = node_strs(B, at_map_get(n, "members"), "members");
	g->figures = bind_figures(B, n);
	bind_group_sections(B, n, g);
}

static const key_spec work_keys[] = {
	{"brief", 0}, {"group_size", 0}, {"groups", 0}, END_KEYS};

static void bind_subgroups(binder *B, const at_node *root)
{
	const at_node *m = get_map(B, root, "subgroups",
				   "a mapping of question ids to sub-group "
				   "work");
	at_session *s = B->s;
	if (!m || !(s->subgroups = alloc_array(B, m->u.map.n,
					       sizeof(at_subgroup_work))))
		return;
	for (size_t i = 0; i < m->u.map.n; i++) {
		const at_pair *p = &m->u.map.v[i];
		if (p->key->kind != AT_SCALAR || !expect_map(B, p->value,
							    "the sub-group work "
							    "on a question"))
			continue;
		const at_node *n = p->value;
		check_keys(B, n, work_keys, NULL, 0, "sub-group work");
		at_subgroup_work *w = &s->subgroups[s->n_subgroups++];
		w->pos = n->pos;
		w->question = str_of(p->key->u.scalar.s, p->key);
		w->brief = get_text(B, n, "brief");
		w->group_size = get_range(B, n, "group_size");
		const at_node *l = get_list(B, n, "groups", "sub-groups");
		if (!l || !(w->groups = alloc_array(B, l->u.seq.n,
						    sizeof(at_group))))
			continue;
		for (size_t j = 0; j < l->u.seq.n; j++) {
			const at_node *g = l->u.seq.v[j];
			if (expect_map(B, g, "a sub-group"))
				bind_group(B, g, &w->groups[w->n_groups++]);
		}
	}
}

static void bind_brainstorm(binder *B, const at_node *root)
{
	const at_node *m = get_map(B, root, "brainstorm",
				   "a mapping of question ids to items");
	at_session *s = B->s;
	if (!m || !(s->brainstorms = alloc_array(B, m->u.map.n,
						 sizeof(at_brainstorm))))
		return;
	for (size_t i = 0; i < m->u.map.n; i++) {
		const at_pair *p = &m->u.map.v[i];
		if (p->key->kind != AT_SCALAR)
			continue;
		at_brainstorm *b = &s->brainstorms[s->n_brainstorms];
		b->pos = p->value->pos;
		b->question = str_of(p->key->u.scalar.s, p->key);
		if (at_node_is_null(p->value)) {
			s->n_brainstorms++;
			continue;
		}
		if (p->value->kind != AT_SEQ) {
			if (!dash_without_space(B, p->value))
				at_diag_add(B->d, AT_ERROR, "wrong-type",
					    p->value->pos, p->value->span,
					    "expected a list of items for the "
					    "brainstorm on '%s', found %s",
					    b->question.s,
					    at_node_describe(p->value));
			continue;
		}
		bind_items(B, p->value, &b->items, "brainstorm");
		s->n_brainstorms++;
	}
}

static const key_spec step_keys[] = {
	{"step", 0},  {"title", 0},  {"prompt", 0},
	{"asks", 0},  {"expect", 0}, END_KEYS};

static void bind_step(binder *B, const at_node *n, at_kit_step *st)
{
	check_keys(B, n, step_keys, NULL, 0, "kit step");
	st->pos = n->pos;
	st->step = get_text(B, n, "step");
	st->title = get_text(B, n, "title");
	st->prompt = get_text(B, n, "prompt");
	get_items(B, n, "asks", &st->asks);
	const at_node *e = get_map(B, n, "expect",
				   "a mapping of section ids to counts");
	if (!e || !(st->expect = alloc_array(B, e->u.map.n, sizeof(at_expect))))
		return;
	for (size_t i = 0; i < e->u.map.n; i++) {
		const at_pair *p = &e->u.map.v[i];
		if (p->key->kind != AT_SCALAR)
			continue;
		at_expect *x = &st->expect[st->n_expect];
		x->section = str_of(p->key->u.scalar.s, p->key);
		/* This pair's value: looking each key up again was
		 * quadratic in the size of the mapping. */
		x->range = range_of(B, p->value, p->key->u.scalar.s);
		if (x->range.min)
			st->n_expect++;
	}
}

static void bind_kit(binder *B, const at_node *root)
{
	const at_node *m = get_map(B, root, "kit",
				   "a mapping of question ids to steps");
	at_session *s = B->s;
	if (!m || !(s->kits = alloc_array(B, m->u.map.n, sizeof(at_kit))))
		return;
	for (size_t i = 0; i < m->u.map.n; i++) {
		const at_pair *p = &m->u.map.v[i];
		if (p->key->kind != AT_SCALAR)
			continue;
		const at_node *l = p->value;
		if (l->kind != AT_SEQ) {
			if (!dash_without_space(B, l))
				at_diag_add(B->d, AT_ERROR, "wrong-type", l->pos,
					    l->span,
					    "expected a list of steps for the kit "
					    "of '%s', found %s",
					    p->key->u.scalar.s,
					    at_node_describe(l));
			continue;
		}
		at_kit *k = &s->kits[s->n_kits++];
		k->pos = l->pos;
		k->question = str_of(p->key->u.scalar.s, p->key);
		if (!(k->steps = alloc_array(B, l->u.seq.n, sizeof(at_kit_step))))
			continue;
		for (size_t j = 0; j < l->u.seq.n; j++)
			if (expect_map(B, l->u.seq.v[j], "a kit step"))
				bind_step(B, l->u.seq.v[j],
					  &k->steps[k->n_steps++]);
	}
}

/* ---- references ---- */

/* Questions by id, sorted once, the first of equal ids first: a session
 * of thousands of questions and parts was resolved with a scan of the
 * questions for each part. Without memory for it, the scan. */
typedef struct question_index {
	at_question **v;
	size_t n;
} question_index;

static int cmp_question(const void *a, const void *b)
{
	const at_question *x = *(at_question *const *)a;
	const at_question *y = *(at_question *const *)b;
	int c = strcmp(x->id.s, y->id.s);
	return c ? c : (x < y ? -1 : x > y);
}

static void index_questions(question_index *ix, at_session *s)
{
	ix->n = 0;
	ix->v = malloc((s->n_questions ? s->n_questions : 1) * sizeof *ix->v);
	if (!ix->v)
		return;
	for (size_t i = 0; i < s->n_questions; i++)
		ix->v[ix->n++] = &s->questions[i];
	qsort(ix->v, ix->n, sizeof *ix->v, cmp_question);
}

static at_question *find_question(const question_index *ix, at_session *s,
				  const char *id)
{
	if (!ix->v) {
		for (size_t i = 0; i < s->n_questions; i++)
			if (strcmp(s->questions[i].id.s, id) == 0)
				return &s->questions[i];
		return NULL;
	}
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (strcmp(ix->v[m]->id.s, id) < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < ix->n && strcmp(ix->v[lo]->id.s, id) == 0 ? ix->v[lo]
							     : NULL;
}

/* Points each part at its question (first one wins: duplicates are the
 * validator's to report) and each expectation at its section. */
static void resolve(const binder *B, at_session *s)
{
	question_index ix;
	index_questions(&ix, s);
	for (size_t i = 0; i < s->n_brainstorms; i++) {
		at_brainstorm *b = &s->brainstorms[i];
		at_question *q = find_question(&ix, s, b->question.s);
		b->q = q;
		if (q && !q->brainstorm)
			q->brainstorm = b;
	}
	for (size_t i = 0; i < s->n_subgroups; i++) {
		at_subgroup_work *w = &s->subgroups[i];
		at_question *q = find_question(&ix, s, w->question.s);
		w->q = q;
		if (q && !q->subgroups)
			q->subgroups = w;
	}
	for (size_t i = 0; i < s->n_kits; i++) {
		at_kit *k = &s->kits[i];
		at_question *q = find_question(&ix, s, k->question.s);
		k->q = q;
		if (q && !q->kit)
			q->kit = k;
		for (size_t j = 0; j < k->n_steps; j++)
			for (size_t e = 0; e < k->steps[j].n_expect; e++) {
				at_expect *x = &k->steps[j].expect[e];
				size_t def = section_named(B, x->section.s);
				x->def = def == SIZE_MAX ? NULL
							 : &s->sections[def];
			}
	}
	for (size_t i = 0; i < s->n_rounds; i++)
		for (size_t j = 0; j < s->rounds[i].n_cells; j++) {
			at_round_cell *c = &s->rounds[i].cells[j];
			c->q = find_question(&ix, s, c->question.s);
		}
	free(ix.v);
}

/* ---- the session ---- */

static const key_spec session_keys[] = {
	{"atelier", 0},   {"lang", 0},       {"title", 1},
	{"subtitle", 0},  {"organiser", 0},  {"date", 1},
	{"place", 0},     {"facilitators", 0}, {"participants", 0},
	{"attendance", 0}, {"context", 0},   {"figures", 0},
	{"questions", 1}, {"method", 0},     {"phases", 0},
	{"tables", 0},    {"rounds", 0},     {"sections", 0},
	{"brainstorm", 0}, {"subgroups", 0}, {"kit", 0},
	{"synthesis", 0}, END_KEYS};

int at_is_session_key(const char *name)
{
	for (const key_spec *k = session_keys; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return 1;
	return 0;
}

static const char *dir_of(binder *B, const char *path)
{
	size_t n;
	const char *d = at_path_dir(path, &n);
	return at_arena_strndup(B->a, d, n);
}

/* 0 when the file says it is another version of the format: its other
 * keys would be judged by the wrong rules, so nothing else is reported. */
static int bind_version(binder *B, const at_node *root)
{
	const at_node *v = at_map_get(root, "atelier");
	/* Not in check_keys: the fix is a line at the top, not a key
	 * somewhere in the mapping. Read as version 1. */
	if (!v) {
		at_diag_add(B->d, AT_ERROR, "missing-key", (at_pos){1, 1}, 1,
			    "missing required key 'atelier', the version of "
			    "the format: add the line 'atelier: 1' at the top "
			    "of the file");
		return 1;
	}
	if (says_nothing(v)) {
		at_diag_add(B->d, AT_ERROR, "missing-key", v->pos, v->span,
			    "required key 'atelier' in the session has no "
			    "value: write 'atelier: 1'");
		return 1;
	}
	const char *s = v->kind == AT_SCALAR ? v->u.scalar.s : "";
	if (v->kind != AT_SCALAR || v->u.scalar.style != AT_PLAIN || !*s ||
	    s[strspn(s, "0123456789")] != '\0') {
		long ignored;
		node_int(B, v, "atelier", 0, LONG_MAX, &ignored);
		return 1;
	}
	errno = 0;
	unsigned long version = strtoul(s, NULL, 10);
	if (errno == ERANGE || version != ATELIER_FORMAT_VERSION) {
		at_diag_add(B->d, AT_ERROR, "bad-version", v->pos, v->span,
			    "unsupported format version %s: this atelier "
			    "reads version %d",
			    s, ATELIER_FORMAT_VERSION);
		return 0;
	}
	B->s->version = ATELIER_FORMAT_VERSION;
	return 1;
}

static void bind_header(binder *B, const at_node *root)
{
	at_session *s = B->s;
	const at_node *l = at_map_get(root, "lang");
	const char *lang = node_text(B, l, "lang");
	s->lang = AT_LANG_FR;
	if (lang) {
		if (strcmp(lang, "en") == 0)
			s->lang = AT_LANG_EN;
		else if (strcmp(lang, "fr") != 0)
			err(B, "bad-lang", l,
			    "unknown language '%s': expected fr or en", lang);
	}
	s->title = get_text(B, root, "title");
	s->subtitle = get_text(B, root, "subtitle");
	s->organiser = get_text(B, root, "organiser");
	s->date = get_date(B, root);
	s->place = get_text(B, root, "place");
	s->facilitators = node_strs(B, at_map_get(root, "facilitators"),
				    "facilitators");
	long count;
	if (get_int(B, root, "attendance", 0, 10000000, &count,
		    &s->attendance_pos))
		s->attendance = (int)count;
	s->context = get_text(B, root, "context");
	s->figures = bind_figures(B, root);
	s->method = get_text(B, root, "method");
	s->synthesis = get_text(B, root, "synthesis");
}

at_session *at_bind(const at_node *root, at_tree *tree, const char *path,
		    const at_limits *lim, at_arena *a, at_diags *d)
{
	if (root->kind != AT_MAP) {
		at_diag_add(d, AT_ERROR, "wrong-type", root->pos, root->span,
			    "expected the session as a mapping of keys "
			    "(atelier, title, date, questions ...), found %s",
			    at_node_describe(root));
		return NULL;
	}
	binder B;
	memset(&B, 0, sizeof B);
	B.a = a;
	B.tree = tree;
	B.d = d;
	B.lim = lim;
	B.s = at_arena_alloc(a, sizeof *B.s);
	if (!B.s) {
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		return NULL;
	}
	B.s->path = path;
	B.s->dir = dir_of(&B, path);
	if (!bind_version(&B, root))
		return B.s;
	check_keys(&B, root, session_keys, NULL, 0, "the session");
	bind_header(&B, root);
	bind_participants(&B, root);
	bind_questions(&B, root);
	bind_phases(&B, root);
	bind_tables(&B, root);
	bind_rounds(&B, root);
	bind_sections(&B, root);
	section_ids(&B);
	bind_brainstorm(&B, root);
	bind_subgroups(&B, root);
	bind_kit(&B, root);
	resolve(&B, B.s);
	return B.s;
}
