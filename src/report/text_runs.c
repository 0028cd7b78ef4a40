/* text_runs.c: a parsed text as styled runs, for the document formats
 * that style text themselves (PDF, ODT, DOCX): one walk of the tree, each
 * text with the styles and the link around it, and the blocks it sits in
 * as start and end events. */
#include "text_impl.h"

#include <cmark-gfm-core-extensions.h>
#include <string.h>

typedef struct walk {
	at_run_fn fn;
	void *ctx;
	int open[3];  /* bold, italic, strike spans around the node */
	const char *url;
	int lists;  /* lists around the node */
	int column; /* the current cell's */
} walk;

static int emit(walk *w, at_run *r)
{
	return w->fn(w->ctx, r);
}

static int text(walk *w, const char *s, unsigned extra)
{
	unsigned flags = extra | (w->open[0] ? AT_RUN_BOLD : 0) |
			 (w->open[1] ? AT_RUN_ITALIC : 0) |
			 (w->open[2] ? AT_RUN_STRIKE : 0);
	at_run r = {.ev = AT_EV_TEXT, .text = s, .len = strlen(s),
		    .flags = flags, .url = w->url};
	return r.len ? emit(w, &r) : 0;
}

/* Which of walk.open a span node counts in, -1 for none. */
static int style_of(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_STRONG:
		return 0;
	case CMARK_NODE_EMPH:
		return 1;
	default:
		return at_ext_type_of(n) == AT_X_STRIKE ? 2 : -1;
	}
}

/* A list item's number: the list's start plus the items before it. */
static int item_number(cmark_node *item)
{
	int k = cmark_node_get_list_start(cmark_node_parent(item));
	for (cmark_node *p = cmark_node_previous(item); p; p = cmark_node_previous(p))
		k++;
	return k;
}

/* The block event of n on entry (exit: the matching _END), -1 if none. */
static int block_event(walk *w, cmark_node *n, int enter, at_run *r)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		r->ev = enter ? AT_EV_PARA : AT_EV_PARA_END;
		return 0;
	case CMARK_NODE_HEADING:
		r->ev = enter ? AT_EV_HEADING : AT_EV_HEADING_END;
		r->level = cmark_node_get_heading_level(n);
		return 0;
	case CMARK_NODE_ITEM: {
		cmark_node *list = cmark_node_parent(n);
		r->ev = enter ? AT_EV_ITEM : AT_EV_ITEM_END;
		r->level = w->lists;
		r->ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
		r->number = r->ordered ? item_number(n) : 0;
		return 0;
	}
	case CMARK_NODE_BLOCK_QUOTE:
		r->ev = enter ? AT_EV_QUOTE : AT_EV_QUOTE_END;
		return 0;
	default:
		break;
	}
	switch (at_ext_type_of(n)) {
	case AT_X_TABLE:
		r->ev = enter ? AT_EV_TABLE : AT_EV_TABLE_END;
		r->columns = cmark_gfm_extensions_get_table_columns(n);
		return 0;
	case AT_X_ROW:
	case AT_X_HEADER:
		r->ev = enter ? AT_EV_ROW : AT_EV_ROW_END;
		r->header = at_ext_type_of(n) == AT_X_HEADER;
		w->column = 0;
		return 0;
	case AT_X_CELL:
		r->ev = enter ? AT_EV_CELL : AT_EV_CELL_END;
		r->column = enter ? w->column : w->column++;
		return 0;
	default:
		return -1;
	}
}

/* A leaf: text, code, raw HTML (as text), breaks, a rule, a code block. */
static int leaf(walk *w, cmark_node *n)
{
	at_run r = {0};
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		return text(w, cmark_node_get_literal(n), 0);
	case CMARK_NODE_HTML_BLOCK: {
		r.ev = AT_EV_PARA;
		int e = emit(w, &r) || text(w, cmark_node_get_literal(n), 0);
		r.ev = AT_EV_PARA_END;
		return e ? e : emit(w, &r);
	}
	case CMARK_NODE_CODE:
		return text(w, cmark_node_get_literal(n), AT_RUN_CODE);
	case CMARK_NODE_SOFTBREAK:
		return text(w, " ", 0);
	case CMARK_NODE_LINEBREAK:
		r.ev = AT_EV_BREAK;
		return emit(w, &r);
	case CMARK_NODE_THEMATIC_BREAK:
		r.ev = AT_EV_RULE;
		return emit(w, &r);
	case CMARK_NODE_CODE_BLOCK: {
		r.ev = AT_EV_CODE_BLOCK;
		int e = emit(w, &r) || text(w, cmark_node_get_literal(n), AT_RUN_CODE);
		r.ev = AT_EV_CODE_BLOCK_END;
		return e ? e : emit(w, &r);
	}
	default:
		return 0;
	}
}

static int step(walk *w, cmark_node *n, cmark_event_type ev)
{
	int enter = ev == CMARK_EVENT_ENTER;
	cmark_node_type t = cmark_node_get_type(n);
	if (t == CMARK_NODE_LIST) {
		w->lists += enter ? 1 : -1;
		return 0;
	}
	if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
		const char *url = cmark_node_get_url(n);
		w->url = enter && url && *url ? url : NULL;
		return 0;
	}
	int style = style_of(n);
	if (style >= 0) {
		w->open[style] += enter ? 1 : -1;
		return 0;
	}
	at_run r = {0};
	if (block_event(w, n, enter, &r) == 0)
		return emit(w, &r);
	return enter ? leaf(w, n) : 0;
}

int at_text_runs(const at_text *t, at_run_fn fn, void *ctx)
{
	walk w = {.fn = fn, .ctx = ctx};
	cmark_iter *it = cmark_iter_new(t->doc);
	if (!it)
		return -1;
	cmark_event_type ev;
	int r = 0;
	while (!r && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER || ev == CMARK_EVENT_EXIT)
			r = step(&w, cmark_iter_get_node(it), ev);
	cmark_iter_free(it);
	return r;
}
