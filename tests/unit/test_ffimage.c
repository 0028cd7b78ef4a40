/* test_ffimage.c: the force field as an image (ff_image.h): every word of
 * every force written, one arrow per force whose length follows its
 * weight, nothing for a question without forces, the same bytes twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "atelier/atelier.h"
#include "ff_image.h"

static const char yaml[] =
	"atelier: 1\ntitle: T\ndate: 2024-05-02\n"
	"questions: [{id: q1, title: A}, {id: q2, title: B}]\n"
	"subgroups:\n  q1:\n    groups:\n      - name: Groupe A\n"
	"        drivers:\n"
	"          - {text: \"Premier moteur, avec des mots en nombre pour "
	"passer a la ligne plusieurs fois dans une colonne étroite & <fin>\", "
	"weight: 4}\n"
	"          - {text: Court, weight: 1}\n"
	"        brakes: [Un frein]\n"
	"  q2:\n    groups: [{name: G, practices: [P]}]\n";

static at_document *load(void)
{
	at_limits lim;
	at_limits_default(&lim);
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_document_load_buffer("f.yaml", yaml, strlen(yaml), &lim, &doc, &d);
	assert_false(at_diags_has_errors(&d));
	at_diags_free(&d);
	return doc;
}

/* The text of every <text> element, joined by spaces. */
static void texts(const char *svg, at_buf *out)
{
	const char *p = svg;
	while ((p = strstr(p, "<text ")) != NULL) {
		p = strchr(p, '>') + 1;
		const char *end = strstr(p, "</text>");
		at_buf_put(out, p, (size_t)(end - p));
		at_buf_putc(out, ' ');
		p = end;
	}
}

/* The length of the n-th arrow (its "M x y H x2" path). */
static double arrow_length(const char *svg, int n)
{
	const char *p = svg;
	for (int i = 0; i <= n; i++) {
		p = strstr(p, "stroke-width=\"1.6\"");
		assert_non_null(p);
		p++;
	}
	while (p > svg && strncmp(p, "d=\"M", 4) != 0)
		p--;
	double x, y, x2;
	assert_int_equal(sscanf(p, "d=\"M%lf %lfH%lf", &x, &y, &x2), 3);
	return x2 > x ? x2 - x : x - x2;
}

static void every_word_and_one_arrow_per_force(void **state)
{
	(void)state;
	at_document *doc = load();
	const at_session *s = at_document_session(doc);
	at_buf svg, words;
	at_buf_init(&svg);
	at_buf_init(&words);
	double w, h;
	assert_int_equal(at_ff_svg(s, at_labels_for(AT_LANG_FR),
				   &s->questions[0], 300, &svg, &w, &h),
			 AT_OK);
	assert_true(w == 300 && h > 50);
	texts(at_buf_cstr(&svg), &words);
	/* wrapped over several lines, each word kept, escaped for XML */
	assert_non_null(strstr(words.s, "plusieurs fois dans une"));
	assert_non_null(strstr(words.s, "&amp; &lt;fin&gt;"));
	assert_non_null(strstr(words.s, "Un frein"));
	assert_non_null(strstr(words.s, "Groupe A : 2 moteurs, 1 frein"));
	/* weight 4 against 1: the first arrow four times the second */
	double a = arrow_length(svg.s, 0), b = arrow_length(svg.s, 1);
	assert_true(a > 3.9 * b && a < 4.1 * b);
	at_buf_free(&words);

	at_buf png, again;
	at_buf_init(&png);
	at_buf_init(&again);
	assert_int_equal(at_ff_png(&svg, 96, &png), AT_OK);
	assert_int_equal(at_ff_png(&svg, 96, &again), AT_OK);
	assert_memory_equal(png.s, "\x89PNG", 4);
	assert_int_equal(png.len, again.len);
	assert_memory_equal(png.s, again.s, png.len);
	at_buf_free(&png);
	at_buf_free(&again);
	at_buf_free(&svg);
	at_document_free(doc);
}

static void no_image_without_forces(void **state)
{
	(void)state;
	at_document *doc = load();
	const at_session *s = at_document_session(doc);
	at_buf svg;
	at_buf_init(&svg);
	double w = 1, h = 1;
	assert_int_equal(at_ff_svg(s, at_labels_for(AT_LANG_EN),
				   &s->questions[1], 300, &svg, &w, &h),
			 AT_OK);
	assert_int_equal(svg.len, 0);
	assert_true(w == 0 && h == 0);
	at_buf_free(&svg);
	at_document_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_word_and_one_arrow_per_force),
		cmocka_unit_test(no_image_without_forces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
