/* build_tree.c: what a folder build writes besides the reports: the new
 * manifest (sessions built, up to date, failing, deleted), the index, the
 * merged workbook OUT/contributions.xlsx (filled as sessions finish), and
 * the depfile (--depfile). */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_int.h"
#include "bookrows.h"
#include "buf.h"
#include "depfile.h"
#include "figure.h"
#include "i18n.h"
#include "index.h"
#include "output.h"
#include "path.h"

/* Adds a session's rows to the book (from the file its build wrote beside
 * its reports, under root_out). A session without reports has no rows. */
void build_book_add(at_book *book, const char *root_out, const char *name,
		    const at_summary *sum)
{
	if (!*sum->report)
		return;
	char *stem = at_path_join(root_out, sum->report);
	char *rows = stem ? at_bookrows_path(stem) : NULL;
	at_book_session s = {name, rows, at_lang_of_code(sum->lang)};
	at_book_add(book, &s);
	free(rows);
	free(stem);
}

static void book_session(build *b, const char *name, const at_summary *sum)
{
	build_book_add(b->book, b->root_out, name, sum);
}

/* Adds job j to the book, unless it has no rows to give (it failed). */
static void book_job(build *b, const job *j)
{
	const at_summary *sum = NULL;
	if (j->state == JOB_BUILT && j->entry) {
		sum = at_manifest_entry_summary(j->entry);
	} else if (j->state == JOB_UP_TO_DATE && b->old) {
		const at_manifest_entry *e = at_manifest_find(b->old, j->rel);
		sum = e ? at_manifest_entry_summary(e) : NULL;
	}
	if (sum)
		book_session(b, j->rel, sum);
}

static void book_start(build *b)
{
	b->book = at_book_open(b->root_out, b->c->lang, &b->book_diags);
	b->book_on = 1; /* if it failed, book_diags says why: no retry */
}

/* The book is started with the first session built (or on a first
 * build): a build where every session is up to date keeps the book it
 * has. */
static int book_due(const build *b)
{
	return b->wants_book && !b->c->shard_n && (b->any_built || !b->old);
}

/* Adds the next finished session to the book, starting it when due. 0 when
 * there was nothing to add. */
int build_feed_book(build *b)
{
	if (!b->book_on) {
		if (!book_due(b))
			return 0;
		book_start(b);
	}
	if (!b->book || b->book_next >= b->n_jobs ||
	    !b->jobs[b->book_next].done)
		return 0;
	book_job(b, &b->jobs[b->book_next++]);
	return 1;
}

int build_book_ready(const build *b)
{
	return b->book_next < b->n_jobs && b->jobs[b->book_next].done &&
	       (b->book || (!b->book_on && book_due(b)));
}

/* Appends a name to a depfile rule, or says why make could not read it. */
static int dep_name(at_buf *t, const char *path, const char *depfile)
{
	if (t->len && t->s[t->len - 1] != '\n')
		at_buf_putc(t, ' ');
	if (at_depfile_put(t, path) == 0)
		return 0;
	char *d = build_escaped(depfile), *p = build_escaped(path);
	fprintf(stderr,
		_("atelier: cannot write %s: the name %s holds a control "
		  "character, which make cannot read: rename it\n"),
		d ? d : "?", p ? p : "?");
	free(d);
	free(p);
	return -1;
}

/* One rule: the session's outputs, then every input they were built from
 * (the session and its figures), as recorded. */
static int depfile_rule(const build *b, const job *j, at_buf *t)
{
	int bad = 0;
	for (size_t k = 0; k < b->n_sel && !bad; k++) {
		at_buf name;
		at_buf_init(&name);
		at_buf_printf(&name, "%s/%s.%s", j->out_dir, j->stem,
			      b->sel[k]->ext);
		bad = name.oom || dep_name(t, at_buf_cstr(&name), b->c->depfile);
		at_buf_free(&name);
	}
	at_buf_putc(t, ':');
	const at_manifest_entry *e =
		j->entry ? j->entry
			 : b->old ? at_manifest_find(b->old, j->rel) : NULL;
	size_t n = e ? at_manifest_entry_n_deps(e) : 0;
	if (!n)
		bad = bad || dep_name(t, j->input, b->c->depfile);
	for (size_t i = 0; i < n && !bad; i++)
		bad = dep_name(t, at_manifest_entry_dep(e, i), b->c->depfile);
	at_buf_putc(t, '\n');
	return bad ? -1 : 0;
}

/* Written whole or not at all, like a report. */
int build_write_depfile(const build *b)
{
	at_buf t;
	at_buf_init(&t);
	int bad = 0;
	for (size_t i = 0; i < b->n_jobs && !bad; i++) {
		const job *j = &b->jobs[i];
		if (j->state != JOB_FAILED && j->out_dir)
			bad = depfile_rule(b, j, &t);
	}
	if (!bad && t.oom)
		fputs(_("atelier: out of memory\n"), stderr);
	bad |= t.oom;
	char *dir = bad ? NULL : at_path_dir_dup(b->c->depfile);
	const char *slash = strrchr(b->c->depfile, '/');
	at_diags d;
	at_diags_init(&d);
	if (dir && at_write_atomic(dir, slash ? slash + 1 : b->c->depfile,
				   t.s, t.len, &d) != AT_OK) {
		at_render_opts ro = {at_cli_color(b->c), 0};
		at_diags_render(&d, stderr, b->c->depfile, NULL, 0, &ro);
		bad = 1;
	} else if (dir && b->c->verbose) {
		build_say_wrote(stderr, b->c->depfile, NULL);
	}
	bad |= !bad && !dir;
	at_diags_free(&d);
	free(dir);
	at_buf_free(&t);
	return bad ? -1 : 0;
}

/* The workbook of all contributions comes with the spreadsheet format. */
int build_wants_book(const build *b)
{
	for (size_t i = 0; i < b->n_sel; i++)
		if (b->sel[i]->flags & AT_EMITTER_BOOK)
			return 1;
	return 0;
}

/* The workbook is dated by the newest session. */
long long build_book_timestamp(const at_summary *v, size_t n)
{
	const char *newest = "0000-01-01";
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].date, newest) > 0)
			newest = v[i].date;
	return build_timestamp_at((int)strtol(newest, NULL, 10),
				  (int)strtol(newest + 5, NULL, 10),
				  (int)strtol(newest + 8, NULL, 10));
}

/* Ends the book: every session not yet in it, then the sessions the
 * manifest keeps that were not built now (rest: deleted, not pruned),
 * dated by the newest session. */
static at_status finish_book(build *b, at_manifest_entry *const *rest,
			     size_t n_rest, const at_summary *v, size_t n)
{
	if (!b->book_on)
		book_start(b);
	while (build_feed_book(b))
		;
	if (!b->book)
		return AT_EIO; /* book_diags says why */
	for (size_t i = 0; i < n_rest; i++) {
		const at_summary *s = at_manifest_entry_summary(rest[i]);
		if (!s)
			continue;
		book_session(b, at_manifest_entry_key(rest[i]), s);
	}
	at_book *book = b->book;
	b->book = NULL;
	return at_book_close(book, build_book_timestamp(v, n), 1);
}

/* The workbook written by a child process while this one writes the
 * index and the manifest: the two read the same summaries and write
 * different files, and the second core is idle once the sessions are
 * built. The child says what the book's diagnostics say, rendered, on a
 * pipe; an exit status other than 0 is a failure. */
typedef struct book_child {
	pid_t pid;
	int fd;
} book_child;

static int book_fork(build *b, at_manifest *m, at_manifest_entry **rest,
		     size_t n_rest, const at_summary *v, size_t n,
		     const at_render_opts *ro, book_child *c)
{
	int p[2];
	if (!b->book_on)
		book_start(b);
	/* libvips' threads do not survive a fork (a --watch that built a
	 * session itself): then the book is written here, after the index. */
	if (!b->book || at_figure_started() || pipe(p) != 0)
		return -1;
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (c->pid == 0) {
		close(p[0]);
		at_status st = finish_book(b, rest, n_rest, v, n);
		FILE *f = fdopen(p[1], "w");
		if (f) {
			at_diags_render(&b->book_diags, f, b->root_out, NULL, 0,
					ro);
			st = fclose(f) == 0 ? st : AT_EIO;
		}
		/* What this function's caller would free (the rest is the
		 * build's, as in a worker). */
		at_manifest_free(m);
		free(rest);
		_exit(f && st == AT_OK ? 0 : 1);
	}
	close(p[1]);
	c->fd = p[0];
	at_book_forget(b->book);
	b->book = NULL;
	return 0;
}

/* Waits for the child; its rendered diagnostics into said. 0 when it
 * wrote the workbook. */
static int book_join(const book_child *c, at_buf *said)
{
	for (;;) {
		char *to = at_buf_extend(said, 4096);
		ssize_t got = to ? read(c->fd, to, 4096) : -1;
		if (to)
			said->len -= 4096 - (got > 0 ? (size_t)got : 0);
		if (got == 0 || (got < 0 && errno != EINTR))
			break;
	}
	close(c->fd);
	int status;
	while (waitpid(c->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Whether a folder build changed nothing that the manifest, the index or
 * the workbook record: every session up to date, none deleted. Then they
 * are left as they are, without copying a manifest of thousands. */
static int nothing_changed(build *b)
{
	if (!b->old || (!b->c->shard_n && !at_index_exists(b->root_out)))
		return 0;
	size_t known = 0;
	for (size_t i = 0; i < b->n_jobs; i++) {
		if (b->jobs[i].state != JOB_UP_TO_DATE)
			return 0;
		known += at_manifest_find(b->old, b->jobs[i].rel) != NULL;
	}
	return known == at_manifest_count(b->old);
}

static int forces_of(void *m, size_t i, const at_force_note **v, size_t *n)
{
	return at_manifest_forces(m, i, v, n);
}

static int failing(const at_manifest_entry *e)
{
	const at_summary *s = at_manifest_entry_summary(e);
	return s && s->failed && *s->failed && !*s->report;
}

/* A session that fails now, into the new manifest m. Its last good
 * reports stay (a failure never destroys what was built), but the index
 * marks them stale, with why; the entry is rebuilt next time. Without
 * reports, it is listed as failing. 0, or -1 on OOM. */
static int put_failing(at_manifest *m, job *j, at_manifest_entry *old)
{
	at_manifest_entry *e = j->entry;
	j->entry = NULL;
	if (!old)
		return at_manifest_put(m, e);
	const at_summary *now = at_manifest_entry_summary(e);
	at_buf why;
	at_buf_init(&why);
	at_buf_printf(&why, "stale report: the session %s",
		      now && now->failed ? now->failed : "fails to build");
	at_manifest_entry_free(e);
	int rc = at_manifest_put_copy(m, old, 1);
	at_manifest_entry *c = rc ? NULL : at_manifest_find(m, j->rel);
	const at_summary *last = c ? at_manifest_entry_summary(c) : NULL;
	if (c && !(last && *last->report))
		rc = at_manifest_entry_set_failed(c, now && now->failed
							 ? now->failed
							 : "fails to build");
	else if (c)
		rc = why.oom ? -1 : at_manifest_entry_set_failed(c, why.s);
	at_buf_free(&why);
	return rc;
}

/* After a folder build: the manifest, the index and pruning. */
int build_finish_tree(build *b, size_t *pruned)
{
	*pruned = 0;
	if (nothing_changed(b))
		return 0;
	/* The book takes the sessions built from their entries, which move to
	 * the new manifest below. */
	if (b->book)
		while (build_feed_book(b))
			;
	at_manifest *m = at_manifest_new(b->options_hash);
	size_t n_old = b->old ? at_manifest_count(b->old) : 0, n_rest = 0;
	at_manifest_entry **rest = malloc((n_old ? n_old : 1) * sizeof *rest);
	if (!m || !rest)
		goto oom;
	/* changed: the index and the workbook must be made again; save: the
	 * manifest too (also when a session failed, to rebuild it next time).
	 * A no-op rebuild writes nothing. */
	int changed = 0, save = !b->old;
	for (size_t i = 0; i < b->n_jobs; i++) {
		job *j = &b->jobs[i];
		at_manifest_entry *old =
			b->old ? at_manifest_find(b->old, j->rel) : NULL;
		if (j->state == JOB_FAILED && j->entry) {
			if (put_failing(m, j, old))
				goto oom;
			changed = 1;
		} else if (j->state == JOB_BUILT && j->entry) {
			if (old)
				at_manifest_entry_remove_dropped(old, j->entry,
								 b->root_out);
			int lost = at_manifest_put(m, j->entry);
			j->entry = NULL;
			if (lost)
				goto oom;
			changed = 1;
		} else if (old) {
			/* Up to date, or failed now: the last good build
			 * stands (a failure keeps its previous reports), but a
			 * failed one is rebuilt next time. */
			if (at_manifest_put_copy(m, old, j->state == JOB_FAILED))
				goto oom;
			save |= j->state == JOB_FAILED;
		}
	}
	for (size_t i = 0; i < n_old; i++) {
		at_manifest_entry *e = at_manifest_at(b->old, i);
		if (at_manifest_find(m, at_manifest_entry_key(e)))
			continue;
		changed = 1;
		if (failing(e))
			continue; /* deleted, and without reports: forgotten */
		if (b->c->prune) {
			*pruned += at_manifest_entry_remove_outputs(e,
								    b->root_out);
		} else {
			if (at_manifest_put_copy(m, e, 0))
				goto oom;
			rest[n_rest++] = e;
		}
	}
	/* A part of a sharded build leaves them to atelier merge. */
	int index = !b->c->shard_n &&
		    (changed || !b->old || !at_index_exists(b->root_out));
	int book = !b->c->shard_n && (changed || !b->old) && b->wants_book;
	size_t n = 0;
	const at_summary *v = NULL;
	if ((index || book) && !(v = at_manifest_summaries(m, &n)))
		goto oom;
	at_diags d;
	at_diags_init(&d);
	int rc = 0;
	at_render_opts ro = {at_cli_color(b->c), 0};
	book_child child = {-1, -1};
	at_buf book_said;
	at_buf_init(&book_said);
	int forked = book &&
		     book_fork(b, m, rest, n_rest, v, n, &ro, &child) == 0;
	at_lang lang = at_index_lang(b->c->lang, v, n);
	if (index && at_index_write(b->root_out, v, n, forces_of, m, lang,
				    b->wants_book, &d) != AT_OK)
		rc = -1;
	else if (index && b->c->verbose) {
		build_say_wrote(stderr, b->root_out, "index.html");
		build_say_wrote(stderr, b->root_out, "index.md");
	}
	/* While the child still writes the workbook. */
	if ((changed || save) && at_manifest_save(m, b->root_out, &d) != AT_OK)
		rc = -1;
	int book_rc = !book ? 0
		      : forked ? book_join(&child, &book_said)
		      : finish_book(b, rest, n_rest, v, n) == AT_OK ? 0 : -1;
	if (book_rc) {
		rc = -1;
		/* A child that ended without a word was killed. */
		char *path = forked && !book_said.len
				     ? at_path_join(b->root_out, AT_BOOK_NAME)
				     : NULL;
		if (path)
			at_diag_add(&d, AT_ERROR, "io", (at_pos){0, 0}, 0,
				    "cannot write %s", path);
		free(path);
	} else if (book && b->c->verbose) {
		build_say_wrote(stderr, b->root_out, "contributions.xlsx");
	}
	if (forked && book_said.len)
		fwrite(book_said.s, 1, book_said.len, stderr);
	else
		at_diags_render(&b->book_diags, stderr, b->root_out, NULL, 0,
				&ro);
	at_buf_free(&book_said);
	at_diags_render(&d, stderr, b->root_out, NULL, 0, &ro);
	at_diags_free(&d);
	at_manifest_free(m);
	free(rest);
	return rc;
oom:
	at_manifest_free(m);
	free(rest);
	fputs(_("atelier: out of memory\n"), stderr);
	return -1;
}
