/* test_bind.c: the binder (bind.c) and validator (validate.c) through
 * at_document_load_buffer: suggestions, numbers, ranges, dates, ids and
 * limits, and that one problem is reported once, not echoed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "atelier/atelier.h"
#include "bind.h"
#include "suggest.h"

/* Five lines of a valid session; tests append theirs from line 6. */
#define HEAD                                                                 \
	"atelier: 1\ntitle: T\ndate: 2016-06-30\n"                           \
	"questions: [{id: q1, title: Q}]\nbrainstorm: {q1: [x]}\n"

typedef struct result {
	at_document *doc;
	at_diags d;
	at_status rc;
} result;

static result *check_with(const char *text, const at_limits *lim)
{
	result *r = test_calloc(1, sizeof *r);
	at_diags_init(&r->d);
	r->rc = at_document_load_buffer("t.yaml", text, strlen(text), lim,
					&r->doc, &r->d);
	return r;
}

static result *check(const char *text)
{
	return check_with(text, NULL);
}

static void done(result *r)
{
	at_document_free(r->doc);
	at_diags_free(&r->d);
	test_free(r);
}

/* The diagnostics must be exactly these, in the order reported:
 * "LINE:COL code message-part" each. */
static void expect(const result *r, size_t n, ...)
{
	va_list ap;
	va_start(ap, n);
	char all[4096] = "";
	for (size_t i = 0; i < r->d.n; i++) {
		size_t len = strlen(all);
		snprintf(all + len, sizeof all - len, "  %u:%u %s %s\n",
			 (unsigned)r->d.v[i].pos.line,
			 (unsigned)r->d.v[i].pos.col, r->d.v[i].code,
			 r->d.v[i].message);
	}
	if (r->d.n != n)
		fail_msg("expected %zu diagnostics, got:\n%s", n, all);
	for (size_t i = 0; i < n; i++) {
		unsigned line, col;
		char code[64];
		int used = 0;
		const char *want = va_arg(ap, const char *);
		if (sscanf(want, "%u:%u %63s %n", &line, &col, code, &used) < 3)
			fail_msg("bad expectation '%s'", want);
		const at_diag *g = &r->d.v[i];
		if (g->pos.line != line || g->pos.col != col ||
		    strcmp(g->code, code) != 0 ||
		    !strstr(g->message, want + used))
			fail_msg("diagnostic %zu: expected '%s', got:\n%s", i,
				 want, all);
	}
	va_end(ap);
}

/* ---- suggestions ---- */

static void edit_distance(void **state)
{
	(void)state;
	assert_int_equal(at_edit_distance("brakes", "brakes"), 0);
	assert_int_equal(at_edit_distance("brakess", "brakes"), 1);
	assert_int_equal(at_edit_distance("barkes", "brakes"), 1); /* swap */
	assert_int_equal(at_edit_distance("titel", "title"), 1);
	assert_int_equal(at_edit_distance("", "abc"), 3);
	assert_int_equal(at_edit_distance("kitten", "sitting"), 3);
	char a[100], b[100];
	memset(a, 'a', 99);
	a[99] = '\0';
	memset(b, 'b', 70);
	b[70] = '\0';
	/* past 64 characters no table is built: the longer length */
	assert_int_equal(at_edit_distance(a, b), 99);
}

static void suggestions_only_when_close(void **state)
{
	(void)state;
	static const char *const keys[] = {"practices", "conditions", "drivers",
					   "brakes", "name", "theme"};
	assert_string_equal(at_suggest("brakess", keys, 6), "brakes");
	assert_string_equal(at_suggest("driver", keys, 6), "drivers");
	assert_string_equal(at_suggest("pratiques", keys, 6), "practices");
	assert_null(at_suggest("moteurs", keys, 6));
	/* short words: one edit at most, or every short key would match */
	assert_string_equal(at_suggest("nam", keys, 6), "name");
	assert_null(at_suggest("xyz", keys, 6));
	assert_null(at_suggest("brakes", keys, 0));
}

static void unknown_key_with_suggestion(void **state)
{
	(void)state;
	result *r = check(HEAD "subgroups:\n  q1:\n    groups:\n"
			       "      - name: G\n        brakess: [x]\n");
	assert_int_equal(r->rc, AT_EINPUT);
	expect(r, 1, "10:9 unknown-key unknown key 'brakess' in sub-group "
		     "(did you mean 'brakes'?)");
	assert_int_equal(r->d.v[0].span, 7);
	done(r);
}

/* A grid longer than any fixed table: every one of its ids is a key a
 * group may hold. */
static void long_custom_grid(void **state)
{
	(void)state;
	char text[8192];
	size_t len = (size_t)snprintf(text, sizeof text, "%s", HEAD "sections:\n");
	for (int i = 0; i < 80; i++)
		len += (size_t)snprintf(text + len, sizeof text - len,
					"  - {id: s%d, label: S%d}\n", i, i);
	snprintf(text + len, sizeof text - len,
		 "subgroups:\n  q1:\n    groups:\n      - name: G\n"
		 "        s79: [x]\n        s0: [y]\n");
	result *r = check(text);
	expect(r, 0);
	const at_session *s = at_document_session(r->doc);
	assert_int_equal(s->n_sections, 80);
	assert_int_equal(s->subgroups[0].groups[0].n_sections, 2);
	/* in the grid's order, not the file's */
	assert_string_equal(s->subgroups[0].groups[0].sections[0].def->id.s,
			    "s0");
	done(r);
}

/* ---- numbers, ranges, dates ---- */

static void texts_stay_texts(void **state)
{
	(void)state;
	result *r = check("atelier: 1\ntitle: 2016\nplace: 0x1F\ndate: 2016-06-30\n"
			  "questions: [{id: 1, title: yes}]\nbrainstorm: {1: [3.14, null x]}\n");
	expect(r, 0);
	const at_session *s = at_document_session(r->doc);
	assert_string_equal(s->title, "2016");
	assert_string_equal(s->place, "0x1F");
	assert_string_equal(s->questions[0].id.s, "1");
	assert_string_equal(s->questions[0].title, "yes");
	assert_string_equal(s->brainstorms[0].items.v[0].text, "3.14");
	done(r);
}

static void ranges(void **state)
{
	(void)state;
	result *r = check(HEAD "phases:\n  - {kind: subgroups, group_size: [5, 8]}\n"
			       "  - {kind: rotation, group_size: 6}\n");
	expect(r, 0);
	const at_session *s = at_document_session(r->doc);
	assert_int_equal(s->phases[0].group_size.min, 5);
	assert_int_equal(s->phases[0].group_size.max, 8);
	assert_int_equal(s->phases[0].group_size.pos.col, 35);
	assert_int_equal(s->phases[1].group_size.min, 6);
	assert_int_equal(s->phases[1].group_size.max, 6);
	done(r);
	r = check(HEAD "phases:\n  - {kind: subgroups, group_size: [8, 5]}\n"
		       "  - {kind: other, group_size: [0, 5]}\n"
		       "  - {kind: other, group_size: [1]}\n");
	expect(r, 3, "7:35 bad-range 'group_size' goes from 8 down to 5",
	       "8:32 out-of-range 'group_size' must be 1 or more, found 0",
	       "9:31 wrong-type found a list of another length");
	done(r);
}

static void dates_and_leap_years(void **state)
{
	(void)state;
	static const struct {
		const char *date;
		const char *problem; /* NULL: a real date */
	} cases[] = {
		{"2016-02-29", NULL},
		{"2000-02-29", NULL},
		{"2016-12-31", NULL},
		{"0001-01-01", NULL},
		{"2015-02-29", "that month has no such day"},
		{"1900-02-29", "that month has no such day"},
		{"2016-04-31", "that month has no such day"},
		{"2016-01-00", "that month has no such day"},
		{"2016-13-01", "there is no such month"},
		{"2016-00-10", "there is no such month"},
		{"0000-06-30", "there is no year 0"},
		{"30/06/2016", "expected a date as YYYY-MM-DD"},
		{"2016-6-30", "expected a date as YYYY-MM-DD"},
		{"2016-06-30T10:00", "expected a date as YYYY-MM-DD"},
		{"\"2016-06-3x\"", "expected a date as YYYY-MM-DD"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[256];
		snprintf(text, sizeof text,
			 "atelier: 1\ntitle: T\ndate: %s\n"
			 "questions: [{id: q1, title: Q}]\n"
			 "brainstorm: {q1: [x]}\n",
			 cases[i].date);
		result *r = check(text);
		if (!cases[i].problem) {
			expect(r, 0);
			const at_date *d = &at_document_session(r->doc)->date;
			int y, m, dd;
			assert_int_equal(sscanf(cases[i].date, "%d-%d-%d", &y, &m,
						&dd),
					 3);
			assert_int_equal(d->year, y);
			assert_int_equal(d->month, m);
			assert_int_equal(d->day, dd);
		} else {
			expect(r, 1, "3:7 bad-date date");
			if (!strstr(r->d.v[0].message, cases[i].problem))
				fail_msg("%s: %s", cases[i].date,
					 r->d.v[0].message);
		}
		done(r);
	}
}

static void integers_out_of_range(void **state)
{
	(void)state;
	result *r = check(HEAD "attendance: 10000000\n"
			       "subgroups: {q1: {groups: [{name: G, size: 100000}]}}\n"
			       "kit: {q1: [{asks: [{text: a, votes: 9223372036854775807}]}]}\n");
	expect(r, 0);
	done(r);
	r = check(HEAD "attendance: 10000001\n"
		       "subgroups: {q1: {groups: [{name: G, size: 100001}]}}\n"
		       "kit: {q1: [{asks: [{text: a, votes: 9223372036854775808, "
		       "round: 2147483648, weight: 1e999}]}]}\n");
	/* in the order the binder reads an item's keys */
	expect(r, 5, "6:13 out-of-range between 0 and 10000000",
	       "7:43 out-of-range between 1 and 100000",
	       "8:65 out-of-range 'round' is too large",
	       "8:85 out-of-range 'weight' is too large",
	       "8:37 out-of-range 'votes' is too large");
	done(r);
	/* a weight too small to hold is as good as 0 */
	r = check(HEAD "kit: {q1: [{asks: [{text: a, weight: 1e-400}]}]}\n");
	expect(r, 0);
	done(r);
}

static void quoted_numbers_say_to_remove_quotes(void **state)
{
	(void)state;
	result *r = check(HEAD "attendance: \"18\"\n");
	expect(r, 1, "6:13 wrong-type found the text \"18\": write the number "
		     "without quotes");
	done(r);
}

/* ---- one problem, one report ---- */

static void question_without_title_is_kept(void **state)
{
	(void)state;
	/* its brainstorm is not reported as naming an unknown question */
	result *r = check("atelier: 1\ntitle: T\ndate: 2016-06-30\n"
			  "questions:\n  - id: q1\nbrainstorm: {q1: [x]}\n");
	expect(r, 1, "5:5 missing-key missing required key 'title' in question");
	done(r);
}

static void unsupported_version_stops_there(void **state)
{
	(void)state;
	result *r = check("atelier: 2\nwhatever: 1\ndate: never\n");
	expect(r, 1, "1:10 bad-version unsupported format version 2");
	done(r);
}

static void colon_in_a_text(void **state)
{
	(void)state;
	result *r = check(HEAD "facilitators:\n  - Animation : Paul\n"
			       "synthesis: ok\n");
	expect(r, 1, "7:5 colon-in-text put the whole text between double quotes");
	done(r);
}

static void quoted_name_is_pointed_after_its_quote(void **state)
{
	(void)state;
	result *r = check(HEAD "kit:\n  \"q2\": []\n  'q3': []\n");
	expect(r, 2, "7:4 unknown-question 'q2'", "8:4 unknown-question 'q3'");
	assert_int_equal(r->d.v[0].span, 2);
	done(r);
}

static void references_suggest_close_ids(void **state)
{
	(void)state;
	result *r = check(HEAD "participants: [{id: jmartin, name: J}]\n"
			       "kit: {q1: [{asks: [{text: a, by: [jmartn, q]}]}]}\n");
	expect(r, 2,
	       "7:35 unknown-participant 'jmartn': not an id under "
	       "'participants' (did you mean 'jmartin'?)",
	       "7:43 unknown-participant 'q': not an id under 'participants'");
	done(r);
}

/* ---- limits ---- */

static void item_limit(void **state)
{
	(void)state;
	at_limits lim;
	at_limits_default(&lim);
	lim.max_items = 3;
	result *r = check_with("atelier: 1\ntitle: T\ndate: 2016-06-30\n"
			       "questions: [{id: q1, title: Q}]\n"
			       "brainstorm:\n  q1: [a, b, c, d, e]\n"
			       "kit: {q1: [{asks: [f, g]}]}\n",
			       &lim);
	assert_int_equal(r->rc, AT_EINPUT);
	expect(r, 1, "6:17 too-many-items more than 3 contributions");
	done(r);
}

static void empty_items_and_texts(void **state)
{
	(void)state;
	result *r = check(HEAD "facilitators: [a, \"\"]\n"
			       "kit: {q1: [{asks: [\"  \", ~, {text: \"\"}], "
			       "prompt: x}]}\n");
	expect(r, 4, "6:19 empty-text empty text in 'facilitators'",
	       "7:20 empty-item empty item", "7:26 empty-item empty item",
	       "7:36 missing-key required key 'text' in item has no value");
	done(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(edit_distance),
		cmocka_unit_test(suggestions_only_when_close),
		cmocka_unit_test(unknown_key_with_suggestion),
		cmocka_unit_test(long_custom_grid),
		cmocka_unit_test(texts_stay_texts),
		cmocka_unit_test(ranges),
		cmocka_unit_test(dates_and_leap_years),
		cmocka_unit_test(integers_out_of_range),
		cmocka_unit_test(quoted_numbers_say_to_remove_quotes),
		cmocka_unit_test(question_without_title_is_kept),
		cmocka_unit_test(unsupported_version_stops_there),
		cmocka_unit_test(colon_in_a_text),
		cmocka_unit_test(quoted_name_is_pointed_after_its_quote),
		cmocka_unit_test(references_suggest_close_ids),
		cmocka_unit_test(item_limit),
		cmocka_unit_test(empty_items_and_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
