/* md_text.c: the session's Markdown texts made safe to stand inside the
 * Markdown compte-rendu (md_text.h). */
#include "md_text.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Link destinations: what cmark could misread is escaped, spaces and
 * control characters percent-encoded. */
void at_mdt_url(at_buf *b, const char *url)
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

static void found_push(at_mdt *m, cmark_node *n)
{
	at_mdt_nodes *l = &m->found;
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

cmark_node *at_mdt_node(cmark_node_type t, const char *literal)
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
static void place_lines(at_mdt *m, const char *lit, cmark_node_type t,
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
			place(one_line ? at_mdt_node(CMARK_NODE_TEXT, " ")
				       : at_mdt_node(CMARK_NODE_SOFTBREAK, NULL),
			      parent, before);
		place(at_mdt_node(t, at_buf_cstr(&m->src)), parent, before);
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


/* What a collected node becomes. Raw HTML turns into the text it is, which
 * the renderer then escapes, unless --unsafe; a hard break is written as a
 * backslash (raw, so never escaped) rather than cmark's trailing spaces. */
static void fix_node(at_mdt *m, cmark_node *n, int flags, int demote)
{
	int one_line = flags & AT_MDT_ONE_LINE;
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
			replace(n, at_mdt_node(CMARK_NODE_TEXT, " "));
			break;
		}
		cmark_node_insert_before(n, at_mdt_node(CMARK_NODE_HTML_INLINE, "\\"));
		replace(n, at_mdt_node(CMARK_NODE_SOFTBREAK, NULL));
		break;
	case CMARK_NODE_SOFTBREAK:
		replace(n, at_mdt_node(CMARK_NODE_TEXT, " "));
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

static int needs_fix(at_mdt *m, cmark_node *n, int flags, int demote)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_HTML_BLOCK:
		return !m->unsafe;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		return at_url_dangerous(cmark_node_get_url(n));
	case CMARK_NODE_STRONG:
		return flags & AT_MDT_NO_STRONG;
	case CMARK_NODE_EMPH:
		return flags & AT_MDT_NO_EMPH;
	case CMARK_NODE_LINEBREAK:
		return 1;
	case CMARK_NODE_SOFTBREAK:
		return flags & AT_MDT_ONE_LINE;
	case CMARK_NODE_HEADING:
		return demote > 0;
	default:
		return 0;
	}
}

/* Makes a parsed text safe to write inside the report (see fix_node). */
static void sanitize(at_mdt *m, cmark_node *root, int flags, int demote)
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

void at_mdt_move_children(cmark_node *to, cmark_node *from)
{
	cmark_node *c;
	while ((c = cmark_node_first_child(from)))
		cmark_node_append_child(to, c);
}

/* What escaping could not keep out (an HTML block, a fenced code block)
 * folded into the document's one paragraph, in reading order. */
static cmark_node *flatten(at_mdt *m, cmark_node *doc)
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
			cmark_node_append_child(para, at_mdt_node(CMARK_NODE_SOFTBREAK, NULL));
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
			place_lines(m, cmark_node_get_literal(n),
				    t == CMARK_NODE_CODE_BLOCK ? CMARK_NODE_CODE
							       : CMARK_NODE_HTML_INLINE,
				    para, NULL, 0);
		else
			at_mdt_move_children(para, n);
	}
	while ((first = cmark_node_first_child(doc)))
		cmark_node_free(first);
	cmark_node_append_child(doc, para);
	return para;
}

/* Parses an inline text into a document holding exactly one paragraph,
 * made safe. */
cmark_node *at_mdt_inline_doc(at_mdt *m, const char *text, int flags,
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
void at_mdt_render(at_mdt *m, cmark_node *doc, at_buf *out)
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
void at_mdt_inline(at_mdt *m, at_buf *out, const char *text, int flags)
{
	if (is_plain(text)) {
		at_buf_puts(out, text);
		return;
	}
	cmark_node *para;
	cmark_node *doc = at_mdt_inline_doc(m, text, flags, &para);
	at_mdt_render(m, doc, out);
	cmark_node_free(doc);
}

/* Appends a block text (context, brief, note...) with its headings sunk
 * `demote` levels, and lead (Markdown written here) at the start of its
 * first paragraph. Returns whether it ends with a "1." list, which a list
 * written right after it would continue. */
int at_mdt_block(at_mdt *m, at_buf *out, const char *text, int demote,
		    const char *lead)
{
	cmark_node *doc = cmark_parse_document(text, strlen(text),
					       CMARK_OPT_DEFAULT);
	sanitize(m, doc, 0, demote);
	if (lead) {
		cmark_node *first = cmark_node_first_child(doc);
		cmark_node *raw = at_mdt_node(CMARK_NODE_HTML_INLINE, lead);
		if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
			cmark_node_prepend_child(first, raw);
		} else {
			cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(p, raw);
			place(p, doc, first);
		}
	}
	at_mdt_render(m, doc, out);
	cmark_node *last = cmark_node_last_child(doc);
	int ends_ordered = last && cmark_node_get_type(last) == CMARK_NODE_LIST &&
			   cmark_node_get_list_type(last) == CMARK_ORDERED_LIST &&
			   cmark_node_get_list_delim(last) == CMARK_PERIOD_DELIM;
	cmark_node_free(doc);
	return ends_ordered;
}

/* The figure's image and its caption in italics: in a paragraph of its
 * own, or, inside a list item, on the next line (a hard break there would
 * make Python-Markdown show a stray backslash, and a second paragraph
 * would loosen the list). */
void at_mdt_figure(at_mdt *m, at_buf *out, const char *url, const char *alt,
		   const char *caption, int in_list)
{
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node_append_child(doc, para);
	cmark_node *img = cmark_node_new(CMARK_NODE_IMAGE);
	cmark_node_set_url(img, url);
	cmark_node_append_child(img, at_mdt_node(CMARK_NODE_TEXT, alt));
	cmark_node_append_child(para, img);
	if (caption) {
		cmark_node *cap_para;
		cmark_node *cap = at_mdt_inline_doc(m, caption, AT_MDT_NO_EMPH,
						    &cap_para);
		cmark_node *emph = cmark_node_new(CMARK_NODE_EMPH);
		at_mdt_move_children(emph, cap_para);
		cmark_node_free(cap);
		if (in_list) {
			cmark_node_append_child(
				para, at_mdt_node(CMARK_NODE_SOFTBREAK, NULL));
		} else {
			para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(doc, para);
		}
		cmark_node_append_child(para, emph);
	}
	at_mdt_render(m, doc, out);
	cmark_node_free(doc);
}

void at_mdt_yaml_string(at_buf *b, const char *key, const char *s)
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

void at_mdt_init(at_mdt *m, int unsafe)
{
	memset(m, 0, sizeof *m);
	m->unsafe = unsafe;
	at_buf_init(&m->src);
}

void at_mdt_free(at_mdt *m)
{
	m->oom |= m->src.oom;
	at_buf_free(&m->src);
	free(m->found.v);
}
