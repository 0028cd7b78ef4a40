/* test_core.c: the small shared pieces: arena, buffer, UTF-8, Markdown
 * helpers, labels, and the one walk over contributions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "atelier/atelier.h"
#include "buf.h"
#include "labels.h"
#include "text.h"
#include "utf8.h"

static void arena_hands_out_aligned_zeroed_memory(void **state)
{
	(void)state;
	at_arena a;
	at_arena_init(&a);
	for (size_t i = 1; i < 5000; i += 37) {
		unsigned char *p = at_arena_alloc(&a, i);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t j = 0; j < i; j++)
			assert_int_equal(p[j], 0);
		memset(p, 0xAB, i);
	}
	/* A request larger than a chunk gets its own. */
	char *big = at_arena_alloc(&a, 1 << 20);
	assert_non_null(big);
	big[(1 << 20) - 1] = 1;
	assert_null(at_arena_array(&a, SIZE_MAX / 2, 4));
	assert_string_equal(at_arena_strndup(&a, "abcdef", 3), "abc");
	at_arena_free(&a);
}

static void buf_grows_and_formats(void **state)
{
	(void)state;
	at_buf b;
	at_buf_init(&b);
	assert_string_equal(at_buf_cstr(&b), "");
	for (int i = 0; i < 1000; i++)
		at_buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.s));
	assert_true(strncmp(b.s, "0,1,2,", 6) == 0);
	assert_true(strstr(b.s, "999,") != NULL);
	at_buf_clear(&b);
	at_buf_puts(&b, "x");
	char *s = at_buf_take(&b);
	assert_string_equal(s, "x");
	assert_null(b.s);
	free(s);
	at_buf_free(&b);
}

static void utf8_validates_like_rfc3629(void **state)
{
	(void)state;
	assert_int_equal(at_utf8_valid_len("a", 1), 1);
	assert_int_equal(at_utf8_valid_len("\xC3\xA9", 2), 2);         /* é */
	assert_int_equal(at_utf8_valid_len("\xE2\x9E\x94", 3), 3);     /* ➔ */
	assert_int_equal(at_utf8_valid_len("\xF0\x9F\x98\x80", 4), 4); /* 😀 */
	assert_int_equal(at_utf8_valid_len("\xC0\xAF", 2), 0);  /* overlong */
	assert_int_equal(at_utf8_valid_len("\xED\xA0\x80", 3), 0); /* surrogate */
	assert_int_equal(at_utf8_valid_len("\xF4\x90\x80\x80", 4), 0);
	assert_int_equal(at_utf8_valid_len("\xC3", 1), 0);      /* truncated */
	assert_int_equal(at_utf8_valid_len("\xFF", 1), 0);
	assert_int_equal(at_utf8_count("é➔a", strlen("é➔a")), 3);
	/* ASCII counted a byte at a time, beside the rest: an invalid byte
	 * is one character, a truncated sequence one a byte. */
	assert_int_equal(at_utf8_count("ab\xFF" "c\xC3", 5), 5);
	assert_int_equal(at_utf8_count("a\x7F\xE2\x9E", 4), 4);
	assert_int_equal(at_utf8_count("", 0), 0);
	assert_int_equal(at_utf8_decode("\xE2\x9E\x94", 3), 0x2794);
}

static void markdown_plain_keeps_words_and_link_targets(void **state)
{
	(void)state;
	at_buf b;
	at_buf_init(&b);
	assert_int_equal(at_md_plain(&b, "Un **gras** et [ADML63.org](http://adml63.org)"), 0);
	assert_string_equal(b.s, "Un gras et ADML63.org (http://adml63.org)");
	at_buf_clear(&b);
	at_md_plain(&b, "<http://www.agrilocal63.fr/>");
	assert_string_equal(b.s, "http://www.agrilocal63.fr/");
	at_buf_clear(&b);
	at_md_plain(&b, "=1+1");
	assert_string_equal(b.s, "=1+1");
	at_buf_clear(&b);
	at_md_plain(&b, "one\n\ntwo");
	assert_string_equal(b.s, "one\ntwo");
	at_buf_free(&b);
}

static void markdown_html_is_safe(void **state)
{
	(void)state;
	at_buf b;
	at_buf_init(&b);
	at_md_html(&b, "a <script>alert(1)</script> **x** [y](javascript:alert(1))", 1);
	assert_null(strstr(b.s, "<script"));
	assert_null(strstr(b.s, "javascript:"));
	assert_non_null(strstr(b.s, "<strong>x</strong>"));
	assert_true(strncmp(b.s, "<p>", 3) != 0); /* inline: no wrapper */
	at_buf_clear(&b);
	/* An inline text is one paragraph in every format (text.h), as the
	 * Markdown report has always written it. */
	at_md_html(&b, "a\n\nb", 1);
	assert_string_equal(b.s, "a\nb");
	at_buf_free(&b);
}

static void dates_are_written_out_in_each_language(void **state)
{
	(void)state;
	char buf[64];
	at_date d = {2016, 6, 30, {0, 0}};
	at_format_date(at_labels_for(AT_LANG_FR), &d, buf, sizeof buf);
	assert_string_equal(buf, "30 juin 2016");
	at_format_date(at_labels_for(AT_LANG_EN), &d, buf, sizeof buf);
	assert_string_equal(buf, "30 June 2016");
	at_date first = {2024, 8, 1, {0, 0}};
	at_format_date(at_labels_for(AT_LANG_FR), &first, buf, sizeof buf);
	assert_string_equal(buf, "1er août 2024");
}

static void plurals_follow_each_language(void **state)
{
	(void)state;
	const at_labels *fr = at_labels_for(AT_LANG_FR);
	const at_labels *en = at_labels_for(AT_LANG_EN);
	assert_int_equal(at_plural(fr, 0), 0); /* 0 frein */
	assert_int_equal(at_plural(fr, 1), 0);
	assert_int_equal(at_plural(fr, 2), 1);
	assert_int_equal(at_plural(en, 0), 1); /* 0 brakes */
	assert_int_equal(at_plural(en, 1), 0);
	assert_int_equal(at_plural(en, 2), 1);
}

/* ---- the walk ---- */

static const char walk_yaml[] =
	"atelier: 1\n"
	"title: t\n"
	"date: 2020-01-02\n"
	"questions: [{id: q1, title: a}, {id: q2, title: b}]\n"
	"brainstorm:\n"
	"  q2: [b1]\n"
	"  q1: [{text: a1, items: [{text: a1.1, items: [a1.1.1]}]}, a2]\n"
	"subgroups:\n"
	"  q1:\n"
	"    groups:\n"
	"      - name: G\n"
	"        brakes: [f1]\n"
	"        practices: [p1]\n"
	"kit:\n"
	"  q1: [{step: S, asks: [k1]}]\n";

typedef struct seen {
	char text[16][16];
	char kind[16][16];
	int depth[16];
	size_t n;
} seen;

static int record(const at_contribution *c, void *ctx)
{
	seen *s = ctx;
	assert_true(s->n < 16);
	assert_int_equal(c->index, s->n);
	snprintf(s->text[s->n], 16, "%s", c->item->text);
	snprintf(s->kind[s->n], 16, "%s", at_contribution_kind(c));
	s->depth[s->n] = c->depth;
	s->n++;
	return 0;
}

static void walk_visits_in_document_order(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_document *doc;
	assert_int_equal(at_document_load_buffer("w.yaml", walk_yaml,
						 strlen(walk_yaml), NULL, &doc, &d),
			 AT_OK);
	const at_session *s = at_document_session(doc);
	seen v;
	memset(&v, 0, sizeof v);
	at_session_walk(s, record, &v);
	/* Questions in their declared order whatever the mapping's order;
	 * sections in the grid's order (practices before brakes). */
	const char *want[] = {"a1", "a1.1", "a1.1.1", "a2", "b1", "p1", "f1", "k1"};
	const char *kinds[] = {"brainstorm", "brainstorm", "brainstorm",
			       "brainstorm", "brainstorm", "practice",
			       "brake", "instruction"};
	const int depth[] = {0, 1, 2, 0, 0, 0, 0, 0};
	assert_int_equal(v.n, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_string_equal(v.text[i], want[i]);
		assert_string_equal(v.kind[i], kinds[i]);
		assert_int_equal(v.depth[i], depth[i]);
	}
	/* Walked, but not counted: the kit's ask is an instruction. */
	assert_int_equal(at_session_count(s), 7);
	at_document_free(doc);
	at_diags_free(&d);
}

static int stop_at_third(const at_contribution *c, void *ctx)
{
	(void)ctx;
	return c->index == 2 ? 42 : 0;
}

static void walk_stops_when_asked(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_document *doc;
	at_document_load_buffer("w.yaml", walk_yaml, strlen(walk_yaml), NULL,
				&doc, &d);
	assert_int_equal(at_session_walk(at_document_session(doc), stop_at_third,
					 NULL),
			 42);
	at_document_free(doc);
	at_diags_free(&d);
}

static void lookups_find_participants_and_tables_by_id(void **state)
{
	(void)state;
	static const char yaml[] =
		"atelier: 1\ntitle: t\ndate: 2020-01-02\n"
		"questions: [{id: q1, title: a}]\n"
		"participants: [{id: zo, name: Zoé}, {id: al, name: Alain},"
		" {id: mb, name: Marie}]\n"
		"tables: [{id: B}, {id: A, host: Alain}]\n"
		"brainstorm: {q1: [{text: x, by: [mb, zo], table: A}]}\n";
	at_diags d;
	at_diags_init(&d);
	at_document *doc;
	assert_int_equal(at_document_load_buffer("l.yaml", yaml, strlen(yaml),
						 NULL, &doc, &d),
			 AT_OK);
	const at_session *s = at_document_session(doc);
	assert_string_equal(at_session_participant(s, "al")->name, "Alain");
	assert_string_equal(at_session_participant(s, "mb")->name, "Marie");
	assert_string_equal(at_session_participant(s, "zo")->name, "Zoé");
	assert_null(at_session_participant(s, "xx"));
	assert_string_equal(at_session_table(s, "A")->host, "Alain");
	assert_non_null(at_session_table(s, "B"));
	assert_null(at_session_table(s, "C"));
	at_document_free(doc);
	at_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_hands_out_aligned_zeroed_memory),
		cmocka_unit_test(buf_grows_and_formats),
		cmocka_unit_test(utf8_validates_like_rfc3629),
		cmocka_unit_test(markdown_plain_keeps_words_and_link_targets),
		cmocka_unit_test(markdown_html_is_safe),
		cmocka_unit_test(dates_are_written_out_in_each_language),
		cmocka_unit_test(plurals_follow_each_language),
		cmocka_unit_test(walk_visits_in_document_order),
		cmocka_unit_test(walk_stops_when_asked),
		cmocka_unit_test(lookups_find_participants_and_tables_by_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
