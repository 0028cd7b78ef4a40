/* build_run.c: the jobs of `atelier build` run in worker processes (-j),
 * their results brought back to the parent and their diagnostics printed
 * in the order of the sessions, whatever order they finish in; a progress
 * bar on a terminal. */
/* MAP_ANONYMOUS is POSIX.1-2024, not 2008, and glibc and macOS show it
 * only with their extensions (docs/portability.md). */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
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
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_int.h"
#include "figure.h"

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
	return at_limits_cpu(&b->c->limits, build_size_of(j->input));
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
		build_work_on(b, j, 0);
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
	build_record_failure(b, j, &d);
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
		int timeout = build_book_ready(b) ? 0 : -1;
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
		build_feed_book(b);
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

void build_run_all(build *b)
{
	/* Sessions whose last build stands are replayed here: a rebuild
	 * where nothing changed starts no worker. */
	for (size_t i = 0; i < b->n_jobs; i++)
		if (b->jobs[i].fresh) {
			build_work_on(b, &b->jobs[i], 1);
			finished(b, &b->jobs[i]);
		}
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
				build_work_on(b, &b->jobs[i], 0);
				finished(b, &b->jobs[i]);
				while (build_feed_book(b))
					;
			}
	}
	clear_progress(b);
}
