/* test_md.c: the Markdown emitter, read back with cmark. Every
 * contribution must come back as a list item, in document order, at the
 * nesting depth of its item, whatever its text holds; raw HTML and
 * script links must not survive unless --unsafe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier/atelier.h"
#include "atelier/emitter.h"
#include "buf.h"
#include "text.h"

extern const at_emitter at_emit_md;

/* ---- Rendering a session ---- */

static at_document *load_file(const char *path)
{
	at_limits lim;
	at_limits_default(&lim);
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_document_load_file(path, &lim, &doc, &d);
	assert_false(at_diags_has_errors(&d));
	at_diags_free(&d);
	assert_non_null(at_document_session(doc));
	return doc;
}

static at_document *load_text(const char *yaml)
{
	at_limits lim;
	at_limits_default(&lim);
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_document_load_buffer("test.yaml", yaml, strlen(yaml), &lim, &doc,
				&d);
	assert_false(at_diags_has_errors(&d));
	at_diags_free(&d);
	assert_non_null(at_document_session(doc));
	return doc;
}

/* The report as a string (free it). */
static char *render_md(const at_session *s, int unsafe)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	at_emit_options o = {.lang = s->lang, .unsafe = unsafe};
	at_diags d;
	at_diags_init(&d);
	assert_int_equal(at_emit_md.emit(s, f, &o, &d), AT_OK);
	at_diags_free(&d);
	fclose(f);
	return out;
}

/* ---- Reading it back ---- */

typedef struct md_item {
	char *text;   /* plain text of the item's first paragraph */
	int depth;    /* 0 for an item of a top-level list */
	cmark_node *node;
} md_item;

typedef struct md_items {
	md_item *v;
	size_t n;
} md_items;

static int in_quote(cmark_node *n)
{
	for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
		if (cmark_node_get_type(p) == CMARK_NODE_BLOCK_QUOTE)
			return 1;
	return 0;
}

static int list_depth(cmark_node *n)
{
	int lists = 0;
	for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
		lists += cmark_node_get_type(p) == CMARK_NODE_LIST;
	return lists - 1;
}

/* A paragraph's text as at_md_plain gives it, so that it compares with
 * the plain text of the session's own Markdown. */
static char *plain_of(cmark_node *para)
{
	at_buf b;
	at_buf_init(&b);
	if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH) {
		char *md = cmark_render_commonmark(para, CMARK_OPT_DEFAULT, 0);
		at_md_plain(&b, md);
		free(md);
	}
	at_buf_cstr(&b);
	return at_buf_take(&b);
}

static md_items list_items(cmark_node *doc)
{
	md_items items = {NULL, 0};
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		/* Items of a quoted note are the note's, not contributions. */
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_ITEM || in_quote(n))
			continue;
		items.v = realloc(items.v, (items.n + 1) * sizeof *items.v);
		assert_non_null(items.v);
		items.v[items.n].text = plain_of(cmark_node_first_child(n));
		items.v[items.n].depth = list_depth(n);
		items.v[items.n].node = n;
		items.n++;
	}
	cmark_iter_free(it);
	return items;
}

static void free_items(md_items *items)
{
	for (size_t i = 0; i < items->n; i++)
		free(items->v[i].text);
	free(items->v);
}

/* Walks the session's contributions and finds each, in order, among the
 * report's list items: same plain text, same depth. */
typedef struct matcher {
	md_items *items;
	size_t next;     /* where the search goes on */
	size_t matched;
} matcher;

static int find_contribution(const at_contribution *c, void *ctx)
{
	matcher *mt = ctx;
	at_buf want;
	at_buf_init(&want);
	at_md_plain(&want, c->item->text);
	const char *w = at_buf_cstr(&want);
	size_t i = mt->next;
	while (i < mt->items->n && !(mt->items->v[i].depth == c->depth &&
				     strcmp(mt->items->v[i].text, w) == 0))
		i++;
	if (i == mt->items->n)
		fail_msg("contribution %zu \"%s\" (depth %d) not found after "
			 "list item %zu", c->index, w, c->depth, mt->next);
	mt->next = i + 1;
	mt->matched++;
	at_buf_free(&want);
	return 0;
}

static int count_walked(const at_contribution *c, void *ctx)
{
	(void)c;
	++*(size_t *)ctx;
	return 0;
}

static size_t count_nodes(cmark_node *doc, cmark_node_type t)
{
	size_t n = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		n += ev == CMARK_EVENT_ENTER &&
		     cmark_node_get_type(cmark_iter_get_node(it)) == t;
	cmark_iter_free(it);
	return n;
}

static cmark_node *parse(const char *md)
{
	return cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
}

/* ---- Tests ---- */

static void example_contributions_come_back_at_their_depth(void **state)
{
	(void)state;
	at_document *doc = load_file("examples/moulins-2016/session.yaml");
	const at_session *s = at_document_session(doc);
	char *md = render_md(s, 0);
	cmark_node *root = parse(md);
	md_items items = list_items(root);
	matcher mt = {&items, 0, 0};
	at_session_walk(s, find_contribution, &mt);
	/* Every walked item, the kit's instructions too (not counted as
	 * contributions, but in the report all the same). */
	size_t walked = 0;
	at_session_walk(s, count_walked, &walked);
	assert_int_equal(mt.matched, walked);
	assert_true(walked > at_session_count(s));
	assert_true(mt.matched > 100);
	/* The session writes no raw HTML: the report holds none either. */
	assert_int_equal(count_nodes(root, CMARK_NODE_HTML_INLINE), 0);
	assert_int_equal(count_nodes(root, CMARK_NODE_HTML_BLOCK), 0);
	free_items(&items);
	cmark_node_free(root);
	free(md);
	at_document_free(doc);
}

/* Texts that would open a block, break a line or carry HTML. */
static const char tricky_session[] =
	"atelier: 1\n"
	"title: Essai\n"
	"date: 2024-03-01\n"
	"questions: [{id: q1, title: Q}]\n"
	"brainstorm:\n"
	"  q1:\n"
	"    - \"1. Valoriser au maximum\"\n"
	"    - text: \"- un tiret\"\n"
	"      items:\n"
	"        - \"# un dièse\"\n"
	"        - text: \"> une citation\"\n"
	"          items:\n"
	"            - \"***\"\n"
	"            - text: \"[a]: /b\"\n"
	"              items: [\"+ plus\", \"2) deux\"]\n"
	"    - \"ligne un\\n- ligne deux\\n\\n# ligne trois\"\n"
	"    - \"dur  \\ncassé\"\n"
	"    - \"<script>alert(1)</script>\"\n"
	"    - \"<div>\\nbloc\\n</div>\"\n"
	"    - \"```\\ncode\\n```\"\n"
	"    - \"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2))\"\n"
	"    - \"![i](data:text/html,x) ![j](data:image/png;base64,AA==)\"\n"
	"    - \"**gras** et *italique* et [lien](https://example.org)\"\n"
	"    - text: avec une note\n"
	"      note: |\n"
	"        Une note.\n"
	"\n"
	"        - point a\n"
	"      by: [x]\n"
	"      votes: 3\n"
	"      items: [enfant de la note]\n"
	"participants: [{id: x, name: \"Jo | *Bo*\"}]\n";

/* What each item must read, in order, at its depth. */
static const struct {
	const char *text;
	int depth;
} tricky_expected[] = {
	{"1. Valoriser au maximum", 0},
	{"- un tiret", 0},
	{"# un dièse", 1},
	{"> une citation", 1},
	{"***", 2},
	{"[a]: /b", 2},
	{"+ plus", 3},
	{"2) deux", 3},
	{"ligne un - ligne deux # ligne trois", 0},
	{"dur\ncassé", 0},
	{"<script>alert(1)</script>", 0},
	{"<div> bloc </div>", 0},
	{"``` code ```", 0},
	{"x y", 0},
	{"i j (data:image/png;base64,AA==)", 0},
	{"gras et italique et lien (https://example.org)", 0},
	{"avec une note (par Jo | *Bo* · 3 votes)", 0},
	{"enfant de la note", 1},
};

static void tricky_texts_stay_inside_their_items(void **state)
{
	(void)state;
	at_document *doc = load_text(tricky_session);
	const at_session *s = at_document_session(doc);
	char *md = render_md(s, 0);
	cmark_node *root = parse(md);
	md_items items = list_items(root);
	size_t n_expected = sizeof tricky_expected / sizeof tricky_expected[0];
	/* The contents list first (3 parts), then exactly one item per
	 * contribution: no text opened a list of its own. */
	assert_int_equal(items.n, 3 + n_expected);
	assert_non_null(items.v);
	assert_int_equal(at_session_count(s), n_expected);
	for (size_t i = 0; i < n_expected; i++) {
		md_item *it = &items.v[3 + i];
		if (strcmp(it->text, tricky_expected[i].text) != 0 ||
		    it->depth != tricky_expected[i].depth)
			fail_msg("item %zu: \"%s\" at depth %d, expected \"%s\" "
				 "at %d\n%s", i, it->text, it->depth,
				 tricky_expected[i].text,
				 tricky_expected[i].depth, md);
	}
	/* Nothing from the texts became a heading, a quote or code. */
	cmark_iter *iter = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(iter);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		assert_int_not_equal(t, CMARK_NODE_HTML_INLINE);
		assert_int_not_equal(t, CMARK_NODE_HTML_BLOCK);
		assert_int_not_equal(t, CMARK_NODE_CODE_BLOCK);
		if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
			const char *url = cmark_node_get_url(n);
			assert_null(strstr(url, "javascript"));
			assert_null(strstr(url, "JaVaScRiPt"));
			assert_null(strstr(url, "text/html"));
		}
	}
	cmark_iter_free(iter);
	/* The note is a quote inside its item, whose list stays tight and
	 * whose child stays its child. */
	md_item *noted = &items.v[3 + n_expected - 2];
	cmark_node *quote = cmark_node_next(cmark_node_first_child(noted->node));
	assert_non_null(quote);
	assert_int_equal(cmark_node_get_type(quote), CMARK_NODE_BLOCK_QUOTE);
	assert_int_equal(cmark_node_get_list_tight(cmark_node_parent(noted->node)), 1);
	assert_ptr_equal(cmark_node_parent(cmark_node_parent(
				 items.v[3 + n_expected - 1].node)),
			 noted->node);
	free_items(&items);
	cmark_node_free(root);
	free(md);
	at_document_free(doc);
}

static void unsafe_lets_raw_html_through(void **state)
{
	(void)state;
	at_document *doc = load_text(tricky_session);
	char *md = render_md(at_document_session(doc), 1);
	cmark_node *root = parse(md);
	assert_true(count_nodes(root, CMARK_NODE_HTML_INLINE) +
		    count_nodes(root, CMARK_NODE_HTML_BLOCK) >= 2);
	assert_non_null(strstr(md, "<script>alert(1)</script>"));
	/* Script links stay out even then. */
	assert_null(strstr(md, "javascript:"));
	cmark_node_free(root);
	free(md);
	at_document_free(doc);
}

/* A failed write is AT_EIO, not a silent truncated report. */
static void write_errors_are_reported(void **state)
{
	(void)state;
	at_document *doc = load_file("examples/moulins-2016/session.yaml");
	FILE *f = fopen("/dev/full", "w");
	if (!f) {
		at_document_free(doc);
		skip();
	}
	at_emit_options o = {.lang = AT_LANG_FR};
	at_diags d;
	at_diags_init(&d);
	/* The report is larger than the stream's buffer: writes fail while
	 * the emitter runs, and it must say so. */
	assert_int_equal(at_emit_md.emit(at_document_session(doc), f, &o, &d),
			 AT_EIO);
	fclose(f);
	at_diags_free(&d);
	at_document_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example_contributions_come_back_at_their_depth),
		cmocka_unit_test(tricky_texts_stay_inside_their_items),
		cmocka_unit_test(unsafe_lets_raw_html_through),
		cmocka_unit_test(write_errors_are_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
