/* output.c: atomic writing of reports (temporary file, then rename),
 * within the session's output budget. */
/* A stream that counts bytes as they are written: fopencookie (glibc,
 * musl), funopen (the BSDs, macOS). */
#define _GNU_SOURCE
#define _DARWIN_C_SOURCE
#include "output.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "figure.h"

/* The temporary files being written, so that SIGINT/SIGTERM can remove
 * them: a signal handler can reach nothing else, hence this one piece of
 * global state. Slots are lock-free atomics, claimed and released by the
 * building threads, read by the handler. Past MAX_PENDING files at once a
 * file is simply not tracked (a kill may then leave it behind). */
#define MAX_PENDING 256
static _Atomic(char *) pending[MAX_PENDING];

static void on_signal(int sig)
{
	for (size_t i = 0; i < MAX_PENDING; i++) {
		char *p = atomic_load(&pending[i]);
		if (p)
			unlink(p);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void at_outputs_install_signal_cleanup(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* The CPU budget of a worker (build.c): it dies, its files go. */
	sigaction(SIGXCPU, &sa, NULL);
}

void at_tmp_track(char *tmp)
{
	for (size_t i = 0; i < MAX_PENDING; i++) {
		char *expected = NULL;
		if (atomic_compare_exchange_strong(&pending[i], &expected, tmp))
			return;
	}
}

void at_tmp_untrack(char *tmp)
{
	for (size_t i = 0; i < MAX_PENDING; i++) {
		char *expected = tmp;
		if (atomic_compare_exchange_strong(&pending[i], &expected,
						   NULL))
			return;
	}
}

/* The mode a file created now would get: umask can only be read by
 * setting it, so it is set back at once. */
static mode_t shared_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

int at_tmp_create(char *templ, at_tmp_mode mode)
{
	/* Blocked while the name is recorded, so a signal never sees a file
	 * that is not tracked. */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	int fd = mkstemp(templ);
	int saved = errno;
	if (fd >= 0)
		at_tmp_track(templ);
	sigprocmask(SIG_SETMASK, &old, NULL);
	/* A file system without permissions (FAT) refuses the change: the
	 * file then keeps 0600, which is no reason to fail the build. */
	if (fd >= 0 && mode == AT_TMP_SHARED)
		(void)fchmod(fd, shared_mode());
	errno = saved;
	return fd;
}

static void io_error(at_diags *d, const char *what, const char *path)
{
	at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0, "cannot %s %s: %s",
		    _(what), path, strerror(errno));
}

/* What the files of one session have written, against its budget. */
typedef struct budget {
	size_t max;    /* 0: none */
	size_t used;
	int over;
} budget;

typedef struct counted {
	int fd;
	budget *b;
} counted;

static ssize_t counted_write(void *ctx, const char *buf, size_t n)
{
	counted *c = ctx;
	if (c->b->max && n > c->b->max - c->b->used) {
		c->b->over = 1;
		errno = EFBIG;
		return 0; /* an error, for fopencookie */
	}
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(c->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	c->b->used += done;
	return (ssize_t)done;
}

#if !defined(__linux__) && !defined(__GLIBC__)
/* funopen's write: an int count, and -1 for an error. */
static int counted_write_int(void *ctx, const char *buf, int n)
{
	ssize_t w = counted_write(ctx, buf, (size_t)n);
	return w == 0 && n > 0 ? -1 : (int)w;
}
#endif

static int counted_close(void *ctx)
{
	counted *c = ctx;
	int rc = close(c->fd);
	free(c);
	return rc;
}

/* A stream on fd that counts into b, and fails past its budget. */
static FILE *counting_stream(int fd, budget *b)
{
	counted *c = malloc(sizeof *c);
	if (!c)
		return NULL;
	*c = (counted){fd, b};
#if defined(__linux__) || defined(__GLIBC__)
	cookie_io_functions_t io = {NULL, counted_write, NULL, counted_close};
	FILE *f = fopencookie(c, "wb", io);
#else
	FILE *f = funopen(c, NULL, counted_write_int, NULL, counted_close);
#endif
	if (!f)
		free(c);
	return f;
}

/* Opens a fresh temporary file beside out->path: same folder, so that
 * the rename is atomic (no cross-device move). *fd_out: its descriptor,
 * for fsync. */
static FILE *open_tmp(at_output *out, budget *b, int *fd_out, at_diags *d)
{
	size_t len = strlen(out->path);
	out->tmp = malloc(len + sizeof AT_TMP_TEMPLATE);
	if (!out->tmp) {
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		return NULL;
	}
	snprintf(out->tmp, len + sizeof AT_TMP_TEMPLATE, "%s" AT_TMP_TEMPLATE,
		 out->path);
	int fd = at_tmp_create(out->tmp, AT_TMP_SHARED);
	if (fd < 0) {
		io_error(d, "write in the folder of", out->path);
		free(out->tmp);
		out->tmp = NULL;
		return NULL;
	}
	FILE *f = counting_stream(fd, b);
	if (!f) {
		io_error(d, "write", out->tmp);
		close(fd);
	}
	*fd_out = fd;
	return f;
}

static void drop_tmp(at_output *out)
{
	if (!out->tmp)
		return;
	at_tmp_untrack(out->tmp);
	unlink(out->tmp);
	free(out->tmp);
	out->tmp = NULL;
}

static void over_budget(at_diags *d, const budget *b)
{
	at_diag_add(d, AT_ERROR, "output-too-large", (at_pos){0, 0}, 0,
		    "the reports of this session pass the output budget of "
		    "%zu bytes together (see --max-output): none is written, "
		    "the previous ones stay",
		    b->max);
}

/* Ends a temporary file. *keep: -1 to force it to disk now; otherwise
 * set to a descriptor of it, left open for sync_kept. */
static at_status finish_file(FILE *f, int fd, at_output *out, int *keep,
			     at_diags *d)
{
	int bad = fflush(f) != 0 || ferror(f);
	if (!bad && *keep < 0 && fsync(fd) != 0 && errno != EINVAL)
		bad = 1;
	if (*keep >= 0 && (bad || (*keep = dup(fd)) < 0)) {
		bad = 1;
		*keep = -1;
	}
	int saved = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	if (bad && *keep >= 0) {
		close(*keep);
		*keep = -1;
	}
	if (bad) {
		errno = saved;
		io_error(d, "write", out->path);
		return AT_EIO;
	}
	return AT_OK;
}

#if defined(__linux__)
/* The files kept open by finish_file, forced to disk with one syncfs per
 * file system rather than one fsync each: each fsync waits for the disk
 * to flush its cache, and a session writes four or five reports (the
 * reason -j 2 waited for the disk, docs/performance.md). Closes them. */
static at_status sync_kept(int *kept, const at_output *outs, size_t n,
			   at_diags *d)
{
	at_status rc = AT_OK;
	dev_t done[8];
	size_t n_done = 0;
	for (size_t i = 0; i < n; i++) {
		if (kept[i] < 0)
			continue;
		struct stat st;
		int known = rc == AT_OK && fstat(kept[i], &st) == 0, seen = 0;
		for (size_t k = 0; known && k < n_done; k++)
			seen |= done[k] == st.st_dev;
		if (rc == AT_OK && !seen) {
			if (syncfs(kept[i]) != 0) {
				io_error(d, "write", outs[i].path);
				rc = AT_EIO;
			} else if (known && n_done < sizeof done / sizeof done[0]) {
				done[n_done++] = st.st_dev;
			}
		}
		close(kept[i]);
		kept[i] = -1;
	}
	return rc;
}
#define SYNC_TOGETHER 1
#else
static at_status sync_kept(int *kept, const at_output *outs, size_t n,
			   at_diags *d)
{
	(void)kept, (void)outs, (void)n, (void)d;
	return AT_OK;
}
#define SYNC_TOGETHER 0
#endif

/* Runs one emitter; a failed write that the emitter did not explain itself
 * gets a diagnostic naming where it went, or the budget it passed. */
static at_status emit_to(const at_output *out, FILE *f, const char *where,
			 const at_session *s, const at_emit_options *o,
			 budget *b, at_diags *d)
{
	size_t before = d->n;
	at_status rc = out->impl->emit(s, f, o, d);
	if (rc == AT_OK && fflush(f) != 0)
		rc = AT_EIO;
	if (b->over) {
		over_budget(d, b);
		return AT_EINPUT;
	}
	if (rc == AT_EIO && d->n == before)
		io_error(d, "write", where);
	return rc;
}

/* An output that is no report: its own writer. */
static at_status write_to(const at_output *out, FILE *f, at_diags *d)
{
	at_status rc = out->write(f, out->ctx);
	if (rc == AT_OK && fflush(f) != 0) {
		io_error(d, "write", out->path);
		rc = AT_EIO;
	}
	return rc;
}

at_status at_outputs_write(const at_session *s, at_output *outs, size_t n,
			   const at_emit_options *opts, at_diags *d)
{
	/* The emitters share one set of processed figures: each figure is
	 * processed once per session, whatever the formats. */
	at_emit_options shared = *opts;
	const at_emit_options *o = &shared;
	at_figure_set *own = NULL;
	shared.figures = at_figure_set_for(s, opts, &own);
	at_status rc = shared.figures ? AT_OK : AT_ENOMEM;
	/* Every format's module loaded, and the cheap refusals of every
	 * format: none is written until all pass. */
	for (size_t i = 0; i < n && rc == AT_OK; i++) {
		if (!outs[i].emitter)
			continue; /* written by outs[i].write */
		outs[i].impl = at_emitter_impl(outs[i].emitter, d);
		if (!outs[i].impl)
			rc = AT_EIO;
		else if (outs[i].impl->check)
			rc = outs[i].impl->check(s, o, d);
	}
	budget b = {o->max_output, 0, 0}, unbounded = {0, 0, 0};
	size_t files = 0;
	for (size_t i = 0; i < n; i++)
		files += outs[i].path != NULL;
	int *kept = calloc(n ? n : 1, sizeof *kept);
	if (!kept && rc == AT_OK) {
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		rc = AT_ENOMEM;
	}
	for (size_t i = 0; kept && i < n; i++)
		kept[i] = -1;
	for (size_t i = 0; i < n && rc == AT_OK; i++) {
		at_output *out = &outs[i];
		if (!out->path) {
			rc = emit_to(out, stdout, "standard output", s, o, &b,
				     d);
			continue;
		}
		int fd = -1;
		FILE *f = open_tmp(out, out->emitter ? &b : &unbounded, &fd, d);
		if (!f) {
			rc = AT_EIO;
			continue;
		}
		rc = out->emitter ? emit_to(out, f, out->path, s, o, &b, d)
				  : write_to(out, f, d);
		/* One file is forced to disk alone; several together. */
		int keep = SYNC_TOGETHER && files > 1 ? 0 : -1;
		if (rc == AT_OK)
			rc = finish_file(f, fd, out, &keep, d);
		else
			fclose(f), keep = -1;
		kept[i] = keep;
	}
	if (kept) {
		if (rc == AT_OK)
			rc = sync_kept(kept, outs, n, d);
		for (size_t i = 0; i < n; i++)
			if (kept[i] >= 0)
				close(kept[i]);
		free(kept);
	}
	for (size_t i = 0; i < n && rc == AT_OK; i++) {
		at_output *out = &outs[i];
		if (!out->tmp)
			continue;
		if (rename(out->tmp, out->path) != 0) {
			io_error(d, "replace", out->path);
			rc = AT_EIO;
			break;
		}
		at_tmp_untrack(out->tmp);
		free(out->tmp);
		out->tmp = NULL;
	}
	for (size_t i = 0; i < n; i++)
		drop_tmp(&outs[i]);
	at_figure_set_free(own);
	return rc;
}

at_status at_write_atomic_with(const char *dir, const char *name,
				at_write_fn write, void *ctx, at_diags *d)
{
	at_output out = {NULL, NULL, NULL, NULL, NULL, NULL};
	size_t n = strlen(dir) + strlen(name) + 2;
	out.path = malloc(n);
	if (!out.path) {
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		return AT_ENOMEM;
	}
	snprintf(out.path, n, "%s/%s", dir, name);
	at_status rc = AT_EIO;
	budget b = {0, 0, 0};
	int fd = -1;
	FILE *f = open_tmp(&out, &b, &fd, d);
	if (f) {
		at_status wrote = write(f, ctx);
		int now = -1;
		rc = finish_file(f, fd, &out, &now, d);
		if (rc == AT_OK && wrote != AT_OK)
			rc = wrote;
		if (rc == AT_OK && rename(out.tmp, out.path) != 0) {
			io_error(d, "replace", out.path);
			rc = AT_EIO;
		} else if (rc == AT_OK) {
			at_tmp_untrack(out.tmp);
			free(out.tmp);
			out.tmp = NULL;
		}
	}
	drop_tmp(&out);
	free(out.path);
	return rc;
}

typedef struct bytes {
	const char *data;
	size_t len;
} bytes;

static at_status write_bytes(FILE *f, void *ctx)
{
	const bytes *b = ctx;
	if (b->len)
		fwrite(b->data, 1, b->len, f);
	return AT_OK;
}

at_status at_write_atomic(const char *dir, const char *name, const char *data,
			  size_t len, at_diags *d)
{
	bytes b = {data, len};
	return at_write_atomic_with(dir, name, write_bytes, &b, d);
}

int at_tmp_name_is_ours(const char *name)
{
	size_t n = strlen(name), sl = strlen(AT_TMP_SUFFIX);
	if (n < sl + 7 || strncmp(name + n - 6 - sl, AT_TMP_SUFFIX, sl) != 0)
		return 0;
	for (const char *p = name + n - 6; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

size_t at_tmp_sweep(const char *dir, void (*removed)(const char *name,
						     void *ctx),
		    void *ctx)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (!at_tmp_name_is_ours(e->d_name) ||
		    fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || unlinkat(fd, e->d_name, 0) != 0)
			continue;
		n++;
		if (removed)
			removed(e->d_name, ctx);
	}
	closedir(d);
	return n;
}
