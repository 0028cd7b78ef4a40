/* fuzz_emit.c: libFuzzer target for the back half: every registered
 * emitter (at_emitters(): md, html, json, xlsx, csv, and any added later)
 * on every input that validates, then the folder build's index pages made
 * from its summary.
 *
 * The input is a session file; most mutations do not validate and stop
 * after the front half, the rest reach the emitters with the odd texts,
 * ids, nestings and sizes that hand-written files hold. Checked, besides
 * ASan, UBSan, leaks and hangs:
 *   - an emitter returns AT_OK, or AT_EINPUT with an error that says why
 *     (never AT_EIO on memory, never a failure without a message);
 *   - the CSV export has one record per contribution plus the header: no
 *     contribution is lost silently;
 *   - no temporary file stays behind (xlsx builds in TMPDIR, set here to a
 *     private folder that must be empty after each input);
 *   - every href of the index is a relative URL (the session's title
 *     stands for its reports' path).
 *
 * Figures are looked for beside "session.yaml" in a private folder, where
 * the images the seeds name are copied. The limits are lower than the
 * defaults, so that one input stays a fraction of a second: the defaults'
 * own cost is measured in docs/performance.md, not here. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atelier/atelier.h"
#include "atelier/emitter.h"
#include "index.h"
#include "scratch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set once at start-up, read-only afterwards. */
static struct {
	char root[64];
	char session[96]; /* root/session.yaml, never written */
	char tmp[80];     /* TMPDIR */
	char out[80];     /* the index pages */
} fz;

static void copy_file(const char *from, const char *dir, const char *name)
{
	char to[160];
	snprintf(to, sizeof to, "%s/%s", dir, name);
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[4096];
	size_t n;
	while (out && (n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	if (out)
		fclose(out);
	if (in)
		fclose(in);
}

static void cleanup(void)
{
	remove_all(fz.tmp);
	remove_all(fz.out);
	remove_all(fz.root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(fz.root, sizeof fz.root, "%s/atelier-fuzz-XXXXXX", scratch_base());
	if (!mkdtemp(fz.root))
		abort();
	snprintf(fz.session, sizeof fz.session, "%s/session.yaml", fz.root);
	snprintf(fz.tmp, sizeof fz.tmp, "%s/tmp", fz.root);
	snprintf(fz.out, sizeof fz.out, "%s/out", fz.root);
	if (mkdir(fz.tmp, 0700) || mkdir(fz.out, 0700))
		abort();
	setenv("TMPDIR", fz.tmp, 1);
	/* The images the seed corpus names, when run from the repository. */
	copy_file("tests/valid/salle.svg", fz.root, "salle.svg");
	copy_file("examples/moulins-2016/agrilocal63.svg", fz.root,
		  "agrilocal63.svg");
	atexit(cleanup);
	return 0;
}

static int folder_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;
	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	if (d)
		closedir(d);
	return empty;
}

/* CSV records: CRLF outside quotes (a quote inside a field is doubled, so
 * toggling on every quote keeps the state right). */
static size_t csv_records(const char *s, size_t n)
{
	size_t records = 0;
	int quoted = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			records++;
	}
	return records;
}

static int count_walked(const at_contribution *c, void *ctx)
{
	(void)c;
	++*(size_t *)ctx;
	return 0;
}

/* The CSV has a row for every item the walk visits: contributions and the
 * kit's asks, which are not counted as contributions (session.h). */
static size_t walked(const at_session *s)
{
	size_t n = 0;
	at_session_walk(s, count_walked, &n);
	return n;
}

static void emit_one(const at_emitter *e, const at_session *s,
		     const at_emit_options *o)
{
	at_diags d;
	at_diags_init(&d);
	char *text = NULL;
	size_t n = 0;
	/* A format in a module: linked into this static build. */
	const at_emitter *impl = at_emitter_impl(e, &d);
	FILE *f = impl ? open_memstream(&text, &n) : NULL;
	if (!f)
		abort();
	at_status rc = impl->emit(s, f, o, &d);
	fclose(f);
	if (rc == AT_EIO || rc == AT_ENOMEM)
		abort(); /* memory streams do not fail, nor does this much malloc */
	if (rc == AT_EINPUT && !at_diags_has_errors(&d))
		abort();
	if (rc == AT_OK && at_diags_has_errors(&d))
		abort();
	if (rc == AT_OK && strcmp(e->name, "csv") == 0 &&
	    csv_records(text, n) != walked(s) + 1)
		abort(); /* a contribution lost, or one made up */
	free(text);
	at_diags_free(&d);
}

/* Every href of the index page is a relative URL of unreserved bytes,
 * %XX escapes and slashes (url.h): no name became a scheme, a query or
 * a fragment, or left the attribute. */
static void check_links(void)
{
	char p[160];
	snprintf(p, sizeof p, "%s/index.html", fz.out);
	FILE *f = fopen(p, "rb");
	if (!f)
		abort();
	static char page[1 << 20];
	size_t n = fread(page, 1, sizeof page - 1, f);
	fclose(f);
	if (n == sizeof page - 1)
		return; /* too long to hold: an href may be cut */
	page[n] = '\0';
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
				 "TUVWXYZ0123456789-._~%/";
	for (char *h = strstr(page, "href=\""); h; h = strstr(h, "href=\"")) {
		h += 6;
		size_t k = strspn(h, ok);
		if (h[k] != '"' || h[0] == '/')
			abort();
	}
}

static void index_pages(const at_session *s, at_lang lang)
{
	at_summary sum;
	if (at_summary_of(s, &sum))
		return;
	/* The title as the reports' path: a name as odd as texts get, but
	 * relative, as every path a build or a manifest gives the index is
	 * (the manifest refuses the others: mf_inside_out). */
	free(sum.report);
	free(sum.formats);
	sum.report = strdup(sum.title + strspn(sum.title, "/"));
	sum.formats = strdup("md,html,json,xlsx,csv");
	if (!sum.report || !sum.formats)
		abort();
	at_diags d;
	at_diags_init(&d);
	if (at_index_write(fz.out, &sum, 1, NULL, NULL, lang, 1, &d) != AT_OK)
		abort(); /* a private folder: writing cannot fail */
	at_diags_free(&d);
	at_summary_free(&sum);
	check_links();
}

/* A few bits of the input choose the options, so that each combination
 * is reached without changing what the input means. */
static at_emit_options options_for(const at_session *s, const uint8_t *data,
				   size_t size)
{
	unsigned h = 0;
	for (size_t i = 0; i < size; i++)
		h = h * 31u + data[i];
	at_emit_options o;
	memset(&o, 0, sizeof o);
	o.lang = h & 1 ? (s->lang == AT_LANG_FR ? AT_LANG_EN : AT_LANG_FR)
		       : s->lang;
	o.front_matter = (h >> 1) & 1;
	o.unsafe = (h >> 2) & 1;
	o.csv = (at_csv_dialect)(((h >> 3) & 1) + ((h >> 5) & 1));
	o.out_dir = (h >> 4) & 1 ? fz.out : NULL;
	o.timestamp = 1467288000; /* 2016-06-30 12:00 UTC */
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	at_limits lim;
	at_limits_default(&lim);
	lim.max_nodes = 200000;
	lim.max_items = 20000;
	lim.max_text = 64 << 10;
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_status rc = at_document_load_buffer(fz.session, (const char *)data,
					       size, &lim, &doc, &d);
	const at_session *s = at_document_session(doc);
	if (rc == AT_OK && s) {
		at_emit_options o = options_for(s, data, size);
		size_t n;
		const at_emitter *const *all = at_emitters(&n);
		for (size_t i = 0; i < n; i++)
			emit_one(all[i], s, &o);
		index_pages(s, o.lang);
		if (!folder_is_empty(fz.tmp))
			abort(); /* a temporary file left behind */
	}
	at_document_free(doc);
	at_diags_free(&d);
	return 0;
}
