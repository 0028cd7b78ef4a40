/* bind_work.c: the work on the questions: the grid of sections (built
 * in, or the session's own), the sub-groups and their sections, the
 * brainstorms, the facilitation kits. */
#include "bind_int.h"
#include "sorted.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

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
	at_session *s = B->s;
	if (!(s->sections = alloc_array(B, AT_BUILTIN_GRID_N,
					sizeof(at_section_def))))
		return;
	for (size_t i = 0; i < AT_BUILTIN_GRID_N; i++) {
		s->sections[i].id.s = at_builtin_grid[i].id;
		s->sections[i].force = at_builtin_grid[i].force;
		s->sections[i].builtin = &at_builtin_grid[i];
	}
	s->n_sections = AT_BUILTIN_GRID_N;
}

void bind_sections(binder *B, const at_node *root)
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
void index_sections(binder *B)
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
size_t section_named(const binder *B, const char *id)
{
	const char **at = at_find_sorted(B->section_ids, B->n_section_ids,
					 sizeof *B->section_ids, id,
					 at_cmp_str_key);
	return at ? B->section_of[at - B->section_ids] : SIZE_MAX;
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

static int bind_group(binder *B, const at_node *n, void *slot)
{
	at_group *g = slot;
	check_keys(B, n, group_keys, B->section_ids, B->n_section_ids,
		   "sub-group");
	g->pos = n->pos;
	static const text_field texts[] = {TEXT_FIELD(at_group, name),
					   TEXT_FIELD(at_group, theme),
					   {NULL, 0}};
	get_texts(B, n, g, texts);
	if (!g->name && !g->theme)
		at_diag_add(B->d, AT_ERROR, "missing-key", n->pos, 1,
			    "a sub-group needs a 'name' or a 'theme'");
	long size;
	if (get_int(B, n, "size", 1, 100000, &size, &g->size_pos))
		g->size = (int)size;
	g->members = node_strs(B, at_map_get(n, "members"), "members");
	g->figures = bind_figures(B, n);
	bind_group_sections(B, n, g);
	return 1;
}

static const key_spec work_keys[] = {
	{"brief", 0}, {"group_size", 0}, {"groups", 0}, END_KEYS};

/* The sub-group work on one question (`q1: {brief: ..., groups: ...}`). */
static int bind_work_on(binder *B, const at_pair *p, void *slot)
{
	if (!expect_map(B, p->value, "the sub-group work on a question"))
		return 0;
	at_subgroup_work *w = slot;
	const at_node *n = p->value;
	check_keys(B, n, work_keys, NULL, 0, "sub-group work");
	w->pos = n->pos;
	w->question = str_of(p->key->u.scalar.s, p->key);
	w->brief = get_text(B, n, "brief");
	w->group_size = get_range(B, n, "group_size");
	const at_node *l = get_list(B, n, "groups", "sub-groups");
	w->groups = read_maps(B, l, N_("a sub-group"), sizeof(at_group),
			      &w->n_groups, bind_group);
	return 1;
}

void bind_subgroups(binder *B, const at_node *root)
{
	const at_node *m = get_map(B, root, "subgroups",
				   "a mapping of question ids to sub-group "
				   "work");
	B->s->subgroups = read_pairs(B, m, sizeof(at_subgroup_work),
				     &B->s->n_subgroups, bind_work_on);
}

/* The brainstorm on one question (`q1: [items]`). */
static int bind_brainstorm_on(binder *B, const at_pair *p, void *slot)
{
	at_brainstorm *b = slot;
	b->pos = p->value->pos;
	b->question = str_of(p->key->u.scalar.s, p->key);
	if (at_node_is_null(p->value))
		return 1;
	if (p->value->kind != AT_SEQ) {
		if (!dash_without_space(B, p->value))
			at_diag_add(B->d, AT_ERROR, "wrong-type",
				    p->value->pos, p->value->span,
				    "expected a list of items for the "
				    "brainstorm on '%s', found %s",
				    b->question.s,
				    at_node_describe(p->value));
		return 0;
	}
	bind_items(B, p->value, &b->items, "brainstorm");
	return 1;
}

void bind_brainstorm(binder *B, const at_node *root)
{
	const at_node *m = get_map(B, root, "brainstorm",
				   "a mapping of question ids to items");
	B->s->brainstorms = read_pairs(B, m, sizeof(at_brainstorm),
				       &B->s->n_brainstorms,
				       bind_brainstorm_on);
}

static const key_spec step_keys[] = {
	{"step", 0},  {"title", 0},  {"prompt", 0},
	{"asks", 0},  {"expect", 0}, END_KEYS};

/* How many items a step expects in one section (`drivers: [2, 5]`). */
static int bind_expect(binder *B, const at_pair *p, void *slot)
{
	at_expect *x = slot;
	x->section = str_of(p->key->u.scalar.s, p->key);
	/* This pair's value: looking each key up again was quadratic in
	 * the size of the mapping. */
	x->range = range_of(B, p->value, p->key->u.scalar.s);
	return x->range.min != 0;
}

static int bind_step(binder *B, const at_node *n, void *slot)
{
	at_kit_step *st = slot;
	check_keys(B, n, step_keys, NULL, 0, "kit step");
	st->pos = n->pos;
	static const text_field texts[] = {TEXT_FIELD(at_kit_step, step),
					   TEXT_FIELD(at_kit_step, title),
					   TEXT_FIELD(at_kit_step, prompt),
					   {NULL, 0}};
	get_texts(B, n, st, texts);
	get_items(B, n, "asks", &st->asks);
	const at_node *e = get_map(B, n, "expect",
				   "a mapping of section ids to counts");
	st->expect = read_pairs(B, e, sizeof(at_expect), &st->n_expect,
				bind_expect);
	return 1;
}

/* The kit of one question (`q1: [steps]`). */
static int bind_kit_of(binder *B, const at_pair *p, void *slot)
{
	const at_node *l = p->value;
	if (l->kind != AT_SEQ) {
		if (!dash_without_space(B, l))
			at_diag_add(B->d, AT_ERROR, "wrong-type", l->pos,
				    l->span,
				    "expected a list of steps for the kit "
				    "of '%s', found %s",
				    p->key->u.scalar.s, at_node_describe(l));
		return 0;
	}
	at_kit *k = slot;
	k->pos = l->pos;
	k->question = str_of(p->key->u.scalar.s, p->key);
	k->steps = read_maps(B, l, N_("a kit step"), sizeof(at_kit_step),
			     &k->n_steps, bind_step);
	return 1;
}

void bind_kit(binder *B, const at_node *root)
{
	const at_node *m = get_map(B, root, "kit",
				   "a mapping of question ids to steps");
	B->s->kits = read_pairs(B, m, sizeof(at_kit), &B->s->n_kits,
				bind_kit_of);
}
