/* bind_read.c: how the binder reads a node: a mapping's keys checked
 * against a key table (an unknown one with a "did you mean", also from
 * the French word), lists and mappings, texts, numbers, ranges, ids and
 * dates. Each problem is reported at its node and the value left out. */
#include "bind_int.h"
#include "sorted.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"

void *alloc_array(binder *B, size_t n, size_t size)
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
void err(binder *B, const char *code, const at_node *n,
	 const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);
	va_end(ap);
	at_diag_add(B->d, AT_ERROR, code, n->pos, n->span, "%s", msg);
}

int is_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* A value that says nothing: empty, ~, null, or only spaces. */
int says_nothing(const at_node *v)
{
	return at_node_is_null(v) ||
	       (v->kind == AT_SCALAR && is_blank(v->u.scalar.s));
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
	return at_find_sorted(v, n, sizeof *v, name, at_cmp_str_key) != NULL;
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
void check_keys(binder *B, const at_node *map, const key_spec *specs,
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

int expect_map(binder *B, const at_node *n, const char *what)
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
int dash_without_space(binder *B, const at_node *n)
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
const at_node *get_list(binder *B, const at_node *map, const char *key,
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

const at_node *get_map(binder *B, const at_node *map, const char *key,
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

/* Each mapping of list l (NULL: none) read by one() into the next slot
 * of a new array of size-byte elements, kept when one() says so; an
 * element that is not a mapping is reported as not what (a participant,
 * a kit step ...). The array, or NULL; *n counts the elements kept. */
void *read_maps(binder *B, const at_node *l, const char *what, size_t size,
		size_t *n, read_map_fn one)
{
	char *v = l ? alloc_array(B, l->u.seq.n, size) : NULL;
	for (size_t i = 0; v && i < l->u.seq.n; i++) {
		const at_node *e = l->u.seq.v[i];
		if (expect_map(B, e, what) && one(B, e, v + *n * size))
			(*n)++;
	}
	return v;
}

/* The same for the pairs of mapping m whose key is a text (a question
 * id, a section id). */
void *read_pairs(binder *B, const at_node *m, size_t size, size_t *n,
		 read_pair_fn one)
{
	char *v = m ? alloc_array(B, m->u.map.n, size) : NULL;
	for (size_t i = 0; v && i < m->u.map.n; i++) {
		const at_pair *p = &m->u.map.v[i];
		if (p->key->kind == AT_SCALAR && one(B, p, v + *n * size))
			(*n)++;
	}
	return v;
}

/* ---- scalars ---- */

/* Any scalar reads as text, as written: `title: 2016` is the text "2016". */
/* `- Nièvre et Morvan : productions locales` is valid YAML: a list entry
 * that is a mapping of one key. Where the entry should be a text, that is
 * nearly always a text whose ': ' (or final ':') needed quotes: say so,
 * rather than "found a mapping", and hand back the key as the text so that
 * nothing else is reported. Not for a written {key: value}: a block
 * mapping starts at its first key, a flow one at its '{'. */
const char *colon_text(binder *B, const at_node *n)
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

const char *node_text(binder *B, const at_node *n, const char *key)
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

const char *get_text(binder *B, const at_node *map, const char *key)
{
	return node_text(B, at_map_get(map, key), key);
}

void get_texts(binder *B, const at_node *map, void *record,
	       const text_field *fields)
{
	for (const text_field *f = fields; f->key; f++)
		*(const char **)((char *)record + f->offset) =
			get_text(B, map, f->key);
}

/* A text and where it starts. For a quoted scalar that is after the
 * quote: the validator underlines a name by its length, which does not
 * count the quotes. */
at_str str_of(const char *s, const at_node *n)
{
	at_str r = {s, n ? n->pos : (at_pos){0, 0}};
	if (n && n->kind == AT_SCALAR && n->u.scalar.style == AT_QUOTED)
		r.pos.col++;
	return r;
}

at_str get_str(binder *B, const at_node *map, const char *key)
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

/* The text of n when it is written bare, as a number must be; NULL and
 * a report when it is not. */
static const char *bare_text(binder *B, const at_node *n, const char *key,
			     const char *what)
{
	if (n->kind == AT_SCALAR && n->u.scalar.style == AT_PLAIN)
		return n->u.scalar.s;
	not_a_number(B, n, key, what);
	return NULL;
}

int node_int(binder *B, const at_node *n, const char *key, long min,
	     long max, long *out)
{
	const char *s = bare_text(B, n, key, N_("a whole number"));
	if (!s)
		return 0;
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

int get_int(binder *B, const at_node *map, const char *key, long min,
	    long max, long *out, at_pos *pos)
{
	const at_node *n = at_map_get(map, key);
	if (!n || at_node_is_null(n))
		return 0;
	if (pos)
		*pos = n->pos;
	return node_int(B, n, key, min, max, out);
}

int node_number(binder *B, const at_node *n, const char *key,
		double *out)
{
	const char *s = bare_text(B, n, key, N_("a number"));
	if (!s)
		return 0;
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
at_range range_of(binder *B, const at_node *n, const char *key)
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

at_range get_range(binder *B, const at_node *map, const char *key)
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

at_str get_id(binder *B, const at_node *map, const char *key)
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
at_strs node_strs(binder *B, const at_node *n, const char *key)
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

at_date get_date(binder *B, const at_node *map)
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
