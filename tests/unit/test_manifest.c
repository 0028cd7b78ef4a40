/* test_manifest.c: what a folder build records of an input is what it
 * read (manifest.c, read.c): the size, time and hash of the bytes the
 * session was built from, not a look at the file after the build, so that
 * a file edited while it was being built is rebuilt next time; and the
 * names a depfile gives make (depfile.c). */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "atelier/atelier.h"
#include "buf.h"
#include "depfile.h"
#include "index.h"
#include "manifest.h"
#include "read.h"

static const char before[] = "atelier: 1\ntitle: \"Before the edit\"\n";
static const char after[] = "atelier: 1\ntitle: \"After! the edit\"\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

/* The D line of e: size and hash as recorded. */
static void recorded(const at_manifest_entry *e, long long *size,
		     unsigned long long *hash)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	at_manifest_entry_write(e, f);
	fclose(f);
	char *d = strstr(text, "\nD\t");
	assert_non_null(d);
	char *end = strchr(d + 1, '\n');
	if (end)
		*end = '\0';
	char *size_at = strchr(d + 3, '\t') + 1;
	*size = strtoll(size_at, NULL, 10);
	char *hash_at = strrchr(d, '\t') + 1;
	*hash = strtoull(hash_at, NULL, 16);
	free(text);
}

/* A file of its own in a fresh folder (path: room for 96 bytes). */
static void temp_file(char *dir, char *path, const char *name,
		      const char *text)
{
	strcpy(dir, "/tmp/atelier-test-manifest-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, 96, "%s/%s", dir, name);
	write_file(path, text);
}

static at_manifest_entry *entry_with_summary(void)
{
	at_manifest_entry *e = at_manifest_entry_new("s.yaml", "s.yaml");
	assert_non_null(e);
	at_summary s = {"s.yaml", "t", "2026-01-01", "", 0, 0, 0, 0, "", "",
			NULL, 0, NULL, "fr", 1, NULL, 0};
	assert_int_equal(at_manifest_entry_set_summary(e, &s), 0);
	return e;
}

/* The session is edited after it was read (while its reports are being
 * written), in a way size and time do not show: a coarse clock, or a tool
 * that sets the time back. The record still names the bytes built. */
static void the_bytes_read_are_recorded(void **state)
{
	(void)state;
	char dir[64], path[96];
	temp_file(dir, path, "s.yaml", before);
	at_document *doc = NULL;
	at_diags d;
	at_diags_init(&d);
	at_document_load_file(path, NULL, &doc, &d);
	assert_non_null(doc);
	const at_source_stamp *st = at_document_stamp(doc);
	assert_true(st->valid);
	assert_int_equal(st->size, (long long)strlen(before));
	assert_true(st->hash == at_hash_bytes(before, strlen(before)));

	assert_int_equal(strlen(after), strlen(before));
	write_file(path, after);
	struct timespec times[2] = {st->mtime, st->mtime};
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);

	at_manifest_entry *e = entry_with_summary();
	assert_int_equal(at_manifest_entry_add_read(e, path, st), 0);
	long long size;
	unsigned long long hash;
	recorded(e, &size, &hash);
	assert_int_equal(size, (long long)strlen(before));
	assert_true(hash == at_hash_bytes(before, strlen(before)));
	/* Same size, same time, other bytes: not fresh. */
	assert_int_equal(at_manifest_entry_fresh(e, dir), 0);
	at_manifest_entry_free(e);

	/* Recorded from the file as it is now, the same entry would call the
	 * old report fresh: what the build used to do. */
	e = entry_with_summary();
	assert_int_equal(at_manifest_entry_add_dep(e, path), 0);
	recorded(e, &size, &hash);
	assert_true(hash == at_hash_bytes(after, strlen(after)));
	assert_int_equal(at_manifest_entry_fresh(e, dir), 1);
	at_manifest_entry_free(e);

	at_document_free(doc);
	at_diags_free(&d);
	unlink(path);
	rmdir(dir);
}

/* An input edited long ago, then recorded: its time is trusted, and an
 * unchanged file is fresh without being read again. */
static void an_old_file_is_judged_by_its_time(void **state)
{
	(void)state;
	char dir[64], path[96];
	temp_file(dir, path, "fig.svg", before);
	struct timespec old[2] = {{1000000000, 5}, {1000000000, 5}};
	assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	at_manifest_entry *e = entry_with_summary();
	assert_int_equal(at_manifest_entry_add_dep(e, path), 0);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	at_manifest_entry_write(e, f);
	fclose(f);
	assert_non_null(strstr(text, "\t1000000000\t5\t"));
	free(text);
	assert_int_equal(at_manifest_entry_fresh(e, dir), 1);
	/* Edited since, with the old time put back: size tells. */
	write_file(path, "other");
	assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	assert_int_equal(at_manifest_entry_fresh(e, dir), 0);
	at_manifest_entry_free(e);
	unlink(path);
	rmdir(dir);
}

/* A file of procfs reports size 0 and can stream without end: what is
 * read to hash it stops at the size it claims, and it is never fresh. */
static void a_proc_file_is_not_read_past_its_size(void **state)
{
	(void)state;
	if (access("/proc/self/status", R_OK) != 0)
		skip();
	at_manifest_entry *e = entry_with_summary();
	assert_int_equal(at_manifest_entry_add_dep(e, "/proc/self/status"), 0);
	long long size;
	unsigned long long hash;
	recorded(e, &size, &hash);
	assert_int_equal(size, -1);
	assert_int_equal(at_manifest_entry_fresh(e, "/tmp"), 0);
	at_manifest_entry_free(e);
}

/* ---- depfile.c ---- */

static void paths_are_normalised_as_make_compares_them(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"out/./x.html", "out/x.html"}, {"a//b/./c/", "a/b/c"},
		{"./x", "x"},			{".", "."},
		{"./", "."},			{"/", "/"},
		{"/./a//", "/a"},		{"../a/./b", "../a/b"},
		{"a/../b", "a/../b"},		{".hidden/x", ".hidden/x"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *n = at_path_normal(cases[i][0]);
		assert_non_null(n);
		assert_string_equal(n, cases[i][1]);
		free(n);
	}
}

static void depfile_names_are_escaped_or_refused(void **state)
{
	(void)state;
	at_buf b;
	at_buf_init(&b);
	assert_int_equal(at_depfile_put(&b, "./a b/#c:$d\\e"), 0);
	assert_string_equal(at_buf_cstr(&b), "a\\ b/\\#c\\:$$d\\\\e");
	at_buf_clear(&b);
	static const char *const bad[] = {"x\n\techo", "tab\there", "del\x7f",
					  "esc\x1b["};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(at_depfile_put(&b, bad[i]), -1);
		assert_int_equal(b.len, 0);
	}
	at_buf_free(&b);
}

/* A folder's index and workbook: --lang, else the sessions' language
 * when they agree (sessions that never built have none), else French. */
static void the_folder_language_is_the_sessions_when_they_agree(void **state)
{
	(void)state;
	at_summary v[3];
	memset(v, 0, sizeof v);
	v[0].lang = "en";
	v[1].lang = "";
	v[2].lang = "en";
	assert_int_equal(at_index_lang(-1, v, 3), AT_LANG_EN);
	assert_int_equal(at_index_lang(AT_LANG_FR, v, 3), AT_LANG_FR);
	v[1].lang = "fr";
	assert_int_equal(at_index_lang(-1, v, 3), AT_LANG_FR);
	assert_int_equal(at_index_lang(AT_LANG_EN, v, 3), AT_LANG_EN);
	assert_int_equal(at_index_lang(-1, v, 0), AT_LANG_FR);
	v[0].lang = v[2].lang = NULL;
	v[1].lang = "en";
	assert_int_equal(at_index_lang(-1, v, 3), AT_LANG_EN);
}

/* A manifest of megabytes reads back whole: its summaries are read a
 * few megabytes at a time (manifest_text.c), so lines cross the reads'
 * bounds, and one line is longer than a read. Each summary keeps its
 * title and its key ids. */
static void a_large_manifest_reads_back_whole(void **state)
{
	(void)state;
	char dir[] = "/tmp/atelier-test-manifest-XXXXXX";
	assert_non_null(mkdtemp(dir));
	enum { N = 3000, LONG = 5 << 20 };
	at_manifest *m = at_manifest_new(42);
	assert_non_null(m);
	char *title = malloc(LONG + 1);
	assert_non_null(title);
	for (size_t i = 0; i < N; i++) {
		char key[32], text[64];
		snprintf(key, sizeof key, "s%04zu.yaml", i);
		snprintf(text, sizeof text, "Force numéro %zu", i % 7);
		size_t len = i == N / 2 ? LONG : 2000 + i % 97;
		memset(title, 'a' + (int)(i % 26), len);
		title[len] = '\0';
		at_force_note f[2] = {{0, text, "coop,temps", NULL},
				      {1, "Freins", "", NULL}};
		at_summary s = {key, title, "2026-01-01", "", 0, 0, 1, 1, key,
				"md", f, 2, NULL, "fr", 1, NULL, 0};
		at_manifest_entry *e = at_manifest_entry_new(key, key);
		assert_non_null(e);
		assert_int_equal(at_manifest_entry_set_summary(e, &s), 0);
		assert_int_equal(at_manifest_put(m, e), 0);
	}
	at_diags d;
	at_diags_init(&d);
	assert_int_equal(at_manifest_save(m, dir, &d), AT_OK);
	at_manifest_free(m);
	m = at_manifest_load(dir, 42, &d);
	assert_non_null(m);
	assert_int_equal(at_manifest_load_summaries(m, &d), 0);
	assert_int_equal(d.n, 0);
	size_t n = 0;
	const at_summary *v = at_manifest_summaries(m, &n);
	assert_int_equal(n, N);
	for (size_t i = 0; i < N; i++) {
		size_t len = i == N / 2 ? LONG : 2000 + i % 97;
		assert_int_equal(strlen(v[i].title), len);
		assert_int_equal(v[i].title[len - 1], 'a' + (int)(i % 26));
		/* the words' key, two tags; the brake's words */
		assert_int_equal(v[i].n_key_ids, 4);
		char text[64];
		snprintf(text, sizeof text, "Force numéro %zu", i % 7);
		at_force_note f = {0, text, "coop,temps", NULL};
		uint64_t *ids = NULL;
		size_t k = 0, cap = 0;
		assert_int_equal(at_force_key_ids(&f, &ids, &k, &cap), 0);
		assert_int_equal(k, 3);
		assert_memory_equal(ids, v[i].key_ids, 3 * sizeof *ids);
		free(ids);
	}
	at_manifest_free(m);
	at_diags_free(&d);
	free(title);
	char path[96];
	snprintf(path, sizeof path, "%s/.atelier-manifest", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_bytes_read_are_recorded),
		cmocka_unit_test(
			the_folder_language_is_the_sessions_when_they_agree),
		cmocka_unit_test(an_old_file_is_judged_by_its_time),
		cmocka_unit_test(a_proc_file_is_not_read_past_its_size),
		cmocka_unit_test(paths_are_normalised_as_make_compares_them),
		cmocka_unit_test(depfile_names_are_escaped_or_refused),
		cmocka_unit_test(a_large_manifest_reads_back_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
