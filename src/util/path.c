/* path.c: file-path helpers (see path.h). */
#define _POSIX_C_SOURCE 200809L
#include "path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"

const char *at_path_dir(const char *path, size_t *n)
{
	const char *slash = strrchr(path, '/');
	const char *d = !slash ? "." : slash == path ? "/" : path;
	*n = d == path ? (size_t)(slash - path) : 1;
	return d;
}

char *at_path_dir_dup(const char *path)
{
	size_t n;
	const char *d = at_path_dir(path, &n);
	return strndup(d, n);
}

char *at_path_join(const char *a, const char *b)
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

char *at_path_stem(const char *path)
{
	if (strcmp(path, "-") == 0)
		return strdup("stdin");
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return strndup(base, n);
}

char *at_path_normal(const char *path)
{
	size_t n = strlen(path);
	char *out = malloc(n + 2);
	if (!out)
		return NULL;
	size_t w = 0;
	if (*path == '/')
		out[w++] = '/';
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t len = strcspn(p, "/");
		if (len == 1 && *p == '.') {
			p += len;
			continue;
		}
		if (len) {
			if (w && out[w - 1] != '/')
				out[w++] = '/';
			memcpy(out + w, p, len);
			w += len;
		}
		p += len;
	}
	if (!w)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

int at_path_make_dirs(const char *path)
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

int at_path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
