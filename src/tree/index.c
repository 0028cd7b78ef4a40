/* index.c: the pages across sessions (OUT/index.md and OUT/index.html):
 * every session, newest first, and the drivers and brakes that come back
 * from one session to another, grouped by tag and by the same words. */
#define _POSIX_C_SOURCE 200809L
#include "index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "manifest.h"
#include "labels.h"
#include "output.h"
#include "book.h"
#include "text.h"
#include "url.h"

/* ---- summaries ---- */

static char *plain(const char *md)
{
	at_buf b;
	at_buf_init(&b);
	if (md)
		at_md_plain_inline(&b, md);
	return b.oom ? (at_buf_free(&b), NULL) : at_buf_take(&b);
}

static char *join_tags(const at_strs *tags)
{
	at_buf b;
	at_buf_init(&b);
	for (size_t i = 0; i < tags->n; i++)
		at_buf_printf(&b, "%s%s", i ? "," : "", tags->v[i].s);
	return b.oom ? (at_buf_free(&b), NULL) : at_buf_take(&b);
}

/* Counts c into the summary by the one rule (session.h), and notes it
 * when it is a driver or a brake. -1 (the walk stops) on OOM. */
static int note_force(const at_contribution *c, void *ctx)
{
	at_summary *s = ctx;
	at_counts n = {0, 0, 0};
	at_counts_add(&n, c);
	s->contributions += (long)n.contributions;
	s->drivers += (long)n.drivers;
	s->brakes += (long)n.brakes;
	if (!n.drivers && !n.brakes)
		return 0;
	at_force_note *v = realloc(s->forces, (s->n_forces + 1) * sizeof *v);
	if (!v)
		return -1;
	s->forces = v;
	at_force_note *f = &v[s->n_forces++];
	f->brake = n.brakes != 0;
	f->text = plain(c->item->text);
	f->tags = join_tags(&c->item->tags);
	/* Keyed here, once, by the worker that built the session: the
	 * manifest keeps the key for every index made after. */
	f->key = f->text ? at_force_key(f->text) : NULL;
	return f->text && f->tags && f->key ? 0 : -1;
}

int at_summary_of(const at_session *s, at_summary *sum)
{
	memset(sum, 0, sizeof *sum);
	char date[16];
	snprintf(date, sizeof date, "%04d-%02d-%02d", s->date.year % 10000,
		 s->date.month % 100, s->date.day % 100);
	sum->rel = strdup(s->path);
	sum->title = plain(s->title);
	sum->date = strdup(date);
	sum->place = plain(s->place);
	sum->report = strdup("");
	sum->formats = strdup("");
	sum->lang = strdup(at_labels_for(s->lang)->lang);
	sum->force_grid = at_grid_has_forces(s);
	sum->people = s->attendance ? s->attendance : (long)s->n_participants;
	int bad = at_session_walk(s, note_force, sum) != 0;
	if (bad || !sum->rel || !sum->title || !sum->date || !sum->place ||
	    !sum->report || !sum->formats || !sum->lang) {
		at_summary_free(sum);
		return -1;
	}
	return 0;
}

void at_summary_free(at_summary *sum)
{
	free(sum->rel);
	free(sum->title);
	free(sum->date);
	free(sum->place);
	free(sum->report);
	free(sum->formats);
	free(sum->failed);
	free(sum->lang);
	for (size_t i = 0; i < sum->n_forces; i++) {
		free(sum->forces[i].text);
		free(sum->forces[i].tags);
		free(sum->forces[i].key);
	}
	free(sum->forces);
	memset(sum, 0, sizeof *sum);
}

at_lang at_index_lang(int cli, const at_summary *v, size_t n)
{
	if (cli >= 0)
		return (at_lang)cli;
	int so_far = -1;
	for (size_t i = 0; i < n; i++) {
		int l = at_lang_of_code(v[i].lang);
		if (l >= 0)
			so_far = at_lang_fold(so_far, (at_lang)l);
	}
	return at_lang_folded(so_far);
}

/* Whether name is among the comma-separated names of list. */
static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && memcmp(p, name, n) == 0)
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}

const at_emitter *at_summary_report(const at_summary *sum, unsigned flag)
{
	size_t n;
	const at_emitter *const *all = at_emitters(&n);
	const at_emitter *first = NULL;
	if (!*sum->report)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!(all[i]->flags & AT_EMITTER_INDEXED) ||
		    !listed(sum->formats, all[i]->name))
			continue;
		if (all[i]->flags & flag)
			return all[i];
		if (!first)
			first = all[i];
	}
	return first;
}

/* ---- grouping forces across sessions ---- */

typedef struct occurrence {
	char *key;           /* "0|text|key" or "1|tag|tag" */
	uint64_t id;         /* of key (key_id) */
	char *text;          /* the force's words, as said in this session */
	int brake;
	size_t sessions;     /* how many sessions have a force of this key */
	size_t seq;          /* the order it was read in */
	const at_summary *session;
} occurrence;

/* Each key's occurrences together, newest session first, then in the
 * order read. The keys' own order does not matter (groups_of sorts the
 * groups): their ids decide it, cheaper than their words. */
static int cmp_occ(const void *a, const void *b)
{
	const occurrence *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	c = strcmp(y->session->date, x->session->date);
	if (c)
		return c;
	c = strcmp(x->session->rel, y->session->rel);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

typedef struct occurrences {
	occurrence *v;
	size_t n, cap;
	int oom;
} occurrences;

/* Takes key; copies the note's words, which the forces' loader reuses. */
static void add_occ(occurrences *o, char *key, const occurrence *like,
		    const at_force_note *note)
{
	char *text = key ? strdup(note->text) : NULL;
	occurrence *v = text ? at_grow(o->v, &o->cap, o->n, sizeof *v, 256)
			     : NULL;
	if (!v) {
		free(key);
		free(text);
		o->oom = 1;
		return;
	}
	o->v = v;
	v[o->n] = *like;
	v[o->n].key = key;
	v[o->n].text = text;
	v[o->n++].brake = note->brake;
}

/* key = "BRAKE|KIND|WHAT", in b (reused: a tree has a million keys). */
static const char *make_key(at_buf *b, int brake, const char *kind,
			    const char *what, size_t len)
{
	at_buf_clear(b);
	at_buf_puts(b, brake ? "1|" : "0|");
	at_buf_puts(b, kind);
	at_buf_putc(b, '|');
	at_buf_put(b, what, len);
	return b->oom ? NULL : at_buf_cstr(b);
}

/* The index shows, of each kind (tags, wordings), the forces found in the
 * most sessions, and of each the newest sessions: a national consultation
 * has tens of thousands that recur, in thousands of sessions each, which
 * would make pages of tens of megabytes that no one reads (every
 * contribution is in the reports and the workbooks). */
enum { KIND_TAG, KIND_TEXT, N_KINDS };
enum { RECURRING_SHOWN = 100, SESSIONS_SHOWN = 10 };

static uint64_t key_id(const char *key, int kind)
{
	return (at_hash_bytes(key, strlen(key)) & ~(uint64_t)1) |
	       (kind == KIND_TAG);
}

static int kind_of(uint64_t id)
{
	return id & 1 ? KIND_TAG : KIND_TEXT;
}

/* Each key a force is grouped under (its words, each of its tags), with
 * its kind; the key is only lent (NULL: out of memory): the callee copies
 * what it keeps. Stops early when fn returns non-zero. */
typedef int (*key_fn)(const char *key, int kind, const at_force_note *f,
		      void *ctx);

static int each_key(const at_force_note *f, at_buf *b, key_fn fn, void *ctx)
{
	char *own = f->key ? NULL : at_force_key(f->text);
	const char *words = f->key ? f->key : own;
	int rc = 0;
	if (!words)
		return -1;
	if (*words)
		rc = fn(make_key(b, f->brake, "text", words, strlen(words)),
			KIND_TEXT, f, ctx);
	free(own);
	/* The tags, split on ',' (an empty one is no key). */
	for (const char *t = f->tags; *t && !rc;) {
		size_t len = strcspn(t, ",");
		if (len)
			rc = fn(make_key(b, f->brake, "tag", t, len), KIND_TAG,
				f, ctx);
		t += len + (t[len] == ',');
	}
	return rc;
}

typedef struct id_list {
	uint64_t **v;
	size_t *n, *cap;
} id_list;

static int push_id(const char *key, int kind, const at_force_note *f,
		   void *ctx)
{
	(void)f;
	id_list *l = ctx;
	uint64_t *v = key ? at_grow(*l->v, l->cap, *l->n, sizeof *v, 16) : NULL;
	if (!v)
		return -1;
	*l->v = v;
	v[(*l->n)++] = key_id(key, kind);
	return 0;
}

int at_force_key_ids(const at_force_note *f, uint64_t **ids, size_t *n,
		     size_t *cap)
{
	at_buf key;
	at_buf_init(&key);
	id_list l = {ids, n, cap};
	int rc = each_key(f, &key, push_id, &l);
	at_buf_free(&key);
	return rc ? -1 : 0;
}

/* First pass: in how many sessions each key is found, by its id, from the
 * ids every summary keeps: no session's forces are read. Two keys of one
 * id (a 64-bit hash) would be counted as one. */
typedef struct key_count {
	uint64_t id;
	uint32_t last;  /* 1 + the last session counted */
	/* 16 bytes a key: a consultation has hundreds of thousands. */
	unsigned sessions : 31, wanted : 1;
} key_count;

typedef struct key_table {
	key_count *v;
	size_t cap, n;
} key_table;

static key_count *slot_of(const key_table *t, uint64_t id)
{
	size_t i = (size_t)(id ^ id >> 29) & (t->cap - 1);
	while (t->v[i].sessions && t->v[i].id != id)
		i = (i + 1) & (t->cap - 1);
	return &t->v[i];
}

static int table_grow(key_table *t)
{
	key_table g = {calloc(t->cap ? t->cap * 2 : 1024, sizeof *g.v),
		       t->cap ? t->cap * 2 : 1024, t->n};
	if (!g.v)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].sessions)
			*slot_of(&g, t->v[i].id) = t->v[i];
	free(t->v);
	*t = g;
	return 0;
}

static int count_ids(key_table *t, const at_summary *s, size_t session)
{
	uint32_t mark = (uint32_t)session + 1;
	for (size_t k = 0; k < s->n_key_ids; k++) {
		if (4 * (t->n + 1) > 3 * t->cap && table_grow(t))
			return -1;
		key_count *c = slot_of(t, s->key_ids[k]);
		if (!c->sessions) {
			*c = (key_count){s->key_ids[k], 0, 0, 0};
			t->n++;
		}
		if (c->last != mark && c->sessions < (1u << 31) - 1) {
			c->sessions++;
			c->last = mark;
		}
	}
	return 0;
}

static int cmp_size_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x < y) - (x > y);
}

/* Marks the keys of each kind found in the most sessions: the first
 * RECURRING_SHOWN, and those tied with the last of them. recurring[kind]
 * receives how many keys of that kind recur at all. */
static int choose_keys(key_table *t, size_t recurring[N_KINDS])
{
	for (int kind = 0; kind < N_KINDS; kind++) {
		size_t *counts = malloc((t->n ? t->n : 1) * sizeof *counts);
		if (!counts)
			return -1;
		size_t n = 0;
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].sessions >= 2 && kind_of(t->v[i].id) == kind)
				counts[n++] = t->v[i].sessions;
		recurring[kind] = n;
		size_t floor = 2;
		if (n > RECURRING_SHOWN) {
			qsort(counts, n, sizeof *counts, cmp_size_desc);
			floor = counts[RECURRING_SHOWN - 1];
		}
		free(counts);
		for (size_t i = 0; i < t->cap; i++)
			if (kind_of(t->v[i].id) == kind &&
			    t->v[i].sessions >= floor)
				t->v[i].wanted = 1;
	}
	return 0;
}

/* Second pass: the keys worth showing (a few hundred, apart from the
 * table, which would not stay in the processor's cache), each with the
 * sessions it is found in and how many of them are gathered. */
typedef struct wanted {
	uint64_t id;
	size_t sessions, shown, last; /* last: 1 + the last session shown */
	int used;
} wanted;

typedef struct wanted_set {
	wanted *v;
	size_t cap, unmet; /* unmet: keys with fewer sessions shown than due */
} wanted_set;

static wanted *wanted_slot(const wanted_set *w, uint64_t id)
{
	size_t i = (size_t)(id ^ id >> 29) & (w->cap - 1);
	while (w->v[i].used && w->v[i].id != id)
		i = (i + 1) & (w->cap - 1);
	return &w->v[i];
}

static wanted *wanted_find(const wanted_set *w, uint64_t id)
{
	wanted *x = wanted_slot(w, id);
	return x->used ? x : NULL;
}

static int wanted_of(const key_table *t, wanted_set *w)
{
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++)
		n += t->v[i].sessions && t->v[i].wanted;
	for (w->cap = 64; w->cap < 2 * n; w->cap *= 2)
		;
	w->unmet = n;
	if (!(w->v = calloc(w->cap, sizeof *w->v)))
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].sessions && t->v[i].wanted)
			*wanted_slot(w, t->v[i].id) =
				(wanted){t->v[i].id, t->v[i].sessions, 0, 0, 1};
	return 0;
}

/* How many sessions the index shows for x. */
static size_t due(const wanted *x)
{
	return x->sessions < SESSIONS_SHOWN ? x->sessions : SESSIONS_SHOWN;
}

/* Whether s has a key still short of the sessions it shows. */
static int needed(const wanted_set *w, const at_summary *s)
{
	for (size_t k = 0; k < s->n_key_ids; k++) {
		const wanted *x = wanted_find(w, s->key_ids[k]);
		if (x && x->shown < due(x))
			return 1;
	}
	return 0;
}

typedef struct gathering {
	occurrences *o;
	wanted_set w;
	const at_summary *s; /* the session read */
	size_t at, seq;      /* its place, newest first; forces read */
} gathering;

static int gather_key(const char *key, int kind, const at_force_note *f,
		      void *ctx)
{
	gathering *g = ctx;
	if (!key)
		return -1;
	uint64_t id = key_id(key, kind);
	wanted *x = wanted_find(&g->w, id);
	if (!x)
		return 0;
	if (x->last != g->at + 1) {
		x->last = g->at + 1;
		g->w.unmet -= ++x->shown == due(x);
	}
	occurrence like = {NULL, id, NULL, 0, x->sessions, g->seq++, g->s};
	add_occ(g->o, strdup(key), &like, f);
	return g->o->oom ? -1 : 0;
}

/* Where the forces of the sessions come from. */
typedef struct force_source {
	const at_summary *v;
	size_t n;
	at_forces_fn load; /* NULL: v[i].forces */
	void *ctx;
} force_source;

/* The occurrences of the keys worth showing in the newest sessions that
 * show them, by key, then newest session first: the sessions read are
 * those, not all. order: the sessions of src, newest first. */
static int collect(occurrences *o, const force_source *src,
		   const at_summary *const *order, size_t recurring[N_KINDS])
{
	key_table t = {NULL, 0, 0};
	int rc = table_grow(&t);
	for (size_t i = 0; i < src->n && !rc; i++)
		rc = count_ids(&t, &src->v[i], i);
	rc = rc || choose_keys(&t, recurring);
	gathering g = {o, {NULL, 0, 0}, NULL, 0, 0};
	rc = rc || wanted_of(&t, &g.w);
	free(t.v);
	at_buf key;
	at_buf_init(&key);
	for (size_t r = 0; r < src->n && g.w.unmet && !rc; r++) {
		if (!needed(&g.w, order[r]))
			continue;
		const at_force_note *f = order[r]->forces;
		size_t n = order[r]->n_forces;
		g.s = order[r];
		g.at = r;
		if (src->load &&
		    src->load(src->ctx, (size_t)(order[r] - src->v), &f, &n))
			rc = -1;
		for (size_t k = 0; k < n && !rc; k++)
			rc = each_key(&f[k], &key, gather_key, &g);
	}
	at_buf_free(&key);
	free(g.w.v);
	if (!rc && o->n)
		qsort(o->v, o->n, sizeof *o->v, cmp_occ);
	return rc || o->oom ? -1 : 0;
}

/* ---- writing ---- */

static int cmp_newest(const void *a, const void *b)
{
	const at_summary *x = *(const at_summary *const *)a;
	const at_summary *y = *(const at_summary *const *)b;
	int c = strcmp(y->date, x->date);
	return c ? c : strcmp(x->rel, y->rel);
}

/* The one HTML escaper and the one Markdown escaper (text.h). */
static void html_escape(at_buf *b, const char *s)
{
	at_html_escape(b, s, strlen(s));
}

static void md_escape(at_buf *b, const char *s)
{
	at_md_escape(b, s);
}

/* The index pages are at OUT's root, where the summaries' paths start:
 * a report's link is its path made a URL (url.h), which needs no more
 * escaping in an attribute or a Markdown link. */
/* The URL of s's reports without their extension, in stem (made once a
 * session: each is linked up to ten times). Out of memory marks b. */
static const char *stem_of(at_buf *stem, const at_summary *s, at_buf *b)
{
	at_buf_clear(stem);
	at_url_path(stem, s->report);
	b->oom |= stem->oom;
	return at_buf_cstr(stem);
}

static void report_url(at_buf *b, const char *stem, const at_emitter *e)
{
	at_buf_puts(b, stem);
	at_buf_putc(b, '.');
	at_buf_puts(b, e->ext);
}

/* The title of s, linked to its report that a forge renders, else in the
 * first format built that the index links. */
static void md_title(at_buf *b, const at_summary *s, unsigned flag,
		     const char *stem)
{
	const at_emitter *e = at_summary_report(s, flag);
	if (e)
		at_buf_putc(b, '[');
	md_escape(b, s->title);
	if (e) {
		at_buf_puts(b, "](");
		report_url(b, stem, e);
		at_buf_putc(b, ')');
	}
	if (s->failed && *s->failed) {
		at_buf_puts(b, " — ");
		md_escape(b, s->failed);
	}
}

static void html_title(at_buf *b, const at_summary *s, const char *stem)
{
	const at_emitter *e = at_summary_report(s, AT_EMITTER_WEB_PAGE);
	if (e) {
		at_buf_puts(b, "<a href=\"");
		report_url(b, stem, e);
		at_buf_puts(b, "\">");
	}
	html_escape(b, s->title);
	if (e)
		at_buf_puts(b, "</a>");
	if (s->failed && *s->failed) {
		at_buf_puts(b, " <strong class=\"failed\">");
		html_escape(b, s->failed);
		at_buf_puts(b, "</strong>");
	}
}

/* A link to each report of s the index links, in the registry's order,
 * in Markdown or in HTML. */
static void format_links(at_buf *b, const at_summary *s, int html,
			 const char *stem)
{
	size_t n, k = 0;
	const at_emitter *const *all = at_emitters(&n);
	for (size_t i = 0; i < n && *s->report; i++) {
		if (!(all[i]->flags & AT_EMITTER_INDEXED) ||
		    !listed(s->formats, all[i]->name))
			continue;
		/* puts, not printf: a line for each of 10,000 sessions. */
		if (k++)
			at_buf_puts(b, html ? " " : " · ");
		at_buf_puts(b, html ? "<a href=\"" : "[");
		if (!html) {
			at_buf_puts(b, all[i]->name);
			at_buf_puts(b, "](");
		}
		report_url(b, stem, all[i]);
		if (html) {
			at_buf_puts(b, "\">");
			at_buf_puts(b, all[i]->name);
			at_buf_puts(b, "</a>");
		} else {
			at_buf_putc(b, ')');
		}
	}
}

static void md_book(at_buf *b, const at_labels *L)
{
	at_buf_printf(b, "[%s](", L->index.book);
	at_url_path(b, AT_BOOK_NAME);
	at_buf_puts(b, ")\n\n");
}

static void html_book(at_buf *b, const at_labels *L)
{
	at_buf_puts(b, "<p class=\"book\"><a href=\"");
	at_url_path(b, AT_BOOK_NAME);
	at_buf_printf(b, "\">%s</a> (%s)</p>\n", L->index.book, AT_BOOK_NAME);
}

/* forces: the Drivers and Brakes columns, shown when a session's grid
 * declares a force (nothing about forces otherwise). */
static void md_sessions(at_buf *b, const at_labels *L,
			const at_summary *const *v, size_t n, int forces)
{
	at_buf_printf(b, "## %s\n\n", L->index.sessions);
	at_buf_printf(b, "| %s | %s | %s | %s | %s | ", L->date, L->index.session,
		      L->place, L->index.people, L->index.contributions);
	if (forces)
		at_buf_printf(b, "%s | %s | ", L->force_drivers, L->force_brakes);
	at_buf_printf(b, "%s |\n|---|---|---|--:|--:|%s---|\n", L->index.reports,
		      forces ? "--:|--:|" : "");
	at_buf stem;
	at_buf_init(&stem);
	for (size_t i = 0; i < n; i++) {
		const at_summary *s = v[i];
		const char *url = stem_of(&stem, s, b);
		at_buf_printf(b, "| %s | ", s->date);
		md_title(b, s, AT_EMITTER_FORGE_PAGE, url);
		at_buf_puts(b, " | ");
		md_escape(b, s->place);
		at_buf_puts(b, " | ");
		if (s->people)
			at_buf_printf(b, "%ld", s->people);
		at_buf_printf(b, " | %ld | ", s->contributions);
		if (forces)
			at_buf_printf(b, "%ld | %ld | ", s->drivers, s->brakes);
		format_links(b, s, 0, url);
		at_buf_puts(b, " |\n");
	}
	at_buf_free(&stem);
	at_buf_putc(b, '\n');
}

/* A count, labelled for a phone's narrow layout, where the table's
 * header is hidden. */
static void html_count(at_buf *b, const char *label, long v, int blank0)
{
	at_buf_printf(b, "<td class=\"n\" data-label=\"%s\">", label);
	if (v || !blank0)
		at_buf_printf(b, "%ld", v);
	at_buf_puts(b, "</td>");
}

static void html_sessions(at_buf *b, const at_labels *L,
			  const at_summary *const *v, size_t n, int forces)
{
	at_buf_printf(b, "<h2 id=\"sessions\">%s</h2>\n<table class=\"sessions\">"
			 "\n<thead><tr><th class=\"date\">%s</th><th>%s</th>"
			 "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s"
			 "</th>",
		      L->index.sessions, L->date, L->index.session, L->place, L->index.people,
		      L->index.contributions);
	if (forces)
		at_buf_printf(b, "<th class=\"n\">%s</th><th class=\"n\">%s"
				 "</th>", L->force_drivers, L->force_brakes);
	at_buf_printf(b, "<th>%s</th></tr></thead>\n<tbody>\n", L->index.reports);
	at_buf stem;
	at_buf_init(&stem);
	for (size_t i = 0; i < n; i++) {
		const at_summary *s = v[i];
		const char *url = stem_of(&stem, s, b);
		at_buf_printf(b, "<tr><td class=\"date\">%s</td>"
				 "<td class=\"title\">", s->date);
		html_title(b, s, url);
		at_buf_puts(b, "</td><td class=\"place\">");
		html_escape(b, s->place);
		at_buf_puts(b, "</td>");
		html_count(b, L->index.people, s->people, 1);
		html_count(b, L->index.contributions, s->contributions, 0);
		if (forces) {
			html_count(b, L->force_drivers, s->drivers, 0);
			html_count(b, L->force_brakes, s->brakes, 0);
		}
		at_buf_puts(b, "<td class=\"formats\">");
		format_links(b, s, 1, url);
		at_buf_puts(b, "</td></tr>\n");
	}
	at_buf_free(&stem);
	at_buf_puts(b, "</tbody>\n</table>\n");
}

/* One recurring force: its wording (or tag), then its sessions. */
static void recurring_item(at_buf *md, at_buf *html, const at_labels *L,
			   const occurrences *o, size_t i, size_t end,
			   size_t sessions, const char *kind)
{
	const occurrence *first = &o->v[i];
	const char *what = strcmp(kind, "tag") == 0
				   ? strchr(strchr(first->key, '|') + 1, '|') + 1
				   : first->text;
	const char *force = first->brake ? L->brake_word[0] : L->driver_word[0];
	at_buf_puts(md, strcmp(kind, "tag") == 0 ? "- #" : "- ");
	md_escape(md, what);
	at_buf_printf(md, " (%s, ", force);
	at_labelf(md, L->index.in_sessions, sessions);
	at_buf_printf(md, ")%s", L->colon);
	at_buf_printf(html, "<li class=\"%s\"><span class=\"what\">%s",
		      first->brake ? "brake" : "driver",
		      strcmp(kind, "tag") == 0 ? "#" : "");
	html_escape(html, what);
	at_buf_printf(html, "</span> <span class=\"meta\">(%s, ", force);
	at_labelf(html, L->index.in_sessions, sessions);
	at_buf_printf(html, ")</span>%s", L->colon);
	const at_summary *last = NULL;
	size_t k = 0;
	at_buf stem;
	at_buf_init(&stem);
	for (size_t j = i; j < end && k < SESSIONS_SHOWN; j++) {
		const at_summary *s = o->v[j].session;
		if (s == last)
			continue;
		last = s;
		at_buf_puts(md, k ? ", " : "");
		at_buf_puts(html, k++ ? ", " : "");
		const char *url = stem_of(&stem, s, md);
		md_title(md, s, AT_EMITTER_FORGE_PAGE, url);
		at_buf_printf(md, " (%s)", s->date);
		html_title(html, s, url);
		at_buf_printf(html, " (<span class=\"date\">%s</span>)",
			      s->date);
	}
	at_buf_free(&stem);
	if (sessions > k) {
		at_buf_puts(md, ", ");
		const char *more = L->index.more[at_plural(L, sessions - k)];
		at_labelf(md, more, sessions - k);
		at_buf_puts(html, ", ");
		at_labelf(html, more, sessions - k);
	}
	at_buf_puts(md, "\n");
	at_buf_puts(html, "</li>\n");
}

/* A recurring force: its run of occurrences in o. */
typedef struct group {
	size_t start, end, sessions;
	int kind;
	const char *key;
} group;

static int cmp_group(const void *a, const void *b)
{
	const group *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	if (x->sessions != y->sessions)
		return (x->sessions < y->sessions) - (x->sessions > y->sessions);
	return strcmp(x->key, y->key);
}

/* The runs of o found in two sessions or more, tags first, then by
 * number of sessions, drivers before brakes, then by wording. */
static group *groups_of(const occurrences *o, size_t *n)
{
	group *g = malloc((o->n ? o->n : 1) * sizeof *g);
	*n = 0;
	if (!g)
		return NULL;
	for (size_t i = 0, end; i < o->n; i = end) {
		for (end = i + 1; end < o->n && o->v[end].id == o->v[i].id &&
				  strcmp(o->v[end].key, o->v[i].key) == 0;
		     end++)
			;
		if (o->v[i].sessions >= 2)
			g[(*n)++] = (group){i, end, o->v[i].sessions,
					    kind_of(o->v[i].id), o->v[i].key};
	}
	qsort(g, *n, sizeof *g, cmp_group);
	return g;
}

static int recurring(at_buf *md, at_buf *html, const at_labels *L,
		     const occurrences *o, const size_t recurring_n[N_KINDS])
{
	size_t n;
	group *g = groups_of(o, &n);
	if (!g)
		return -1;
	at_buf_printf(md, "## %s\n\n", L->index.recurring);
	at_buf_printf(html, "<h2 id=\"recurring\">%s</h2>\n", L->index.recurring);
	const char *titles[N_KINDS] = {L->index.by_tag, L->index.by_text};
	static const char *const kinds[N_KINDS] = {"tag", "text"};
	size_t i = 0;
	for (int k = 0; k < N_KINDS; k++) {
		size_t first = i;
		for (; i < n && g[i].kind == k; i++) {
			if (i - first >= RECURRING_SHOWN)
				continue; /* counted in the line above the list */
			if (i == first) {
				at_buf_printf(md, "### %s\n\n", titles[k]);
				at_buf_printf(html, "<h3>%s</h3>\n", titles[k]);
				if (recurring_n[k] > RECURRING_SHOWN) {
					at_labelf(md, L->index.shown,
						      (size_t)RECURRING_SHOWN,
						      recurring_n[k]);
					at_buf_puts(md, "\n\n");
					at_buf_puts(html, "<p class=\"meta\">");
					at_labelf(html, L->index.shown,
						      (size_t)RECURRING_SHOWN,
						      recurring_n[k]);
					at_buf_puts(html, "</p>\n");
				}
				at_buf_puts(html, "<ul>\n");
			}
			recurring_item(md, html, L, o, g[i].start, g[i].end,
				       g[i].sessions, kinds[k]);
		}
		if (i > first) {
			at_buf_puts(md, "\n");
			at_buf_puts(html, "</ul>\n");
		}
	}
	if (!n) {
		at_buf_printf(md, "%s\n", L->index.recurring_none);
		at_buf_printf(html, "<p>%s</p>\n", L->index.recurring_none);
	}
	free(g);
	return 0;
}

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
	"max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1d232a;"
	"line-height:1.5}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{border-bottom:1px solid #d8dee4;padding:.4rem .6rem;"
	"text-align:left;vertical-align:top}"
	"th{background:#f3f5f7}.n{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	".date,.formats{white-space:nowrap}"
	"li.driver .what{color:#1a6b35}li.brake .what{color:#a3321b}"
	".meta{color:#59636e}a{color:#0b5cad}"
	/* A phone: each session a block, its counts four labelled columns. */
	"@media (max-width:40rem){body{margin:1rem auto}"
	".sessions thead{display:none}"
	".sessions tr{display:grid;grid-template-columns:repeat(4,1fr);"
	"border-bottom:1px solid #d8dee4;padding:.5rem 0}"
	".sessions td{border:0;padding:.1rem .3rem}"
	".sessions td.date,.sessions td.title,.sessions td.place,"
	".sessions td.formats{grid-column:1/-1}"
	".sessions td.title{font-weight:600}.sessions td.n{text-align:left}"
	".sessions td.n::before{content:attr(data-label);display:block;"
	"font-size:.75rem;color:#59636e}}"
	"@media print{a{color:inherit}}";

at_status at_index_write(const char *out_dir, const at_summary *v, size_t n,
			 at_forces_fn forces, void *ctx, at_lang lang, int book,
			 at_diags *d)
{
	const at_labels *L = at_labels_for(lang);
	const at_summary **order = malloc((n ? n : 1) * sizeof *order);
	occurrences o = {NULL, 0, 0, 0};
	at_buf md, html;
	at_buf_init(&md);
	at_buf_init(&html);
	at_status rc = AT_ENOMEM;
	if (!order)
		goto done;
	for (size_t i = 0; i < n; i++)
		order[i] = &v[i];
	if (n)
		qsort(order, n, sizeof *order, cmp_newest);
	size_t recurring_n[N_KINDS];
	force_source src = {v, n, forces, ctx};
	if (collect(&o, &src, order, recurring_n))
		goto done;

	at_buf_printf(&md, "# %s\n\n", L->index.title);
	at_buf_printf(&html,
		      "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, "
		      "initial-scale=1\">\n<title>%s</title>\n<style>%s</style>\n"
		      "</head>\n<body>\n<h1>%s</h1>\n",
		      L->lang, L->index.title, css, L->index.title);
	if (book) {
		md_book(&md, L);
		html_book(&html, L);
	}
	int force_grid = 0;
	for (size_t i = 0; i < n; i++)
		force_grid |= v[i].force_grid;
	md_sessions(&md, L, order, n, force_grid);
	html_sessions(&html, L, order, n, force_grid);
	if (force_grid && recurring(&md, &html, L, &o, recurring_n))
		goto done;
	at_buf_puts(&html, "</body>\n</html>\n");
	if (md.oom || html.oom)
		goto done;
	rc = at_write_atomic(out_dir, "index.md", md.s, md.len, d);
	if (rc == AT_OK)
		rc = at_write_atomic(out_dir, "index.html", html.s, html.len, d);
done:
	if (rc == AT_ENOMEM)
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "cannot write the index: out of memory, or a "
			    "build file unreadable");
	for (size_t i = 0; i < o.n; i++) {
		free(o.v[i].key);
		free(o.v[i].text);
	}
	free(o.v);
	free(order);
	at_buf_free(&md);
	at_buf_free(&html);
	return rc;
}
