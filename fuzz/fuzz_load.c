/* fuzz_load.c: libFuzzer target for the front half on arbitrary bytes.
 *
 * Every input goes through read (UTF-8, NUL bytes, BOM), load (libyaml's
 * events, limits), bind and validate, then through every way diagnostics
 * are shown (sorted; compiler style with excerpts; GitHub annotations; JSON
 * lines). Whatever the bytes, this must end without a crash, a leak,
 * undefined behaviour or a hang (ASan, UBSan and libFuzzer's -timeout see
 * to those), and with answers that hold together:
 *   - AT_OK means no error and a session; AT_EINPUT means at least one
 *     error, each with a message (a clear message, never a silent refusal);
 *   - every diagnostic's line lies inside the file;
 *   - without colour, no escape character reaches the terminal.
 *
 *   make fuzz            (see the Makefile's fuzz block)
 *   build/fuzz/fuzz_load build/fuzz/corpus/load -dict=fuzz/yaml.dict */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier/atelier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

static void check_answer(at_status rc, const at_document *doc,
			 const at_diags *d)
{
	if (rc == AT_OK && (at_diags_has_errors(d) || !at_document_session(doc)))
		abort(); /* "fine" with an error, or without a session */
	if (rc != AT_OK && !at_diags_has_errors(d) && !d->oom)
		abort(); /* refused without saying why */
	for (size_t i = 0; i < d->n; i++)
		if (!d->v[i].message || !d->v[i].message[0] || !d->v[i].code)
			abort();
}

static void check_positions(const at_diags *d, const char *src, size_t len)
{
	if (!src)
		return;
	/* +1: a problem at the very end (an unclosed quote) may stand on the
	 * line after the last line break. */
	size_t lines = count_lines(src, len) + 1;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].pos.line > lines)
			abort();
}

/* Renders into memory, so that the text itself can be checked. */
static void render_all(const at_diags *d, const char *src, size_t len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!f)
		return;
	at_render_opts plain = {0, 1};
	at_diags_render(d, f, "fuzz.yaml", src, len, &plain);
	fflush(f);
	/* Escapes and C1 controls from the input are shown escaped. */
	if (memchr(text, '\033', n))
		abort();
	at_diags_render_github(d, f, "fuzz.yaml");
	at_diags_render_json(d, f, "fuzz.yaml");
	at_render_opts colour = {1, 1};
	at_diags_render(d, f, "fuzz.yaml", src, len, &colour);
	fclose(f);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	at_limits lim;
	at_limits_default(&lim);
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_status rc = at_document_load_buffer("fuzz.yaml", (const char *)data,
					       size, &lim, &doc, &d);
	check_answer(rc, doc, &d);
	size_t len = 0;
	const char *src = at_document_source(doc, &len);
	check_positions(&d, src, len);
	at_diags_sort(&d);
	render_all(&d, src, len);
	at_diags_promote_warnings(&d);
	at_document_free(doc);
	at_diags_free(&d);
	return 0;
}
