/* test_diag.c: the diagnostics list (diag.c): counting, --werror, the
 * stable sort by position, and the compiler-style rendering with its
 * source excerpt and caret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "atelier/diag.h"

static at_pos P(uint32_t line, uint32_t col)
{
	return (at_pos){line, col};
}

/* Renders d against src; the caller frees the text. */
static char *render(const at_diags *d, const char *src, int color)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	at_render_opts o = {color, 1};
	at_diags_render(d, f, "s.yaml", src, src ? strlen(src) : 0, &o);
	fclose(f);
	return out;
}

static void assert_rendered(const at_diags *d, const char *src,
			    const char *want)
{
	char *got = render(d, src, 0);
	if (strcmp(got, want) != 0)
		fail_msg("rendered:\n%s\nexpected:\n%s", got, want);
	free(got);
}

static void counts_and_werror(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_WARNING, "w", P(1, 1), 1, "w%d", 1);
	assert_false(at_diags_has_errors(&d));
	at_diag_add(&d, AT_WARNING, "w", P(2, 1), 1, "w%d", 2);
	at_diag_add(&d, AT_NOTE, "n", P(3, 1), 1, "a note");
	assert_int_equal(d.warnings, 2);
	at_diags_promote_warnings(&d);
	assert_true(at_diags_has_errors(&d));
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 0);
	assert_int_equal(d.v[0].severity, AT_ERROR);
	assert_int_equal(d.v[2].severity, AT_NOTE);
	assert_string_equal(d.v[1].message, "w2");
	at_diags_free(&d);
}

static void sort_is_by_position_and_stable(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	/* many, so that the merge sort merges runs of several sizes */
	for (uint32_t i = 0; i < 100; i++)
		at_diag_add(&d, AT_ERROR, "e", P(100 - i % 10, 1 + i % 3), 1,
			    "%u", (unsigned)i);
	at_diag_add(&d, AT_ERROR, "e", P(0, 0), 0, "file");
	at_diags_sort(&d);
	assert_string_equal(d.v[0].message, "file");
	for (size_t i = 1; i < d.n; i++) {
		const at_diag *a = &d.v[i - 1], *b = &d.v[i];
		assert_true(a->pos.line < b->pos.line ||
			    (a->pos.line == b->pos.line && a->pos.col <= b->pos.col));
		/* the same place keeps the order of report */
		if (a->pos.line == b->pos.line && a->pos.col == b->pos.col)
			assert_true(atoi(a->message) < atoi(b->message));
	}
	at_diags_free(&d);
}

static void caret_under_the_span(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "unknown-key", P(2, 9), 7,
		    "unknown key '%s' in sub-group (did you mean '%s'?)",
		    "brakess", "brakes");
	assert_rendered(&d, "groups:\n      - a\n",
			"s.yaml:2:9: error: unknown key 'brakess' in sub-group "
			"(did you mean 'brakes'?)\n"
			"    2 |       - a\n"
			"      |         ^\n");
	at_diags_free(&d);
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "unknown-key", P(1, 9), 7, "x");
	assert_rendered(&d, "        brakess: [x]\r\n",
			"s.yaml:1:9: error: x\n"
			"    1 |         brakess: [x]\n"
			"      |         ^~~~~~~\n");
	at_diags_free(&d);
}

static void caret_after_multibyte_text_and_tabs(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "e", P(1, 4), 3, "x");
	/* é is two bytes and one column */
	assert_rendered(&d, "é: ééé\n",
			"s.yaml:1:4: error: x\n"
			"    1 | é: ééé\n"
			"      |    ^~~\n");
	at_diags_free(&d);
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "e", P(1, 3), 2, "x");
	/* a tab stays a tab, so that the terminal aligns both lines */
	assert_rendered(&d, "\t\tab\n",
			"s.yaml:1:3: error: x\n"
			"    1 | \t\tab\n"
			"      | \t\t^~\n");
	at_diags_free(&d);
}

static void caret_after_wide_and_combining_characters(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	/* two CJK characters take two cells each; e + U+0301 is one cell */
	at_diag_add(&d, AT_ERROR, "e", P(1, 6), 2, "x");
	assert_rendered(&d, "田舎e\xCC\x81 ab\n",
			"s.yaml:1:6: error: x\n"
			"    1 | 田舎e\xCC\x81 ab\n"
			"      |       ^~\n");
	at_diags_free(&d);
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "e", P(1, 2), 1, "x");
	/* underlining a wide character takes its two cells */
	assert_rendered(&d, "a田b\n",
			"s.yaml:1:2: error: x\n"
			"    1 | a田b\n"
			"      |  ^~\n");
	at_diags_free(&d);
}

static void caret_at_end_of_line_and_span_clipped(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "e", P(1, 7), 1, "no value");
	at_diag_add(&d, AT_ERROR, "e", P(2, 3), 50, "long span");
	assert_rendered(&d, "title:\nab cd\n",
			"s.yaml:1:7: error: no value\n"
			"    1 | title:\n"
			"      |       ^\n"
			"s.yaml:2:3: error: long span\n"
			"    2 | ab cd\n"
			"      |   ^~~\n");
	at_diags_free(&d);
}

static void no_colour_unless_asked(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "e", P(1, 1), 1, "bad");
	at_diag_add(&d, AT_WARNING, "w", P(1, 1), 1, "meh");
	char *plain = render(&d, "x: 1\n", 0);
	assert_null(strchr(plain, '\033'));
	free(plain);
	char *colour = render(&d, "x: 1\n", 1);
	assert_non_null(strstr(colour, "\033[1;31merror:"));
	assert_non_null(strstr(colour, "\033[1;35mwarning:"));
	assert_non_null(strstr(colour, "\033[1;32m^"));
	free(colour);
	at_diags_free(&d);
}

static void controls_never_reach_the_terminal(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "e", P(1, 3), 1, "key '%s'", "\033[2J\xC2\x85");
	/* a raw control in the source (a file rejected for it) */
	assert_rendered(&d, "a\033b\n",
			"s.yaml:1:3: error: key '\\x1B[2J\\u0085'\n"
			"    1 | a\xEF\xBF\xBD" "b\n"
			"      |   ^\n");
	at_diags_free(&d);
}

static void invalid_utf8_in_excerpt(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "not-utf8", P(1, 3), 1, "bad byte");
	assert_rendered(&d, "a\xE9\xFF" "b\n",
			"s.yaml:1:3: error: bad byte\n"
			"    1 | a\xEF\xBF\xBD\xEF\xBF\xBD" "b\n"
			"      |   ^\n");
	at_diags_free(&d);
}

/* A line of megabytes (a minified file) shows a window around the caret. */
static void long_line_window(void **state)
{
	(void)state;
	size_t n = 100000;
	char *src = malloc(n + 2);
	assert_non_null(src);
	memset(src, '[', n);
	src[n] = '\n';
	src[n + 1] = '\0';
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "too-deep", P(1, 257), 1, "deep");
	char *out = render(&d, src, 0);
	char *lines[4] = {out, NULL, NULL, NULL};
	for (int i = 1; i < 4; i++) {
		char *nl = strchr(lines[i - 1], '\n');
		assert_non_null(nl);
		*nl = '\0';
		lines[i] = nl + 1;
	}
	assert_string_equal(lines[0], "s.yaml:1:257: error: deep");
	assert_true(strlen(lines[1]) <= 8 + 3 + 120 + 3);
	assert_memory_equal(lines[1], "    1 | ...[", 12);
	assert_string_equal(lines[1] + strlen(lines[1]) - 4, "[...");
	/* the caret is under the 257th character of the line: the window
	 * starts 40 characters before it, after "..." */
	size_t caret = (size_t)(strchr(lines[2], '^') - lines[2]);
	assert_int_equal(caret, 8 + 3 + 40);
	free(out);
	free(src);
	at_diags_free(&d);
}

static void file_level_and_no_source(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	at_diag_add(&d, AT_ERROR, "io", P(0, 0), 0, "cannot open: %s", "gone");
	at_diag_add(&d, AT_ERROR, "e", P(9, 1), 1, "past the end");
	assert_rendered(&d, "a: 1\n",
			"s.yaml: error: cannot open: gone\n"
			"s.yaml:9:1: error: past the end\n");
	assert_rendered(&d, NULL,
			"s.yaml: error: cannot open: gone\n"
			"s.yaml:9:1: error: past the end\n");
	at_diags_free(&d);
}

static void too_many_diagnostics(void **state)
{
	(void)state;
	at_diags d;
	at_diags_init(&d);
	for (int i = 0; i < 1005; i++)
		at_diag_add(&d, AT_ERROR, "e", P(1, 1), 1, "e%d", i);
	assert_int_equal(d.n, 1000);
	assert_int_equal(d.errors, 1005);
	char *out = render(&d, NULL, 0);
	assert_non_null(strstr(out, "\ns.yaml: 5 more diagnostics not shown\n"));
	free(out);
	at_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_and_werror),
		cmocka_unit_test(sort_is_by_position_and_stable),
		cmocka_unit_test(caret_under_the_span),
		cmocka_unit_test(caret_after_multibyte_text_and_tabs),
		cmocka_unit_test(caret_after_wide_and_combining_characters),
		cmocka_unit_test(caret_at_end_of_line_and_span_clipped),
		cmocka_unit_test(no_colour_unless_asked),
		cmocka_unit_test(controls_never_reach_the_terminal),
		cmocka_unit_test(invalid_utf8_in_excerpt),
		cmocka_unit_test(long_line_window),
		cmocka_unit_test(file_level_and_no_source),
		cmocka_unit_test(too_many_diagnostics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
