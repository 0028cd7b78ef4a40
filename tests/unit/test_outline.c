/* test_outline.c: the report's outline, as every document format reads
 * it: the parts and their numbers, a group's layout, an item's facts in
 * words, a kit step's joint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "atelier/atelier.h"
#include "outline.h"

static at_document *load(const char *yaml)
{
	at_limits lim;
	at_limits_default(&lim);
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_document_load_buffer("o.yaml", yaml, strlen(yaml), &lim, &doc, &d);
	assert_false(at_diags_has_errors(&d));
	at_diags_free(&d);
	assert_non_null(at_document_session(doc));
	return doc;
}

static const char parts_yaml[] =
	"atelier: 1\nlang: en\ntitle: T\ndate: 2024-05-02\n"
	"questions: [{id: q1, title: A}, {id: q2, title: B}]\n"
	"subgroups:\n  q2:\n    groups: [{name: G, practices: [P]}]\n"
	"kit:\n  q1: [{step: S, prompt: P}]\n"
	"synthesis: Done.\n";

static void parts_in_one_order_numbered_among_those_present(void **state)
{
	(void)state;
	at_document *doc = load(parts_yaml);
	const at_session *s = at_document_session(doc);
	at_outline o;
	at_outline_init(&o, s, at_labels_for(AT_LANG_EN));
	static const char *const want[] = {"setup", "subgroups", "synthesis",
					   "kit", "annex"};
	assert_int_equal(o.n_parts, 5);
	at_buf b;
	at_buf_init(&b);
	for (size_t i = 0; i < o.n_parts; i++) {
		assert_string_equal(o.parts[i].anchor, want[i]);
		assert_int_equal(o.parts[i].number, (int)i + 1);
	}
	at_part_title(&o, &o.parts[2], &b);
	assert_string_equal(at_buf_cstr(&b), "3. Synthesis");
	/* Only the questions that have a piece in the part. */
	assert_false(at_part_has_question(&o.parts[1], &s->questions[0]));
	assert_true(at_part_has_question(&o.parts[1], &s->questions[1]));
	assert_true(at_part_has_question(&o.parts[3], &s->questions[0]));
	assert_false(at_setup_has(&o, AT_SETUP_CONTEXT));
	assert_true(at_setup_has(&o, AT_SETUP_QUESTIONS));
	at_buf_free(&b);
	at_outline_free(&o);
	at_document_free(doc);
}

static const char grid_yaml[] =
	"atelier: 1\ntitle: T\ndate: 2024-05-02\n"
	"questions: [{id: q1, title: A}]\n"
	"sections: [{id: a, label: A}, {id: b, label: B}, {id: c, label: C},"
	" {id: d, label: D}, {id: e, label: E}]\n"
	"subgroups:\n  q1:\n    groups:\n"
	"      - {name: G1, a: [x]}\n"
	"      - {name: G2, a: [x], c: [x]}\n"
	"      - {name: G3, a: [x], b: [x], e: [x]}\n"
	"      - {name: G4, a: [x], b: [x], c: [x], d: [x]}\n"
	"      - {name: G5, a: [x], b: [x], c: [x], d: [x], e: [x]}\n";

static const char builtin_yaml[] =
	"atelier: 1\ntitle: T\ndate: 2024-05-02\n"
	"questions: [{id: q1, title: A}]\n"
	"subgroups:\n  q1:\n    groups:\n"
	"      - {name: G1, practices: [x], brakes: [x]}\n"
	"      - {name: G2, conditions: [x], drivers: [x]}\n"
	"      - {name: G3, practices: [x]}\n";

static void a_group_is_laid_out_as_its_grid(void **state)
{
	(void)state;
	at_document *doc = load(grid_yaml);
	const at_subgroup_work *w = at_document_session(doc)->questions[0]
					    .subgroups;
	static const at_layout want[] = {AT_LAYOUT_ONE, AT_LAYOUT_TWO,
					 AT_LAYOUT_FLOW, AT_LAYOUT_SQUARE,
					 AT_LAYOUT_FLOW};
	assert_int_equal(w->n_groups, 5);
	for (size_t i = 0; i < w->n_groups; i++)
		assert_int_equal(at_group_layout(&w->groups[i]), want[i]);
	at_document_free(doc);
	doc = load(builtin_yaml);
	w = at_document_session(doc)->questions[0].subgroups;
	assert_int_equal(at_group_layout(&w->groups[0]), AT_LAYOUT_PAPER);
	assert_false(at_section_of_change(&w->groups[0].sections[0]));
	assert_true(at_section_of_change(&w->groups[0].sections[1]));
	/* One column of the paper sheet filled: no empty half. */
	assert_int_equal(at_group_layout(&w->groups[1]), AT_LAYOUT_ONE);
	assert_int_equal(at_group_layout(&w->groups[2]), AT_LAYOUT_ONE);
	at_document_free(doc);
}

static const char facts_yaml[] =
	"atelier: 1\nlang: fr\ntitle: T\ndate: 2024-05-02\n"
	"participants: [{id: jm, name: Jeanne Martin}, {id: pd, name: P}]\n"
	"questions: [{id: q1, title: A}]\n"
	"tables: [{id: A}, {id: t2, name: Table verte}]\n"
	"rounds: [{tables: {q1: [A, t2]}}]\n"
	"brainstorm:\n  q1:\n"
	"    - {text: x, by: [jm, pd], round: 1, table: A, votes: 1,"
	" weight: 2.5, tags: [a, b], link: 'javascript:x', note: N}\n"
	"    - {text: y, table: t2, votes: 3}\n"
	"    - z\n";

static const char *facts_of(at_outline *o, const at_item *it, at_buf *b)
{
	at_facts f = at_item_facts(o, it);
	at_buf_clear(b);
	at_say_facts(o, b, &f);
	return at_buf_cstr(b);
}

static void an_items_facts_in_the_reports_words(void **state)
{
	(void)state;
	at_document *doc = load(facts_yaml);
	const at_session *s = at_document_session(doc);
	const at_items *items = &s->questions[0].brainstorm->items;
	at_outline o;
	at_outline_init(&o, s, at_labels_for(AT_LANG_FR));
	at_buf b;
	at_buf_init(&b);
	assert_string_equal(facts_of(&o, &items->v[0], &b),
			    "par Jeanne Martin, P \xc2\xb7 tour 1, table A "
			    "\xc2\xb7 1 vote \xc2\xb7 poids : 2.5 \xc2\xb7 "
			    "mots-cl\xc3\xa9s : a, b");
	at_facts f = at_item_facts(&o, &items->v[0]);
	assert_null(f.link);          /* refused: left out */
	assert_string_equal(f.note, "N");
	assert_string_equal(facts_of(&o, &items->v[1], &b),
			    "Table verte \xc2\xb7 3 votes");
	f = at_item_facts(&o, &items->v[2]);
	assert_false(f.any);
	at_buf_clear(&b);
	at_say_table(&o, &b, "A");
	assert_string_equal(at_buf_cstr(&b), "Table A");
	at_buf_free(&b);
	at_outline_free(&o);
	at_document_free(doc);
}

static const char kit_yaml[] =
	"atelier: 1\nlang: en\ntitle: T\ndate: 2024-05-02\n"
	"questions: [{id: q1, title: A}]\n"
	"kit:\n  q1:\n"
	"    - {step: S1, title: \"What now\xe2\x80\xa6\", prompt: P}\n"
	"    - {step: S2, title: \"**Why?**\", prompt: P}\n"
	"    - {step: S3, title: Plain, prompt: P}\n"
	"    - {step: \"S4:\", prompt: P}\n"
	"    - {step: S5, title: No prompt}\n";

static void a_kit_steps_head_joins_its_prompt(void **state)
{
	(void)state;
	at_document *doc = load(kit_yaml);
	const at_session *s = at_document_session(doc);
	const at_kit *k = s->questions[0].kit;
	at_outline o;
	at_outline_init(&o, s, at_labels_for(AT_LANG_EN));
	assert_string_equal(at_step_joint(&o, &k->steps[0]), " ");
	assert_string_equal(at_step_joint(&o, &k->steps[1]), " ");
	assert_string_equal(at_step_joint(&o, &k->steps[2]), ": ");
	assert_string_equal(at_step_joint(&o, &k->steps[3]), " ");
	assert_null(at_step_joint(&o, &k->steps[4]));
	at_outline_free(&o);
	assert_false(o.oom);
	at_document_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parts_in_one_order_numbered_among_those_present),
		cmocka_unit_test(a_group_is_laid_out_as_its_grid),
		cmocka_unit_test(an_items_facts_in_the_reports_words),
		cmocka_unit_test(a_kit_steps_head_joins_its_prompt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
