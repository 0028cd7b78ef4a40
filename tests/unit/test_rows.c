/* test_rows.c: the rows of the Contributions table (src/report/rows.c). Texts
 * that read as themselves are copied instead of parsed: every cell must
 * still be what the text layer makes of the text, on the edge cases of that
 * shortcut. Filling only some columns must leave the others as a full
 * fill makes them, and a parent left out must still be found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier/atelier.h"
#include "buf.h"
#include "rows.h"
#include "text.h"

/* Each a contribution's text, and a note: plain sentences, and the
 * nearest texts that are Markdown (block openers at the start, spans,
 * spaces and line ends). */
static const char *const texts[] = {
	"Bravo !", "a > b", "Un sentier, deux communes", "é à ç « oui »",
	"a|b", "a ]", "http://x.example", "=1+1", "2024 est loin",
	"- a", "+ a", "* a", "1. a", "1) a", "# a", "> a", "= a", "_a_",
	"~~~", "***", "---", "<b>x</b>", "[a]: /u", "| a", "a  ", "a ",
	"a *b*", "a_b_c", "a `x`", "a <b>", "a &amp; b", "a &copy;",
	"a \\* b", "[a](b)", "a [b](c) d", "a\tb", "a\nb", "a  \nb",
	"a\\\nb", "a\n\nb", "a ~~b~~", "a!", "![i](j.png)", "a\vb",
	"<http://x.example>", "a<b", "a&b",
};

/* texts as a YAML double-quoted scalar. */
static void put_yaml_str(at_buf *b, const char *s)
{
	at_buf_putc(b, '"');
	for (; *s; s++) {
		switch (*s) {
		case '"':
			at_buf_puts(b, "\\\"");
			break;
		case '\\':
			at_buf_puts(b, "\\\\");
			break;
		case '\n':
			at_buf_puts(b, "\\n");
			break;
		case '\t':
			at_buf_puts(b, "\\t");
			break;
		case '\v':
			at_buf_puts(b, "\\v");
			break;
		default:
			at_buf_putc(b, *s);
		}
	}
	at_buf_putc(b, '"');
}

/* One brainstorm item per text, with the text as its note too and one
 * child, so that the parent column sees it as well. */
static at_document *load_texts(void)
{
	at_buf y;
	at_buf_init(&y);
	at_buf_puts(&y, "atelier: 1\ntitle: Atelier\ndate: 2024-03-14\n"
			"questions:\n  - id: q1\n    title: Une question ?\n"
			"brainstorm:\n  q1:\n");
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		at_buf_puts(&y, "    - text: ");
		put_yaml_str(&y, texts[i]);
		at_buf_puts(&y, "\n      note: ");
		put_yaml_str(&y, texts[i]);
		at_buf_puts(&y, "\n      items:\n        - Un enfant\n");
	}
	assert_false(y.oom);
	at_limits lim;
	at_limits_default(&lim);
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_document_load_buffer("rows.yaml", at_buf_cstr(&y), y.len, &lim,
				&doc, &d);
	assert_false(at_diags_has_errors(&d));
	at_diags_free(&d);
	at_buf_free(&y);
	assert_non_null(at_document_session(doc));
	return doc;
}

/* Item texts are inline texts, notes block texts (text.h). */
static void assert_plain(const at_cell *cell, const char *md, int block)
{
	at_buf want;
	at_buf_init(&want);
	assert_int_equal(block ? at_md_plain(&want, md)
			       : at_md_plain_inline(&want, md), 0);
	assert_string_equal(cell->text, at_buf_cstr(&want));
	assert_int_equal(cell->len, want.len);
	at_buf_free(&want);
}

typedef struct fill_check {
	at_rows rows;
	size_t seen;
	int some;     /* leave the Markdown columns out at depth 0 */
} fill_check;

static int check_full(const at_contribution *c, void *ctx)
{
	fill_check *f = ctx;
	assert_int_equal(at_rows_fill(&f->rows, c), AT_OK);
	const at_cell *cells = f->rows.cells;
	assert_plain(&cells[AT_COL_TEXT], c->item->text, 0);
	if (c->item->note)
		assert_plain(&cells[AT_COL_NOTE], c->item->note, 1);
	if (c->parent)
		assert_plain(&cells[AT_COL_PARENT], c->parent->text, 0);
	f->seen++;
	return 0;
}

static void cells_are_what_cmark_makes(void **state)
{
	(void)state;
	at_document *doc = load_texts();
	const at_session *s = at_document_session(doc);
	fill_check f = {.seen = 0};
	assert_int_equal(at_rows_init(&f.rows, s, AT_LANG_FR), AT_OK);
	at_session_walk(s, check_full, &f);
	assert_int_equal(f.seen, 2 * (sizeof texts / sizeof texts[0]));
	at_rows_free(&f.rows);
	at_document_free(doc);
}

/* Top-level items without their Markdown columns, their children with
 * every column: the children's parent column must not come from a stale
 * entry of the path. */
static int check_some(const at_contribution *c, void *ctx)
{
	fill_check *f = ctx;
	at_cols want = c->depth == 0 ? 0 : AT_ALL_COLS;
	assert_int_equal(at_rows_fill_some(&f->rows, c, want), AT_OK);
	const at_cell *cells = f->rows.cells;
	if (c->depth == 0) {
		assert_int_equal(cells[AT_COL_TEXT].type, AT_CELL_EMPTY);
		assert_int_equal(cells[AT_COL_NOTE].len, 0);
		assert_string_equal(cells[AT_COL_QUESTION_ID].text, "q1");
		assert_string_equal(cells[AT_COL_KIND_ID].text, "brainstorm");
		assert_int_equal(cells[AT_COL_DEPTH].type, AT_CELL_NUMBER);
		char source[32];
		snprintf(source, sizeof source, "rows.yaml:%zu",
			 (size_t)c->item->pos.line);
		assert_string_equal(cells[AT_COL_SOURCE].text, source);
	} else {
		assert_plain(&cells[AT_COL_TEXT], c->item->text, 0);
		assert_plain(&cells[AT_COL_PARENT], c->parent->text, 0);
	}
	f->seen++;
	return 0;
}

static void some_columns_leave_the_rest_as_they_are(void **state)
{
	(void)state;
	at_document *doc = load_texts();
	const at_session *s = at_document_session(doc);
	fill_check f = {.seen = 0};
	assert_int_equal(at_rows_init(&f.rows, s, AT_LANG_FR), AT_OK);
	/* A full walk first, so that the path holds every item. */
	at_session_walk(s, check_full, &f);
	at_session_walk(s, check_some, &f);
	assert_int_equal(f.seen, 4 * (sizeof texts / sizeof texts[0]));
	at_rows_free(&f.rows);
	at_document_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cells_are_what_cmark_makes),
		cmocka_unit_test(some_columns_leave_the_rest_as_they_are),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
