/* figread.c: opening and reading a figure's image under the confinement
 * rules of figread.h, for every reader (the check, the HTML page, the
 * copies a folder build publishes). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "figread.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

static uint32_t span_of(const char *s)
{
	size_t n = strlen(s);
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static const char *root_name(const at_session *s)
{
	return s->figure_root_is_tree ? _("the folder being built")
				      : _("the session's folder");
}

/* Whether path is root or lies below it (both real paths). */
static int inside(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (strncmp(path, root, n) != 0)
		return 0;
	return path[n] == '/' || path[n] == '\0' || (n && root[n - 1] == '/');
}

/* Whether the path as written climbs with a ".." component. */
static int climbs(const char *p)
{
	for (const char *c = p; (c = strstr(c, "..")) != NULL; c += 2)
		if ((c == p || c[-1] == '/') && (c[2] == '/' || c[2] == '\0'))
			return 1;
	return 0;
}

#define REFUSE(code, ...)                                                  \
	do {                                                               \
		if (d)                                                     \
			at_diag_add(d, AT_ERROR, code, f->image.pos,       \
				    span_of(f->image.s), __VA_ARGS__);     \
		return -1;                                                 \
	} while (0)

/* The rules that need no file: a name, not a way out. */
static int check_name(const at_session *s, const at_figure *f, at_diags *d)
{
	if (s->figures_anywhere)
		return 0;
	if (f->image.s[0] == '/')
		REFUSE("figure-outside",
		       "image '%s' is an absolute path, and figures are read "
		       "only from %s: put the image beside the session file "
		       "and name it relatively",
		       f->image.s, root_name(s));
	return 0;
}

static int check_real(const at_session *s, const at_figure *f,
		      const char *real, at_diags *d)
{
	if (s->figures_anywhere)
		return 0;
	if (s->figure_root && inside(real, s->figure_root))
		return 0;
	if (climbs(f->image.s))
		REFUSE("figure-outside",
		       "image '%s' climbs out of %s with '..': put the image "
		       "beside the session file, or in a folder below it",
		       f->image.s, root_name(s));
	REFUSE("figure-outside",
	       "image '%s' leads outside %s through a symbolic link: put "
	       "the image itself beside the session file, not a link to it",
	       f->image.s, root_name(s));
}

/* Kernel file systems: their files report a size that is no size (0 for
 * /proc/self/pagemap, which reads gigabytes) and hold the machine's
 * secrets, never an image. */
static int on_kernel_fs(int fd)
{
#ifdef __linux__
	static const long kinds[] = {
		0x9fa0,     /* proc */
		0x62656572, /* sysfs */
		0x64626720, /* debugfs */
		0x74726163, /* tracefs */
		0x73636673, /* securityfs */
		0x27e0eb,   /* cgroup */
		0x63677270, /* cgroup2 */
		0xcafe4a11, /* bpf */
		0x1cd1,     /* devpts */
	};
	struct statfs sf;
	if (fstatfs(fd, &sf) != 0)
		return 1; /* unknown: not read */
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if ((long)sf.f_type == kinds[i])
			return 1;
#else
	(void)fd;
#endif
	return 0;
}

/* The descriptor's own path, on Linux, must still be inside: a folder on
 * the way swapped for a link after realpath looked is caught here. */
static int fd_escaped(const at_session *s, int fd)
{
#ifdef __linux__
	if (s->figures_anywhere || !s->figure_root)
		return 0;
	char link[64], real[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, real, sizeof real - 1);
	if (n <= 0)
		return 0; /* no /proc: realpath's answer stands */
	real[n] = '\0';
	return !inside(real, s->figure_root);
#else
	(void)s;
	(void)fd;
	return 0;
#endif
}

static int check_fd(const at_session *s, const at_figure *f, int fd,
		    struct stat *st, at_diags *d)
{
	if (fd_escaped(s, fd))
		REFUSE("figure-outside",
		       "image '%s' leads outside %s through a symbolic link: "
		       "put the image itself beside the session file",
		       f->image.s, root_name(s));
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))
		REFUSE("figure-not-file",
		       "image '%s' is not a regular file (a folder, a device, "
		       "a pipe or a socket): put the image file itself beside "
		       "the session file",
		       f->image.s);
	if (on_kernel_fs(fd))
		REFUSE("figure-not-file",
		       "image '%s' is a file of the system (/proc, /sys), not "
		       "an image: put the image file beside the session file",
		       f->image.s);
	return 0;
}

static int not_found(const at_figure *f, at_diags *d)
{
	if (strcmp(f->path, f->image.s) == 0)
		REFUSE("missing-image", "image file '%s' not found",
		       f->image.s);
	REFUSE("missing-image", "image file '%s' not found (looked for %s)",
	       f->image.s, f->path);
}

int at_figure_open(const at_session *s, const at_figure *f,
		   at_figure_file *ff, at_diags *d)
{
	ff->fd = -1;
	if (check_name(s, f, d))
		return -1;
	char *real = realpath(f->path, NULL);
	if (!real) {
		if (errno == ENOENT || errno == ENOTDIR)
			return not_found(f, d);
		REFUSE("io", "cannot read image %s: %s", f->path,
		       strerror(errno));
	}
	if (check_real(s, f, real, d)) {
		free(real);
		return -1;
	}
	/* Non-blocking: a FIFO must not stall the build before fstat
	 * refuses it. No link is followed: real has none left. */
	int fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
				    O_NOCTTY);
	free(real);
	if (fd < 0) {
		if (errno == ELOOP && !s->figures_anywhere)
			return check_real(s, f, "", d);
		REFUSE("io", "cannot read image %s: %s", f->path,
		       strerror(errno));
	}
	struct stat st;
	if (check_fd(s, f, fd, &st, d)) {
		close(fd);
		return -1;
	}
	ff->fd = fd;
	ff->size = ff->left = (long long)st.st_size;
	return 0;
}

long long at_figure_read(at_figure_file *ff, void *buf, size_t n)
{
	if ((long long)n > ff->left)
		n = (size_t)ff->left;
	/* At the size it reported, one more byte tells a file that grew. */
	char probe;
	void *into = n ? buf : &probe;
	size_t want = n ? n : 1;
	ssize_t got;
	do
		got = read(ff->fd, into, want);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -1;
	if ((n == 0 && got > 0) || (n > 0 && got == 0)) {
		errno = EIO; /* longer, or shorter, than it said */
		return -1;
	}
	ff->left -= n ? got : 0;
	return n ? (long long)got : 0;
}

void at_figure_close(at_figure_file *ff)
{
	if (ff->fd >= 0)
		close(ff->fd);
	ff->fd = -1;
}
