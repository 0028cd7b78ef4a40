/* fuzz_manifest.c: libFuzzer target for the folder build's manifest
 * (OUT/.atelier-manifest), which a CI job may find damaged: truncated by a
 * full disk, merged by git, edited by hand. Its promise is that a damaged
 * manifest costs a rebuild, never a crash, a hang or a wrong report.
 *
 * Each input is written as the manifest of a private folder and loaded;
 * then what a build does with it: look entries up, ask whether each is
 * fresh (which reads the inputs it names), write the index pages from its
 * summaries, save it. Checked, besides ASan, UBSan, leaks and hangs: the
 * saved manifest loads again into the same manifest (saving it again gives
 * the same bytes), and the entry form a worker hands to its parent
 * (at_manifest_entry_read) takes any text. Pruning is not run here: it
 * removes files, and what it may remove is tested in test_hostile.py. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"
#include "manifest.h"
#include "scratch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set once at start-up, read-only afterwards. */
static struct {
	char root[64]; /* the manifest read */
	char copy[80]; /* the manifest saved, read again */
	char out[80];  /* index pages */
} fz;

static void cleanup(void)
{
	remove_all(fz.copy);
	remove_all(fz.out);
	remove_all(fz.root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(fz.root, sizeof fz.root, "%s/atelier-fuzzm-XXXXXX", scratch_base());
	if (!mkdtemp(fz.root))
		abort();
	snprintf(fz.copy, sizeof fz.copy, "%s/copy", fz.root);
	snprintf(fz.out, sizeof fz.out, "%s/out", fz.root);
	if (mkdir(fz.copy, 0700) || mkdir(fz.out, 0700))
		abort();
	atexit(cleanup);
	return 0;
}

static void write_file(const char *dir, const uint8_t *data, size_t size)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, AT_MANIFEST_NAME);
	FILE *f = fopen(p, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
		abort();
}

static char *read_file(const char *dir, size_t *len)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, AT_MANIFEST_NAME);
	FILE *f = fopen(p, "rb");
	if (!f)
		abort();
	char *text = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 4096;
			text = realloc(text, cap);
			if (!text)
				abort();
		}
		size_t got = fread(text + *len, 1, cap - *len, f);
		if (!got)
			break;
		*len += got;
	}
	fclose(f);
	return text;
}

/* Saved, loaded again and saved again: the same bytes. */
static void check_round_trip(const at_manifest *m)
{
	at_diags d;
	at_diags_init(&d);
	if (at_manifest_save(m, fz.root, &d) != AT_OK)
		abort();
	size_t n1, n2;
	char *first = read_file(fz.root, &n1);
	write_file(fz.copy, (const uint8_t *)first, n1);
	at_manifest *again = at_manifest_load(fz.copy, 42, &d);
	if (!again || at_manifest_load_summaries(again, &d) != 0)
		abort(); /* what atelier wrote, it must read */
	if (at_manifest_save(again, fz.copy, &d) != AT_OK)
		abort();
	char *second = read_file(fz.copy, &n2);
	if (n1 != n2 || memcmp(first, second, n1) != 0)
		abort();
	free(first);
	free(second);
	at_manifest_free(again);
	at_diags_free(&d);
}

static int forces_of(void *m, size_t i, const at_force_note **v, size_t *n)
{
	return at_manifest_forces(m, i, v, n);
}

static void use(at_manifest *m)
{
	size_t n = at_manifest_count(m);
	for (size_t i = 0; i < n; i++) {
		const at_manifest_entry *e = at_manifest_at(m, i);
		(void)at_manifest_entry_fresh(e, fz.root);
		if (at_manifest_find(m, at_manifest_entry_key(e)) == NULL)
			abort();
	}
	size_t ns;
	const at_summary *v = at_manifest_summaries(m, &ns);
	at_diags d;
	at_diags_init(&d);
	if (v && at_index_write(fz.out, v, ns, forces_of, m, AT_LANG_FR, 1, &d) !=
		     AT_OK)
		abort();
	at_diags_free(&d);
}

/* The worker's form: one entry, as text that read may modify. */
static void entry_form(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	at_manifest_entry *e = at_manifest_entry_read(text);
	at_manifest_entry_free(e);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	write_file(fz.root, data, size);
	at_diags d;
	at_diags_init(&d);
	at_manifest *m = at_manifest_load(fz.root, 42, &d);
	if (m && at_manifest_load_summaries(m, &d) != 0) {
		at_manifest_free(m); /* damaged past its cheap part */
		m = NULL;
	}
	if (m) {
		check_round_trip(m);
		use(m);
		at_manifest_free(m);
	} else if (d.warnings != 1) {
		abort(); /* a damaged manifest is said to be, once */
	}
	at_diags_free(&d);
	entry_form(data, size);
	return 0;
}
