/* build_session.c: one session of `atelier build`: checked, every format
 * chosen written (with its figures copied when they are linked as files),
 * and what a folder build records of it (inputs, outputs, summary, or why
 * it failed); or, when the last build of it still stands, its diagnostics
 * shown again. */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build_int.h"
#include "bookrows.h"
#include "buf.h"
#include "depfile.h"
#include "figcopy.h"
#include "figure.h"
#include "i18n.h"
#include "index.h"
#include "output.h"
#include "path.h"
#include "read.h"
#include "url.h"

/* SOURCE_DATE_EPOCH when set, else noon UTC of the given date: timestamps
 * inside files then follow the input, never the clock, and the same input
 * gives the same bytes. Days from the civil date by H. Hinnant's
 * algorithm: timegm is not standard C and mktime applies the local zone. */
long long build_timestamp_at(int year, int month, int day)
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
	return build_timestamp_at(s->date.year, s->date.month, s->date.day);
}

static void free_outputs(at_output *outs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(outs[i].path);
		if (outs[i].write == at_bookrows_put)
			at_bookrows_free(outs[i].ctx);
	}
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
	/* Read since the search found it a session (changed meanwhile): the
	 * next search must read it again to know whether it still is one,
	 * so its size is not recorded (never trusted, it is rebuilt). */
	at_source_stamp read = *at_document_stamp(doc);
	if (j->found.valid && (read.size != j->found.size ||
			       read.mtime.tv_sec != j->found.mtime.tv_sec ||
			       read.mtime.tv_nsec != j->found.mtime.tv_nsec))
		read.valid = 0;
	int bad = at_manifest_entry_add_read(e, j->input, &read) != 0;
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
int build_copies_figures(const build *b)
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
	if (!build_copies_figures(b))
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

/* Records out_dir/name, written besides the reports, as an output of j:
 * --prune removes it, and a session whose file is gone is built again. */
static void record_extra(job *j, const char *name, const char *root)
{
	at_buf rel;
	at_buf_init(&rel);
	char *path = j->entry && name ? at_path_join(j->out_dir, name) : NULL;
	if (j->entry && (!path || at_path_rel(&rel, root, path) != 0 ||
			 at_manifest_entry_add_output(j->entry,
						      at_buf_cstr(&rel)))) {
		at_manifest_entry_free(j->entry);
		j->entry = NULL;
	}
	free(path);
	at_buf_free(&rel);
}

/* The figures' copies, and the rows for the merged workbook. */
static void record_extras(const build *b, job *j,
			  const at_figcopies *copies)
{
	for (size_t i = 0; i < at_figcopies_count(copies); i++)
		record_extra(j, at_figcopies_at(copies, i), b->root_out);
	if (b->wants_book) {
		char *rows = at_bookrows_path(j->stem);
		record_extra(j, rows, b->root_out);
		free(rows);
	}
}

/* A folder build that makes the merged workbook keeps the session's rows
 * for it beside the reports (bookrows.h): the parent copies them from
 * there, now and whenever the workbook is made again, instead of reading
 * the session. They are in the words of the session's own reports
 * (--lang, else its language), whatever language the workbook's headers
 * end up in, each linked to the session's web page, or the first other
 * report the index links. Made here, into *out (the output after the
 * reports), written with them by at_outputs_write. */
static at_status book_rows(const build *b, const job *j, const at_session *s,
			   at_output *outs, at_output *out, at_diags *d)
{
	if (!b->wants_book)
		return AT_OK;
	at_summary sum;
	memset(&sum, 0, sizeof sum);
	at_buf url;
	at_buf_init(&url);
	if (link_reports(&sum, j, outs, b->n_sel, b->root_out) != 0)
		url.oom = 1;
	const at_emitter *e = url.oom ? NULL
				      : at_summary_report(&sum, AT_EMITTER_WEB_PAGE);
	if (e) {
		at_url_path(&url, sum.report);
		at_buf_printf(&url, ".%s", e->ext);
	}
	char *name = at_bookrows_path(j->stem);
	char *path = name ? at_path_join(j->out_dir, name) : NULL;
	free(name);
	at_lang lang = b->c->lang >= 0 ? (at_lang)b->c->lang : s->lang;
	at_bookrows *rows = NULL;
	if (path && !url.oom)
		rows = at_bookrows_make(s, lang, j->rel, e ? url.s : NULL);
	free(sum.report);
	free(sum.formats);
	at_buf_free(&url);
	if (!rows) {
		free(path);
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		return AT_ENOMEM;
	}
	*out = (at_output){NULL, NULL, path, NULL, at_bookrows_put, rows};
	return AT_OK;
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
void build_record_failure(build *b, job *j, const at_diags *d)
{
	if (!b->root_out)
		return;
	at_summary sum = {j->rel, j->rel, "", "", 0, 0, 0, 0, "", "", NULL, 0,
			  failure_reason(d), "", 0, NULL, 0};
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
long long build_size_of(const char *path)
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
		build_record_failure(b, j, &checked);
		at_diags_free(&checked);
		j->state = JOB_FAILED;
		return;
	}
	const at_session *s = at_document_session(doc);
	at_output outs[MAX_FORMATS + 1]; /* the reports, and the rows */
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
	o.max_output = at_limits_output(&c->limits, build_size_of(j->input));
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
	if (j->out_dir && at_path_make_dirs(j->out_dir) != 0) {
		at_diag_add(&d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot create folder %s: %s", j->out_dir,
			    strerror(errno));
		st = AT_EIO;
	} else if ((st = copy_figures(b, j, s, &o, &copies, &d)) == AT_OK) {
		size_t n_out = b->n_sel;
		st = j->out_dir ? book_rows(b, j, s, outs, &outs[n_out], &d)
				: AT_OK;
		n_out += outs[n_out].write != NULL;
		if (st == AT_OK)
			st = at_outputs_write(s, outs, n_out, &o, &d);
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
		build_record_failure(b, j, &d);
	} else {
		j->state = JOB_BUILT;
		if (c->verbose)
			for (size_t i = 0; i < b->n_sel; i++)
				if (outs[i].path)
					build_say_wrote(err, outs[i].path, NULL);
		j->entry = record_outputs(rec, j, s, outs, b->n_sel,
					  b->root_out);
		rec = NULL;
		if (b->root_out)
			record_extras(b, j, copies);
	}
	at_figcopies_free(copies);
	at_figure_set_free(own_figs);
	at_manifest_entry_free(rec);
	at_diags_free(&d);
	free_outputs(outs, b->n_sel + 1);
	at_document_free(doc);
}

/* Whether the last build of j is still good: same options, same inputs
 * (by size and time, else by content), every output still there. */
int build_up_to_date(build *b, const job *j)
{
	if (b->c->force || !b->old)
		return 0;
	const at_manifest_entry *e = at_manifest_find(b->old, j->rel);
	if (!e || !at_manifest_entry_fresh_in(e, b->root_out, b->probe))
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

/* Builds job j, its diagnostics captured whole so that they can be
 * printed in the order of the sessions. */
void build_work_on(build *b, job *j, int fresh)
{
	int up = fresh || build_up_to_date(b, j);
	/* Up to date with nothing to say, as most sessions of a rebuild are:
	 * no streams to open (two per session, 8 KiB zeroed each). */
	if (up && !b->c->verbose &&
	    !at_manifest_entry_has_diags(at_manifest_find(b->old, j->rel))) {
		j->state = JOB_UP_TO_DATE;
		return;
	}
	char *et = NULL, *ot = NULL;
	size_t el = 0, ol = 0;
	FILE *err = open_memstream(&et, &el);
	FILE *out = open_memstream(&ot, &ol);
	if (!err || !out) {
		j->rc = AT_EXIT_USAGE;
		j->state = JOB_FAILED;
	} else if (up) {
		j->state = JOB_UP_TO_DATE;
		replay(b, j, err, out);
		if (b->c->verbose)
			build_say(err, j->input, _(": up to date"));
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
