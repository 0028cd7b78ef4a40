/* test_load.c: reading bytes (read.c) and building the YAML tree with
 * positions (load.c): what libyaml lets through and a session must not
 * hold, and where each node and each problem is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "load.h"
#include "read.h"

typedef struct loaded {
	at_arena arena;
	at_source src;
	at_diags d;
	at_node *root;
	at_status rc;
} loaded;

/* Loads text as it is, without read.c's checks (so that libyaml's own
 * reader errors can be reached), with the default limits or lim. */
static loaded *load_with(const char *text, size_t len, const at_limits *lim)
{
	loaded *l = test_calloc(1, sizeof *l);
	at_limits def;
	at_limits_default(&def);
	at_arena_init(&l->arena);
	at_diags_init(&l->d);
	l->src.data = test_malloc(len + 1);
	memcpy(l->src.data, text, len);
	l->src.data[len] = '\0';
	l->src.len = len;
	l->rc = at_load(&l->src, lim ? lim : &def, &l->arena, &l->root, &l->d);
	return l;
}

static loaded *load(const char *text)
{
	return load_with(text, strlen(text), NULL);
}

static void unload(loaded *l)
{
	at_arena_free(&l->arena);
	test_free(l->src.data);
	at_diags_free(&l->d);
	test_free(l);
}

static void assert_diag(const loaded *l, size_t i, const char *code,
			uint32_t line, uint32_t col, const char *message_part)
{
	assert_true(i < l->d.n);
	const at_diag *g = &l->d.v[i];
	assert_string_equal(g->code, code);
	assert_int_equal(g->pos.line, line);
	assert_int_equal(g->pos.col, col);
	if (message_part && !strstr(g->message, message_part))
		fail_msg("'%s' not in '%s'", message_part, g->message);
}

static const at_node *value(const at_node *map, const char *key)
{
	const at_node *v = at_map_get(map, key);
	assert_non_null(v);
	return v;
}

/* ---- positions ---- */

static void keys_and_values_have_their_own_positions(void **state)
{
	(void)state;
	loaded *l = load("a: 1\nlist:\n  - x\n  - {k: \"v w\"}\n");
	assert_int_equal(l->rc, AT_OK);
	const at_pair *p = &l->root->u.map.v[1];
	assert_int_equal(p->key->pos.line, 2);
	assert_int_equal(p->key->pos.col, 1);
	assert_int_equal(p->key->span, 4);
	const at_node *list = p->value;
	assert_int_equal(list->kind, AT_SEQ);
	assert_int_equal(list->u.seq.v[0]->pos.line, 3);
	assert_int_equal(list->u.seq.v[0]->pos.col, 5);
	const at_node *m = list->u.seq.v[1];
	assert_int_equal(m->pos.col, 5);
	assert_int_equal(m->span, 10); /* {k: "v w"}, the whole flow mapping */
	const at_node *v = value(m, "k");
	assert_int_equal(v->pos.col, 9);
	assert_int_equal(v->span, 5); /* the quotes included */
	assert_int_equal(v->u.scalar.style, AT_QUOTED);
	unload(l);
}

static void columns_count_characters_not_bytes(void **state)
{
	(void)state;
	loaded *l = load("é: ééé\nkéy: x\n");
	const at_pair *p = &l->root->u.map.v[0];
	assert_int_equal(p->value->pos.col, 4);
	assert_int_equal(p->value->span, 3);
	p = &l->root->u.map.v[1];
	assert_int_equal(p->key->span, 3);
	assert_int_equal(p->value->pos.col, 6);
	unload(l);
}

/* A plain scalar over two lines is underlined to the end of its first
 * line; finding that line needs a byte offset, and libyaml's marks count
 * characters: with multibyte text before it, the two differ. */
static void multiline_span_after_multibyte_text(void **state)
{
	(void)state;
	loaded *l = load("ééééé: x\nk: abc\n  def\n");
	const at_node *v = value(l->root, "k");
	assert_string_equal(v->u.scalar.s, "abc def");
	assert_int_equal(v->pos.line, 2);
	assert_int_equal(v->pos.col, 4);
	assert_int_equal(v->span, 3);
	unload(l);
}

static void crlf_lines_and_columns(void **state)
{
	(void)state;
	loaded *l = load("a: 1\r\nb:\r\n  - x y\r\n");
	const at_node *b = value(l->root, "b");
	assert_int_equal(b->u.seq.v[0]->pos.line, 3);
	assert_int_equal(b->u.seq.v[0]->pos.col, 5);
	assert_int_equal(b->u.seq.v[0]->span, 3);
	unload(l);
}

/* ---- what libyaml accepts and a session must not hold ---- */

static void duplicate_keys_reported_and_loading_goes_on(void **state)
{
	(void)state;
	loaded *l = load("a: 1\nb:\n  x: 1\n  x: 2\n  x: 3\na: 2\nc: !!str t\n");
	/* soft errors: the tree is kept, so that binding reports the rest */
	assert_int_equal(l->rc, AT_EINPUT);
	assert_non_null(l->root);
	assert_int_equal(l->d.n, 4);
	/* in the order found: a mapping's repeats when it closes (b's, at
	 * line 6), a tag when it is met, the root's repeats at the end */
	assert_diag(l, 0, "duplicate-key", 4, 3, "(first at line 3, column 3)");
	assert_diag(l, 1, "duplicate-key", 5, 3, "(first at line 3, column 3)");
	assert_diag(l, 2, "tag", 7, 4, "'!!str'");
	assert_diag(l, 3, "duplicate-key", 6, 1, "'a' (first at line 1, column 1)");
	/* the first occurrence is the one kept */
	assert_string_equal(value(l->root, "a")->u.scalar.s, "1");
	unload(l);
}

static void quoted_and_plain_keys_are_the_same_key(void **state)
{
	(void)state;
	loaded *l = load("title: a\n\"title\": b\n");
	assert_int_equal(l->d.n, 1);
	assert_diag(l, 0, "duplicate-key", 2, 1, "'title'");
	unload(l);
}

static void non_text_and_merge_keys(void **state)
{
	(void)state;
	loaded *l = load("base: &b {x: 1}\nm:\n  <<: *b\n  \"<<\": 2\n? [a]\n: 1\n");
	assert_int_equal(l->rc, AT_EINPUT);
	assert_int_equal(l->d.n, 2);
	assert_diag(l, 0, "merge-key", 3, 3, "'<<'");
	assert_diag(l, 1, "key-not-text", 5, 3, "found a list");
	unload(l);
}

static void aliases_share_the_anchor_node(void **state)
{
	(void)state;
	loaded *l = load("a: &x [1, 2]\nb: *x\nc: &s t\nd: *s\n");
	assert_int_equal(l->rc, AT_OK);
	assert_ptr_equal(value(l->root, "a"), value(l->root, "b"));
	assert_ptr_equal(value(l->root, "c"), value(l->root, "d"));
	/* positions inside an alias are the anchor's */
	assert_int_equal(value(l->root, "b")->pos.line, 1);
	unload(l);
}

static void alias_inside_its_own_anchor_is_a_cycle(void **state)
{
	(void)state;
	loaded *l = load("a: &x [1, *x]\n");
	assert_int_equal(l->rc, AT_EINPUT);
	assert_null(l->root);
	assert_int_equal(l->d.n, 1);
	assert_diag(l, 0, "alias-cycle", 1, 11, "'*x'");
	unload(l);
	l = load("a: &m {k: [*m]}\n");
	assert_null(l->root);
	assert_diag(l, 0, "alias-cycle", 1, 12, NULL);
	unload(l);
}

static void unknown_alias(void **state)
{
	(void)state;
	loaded *l = load("a: *nope\nb: &nope 1\n");
	assert_null(l->root);
	assert_diag(l, 0, "unknown-alias", 1, 4, "'*nope'");
	unload(l);
}

static void expansion_budget_counts_aliases(void **state)
{
	(void)state;
	at_limits lim;
	at_limits_default(&lim);
	lim.max_nodes = 40;
	/* a: 1 map + 1 key + 1 seq + 4 = 7; b: 1 key + 1 seq + 3 x 5 = 17;
	 * with the root: 25 nodes, fine */
	const char *ok = "a: &a [1, 2, 3, 4]\nb: [*a, *a, *a]\n";
	loaded *l = load_with(ok, strlen(ok), &lim);
	assert_int_equal(l->rc, AT_OK);
	unload(l);
	/* c: 1 key + 1 seq + 3 x 17 more: past 40 at its first alias */
	const char *bad = "a: &a [1, 2, 3, 4]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n";
	l = load_with(bad, strlen(bad), &lim);
	assert_int_equal(l->rc, AT_EINPUT);
	assert_null(l->root);
	assert_int_equal(l->d.n, 1);
	assert_diag(l, 0, "too-many-nodes", 3, 5, "more than 40 nodes");
	unload(l);
}

static void depth_limit_counts_collections(void **state)
{
	(void)state;
	at_limits lim;
	at_limits_default(&lim);
	lim.max_depth = 3;
	loaded *l = load_with("[[[1]]]", 7, &lim);
	assert_int_equal(l->rc, AT_OK);
	unload(l);
	l = load_with("[[[[1]]]]", 9, &lim);
	assert_null(l->root);
	assert_diag(l, 0, "too-deep", 1, 4, "nesting deeper than 3 levels");
	unload(l);
}

static void depth_limit_holds_through_aliases(void **state)
{
	(void)state;
	at_limits lim;
	at_limits_default(&lim);
	lim.max_depth = 3;
	/* b's list is level 2; the alias brings two more levels: 4 */
	const char *text = "a: &x [[1]]\nb: [*x]\n";
	loaded *l = load_with(text, strlen(text), &lim);
	assert_null(l->root);
	assert_diag(l, 0, "too-deep", 2, 5, "through alias '*x'");
	unload(l);
	/* an alias to a scalar adds no level */
	text = "a: &x 1\nb: [[*x]]\n";
	l = load_with(text, strlen(text), &lim);
	assert_int_equal(l->rc, AT_OK);
	unload(l);
}

/* libyaml itself does not recurse: 100,000 '[' reach our limit, not the
 * stack (the sanitizer build would catch an overflow). */
static void hundred_thousand_brackets(void **state)
{
	(void)state;
	size_t n = 100000;
	char *text = test_malloc(n + 1);
	memset(text, '[', n);
	text[n] = '\0';
	loaded *l = load_with(text, n, NULL);
	assert_null(l->root);
	assert_int_equal(l->d.n, 1);
	assert_diag(l, 0, "too-deep", 1, 257, "256 levels");
	unload(l);
	test_free(text);
}

static void second_document(void **state)
{
	(void)state;
	loaded *l = load("a: 1\n---\nb: 2\n");
	assert_null(l->root);
	assert_int_equal(l->d.n, 1);
	assert_diag(l, 0, "second-document", 2, 1, "second YAML document");
	assert_int_equal(l->d.v[0].span, 3);
	unload(l);
	l = load("---\na: 1\n...\n");
	assert_int_equal(l->rc, AT_OK);
	unload(l);
}

static void text_limit_and_nul_escape(void **state)
{
	(void)state;
	at_limits lim;
	at_limits_default(&lim);
	lim.max_text = 5;
	loaded *l = load_with("a: 12345\nb: 123456\n", 19, &lim);
	assert_null(l->root);
	assert_diag(l, 0, "text-too-long", 2, 4, "6 bytes");
	unload(l);
	l = load("a: \"x\\0y\"\n");
	assert_null(l->root);
	assert_diag(l, 0, "nul-byte", 1, 4, NULL);
	unload(l);
}

/* A reader error fills only problem_offset, a byte offset: the position is
 * computed from it, in characters, and the partial tree is dropped even
 * after thousands of good events. */
static void reader_error_offset_to_line_and_column(void **state)
{
	(void)state;
	loaded *l = load("é: ü\nlist: [ä, \"ö\x01\"]\n");
	assert_null(l->root);
	assert_int_equal(l->d.n, 1);
	assert_diag(l, 0, "yaml-syntax", 2, 13, "control characters");
	unload(l);

	size_t items = 5000;
	size_t cap = items * 16 + 64, len = 0;
	char *text = test_malloc(cap);
	len += (size_t)snprintf(text + len, cap - len, "list:\n");
	for (size_t i = 0; i < items; i++)
		len += (size_t)snprintf(text + len, cap - len, "  - é%zu\n", i);
	len += (size_t)snprintf(text + len, cap - len, "  - \x7f\n");
	l = load_with(text, len, NULL);
	assert_null(l->root);
	assert_int_equal(l->d.n, 1);
	assert_diag(l, 0, "yaml-syntax", (uint32_t)items + 2, 5, NULL);
	unload(l);
	test_free(text);
}

static void syntax_errors_say_what_to_do(void **state)
{
	(void)state;
	loaded *l = load("a: \"open\nb: 1\n");
	assert_null(l->root);
	/* at the opening quote, not at the end of the file */
	assert_diag(l, 0, "yaml-syntax", 1, 4, "unclosed quote");
	unload(l);
	l = load("a:\n\t- x\n");
	assert_diag(l, 0, "yaml-syntax", 2, 1, "tab character");
	unload(l);
	l = load("a: [1, 2\nb: 3\n");
	assert_diag(l, 0, "yaml-syntax", 2, 2,
		    "the list opened with '[' at line 1, column 4");
	unload(l);
	l = load("- **bold**\n");
	assert_diag(l, 0, "yaml-syntax", 1, 3, "'*' starts an alias");
	unload(l);
}

static void empty_stream_and_soft_tags(void **state)
{
	(void)state;
	loaded *l = load("# only a comment\n");
	assert_int_equal(l->rc, AT_EINPUT);
	assert_null(l->root);
	assert_diag(l, 0, "no-document", 1, 1, NULL);
	unload(l);
	l = load("a: !!binary aGk=\nb: !x [1]\n");
	assert_int_equal(l->rc, AT_EINPUT);
	assert_non_null(l->root); /* a tag is reported, not fatal */
	assert_int_equal(l->d.n, 2);
	assert_diag(l, 0, "tag", 1, 4, "'!!binary'");
	assert_diag(l, 1, "tag", 2, 4, "'!x'");
	assert_non_null(value(l->root, "b")->tag);
	unload(l);
}

/* ---- read.c ---- */

static at_status from_buffer(const char *text, size_t len, at_source *src,
			     at_diags *d)
{
	at_diags_init(d);
	return at_source_from_buffer(text, len, 1000, src, d);
}

static void bom_removed_and_crlf_accepted(void **state)
{
	(void)state;
	at_source src;
	at_diags d;
	assert_int_equal(from_buffer("\xEF\xBB\xBF" "a: 1\r\n", 9, &src, &d),
			 AT_OK);
	assert_int_equal(src.len, 6);
	assert_memory_equal(src.data, "a: 1\r\n", 6);
	assert_int_equal(d.n, 0);
	at_source_free(&src);
	at_diags_free(&d);
}

static void bad_bytes_have_positions(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t len;
		const char *code, *part;
		uint32_t line, col;
	} cases[] = {
#define CASE(text, code, part, line, col) {text, sizeof text - 1, code, part, line, col}
		CASE("a: é\nb: \xE9t\xE9\n", "not-utf8", "0xE9", 2, 4),
		CASE("a: \xC0\xAF\n", "not-utf8", "0xC0", 1, 4), /* overlong */
		CASE("a: \xED\xA0\x80\n", "not-utf8", NULL, 1, 4), /* surrogate */
		CASE("é\né: x\0y\n", "nul-byte", NULL, 2, 5),
		CASE("a: 1\rb: 2\r", "bad-char", "carriage return", 1, 5),
		CASE("a: x\x1B[0m\n", "bad-char", "U+001B", 1, 5),
		CASE("a: \xC2\x85\n", "bad-char", "U+0085", 1, 4),
		CASE("a: ü\xE2\x80\xA8x\n", "bad-char", "line separator", 1, 5),
		CASE("a: \xEF\xBF\xBF\n", "bad-char", "U+FFFF", 1, 4),
#undef CASE
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		at_source src;
		at_diags d;
		assert_int_equal(from_buffer(cases[i].text, cases[i].len, &src,
					     &d),
				 AT_EINPUT);
		assert_int_equal(d.n, 1);
		assert_string_equal(d.v[0].code, cases[i].code);
		assert_int_equal(d.v[0].pos.line, cases[i].line);
		assert_int_equal(d.v[0].pos.col, cases[i].col);
		if (cases[i].part)
			assert_non_null(strstr(d.v[0].message, cases[i].part));
		at_source_free(&src);
		at_diags_free(&d);
	}
}

static void input_limit(void **state)
{
	(void)state;
	at_source src;
	at_diags d;
	at_diags_init(&d);
	assert_int_equal(at_source_from_buffer("123456", 6, 5, &src, &d),
			 AT_EIO);
	assert_int_equal(d.v[0].pos.line, 0);
	assert_null(src.data);
	at_diags_free(&d);
}

static void source_pos_counts_characters(void **state)
{
	(void)state;
	const char *s = "ab\nçé€x\n";
	at_pos p = at_source_pos(s, strlen(s), 3 + 2 + 2 + 3);
	assert_int_equal(p.line, 2);
	assert_int_equal(p.col, 4);
	p = at_source_pos(s, strlen(s), 0);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.col, 1);
	/* An invalid byte is a character, ASCII around it one a byte. */
	const char *bad = "x: a\xFF\xC3" "b\t\x7F";
	p = at_source_pos(bad, strlen(bad), strlen(bad) - 1);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.col, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_and_values_have_their_own_positions),
		cmocka_unit_test(columns_count_characters_not_bytes),
		cmocka_unit_test(multiline_span_after_multibyte_text),
		cmocka_unit_test(crlf_lines_and_columns),
		cmocka_unit_test(duplicate_keys_reported_and_loading_goes_on),
		cmocka_unit_test(quoted_and_plain_keys_are_the_same_key),
		cmocka_unit_test(non_text_and_merge_keys),
		cmocka_unit_test(aliases_share_the_anchor_node),
		cmocka_unit_test(alias_inside_its_own_anchor_is_a_cycle),
		cmocka_unit_test(unknown_alias),
		cmocka_unit_test(expansion_budget_counts_aliases),
		cmocka_unit_test(depth_limit_counts_collections),
		cmocka_unit_test(depth_limit_holds_through_aliases),
		cmocka_unit_test(hundred_thousand_brackets),
		cmocka_unit_test(second_document),
		cmocka_unit_test(text_limit_and_nul_escape),
		cmocka_unit_test(reader_error_offset_to_line_and_column),
		cmocka_unit_test(syntax_errors_say_what_to_do),
		cmocka_unit_test(empty_stream_and_soft_tags),
		cmocka_unit_test(bom_removed_and_crlf_accepted),
		cmocka_unit_test(bad_bytes_have_positions),
		cmocka_unit_test(input_limit),
		cmocka_unit_test(source_pos_counts_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
