/* text.c: the text layer's parsing (one parser configuration, inline
 * texts kept to one paragraph, the link policy applied once), its HTML
 * and plain-text renderings, the escapers and the link policy. Markdown
 * rendering is in text_md.c, styled runs in text_runs.c. */
#include "text_impl.h"

#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

#include "imagetype.h"
#include "utf8.h"

/* ---- Nodes ---- */

void at_node_list_push(at_node_list *l, cmark_node *n)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		cmark_node **v = realloc(l->v, cap * sizeof(cmark_node *));
		if (!v) {
			l->oom = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = n;
}

void at_node_list_free(at_node_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

at_ext_type at_ext_type_of(cmark_node *n)
{
	if (!cmark_node_get_syntax_extension(n))
		return AT_X_NONE;
	static const struct {
		const char *name;
		at_ext_type type;
	} names[] = {{"strikethrough", AT_X_STRIKE}, {"table", AT_X_TABLE},
		     {"table_row", AT_X_ROW}, {"table_header", AT_X_HEADER},
		     {"table_cell", AT_X_CELL}};
	const char *s = cmark_node_get_type_string(n);
	for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].type;
	return AT_X_NONE;
}

void at_own_literals(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			/* Copies a borrowed literal (cmark_chunk_to_cstr). */
			(void)cmark_node_get_literal(cmark_iter_get_node(it));
	cmark_iter_free(it);
}

cmark_node *at_new_node(cmark_node_type t, const char *literal)
{
	cmark_node *n = cmark_node_new(t);
	if (n && literal)
		cmark_node_set_literal(n, literal);
	return n;
}

static void place(cmark_node *n, cmark_node *parent, cmark_node *before)
{
	if (before)
		cmark_node_insert_before(before, n);
	else
		cmark_node_append_child(parent, n);
}

void at_place_lines(at_buf *scratch, const char *lit, cmark_node_type t,
		    cmark_node *parent, cmark_node *before, int one_line)
{
	size_t len = strlen(lit);
	while (len && lit[len - 1] == '\n')
		len--;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && lit[j] != '\n')
			j++;
		at_buf_clear(scratch);
		at_buf_put(scratch, lit + i, j - i);
		if (i)
			place(one_line ? at_new_node(CMARK_NODE_TEXT, " ")
				       : at_new_node(CMARK_NODE_SOFTBREAK, NULL),
			      parent, before);
		place(at_new_node(t, at_buf_cstr(scratch)), parent, before);
		i = j + 1;
	}
}

int at_link_text_is_url(const char *text, size_t len, const char *url)
{
	static const char *const hidden[] = {"", "http://", "mailto:"};
	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		size_t h = strlen(hidden[i]);
		if (strncmp(url, hidden[i], h) == 0 && strlen(url + h) == len &&
		    memcmp(url + h, text, len) == 0)
			return 1;
	}
	return 0;
}

/* ---- Inline texts: one paragraph ---- */

static int blank(unsigned char c)
{
	return !c || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int wordc(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') ||
	       ((c | 32) >= 'a' && (c | 32) <= 'z');
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

/* Whether q..e holds only c, blanks after it: a setext underline. */
static int only(const char *q, const char *e, char c)
{
	while (q < e && *q == c)
		q++;
	while (q < e && (*q == ' ' || *q == '\t'))
		q++;
	return q == e;
}

/* The one rule for what opens a block at the start of a line (q..e, no
 * leading blanks): a heading, quote, list item, rule, setext underline,
 * fence, or (first line) a link reference definition. Returns the offset
 * + 1 of the character a backslash keeps as text, 0 when the line opens
 * none. */
static size_t block_mark(const char *q, const char *e, int first)
{
	const char *d = q;
	while (d < e && *d >= '0' && *d <= '9' && d - q < 9)
		d++;
	if (d != q)
		return d < e && (*d == '.' || *d == ')') &&
		       (d + 1 == e || blank((unsigned char)d[1]))
			       ? (size_t)(d - q) + 1
			       : 0;
	char c = q < e ? *q : '\0', next = q + 1 < e ? q[1] : '\0';
	if (c == '#') {
		for (d = q; d < e && *d == '#'; d++)
			;
		return d - q <= 6 && (d == e || blank((unsigned char)*d));
	}
	if (c == '>')
		return 1;
	if (c && strchr("-+*_=", c))
		return blank((unsigned char)next) || is_rule_line(q, e) ||
		       only(q, e, c);
	if ((c == '`' || c == '~') && e - q >= 3 && q[1] == c && q[2] == c)
		return 1;
	return first && c == '[' && has_pair(q, e, ']', ':');
}

/* One line of an inline text, with whatever would open a block at its
 * start escaped. */
static void prepare_line(at_buf *b, const char *q, const char *e, int first)
{
	size_t k = block_mark(q, e, first);
	if (k) {
		at_buf_put(b, q, k - 1);
		at_buf_putc(b, '\\');
		q += k - 1;
	}
	at_buf_put(b, q, (size_t)(e - q));
}

/* An inline text as cmark must read it, as one paragraph: each line's
 * leading blanks and the blank lines removed, block marks escaped. */
static void prepare_inline(at_buf *b, const char *s)
{
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

/* What escaping could not keep out (an HTML block, a fenced code block)
 * folded into the document's one paragraph, in reading order. */
static int flatten(cmark_node *doc)
{
	cmark_node *first = cmark_node_first_child(doc);
	if (!first || (!cmark_node_next(first) &&
		       cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH))
		return 0;
	at_node_list found = {0};
	at_buf scratch;
	at_buf_init(&scratch);
	at_own_literals(doc);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER &&
		    is_leaf_block(cmark_node_get_type(cmark_iter_get_node(it))))
			at_node_list_push(&found, cmark_iter_get_node(it));
	cmark_iter_free(it);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	for (size_t i = 0; i < found.n; i++) {
		cmark_node *n = found.v[i], *c;
		if (cmark_node_first_child(para))
			cmark_node_append_child(para, at_new_node(CMARK_NODE_SOFTBREAK, NULL));
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
			at_place_lines(&scratch, cmark_node_get_literal(n),
				       t == CMARK_NODE_CODE_BLOCK ? CMARK_NODE_CODE
								  : CMARK_NODE_HTML_INLINE,
				       para, NULL, 0);
		else
			while ((c = cmark_node_first_child(n)))
				cmark_node_append_child(para, c);
	}
	while ((first = cmark_node_first_child(doc)))
		cmark_node_free(first);
	cmark_node_append_child(doc, para);
	int oom = found.oom || scratch.oom;
	at_node_list_free(&found);
	at_buf_free(&scratch);
	return oom ? -1 : 0;
}

/* ---- Parsing ---- */

static cmark_node *parse(const char *md, size_t len, at_text_kind kind)
{
	/* Registers the extensions once per process (a static flag). */
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!p)
		return NULL;
	/* Tables are blocks: an inline text does not read them. */
	static const char *const ext[] = {"strikethrough", "autolink", "table"};
	size_t n = kind == AT_TEXT_BLOCK ? 3 : 2;
	for (size_t i = 0; i < n; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(ext[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, md, len);
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

/* The one link policy, applied once: a refused link keeps its text and
 * loses its target, which every renderer then treats as no link. */
static void apply_link_policy(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER &&
		    (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
			const char *url = cmark_node_get_url(n);
			if (url && *url && at_url_dangerous(url))
				cmark_node_set_url(n, "");
		}
	}
	cmark_iter_free(it);
}

at_text *at_text_parse(const char *md, at_text_kind kind)
{
	at_text *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->kind = kind;
	if (kind == AT_TEXT_INLINE) {
		at_buf src;
		at_buf_init(&src);
		prepare_inline(&src, md);
		t->doc = src.oom ? NULL : parse(at_buf_cstr(&src), src.len, kind);
		at_buf_free(&src);
		if (t->doc && flatten(t->doc)) {
			at_text_free(t);
			return NULL;
		}
	} else {
		t->doc = parse(md, strlen(md), kind);
	}
	if (!t->doc) {
		free(t);
		return NULL;
	}
	apply_link_policy(t->doc);
	return t;
}

void at_text_free(at_text *t)
{
	if (!t)
		return;
	if (t->doc)
		cmark_node_free(t->doc);
	free(t);
}

/* ---- HTML ---- */

int at_text_html(const at_text *t, at_buf *out)
{
	char *html = cmark_render_html(t->doc, CMARK_OPT_DEFAULT, NULL);
	if (!html)
		return -1;
	size_t len = strlen(html);
	const char *p = html;
	/* One paragraph and nothing else: keep its content only. */
	if (t->kind == AT_TEXT_INLINE && len >= 8 &&
	    strncmp(p, "<p>", 3) == 0 && strcmp(p + len - 5, "</p>\n") == 0 &&
	    !strstr(p + 3, "<p>")) {
		p += 3;
		len -= 8;
	} else {
		while (len && p[len - 1] == '\n')
			len--;
	}
	at_buf_put(out, p, len);
	free(html);
	return out->oom ? -1 : 0;
}

int at_md_as_is(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p || *p == ' ' || strchr("-+=", *p) || (*p >= '0' && *p <= '9'))
		return 0;
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || strchr("\\`*_[]<>#!&|~", *p))
			return 0;
	return p[-1] != ' ';
}

/* Whether an inline text's HTML is its own characters: a plain sentence
 * (at_md_as_is) with nothing the HTML escapes (") and no autolink (a
 * scheme's ':', an address's '@', "www."). */
static int html_as_is(const char *s)
{
	return at_md_as_is(s) && !strpbrk(s, "\":@") && !strstr(s, "www.");
}

int at_md_html(at_buf *out, const char *md, int inline_only)
{
	if (inline_only && html_as_is(md)) {
		at_buf_puts(out, md);
		return out->oom ? -1 : 0;
	}
	at_text *t = at_text_parse(md, inline_only ? AT_TEXT_INLINE
						   : AT_TEXT_BLOCK);
	int r = t ? at_text_html(t, out) : -1;
	at_text_free(t);
	return r;
}

/* ---- Plain text ---- */

static int is_block(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
		return 1;
	default:
		return at_ext_type_of(n) == AT_X_ROW ||
		       at_ext_type_of(n) == AT_X_HEADER;
	}
}

typedef struct plain {
	at_buf *out;
	size_t begin;
	size_t link_start[64];
	int depth;
} plain;

static void plain_enter(plain *p, cmark_node *n)
{
	at_buf *out = p->out;
	if (is_block(n) && out->len > p->begin && out->s[out->len - 1] != '\n')
		at_buf_putc(out, '\n');
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
		/* Entities decode to any character (&#1;). */
		at_text_for_xml(out, cmark_node_get_literal(n));
		break;
	case CMARK_NODE_SOFTBREAK:
		at_buf_putc(out, ' ');
		break;
	case CMARK_NODE_LINEBREAK:
		at_buf_putc(out, '\n');
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		if (p->depth < 64)
			p->link_start[p->depth] = out->len;
		p->depth++;
		break;
	default:
		if (at_ext_type_of(n) == AT_X_CELL && cmark_node_previous(n))
			at_buf_puts(out, " | ");
		break;
	}
}

static void plain_exit_link(plain *p, cmark_node *n)
{
	at_buf *out = p->out;
	p->depth--;
	const char *url = cmark_node_get_url(n);
	if (!url || !*url)
		return;
	if (p->depth >= 64) {
		at_buf_puts(out, " (");
		at_text_for_xml(out, url);
		at_buf_puts(out, ")");
		return;
	}
	size_t start = p->link_start[p->depth];
	if (at_link_text_is_url(out->s + start, out->len - start, url))
		return;
	int bare = out->len == start;
	at_buf_puts(out, bare ? "" : " (");
	at_text_for_xml(out, url);
	at_buf_puts(out, bare ? "" : ")");
}

int at_text_plain(const at_text *t, at_buf *out)
{
	plain p = {.out = out, .begin = out->len};
	cmark_iter *it = cmark_iter_new(t->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER)
			plain_enter(&p, n);
		else if (ev == CMARK_EVENT_EXIT && p.depth > 0 &&
			 (ty == CMARK_NODE_LINK || ty == CMARK_NODE_IMAGE))
			plain_exit_link(&p, n);
	}
	cmark_iter_free(it);
	while (out->len > p.begin && out->s[out->len - 1] == '\n')
		out->len--, out->s[out->len] = '\0';
	return out->oom ? -1 : 0;
}

static int md_plain(at_buf *out, const char *md, at_text_kind kind)
{
	at_text *t = at_text_parse(md, kind);
	int r = t ? at_text_plain(t, out) : -1;
	at_text_free(t);
	return r;
}

int at_md_plain(at_buf *out, const char *md)
{
	return md_plain(out, md, AT_TEXT_BLOCK);
}

int at_md_plain_inline(at_buf *out, const char *md)
{
	return md_plain(out, md, AT_TEXT_INLINE);
}

/* ---- Escapers ---- */

void at_html_escape(at_buf *out, const char *s, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* '"' is 0x22, '&' 0x26, '<' 0x3C, '>' 0x3E: one test skips the
		 * rest. */
		if (c > '>' || (c != '&' && c != '<' && c != '>' && c != '"'))
			continue;
		at_buf_put(out, s + run, i - run);
		at_buf_puts(out, c == '&'   ? "&amp;"
				 : c == '<' ? "&lt;"
				 : c == '>' ? "&gt;"
					    : "&quot;");
		run = i + 1;
	}
	at_buf_put(out, s + run, len - run);
}

/* Whether the character at p, inside s (one line), could be read as
 * inline markup: a code span, a link, raw HTML or an autolink, an entity,
 * an escape, emphasis or strikethrough (unless between two blanks, or
 * '_' inside a word), a pipe table's cell border, a heading's closing
 * '#'s. */
static int md_inline_mark(const char *s, const char *p)
{
	unsigned char a = p > s ? (unsigned char)p[-1] : ' ';
	unsigned char b = (unsigned char)p[1];
	switch (*p) {
	case '`': case '[': case ']': case '|':
		return 1;
	case '\\':
		return !p[1] || (strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
					p[1]) != NULL);
	case '*': case '~':
		return !(blank(a) && blank(b));
	case '_':
		return !(blank(a) && blank(b)) && !(wordc(a) && wordc(b));
	case '<':
		return b == '/' || b == '!' || b == '?' ||
		       ((b | 32) >= 'a' && (b | 32) <= 'z');
	case '&': { /* an entity: &name; &#123; &#x1F; */
		const char *q = p + 1 + (b == '#');
		const char *w = q;
		while (*q && (unsigned char)*q < 0x80 && wordc((unsigned char)*q))
			q++;
		return q > w && *q == ';';
	}
	case '#':
		if (p == s || p[-1] != ' ')
			return 0;
		for (const char *q = p; *q; q++)
			if (*q != '#' && *q != ' ')
				return 0;
		return 1;
	default:
		return 0;
	}
}

void at_md_escape(at_buf *out, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t begin = out->len;
	size_t lead = block_mark(s, s + strlen(s), 1);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		else if (c < 0x20 || c == 0x7f)
			continue;
		else if ((lead && p == s + lead - 1) || md_inline_mark(s, p))
			at_buf_putc(out, '\\');
		at_buf_putc(out, (char)c);
	}
	while (out->len > begin &&
	       (out->s[out->len - 1] == ' ' || out->s[out->len - 1] == '\t'))
		out->s[--out->len] = '\0';
}

size_t at_xml_ok_prefix(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		if (b >= 0x20 && b < 0x80) {
			i++;
			continue;
		}
		size_t n = b < 0x80 ? 1 : at_utf8_valid_len(s + i, len - i);
		uint32_t c = n ? at_utf8_decode(s + i, n) : 0;
		if (!n || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0xFFFE || c == 0xFFFF)
			return i;
		i += n;
	}
	return len;
}

int at_text_for_xml(at_buf *out, const char *s)
{
	size_t len = strlen(s), i = 0;
	/* Copied in runs: only a character XML refuses breaks one. */
	while (i < len) {
		size_t ok = at_xml_ok_prefix(s + i, len - i);
		at_buf_put(out, s + i, ok);
		i += ok;
		if (i < len) {
			size_t n = at_utf8_valid_len(s + i, len - i);
			at_buf_puts(out, "\xEF\xBF\xBD");
			i += n ? n : 1;
		}
	}
	return out->oom ? -1 : 0;
}

/* ---- the link policy ---- */

/* url with its entities decoded, the way cmark reads a link destination
 * written <url> (\ < > escaped, spaces and controls percent-encoded, as
 * put_url in emit_md.c writes them); NULL when cmark sees no link. */
static char *entities_decoded(const char *url)
{
	at_buf md;
	at_buf_init(&md);
	at_buf_puts(&md, "[x](<");
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			at_buf_printf(&md, "%%%02X", *p);
		else if (strchr("<>\\", *p))
			at_buf_putc(&md, '\\'), at_buf_putc(&md, (char)*p);
		else
			at_buf_putc(&md, (char)*p);
	}
	at_buf_puts(&md, ">)");
	char *r = NULL;
	cmark_node *doc = md.oom ? NULL
				 : cmark_parse_document(md.s, md.len,
							CMARK_OPT_DEFAULT);
	cmark_node *para = doc ? cmark_node_first_child(doc) : NULL;
	cmark_node *link = para ? cmark_node_first_child(para) : NULL;
	if (link && cmark_node_get_type(link) == CMARK_NODE_LINK)
		r = strdup(cmark_node_get_url(link));
	if (doc)
		cmark_node_free(doc);
	at_buf_free(&md);
	return r;
}

static int hex(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Decodes %XX in place. */
static void percent_decode(char *s)
{
	char *o = s;
	for (const char *p = s; *p; p++) {
		if (p[0] == '%' && hex(p[1]) >= 0 && hex(p[2]) >= 0) {
			*o++ = (char)(hex(p[1]) * 16 + hex(p[2]));
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

/* Whether a decoded URL starts with a forbidden scheme. */
static int bad_scheme(const char *url)
{
	char head[24];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)url;
	     *p && n < sizeof head - 1; p++)
		if (*p > ' ' && *p != 0x7f)
			head[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	head[n] = '\0';
	static const char *const bad[] = {"javascript:", "vbscript:", "file:"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strncmp(head, bad[i], strlen(bad[i])) == 0)
			return 1;
	if (strncmp(head, "data:", 5) != 0)
		return 0;
	return !at_image_mime_is_raster(head + 5);
}

int at_url_dangerous(const char *url)
{
	if (bad_scheme(url))
		return 1;
	/* Each layer a reader decodes: a few rounds reach what any chain of
	 * renderer and browser sees; one that still changes is refused. */
	char *u = strdup(url);
	for (int round = 0; u && round < 4; round++) {
		char *d = entities_decoded(u);
		if (d)
			percent_decode(d);
		int same = d && strcmp(d, u) == 0;
		free(u);
		u = d;
		int bad = !u || bad_scheme(u);
		if (bad || same) {
			free(u);
			return bad;
		}
	}
	free(u);
	return 1;
}
