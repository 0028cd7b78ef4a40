/* index.c: the pages across sessions (OUT/index.md and OUT/index.html):
 * every session, newest first, and the drivers and brakes that come back
 * from one session to another, grouped by tag and by the same words. */
#define _POSIX_C_SOURCE 200809L
#include "index.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "text.h"

/* ---- summaries ---- */

static char *plain(const char *md)
{
	at_buf b;
	at_buf_init(&b);
	if (md)
		at_md_plain(&b, md);
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

typedef struct counting {
	at_summary *sum;
	int bad;
} counting;

static int note_force(const at_contribution *c, void *ctx)
{
	counting *k = ctx;
	at_summary *s = k->sum;
	s->contributions++;
	if (c->origin != AT_FROM_SUBGROUP ||
	    c->section->def->force == AT_FORCE_NONE)
		return 0;
	int brake = c->section->def->force == AT_FORCE_BRAKE;
	if (brake)
		s->brakes++;
	else
		s->drivers++;
	at_force_note *v = realloc(s->forces, (s->n_forces + 1) * sizeof *v);
	if (!v) {
		k->bad = 1;
		return 1;
	}
	s->forces = v;
	at_force_note *f = &v[s->n_forces++];
	f->brake = brake;
	f->text = plain(c->item->text);
	f->tags = join_tags(&c->item->tags);
	if (!f->text || !f->tags)
		k->bad = 1;
	return k->bad;
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
	sum->html = strdup("");
	sum->md = strdup("");
	sum->people = s->attendance ? s->attendance : (long)s->n_participants;
	counting k = {sum, 0};
	at_session_walk(s, note_force, &k);
	if (k.bad || !sum->rel || !sum->title || !sum->date || !sum->place ||
	    !sum->html || !sum->md) {
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
	free(sum->html);
	free(sum->md);
	for (size_t i = 0; i < sum->n_forces; i++) {
		free(sum->forces[i].text);
		free(sum->forces[i].tags);
	}
	free(sum->forces);
	memset(sum, 0, sizeof *sum);
}

/* Folds the accents of French and the other Latin-1 languages, so that
 * "Résistance" and "resistance" are one force. */
static const char *fold(unsigned c)
{
	static const struct {
		unsigned cp;
		const char *to;
	} map[] = {
		{0xE0, "a"}, {0xE1, "a"}, {0xE2, "a"}, {0xE3, "a"}, {0xE4, "a"},
		{0xE5, "a"}, {0xE6, "ae"}, {0xE7, "c"}, {0xE8, "e"}, {0xE9, "e"},
		{0xEA, "e"}, {0xEB, "e"}, {0xEC, "i"}, {0xED, "i"}, {0xEE, "i"},
		{0xEF, "i"}, {0xF1, "n"}, {0xF2, "o"}, {0xF3, "o"}, {0xF4, "o"},
		{0xF5, "o"}, {0xF6, "o"}, {0xF9, "u"}, {0xFA, "u"}, {0xFB, "u"},
		{0xFC, "u"}, {0xFD, "y"}, {0xFF, "y"}, {0x153, "oe"}};
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		c += 0x20; /* upper to lower case in Latin-1 */
	if (c == 0x152)
		c = 0x153;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].cp == c)
			return map[i].to;
	return NULL;
}

char *at_force_key(const char *text)
{
	at_buf b;
	at_buf_init(&b);
	int space = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		unsigned c = *p;
		size_t n = 1;
		if (c >= 0xC0 && (c & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			c = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
			n = 2;
		} else if (c >= 0x80) {
			/* Other scripts keep their bytes: compared as is. */
			n = (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
			/* Never past the end: a text read back from a damaged
			 * manifest may stop in the middle of a sequence. */
			size_t i = 0;
			for (; i < n && p[i]; i++)
				at_buf_putc(&b, (char)p[i]);
			p += i;
			space = 0;
			continue;
		}
		const char *f = fold(c);
		if (f || (c < 0x80 && ((c >= 'a' && c <= 'z') ||
				       (c >= '0' && c <= '9') ||
				       (c >= 'A' && c <= 'Z')))) {
			if (space && b.len)
				at_buf_putc(&b, ' ');
			space = 0;
			if (f)
				at_buf_puts(&b, f);
			else
				at_buf_putc(&b, (char)(c >= 'A' && c <= 'Z' ? c + 32
									  : c));
		} else {
			space = 1;
		}
		p += n;
	}
	return b.oom ? (at_buf_free(&b), NULL) : at_buf_take(&b);
}

/* ---- grouping forces across sessions ---- */

typedef struct occurrence {
	char *key;           /* "0|text key" or "1|#tag" */
	const at_force_note *note;
	const at_summary *session;
} occurrence;

static int cmp_occ(const void *a, const void *b)
{
	const occurrence *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	c = strcmp(y->session->date, x->session->date);
	return c ? c : strcmp(x->session->rel, y->session->rel);
}

typedef struct occurrences {
	occurrence *v;
	size_t n, cap;
	int oom;
} occurrences;

static void add_occ(occurrences *o, char *key, const at_force_note *note,
		    const at_summary *s)
{
	if (!key) {
		o->oom = 1;
		return;
	}
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 256;
		occurrence *v = realloc(o->v, cap * sizeof *v);
		if (!v) {
			free(key);
			o->oom = 1;
			return;
		}
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = (occurrence){key, note, s};
}

static char *make_key(int brake, const char *kind, const char *what)
{
	at_buf b;
	at_buf_init(&b);
	at_buf_printf(&b, "%d|%s|%s", brake, kind, what);
	return b.oom ? (at_buf_free(&b), NULL) : at_buf_take(&b);
}

static void collect(occurrences *o, const at_summary *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < v[i].n_forces; k++) {
			const at_force_note *f = &v[i].forces[k];
			char *words = at_force_key(f->text);
			if (words && *words)
				add_occ(o, make_key(f->brake, "text", words), f,
					&v[i]);
			free(words);
			char *tags = strdup(f->tags);
			for (char *save, *t = tags ? strtok_r(tags, ",", &save)
						   : NULL;
			     t; t = strtok_r(NULL, ",", &save))
				add_occ(o, make_key(f->brake, "tag", t), f,
					&v[i]);
			free(tags);
		}
	if (o->n)
		qsort(o->v, o->n, sizeof *o->v, cmp_occ);
}

/* Number of distinct sessions in the run of equal keys starting at i. */
static size_t run_sessions(const occurrences *o, size_t i, size_t *end)
{
	size_t j = i, sessions = 0;
	const at_summary *last = NULL;
	while (j < o->n && strcmp(o->v[j].key, o->v[i].key) == 0) {
		if (o->v[j].session != last)
			sessions++;
		last = o->v[j].session;
		j++;
	}
	*end = j;
	return sessions;
}

/* ---- labels ---- */

typedef struct index_labels {
	const char *lang, *title, *sessions, *date, *session, *place, *people,
		*contributions, *drivers, *brakes, *reports, *recurring,
		*recurring_none, *by_tag, *by_text, *in, *sessions_word, *driver,
		*brake;
} index_labels;

static const index_labels fr = {
	"fr", "Index des ateliers", "Ateliers", "Date", "Atelier", "Lieu",
	"Participants", "Contributions", "Moteurs", "Freins", "Comptes-rendus",
	"Forces récurrentes", "Aucun moteur ni frein ne revient d'un atelier à "
			       "l'autre.",
	"Par mot-clé", "Par formulation", "dans", "ateliers", "moteur",
	"frein"};
static const index_labels en = {
	"en", "Index of workshops", "Workshops", "Date", "Workshop", "Place",
	"People", "Contributions", "Drivers", "Brakes", "Reports",
	"Recurring forces", "No driver or brake comes back from one workshop to "
			    "another.",
	"By tag", "By wording", "in", "workshops", "driver", "brake"};

/* ---- writing ---- */

static int cmp_newest(const void *a, const void *b)
{
	const at_summary *x = *(const at_summary *const *)a;
	const at_summary *y = *(const at_summary *const *)b;
	int c = strcmp(y->date, x->date);
	return c ? c : strcmp(x->rel, y->rel);
}

static void html_escape(at_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			at_buf_puts(b, "&amp;");
			break;
		case '<':
			at_buf_puts(b, "&lt;");
			break;
		case '>':
			at_buf_puts(b, "&gt;");
			break;
		case '"':
			at_buf_puts(b, "&quot;");
			break;
		default:
			at_buf_putc(b, *s);
		}
	}
}

/* Markdown text with its special characters escaped. */
static void md_escape(at_buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_{}[]()#+-.!<>|", *s))
			at_buf_putc(b, '\\');
		at_buf_putc(b, *s == '\n' ? ' ' : *s);
	}
}

static void md_link(at_buf *b, const char *text, const char *url)
{
	at_buf_putc(b, '[');
	md_escape(b, text);
	at_buf_puts(b, "](<");
	for (const char *p = url; *p; p++) {
		if (*p == '<' || *p == '>' || *p == '\\')
			at_buf_putc(b, '\\');
		at_buf_putc(b, *p);
	}
	at_buf_puts(b, ">)");
}

static const char *link_of(const at_summary *s, int html)
{
	if (html)
		return *s->html ? s->html : *s->md ? s->md : NULL;
	return *s->md ? s->md : *s->html ? s->html : NULL;
}

static void md_sessions(at_buf *b, const index_labels *L,
			const at_summary *const *v, size_t n)
{
	at_buf_printf(b, "## %s\n\n", L->sessions);
	at_buf_printf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", L->date,
		      L->session, L->place, L->people, L->contributions,
		      L->drivers, L->brakes);
	at_buf_puts(b, "|---|---|---|--:|--:|--:|--:|\n");
	for (size_t i = 0; i < n; i++) {
		const at_summary *s = v[i];
		const char *url = link_of(s, 0);
		at_buf_printf(b, "| %s | ", s->date);
		if (url)
			md_link(b, s->title, url);
		else
			md_escape(b, s->title);
		at_buf_puts(b, " | ");
		md_escape(b, s->place);
		at_buf_puts(b, " | ");
		if (s->people)
			at_buf_printf(b, "%ld", s->people);
		at_buf_printf(b, " | %ld | %ld | %ld |\n", s->contributions,
			      s->drivers, s->brakes);
	}
	at_buf_putc(b, '\n');
}

static void html_sessions(at_buf *b, const index_labels *L,
			  const at_summary *const *v, size_t n)
{
	at_buf_printf(b, "<h2 id=\"sessions\">%s</h2>\n<table>\n<thead><tr>"
			 "<th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
			 "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n"
			 "<tbody>\n",
		      L->sessions, L->date, L->session, L->place, L->people,
		      L->contributions, L->drivers, L->brakes);
	for (size_t i = 0; i < n; i++) {
		const at_summary *s = v[i];
		const char *url = link_of(s, 1);
		at_buf_printf(b, "<tr><td>%s</td><td>", s->date);
		if (url) {
			at_buf_puts(b, "<a href=\"");
			html_escape(b, url);
			at_buf_puts(b, "\">");
		}
		html_escape(b, s->title);
		if (url)
			at_buf_puts(b, "</a>");
		at_buf_puts(b, "</td><td>");
		html_escape(b, s->place);
		at_buf_puts(b, "</td><td class=\"n\">");
		if (s->people)
			at_buf_printf(b, "%ld", s->people);
		at_buf_printf(b, "</td><td class=\"n\">%ld</td><td class=\"n\">"
				 "%ld</td><td class=\"n\">%ld</td></tr>\n",
			      s->contributions, s->drivers, s->brakes);
	}
	at_buf_puts(b, "</tbody>\n</table>\n");
}

/* One recurring force: its wording (or tag), then its sessions. */
static void recurring_item(at_buf *md, at_buf *html, const index_labels *L,
			   const occurrences *o, size_t i, size_t end,
			   size_t sessions, const char *kind)
{
	const occurrence *first = &o->v[i];
	const char *what = strcmp(kind, "tag") == 0
				   ? strchr(strchr(first->key, '|') + 1, '|') + 1
				   : first->note->text;
	const char *force = first->note->brake ? L->brake : L->driver;
	at_buf_puts(md, strcmp(kind, "tag") == 0 ? "- #" : "- ");
	md_escape(md, what);
	at_buf_printf(md, " (%s, %s %zu %s) : ", force, L->in, sessions,
		      L->sessions_word);
	at_buf_printf(html, "<li class=\"%s\"><span class=\"what\">%s",
		      first->note->brake ? "brake" : "driver",
		      strcmp(kind, "tag") == 0 ? "#" : "");
	html_escape(html, what);
	at_buf_printf(html, "</span> <span class=\"meta\">(%s, %s %zu %s)</span> :",
		      force, L->in, sessions, L->sessions_word);
	const at_summary *last = NULL;
	int k = 0;
	for (size_t j = i; j < end; j++) {
		const at_summary *s = o->v[j].session;
		if (s == last)
			continue;
		last = s;
		const char *url = link_of(s, 0), *hurl = link_of(s, 1);
		at_buf_puts(md, k ? ", " : "");
		at_buf_puts(html, k++ ? ", " : " ");
		if (url)
			md_link(md, s->title, url);
		else
			md_escape(md, s->title);
		at_buf_printf(md, " (%s)", s->date);
		if (hurl) {
			at_buf_puts(html, "<a href=\"");
			html_escape(html, hurl);
			at_buf_puts(html, "\">");
		}
		html_escape(html, s->title);
		at_buf_puts(html, hurl ? "</a>" : "");
		at_buf_printf(html, " (%s)", s->date);
	}
	at_buf_puts(md, "\n");
	at_buf_puts(html, "</li>\n");
}

static void recurring(at_buf *md, at_buf *html, const index_labels *L,
		      const occurrences *o)
{
	at_buf_printf(md, "## %s\n\n", L->recurring);
	at_buf_printf(html, "<h2 id=\"recurring\">%s</h2>\n", L->recurring);
	int any = 0;
	const char *kinds[] = {"tag", "text"};
	const char *titles[] = {L->by_tag, L->by_text};
	for (size_t k = 0; k < 2; k++) {
		int heading = 0;
		for (size_t i = 0, end; i < o->n; i = end) {
			size_t sessions = run_sessions(o, i, &end);
			const char *kind = strchr(o->v[i].key, '|') + 1;
			if (sessions < 2 ||
			    strncmp(kind, kinds[k], strlen(kinds[k])) != 0 ||
			    kind[strlen(kinds[k])] != '|')
				continue;
			if (!heading) {
				at_buf_printf(md, "### %s\n\n", titles[k]);
				at_buf_printf(html, "<h3>%s</h3>\n<ul>\n",
					      titles[k]);
				heading = 1;
			}
			recurring_item(md, html, L, o, i, end, sessions,
				       kinds[k]);
			any = 1;
		}
		if (heading) {
			at_buf_puts(md, "\n");
			at_buf_puts(html, "</ul>\n");
		}
	}
	if (!any) {
		at_buf_printf(md, "%s\n", L->recurring_none);
		at_buf_printf(html, "<p>%s</p>\n", L->recurring_none);
	}
}

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
	"max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1d232a;"
	"line-height:1.5}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{border-bottom:1px solid #d8dee4;padding:.4rem .6rem;"
	"text-align:left;vertical-align:top}"
	"th{background:#f3f5f7}td.n{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	"li.driver .what{color:#1a6b35}li.brake .what{color:#a3321b}"
	".meta{color:#59636e}a{color:#0b5cad}"
	"@media print{a{color:inherit}}";

at_status at_index_write(const char *out_dir, const at_summary *v, size_t n,
			 at_lang lang, at_diags *d)
{
	const index_labels *L = lang == AT_LANG_EN ? &en : &fr;
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
	collect(&o, v, n);
	if (o.oom)
		goto done;

	at_buf_printf(&md, "# %s\n\n", L->title);
	at_buf_printf(&html,
		      "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, "
		      "initial-scale=1\">\n<title>%s</title>\n<style>%s</style>\n"
		      "</head>\n<body>\n<h1>%s</h1>\n",
		      L->lang, L->title, css, L->title);
	md_sessions(&md, L, order, n);
	html_sessions(&html, L, order, n);
	recurring(&md, &html, L, &o);
	at_buf_puts(&html, "</body>\n</html>\n");
	if (md.oom || html.oom)
		goto done;
	rc = at_write_atomic(out_dir, "index.md", md.s, md.len, d);
	if (rc == AT_OK)
		rc = at_write_atomic(out_dir, "index.html", html.s, html.len, d);
done:
	if (rc == AT_ENOMEM)
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory while writing the index");
	for (size_t i = 0; i < o.n; i++)
		free(o.v[i].key);
	free(o.v);
	free(order);
	at_buf_free(&md);
	at_buf_free(&html);
	return rc;
}
