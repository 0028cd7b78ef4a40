/* emit_md.c: the compte-rendu as CommonMark Markdown, the document a
 * facilitator sends to participants and funders the same day.
 *
 * The session's texts are Markdown already. Each one goes through cmark
 * (parse, neutralise raw HTML and dangerous link targets, render back as
 * CommonMark) so that its markup survives but nothing in it can break the
 * structure around it: an item stays one paragraph inside its list item,
 * a heading inside a block text sinks below the section holding it. The
 * report's own structure (headings, nested lists, pipe tables) is written
 * here, line by line, straight to the stream. */
#include <cmark.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atelier/emitter.h"
#include "buf.h"
#include "labels.h"
#include "text.h"
#include "url.h"

/* cmark nodes collected during a walk, changed after it: cmark forbids
 * changing a tree while iterating over it. */
typedef struct node_list {
	cmark_node **v;
	size_t n, cap;
} node_list;

typedef struct md {
	FILE *f;
	const at_session *s;
	const at_emit_options *o;
	const at_labels *l;
	const char *colon;   /* " : " in French, ": " in English */
	int written;         /* a block is out: the next one needs a blank line */
	int oom;
	at_buf text;         /* the text being rendered */
	at_buf src;          /* scratch: a text prepared for cmark, a marker */
	at_buf line;         /* one output line */
	at_buf meta;         /* metadata, leads, cells */
	node_list found;
} md;

/* ---- Writing lines ---- */

static void pad(at_buf *b, size_t n)
{
	while (n--)
		at_buf_putc(b, ' ');
}

static void rtrim(at_buf *b)
{
	while (b->len && (b->s[b->len - 1] == ' ' || b->s[b->len - 1] == '\t'))
		b->s[--b->len] = '\0';
}

/* Writes s line by line: the first line after `indent` spaces and marker,
 * the next ones after `cont` spaces, so that they stay inside the list
 * item the marker opens; each after "> " when quote is set. Trailing
 * spaces are dropped (a hard break is written "\" by then). */
static void put_lines(md *m, const char *s, size_t len, size_t indent,
		      const char *marker, size_t cont, int quote)
{
	const char *p = s, *end = s + len;
	while (end > s && end[-1] == '\n')
		end--;
	for (int first = 1;; first = 0) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		at_buf_clear(&m->line);
		if (first && marker) {
			pad(&m->line, indent);
			at_buf_puts(&m->line, marker);
		} else {
			pad(&m->line, cont);
		}
		if (quote)
			at_buf_puts(&m->line, "> ");
		at_buf_put(&m->line, p, (size_t)(e - p));
		rtrim(&m->line);
		at_buf_putc(&m->line, '\n');
		fwrite(m->line.s, 1, m->line.len, m->f);
		m->oom |= m->line.oom;
		if (e == end)
			break;
		p = e + 1;
	}
}

/* Starts a block: blocks are separated by one blank line. */
static void block(md *m)
{
	if (m->written)
		fputc('\n', m->f);
	m->written = 1;
}

static void put_block(md *m, const at_buf *b)
{
	block(m);
	put_lines(m, b->s ? b->s : "", b->len, 0, NULL, 0, 0);
}

/* ---- Plain texts: names, places, labels ---- */

/* Appends s, a plain text, as Markdown showing it as written: every ASCII
 * mark cmark could read as markup is backslash-escaped (always valid in
 * CommonMark), '|' included for pipe tables; line breaks become spaces. */
static void esc(at_buf *b, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	const char *p = s;
	if (*p == '-' || *p == '+' || *p == '=')
		at_buf_putc(b, '\\');
	while (*p >= '0' && *p <= '9')
		at_buf_putc(b, *p++);
	if (p != s && (*p == '.' || *p == ')'))
		at_buf_putc(b, '\\');
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		else if (c < 0x20 || c == 0x7f)
			continue;
		else if (strchr("\\`*_[]<>#!&|~", c))
			at_buf_putc(b, '\\');
		at_buf_putc(b, (char)c);
	}
	rtrim(b);
}

/* "Question 1 : " with the language's colon. */
static void put_label(md *m, at_buf *b, const char *label)
{
	esc(b, label);
	at_buf_puts(b, m->colon);
}

/* Link destinations: what cmark could misread is escaped, spaces and
 * control characters percent-encoded. */
static void put_url(at_buf *b, const char *url)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			at_buf_printf(b, "%%%02X", *p);
		else if (strchr("()<>\\", *p))
			at_buf_putc(b, '\\'), at_buf_putc(b, (char)*p);
		else
			at_buf_putc(b, (char)*p);
	}
}

/* ---- Session texts through cmark ---- */

static void found_push(md *m, cmark_node *n)
{
	node_list *l = &m->found;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		cmark_node **v = realloc(l->v, cap * sizeof(cmark_node *));
		if (!v) {
			m->oom = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = n;
}

static cmark_node *new_node(cmark_node_type t, const char *literal)
{
	cmark_node *n = cmark_node_new(t);
	if (literal)
		cmark_node_set_literal(n, literal);
	return n;
}

/* Puts n before `before`, or at the end of parent when before is NULL. */
static void place(cmark_node *n, cmark_node *parent, cmark_node *before)
{
	if (before)
		cmark_node_insert_before(before, n);
	else
		cmark_node_append_child(parent, n);
}

/* The lines of a literal as nodes of type t, joined by soft breaks (or
 * spaces when the result must stay on one line). */
static void place_lines(md *m, const char *lit, cmark_node_type t,
			cmark_node *parent, cmark_node *before, int one_line)
{
	size_t len = strlen(lit);
	while (len && lit[len - 1] == '\n')
		len--;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && lit[j] != '\n')
			j++;
		at_buf_clear(&m->src);
		at_buf_put(&m->src, lit + i, j - i);
		if (i)
			place(one_line ? new_node(CMARK_NODE_TEXT, " ")
				       : new_node(CMARK_NODE_SOFTBREAK, NULL),
			      parent, before);
		place(new_node(t, at_buf_cstr(&m->src)), parent, before);
		i = j + 1;
	}
}

/* Replaces n by its children (a link that must not be followed keeps its
 * text), then frees it. */
static void unwrap(cmark_node *n)
{
	cmark_node *c;
	while ((c = cmark_node_first_child(n)))
		cmark_node_insert_before(n, c);
	cmark_node_free(n);
}

static void replace(cmark_node *old, cmark_node *by)
{
	cmark_node_insert_before(old, by);
	cmark_node_free(old);
}

enum { ONE_LINE = 1, NO_STRONG = 2, NO_EMPH = 4 };

/* What a collected node becomes. Raw HTML turns into the text it is, which
 * the renderer then escapes, unless --unsafe; a hard break is written as a
 * backslash (raw, so never escaped) rather than cmark's trailing spaces. */
static void fix_node(md *m, cmark_node *n, int flags, int demote)
{
	int one_line = flags & ONE_LINE;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_INLINE:
		place_lines(m, cmark_node_get_literal(n), CMARK_NODE_TEXT,
			    NULL, n, one_line);
		cmark_node_free(n);
		break;
	case CMARK_NODE_HTML_BLOCK: {
		cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
		place_lines(m, cmark_node_get_literal(n), CMARK_NODE_TEXT, p,
			    NULL, one_line);
		replace(n, p);
		break;
	}
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_EMPH:
		unwrap(n);
		break;
	case CMARK_NODE_LINEBREAK:
		if (one_line) {
			replace(n, new_node(CMARK_NODE_TEXT, " "));
			break;
		}
		cmark_node_insert_before(n, new_node(CMARK_NODE_HTML_INLINE, "\\"));
		replace(n, new_node(CMARK_NODE_SOFTBREAK, NULL));
		break;
	case CMARK_NODE_SOFTBREAK:
		replace(n, new_node(CMARK_NODE_TEXT, " "));
		break;
	case CMARK_NODE_HEADING: {
		int level = cmark_node_get_heading_level(n) + demote;
		cmark_node_set_heading_level(n, level > 6 ? 6 : level);
		break;
	}
	default:
		break;
	}
}

static int needs_fix(md *m, cmark_node *n, int flags, int demote)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_HTML_BLOCK:
		return !m->o->unsafe;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		return at_url_dangerous(cmark_node_get_url(n));
	case CMARK_NODE_STRONG:
		return flags & NO_STRONG;
	case CMARK_NODE_EMPH:
		return flags & NO_EMPH;
	case CMARK_NODE_LINEBREAK:
		return 1;
	case CMARK_NODE_SOFTBREAK:
		return flags & ONE_LINE;
	case CMARK_NODE_HEADING:
		return demote > 0;
	default:
		return 0;
	}
}

/* Makes a parsed text safe to write inside the report (see fix_node). */
static void sanitize(md *m, cmark_node *root, int flags, int demote)
{
	m->found.n = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER &&
		    needs_fix(m, cmark_iter_get_node(it), flags, demote))
			found_push(m, cmark_iter_get_node(it));
	cmark_iter_free(it);
	for (size_t i = 0; i < m->found.n; i++)
		fix_node(m, m->found.v[i], flags, demote);
}

static int is_rule_line(const char *q, const char *e)
{
	size_t marks = 0;
	for (const char *p = q; p < e; p++) {
		if (*p == *q)
			marks++;
		else if (*p != ' ' && *p != '\t')
			return 0;
	}
	return marks >= 3;
}

static int has_pair(const char *q, const char *e, char a, char b)
{
	for (const char *p = q; p + 1 < e; p++)
		if (p[0] == a && p[1] == b)
			return 1;
	return 0;
}

/* One line of an inline text, with whatever would open a block at its
 * start (heading, quote, list, rule, fence, reference) escaped. */
static void prepare_line(at_buf *b, const char *q, const char *e, int first)
{
	char c = *q, next = q + 1 < e ? q[1] : ' ';
	int space_next = next == ' ' || next == '\t';
	if (strchr("#>+-=~", c) ||
	    ((c == '*' || c == '_') && (space_next || is_rule_line(q, e))) ||
	    (c == '`' && e - q >= 3 && q[1] == '`' && q[2] == '`') ||
	    (first && c == '[' && has_pair(q, e, ']', ':'))) {
		at_buf_putc(b, '\\');
	} else if (c >= '0' && c <= '9') {
		const char *d = q;
		while (d < e && *d >= '0' && *d <= '9')
			d++;
		if (d - q <= 9 && d < e && (*d == '.' || *d == ')') &&
		    (d + 1 == e || d[1] == ' ' || d[1] == '\t')) {
			at_buf_put(b, q, (size_t)(d - q));
			at_buf_putc(b, '\\');
			q = d;
		}
	}
	at_buf_put(b, q, (size_t)(e - q));
}

/* An inline text as cmark must read it, as one paragraph: each line's
 * leading blanks and the blank lines removed, block marks escaped. */
static void prepare_inline(at_buf *b, const char *s)
{
	at_buf_clear(b);
	int first = 1;
	for (const char *p = s; *p;) {
		const char *e = p + strcspn(p, "\r\n");
		const char *q = p;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (q < e) {
			if (!first)
				at_buf_putc(b, '\n');
			prepare_line(b, q, e, first);
			first = 0;
		}
		p = *e ? e + 1 : e;
	}
}

static int is_leaf_block(cmark_node_type t)
{
	return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
	       t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK ||
	       t == CMARK_NODE_THEMATIC_BREAK;
}

static void move_children(cmark_node *to, cmark_node *from)
{
	cmark_node *c;
	while ((c = cmark_node_first_child(from)))
		cmark_node_append_child(to, c);
}

/* What escaping could not keep out (an HTML block, a fenced code block)
 * folded into the document's one paragraph, in reading order. */
static cmark_node *flatten(md *m, cmark_node *doc)
{
	cmark_node *first = cmark_node_first_child(doc);
	if (first && !cmark_node_next(first) &&
	    cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH)
		return first;
	m->found.n = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER &&
		    is_leaf_block(cmark_node_get_type(cmark_iter_get_node(it))))
			found_push(m, cmark_iter_get_node(it));
	cmark_iter_free(it);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	for (size_t i = 0; i < m->found.n; i++) {
		cmark_node *n = m->found.v[i];
		if (cmark_node_first_child(para))
			cmark_node_append_child(para, new_node(CMARK_NODE_SOFTBREAK, NULL));
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
			place_lines(m, cmark_node_get_literal(n),
				    t == CMARK_NODE_CODE_BLOCK ? CMARK_NODE_CODE
							       : CMARK_NODE_HTML_INLINE,
				    para, NULL, 0);
		else
			move_children(para, n);
	}
	while ((first = cmark_node_first_child(doc)))
		cmark_node_free(first);
	cmark_node_append_child(doc, para);
	return para;
}

/* Parses an inline text into a document holding exactly one paragraph,
 * made safe. */
static cmark_node *inline_doc(md *m, const char *text, int flags,
			      cmark_node **para)
{
	prepare_inline(&m->src, text);
	cmark_node *doc = cmark_parse_document(at_buf_cstr(&m->src), m->src.len,
					       CMARK_OPT_DEFAULT);
	*para = flatten(m, doc);
	sanitize(m, doc, flags, 0);
	return doc;
}

/* Appends what cmark renders of doc, without the final newline. */
static void render(md *m, cmark_node *doc, at_buf *out)
{
	char *r = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
	if (!r) {
		m->oom = 1;
		return;
	}
	size_t n = strlen(r);
	while (n && r[n - 1] == '\n')
		n--;
	at_buf_put(out, r, n);
	free(r);
}

/* Whether cmark would give s back unchanged: most contributions are plain
 * sentences, and skipping cmark for them keeps big sessions fast. The
 * bytes are the same either way. */
static int is_plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p || *p == ' ' || strchr("-+=", *p) || (*p >= '0' && *p <= '9'))
		return 0;
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || strchr("\\`*_[]<>#!&|", *p))
			return 0;
	return p[-1] != ' ';
}

/* Appends an inline text (item, title, prompt) as Markdown that cmark
 * reads back as the same one paragraph. */
static void inline_md(md *m, at_buf *out, const char *text, int flags)
{
	if (is_plain(text)) {
		at_buf_puts(out, text);
		return;
	}
	cmark_node *para;
	cmark_node *doc = inline_doc(m, text, flags, &para);
	render(m, doc, out);
	cmark_node_free(doc);
}

/* Appends a block text (context, brief, note...) with its headings sunk
 * `demote` levels, and lead (Markdown written here) at the start of its
 * first paragraph. Returns whether it ends with a "1." list, which a list
 * written right after it would continue. */
static int block_md(md *m, at_buf *out, const char *text, int demote,
		    const char *lead)
{
	cmark_node *doc = cmark_parse_document(text, strlen(text),
					       CMARK_OPT_DEFAULT);
	sanitize(m, doc, 0, demote);
	if (lead) {
		cmark_node *first = cmark_node_first_child(doc);
		cmark_node *raw = new_node(CMARK_NODE_HTML_INLINE, lead);
		if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
			cmark_node_prepend_child(first, raw);
		} else {
			cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(p, raw);
			place(p, doc, first);
		}
	}
	render(m, doc, out);
	cmark_node *last = cmark_node_last_child(doc);
	int ends_ordered = last && cmark_node_get_type(last) == CMARK_NODE_LIST &&
			   cmark_node_get_list_type(last) == CMARK_ORDERED_LIST &&
			   cmark_node_get_list_delim(last) == CMARK_PERIOD_DELIM;
	cmark_node_free(doc);
	return ends_ordered;
}

/* A block text as blocks of the report. */
static int put_block_md(md *m, const char *text, int demote, const char *lead)
{
	at_buf_clear(&m->text);
	int ends_ordered = block_md(m, &m->text, text, demote, lead);
	if (m->text.len)
		put_block(m, &m->text);
	return ends_ordered;
}

/* ---- Lookups ---- */

/* A participant's name, or the id itself when it names nobody. */
static const char *person_name(const md *m, const char *id)
{
	const at_participant *p = at_session_participant(m->s, id);
	return p ? p->name : id;
}

static const at_table *table_of(const md *m, const char *id)
{
	return at_session_table(m->s, id);
}

/* "Table verte", or "Table t3" for a table without a name. */
static void put_table_name(md *m, at_buf *b, const char *id)
{
	const at_table *t = table_of(m, id);
	if (t && t->name) {
		esc(b, t->name);
	} else {
		esc(b, m->l->table);
		at_buf_putc(b, ' ');
		esc(b, id);
	}
}

static void put_names(md *m, at_buf *b, const at_strs *ids)
{
	for (size_t i = 0; i < ids->n; i++) {
		if (i)
			at_buf_puts(b, ", ");
		esc(b, person_name(m, ids->v[i].s));
	}
}

/* ---- Figures ---- */

/* Where the report links the figure: its copy beside the report (a folder
 * build), else the figure where it is, relative to the report. */
static void figure_url(md *m, at_buf *out, const at_figure *fig)
{
	const at_emit_options *o = m->o;
	const char *copy = o->figure_copy ? o->figure_copy(o->figure_ctx, fig)
					  : NULL;
	if (copy)
		at_url_path(out, copy);
	else if (at_url_rel(out, o->out_dir ? o->out_dir : ".", fig->path))
		m->oom = 1;
}

/* The figure's image, linked relative to where the report is written, and
 * its caption in italics: in a paragraph of its own, or, inside a list
 * item, on the next line (a hard break there would make Python-Markdown
 * show a stray backslash, and a second paragraph would loosen the list). */
static void figure_md(md *m, at_buf *out, const at_figure *fig, int in_list)
{
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node_append_child(doc, para);
	cmark_node *img = cmark_node_new(CMARK_NODE_IMAGE);
	at_buf_clear(&m->meta);
	figure_url(m, &m->meta, fig);
	cmark_node_set_url(img, at_buf_cstr(&m->meta));
	at_buf_clear(&m->meta);
	if (fig->alt)
		at_buf_puts(&m->meta, fig->alt);
	else if (fig->caption)
		at_md_plain(&m->meta, fig->caption);
	else
		at_buf_puts(&m->meta, m->l->figure);
	cmark_node_append_child(img, new_node(CMARK_NODE_TEXT, at_buf_cstr(&m->meta)));
	cmark_node_append_child(para, img);
	if (fig->caption) {
		cmark_node *cap_para;
		cmark_node *cap = inline_doc(m, fig->caption, NO_EMPH, &cap_para);
		cmark_node *emph = cmark_node_new(CMARK_NODE_EMPH);
		move_children(emph, cap_para);
		cmark_node_free(cap);
		if (in_list) {
			cmark_node_append_child(para, new_node(CMARK_NODE_SOFTBREAK, NULL));
		} else {
			para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(doc, para);
		}
		cmark_node_append_child(para, emph);
	}
	render(m, doc, out);
	cmark_node_free(doc);
}

static void put_figures(md *m, const at_figures *figs)
{
	for (size_t i = 0; i < figs->n; i++) {
		at_buf_clear(&m->text);
		figure_md(m, &m->text, &figs->v[i], 0);
		put_block(m, &m->text);
	}
}

/* ---- Items ---- */

static void meta_sep(at_buf *b, size_t start)
{
	if (b->len > start)
		at_buf_puts(b, " · ");
}

static void meta_born(md *m, at_buf *b, const at_item *it)
{
	at_buf_clear(&m->src);
	if (it->table.s)
		put_table_name(m, &m->src, it->table.s);
	if (it->round && it->table.s)
		at_labelf(b, m->l->born_at, it->round, at_buf_cstr(&m->src));
	else if (it->round)
		at_labelf(b, m->l->born_round, it->round);
	else
		at_labelf(b, m->l->born_table, at_buf_cstr(&m->src));
}

/* " *(par Jeanne Martin · tour 2, table verte · votes : 7)*": who, where
 * and how much, in small after the contribution. */
static void item_meta(md *m, at_buf *out, const at_item *it)
{
	at_buf *b = &m->meta;
	at_buf_clear(b);
	if (it->by.n) {
		at_buf_puts(b, m->l->by);
		at_buf_putc(b, ' ');
		put_names(m, b, &it->by);
	}
	if (it->round || it->table.s) {
		meta_sep(b, 0);
		meta_born(m, b, it);
	}
	if (it->has_votes) {
		meta_sep(b, 0);
		put_label(m, b, m->l->votes);
		at_buf_printf(b, "%ld", it->votes);
	}
	if (it->has_weight) {
		meta_sep(b, 0);
		put_label(m, b, m->l->weight);
		at_buf_printf(b, "%g", it->weight);
	}
	if (it->tags.n) {
		meta_sep(b, 0);
		put_label(m, b, m->l->tags);
		for (size_t i = 0; i < it->tags.n; i++) {
			if (i)
				at_buf_puts(b, ", ");
			esc(b, it->tags.v[i].s);
		}
	}
	if (it->link && !at_url_dangerous(it->link)) {
		meta_sep(b, 0);
		at_buf_putc(b, '[');
		esc(b, m->l->link);
		at_buf_puts(b, "](");
		put_url(b, it->link);
		at_buf_putc(b, ')');
	}
	if (b->len)
		at_buf_printf(out, " *(%s)*", at_buf_cstr(b));
}

/* The facilitator's note, quoted under its item. */
static void item_note(md *m, const char *note, size_t indent)
{
	at_buf_clear(&m->meta);
	at_buf_putc(&m->meta, '*');
	esc(&m->meta, m->l->note);
	at_buf_putc(&m->meta, '*');
	at_buf_puts(&m->meta, m->colon);
	at_buf_clear(&m->text);
	block_md(m, &m->text, note, 4, at_buf_cstr(&m->meta));
	put_lines(m, at_buf_cstr(&m->text), m->text.len, 0, NULL, indent, 1);
}

/* Items as a tight nested list, each text kept inside its item whatever it
 * holds. Children sit four spaces further in: CommonMark needs two, and
 * Python-Markdown (MkDocs) needs four to see the nesting. */
static void put_items(md *m, const at_items *items, size_t indent)
{
	for (size_t i = 0; i < items->n; i++) {
		const at_item *it = &items->v[i];
		at_buf_clear(&m->text);
		if (it->figure) {
			figure_md(m, &m->text, it->figure, 1);
		} else {
			inline_md(m, &m->text, it->text, 0);
			item_meta(m, &m->text, it);
		}
		put_lines(m, at_buf_cstr(&m->text), m->text.len, indent, "- ",
			  indent + 4, 0);
		if (it->note)
			item_note(m, it->note, indent + 4);
		put_items(m, &it->items, indent + 4);
	}
}

static void put_item_list(md *m, const at_items *items)
{
	if (!items->n)
		return;
	block(m);
	put_items(m, items, 0);
}

/* ---- Headings ---- */

static void heading(md *m, int level, const at_buf *text)
{
	block(m);
	for (int i = 0; i < level; i++)
		fputc('#', m->f);
	fputc(' ', m->f);
	fwrite(text->s ? text->s : "", 1, text->len, m->f);
	fputc('\n', m->f);
}

static void heading_label(md *m, int level, const char *label)
{
	at_buf_clear(&m->meta);
	esc(&m->meta, label);
	heading(m, level, &m->meta);
}

/* "Question 2 : En quoi la **recherche-action**..." */
static void question_heading(md *m, int level, const at_question *q)
{
	at_buf_clear(&m->meta);
	esc(&m->meta, m->l->question);
	at_buf_printf(&m->meta, " %zu", (size_t)(q - m->s->questions) + 1);
	at_buf_puts(&m->meta, m->colon);
	inline_md(m, &m->meta, q->title, ONE_LINE);
	heading(m, level, &m->meta);
}

/* ---- The report's parts ---- */

enum part { P_SETUP, P_BRAINSTORM, P_SUBGROUPS, P_KIT, P_SYNTHESIS, P_ANNEX,
	    P_COUNT };

static const char *part_label(const at_labels *l, int part)
{
	const char *labels[P_COUNT] = {l->setup, l->brainstorm, l->subgroups,
				       l->kit, l->synthesis, l->annex};
	return labels[part];
}

static int has_part(const at_session *s, int part)
{
	switch (part) {
	case P_BRAINSTORM:
		return s->n_brainstorms > 0;
	case P_SUBGROUPS:
		return s->n_subgroups > 0;
	case P_KIT:
		return s->n_kits > 0;
	case P_SYNTHESIS:
		return s->synthesis != NULL;
	default:
		return 1;
	}
}

/* Parts are numbered among those this session has. */
static int part_number(const at_session *s, int part)
{
	int number = 0;
	for (int p = 0; p <= part; p++)
		number += has_part(s, p);
	return number;
}

/* "2. Mise à plat des idées fortes : brainstorming" */
static void part_title(md *m, at_buf *b, int part)
{
	at_buf_printf(b, "%d. ", part_number(m->s, part));
	esc(b, part_label(m->l, part));
}

/* The anchor GitHub, GitLab and most site generators give a heading:
 * lower case, punctuation dropped, spaces as hyphens. */
static void put_slug(at_buf *b, const char *title)
{
	for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			at_buf_putc(b, (char)(*p + 32));
		else if (*p == ' ')
			at_buf_putc(b, '-');
		else if (*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
			 (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			at_buf_putc(b, (char)*p);
	}
}

static void part_heading(md *m, int part)
{
	at_buf_clear(&m->meta);
	part_title(m, &m->meta, part);
	heading(m, 2, &m->meta);
}

static void contents(md *m)
{
	at_buf_clear(&m->meta);
	at_buf_puts(&m->meta, "**");
	esc(&m->meta, m->l->contents);
	at_buf_puts(&m->meta, "**");
	put_block(m, &m->meta);
	block(m);
	for (int p = 0; p < P_COUNT; p++) {
		if (!has_part(m->s, p))
			continue;
		at_buf_clear(&m->meta);
		part_title(m, &m->meta, p);
		at_buf_clear(&m->text);
		at_buf_puts(&m->text, "- [");
		at_buf_puts(&m->text, at_buf_cstr(&m->meta));
		at_buf_puts(&m->text, "](#");
		/* The slug of the heading as read, without its escapes. */
		at_buf_clear(&m->meta);
		at_buf_printf(&m->meta, "%d. %s", part_number(m->s, p),
			      part_label(m->l, p));
		put_slug(&m->text, at_buf_cstr(&m->meta));
		at_buf_puts(&m->text, ")\n");
		fwrite(m->text.s, 1, m->text.len, m->f);
	}
}

/* ---- Title block ---- */

static void front_matter_string(at_buf *b, const char *key, const char *s)
{
	at_buf_printf(b, "%s: \"", key);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			at_buf_putc(b, '\\'), at_buf_putc(b, (char)*p);
		else if (*p == '\n')
			at_buf_puts(b, "\\n");
		else if (*p == '\t')
			at_buf_puts(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			at_buf_printf(b, "\\x%02x", *p);
		/* C1 controls (U+0085 is a YAML line break), U+2028/9, BOM. */
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			at_buf_printf(b, "\\x%02x", p[1]), p++;
		else if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			at_buf_printf(b, "\\u%04x", 0x2000 + p[2] - 0x80), p += 2;
		else if (*p == 0xef && p[1] == 0xbb && p[2] == 0xbf)
			at_buf_puts(b, "\\ufeff"), p += 2;
		else
			at_buf_putc(b, (char)*p);
	}
	at_buf_puts(b, "\"\n");
}

/* For static-site generators: the page's title, date and language. */
static void front_matter(md *m)
{
	const at_session *s = m->s;
	at_buf *b = &m->text;
	at_buf_clear(b);
	at_buf_puts(b, "---\n");
	at_buf_clear(&m->meta);
	at_md_plain(&m->meta, s->title);
	front_matter_string(b, "title", at_buf_cstr(&m->meta));
	at_buf_printf(b, "date: %04d-%02d-%02d\n", s->date.year, s->date.month,
		      s->date.day);
	if (s->place)
		front_matter_string(b, "place", s->place);
	at_buf_printf(b, "lang: %s\n", m->l->lang);
	if (s->organiser)
		front_matter_string(b, "organiser", s->organiser);
	at_buf_puts(b, "---\n");
	fwrite(b->s, 1, b->len, m->f);
	m->written = 1;
}

static void title_block(md *m)
{
	const at_session *s = m->s;
	at_buf *b = &m->meta;
	if (s->organiser) {
		at_buf_clear(b);
		esc(b, s->organiser);
		put_block(m, b);
	}
	at_buf_clear(b);
	inline_md(m, b, s->title, ONE_LINE);
	heading(m, 1, b);
	if (s->subtitle) {
		at_buf_clear(b);
		at_buf_putc(b, '*');
		esc(b, s->subtitle);
		at_buf_putc(b, '*');
		put_block(m, b);
	}
	char date[64];
	at_format_date(m->l, &s->date, date, sizeof date);
	at_buf_clear(b);
	at_buf_puts(b, "**");
	esc(b, m->l->report);
	at_buf_puts(b, "** · ");
	esc(b, m->l->workshop_of);
	at_buf_putc(b, ' ');
	esc(b, date);
	if (s->place) {
		at_buf_puts(b, " · ");
		esc(b, s->place);
	}
	put_block(m, b);
	if (s->facilitators.n) {
		at_buf_clear(b);
		put_label(m, b, m->l->facilitators);
		for (size_t i = 0; i < s->facilitators.n; i++) {
			if (i)
				at_buf_puts(b, ", ");
			esc(b, s->facilitators.v[i].s);
		}
		put_block(m, b);
	}
}

/* ---- 1. Setting up the workshop ---- */

/* "(20 min, groupes de 5 à 8 personnes)" */
static void phase_details(md *m, at_buf *b, const at_phase *p)
{
	if (!p->minutes && !p->group_size.min)
		return;
	at_buf_puts(b, " (");
	if (p->minutes)
		at_labelf(b, m->l->minutes, p->minutes);
	if (p->minutes && p->group_size.min)
		at_buf_puts(b, ", ");
	at_format_group_size(b, m->l, &p->group_size);
	at_buf_putc(b, ')');
}

/* One numbered item per phase: "**label** (details) : text". */
static void phases(md *m)
{
	const at_session *s = m->s;
	block(m);
	for (size_t i = 0; i < s->n_phases; i++) {
		const at_phase *p = &s->phases[i];
		at_buf *lead = &m->meta;
		at_buf_clear(lead);
		at_buf_puts(lead, "**");
		esc(lead, at_phase_label(m->l, p));
		at_buf_puts(lead, "**");
		phase_details(m, lead, p);
		at_buf_clear(&m->text);
		if (p->text) {
			at_buf_puts(lead, m->colon);
			block_md(m, &m->text, p->text, 3, at_buf_cstr(lead));
		} else {
			at_buf_puts(&m->text, at_buf_cstr(lead));
		}
		at_buf_clear(&m->src);
		at_buf_printf(&m->src, "%zu. ", i + 1);
		put_lines(m, at_buf_cstr(&m->text), m->text.len, 0,
			  at_buf_cstr(&m->src), m->src.len > 4 ? m->src.len : 4,
			  0);
	}
}

static void method(md *m)
{
	const at_session *s = m->s;
	if (!s->method && !s->n_phases)
		return;
	heading_label(m, 3, m->l->method);
	int ends_ordered = s->method && put_block_md(m, s->method, 3, NULL);
	if (ends_ordered) {
		/* Or the phases would continue the method's own list. */
		block(m);
		fputs("<!-- -->\n", m->f);
	}
	if (s->n_phases)
		phases(m);
}

static void put_text_list(md *m, const at_strs *texts)
{
	if (!texts->n)
		return;
	block(m);
	for (size_t i = 0; i < texts->n; i++) {
		at_buf_clear(&m->text);
		inline_md(m, &m->text, texts->v[i].s, 0);
		put_lines(m, at_buf_cstr(&m->text), m->text.len, 0, "- ", 4, 0);
	}
}

static void questions(md *m)
{
	heading_label(m, 3, m->l->questions);
	for (size_t i = 0; i < m->s->n_questions; i++) {
		const at_question *q = &m->s->questions[i];
		question_heading(m, 4, q);
		put_text_list(m, &q->prompts);
	}
}

static void table_row(md *m, at_buf *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(m->f, "| %s ", at_buf_cstr(cells[i]));
	fputs("|\n", m->f);
}

static void table_rule(md *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputs("| --- ", m->f);
	fputs("|\n", m->f);
}

/* The declared tables with who hosted them, before the plan names them. */
static void tables_list(md *m)
{
	const at_session *s = m->s;
	int any = 0;
	for (size_t i = 0; i < s->n_tables; i++)
		any |= s->tables[i].name || s->tables[i].host;
	if (!any)
		return;
	block(m);
	for (size_t i = 0; i < s->n_tables; i++) {
		const at_table *t = &s->tables[i];
		at_buf_clear(&m->text);
		at_buf_puts(&m->text, "- **");
		put_table_name(m, &m->text, t->id.s);
		at_buf_puts(&m->text, "**");
		if (t->host) {
			at_buf_puts(&m->text, ", ");
			esc(&m->text, m->l->host);
			at_buf_putc(&m->text, ' ');
			esc(&m->text, t->host);
		}
		at_buf_putc(&m->text, '\n');
		fwrite(m->text.s, 1, m->text.len, m->f);
	}
}

/* The rotation plan as a list, a line per round: past what a grid holds
 * (at_session_rotation_is_grid). */
static void rotation_list(md *m)
{
	const at_session *s = m->s;
	at_buf *line = &m->text;
	block(m);
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		at_buf_clear(line);
		esc(line, m->l->round);
		at_buf_printf(line, " %zu", r + 1);
		if (round->minutes) {
			at_buf_puts(line, " (");
			at_labelf(line, m->l->minutes, round->minutes);
			at_buf_putc(line, ')');
		}
		const char *sep = " : ";
		for (size_t c = 0; c < round->n_cells; c++) {
			const at_round_cell *rc = &round->cells[c];
			if (!rc->q)
				continue;
			at_buf_printf(line, "%s%s %zu", sep, m->l->question,
				      (size_t)(rc->q - s->questions) + 1);
			for (size_t t = 0; t < rc->tables.n; t++) {
				at_buf_puts(line, t ? ", " : " — ");
				put_table_name(m, line, rc->tables.v[t].s);
			}
			sep = " ; ";
		}
		fprintf(m->f, "- %s\n", at_buf_cstr(line));
	}
}

/* Rounds × questions; each cell lists the tables. */
static void rotation_plan(md *m)
{
	const at_session *s = m->s;
	if (!s->n_rounds)
		return;
	heading_label(m, 3, m->l->rotation_plan);
	tables_list(m);
	if (!at_session_rotation_is_grid(s)) {
		rotation_list(m);
		return;
	}
	at_buf *cell = &m->text;
	block(m);
	at_buf_clear(cell);
	esc(cell, m->l->round);
	fprintf(m->f, "| %s ", at_buf_cstr(cell));
	for (size_t q = 0; q < s->n_questions; q++)
		fprintf(m->f, "| %s %zu ", m->l->question, q + 1);
	fputs("|\n", m->f);
	table_rule(m, s->n_questions + 1);
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		at_buf_clear(cell);
		esc(cell, m->l->round);
		at_buf_printf(cell, " %zu", r + 1);
		if (round->minutes) {
			at_buf_puts(cell, " (");
			at_labelf(cell, m->l->minutes, round->minutes);
			at_buf_putc(cell, ')');
		}
		fprintf(m->f, "| %s ", at_buf_cstr(cell));
		for (size_t q = 0; q < s->n_questions; q++) {
			at_buf_clear(cell);
			for (size_t c = 0; c < round->n_cells; c++) {
				const at_round_cell *rc = &round->cells[c];
				if (rc->q != &s->questions[q])
					continue;
				for (size_t t = 0; t < rc->tables.n; t++) {
					if (cell->len)
						at_buf_puts(cell, ", ");
					put_table_name(m, cell, rc->tables.v[t].s);
				}
			}
			fprintf(m->f, "| %s ", at_buf_cstr(cell));
		}
		fputs("|\n", m->f);
	}
}

static void setup(md *m)
{
	const at_session *s = m->s;
	part_heading(m, P_SETUP);
	if (s->context || s->figures.n) {
		heading_label(m, 3, m->l->context);
		if (s->context)
			put_block_md(m, s->context, 3, NULL);
		put_figures(m, &s->figures);
	}
	/* The order of the HTML report: the questions, then how the workshop
	 * ran with them. */
	questions(m);
	method(m);
	rotation_plan(m);
}

/* ---- 2. Brainstorm ---- */

static void brainstorm(md *m)
{
	part_heading(m, P_BRAINSTORM);
	for (size_t i = 0; i < m->s->n_questions; i++) {
		const at_question *q = &m->s->questions[i];
		if (!q->brainstorm)
			continue;
		question_heading(m, 3, q);
		put_item_list(m, &q->brainstorm->items);
	}
}

/* ---- 3. Sub-groups ---- */

/* "**Consigne** (groupes de 4 à 5 personnes) : L'objectif était..." */
static void brief(md *m, const at_subgroup_work *w)
{
	if (!w->brief && !w->group_size.min)
		return;
	at_buf *lead = &m->meta;
	at_buf_clear(lead);
	at_buf_puts(lead, "**");
	esc(lead, m->l->brief);
	at_buf_puts(lead, "**");
	if (w->group_size.min) {
		at_buf_puts(lead, " (");
		at_format_group_size(lead, m->l, &w->group_size);
		at_buf_putc(lead, ')');
	}
	if (w->brief) {
		at_buf_puts(lead, m->colon);
		put_block_md(m, w->brief, 3, at_buf_cstr(lead));
	} else {
		put_block(m, lead);
	}
}

/* "*5 personnes · Membres : Jeanne Martin, Paul Durand*" */
static void group_details(md *m, const at_group *g)
{
	if (!g->size && !g->members.n)
		return;
	at_buf *b = &m->meta;
	at_buf_clear(b);
	at_buf_putc(b, '*');
	if (g->size)
		at_labelf(b, m->l->size, g->size);
	if (g->size && g->members.n)
		at_buf_puts(b, " · ");
	if (g->members.n) {
		put_label(m, b, m->l->members);
		put_names(m, b, &g->members);
	}
	at_buf_putc(b, '*');
	put_block(m, b);
}

static void group(md *m, const at_group *g)
{
	at_buf *b = &m->meta;
	at_buf_clear(b);
	esc(b, at_group_label(g));
	if (g->name && g->theme) {
		at_buf_puts(b, m->colon);
		esc(b, g->theme);
	}
	heading(m, 4, b);
	group_details(m, g);
	for (size_t k = 0; k < g->n_sections; k++) {
		const at_section *sec = &g->sections[k];
		at_buf_clear(b);
		at_buf_puts(b, "**");
		esc(b, at_section_label(m->l, sec));
		at_buf_puts(b, "**");
		put_block(m, b);
		put_item_list(m, &sec->items);
	}
	put_figures(m, &g->figures);
}

static void subgroups(md *m)
{
	part_heading(m, P_SUBGROUPS);
	for (size_t i = 0; i < m->s->n_questions; i++) {
		const at_question *q = &m->s->questions[i];
		const at_subgroup_work *w = q->subgroups;
		if (!w)
			continue;
		question_heading(m, 3, q);
		brief(m, w);
		for (size_t g = 0; g < w->n_groups; g++)
			group(m, &w->groups[g]);
	}
}

/* ---- 4. The kit ---- */

/* Whether a title ends in its own punctuation ("Comment faire autrement ?"),
 * which then needs no colon after it. */
static int ends_in_mark(const char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '*' || s[n - 1] == '_'))
		n--;
	if (n >= 3 && memcmp(s + n - 3, "\xe2\x80\xa6", 3) == 0) /* … */
		return 1;
	return n && strchr("?!:.", s[n - 1]);
}

static void append_inline(md *m, cmark_node *to, const char *text, int flags)
{
	cmark_node *para;
	cmark_node *doc = inline_doc(m, text, flags, &para);
	move_children(to, para);
	cmark_node_free(doc);
}

/* "**Temps 1 : Etat des lieux de vos pratiques** : Est-ce que...": step,
 * title and prompt in one run, as the kit handed to the groups read. */
static void kit_step_paragraph(md *m, const at_kit_step *st)
{
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node_append_child(doc, para);
	const char *last = NULL;
	if (st->step || st->title) {
		cmark_node *strong = cmark_node_new(CMARK_NODE_STRONG);
		cmark_node_append_child(para, strong);
		if (st->step)
			cmark_node_append_child(strong, new_node(CMARK_NODE_TEXT, st->step));
		if (st->step && st->title)
			cmark_node_append_child(strong, new_node(CMARK_NODE_TEXT, m->colon));
		if (st->title)
			append_inline(m, strong, st->title, NO_STRONG);
		last = st->title ? st->title : st->step;
	}
	if (st->prompt) {
		if (last)
			cmark_node_append_child(
				para, new_node(CMARK_NODE_TEXT,
					       ends_in_mark(last) ? " " : m->colon));
		append_inline(m, para, st->prompt, 0);
	}
	at_buf_clear(&m->text);
	render(m, doc, &m->text);
	cmark_node_free(doc);
	if (m->text.len)
		put_block(m, &m->text);
}

/* "*attendu : Les freins de 3 à 5*" */
static void kit_expect(md *m, const at_kit_step *st)
{
	if (!st->n_expect)
		return;
	at_buf *b = &m->meta;
	at_buf_clear(b);
	at_buf_putc(b, '*');
	for (size_t i = 0; i < st->n_expect; i++) {
		const at_expect *e = &st->expect[i];
		if (i)
			at_buf_puts(b, " · ");
		at_buf_clear(&m->src);
		esc(&m->src, e->def ? at_section_def_label(m->l, e->def)
				    : e->section.s);
		at_labelf(b, m->l->expect, at_buf_cstr(&m->src),
			      e->range.min, e->range.max);
	}
	at_buf_putc(b, '*');
	put_block(m, b);
}

static void kit(md *m)
{
	part_heading(m, P_KIT);
	for (size_t i = 0; i < m->s->n_questions; i++) {
		const at_question *q = &m->s->questions[i];
		if (!q->kit)
			continue;
		question_heading(m, 3, q);
		for (size_t k = 0; k < q->kit->n_steps; k++) {
			const at_kit_step *st = &q->kit->steps[k];
			kit_step_paragraph(m, st);
			put_item_list(m, &st->asks);
			kit_expect(m, st);
		}
	}
}

/* ---- 5. Synthesis, annex, footer ---- */

static void synthesis(md *m)
{
	part_heading(m, P_SYNTHESIS);
	put_block_md(m, m->s->synthesis, 2, NULL);
}

static void participants_table(md *m)
{
	const at_session *s = m->s;
	int has_org = 0, has_role = 0;
	for (size_t i = 0; i < s->n_participants; i++) {
		has_org |= s->participants[i].organisation != NULL;
		has_role |= s->participants[i].role != NULL;
	}
	at_buf cells[3];
	at_buf *row[3];
	for (int i = 0; i < 3; i++)
		at_buf_init(&cells[i]), row[i] = &cells[i];
	size_t n = 1;
	esc(&cells[0], m->l->name);
	if (has_org)
		esc(&cells[n++], m->l->organisation);
	if (has_role)
		esc(&cells[n++], m->l->role);
	block(m);
	table_row(m, row, n);
	table_rule(m, n);
	for (size_t i = 0; i < s->n_participants; i++) {
		const at_participant *p = &s->participants[i];
		for (int c = 0; c < 3; c++)
			at_buf_clear(&cells[c]);
		esc(&cells[0], p->name);
		n = 1;
		if (has_org)
			esc(&cells[n++], p->organisation ? p->organisation : "");
		if (has_role)
			esc(&cells[n++], p->role ? p->role : "");
		table_row(m, row, n);
	}
	for (int i = 0; i < 3; i++)
		m->oom |= cells[i].oom, at_buf_free(&cells[i]);
}

static void annex(md *m)
{
	const at_session *s = m->s;
	part_heading(m, P_ANNEX);
	at_buf *b = &m->meta;
	if (s->attendance) {
		at_buf_clear(b);
		at_labelf(b, m->l->participants_count, s->attendance);
		put_block(m, b);
	}
	if (s->n_participants)
		participants_table(m);
	if (!s->attendance && !s->n_participants) {
		at_buf_clear(b);
		esc(b, m->l->no_list);
		put_block(m, b);
	}
}

static void footer(md *m)
{
	block(m);
	fputs("---\n", m->f);
	at_buf_clear(&m->meta);
	at_labelf(&m->meta, m->l->generated, ATELIER_VERSION);
	at_buf_clear(&m->text);
	at_buf_putc(&m->text, '*');
	esc(&m->text, at_buf_cstr(&m->meta));
	at_buf_putc(&m->text, '*');
	put_block(m, &m->text);
}

static void report(md *m)
{
	if (m->o->front_matter)
		front_matter(m);
	title_block(m);
	contents(m);
	setup(m);
	if (has_part(m->s, P_BRAINSTORM))
		brainstorm(m);
	if (has_part(m->s, P_SUBGROUPS))
		subgroups(m);
	if (has_part(m->s, P_KIT))
		kit(m);
	if (has_part(m->s, P_SYNTHESIS))
		synthesis(m);
	annex(m);
	footer(m);
}

static at_status emit_md(const at_session *s, FILE *out,
			 const at_emit_options *o, at_diags *d)
{
	(void)d;
	md m = {.f = out, .s = s, .o = o, .l = at_labels_for(o->lang)};
	m.colon = m.l->colon;
	at_buf_init(&m.text);
	at_buf_init(&m.src);
	at_buf_init(&m.line);
	at_buf_init(&m.meta);
	report(&m);
	m.oom |= m.text.oom | m.src.oom | m.line.oom | m.meta.oom;
	at_buf_free(&m.text);
	at_buf_free(&m.src);
	at_buf_free(&m.line);
	at_buf_free(&m.meta);
	free(m.found.v);
	if (m.oom)
		return AT_ENOMEM;
	return ferror(out) ? AT_EIO : AT_OK;
}

const at_emitter at_emit_md = {
	.name = "md",
	.ext = "md",
	.description = "Markdown compte-rendu (CommonMark)",
	.flags = AT_EMITTER_DOCUMENT | AT_EMITTER_INDEXED |
		 AT_EMITTER_FIGURE_FILES | AT_EMITTER_FORGE_PAGE,
	.emit = emit_md,
};
