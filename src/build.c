/* build.c: `atelier build`, from one file to a whole repository of sessions.
 *
 * Files are built beside themselves (or into -o). Folders are searched for
 * session files (.yaml and .yml files with a top-level `atelier:` key), built into
 * OUT mirroring the tree, in parallel (-j), incrementally (a manifest in
 * OUT remembers what each output was built from), and summed up in an
 * index. Each session's diagnostics are collected whole and printed in the
 * order of the sessions, so parallel builds never interleave them and print
 * the same thing whatever -j. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atelier/emitter.h"
#include "bind.h"
#include "book.h"
#include "buf.h"
#include "cli.h"
#include "figure.h"
#include "index.h"
#include "manifest.h"
#include "output.h"

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

/* "dir/moulins.yaml" -> "moulins". */
static char *stem_of(const char *path)
{
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

/* ---- formats ---- */

static int select_formats(const at_cli *c, const at_emitter **sel, size_t *n)
{
	size_t count;
	const at_emitter *const *all = at_emitters(&count);
	*n = 0;
	if (!c->formats) {
		for (size_t i = 0; i < count && *n < MAX_FORMATS; i++)
			if (all[i]->document)
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
			fprintf(stderr, "atelier: unknown format '%s'", tok);
			if (hint)
				fprintf(stderr, " (did you mean '%s'?)", hint);
			fputs(": see 'atelier formats'\n", stderr);
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
		fputs("atelier: -f names no format\n", stderr);
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
} build;

/* SOURCE_DATE_EPOCH when set, else noon UTC of the given date: timestamps
 * inside files then follow the input, never the clock, and the same input
 * gives the same bytes. Days from the civil date by H. Hinnant's
 * algorithm: timegm is not standard C and mktime applies the local zone. */
static long long timestamp_at(int year, int month, int day)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (e && *e) {
		char *end;
		errno = 0;
		long long v = strtoll(e, &end, 10);
		if (!*end && !errno && v >= 0)
			return v;
	}
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

/* Fills the summary's report links, relative to OUT. */
static void link_reports(at_summary *sum, const at_output *outs, size_t n,
			 const char *root)
{
	size_t rl = root ? strlen(root) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = outs[i].path;
		if (!p)
			continue;
		if (root && strncmp(p, root, rl) == 0 && p[rl] == '/')
			p += rl + 1;
		const char *ext = outs[i].emitter->ext;
		char **slot = strcmp(ext, "html") == 0 ? &sum->html
			      : strcmp(ext, "md") == 0 ? &sum->md
						       : NULL;
		if (slot) {
			free(*slot);
			*slot = strdup(p);
		}
	}
}

static int add_figure_dep(const at_figure *f, void *ctx)
{
	return at_manifest_entry_add_dep(ctx, f->path) ? -1 : 0;
}

/* The records a manifest keeps of a session just built: what it was built
 * from (input and figures, with sizes and times) and what it wrote. */
static at_manifest_entry *record(const job *j, const at_session *s,
				 const at_output *outs, size_t n,
				 const char *root)
{
	at_manifest_entry *e = at_manifest_entry_new(j->rel, j->input);
	if (!e)
		return NULL;
	int bad = at_manifest_entry_add_dep(e, j->input) != 0;
	/* Figures are inputs too: an edited photo must rebuild the HTML. */
	bad |= at_session_each_figure(s, add_figure_dep, e) != 0;
	size_t rl = strlen(root);
	for (size_t i = 0; i < n; i++) {
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
		link_reports(&sum, outs, n, root);
		bad = !sum.rel || at_manifest_entry_set_summary(e, &sum) != 0;
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

/* Checks, then emits every selected format; err/out receive this
 * session's diagnostics. */
static void build_session(build *b, job *j, FILE *err, FILE *out)
{
	const at_cli *c = b->c;
	at_document *doc = NULL;
	j->rc = at_cli_check_file(c, j->input, err, out, &doc, &j->warnings);
	if (j->rc) {
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
	o.csv_bom = c->csv_bom;
	o.out_dir = j->out_dir;
	o.timestamp = timestamp_for(s);
	o.figure_size = c->figure_size;
	o.figure_pixels = c->figure_pixels;
	o.verbose = c->verbose;
	at_diags d;
	at_diags_init(&d);
	at_status st = AT_OK;
	if (j->out_dir && make_dirs(j->out_dir) != 0) {
		at_diag_add(&d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot create folder %s: %s", j->out_dir,
			    strerror(errno));
		st = AT_EIO;
	} else {
		st = at_outputs_write(s, outs, b->n_sel, &o, &d);
	}
	at_cli_report(c, j->input, doc, &d, err, out);
	at_diags_free(&d);
	if (st != AT_OK) {
		j->rc = st == AT_EINPUT ? AT_EXIT_INPUT : AT_EXIT_USAGE;
		j->state = JOB_FAILED;
	} else {
		j->state = JOB_BUILT;
		if (c->verbose)
			for (size_t i = 0; i < b->n_sel; i++)
				if (outs[i].path)
					fprintf(err, "wrote %s\n", outs[i].path);
		if (b->root_out)
			j->entry = record(j, s, outs, b->n_sel, b->root_out);
	}
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
		if (b->c->verbose)
			fprintf(err, "%s: up to date\n", j->input);
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
	*s = (at_book_session){j->rel, j->input, *sum->html ? sum->html : NULL};
	return 1;
}

static void book_start(build *b)
{
	at_lang lang = b->c->lang >= 0 ? (at_lang)b->c->lang : AT_LANG_FR;
	b->book = at_book_open(b->root_out, lang, &b->c->limits,
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

static _Noreturn void worker(build *b, _Atomic size_t *next, int fd)
{
	for (;;) {
		size_t i = atomic_fetch_add(next, 1);
		if (i >= b->n_jobs)
			break;
		send_start(fd, i);
		job *j = &b->jobs[i];
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

/* A worker that ended without finishing its job: that session failed. */
static void orphaned(build *b, inbox *in)
{
	if (in->current == SIZE_MAX)
		return;
	job *j = &b->jobs[in->current];
	j->state = JOB_FAILED;
	j->rc = AT_EXIT_USAGE;
	at_buf m;
	at_buf_init(&m);
	at_buf_printf(&m, "%s: error: atelier stopped while building this "
			  "session (a bug: please report it with the file)\n",
		      j->input);
	j->err_len = m.len;
	j->err_text = at_buf_take(&m);
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
		waitpid(in[k].pid, NULL, 0);
		free(in[k].buf);
	}
	munmap((void *)next, sizeof *next);
	/* Jobs no worker reached (fork failed): built here. */
	for (size_t i = 0; i < b->n_jobs; i++)
		if (!b->jobs[i].done) {
			work_on(b, &b->jobs[i]);
			finished(b, &b->jobs[i]);
		}
	return 0;
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
	/* Forked workers would inherit libvips without its threads. */
	if (n <= 1 || at_figure_started() || run_workers(b, n) != 0) {
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
 * real session; other YAML (CI configs, data) is skipped. */
static int declares_atelier(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (char *line = buf; line && *line;) {
		if (strncmp(line, "atelier", 7) == 0) {
			const char *p = line + 7;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == ':')
				return 1;
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
			if (declares_atelier(child)) {
				add_found(f, child_rel);
				child_rel = NULL;
			} else if (c->verbose) {
				fprintf(stderr, "%s: skipped: no top-level "
						"'atelier:' key\n",
					child);
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

/* Jobs that write reports, ordered by where they write them, then by
 * their order on the command line. */
static int cmp_target(const void *a, const void *b)
{
	const job *x = *(const job *const *)a, *y = *(const job *const *)b;
	int c = strcmp(x->out_dir, y->out_dir);
	if (!c)
		c = strcmp(x->stem, y->stem);
	return c ? c : (x > y) - (x < y);
}

/* Two sessions writing the same report would overwrite each other. Sorted,
 * not compared pairwise: a repository holds tens of thousands. The pair
 * reported is the first one in the order of the jobs. */
static int check_collisions(const build *b)
{
	const job **v = malloc((b->n_jobs ? b->n_jobs : 1) * sizeof *v);
	if (!v) {
		fputs("atelier: out of memory\n", stderr);
		return -1;
	}
	size_t n = 0;
	for (size_t i = 0; i < b->n_jobs; i++)
		if (b->jobs[i].out_dir)
			v[n++] = &b->jobs[i];
	qsort(v, n, sizeof *v, cmp_target);
	const job *x = NULL, *y = NULL;
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i]->out_dir, v[i - 1]->out_dir) == 0 &&
		    strcmp(v[i]->stem, v[i - 1]->stem) == 0 &&
		    (!x || v[i] < x)) {
			x = v[i];
			y = v[i - 1];
		}
	free(v);
	if (!x)
		return 0;
	fprintf(stderr,
		"atelier: %s and %s would both write %s/%s.*: rename one, or "
		"build them into different folders\n",
		y->input, x->input, x->out_dir, x->stem);
	return -1;
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
		fputs("atelier: -o - writes one file's report; a folder needs "
		      "-o OUT\n",
		      stderr);
		return -1;
	}
	if (folders > 1 && !c->out_dir) {
		fputs("atelier: several folders need one -o OUT for their "
		      "reports and index\n",
		      stderr);
		return -1;
	}
	if (folders)
		b->root_out = c->out_dir ? c->out_dir : NULL;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (!is_dir(arg)) {
			char *od = to_stdout ? NULL
				   : c->out_dir ? strdup(c->out_dir)
						: dir_of(arg);
			char *base = stem_of(arg);
			if (add_job(b, strdup(arg), base, od))
				return -1;
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
		found f = {NULL, 0, 0, 0};
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
			free(f.paths[k]);
		}
		free(f.paths);
		if (rc)
			return -1;
	}
	return check_collisions(b);
}

static uint64_t hash_options(const build *b)
{
	const at_cli *c = b->c;
	at_buf k;
	at_buf_init(&k);
	at_buf_printf(&k, "%s|%d|%d|%d|%d|%u|%llu|", ATELIER_VERSION, c->lang,
		      c->front_matter, c->unsafe, c->csv_bom, c->figure_size,
		      c->figure_pixels);
	for (size_t i = 0; i < b->n_sel; i++)
		at_buf_printf(&k, "%s,", b->sel[i]->name);
	uint64_t h = at_hash_bytes(at_buf_cstr(&k), k.len);
	at_buf_free(&k);
	return h;
}

static int write_depfile(const build *b)
{
	FILE *f = fopen(b->c->depfile, "w");
	if (!f) {
		fprintf(stderr, "atelier: cannot write %s: %s\n", b->c->depfile,
			strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < b->n_jobs; i++) {
		const job *j = &b->jobs[i];
		if (j->state == JOB_FAILED || !j->out_dir)
			continue;
		for (size_t k = 0; k < b->n_sel; k++) {
			fprintf(f, "%s", k ? " " : "");
			at_depfile_escape(f, j->out_dir);
			fputc('/', f);
			at_depfile_escape(f, j->stem);
			fprintf(f, ".%s", b->sel[k]->ext);
		}
		fputs(":", f);
		const at_manifest_entry *e =
			j->entry ? j->entry
				 : b->old ? at_manifest_find(b->old, j->rel) : NULL;
		if (e)
			at_manifest_entry_write_deps(e, f);
		else {
			fputc(' ', f);
			at_depfile_escape(f, j->input);
		}
		fputc('\n', f);
	}
	int bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "atelier: cannot write %s\n", b->c->depfile);
		return -1;
	}
	return 0;
}

/* The workbook of all contributions comes with the spreadsheet format. */
static int wants_book(const build *b)
{
	for (size_t i = 0; i < b->n_sel; i++)
		if (strcmp(b->sel[i]->name, "xlsx") == 0)
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
		at_book_session bs = {at_manifest_entry_key(rest[i]),
				      at_manifest_entry_input(rest[i]),
				      *s->html ? s->html : NULL};
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
		if (j->state == JOB_BUILT && j->entry) {
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
	at_lang lang = b->c->lang >= 0 ? (at_lang)b->c->lang : AT_LANG_FR;
	if (index && at_index_write(b->root_out, v, n, forces_of, m, lang, &d) !=
			     AT_OK)
		rc = -1;
	if (book && finish_book(b, rest, n_rest, v, n) != AT_OK)
		rc = -1;
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
	fputs("atelier: out of memory\n", stderr);
	return -1;
}

int at_cmd_build(const at_cli *c, int argc, char **argv)
{
	if (argc == 0) {
		fputs("atelier: build needs at least one FILE or folder\n"
		      "(see 'atelier help build')\n",
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
		fputs("atelier: -o - writes one format of one file to standard "
		      "output: give -f FORMAT and one FILE\n",
		      stderr);
		return AT_EXIT_USAGE;
	}
	if (to_stdout && c->watch) {
		fputs("atelier: --watch writes files: give -o DIR\n", stderr);
		return AT_EXIT_USAGE;
	}
	if (to_stdout && b.sel[0]->binary && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "atelier: %s is binary: not written to a "
				"terminal\n",
			b.sel[0]->name);
		return AT_EXIT_USAGE;
	}
	if (c->out_dir && !to_stdout && !is_dir(c->out_dir)) {
		fprintf(stderr, "atelier: output folder %s: %s\n", c->out_dir,
			access(c->out_dir, F_OK) == 0 ? "not a folder"
						      : strerror(ENOENT));
		return AT_EXIT_USAGE;
	}
	if (plan(&b, argc, argv)) {
		free_jobs(&b);
		return AT_EXIT_USAGE;
	}
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

	int rc = 0;
	size_t built = 0, fresh = 0, failed = 0, warnings = 0, pruned = 0;
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
		fprintf(stderr, "%zu built, %zu up to date, %zu failed, %zu "
				"warnings",
			built, fresh, failed, warnings);
		if (pruned)
			fprintf(stderr, ", %zu outputs pruned", pruned);
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
	return rc;
}
