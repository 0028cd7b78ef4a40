/* text_md.c: the text layer's Markdown rendering, for the .md report. A
 * parsed text is made safe to stand inside the report (raw HTML as text,
 * refused links as their text, breaks the report can hold, headings sunk
 * below the section holding them) and rendered back by cmark-gfm, so that
 * its markup survives, GFM's included, but nothing in it can break the
 * structure around it. */
#include "text_impl.h"

#include <stdlib.h>
#include <string.h>

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

/* Whether link n is a bare URL that GFM's autolink extension read (its
 * one text is its url, and the link spans no more than that text: not
 * <url>, not [url](url)), standing where GFM reads it back as one:
 * written as is, it stays what the facilitator typed, not <url> or
 * [www...](http://...). The extension leaves some of its links without a
 * position (column 0). */
static int bare_autolink(cmark_node *n)
{
	cmark_node *c = cmark_node_first_child(n);
	const char *url = cmark_node_get_url(n);
	if (!c || cmark_node_next(c) || cmark_node_get_type(c) != CMARK_NODE_TEXT ||
	    !url || !*url)
		return 0;
	if (cmark_node_get_start_column(n) &&
	    cmark_node_get_end_column(n) - cmark_node_get_start_column(n) !=
		    cmark_node_get_end_column(c) - cmark_node_get_start_column(c))
		return 0;
	const char *text = cmark_node_get_literal(c);
	if (!at_link_text_is_url(text, strlen(text), url))
		return 0;
	cmark_node *prev = cmark_node_previous(n);
	if (!prev)
		return 1;
	if (cmark_node_get_type(prev) == CMARK_NODE_SOFTBREAK ||
	    cmark_node_get_type(prev) == CMARK_NODE_LINEBREAK)
		return 1;
	const char *lit = cmark_node_get_type(prev) == CMARK_NODE_TEXT
				  ? cmark_node_get_literal(prev)
				  : NULL;
	size_t len = lit ? strlen(lit) : 0;
	return len && strchr(" \t*_~(", lit[len - 1]);
}

/* What a collected node becomes. Raw HTML turns into the text it is, which
 * the renderer then escapes, unless AT_MD_UNSAFE; a hard break is written
 * as a backslash (raw, so never escaped) rather than trailing spaces. */
static void fix_node(at_buf *scratch, cmark_node *n, int flags, int demote)
{
	int one_line = flags & AT_MD_ONE_LINE;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_INLINE:
		at_place_lines(scratch, cmark_node_get_literal(n),
			       CMARK_NODE_TEXT, NULL, n, one_line);
		cmark_node_free(n);
		break;
	case CMARK_NODE_HTML_BLOCK: {
		cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
		at_place_lines(scratch, cmark_node_get_literal(n),
			       CMARK_NODE_TEXT, p, NULL, one_line);
		replace(n, p);
		break;
	}
	case CMARK_NODE_LINK:
		if (bare_autolink(n)) {
			replace(n, at_new_node(CMARK_NODE_HTML_INLINE,
					       cmark_node_get_literal(
						       cmark_node_first_child(n))));
			break;
		}
		unwrap(n);
		break;
	case CMARK_NODE_IMAGE:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_EMPH:
		unwrap(n);
		break;
	case CMARK_NODE_LINEBREAK:
		if (one_line) {
			replace(n, at_new_node(CMARK_NODE_TEXT, " "));
			break;
		}
		cmark_node_insert_before(n, at_new_node(CMARK_NODE_HTML_INLINE, "\\"));
		replace(n, at_new_node(CMARK_NODE_SOFTBREAK, NULL));
		break;
	case CMARK_NODE_SOFTBREAK:
		replace(n, at_new_node(CMARK_NODE_TEXT, " "));
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

/* A link or image without a target: one the link policy refused. */
static int refused(cmark_node *n)
{
	const char *url = cmark_node_get_url(n);
	return !url || !*url;
}

static int needs_fix(cmark_node *n, int flags, int demote)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_HTML_BLOCK:
		return !(flags & AT_MD_UNSAFE);
	case CMARK_NODE_LINK:
		return refused(n) || bare_autolink(n);
	case CMARK_NODE_IMAGE:
		return refused(n);
	case CMARK_NODE_STRONG:
		return flags & AT_MD_NO_STRONG;
	case CMARK_NODE_EMPH:
		return flags & AT_MD_NO_EMPH;
	case CMARK_NODE_LINEBREAK:
		return 1;
	case CMARK_NODE_SOFTBREAK:
		return flags & AT_MD_ONE_LINE;
	case CMARK_NODE_HEADING:
		return demote > 0;
	default:
		return 0;
	}
}

/* Makes a parsed text safe to write inside the report (see fix_node). */
static int sanitize(cmark_node *root, int flags, int demote)
{
	at_node_list found = {0};
	at_buf scratch;
	at_buf_init(&scratch);
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER &&
		    needs_fix(cmark_iter_get_node(it), flags, demote))
			at_node_list_push(&found, cmark_iter_get_node(it));
	cmark_iter_free(it);
	for (size_t i = 0; i < found.n; i++)
		fix_node(&scratch, found.v[i], flags, demote);
	int oom = found.oom || scratch.oom;
	at_node_list_free(&found);
	at_buf_free(&scratch);
	return oom ? -1 : 0;
}

int at_md_render(cmark_node *doc, at_buf *out)
{
	char *r = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
	if (!r)
		return -1;
	size_t n = strlen(r);
	while (n && r[n - 1] == '\n')
		n--;
	at_buf_put(out, r, n);
	free(r);
	return out->oom ? -1 : 0;
}

cmark_node *at_text_md_para(at_text *t, int flags)
{
	if (sanitize(t->doc, flags, 0))
		return NULL;
	/* The caller moves the nodes out of t, which it then frees. */
	at_own_literals(t->doc);
	cmark_node *para = cmark_node_first_child(t->doc);
	if (!para) {
		para = cmark_node_new(CMARK_NODE_PARAGRAPH);
		if (para)
			cmark_node_append_child(t->doc, para);
	}
	return para;
}

/* lead, raw Markdown, at the start of the first paragraph (a new one
 * when the text does not start with a paragraph). */
static void put_lead(cmark_node *doc, const char *lead)
{
	cmark_node *first = cmark_node_first_child(doc);
	cmark_node *raw = at_new_node(CMARK_NODE_HTML_INLINE, lead);
	if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
		cmark_node_prepend_child(first, raw);
		return;
	}
	cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node_append_child(p, raw);
	if (first)
		cmark_node_insert_before(first, p);
	else
		cmark_node_append_child(doc, p);
}

int at_text_md(at_text *t, at_buf *out, int flags, int demote,
	       const char *lead, int *ends_ordered)
{
	if (sanitize(t->doc, flags, t->kind == AT_TEXT_BLOCK ? demote : 0))
		return -1;
	if (lead)
		put_lead(t->doc, lead);
	int r = at_md_render(t->doc, out);
	if (ends_ordered) {
		cmark_node *last = cmark_node_last_child(t->doc);
		*ends_ordered = last &&
				cmark_node_get_type(last) == CMARK_NODE_LIST &&
				cmark_node_get_list_type(last) == CMARK_ORDERED_LIST &&
				cmark_node_get_list_delim(last) == CMARK_PERIOD_DELIM;
	}
	return r;
}

int at_md_inline(at_buf *out, const char *md, int flags)
{
	if (at_md_as_is(md)) {
		at_buf_puts(out, md);
		return out->oom ? -1 : 0;
	}
	at_text *t = at_text_parse(md, AT_TEXT_INLINE);
	int r = t ? at_text_md(t, out, flags, 0, NULL, NULL) : -1;
	at_text_free(t);
	return r;
}

int at_md_block(at_buf *out, const char *md, int demote, const char *lead,
		int flags, int *ends_ordered)
{
	at_text *t = at_text_parse(md, AT_TEXT_BLOCK);
	int r = t ? at_text_md(t, out, flags, demote, lead, ends_ordered) : -1;
	at_text_free(t);
	return r;
}
