/* build.c: `atelier build`, from one file to a whole repository of sessions.
 *
 * Files are built beside themselves (or into -o). Folders are searched for
 * session files (.yaml and .yml files with a top-level `atelier:` key), built into
 * OUT mirroring the tree, in parallel (-j), incrementally (a manifest in
 * OUT remembers what each output was built from), and summed up in an
 * index. Each session's diagnostics are collected whole and printed in the
 * order of the sessions, so parallel builds never interleave them and print
 * the same thing whatever -j. */
/* realpath() is XSI; MAP_ANONYMOUS is POSIX.1-2024, not 2008, and glibc
 * and macOS show it only with their extensions (docs/portability.md). */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atelier/emitter.h"
#include "bind.h"
#include "book.h"
#include "buf.h"
#include "cli.h"
#include "depfile.h"
#include "figcopy.h"
#include "i18n.h"
#include "figure.h"
#include "index.h"
#include "manifest.h"
#include "output.h"
#include "read.h"
#include "url.h"

#define MAX_FORMATS 16

/* ---- paths ---- */

static char *join(const char *a, const char *b)
{
	at_buf p;
	at_buf_init(&p);
	if (strcmp(a, ".") != 0 || !*b) {
		at_buf_puts(&p, a);
		if (p.len && p.s[p.len - 1] != '/')
			at_buf_putc(&p, '/');
	}
	at_buf_puts(&p, b);
	return p.oom ? (at_buf_free(&p), NULL) : at_buf_take(&p);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* "dir/moulins.yaml" -> "moulins"; standard input's reports are "stdin.*". */
static char *stem_of(const char *path)
{
	if (strcmp(path, "-") == 0)
		return strdup("stdin");
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return strndup(base, n);
}

/* mkdir -p; 0 on success. */
static int make_dirs(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
	free(p);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A name as diagnostics escape it, for a message that quotes it (a name
 * is the contributor's: it cannot forge a CI annotation or drive the
 * terminal). Free it; NULL when out of memory (callers print "?"). */
static char *escaped(const char *name)
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
static void say(FILE *f, const char *path, const char *what)
{
	at_put_escaped(f, path);
	fprintf(f, "%s\n", what);
}

/* "wrote DIR/NAME" (name NULL: path is whole), normalised as the depfile
 * names it. */
static void say_wrote(FILE *f, const char *path, const char *name)
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

/* ---- formats ---- */

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

/* ---- one session ---- */

typedef enum job_state { JOB_PENDING, JOB_BUILT, JOB_UP_TO_DATE,
			 JOB_FAILED } job_state;

typedef struct job {
	char *input;     /* as found or given */
	char *rel;       /* relative to the root: the manifest's key */
	char *out_dir;   /* NULL: standard output */
	char *stem;
	const char *root; /* the folder searched, where its figures stay */
	job_state state;
	int rc;
	size_t warnings;
	/* What a folder build records of it: inputs, outputs, summary. */
	at_manifest_entry *entry;
	char *err_text, *out_text; /* diagnostics, printed in order */
	size_t err_len, out_len;
	int done;        /* finished and its texts stored */
} job;

typedef struct build {
	const at_cli *c;
	const at_emitter *sel[MAX_FORMATS];
	size_t n_sel;
	job *jobs;
	size_t n_jobs;
	const char *root_out;      /* OUT for folders, or NULL */
	at_manifest *old;          /* what the last build recorded */
	uint64_t options_hash;
	size_t printed;            /* jobs whose diagnostics are out */
	size_t finished;
	int progress;              /* draw a progress bar on stderr */
	/* OUT/contributions.xlsx, filled with the sessions in their order
	 * as they finish, from the first one built on: a parallel build
	 * writes it while the workers build (book.c). */
	int wants_book, any_built, book_on;
	at_book *book;             /* NULL: not started, or failed to */
	size_t book_next;          /* first job not yet in the book */
	at_diags book_diags;
	/* Where the drivers and brakes of the sessions built wait for the
	 * index (at_manifest_spill): thousands would not fit in memory. An
	 * unlinked file, gone with the process. */
	FILE *spill;
	/* What finding the sessions reported (warn_lookalikes). */
	size_t found_warnings;
	int found_rc;
} build;

/* SOURCE_DATE_EPOCH when set, else noon UTC of the given date: timestamps
 * inside files then follow the input, never the clock, and the same input
 * gives the same bytes. Days from the civil date by H. Hinnant's
 * algorithm: timegm is not standard C and mktime applies the local zone. */
static long long timestamp_at(int year, int month, int day)
{
	long long v;
	if (at_cli_source_date_epoch(&v) == 1)
		return v;
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned mp = (unsigned)(month + (month > 2 ? -3 : 9));
	unsigned doy = (153 * mp + 2) / 5 + (unsigned)day - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long long days = (long long)era * 146097 + (long long)doe - 719468;
	return days * 86400LL + 12LL * 3600LL;
}

static long long timestamp_for(const at_session *s)
{
	return timestamp_at(s->date.year, s->date.month, s->date.day);
}

static void free_outputs(at_output *outs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(outs[i].path);
}

/* Fills the summary's reports (their path relative to OUT, without
 * extension) and formats. The reports are in out_dir, spelled from root as
 * OUT was: made relative lexically, "public/" and "./public" alike. */
static int link_reports(at_summary *sum, const job *j, const at_output *outs,
			size_t n, const char *root)
{
	at_buf rel, formats;
	at_buf_init(&rel);
	at_buf_init(&formats);
	at_buf_puts(&rel, j->out_dir);
	at_buf_printf(&rel, "/%s", j->stem);
	char *path = at_buf_take(&rel);
	int bad = !path || at_path_rel(&rel, root, path) != 0;
	free(path);
	for (size_t i = 0; i < n; i++)
		if (outs[i].path)
			at_buf_printf(&formats, "%s%s", formats.len ? "," : "",
				      outs[i].emitter->name);
	free(sum->report);
	free(sum->formats);
	sum->report = bad ? NULL : at_buf_take(&rel);
	sum->formats = formats.oom ? NULL : at_buf_take(&formats);
	at_buf_free(&rel);
	at_buf_free(&formats);
	return !sum->report || !sum->formats ? -1 : 0;
}

static int add_figure_dep(const at_figure *f, void *ctx)
{
	return at_manifest_entry_add_dep(ctx, f->path) ? -1 : 0;
}

/* What a session is built from, recorded before its reports are written:
 * the session as it was read (the bytes parsed), its figures as they are
 * before the emitters read them. Whatever changes after is rebuilt next
 * time. */
static at_manifest_entry *record_inputs(const job *j, const at_document *doc)
{
	at_manifest_entry *e = at_manifest_entry_new(j->rel, j->input);
	if (!e)
		return NULL;
	int bad = at_manifest_entry_add_read(e, j->input,
					     at_document_stamp(doc)) != 0;
	/* Figures are inputs too: an edited photo must rebuild the HTML. */
	bad |= at_session_each_figure(at_document_session(doc), add_figure_dep,
				      e) != 0;
	if (bad) {
		at_manifest_entry_free(e);
		return NULL;
	}
	return e;
}

/* The rest of the record of a session just built: what it wrote (root
 * NULL: a single file's build, whose record only feeds the depfile) and
 * its summary, for the index. */
static at_manifest_entry *record_outputs(at_manifest_entry *e, const job *j,
					 const at_session *s,
					 const at_output *outs, size_t n,
					 const char *root)
{
	if (!e)
		return NULL;
	int bad = 0;
	size_t rl = root ? strlen(root) : 0;
	for (size_t i = 0; i < n && root; i++) {
		const char *p = outs[i].path;
		/* Stored relative to OUT, so the tree can move. */
		if (strncmp(p, root, rl) == 0 && p[rl] == '/')
			p += rl + 1;
		bad |= at_manifest_entry_add_output(e, p);
	}
	at_summary sum;
	if (!bad && at_summary_of(s, &sum) == 0) {
		free(sum.rel);
		sum.rel = strdup(j->rel);
		bad = !sum.rel ||
		      (root && link_reports(&sum, j, outs, n, root) != 0) ||
		      at_manifest_entry_set_summary(e, &sum) != 0;
		at_summary_free(&sum);
	} else {
		bad = 1;
	}
	if (bad) {
		at_manifest_entry_free(e);
		return NULL;
	}
	return e;
}

/* A folder build into -o OUT copies the figures beside the reports that
 * link them as files (figcopy.h); without -o the reports are beside the
 * sessions, in the tree with their figures. */
static int copies_figures(const build *b)
{
	int wanted = 0;
	for (size_t i = 0; i < b->n_sel; i++)
		wanted |= (b->sel[i]->flags & AT_EMITTER_FIGURE_FILES) != 0;
	return wanted && b->root_out && b->c->out_dir;
}

/* Copies the figures when due, and has the reports link the copies. Its
 * warnings (an SVG not copied) count, and fail the session under
 * --werror. */
static at_status copy_figures(const build *b, job *j, const at_session *s,
			      at_emit_options *o, at_figcopies **copies,
			      at_diags *d)
{
	if (!copies_figures(b))
		return AT_OK;
	size_t before = d->warnings;
	if (!o->figures)
		return AT_ENOMEM;
	at_status st = at_figcopies_make(s, o->figures, j->out_dir, j->stem,
					 copies, d);
	o->figure_copy = at_figcopies_name;
	o->figure_ctx = *copies;
	if (b->c->werror && d->warnings > before) {
		at_diags_promote_warnings(d);
		return AT_EINPUT;
	}
	return st;
}

/* The copies are outputs of the session: --prune removes them, and a
 * session whose copy is gone is built again. */
static void record_copies(job *j, const at_figcopies *copies,
			  const char *root)
{
	at_buf rel;
	at_buf_init(&rel);
	for (size_t i = 0; j->entry && i < at_figcopies_count(copies); i++) {
		at_buf_clear(&rel);
		at_buf_printf(&rel, "%s/%s", j->out_dir,
			      at_figcopies_at(copies, i));
		char *path = rel.oom ? NULL : at_buf_take(&rel);
		if (!path || at_path_rel(&rel, root, path) != 0 ||
		    at_manifest_entry_add_output(j->entry, at_buf_cstr(&rel))) {
			at_manifest_entry_free(j->entry);
			j->entry = NULL;
		}
		free(path);
	}
	at_buf_free(&rel);
}

/* Why a session fails, for its line in the index: its first error, with
 * its position; control characters (a message quotes the file) become
 * '?'. */
static char *failure_reason(const at_diags *d)
{
	const at_diag *g = NULL;
	for (size_t i = 0; i < d->n && !g; i++)
		if (d->v[i].severity == AT_ERROR)
			g = &d->v[i];
	at_buf r;
	at_buf_init(&r);
	at_buf_puts(&r, "fails to build");
	if (g && g->pos.line)
		at_buf_printf(&r, " (line %u, column %u)", (unsigned)g->pos.line,
			      (unsigned)g->pos.col);
	at_buf_printf(&r, ": %s", g ? g->message : "see the build's log");
	if (r.oom) {
		at_buf_free(&r);
		return NULL;
	}
	for (char *p = r.s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = '?';
	return at_buf_take(&r);
}

/* A session that no longer builds is listed in the index as failing, with
 * why (put_failing keeps its last good reports, marked stale): what the
 * worker records of it. */
static void record_failure(build *b, job *j, const at_diags *d)
{
	if (!b->root_out)
		return;
	at_summary sum = {j->rel, j->rel, "", "", 0, 0, 0, 0, "", "", NULL, 0,
			  failure_reason(d), "", 0};
	at_manifest_entry *e = sum.failed ? at_manifest_entry_new(j->rel,
								  j->input)
					  : NULL;
	if (e && at_manifest_entry_set_summary(e, &sum) != 0) {
		at_manifest_entry_free(e);
		e = NULL;
	}
	free(sum.failed);
	at_manifest_entry_free(j->entry);
	j->entry = e;
}

/* The size of a session file, for its budgets (0 if it cannot tell). */
static long long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* Checks, then emits every selected format; err/out receive this
 * session's diagnostics. */
static void build_session(build *b, job *j, FILE *err, FILE *out)
{
	at_cli cj = *b->c;
	const at_cli *c = &cj;
	cj.limits.figure_root = j->root;
	cj.in_tree = b->root_out != NULL;
	at_document *doc = NULL;
	at_diags checked;
	j->rc = at_cli_check_file_diags(c, j->input, err, out, &doc, &checked);
	j->warnings = checked.warnings;
	if (j->rc) {
		record_failure(b, j, &checked);
		at_diags_free(&checked);
		j->state = JOB_FAILED;
		return;
	}
	const at_session *s = at_document_session(doc);
	at_output outs[MAX_FORMATS];
	memset(outs, 0, sizeof outs);
	for (size_t i = 0; i < b->n_sel; i++) {
		outs[i].emitter = b->sel[i];
		if (!j->out_dir)
			continue;
		size_t len = strlen(j->out_dir) + strlen(j->stem) +
			     strlen(b->sel[i]->ext) + 3;
		outs[i].path = malloc(len);
		if (!outs[i].path) {
			j->rc = AT_EXIT_USAGE;
			j->state = JOB_FAILED;
			free_outputs(outs, b->n_sel);
			at_document_free(doc);
			return;
		}
		snprintf(outs[i].path, len, "%s/%s.%s", j->out_dir, j->stem,
			 b->sel[i]->ext);
	}
	at_emit_options o;
	memset(&o, 0, sizeof o);
	o.lang = c->lang >= 0 ? (at_lang)c->lang : s->lang;
	o.front_matter = c->front_matter;
	o.unsafe = c->unsafe;
	o.csv = (at_csv_dialect)c->csv;
	o.out_dir = j->out_dir;
	o.timestamp = timestamp_for(s);
	o.max_output = at_limits_output(&c->limits, size_of(j->input));
	o.figure_size = c->figure_size;
	o.figure_pixels = c->figure_pixels;
	o.verbose = c->verbose;
	at_diags d;
	at_diags_init(&d);
	at_status st = AT_OK;
	at_figcopies *copies = NULL;
	/* One processing of each figure for the copies and every format. */
	at_figure_set *own_figs = NULL;
	o.figures = at_figure_set_for(s, &o, &own_figs);
	/* Also what a single file's depfile lists. */
	at_manifest_entry *rec =
		b->root_out || c->depfile ? record_inputs(j, doc) : NULL;
	if (rec && at_manifest_entry_add_diags(rec, &checked) != 0) {
		at_manifest_entry_free(rec);
		rec = NULL;
	}
	at_diags_free(&checked);
	if (j->out_dir && make_dirs(j->out_dir) != 0) {
		at_diag_add(&d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot create folder %s: %s", j->out_dir,
			    strerror(errno));
		st = AT_EIO;
	} else if ((st = copy_figures(b, j, s, &o, &copies, &d)) == AT_OK) {
		st = at_outputs_write(s, outs, b->n_sel, &o, &d);
	}
	at_cli_report(c, j->input, doc, &d, err, out);
	j->warnings += d.warnings;
	if (rec && at_manifest_entry_add_diags(rec, &d) != 0) {
		at_manifest_entry_free(rec);
		rec = NULL;
	}
	if (st != AT_OK) {
		j->rc = st == AT_EINPUT ? AT_EXIT_INPUT : AT_EXIT_USAGE;
		j->state = JOB_FAILED;
		record_failure(b, j, &d);
	} else {
		j->state = JOB_BUILT;
		if (c->verbose)
			for (size_t i = 0; i < b->n_sel; i++)
				if (outs[i].path)
					say_wrote(err, outs[i].path, NULL);
		j->entry = record_outputs(rec, j, s, outs, b->n_sel,
					  b->root_out);
		rec = NULL;
		if (b->root_out)
			record_copies(j, copies, b->root_out);
	}
	at_figcopies_free(copies);
	at_figure_set_free(own_figs);
	at_manifest_entry_free(rec);
	at_diags_free(&d);
	free_outputs(outs, b->n_sel);
	at_document_free(doc);
}

/* ---- incremental ---- */

/* Whether the last build of j is still good: same options, same inputs
 * (by size and time, else by content), every output still there. */
static int up_to_date(build *b, job *j)
{
	if (b->c->force || !b->old)
		return 0;
	const at_manifest_entry *e = at_manifest_find(b->old, j->rel);
	if (!e || !at_manifest_entry_fresh(e, b->root_out))
		return 0;
	return 1;
}

/* An up-to-date session shows the diagnostics its build reported, in the
 * form asked for now, and they count in the summary (as cargo replays
 * warnings): a warning seen once is not gone. */
static void replay(build *b, job *j, FILE *err, FILE *out)
{
	const at_manifest_entry *e = at_manifest_find(b->old, j->rel);
	at_diags d;
	at_diags_init(&d);
	char *codes = e ? at_manifest_entry_diags(e, &d) : NULL;
	if (d.n) {
		/* Their excerpts quote the file, unchanged since: only the
		 * lines quoted are read. */
		at_document *doc = at_document_open_source(j->input);
		at_cli_report(b->c, j->input, doc, &d, err, out);
		at_document_free(doc);
	}
	j->warnings = d.warnings;
	at_diags_free(&d);
	free(codes);
}

/* ---- running jobs, in parallel ---- */

static void draw_progress(build *b)
{
	if (!b->progress)
		return;
	const int width = 30;
	size_t done = b->finished, total = b->n_jobs;
	int fill = total ? (int)(done * (size_t)width / total) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu", fill,
		"==============================", width - fill, "", done,
		total);
	fflush(stderr);
}

static void clear_progress(const build *b)
{
	if (b->progress)
		fputs("\r\033[K", stderr);
}

/* Prints the diagnostics of every finished job that follows the last
 * printed one: sessions' reports come out in their order, whole. */
static void flush_in_order(build *b)
{
	int cleared = 0;
	while (b->printed < b->n_jobs && b->jobs[b->printed].done) {
		job *j = &b->jobs[b->printed++];
		if ((j->err_len || j->out_len) && !cleared) {
			clear_progress(b);
			cleared = 1;
		}
		if (j->err_len)
			fwrite(j->err_text, 1, j->err_len, stderr);
		if (j->out_len)
			fwrite(j->out_text, 1, j->out_len, stdout);
		free(j->err_text);
		free(j->out_text);
		j->err_text = j->out_text = NULL;
		j->err_len = j->out_len = 0;
	}
	fflush(stdout);
	draw_progress(b);
}

/* Builds job j, its diagnostics captured whole so that they can be
 * printed in the order of the sessions. */
static void work_on(build *b, job *j)
{
	char *et = NULL, *ot = NULL;
	size_t el = 0, ol = 0;
	FILE *err = open_memstream(&et, &el);
	FILE *out = open_memstream(&ot, &ol);
	if (!err || !out) {
		j->rc = AT_EXIT_USAGE;
		j->state = JOB_FAILED;
	} else if (up_to_date(b, j)) {
		j->state = JOB_UP_TO_DATE;
		replay(b, j, err, out);
		if (b->c->verbose)
			say(err, j->input, _(": up to date"));
	} else {
		build_session(b, j, err, out);
	}
	if (err)
		fclose(err);
	if (out)
		fclose(out);
	j->err_text = et;
	j->err_len = err ? el : 0;
	j->out_text = ot;
	j->out_len = out ? ol : 0;
}

static void finished(build *b, job *j)
{
	j->done = 1;
	b->finished++;
	b->any_built |= j->state == JOB_BUILT;
	if (j->entry && !b->spill)
		b->spill = tmpfile();
	/* On failure they stay in memory: it costs memory, not the build. */
	if (j->entry && b->spill)
		(void)at_manifest_spill(j->entry, b->spill);
	flush_in_order(b);
}

/* ---- the workbook of every contribution ---- */

/* A session of the book, its rows linked to its HTML report, or the
 * first other one the index links. */
static void book_session(at_book_session *s, const char *name,
			 const char *input, const at_summary *sum)
{
	const at_emitter *e = at_summary_report(sum, "html");
	*s = (at_book_session){name, input, e ? sum->report : NULL,
			       e ? e->ext : NULL};
}

/* What the book needs of job j: 0 when it has no rows to give (it
 * failed). */
static int book_session_of(build *b, const job *j, at_book_session *s)
{
	const at_summary *sum = NULL;
	if (j->state == JOB_BUILT && j->entry) {
		sum = at_manifest_entry_summary(j->entry);
	} else if (j->state == JOB_UP_TO_DATE && b->old) {
		const at_manifest_entry *e = at_manifest_find(b->old, j->rel);
		sum = e ? at_manifest_entry_summary(e) : NULL;
	}
	if (!sum)
		return 0;
	book_session(s, j->rel, j->input, sum);
	return 1;
}

static void book_start(build *b)
{
	b->book = at_book_open(b->root_out, b->c->lang, &b->c->limits,
			       &b->book_diags);
	b->book_on = 1; /* if it failed, book_diags says why: no retry */
}

/* The book is started with the first session built (or on a first
 * build): a build where every session is up to date keeps the book it
 * has. */
static int book_due(const build *b)
{
	return b->wants_book && (b->any_built || !b->old);
}

/* Adds the next finished session to the book, starting it when due. 0 when
 * there was nothing to add. */
static int feed_book(build *b)
{
	if (!b->book_on) {
		if (!book_due(b))
			return 0;
		book_start(b);
	}
	if (!b->book || b->book_next >= b->n_jobs ||
	    !b->jobs[b->book_next].done)
		return 0;
	at_book_session s;
	if (book_session_of(b, &b->jobs[b->book_next++], &s))
		at_book_add(b->book, &s);
	return 1;
}

static int book_ready(const build *b)
{
	return b->book_next < b->n_jobs && b->jobs[b->book_next].done &&
	       (b->book || (!b->book_on && book_due(b)));
}

/* ---- worker processes ----
 * Parallel builds run in processes, not threads: libxlsxwriter formats
 * dates with gmtime(), whose static buffer threads would share, and a
 * process that dies takes only its session down. Workers claim jobs from
 * a shared counter and send each result back on their pipe:
 *   header (index, state, rc, warnings, three lengths), then the
 *   diagnostics, the machine diagnostics and the manifest entry's text. */

typedef struct result_header {
	size_t index;
	int state, rc;
	size_t warnings, err_len, out_len, entry_len;
} result_header;

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static void send_result(int fd, size_t index, const job *j)
{
	char *et = NULL;
	size_t el = 0;
	if (j->entry) {
		FILE *f = open_memstream(&et, &el);
		if (f) {
			at_manifest_entry_write(j->entry, f);
			fclose(f);
		}
	}
	result_header h = {index, (int)j->state, j->rc, j->warnings,
			   j->err_len, j->out_len, et ? el : 0};
	if (write_all(fd, &h, sizeof h) == 0 &&
	    write_all(fd, j->err_text ? j->err_text : "", j->err_len) == 0 &&
	    write_all(fd, j->out_text ? j->out_text : "", j->out_len) == 0)
		write_all(fd, et ? et : "", h.entry_len);
	free(et);
}

/* A started job announces itself, so that a worker's death is pinned on
 * the session it was building. */
static void send_start(int fd, size_t index)
{
	result_header h = {index, JOB_PENDING, 0, 0, 0, 0, 0};
	write_all(fd, &h, sizeof h);
}

/* The CPU budget of a job, from the CPU time the worker has used so far:
 * past it the kernel sends SIGXCPU, and the worker dies with it (its
 * temporary files removed, output.c); the parent names the budget. */
static size_t cpu_budget(const build *b, const job *j)
{
	return at_limits_cpu(&b->c->limits, size_of(j->input));
}

static void limit_cpu(const build *b, const job *j)
{
	struct rusage ru;
	struct rlimit rl;
	/* SIGXCPU dumps core by default: no core file of a worker, which
	 * holds the environment, may land in the tree. */
	if (getrlimit(RLIMIT_CORE, &rl) == 0) {
		rl.rlim_cur = 0;
		setrlimit(RLIMIT_CORE, &rl);
	}
	if (getrusage(RUSAGE_SELF, &ru) != 0 || getrlimit(RLIMIT_CPU, &rl))
		return;
	rlim_t used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
	rl.rlim_cur = used + (rlim_t)cpu_budget(b, j);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_CPU, &rl);
}

static _Noreturn void worker(build *b, _Atomic size_t *next, int fd)
{
	for (;;) {
		size_t i = atomic_fetch_add(next, 1);
		if (i >= b->n_jobs)
			break;
		job *j = &b->jobs[i];
		if (j->done) /* by an earlier round of workers */
			continue;
		send_start(fd, i);
		limit_cpu(b, j);
		work_on(b, j);
		send_result(fd, i, j);
		/* Sent: a worker of a repository of thousands keeps nothing. */
		free(j->err_text);
		free(j->out_text);
		j->err_text = j->out_text = NULL;
		at_manifest_entry_free(j->entry);
		j->entry = NULL;
	}
	close(fd);
	_exit(0);
}

/* A worker must not outlive the build: once the parent is killed, nobody
 * would record what the worker writes, and it would go on building. Linux
 * sends the worker SIGTERM (whose handler removes its temporary files);
 * elsewhere it stops when its result pipe breaks. */
static void stop_with_parent(pid_t parent)
{
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (getppid() != parent) /* it died before prctl took effect */
		raise(SIGTERM);
}

typedef struct inbox {
	int fd;
	pid_t pid;
	char *buf;
	size_t len, cap;
	size_t current; /* job being built, SIZE_MAX if none */
} inbox;

static char *take(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* Applies every complete message in the inbox to its job. */
static void consume(build *b, inbox *in)
{
	size_t off = 0;
	while (in->len - off >= sizeof(result_header)) {
		result_header h;
		memcpy(&h, in->buf + off, sizeof h);
		size_t body = h.err_len + h.out_len + h.entry_len;
		if (in->len - off - sizeof h < body)
			break;
		const char *p = in->buf + off + sizeof h;
		off += sizeof h + body;
		if (h.index >= b->n_jobs)
			continue;
		if (h.state == JOB_PENDING) {
			in->current = h.index;
			continue;
		}
		in->current = SIZE_MAX;
		job *j = &b->jobs[h.index];
		j->state = (job_state)h.state;
		j->rc = h.rc;
		j->warnings = h.warnings;
		j->err_text = take(p, h.err_len);
		j->err_len = j->err_text ? h.err_len : 0;
		j->out_text = take(p + h.err_len, h.out_len);
		j->out_len = j->out_text ? h.out_len : 0;
		if (h.entry_len) {
			char *t = take(p + h.err_len + h.out_len, h.entry_len);
			j->entry = t ? at_manifest_entry_read(t) : NULL;
			free(t);
		}
		finished(b, j);
	}
	if (off) /* else in->buf may still be NULL */
		memmove(in->buf, in->buf + off, in->len - off);
	in->len -= off;
}

static int fill(inbox *in)
{
	if (in->cap - in->len < 65536) {
		size_t cap = in->cap ? in->cap * 2 : 131072;
		char *p = realloc(in->buf, cap);
		if (!p)
			return -1;
		in->buf = p;
		in->cap = cap;
	}
	ssize_t n = read(in->fd, in->buf + in->len, in->cap - in->len);
	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0)
		return -1;
	in->len += (size_t)n;
	return 1;
}

/* A worker that ended without finishing its job: that session failed,
 * over its CPU budget or by a bug; said in the form of diagnostics asked
 * (--diagnostics=json and github see it too). */
static void orphaned(build *b, inbox *in)
{
	int status = 0;
	if (waitpid(in->pid, &status, 0) == in->pid)
		in->pid = -1;
	if (in->current == SIZE_MAX)
		return;
	job *j = &b->jobs[in->current];
	int cpu = WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU;
	at_diags d;
	at_diags_init(&d);
	if (cpu)
		at_diag_add(&d, AT_ERROR, "cpu-budget", (at_pos){0, 0}, 0,
			    "building this session took more than its CPU "
			    "time budget of %zu s (see --max-cpu): stopped, "
			    "its reports left as they were",
			    cpu_budget(b, j));
	else
		at_diag_add(&d, AT_ERROR, "crash", (at_pos){0, 0}, 0,
			    "atelier stopped while building this session (a "
			    "bug: please report it with the file)");
	j->state = JOB_FAILED;
	j->rc = cpu ? AT_EXIT_INPUT : AT_EXIT_USAGE;
	FILE *err = open_memstream(&j->err_text, &j->err_len);
	FILE *out = open_memstream(&j->out_text, &j->out_len);
	if (err && out)
		at_cli_report(b->c, j->input, NULL, &d, err, out);
	if (err)
		fclose(err);
	if (out)
		fclose(out);
	record_failure(b, j, &d);
	at_diags_free(&d);
	in->current = SIZE_MAX;
	finished(b, j);
}

static int run_workers(build *b, int n)
{
	_Atomic size_t *next = mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (next == MAP_FAILED)
		return -1;
	atomic_init(next, 0);
	inbox in[64];
	int started = 0;
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid();
	for (int k = 0; k < n; k++) {
		int fds[2];
		if (pipe(fds) != 0)
			break;
		pid_t pid = fork();
		if (pid == 0) {
			stop_with_parent(parent);
			close(fds[0]);
			for (int i = 0; i < started; i++)
				close(in[i].fd);
			worker(b, next, fds[1]);
		}
		close(fds[1]);
		if (pid < 0) {
			close(fds[0]);
			break;
		}
		in[started++] = (inbox){fds[0], pid, NULL, 0, 0, SIZE_MAX};
	}
	int open_pipes = started;
	while (open_pipes > 0) {
		struct pollfd p[64];
		for (int k = 0; k < started; k++)
			p[k] = (struct pollfd){in[k].fd, POLLIN, 0};
		/* The book is filled between results, a session at a time. */
		int timeout = book_ready(b) ? 0 : -1;
		if (poll(p, (nfds_t)started, timeout) < 0 && errno != EINTR)
			break;
		for (int k = 0; k < started; k++) {
			if (in[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP)))
				continue;
			if (fill(&in[k]) > 0) {
				consume(b, &in[k]);
				continue;
			}
			consume(b, &in[k]);
			orphaned(b, &in[k]);
			close(in[k].fd);
			in[k].fd = -1;
			open_pipes--;
		}
		feed_book(b);
	}
	for (int k = 0; k < started; k++) {
		if (in[k].pid > 0)
			waitpid(in[k].pid, NULL, 0);
		free(in[k].buf);
	}
	munmap((void *)next, sizeof *next);
	return started ? 0 : -1;
}

static size_t jobs_left(const build *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n_jobs; i++)
		n += !b->jobs[i].done;
	return n;
}

static int jobs_wanted(const at_cli *c)
{
	if (c->jobs > 0)
		return c->jobs;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)(n < 64 ? n : 64) : 1;
}

static void run_all(build *b)
{
	int n = jobs_wanted(b->c);
	if ((size_t)n > b->n_jobs)
		n = (int)b->n_jobs;
	/* Workers even for one job: a worker is what the CPU budget stops.
	 * Jobs that workers stopped over budget left unclaimed go to a new
	 * round, as long as rounds make progress. */
	size_t left = jobs_left(b), before = SIZE_MAX;
	/* Forked workers would inherit libvips without its threads. */
	while (left && left < before && !at_figure_started() &&
	       run_workers(b, n) == 0) {
		before = left;
		left = jobs_left(b);
	}
	/* Jobs no worker reached (fork failed): built here. */
	if (left) {
		for (size_t i = 0; i < b->n_jobs; i++)
			if (!b->jobs[i].done) {
				work_on(b, &b->jobs[i]);
				finished(b, &b->jobs[i]);
				while (feed_book(b))
					;
			}
	}
	clear_progress(b);
}

/* ---- finding sessions ---- */

/* A session file declares the format at the top level: a line that starts
 * with `atelier:`. Reading the first 64 KiB is enough to find it in any
 * real session; other YAML (CI configs, data) is skipped. What the file
 * says at the top level is classed on the way: 1 it declares the format,
 * else 0 with *keys the number of other top-level keys that a session
 * has (two or more: a session that forgot `atelier: 1`). */
static int declares_atelier(const char *path, size_t *keys)
{
	*keys = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (char *line = buf; line && *line;) {
		size_t len = strspn(line, "abcdefghijklmnopqrstuvwxyz"
					  "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
		const char *p = line + len;
		while (*p == ' ' || *p == '\t')
			p++;
		if (len && *p == ':') {
			if (len == 7 && strncmp(line, "atelier", 7) == 0)
				return 1;
			char key[32];
			if (len < sizeof key) {
				memcpy(key, line, len);
				key[len] = '\0';
				*keys += at_is_session_key(key);
			}
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return 0;
}

static int has_yaml_ext(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

typedef struct found {
	char **paths;  /* relative to the searched folder */
	size_t n, cap;
	int oom;
	struct found *lookalikes; /* YAML files that look like sessions */
} found;

static void add_found(found *f, char *rel)
{
	if (!rel) {
		f->oom = 1;
		return;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		char **p = realloc(f->paths, cap * sizeof *p);
		if (!p) {
			free(rel);
			f->oom = 1;
			return;
		}
		f->paths = p;
		f->cap = cap;
	}
	f->paths[f->n++] = rel;
}

static void free_found(found *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->paths[i]);
	free(f->paths);
	f->paths = NULL;
	f->n = f->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Recursive search. Hidden entries (.git) and symbolic links to folders
 * are not followed; skip names a folder not to enter (OUT inside DIR). */
static void search(const at_cli *c, const char *root, const char *rel,
		   const char *skip, found *f)
{
	char *dir = *rel ? join(root, rel) : strdup(root);
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d) {
		free(dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *child_rel = *rel ? join(rel, e->d_name) : strdup(e->d_name);
		char *child = child_rel ? join(root, child_rel) : NULL;
		struct stat st;
		if (!child || lstat(child, &st) != 0) {
			free(child_rel);
			free(child);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!skip || strcmp(child, skip) != 0)
				search(c, root, child_rel, skip, f);
			free(child_rel);
		} else if (S_ISREG(st.st_mode) && has_yaml_ext(e->d_name)) {
			size_t keys;
			if (declares_atelier(child, &keys)) {
				add_found(f, child_rel);
				child_rel = NULL;
			} else if (keys >= 2) {
				add_found(f->lookalikes, child);
				child = NULL;
			} else if (c->verbose) {
				say(stderr, child, _(": skipped: no top-level "
						     "'atelier:' key"));
			}
			free(child_rel);
		} else {
			free(child_rel);
		}
		free(child);
	}
	closedir(d);
	free(dir);
}

/* ---- the command ---- */

static void free_jobs(build *b)
{
	for (size_t i = 0; i < b->n_jobs; i++) {
		job *j = &b->jobs[i];
		free(j->input);
		free(j->rel);
		free(j->out_dir);
		free(j->stem);
		free(j->err_text);
		free(j->out_text);
		at_manifest_entry_free(j->entry);
	}
	free(b->jobs);
}

static int add_job(build *b, char *input, char *rel, char *out_dir)
{
	job *v = realloc(b->jobs, (b->n_jobs + 1) * sizeof *v);
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
	j->stem = stem_of(input);
	return j->stem ? 0 : -1;
}

/* Jobs that write reports, ordered by where they write them, letters'
 * case aside (macOS and Windows checkouts ignore it), then by their
 * order on the command line. */
static int cmp_target(const void *a, const void *b)
{
	const job *x = *(const job *const *)a, *y = *(const job *const *)b;
	int c = strcasecmp(x->out_dir, y->out_dir);
	if (!c)
		c = strcasecmp(x->stem, y->stem);
	if (!c)
		c = strcmp(x->out_dir, y->out_dir);
	if (!c)
		c = strcmp(x->stem, y->stem);
	return c ? c : (x > y) - (x < y);
}

/* Two sessions writing the same reports would overwrite each other, and
 * two whose names differ only by case too on macOS and Windows. Sorted,
 * not compared pairwise: a repository holds tens of thousands. The pair
 * reported is the first one in the order of the jobs. */
static int check_pairs(const build *b)
{
	const job **v = malloc((b->n_jobs ? b->n_jobs : 1) * sizeof *v);
	if (!v) {
		fputs(_("atelier: out of memory\n"), stderr);
		return -1;
	}
	size_t n = 0;
	for (size_t i = 0; i < b->n_jobs; i++)
		if (b->jobs[i].out_dir)
			v[n++] = &b->jobs[i];
	qsort(v, n, sizeof *v, cmp_target);
	const job *x = NULL, *y = NULL;
	for (size_t i = 1; i < n; i++)
		if (strcasecmp(v[i]->out_dir, v[i - 1]->out_dir) == 0 &&
		    strcasecmp(v[i]->stem, v[i - 1]->stem) == 0 &&
		    (!x || v[i] < x)) {
			x = v[i];
			y = v[i - 1];
		}
	free(v);
	if (!x)
		return 0;
	int same = strcmp(x->out_dir, y->out_dir) == 0 &&
		   strcmp(x->stem, y->stem) == 0;
	fprintf(stderr,
		_("atelier: %s and %s would both write %s/%s.*%s: rename one, "
		  "or build them into different folders\n"),
		y->input, x->input, x->out_dir, x->stem,
		same ? "" : _(" on macOS and Windows, whose file names ignore "
			      "case"));
	return -1;
}

/* The longest file name atelier writes for a session: a report, or a
 * figure copied beside it, while it is still a temporary file. */
static size_t longest_name(const build *b, const job *j)
{
	size_t ext = copies_figures(b) ? AT_FIGCOPY_SUFFIX_MAX : 0;
	for (size_t i = 0; i < b->n_sel; i++) {
		size_t k = 1 + strlen(b->sel[i]->ext);
		ext = k > ext ? k : ext;
	}
	return strlen(j->stem) + ext + strlen(AT_TMP_TEMPLATE);
}

/* Names a session cannot have: one that would write OUT's index or
 * workbook (at OUT's root, case aside), or one too long for a folder
 * entry once atelier's suffixes are added. */
static int check_names(const build *b)
{
	for (size_t i = 0; i < b->n_jobs; i++) {
		const job *j = &b->jobs[i];
		if (!j->out_dir)
			continue;
		size_t len = longest_name(b, j);
		if (len > NAME_MAX) {
			fprintf(stderr,
				"atelier: %s: a name too long for the reports "
				"(%zu bytes with atelier's suffixes, %d at "
				"most): shorten it by %zu\n",
				j->input, len, NAME_MAX,
				len - (size_t)NAME_MAX);
			return -1;
		}
		at_buf rel;
		at_buf_init(&rel);
		int root = b->root_out &&
			   at_path_rel(&rel, b->root_out, j->out_dir) == 0 &&
			   rel.len == 0;
		at_buf_free(&rel);
		if (root && (strcasecmp(j->stem, AT_INDEX_STEM) == 0 ||
			     strcasecmp(j->stem, AT_BOOK_STEM) == 0)) {
			fprintf(stderr,
				"atelier: %s would write %s/%s.*, where the "
				"folder build writes its index (%s.html, %s.md) "
				"and its workbook (%s): rename it, or move it "
				"into a folder\n",
				j->input, j->out_dir, j->stem, AT_INDEX_STEM,
				AT_INDEX_STEM, AT_BOOK_NAME);
			return -1;
		}
	}
	return 0;
}

static int check_collisions(const build *b)
{
	return check_names(b) || check_pairs(b);
}

/* A YAML file with a session's top-level keys but no `atelier:` is a
 * session its author forgot to declare: skipped, it would never be
 * published and nobody would notice. A warning says which line to add;
 * it counts in the summary, and fails the build with --werror. */
static void warn_lookalikes(build *b, found *look)
{
	if (look->n)
		qsort(look->paths, look->n, sizeof *look->paths, cmp_str);
	for (size_t i = 0; i < look->n; i++) {
		at_diags d;
		at_diags_init(&d);
		at_diag_add(&d, AT_WARNING, "no-atelier-key", (at_pos){1, 1}, 1,
			    "this file looks like a session but has no "
			    "top-level 'atelier:' key, so it is not built: add "
			    "the line 'atelier: 1' at its top");
		if (b->c->werror)
			at_diags_promote_warnings(&d);
		at_cli_report(b->c, look->paths[i], NULL, &d, stderr, stdout);
		b->found_warnings += d.warnings;
		if (d.errors)
			b->found_rc = AT_EXIT_INPUT;
		at_diags_free(&d);
	}
	free_found(look);
}

/* Jobs from the command line's arguments: files as they are, folders
 * searched. */
static int plan(build *b, int argc, char **argv)
{
	const at_cli *c = b->c;
	int to_stdout = c->out_dir && strcmp(c->out_dir, "-") == 0;
	int folders = 0;
	for (int i = 0; i < argc; i++)
		folders += is_dir(argv[i]);
	if (folders && to_stdout) {
		fputs(_("atelier: -o - writes one file's report; a folder needs "
		      "-o OUT\n"),
		      stderr);
		return -1;
	}
	if (folders > 1 && !c->out_dir) {
		fputs(_("atelier: several folders need one -o OUT for their "
			"reports and index\n"),
		      stderr);
		return -1;
	}
	if (folders)
		b->root_out = c->out_dir ? c->out_dir : NULL;
	found look = {NULL, 0, 0, 0, NULL};
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (!is_dir(arg)) {
			char *od = to_stdout ? NULL
				   : c->out_dir ? strdup(c->out_dir)
						: dir_of(arg);
			char *base = stem_of(arg);
			if (add_job(b, strdup(arg), base, od)) {
				free_found(&look);
				return -1;
			}
			continue;
		}
		if (!b->root_out)
			b->root_out = arg; /* one folder: reports beside it */
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
			skip_rel = join(arg, skip + strlen(root_real) + 1);
		found f = {NULL, 0, 0, 0, &look};
		search(c, arg, "", skip_rel, &f);
		free(skip);
		free(root_real);
		free(skip_rel);
		if (f.n)
			qsort(f.paths, f.n, sizeof *f.paths, cmp_str);
		int rc = f.oom ? -1 : 0;
		for (size_t k = 0; k < f.n; k++) {
			if (rc) {
				free(f.paths[k]);
				continue;
			}
			char *rel = *prefix ? join(prefix, f.paths[k])
					    : strdup(f.paths[k]);
			char *rel_dir = rel ? dir_of(rel) : NULL;
			char *od = rel_dir ? join(b->root_out, rel_dir) : NULL;
			free(rel_dir);
			rc = add_job(b, join(arg, f.paths[k]), rel, od);
			if (!rc)
				b->jobs[b->n_jobs - 1].root = arg;
			free(f.paths[k]);
		}
		free(f.paths);
		if (rc) {
			free_found(&look);
			return -1;
		}
	}
	warn_lookalikes(b, &look);
	return check_collisions(b);
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
	uint64_t h = at_hash_bytes(at_buf_cstr(&k), k.len);
	at_buf_free(&k);
	return h;
}

/* Appends a name to a depfile rule, or says why make could not read it. */
static int dep_name(at_buf *t, const char *path, const char *depfile)
{
	if (t->len && t->s[t->len - 1] != '\n')
		at_buf_putc(t, ' ');
	if (at_depfile_put(t, path) == 0)
		return 0;
	char *d = escaped(depfile), *p = escaped(path);
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
static int write_depfile(const build *b)
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
	char *dir = bad ? NULL : dir_of(b->c->depfile);
	const char *slash = strrchr(b->c->depfile, '/');
	at_diags d;
	at_diags_init(&d);
	if (dir && at_write_atomic(dir, slash ? slash + 1 : b->c->depfile,
				   t.s, t.len, &d) != AT_OK) {
		at_render_opts ro = {at_cli_color(b->c), 0};
		at_diags_render(&d, stderr, b->c->depfile, NULL, 0, &ro);
		bad = 1;
	} else if (dir && b->c->verbose) {
		say_wrote(stderr, b->c->depfile, NULL);
	}
	bad |= !bad && !dir;
	at_diags_free(&d);
	free(dir);
	at_buf_free(&t);
	return bad ? -1 : 0;
}

/* The workbook of all contributions comes with the spreadsheet format. */
static int wants_book(const build *b)
{
	for (size_t i = 0; i < b->n_sel; i++)
		if (b->sel[i]->flags & AT_EMITTER_BOOK)
			return 1;
	return 0;
}

/* Ends the book: every session not yet in it, then the sessions the
 * manifest keeps that were not built now (rest: deleted, not pruned),
 * dated by the newest session. */
static at_status finish_book(build *b, at_manifest_entry *const *rest,
			     size_t n_rest, const at_summary *v, size_t n)
{
	if (!b->book_on)
		book_start(b);
	while (feed_book(b))
		;
	if (!b->book)
		return AT_EIO; /* book_diags says why */
	for (size_t i = 0; i < n_rest; i++) {
		const at_summary *s = at_manifest_entry_summary(rest[i]);
		if (!s)
			continue;
		at_book_session bs;
		book_session(&bs, at_manifest_entry_key(rest[i]),
			     at_manifest_entry_input(rest[i]), s);
		at_book_add(b->book, &bs);
	}
	const char *newest = "0000-01-01";
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].date, newest) > 0)
			newest = v[i].date;
	long long ts = timestamp_at((int)strtol(newest, NULL, 10),
				    (int)strtol(newest + 5, NULL, 10),
				    (int)strtol(newest + 8, NULL, 10));
	at_book *book = b->book;
	b->book = NULL;
	return at_book_close(book, ts, 1);
}

/* Whether a folder build changed nothing that the manifest, the index or
 * the workbook record: every session up to date, none deleted. Then they
 * are left as they are, without copying a manifest of thousands. */
static int nothing_changed(build *b)
{
	if (!b->old || !at_index_exists(b->root_out))
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
static int finish_tree(build *b, size_t *pruned)
{
	*pruned = 0;
	if (nothing_changed(b))
		return 0;
	/* The book takes the sessions built from their entries, which move to
	 * the new manifest below. */
	if (b->book)
		while (feed_book(b))
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
	int index = changed || !b->old || !at_index_exists(b->root_out);
	int book = (changed || !b->old) && b->wants_book;
	size_t n = 0;
	const at_summary *v = NULL;
	if ((index || book) && !(v = at_manifest_summaries(m, &n)))
		goto oom;
	at_diags d;
	at_diags_init(&d);
	int rc = 0;
	at_lang lang = at_index_lang(b->c->lang, v, n);
	if (index && at_index_write(b->root_out, v, n, forces_of, m, lang,
				    b->wants_book, &d) != AT_OK)
		rc = -1;
	else if (index && b->c->verbose) {
		say_wrote(stderr, b->root_out, "index.html");
		say_wrote(stderr, b->root_out, "index.md");
	}
	if (book && finish_book(b, rest, n_rest, v, n) != AT_OK)
		rc = -1;
	else if (book && b->c->verbose)
		say_wrote(stderr, b->root_out, "contributions.xlsx");
	if ((changed || save) && at_manifest_save(m, b->root_out, &d) != AT_OK)
		rc = -1;
	at_render_opts ro = {at_cli_color(b->c), 0};
	at_diags_render(&b->book_diags, stderr, b->root_out, NULL, 0, &ro);
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

/* ---- one build at a time per OUT ---- */

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
static int lock_out(const char *root, int exclusive)
{
	char *path = join(root, LOCK_NAME);
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
		char *e = escaped(root);
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
		char *e = escaped(path ? path : root);
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
	char *d = escaped(dir), *n = escaped(name);
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
	qsort(dirs + 1, n - 1, sizeof *dirs, cmp_str);
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
	if (make_dirs(out) != 0 || !is_dir(out)) {
		fprintf(stderr, _("atelier: cannot create output folder %s: %s\n"),
			out, strerror(errno));
		return -1;
	}
	return 0;
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
	if (plan(&b, argc, argv)) {
		free_jobs(&b);
		return AT_EXIT_USAGE;
	}
	int lock = b.root_out ? lock_out(b.root_out, 1)
		   : c->out_dir && !to_stdout ? lock_out(c->out_dir, 0)
					      : -2;
	if (lock == -1) {
		free_jobs(&b);
		return AT_EXIT_USAGE;
	}
	if (b.root_out)
		sweep_stale(&b);
	b.options_hash = hash_options(&b);
	b.wants_book = b.root_out && wants_book(&b);
	at_diags_init(&b.book_diags);
	if (b.root_out) {
		at_diags d;
		at_diags_init(&d);
		b.old = at_manifest_load(b.root_out, b.options_hash, &d);
		at_render_opts ro = {at_cli_color(c), 0};
		at_diags_render(&d, stderr, b.root_out, NULL, 0, &ro);
		at_diags_free(&d);
	}
	b.progress = b.root_out && isatty(STDERR_FILENO) &&
		     c->diag_format != AT_DIAGS_JSON && b.n_jobs > 1;
	at_outputs_install_signal_cleanup();
	run_all(&b);

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
	if (c->depfile && write_depfile(&b))
		rc = AT_EXIT_USAGE;
	if (b.root_out && finish_tree(&b, &pruned))
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
	if (b.spill)
		fclose(b.spill);
	if (lock >= 0)
		close(lock);
	return rc;
}
