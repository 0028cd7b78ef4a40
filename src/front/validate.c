/* validate.c: semantic checks over a bound session, every problem reported,
 * none fatal. Errors are things a report cannot be made from honestly
 * (a reference to nobody); warnings are a plan that reality did not follow
 * (a group of 9 where the kit said 5 to 8), which --werror can promote. */
#include "validate.h"

#include "suggest.h"
#include "figread.h"
#include "i18n.h"
#include "labels.h"
#include "text.h"
#include "sorted.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The caret's width for a name: characters, not bytes. (A quoted name's
 * position is after its opening quote: see str_of in bind.c.) */
static uint32_t span_of(const char *s)
{
	size_t n = at_utf8_count(s, strlen(s));
	return n ? (uint32_t)n : 1;
}

/* "group 'Sous-groupe 1'", or "group 2" when it has neither a name nor a
 * theme (an error the binder reported). */
static const char *group_name(const at_group *g, size_t index, char *buf,
			      size_t size)
{
	const char *label = at_group_label(g);
	if (label)
		snprintf(buf, size, _("group '%s'"), label);
	else
		snprintf(buf, size, _("group %zu"), index + 1);
	return buf;
}

/* "5 to 8", or "6" for [6, 6]. */
static const char *range_text(const at_range *r, char *buf, size_t size)
{
	if (r->min == r->max)
		snprintf(buf, size, "%d", r->min);
	else
		snprintf(buf, size, _("%d to %d"), r->min, r->max);
	return buf;
}

/* ---- duplicate ids ---- */

typedef struct id_ref {
	const at_str *id;
} id_ref;

static int id_cmp(const void *a, const void *b)
{
	const at_str *x = ((const id_ref *)a)->id, *y = ((const id_ref *)b)->id;
	int c = strcmp(x->s, y->s);
	if (c)
		return c;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	return x->pos.col < y->pos.col ? -1 : x->pos.col > y->pos.col;
}

/* ids[i] lives at base + i*stride: one function for every kind of id. */
static void check_unique(at_diags *d, const void *base, size_t n,
			 size_t stride, size_t offset, const char *what)
{
	if (n < 2)
		return;
	id_ref *v = malloc(n * sizeof *v);
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i].id = (const at_str *)((const char *)base + i * stride +
					   offset);
	qsort(v, n, sizeof *v, id_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i].id->s, v[i - 1].id->s) != 0)
			continue;
		size_t first = i - 1;
		while (first > 0 && strcmp(v[first - 1].id->s, v[i].id->s) == 0)
			first--;
		at_diag_add(d, AT_ERROR, "duplicate-id", v[i].id->pos,
			    span_of(v[i].id->s),
			    "duplicate %s id '%s' (first at line %u, column %u)",
			    what, v[i].id->s, (unsigned)v[first].id->pos.line,
			    (unsigned)v[first].id->pos.col);
	}
	free(v);
}

/* ---- references ---- */

/* "(did you mean 'jmartin'?)" for a reference close to an existing id.
 * Not for ids of three characters or less (q1, t2): any other is one or
 * two edits away, and a guess would mislead more than help. */
static void did_you_mean(char *buf, size_t size, const char *word,
			 const char *const *ids, size_t n)
{
	buf[0] = '\0';
	if (strlen(word) <= 3 || !n)
		return;
	const char *hint = at_suggest(word, ids, n);
	if (hint)
		snprintf(buf, size, _(" (did you mean '%s'?)"), hint);
}

/* A suggestion costs an edit distance per id of its kind: past the
 * problems that are shown (diag.c prints the first 1000), nobody reads
 * them, and a file with 100,000 unknown references among 5,000
 * participants must not spend minutes on them. */
#define SUGGEST_UNTIL 1000
/* Nor may the ones shown: each costs an edit distance per id, so past
 * this many ids compared (problems so far times ids of the kind) there
 * are none. 30,000 participants and as many unknown references were half
 * a minute of suggestions; a real session stays far below. */
#define SUGGEST_WORK 2000000u

/* ids[i] lives at base + i*stride + offset, as for check_unique. */
static void suggest_from(const at_diags *d, char *buf, size_t size,
			 const char *word, const void *base, size_t n,
			 size_t stride, size_t offset)
{
	buf[0] = '\0';
	size_t seen = d->errors + d->warnings;
	if (seen >= SUGGEST_UNTIL || (n && seen > SUGGEST_WORK / n))
		return;
	const char **ids = malloc((n ? n : 1) * sizeof *ids);
	if (!ids)
		return;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const at_str *id = (const at_str *)((const char *)base +
						    i * stride + offset);
		if (id->s)
			ids[k++] = id->s;
	}
	did_you_mean(buf, size, word, ids, k);
	free(ids);
}

/* The questions' ids, for a reference nothing is close to: q3 when there
 * are q1 and q2. Q2 for q2 is a typo whatever its length. */
#define IDS_LISTED 10

static void question_hint(const at_session *s, char *buf, size_t size,
			  const char *word)
{
	for (size_t i = 0; i < s->n_questions; i++)
		if (s->questions[i].id.s &&
		    strcasecmp(s->questions[i].id.s, word) == 0) {
			snprintf(buf, size, _(" (did you mean '%s'?)"),
				 s->questions[i].id.s);
			return;
		}
	size_t n = 0, used = 0;
	for (size_t i = 0; i < s->n_questions && n <= IDS_LISTED; i++) {
		const char *id = s->questions[i].id.s;
		if (!id)
			continue;
		int w = snprintf(buf + used, size - used, "%s%s",
				 n ? ", " : _(" (the questions are "),
				 n < IDS_LISTED ? id : "...");
		if (w < 0 || (size_t)w >= size - used - 2) {
			buf[used] = '\0';
			break;
		}
		used += (size_t)w;
		n++;
	}
	if (n)
		snprintf(buf + used, size - used, ")");
}

static void unknown_question(const at_session *s, at_diags *d,
			     const at_str *q, const char *where)
{
	char hint[256];
	suggest_from(d, hint, sizeof hint, q->s, s->questions, s->n_questions,
		     sizeof(at_question), offsetof(at_question, id));
	if (!hint[0])
		question_hint(s, hint, sizeof hint, q->s);
	at_diag_add(d, AT_ERROR, "unknown-question", q->pos, span_of(q->s),
		    "%s names question '%s', which is not under "
		    "'questions'%s",
		    _(where), q->s, hint);
}

static void unknown_section(const at_session *s, at_diags *d,
			    const at_str *x)
{
	char hint[128];
	suggest_from(d, hint, sizeof hint, x->s, s->sections, s->n_sections,
		     sizeof(at_section_def), offsetof(at_section_def, id));
	at_diag_add(d, AT_ERROR, "unknown-section", x->pos, span_of(x->s),
		    "the kit expects '%s', which is not a section of the "
		    "sub-group grid%s",
		    x->s, hint);
}

/* Ids sorted once, so that each of a large file's references is a binary
 * search and not a walk through every participant (a hostile file could
 * otherwise hold millions of references to thousands of ids). */
typedef struct id_index {
	const char **v; /* NULL when out of memory: then a linear search */
	size_t n;
} id_index;

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static id_index index_ids(const void *base, size_t n, size_t stride,
			  size_t offset)
{
	id_index ix = {malloc((n ? n : 1) * sizeof(const char *)), 0};
	if (!ix.v)
		return ix;
	for (size_t i = 0; i < n; i++) {
		const at_str *id = (const at_str *)((const char *)base +
						    i * stride + offset);
		if (id->s)
			ix.v[ix.n++] = id->s;
	}
	qsort(ix.v, ix.n, sizeof *ix.v, str_cmp);
	return ix;
}

/* What the reference checks share. */
typedef struct refs {
	const at_session *s;
	at_diags *d;
	id_index participants, tables;
} refs;

static int is_participant(const refs *r, const char *id)
{
	if (!r->participants.v)
		return at_session_participant(r->s, id) != NULL;
	return bsearch(&id, r->participants.v, r->participants.n,
		       sizeof(const char *), str_cmp) != NULL;
}

static int is_table(const refs *r, const char *id)
{
	if (!r->tables.v)
		return at_session_table(r->s, id) != NULL;
	return bsearch(&id, r->tables.v, r->tables.n, sizeof(const char *),
		       str_cmp) != NULL;
}

static void check_participants(const refs *r, const at_strs *ids)
{
	const at_session *s = r->s;
	at_diags *d = r->d;
	for (size_t i = 0; i < ids->n; i++) {
		const at_str *id = &ids->v[i];
		if (is_participant(r, id->s))
			continue;
		char hint[128];
		suggest_from(d, hint, sizeof hint, id->s, s->participants,
			     s->n_participants, sizeof(at_participant),
			     offsetof(at_participant, id));
		if (s->n_participants)
			at_diag_add(d, AT_ERROR, "unknown-participant", id->pos,
				    span_of(id->s),
				    "unknown participant '%s': not an id under "
				    "'participants'%s",
				    id->s, hint);
		else
			at_diag_add(d, AT_ERROR, "unknown-participant", id->pos,
				    span_of(id->s),
				    "unknown participant '%s': the session lists "
				    "no participants",
				    id->s);
	}
}

static void check_table_ref(const refs *r, const at_str *t)
{
	const at_session *s = r->s;
	at_diags *d = r->d;
	/* Tables are free names until the session declares them. */
	if (!t->s || !s->n_tables || is_table(r, t->s))
		return;
	char hint[128];
	suggest_from(d, hint, sizeof hint, t->s, s->tables, s->n_tables,
		     sizeof(at_table), offsetof(at_table, id));
	at_diag_add(d, AT_ERROR, "unknown-table", t->pos, span_of(t->s),
		    "unknown table '%s': not an id under 'tables'%s", t->s,
		    hint);
}

/* The rules are figure.c's: opened and closed here so that a figure that
 * will not be read is an error at check time, not a surprise in build. */
static void check_figure(const at_session *s, at_diags *d, const at_figure *f)
{
	at_figure_file ff;
	if (at_figure_open(s, f, &ff, d) == 0)
		at_figure_close(&ff);
}

static void check_items(const refs *r, const at_items *items)
{
	const at_session *s = r->s;
	at_diags *d = r->d;
	for (size_t i = 0; i < items->n; i++) {
		const at_item *it = &items->v[i];
		if (it->figure) {
			check_figure(s, d, it->figure);
			continue;
		}
		check_participants(r, &it->by);
		check_table_ref(r, &it->table);
		/* Left out of the reports (text.h): said, not silently. */
		if (it->link && at_url_dangerous(it->link))
			at_diag_add(d, AT_WARNING, "unsafe-link", it->link_pos,
				    it->link_span,
				    "link '%s' could run a script or open a "
				    "local file: it is left out of the reports",
				    it->link);
		if (it->round && s->n_rounds && (size_t)it->round > s->n_rounds)
			at_diag_add(d, AT_ERROR, "unknown-round", it->round_pos,
				    1,
				    P_("round %d does not exist: the rotation "
				       "plan has %zu round",
				       "round %d does not exist: the rotation "
				       "plan has %zu rounds",
				       s->n_rounds),
				    it->round, s->n_rounds);
		check_items(r, &it->items);
	}
}

static void check_figures(const at_session *s, at_diags *d,
			  const at_figures *f)
{
	for (size_t i = 0; i < f->n; i++)
		check_figure(s, d, &f->v[i]);
}

/* ---- plan versus reality (warnings) ---- */

static int within(const at_range *r, int v)
{
	return !r->min || (v >= r->min && v <= r->max);
}

static void check_group_sizes(const at_session *s, at_diags *d,
			      const at_subgroup_work *w)
{
	const at_phase *ph = at_session_subgroups_phase(s);
	const at_range *plan = w->group_size.min ? &w->group_size
			       : ph ? &ph->group_size : NULL;
	char want[32], have[32], name[160];
	if (ph && ph->group_size.min && w->group_size.min &&
	    (w->group_size.min < ph->group_size.min ||
	     w->group_size.max > ph->group_size.max))
		at_diag_add(d, AT_WARNING, "group-size", w->group_size.pos, 1,
			    "groups of %s people for '%s' contradict the %s of "
			    "the sub-groups phase (line %u)",
			    range_text(&w->group_size, have, sizeof have),
			    w->question.s,
			    range_text(&ph->group_size, want, sizeof want),
			    (unsigned)ph->group_size.pos.line);
	if (!plan || !plan->min)
		return;
	for (size_t i = 0; i < w->n_groups; i++) {
		const at_group *g = &w->groups[i];
		int size = g->size ? g->size : (int)g->members.n;
		if (!size || within(plan, size))
			continue;
		at_diag_add(d, AT_WARNING, "group-size",
			    g->size ? g->size_pos : g->pos, 1,
			    "%s has %d %s, outside the %s planned (line %u)",
			    group_name(g, i, name, sizeof name), size,
			    P_("person", "people", (unsigned long)size),
			    range_text(plan, want, sizeof want),
			    (unsigned)plan->pos.line);
	}
}

/* Top-level items a group wrote under one section; figures do not count. */
static size_t count_in_section(const at_group *g, const at_section_def *def)
{
	size_t n = 0;
	for (size_t j = 0; j < g->n_sections; j++) {
		if (g->sections[j].def != def)
			continue;
		const at_items *items = &g->sections[j].items;
		for (size_t m = 0; m < items->n; m++)
			n += !items->v[m].figure;
	}
	return n;
}

/* Where a group wrote a section, or the group itself when it did not. */
static at_pos section_pos(const at_group *g, const at_section_def *def)
{
	for (size_t j = 0; j < g->n_sections; j++)
		if (g->sections[j].def == def)
			return g->sections[j].pos;
	return g->pos;
}

static void check_expectation(at_diags *d, const at_subgroup_work *w,
			      const at_expect *x)
{
	for (size_t g = 0; g < w->n_groups; g++) {
		const at_group *grp = &w->groups[g];
		size_t n = count_in_section(grp, x->def);
		if (within(&x->range, (int)n))
			continue;
		char want[32], name[160];
		at_diag_add(d, AT_WARNING, "expected-count",
			    section_pos(grp, x->def), 1,
			    P_("%s of question '%s' gives %zu item under '%s'; "
			       "the kit (line %u) asked for %s",
			       "%s of question '%s' gives %zu items under '%s'; "
			       "the kit (line %u) asked for %s",
			       n),
			    group_name(grp, g, name, sizeof name),
			    w->question.s, n, x->section.s,
			    (unsigned)x->section.pos.line,
			    range_text(&x->range, want, sizeof want));
	}
}

/* Each group against each expectation: past this many pairs (a real
 * session has ten groups and five expectations) the check took minutes,
 * and its thousands of warnings would not be read: a note says so. */
#define EXPECT_PAIRS_MAX 10000000u

static void check_expectations(at_diags *d, const at_subgroup_work *w,
			       const at_kit *k)
{
	size_t n = 0;
	for (size_t i = 0; k && i < k->n_steps; i++)
		n += k->steps[i].n_expect;
	if (w->n_groups && n > EXPECT_PAIRS_MAX / w->n_groups) {
		at_diag_add(d, AT_NOTE, "expected-count", k->pos, 1,
			    "the kit's %zu expectations were not checked "
			    "against the %zu groups: too many to compare",
			    n, w->n_groups);
		return;
	}
	for (size_t i = 0; k && i < k->n_steps; i++)
		for (size_t e = 0; e < k->steps[i].n_expect; e++)
			if (k->steps[i].expect[e].def)
				check_expectation(d, w, &k->steps[i].expect[e]);
}

/* ---- the rotation plan: every table should meet every question of the
 * plan (those named in some round) at least once ----
 * Every mention of a table in the plan is listed once and sorted, so that
 * what a table meets is a range of that list: checking each table against
 * each question through every round took hours on a plan of a few
 * thousand tables and questions. */

typedef struct mention {
	const at_str *table;
	size_t q;     /* index in s->questions; SIZE_MAX when unknown */
	size_t order; /* its place in the plan */
} mention;

typedef struct plan {
	mention *v;    /* by table, then question, then order */
	size_t n;
	size_t *asked; /* the questions named in some round, in their order */
	size_t n_asked;
} plan;

static int cmp_mention(const void *a, const void *b)
{
	const mention *x = a, *y = b;
	int c = strcmp(x->table->s, y->table->s);
	if (c)
		return c;
	if (x->q != y->q)
		return x->q < y->q ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void plan_free(plan *p)
{
	free(p->v);
	free(p->asked);
}

static int plan_init(plan *p, const at_session *s)
{
	memset(p, 0, sizeof *p);
	size_t n = 0;
	for (size_t r = 0; r < s->n_rounds; r++)
		for (size_t c = 0; c < s->rounds[r].n_cells; c++)
			n += s->rounds[r].cells[c].tables.n;
	unsigned char *asked = calloc(s->n_questions ? s->n_questions : 1, 1);
	p->v = malloc((n ? n : 1) * sizeof *p->v);
	p->asked = malloc((s->n_questions ? s->n_questions : 1) *
			  sizeof *p->asked);
	if (!asked || !p->v || !p->asked) {
		free(asked);
		plan_free(p);
		return -1;
	}
	for (size_t r = 0; r < s->n_rounds; r++)
		for (size_t c = 0; c < s->rounds[r].n_cells; c++) {
			const at_round_cell *cell = &s->rounds[r].cells[c];
			size_t q = cell->q ? (size_t)(cell->q - s->questions)
					   : SIZE_MAX;
			if (cell->q)
				asked[q] = 1;
			for (size_t t = 0; t < cell->tables.n; t++, p->n++)
				p->v[p->n] = (mention){&cell->tables.v[t], q,
						       p->n};
		}
	for (size_t i = 0; i < s->n_questions; i++)
		if (asked[i])
			p->asked[p->n_asked++] = i;
	free(asked);
	qsort(p->v, p->n, sizeof *p->v, cmp_mention);
	return 0;
}

static int table_vs_mention(const void *table, const void *e)
{
	return strcmp(table, ((const mention *)e)->table->s);
}

/* The mentions of table: [*lo, *hi). */
static void plan_range(const plan *p, const char *table, size_t *lo,
		       size_t *hi)
{
	*lo = at_lower_bound(p->v, p->n, sizeof *p->v, table, table_vs_mention);
	*hi = at_upper_bound(p->v, p->n, sizeof *p->v, table, table_vs_mention);
}

static int q_vs_mention(const void *q, const void *e)
{
	size_t x = *(const size_t *)q, y = ((const mention *)e)->q;
	return (x > y) - (x < y);
}

/* Whether one of the mentions [lo, hi) of a table (sorted by question)
 * is of question q. */
static int meets(const plan *p, size_t lo, size_t hi, size_t q)
{
	return at_find_sorted(p->v + lo, hi - lo, sizeof *p->v, &q,
			      q_vs_mention) != NULL;
}

/* Past this many questions a table misses, one warning names the first
 * few and counts the rest. */
#define GAPS_LISTED 3

static void check_table_rotation(const at_session *s, const plan *p,
				 at_diags *d, const at_str *table)
{
	size_t lo, hi;
	plan_range(p, table->s, &lo, &hi);
	if (lo == hi) {
		at_diag_add(d, AT_WARNING, "rotation-gap", table->pos,
			    span_of(table->s),
			    "table '%s' takes part in no round of the rotation "
			    "plan",
			    table->s);
		return;
	}
	size_t met = 0;
	for (size_t i = lo; i < hi; i++)
		met += p->v[i].q != SIZE_MAX &&
		       (i == lo || p->v[i].q != p->v[i - 1].q);
	size_t missing = p->n_asked - met, k = 0;
	const char *first[GAPS_LISTED] = {"", "", ""};
	/* Stops at the last gap, or the last one listed: the questions it
	 * goes through are met ones, as many as the table's mentions. */
	for (size_t a = 0; a < p->n_asked && k < missing && k < GAPS_LISTED;
	     a++) {
		const at_question *q = &s->questions[p->asked[a]];
		if (meets(p, lo, hi, p->asked[a]))
			continue;
		first[k++] = q->id.s;
		if (missing <= GAPS_LISTED)
			at_diag_add(d, AT_WARNING, "rotation-gap", table->pos,
				    span_of(table->s),
				    "in the rotation plan, table '%s' never "
				    "meets question '%s'",
				    table->s, q->id.s);
	}
	if (missing > GAPS_LISTED)
		at_diag_add(d, AT_WARNING, "rotation-gap", table->pos,
			    span_of(table->s),
			    "in the rotation plan, table '%s' never meets %zu "
			    "of its %zu questions ('%s', '%s', '%s'...)",
			    table->s, missing, p->n_asked, first[0], first[1],
			    first[2]);
}

/* Without a `tables` list, the plan's names are the tables, each reported
 * where the plan first names it. */
static void check_named_tables(const at_session *s, const plan *p,
			       at_diags *d)
{
	unsigned char *first = calloc(p->n ? p->n : 1, 1);
	if (!first)
		return;
	for (size_t i = 0; i < p->n;) {
		size_t lo, hi, min = SIZE_MAX;
		plan_range(p, p->v[i].table->s, &lo, &hi);
		for (; i < hi; i++)
			if (p->v[i].order < min)
				min = p->v[i].order;
		first[min] = 1;
	}
	size_t order = 0;
	for (size_t r = 0; r < s->n_rounds; r++)
		for (size_t c = 0; c < s->rounds[r].n_cells; c++) {
			const at_strs *t = &s->rounds[r].cells[c].tables;
			for (size_t i = 0; i < t->n; i++)
				if (first[order++])
					check_table_rotation(s, p, d, &t->v[i]);
		}
	free(first);
}

/* Declared tables are reported where they are declared. */
static void check_rotation(const at_session *s, at_diags *d)
{
	plan p;
	if (!s->n_rounds || plan_init(&p, s))
		return;
	if (s->n_tables)
		for (size_t i = 0; i < s->n_tables; i++)
			check_table_rotation(s, &p, d, &s->tables[i].id);
	else
		check_named_tables(s, &p, d);
	plan_free(&p);
}

static size_t count_items(const at_items *items)
{
	size_t n = 0;
	for (size_t i = 0; i < items->n; i++)
		n += !items->v[i].figure + count_items(&items->v[i].items);
	return n;
}

static void check_contributions(const at_session *s, at_diags *d)
{
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		size_t n = q->brainstorm ? count_items(&q->brainstorm->items) : 0;
		for (size_t g = 0; q->subgroups && g < q->subgroups->n_groups;
		     g++)
			for (size_t k = 0;
			     k < q->subgroups->groups[g].n_sections; k++)
				n += count_items(
					&q->subgroups->groups[g].sections[k].items);
		if (!n)
			at_diag_add(d, AT_WARNING, "no-contribution", q->id.pos,
				    span_of(q->id.s),
				    "question '%s' has no contribution: no "
				    "brainstorm item and no sub-group item",
				    q->id.s);
	}
}

static void check_subgroup_refs(const refs *r)
{
	const at_session *s = r->s;
	at_diags *d = r->d;
	for (size_t i = 0; i < s->n_subgroups; i++) {
		const at_subgroup_work *w = &s->subgroups[i];
		if (!w->q)
			unknown_question(s, d, &w->question, "the sub-group work");
		for (size_t g = 0; g < w->n_groups; g++) {
			const at_group *grp = &w->groups[g];
			check_participants(r, &grp->members);
			check_figures(s, d, &grp->figures);
			for (size_t k = 0; k < grp->n_sections; k++)
				check_items(r, &grp->sections[k].items);
		}
	}
}

static void check_kit_refs(const refs *r)
{
	const at_session *s = r->s;
	at_diags *d = r->d;
	for (size_t i = 0; i < s->n_kits; i++) {
		const at_kit *k = &s->kits[i];
		if (!k->q)
			unknown_question(s, d, &k->question, "the kit");
		for (size_t j = 0; j < k->n_steps; j++) {
			check_items(r, &k->steps[j].asks);
			for (size_t e = 0; e < k->steps[j].n_expect; e++)
				if (!k->steps[j].expect[e].def)
					unknown_section(s, d,
							&k->steps[j].expect[e].section);
		}
	}
}

static void check_round_refs(const refs *r)
{
	const at_session *s = r->s;
	for (size_t i = 0; i < s->n_rounds; i++)
		for (size_t c = 0; c < s->rounds[i].n_cells; c++) {
			const at_round_cell *cell = &s->rounds[i].cells[c];
			if (!cell->q)
				unknown_question(s, r->d, &cell->question,
						 "the rotation plan");
			for (size_t t = 0; t < cell->tables.n; t++)
				check_table_ref(r, &cell->tables.v[t]);
		}
}

/* Errors first: ids, then every reference, part by part. */
static void check_errors(const at_session *s, at_diags *d)
{
	check_unique(d, s->questions, s->n_questions, sizeof(at_question),
		     offsetof(at_question, id), "question");
	check_unique(d, s->participants, s->n_participants,
		     sizeof(at_participant), offsetof(at_participant, id),
		     "participant");
	check_unique(d, s->tables, s->n_tables, sizeof(at_table),
		     offsetof(at_table, id), "table");
	check_unique(d, s->sections, s->n_sections, sizeof(at_section_def),
		     offsetof(at_section_def, id), "section");
	check_figures(s, d, &s->figures);
	refs r = {s, d,
		  index_ids(s->participants, s->n_participants,
			    sizeof(at_participant), offsetof(at_participant, id)),
		  index_ids(s->tables, s->n_tables, sizeof(at_table),
			    offsetof(at_table, id))};
	for (size_t i = 0; i < s->n_brainstorms; i++) {
		const at_brainstorm *b = &s->brainstorms[i];
		if (!b->q)
			unknown_question(s, d, &b->question, "the brainstorm");
		check_items(&r, &b->items);
	}
	check_subgroup_refs(&r);
	check_kit_refs(&r);
	check_round_refs(&r);
	free(r.participants.v);
	free(r.tables.v);
}

void at_validate(const at_session *s, at_diags *d)
{
	check_errors(s, d);
	/* Sizes and the plan are compared whatever else is wrong; counting
	 * items is only fair when the file has no error, since an item
	 * dropped for an error (or a second question with the id of the
	 * first) would make "question 'q2' has no contribution" merely echo
	 * an error. */
	for (size_t i = 0; i < s->n_subgroups; i++)
		check_group_sizes(s, d, &s->subgroups[i]);
	check_rotation(s, d);
	if (at_diags_has_errors(d))
		return;
	for (size_t i = 0; i < s->n_subgroups; i++)
		if (s->subgroups[i].q)
			check_expectations(d, &s->subgroups[i],
					   s->subgroups[i].q->kit);
	check_contributions(s, d);
}
