/* floor_cmark.c: the floor of rendering a session's Markdown with cmark,
 * for the benchmarks (docs/performance.md).
 *
 *   build/bench/floor_cmark TEXTS OUT.html
 *
 * TEXTS holds every Markdown text of the session once (bench/floor-inputs
 * extracts them from the YAML beforehand, so no YAML is parsed here). Each
 * text is parsed once, rendered to HTML in cmark's default safe mode and
 * written to OUT.html, then its node tree is walked once for the plain
 * text a spreadsheet cell needs: the least cmark work that yields both
 * the HTML report and the spreadsheet's texts. Reading TEXTS is a
 * sequential getdelim() per record. */
#define _POSIX_C_SOURCE 200809L
#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of a parsed document's plain text: its literals, walked
 * once as a plain-text renderer would. */
static size_t plain_len(cmark_node *doc)
{
	size_t n = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		const char *lit = cmark_node_get_literal(node);
		if (lit)
			n += strlen(lit);
	}
	cmark_iter_free(it);
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: floor_cmark TEXTS OUT.html\n", stderr);
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	FILE *out = fopen(argv[2], "wb");
	if (!in || !out) {
		perror(!in ? argv[1] : argv[2]);
		return 2;
	}
	char *rec = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long texts = 0;
	size_t plain = 0;
	while ((len = getdelim(&rec, &cap, '\0', in)) > 1) {
		/* kind byte, text, NUL */
		cmark_node *doc = cmark_parse_document(rec + 1, (size_t)len - 2,
						       CMARK_OPT_DEFAULT);
		char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, NULL);
		fputs(html, out);
		free(html);
		plain += plain_len(doc);
		cmark_node_free(doc);
		texts++;
	}
	free(rec);
	fclose(in);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 2;
	}
	printf("%lu texts, %zu bytes of plain text\n", texts, plain);
	return 0;
}
