/* watch.c: `atelier build --watch`: build, then rebuild whenever a session
 * file or a figure changes, until interrupted. Uses inotify (Linux): the
 * Makefile sets AT_WATCH_INOTIFY to 1 where <sys/inotify.h> compiles; a
 * build without it refuses --watch (usage error) and does nothing else.
 *
 * Only inputs trigger a build (YAML files and images): the reports the
 * build writes land in the same folders and must not wake it again. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#if !AT_WATCH_INOTIFY
int at_cmd_watch(const at_cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "atelier: --watch is not available on this system "
			"(this atelier was built without inotify)\n");
	return AT_EXIT_USAGE;
}
#else
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "i18n.h"
#include "imagetype.h"
#include "path.h"

static int is_input_name(const char *name)
{
	static const char *const exts[] = {".yaml", ".yml"};
	size_t n = strlen(name);
	if (name[0] == '.' || strstr(name, ".tmp-"))
		return 0;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t e = strlen(exts[i]);
		if (n > e && strcasecmp(name + n - e, exts[i]) == 0)
			return 1;
	}
	return at_image_type_known(name);
}

static const uint32_t MASK = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
			     IN_CREATE | IN_DELETE;

/* Watches dir and, for folders given on the command line, the folders
 * below it (new ones are picked up at the next rebuild). */
static void watch_tree(int fd, const char *dir, int recurse)
{
	if (inotify_add_watch(fd, dir, MASK) < 0) {
		fprintf(stderr, _("atelier: cannot watch %s: %s\n"), dir,
			strerror(errno));
		return;
	}
	if (!recurse)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		at_buf p;
		at_buf_init(&p);
		at_buf_printf(&p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (!p.oom && lstat(p.s, &st) == 0 && S_ISDIR(st.st_mode))
			watch_tree(fd, p.s, 1);
		at_buf_free(&p);
	}
	closedir(d);
}

static void watch_args(int fd, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			watch_tree(fd, argv[i], 1);
			continue;
		}
		/* A file: its folder, since editors save by renaming. */
		char *dir = at_path_dir_dup(argv[i]);
		if (dir)
			watch_tree(fd, dir, 0);
		free(dir);
	}
}

/* Reads pending events; 1 if one of them concerns an input. */
static int drain(int fd)
{
	_Alignas(struct inotify_event) char buf[16384];
	int relevant = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			return relevant;
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			if (ev->len && is_input_name(ev->name))
				relevant = 1;
			if (ev->mask & IN_ISDIR)
				relevant = 1;
			p += sizeof *ev + ev->len;
		}
	}
}

int at_cmd_watch(const at_cli *c, int argc, char **argv)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, _("atelier: --watch: %s\n"), strerror(errno));
		return AT_EXIT_USAGE;
	}
	watch_args(fd, argc, argv);
	at_cmd_build(c, argc, argv);
	fprintf(stderr, _("atelier: watching for changes (Ctrl-C to stop)\n"));
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		if (!drain(fd))
			continue;
		/* Let an editor finish saving (several events) first. */
		do {
			struct pollfd q = {fd, POLLIN, 0};
			if (poll(&q, 1, 150) <= 0)
				break;
		} while (drain(fd) || 1);
		close(fd);
		fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (fd < 0)
			break;
		watch_args(fd, argc, argv);
		at_cmd_build(c, argc, argv);
	}
	if (fd >= 0)
		close(fd);
	return AT_EXIT_USAGE;
}
#endif /* AT_WATCH_INOTIFY */
