/* bind.c: giving the YAML tree its meaning as a session (format version 1).
 *
 * Each part of the format has one bind_* function that checks its mapping's
 * keys against a key table, then reads each key. Problems are reported and
 * the part is skipped or left absent, never guessed: a typo must not drop a
 * contribution silently, so unknown keys are errors with a suggestion.
 *
 * Here: the session's own keys, its lists (participants, questions,
 * phases, tables, rounds), the references resolved, and at_bind, which
 * drives the other files: bind_read.c (keys and values), bind_items.c
 * (items and figures), bind_work.c (the grid, brainstorms, sub-groups,
 * kits). */
#include "bind_int.h"
#include "sorted.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "path.h"

/* ---- parts of the session ---- */

static const key_spec participant_keys[] = {
	{"id", 1}, {"name", 1}, {"organisation", 0}, {"role", 0}, END_KEYS};

static int bind_participant(binder *B, const at_node *n, void *slot)
{
	at_participant *p = slot;
	check_keys(B, n, participant_keys, NULL, 0, "participant");
	p->pos = n->pos;
	p->id = get_id(B, n, "id");
	static const text_field texts[] = {
		TEXT_FIELD(at_participant, name),
		TEXT_FIELD(at_participant, organisation),
		TEXT_FIELD(at_participant, role), {NULL, 0}};
	get_texts(B, n, p, texts);
	/* Kept with its id even when its name is missing (reported):
	 * dropping it would also report every reference to it. */
	return p->id.s != NULL;
}

static void bind_participants(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "participants", "participants");
	B->s->participants = read_maps(B, l, N_("a participant"),
				       sizeof(at_participant),
				       &B->s->n_participants, bind_participant);
}

static const key_spec question_keys[] = {
	{"id", 1}, {"title", 1}, {"prompts", 0}, END_KEYS};

static int bind_question(binder *B, const at_node *n, void *slot)
{
	at_question *q = slot;
	check_keys(B, n, question_keys, NULL, 0, "question");
	q->pos = n->pos;
	q->id = get_id(B, n, "id");
	q->title = get_text(B, n, "title");
	q->prompts = node_strs(B, at_map_get(n, "prompts"), "prompts");
	/* Kept with its id even without a title (reported), so that
	 * the parts naming it are not reported as well. */
	return q->id.s != NULL;
}

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
	B->s->questions = read_maps(B, l, N_("a question"), sizeof(at_question),
				    &B->s->n_questions, bind_question);
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

static int bind_phase(binder *B, const at_node *n, void *slot)
{
	at_phase *p = slot;
	check_keys(B, n, phase_keys, NULL, 0, "phase");
	p->pos = n->pos;
	/* Every key is read even when the kind is wrong, so that the
	 * problems in the others are reported in the same run. */
	p->title = get_text(B, n, "title");
	long v;
	if (get_int(B, n, "minutes", 1, 100000, &v, NULL))
		p->minutes = (int)v;
	p->group_size = get_range(B, n, "group_size");
	p->text = get_text(B, n, "text");
	return phase_kind(B, at_map_get(n, "kind"), &p->kind);
}

static void bind_phases(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "phases", "phases");
	B->s->phases = read_maps(B, l, N_("a phase"), sizeof(at_phase),
				 &B->s->n_phases, bind_phase);
}

static const key_spec table_keys[] = {
	{"id", 1}, {"name", 0}, {"host", 0}, END_KEYS};

static int bind_table(binder *B, const at_node *n, void *slot)
{
	at_table *t = slot;
	check_keys(B, n, table_keys, NULL, 0, "table");
	t->pos = n->pos;
	t->id = get_id(B, n, "id");
	static const text_field texts[] = {TEXT_FIELD(at_table, name),
					   TEXT_FIELD(at_table, host),
					   {NULL, 0}};
	get_texts(B, n, t, texts);
	return t->id.s != NULL;
}

static void bind_tables(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "tables", "tables");
	B->s->tables = read_maps(B, l, N_("a table"), sizeof(at_table),
				 &B->s->n_tables, bind_table);
}

static const key_spec round_keys[] = {
	{"minutes", 0}, {"tables", 0}, END_KEYS};

/* One question's tables in the round (`q1: [A, B]`). */
static int bind_cell(binder *B, const at_pair *p, void *slot)
{
	at_round_cell *c = slot;
	c->question = str_of(p->key->u.scalar.s, p->key);
	c->tables = node_strs(B, p->value, "tables");
	return 1;
}

static int bind_round(binder *B, const at_node *n, void *slot)
{
	at_round *r = slot;
	check_keys(B, n, round_keys, NULL, 0, "round");
	r->pos = n->pos;
	long v;
	if (get_int(B, n, "minutes", 1, 100000, &v, NULL))
		r->minutes = (int)v;
	const at_node *t = get_map(B, n, "tables",
				   "a mapping of question ids to tables");
	r->cells = read_pairs(B, t, sizeof(at_round_cell), &r->n_cells,
			      bind_cell);
	return 1;
}

static void bind_rounds(binder *B, const at_node *root)
{
	const at_node *l = get_list(B, root, "rounds", "rounds");
	B->s->rounds = read_maps(B, l, N_("a round"), sizeof(at_round),
				 &B->s->n_rounds, bind_round);
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

static int question_vs_id(const void *key, const void *e)
{
	return strcmp(key, (*(at_question *const *)e)->id.s);
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
	at_question **at = at_find_sorted(ix->v, ix->n, sizeof *ix->v, id,
					  question_vs_id);
	return at ? *at : NULL;
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
	index_sections(&B);
	bind_brainstorm(&B, root);
	bind_subgroups(&B, root);
	bind_kit(&B, root);
	resolve(&B, B.s);
	return B.s;
}
