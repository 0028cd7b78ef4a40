/* load_syntax.c: libyaml's syntax errors explained: its messages name
 * parser states; a facilitator gets the likely cause (a quote, a missing
 * colon, a tab ...) at the place to fix, and the fix. */
#include "load_int.h"

#include <string.h>

#include "buf.h"
#include "i18n.h"

/* libyaml's syntax messages name parser states ("while parsing a block
 * mapping"); a facilitator needs the likely cause and its fix. Each hint
 * matches libyaml's problem (and context, when given) as a prefix. */
typedef struct hint {
	const char *problem;
	const char *context;
	const char *text;
	int at_context; /* report at the context mark: where it started */
} hint;

#define TAB_HINT \
	N_("tab character in the indentation: indent with spaces only")

static const hint tab_hint = {"", NULL, TAB_HINT, 0};

static const hint hints[] = {
	{"found unexpected end of stream", "while scanning a quoted scalar",
	 N_("unclosed quote: this text has no closing quote"), 1},
	{"found unexpected document indicator", "while scanning a quoted",
	 N_("unclosed quote: this text has no closing quote"), 1},
	{"did not find expected ',' or ']'", NULL,
	 N_("the list opened with '[' at line %u, column %u is not closed: "
	 "expected ',' or ']'"), 0},
	{"did not find expected ',' or '}'", NULL,
	 N_("the mapping opened with '{' at line %u, column %u is not closed: "
	 "expected ',' or '}'"), 0},
	{"found a tab character", NULL, TAB_HINT, 0},
	{"mapping values are not allowed", NULL,
	 N_("unexpected ':' here: put a text that contains ': ' between "
	 "double quotes; otherwise check this line's indentation"), 0},
	{"did not find expected key", NULL,
	 N_("expected 'key: value' here: check this line's indentation, and "
	 "that a quoted text is not followed by more text"), 0},
	{"did not find expected '-' indicator", NULL,
	 N_("expected a list item '- ' here: indent this line like the items "
	 "above it"), 0},
	{"block sequence entries are not allowed", NULL,
	 N_("a list item '- ' cannot start here: put the list on the lines "
	 "below its key, indented"), 0},
	{"did not find expected alphabetic or numeric character",
	 "while scanning an alias",
	 N_("'*' starts an alias: put a text that starts with '*' (such as "
	 "**bold**) between double quotes"), 1},
	{"did not find expected alphabetic or numeric character",
	 "while scanning an anchor",
	 N_("'&' starts an anchor: put a text that starts with '&' between "
	 "double quotes"), 1},
	{"found unknown escape character", NULL,
	 N_("unknown escape after '\\' in a double-quoted text: write '\\\\' "
	 "for a backslash, or use single quotes"), 0},
	{"could not find expected ':'", NULL,
	 N_("expected ':' after the key at line %u, column %u: a text that goes "
	 "on over several lines needs quotes or '|'"), 0},
	{"did not find expected comment or line break",
	 "while scanning a block scalar",
	 N_("after '|' or '>' the text starts on the next line"), 0},
	{"found undefined tag handle", NULL,
	 N_("'!' starts a YAML tag: put a text that starts with '!' between "
	 "double quotes"), 0},
	{"did not find expected <document start>", NULL,
	 N_("text after '...', which ends the document: remove the '...' "
	 "line"), 0},
	{"found incompatible YAML document", NULL,
	 N_("unsupported YAML version: remove the '%%YAML' line"), 0},
	{"found unknown directive name", NULL,
	 N_("a line that starts with '%%' is a YAML directive: put a text that "
	 "starts with '%%' between double quotes"), 0},
	{NULL, NULL, NULL, 0}};

/* Writes a hint's text: each %u takes the next of the context mark's line
 * and column, %% is a percent sign. (The texts are data, not formats.) */
static void format_hint(at_buf *b, const char *text, unsigned line,
			unsigned col)
{
	unsigned args[2] = {line, col};
	size_t next = 0;
	for (const char *t = text; *t; t++) {
		if (t[0] == '%' && t[1] == 'u') {
			at_buf_printf(b, "%u", next < 2 ? args[next++] : 0u);
			t++;
		} else if (t[0] == '%' && t[1] == '%') {
			at_buf_putc(b, '%');
			t++;
		} else {
			at_buf_putc(b, *t);
		}
	}
}

static int has_prefix(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static const hint *find_hint(const yaml_parser_t *p)
{
	for (const hint *h = hints; h->problem; h++)
		if (has_prefix(p->problem, h->problem) &&
		    (!h->context || has_prefix(p->context, h->context)))
			return h;
	return NULL;
}

/* How far back a quote is looked for: a quoted text is shorter. */
#define QUOTE_SCAN ((size_t)1 << 16)

/* Where the quoted text that quote q at offset close ends opened (YAML
 * reads '' inside '...' and \" inside "..." as part of the text), or
 * SIZE_MAX. */
static size_t opening_quote(loader *L, size_t close, char q)
{
	size_t from = close > QUOTE_SCAN ? close - QUOTE_SCAN : 0;
	const char *t = close > from ? text_span(L, from, close) : NULL;
	for (size_t i = close - from; t && i-- > 0;) {
		if (t[i] != q)
			continue;
		if (i && t[i - 1] == (q == '"' ? '\\' : q)) {
			i -= q == '\'';
			continue;
		}
		return from + i;
	}
	return SIZE_MAX;
}

static int ends_word(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\'' || c == '"';
}

/* More text after a quoted text or a [list] on its line, apart by
 * spaces ('Les outils' du quartier, [x] fait): a text that starts with a
 * quote, '[' or '{' is read as that value, which ends early. off is the
 * first byte of the extra text. 1: reported. */
static int text_after_value(loader *L, size_t off)
{
	size_t from = off > 256 ? off - 256 : 0;
	const char *t = text_span(L, from, off);
	size_t i = off - from;
	while (t && i > 0 && t[i - 1] == ' ')
		i--;
	if (!t || i == 0 || !t[i - 1] || !strchr("'\"]}", t[i - 1]))
		return 0;
	char c = t[i - 1];
	size_t close = from + i - 1, open;
	if (c == '\'' || c == '"') {
		open = opening_quote(L, close, c);
	} else {
		/* The line's first '[' or '{': the value's start. */
		char o = c == ']' ? '[' : '{';
		size_t k = i - 1;
		while (k > 0 && t[k - 1] != '\n')
			k--;
		const char *b = memchr(t + k, o, i - 1 - k);
		open = b ? from + (size_t)(b - t) : SIZE_MAX;
	}
	if (open == SIZE_MAX)
		return 0;
	at_pos po = at_view_pos(&L->view, open);
	if (po.line != at_view_pos(&L->view, off).line)
		return 0;
	if (c == '\'' || c == '"')
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", po, 1,
			    "YAML syntax: a text that starts with %c ends at the "
			    "next %c, and more text follows it: put the whole "
			    "text between %s",
			    c, c,
			    c == '"' ? _("single quotes") : _("double quotes"));
	else
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", po, 1,
			    "YAML syntax: a text that starts with '%c' is read "
			    "as a %s, and more text follows it: put the whole "
			    "text between double quotes",
			    c == ']' ? '[' : '{',
			    c == ']' ? _("list") : _("mapping"));
	return 1;
}

/* Text right after a closing quote: the quote was the user's apostrophe
 * or quotation mark inside the text (L'outil), or the text's own closing
 * quote is missing and YAML read on to the next quote. 1: reported. */
static int quote_trouble(loader *L, const yaml_parser_t *p)
{
	size_t off = byte_at(L, p->problem_mark.index);
	size_t avail;
	const char *at = off ? at_view_get(&L->view, off - 1, 2, &avail) : NULL;
	if (at && avail >= 2 && at[0] == ' ' && !strchr(" \t\r\n,]}#:", at[1]))
		return text_after_value(L, off);
	if (!at || avail < 2 || (at[0] != '\'' && at[0] != '"') ||
	    strchr(" \t\r\n,]}#:", at[1]))
		return 0;
	char q = at[0];
	size_t open = opening_quote(L, off - 1, q);
	if (open == SIZE_MAX)
		return 0;
	at_pos po = at_view_pos(&L->view, open);
	at_pos pq = at_view_pos(&L->view, off - 1);
	if (po.line != pq.line) {
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", po, 1,
			    "YAML syntax: unclosed quote: this text has no "
			    "closing %c on its line, so YAML read on to the %c "
			    "at line %u, column %u",
			    q, q, (unsigned)pq.line, (unsigned)pq.col);
		return 1;
	}
	/* The word around the quote: L'outil. */
	size_t from = off - 1, to = off;
	const char *t = text_span(L, open + 1, off - 1);
	while (t && from > open + 1 && !ends_word(t[from - open - 2]))
		from--;
	const char *w = at_view_get(&L->view, off, 64, &avail);
	while (w && to - off < avail && to - off < 64 && !ends_word(w[to - off]))
		to++;
	const char *word = text_span(L, from, to);
	if (!word)
		return 0;
	int before = (int)(off - 1 - from), after = (int)(to - off);
	if (q == '\'')
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pq, 1,
			    "YAML syntax: the apostrophe of %.*s'%.*s closes the "
			    "text opened with ': put the whole text between "
			    "double quotes, or write the apostrophe twice "
			    "(%.*s''%.*s)",
			    before, word, after, word + before + 1, before,
			    word, after, word + before + 1);
	else
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pq, 1,
			    "YAML syntax: the \" before %.*s closes the text "
			    "opened with \": write \\\" for a quotation mark "
			    "inside it, or put the whole text between single "
			    "quotes",
			    after, word + before + 1);
	return 1;
}

/* libyaml's "could not find expected ':'" when the line it started at is
 * one plain text without ':': a key whose colon is missing (place Riom),
 * or a list item without its space (-Des outils). 1: reported. */
static int missing_colon(loader *L, const yaml_parser_t *p)
{
	yaml_mark_t m = p->context_mark;
	size_t off = byte_at(L, m.index);
	size_t line = off - m.column; /* the line's start: columns are ASCII spaces */
	const char *lead = off > line ? text_span(L, line, off) : "";
	size_t spaces = 0;
	while (lead && spaces < off - line && lead[spaces] == ' ')
		spaces++;
	if (!lead || spaces < off - line ||
	    (line && !text_span(L, line - 1, line)) ||
	    (line && *text_span(L, line - 1, line) != '\n'))
		return 0;
	size_t nl = at_view_find(&L->view, off, '\n');
	size_t end = nl == SIZE_MAX ? L->src->len : nl;
	if (end - off > 512)
		return 0;
	const char *t = end > off ? text_span(L, off, end) : NULL;
	int len = t ? (int)(end - off) : 0;
	if (len && t[len - 1] == '\r')
		len--;
	if (!len || memchr(t, ':', (size_t)len) || memchr(t, '#', (size_t)len))
		return 0;
	int word = 0; /* t is a window on the text, not a C string */
	while (word < len && !strchr(" \t\r\n", t[word]))
		word++;
	at_pos pos = mark_pos(m);
	if (t[0] == '-' && word > 1)
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, (uint32_t)word,
			    "YAML syntax: a list item is a dash and a space: "
			    "write '- %.*s', not '%.*s'",
			    word - 1, t + 1, word, t);
	else
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, (uint32_t)word,
			    "YAML syntax: '%.*s' needs a colon after it: write "
			    "'%.*s: ...'",
			    word, t, word, t);
	return 1;
}

static void unknown_syntax(loader *L, const yaml_parser_t *p, at_pos pos)
{
	const char *problem = p->problem ? p->problem : "unknown problem";
	if (p->context)
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, 1,
			    "YAML syntax: %s %s (line %u, column %u)", problem,
			    p->context, (unsigned)p->context_mark.line + 1,
			    (unsigned)p->context_mark.column + 1);
	else
		at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, 1,
			    "YAML syntax: %s", problem);
}

void syntax_error(loader *L, yaml_parser_t *p)
{
	L->failed = 1;
	if (p->error == YAML_READER_ERROR && L->unreadable) {
		/* A file that changed is reported as such by the document. */
		if (!at_source_changed(L->src))
			at_diag_add(L->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
				    "cannot read the file again");
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		/* Only problem_offset is set, in bytes. read.c refuses what
		 * libyaml's reader refuses, so this is a safety net. */
		const char *problem =
			p->problem ? p->problem : "unreadable input";
		at_diag_add(L->d, AT_ERROR, "yaml-syntax",
			    at_view_pos(&L->view, p->problem_offset), 1,
			    "YAML syntax: %s", problem);
		return;
	}
	at_pos pos = mark_pos(p->problem_mark);
	if (quote_trouble(L, p))
		return;
	if (has_prefix(p->problem, "could not find expected ':'") &&
	    missing_colon(L, p))
		return;
	const hint *h = find_hint(p);
	if (has_prefix(p->problem, "found character that cannot start")) {
		char c = char_at(L, p->problem_mark);
		if (c == '\t')
			h = &tab_hint;
		else if (c == '`' || c == '@' || c == '%') {
			at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, 1,
				    "YAML syntax: a text cannot start with "
				    "'%c': put it between double quotes",
				    c);
			return;
		}
	}
	if (!h) {
		unknown_syntax(L, p, pos);
		return;
	}
	uint32_t span = 1;
	if (h->at_context) {
		pos = mark_pos(p->context_mark);
		span = span_of(L, p->context_mark, p->problem_mark);
	}
	unsigned cl = (unsigned)p->context_mark.line + 1;
	unsigned cc = (unsigned)p->context_mark.column + 1;
	at_buf b;
	at_buf_init(&b);
	format_hint(&b, _(h->text), cl, cc);
	at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, span,
		    "YAML syntax: %s", at_buf_cstr(&b));
	at_buf_free(&b);
}
