/* build.c: `atelier build`, from one file to a whole repository of sessions:
 * the command, its options (the formats chosen, the options hash that
 * decides whether the last build still stands) and the plan (the jobs made
 * from the command line's files and folders).
 *
 * Files are built beside themselves (or into -o). Folders are searched for
 * session files (build_find.c), built into OUT mirroring the tree, in
 * parallel (-j, build_run.c), incrementally (a manifest in OUT remembers
 * what each output was built from), and summed up in an index and a
 * merged workbook (build_tree.c). Each session's diagnostics are collected
 * whole and printed in the order of the sessions, so parallel builds never
 * interleave them and print the same thing whatever -j. */
/* realpath() is XSI (docs/portability.md). */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_int.h"
#include "suggest.h"
#include "bookrows.h"
#include "buf.h"
#include "depfile.h"
#include "figure.h"
#include "i18n.h"
#include "index.h"
#include "output.h"
#include "path.h"

/* A name as diagnostics escape it, for a message that quotes it (a name
 * is the contributor's: it cannot forge a CI annotation or drive the
 * terminal). Free it; NULL when out of memory (callers print "?"). */
char *build_escaped(const char *name)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);
	if (!m)
		return NULL;
	at_put_escaped(m, name);
	if (fclose(m) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* -v lines: a file name is the contributor's, escaped as diagnostics
 * escape it, so that it cannot forge a CI annotation or drive the
 * terminal. */
void build_say(FILE *f, const char *path, const char *what)
{
	at_put_escaped(f, path);
	fprintf(f, "%s\n", what);
}

/* "wrote DIR/NAME" (name NULL: path is whole), normalised as the depfile
 * names it. */
void build_say_wrote(FILE *f, const char *path, const char *name)
{
	at_buf p;
	at_buf_init(&p);
	at_buf_printf(&p, "%s%s%s", path, name ? "/" : "", name ? name : "");
	char *n = p.oom ? NULL : at_path_normal(p.s);
	fputs(_("wrote "), f);
	at_put_escaped(f, n ? n : path);
	fputc('\n', f);
	free(n);
	at_buf_free(&p);
}

static int select_formats(const at_cli *c, const at_emitter **sel, size_t *n)
{
	size_t count;
	const at_emitter *const *all = at_emitters(&count);
	*n = 0;
	if (!c->formats) {
		for (size_t i = 0; i < count && *n < MAX_FORMATS; i++)
			if (all[i]->flags & AT_EMITTER_DOCUMENT)
				sel[(*n)++] = all[i];
		return 0;
	}
	char *list = strdup(c->formats);
	if (!list)
		return -1;
	int rc = 0;
	for (char *save, *tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const at_emitter *e = at_emitter_find(tok);
		if (!e) {
			const char *names[MAX_FORMATS];
			size_t k = 0;
			for (; k < count && k < MAX_FORMATS; k++)
				names[k] = all[k]->name;
			const char *hint = at_suggest(tok, names, k);
			fprintf(stderr, _("atelier: unknown format '%s'"), tok);
			if (hint)
				fprintf(stderr, _(" (did you mean '%s'?)"), hint);
			fputs(_(": see 'atelier formats'\n"), stderr);
			rc = -1;
			break;
		}
		int dup = 0;
		for (size_t i = 0; i < *n; i++)
			dup |= sel[i] == e;
		if (!dup && *n < MAX_FORMATS)
			sel[(*n)++] = e;
	}
	free(list);
	if (!rc && !*n) {
		fputs(_("atelier: -f names no format\n"), stderr);
		rc = -1;
	}
	return rc;
}

static uint64_t hash_options(const build *b)
{
	const at_cli *c = b->c;
	at_buf k;
	at_buf_init(&k);
	/* options_key: every option that can change a report, a diagnostic
	 * or the exit status (main.c). */
	at_buf_printf(&k, "%s|%016llx|", ATELIER_VERSION,
		      (unsigned long long)c->options_key);
	/* Not an option, but it changes the timestamps inside files. */
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	at_buf_printf(&k, "%s|", epoch ? epoch : "-");
	for (size_t i = 0; i < b->n_sel; i++)
		at_buf_printf(&k, "%s,", b->sel[i]->name);
	/* A build that kept its workbook rows in another form is redone. */
	at_buf_printf(&k, "|%s", AT_BOOKROWS_VERSION);
	uint64_t h = at_hash_bytes(at_buf_cstr(&k), k.len);
	at_buf_free(&k);
	return h;
}

static void free_jobs(build *b)
{
	for (size_t i = 0; i < b->n_jobs; i++) {
		job *j = &b->jobs[i];
		char *owned[] = {j->input,  j->rel,	 j->out_dir,
				 j->stem,   j->err_text, j->out_text};
		for (size_t k = 0; k < sizeof owned / sizeof *owned; k++)
			free(owned[k]);
		at_manifest_entry_free(j->entry);
	}
	free(b->jobs);
}

static int add_job(build *b, char *input, char *rel, char *out_dir)
{
	job *v = at_grow(b->jobs, &b->jobs_cap, b->n_jobs, sizeof *v, 64);
	if (!v || !input || !rel) {
		free(input);
		free(rel);
		free(out_dir);
		if (v)
			b->jobs = v;
		return -1;
	}
	b->jobs = v;
	job *j = &v[b->n_jobs++];
	memset(j, 0, sizeof *j);
	j->input = input;
	j->rel = rel;
	j->out_dir = out_dir;
	j->stem = at_path_stem(input);
	return j->stem ? 0 : -1;
}

/* Where a folder build writes, in b->root_out: OUT, or the one folder
 * given (left NULL for files); *folders, how many are given. -1 when the
 * arguments cannot be built. */
static int plan_root(build *b, int argc, char **argv, int *folders)
{
	const at_cli *c = b->c;
	int to_stdout = c->out_dir && strcmp(c->out_dir, "-") == 0;
	*folders = 0;
	for (int i = 0; i < argc; i++)
		*folders += at_path_is_dir(argv[i]);
	if (*folders && to_stdout) {
		fputs(_("atelier: -o - writes one file's report; a folder needs "
		      "-o OUT\n"),
		      stderr);
		return -1;
	}
	if (*folders > 1 && !c->out_dir) {
		fputs(_("atelier: several folders need one -o OUT for their "
			"reports and index\n"),
		      stderr);
		return -1;
	}
	for (int i = 0; *folders && !c->out_dir && i < argc; i++)
		if (at_path_is_dir(argv[i])) {
			b->root_out = argv[i]; /* one folder: reports by it */
			break;
		}
	if (*folders && c->out_dir)
		b->root_out = c->out_dir;
	return 0;
}

/* Jobs from the command line's arguments: files as they are, folders
 * searched (the sessions the last build read, unchanged, known from
 * b->old without reading them). */
static int plan(build *b, int argc, char **argv, int folders)
{
	const at_cli *c = b->c;
	int to_stdout = c->out_dir && strcmp(c->out_dir, "-") == 0;
	found look = {NULL, 0, 0, 0, NULL, NULL, ""};
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (!at_path_is_dir(arg)) {
			char *od = to_stdout ? NULL
				   : c->out_dir ? strdup(c->out_dir)
						: at_path_dir_dup(arg);
			char *base = at_path_stem(arg);
			if (add_job(b, strdup(arg), base, od)) {
				build_free_found(&look);
				return -1;
			}
			continue;
		}
		/* With several folders each keeps its name under OUT. */
		const char *prefix = "";
		if (folders > 1) {
			const char *base = strrchr(arg, '/');
			prefix = base && base[1] ? base + 1 : arg;
		}
		char *skip = c->out_dir ? realpath(c->out_dir, NULL) : NULL;
		char *root_real = realpath(arg, NULL);
		char *skip_rel = NULL;
		/* OUT inside DIR: never take last build's reports as input. */
		if (skip && root_real && strncmp(skip, root_real,
						 strlen(root_real)) == 0 &&
		    skip[strlen(root_real)] == '/')
			skip_rel = at_path_join(arg, skip + strlen(root_real) + 1);
		found f = {NULL, 0, 0, 0, &look, c->force ? NULL : b->old,
			   prefix};
		build_search(c, arg, "", skip_rel, &f);
		free(skip);
		free(root_real);
		free(skip_rel);
		if (f.n)
			qsort(f.v, f.n, sizeof *f.v, build_cmp_found);
		int rc = f.oom ? -1 : 0;
		for (size_t k = 0; k < f.n; k++) {
			const char *found_rel = f.v[k].rel;
			if (rc || !build_in_shard(c, found_rel)) {
				free(f.v[k].rel);
				continue;
			}
			char *rel = *prefix ? at_path_join(prefix, found_rel)
					    : strdup(found_rel);
			char *rel_dir = rel ? at_path_dir_dup(rel) : NULL;
			char *od = rel_dir ? at_path_join(b->root_out, rel_dir) : NULL;
			free(rel_dir);
			rc = add_job(b, at_path_join(arg, found_rel), rel, od);
			if (!rc) {
				b->jobs[b->n_jobs - 1].root = arg;
				b->jobs[b->n_jobs - 1].found = f.v[k].st;
			}
			free(f.v[k].rel);
		}
		free(f.v);
		if (rc) {
			build_free_found(&look);
			return -1;
		}
	}
	build_warn_lookalikes(b, &look);
	return build_check_collisions(b);
}

#define LOCK_NAME ".atelier-lock"

/* Two builds writing into one OUT would mix their reports and manifests:
 * the second waits for the first (as cargo does), saying so. The lock is
 * a POSIX record lock on OUT/.atelier-lock, held by this process until it
 * exits (workers, forked, do not hold it: they die with it): exclusive for
 * a folder build; shared for a single file's build with -o, and only when
 * the folder is a folder build's OUT (it has the lock file), so that such
 * builds run side by side but never beside a folder build. Returns the
 * descriptor to close at the end, -2 when there is nothing to lock, or
 * -1 (said why). */
int build_lock_out(const char *root, int exclusive)
{
	char *path = at_path_join(root, LOCK_NAME);
	int fd = path ? open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC |
					   (exclusive ? O_CREAT : 0),
			     0666)
		      : -1;
	if (fd < 0 && !exclusive && errno == ENOENT) {
		free(path);
		return -2;
	}
	struct flock l;
	memset(&l, 0, sizeof l);
	l.l_type = exclusive ? F_WRLCK : F_RDLCK;
	l.l_whence = SEEK_SET;
	int rc = fd < 0 ? -1 : fcntl(fd, F_SETLK, &l);
	if (rc != 0 && fd >= 0 && (errno == EACCES || errno == EAGAIN)) {
		char *e = build_escaped(root);
		fprintf(stderr,
			_("atelier: another build is writing into %s: waiting "
			  "for it to finish\n"),
			e ? e : "?");
		free(e);
		while ((rc = fcntl(fd, F_SETLKW, &l)) != 0 && errno == EINTR)
			;
	}
	if (rc != 0) {
		const char *why = strerror(errno);
		char *e = build_escaped(path ? path : root);
		fprintf(stderr, _("atelier: cannot lock %s: %s\n"), e ? e : "?",
			why);
		free(e);
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

static void say_removed(const char *name, void *dir)
{
	char *d = build_escaped(dir), *n = build_escaped(name);
	fprintf(stderr, _("removed stale %s/%s\n"), d ? d : "?", n ? n : "?");
	free(d);
	free(n);
}

/* The temporary files a killed build left in the folders this one writes
 * (OUT and its report folders), removed under the lock. */
static void sweep_stale(const build *b)
{
	const char **dirs = malloc((b->n_jobs + 1) * sizeof *dirs);
	if (!dirs)
		return; /* they wait for the next build */
	size_t n = 0;
	dirs[n++] = b->root_out;
	for (size_t i = 0; i < b->n_jobs; i++)
		if (b->jobs[i].out_dir)
			dirs[n++] = b->jobs[i].out_dir;
	qsort(dirs + 1, n - 1, sizeof *dirs, build_cmp_str);
	for (size_t i = 0; i < n; i++)
		if (i < 2 || strcmp(dirs[i], dirs[i - 1]) != 0)
			at_tmp_sweep(dirs[i], b->c->verbose ? say_removed : NULL,
				     (void *)dirs[i]);
	free(dirs);
}

/* -o OUT is created when missing, its parents too (as hugo or
 * sphinx-build do); an existing path must be a folder. */
static int prepare_out(const char *out)
{
	struct stat st;
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, _("atelier: output folder %s: not a folder\n"),
			out);
		return -1;
	}
	if (at_path_make_dirs(out) != 0 || !at_path_is_dir(out)) {
		fprintf(stderr, _("atelier: cannot create output folder %s: %s\n"),
			out, strerror(errno));
		return -1;
	}
	return 0;
}

/* Which sessions' last build stands, from the manifest's cheap part:
 * build_run_all replays those and starts workers only for the others. Its
 * summaries are read only when the index or the workbook will be made
 * again (a session changed, was added or deleted, or the index is gone);
 * damaged, the manifest is dropped and everything rebuilt. */
static void find_fresh(build *b, at_diags *d)
{
	size_t fresh = 0, known = 0;
	for (size_t i = 0; i < b->n_jobs; i++) {
		job *j = &b->jobs[i];
		j->fresh = build_up_to_date(b, j);
		fresh += (size_t)j->fresh;
		known += at_manifest_find(b->old, j->rel) != NULL;
	}
	/* (a part of a sharded build has no index: the merge makes it) */
	if (fresh == b->n_jobs && known == at_manifest_count(b->old) &&
	    (b->c->shard_n || at_index_exists(b->root_out)))
		return;
	int ok = at_manifest_load_summaries(b->old, d) == 0;
	if (!ok) {
		at_manifest_free(b->old);
		b->old = NULL;
	}
	for (size_t i = 0; i < b->n_jobs; i++) {
		job *j = &b->jobs[i];
		/* An entry without a summary was never fresh. */
		j->fresh = ok && j->fresh &&
			   at_manifest_entry_summary(
				   at_manifest_find(b->old, j->rel));
	}
}

int at_cmd_build(const at_cli *c, int argc, char **argv)
{
	if (argc == 0) {
		fputs(_("atelier: build needs at least one FILE or folder\n"
		      "(see 'atelier help build')\n"),
		      stderr);
		return AT_EXIT_USAGE;
	}
	build b;
	memset(&b, 0, sizeof b);
	b.c = c;
	at_manifest_probe_init(&b.probe[0]);
	at_manifest_probe_init(&b.probe[1]);
	if (select_formats(c, b.sel, &b.n_sel))
		return AT_EXIT_USAGE;
	int to_stdout = c->out_dir && strcmp(c->out_dir, "-") == 0;
	if (to_stdout && (!c->formats || b.n_sel != 1 || argc != 1)) {
		fputs(_("atelier: -o - writes one format of one file to standard "
		      "output: give -f FORMAT and one FILE\n"),
		      stderr);
		return AT_EXIT_USAGE;
	}
	if (to_stdout && c->watch) {
		fputs(_("atelier: --watch writes files: give -o DIR\n"), stderr);
		return AT_EXIT_USAGE;
	}
	if (to_stdout && (b.sel[0]->flags & AT_EMITTER_BINARY) &&
	    isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("atelier: %s is binary: not written to a "
				  "terminal\n"),
			b.sel[0]->name);
		return AT_EXIT_USAGE;
	}
	if (c->out_dir && !to_stdout && prepare_out(c->out_dir))
		return AT_EXIT_USAGE;
	int folders;
	if (plan_root(&b, argc, argv, &folders))
		return AT_EXIT_USAGE;
	b.options_hash = hash_options(&b);
	/* Read before the search, which it spares reading known sessions;
	 * its diagnostics are said after the search's, as before. */
	at_diags d;
	at_diags_init(&d);
	if (b.root_out)
		b.old = at_manifest_load(b.root_out, b.options_hash, &d);
	if (plan(&b, argc, argv, folders)) {
		at_manifest_free(b.old);
		at_diags_free(&d);
		free_jobs(&b);
		return AT_EXIT_USAGE;
	}
	int lock = b.root_out ? build_lock_out(b.root_out, 1)
		   : c->out_dir && !to_stdout ? build_lock_out(c->out_dir, 0)
					      : -2;
	if (lock == -1) {
		at_manifest_free(b.old);
		at_diags_free(&d);
		free_jobs(&b);
		return AT_EXIT_USAGE;
	}
	/* Another build wrote OUT while this one searched or waited: its
	 * manifest is the one to judge freshness by. */
	if (b.root_out && !at_manifest_unchanged(b.old, b.root_out)) {
		at_manifest_free(b.old);
		at_diags_free(&d);
		at_diags_init(&d);
		b.old = at_manifest_load(b.root_out, b.options_hash, &d);
	}
	if (b.root_out)
		sweep_stale(&b);
	b.wants_book = b.root_out && build_wants_book(&b);
	at_diags_init(&b.book_diags);
	if (b.root_out) {
		if (b.old)
			find_fresh(&b, &d);
		at_render_opts ro = {at_cli_color(c), 0};
		at_diags_render(&d, stderr, b.root_out, NULL, 0, &ro);
	}
	at_diags_free(&d);
	b.progress = b.root_out && isatty(STDERR_FILENO) &&
		     c->diag_format != AT_DIAGS_JSON && b.n_jobs > 1;
	at_outputs_install_signal_cleanup();
	build_run_all(&b);

	int rc = b.found_rc;
	size_t built = 0, fresh = 0, failed = 0, pruned = 0;
	size_t warnings = b.found_warnings;
	for (size_t i = 0; i < b.n_jobs; i++) {
		const job *j = &b.jobs[i];
		rc = rc > j->rc ? rc : j->rc;
		built += j->state == JOB_BUILT;
		fresh += j->state == JOB_UP_TO_DATE;
		failed += j->state == JOB_FAILED;
		warnings += j->warnings;
	}
	/* The depfile first: finishing the tree hands the fresh entries over
	 * to the new manifest. */
	if (c->depfile && build_write_depfile(&b))
		rc = AT_EXIT_USAGE;
	if (b.root_out && build_finish_tree(&b, &pruned))
		rc = AT_EXIT_USAGE;
	if (b.root_out) {
		char w[64];
		fprintf(stderr, _("%zu built, %zu up to date, %zu failed, %s"),
			built, fresh, failed,
			at_cli_count(w, sizeof w, warnings, AT_COUNT_WARNINGS));
		if (pruned)
			fprintf(stderr, _(", %zu outputs pruned"), pruned);
		fputc('\n', stderr);
	}
	/* Started but not finished (the build could not finish the tree):
	 * the previous workbook stays. */
	if (b.book)
		at_book_close(b.book, 0, 0);
	at_diags_free(&b.book_diags);
	at_manifest_free(b.old);
	free_jobs(&b);
	at_manifest_probe_free(&b.probe[0]);
	at_manifest_probe_free(&b.probe[1]);
	if (b.spill)
		fclose(b.spill);
	if (lock >= 0)
		close(lock);
	return rc;
}
