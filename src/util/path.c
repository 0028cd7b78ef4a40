/* path.c: file-path helpers (see path.h). */
#define _POSIX_C_SOURCE 200809L
#include "path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	/* Sized once: a build joins hundreds of thousands of paths. */
	size_t la = strcmp(a, ".") != 0 || !*b ? strlen(a) : 0;
	size_t slash = la && a[la - 1] != '/', lb = strlen(b);
	char *p = malloc(la + slash + lb + 1);
	if (!p)
		return NULL;
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + slash, b, lb + 1);
	return p;
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
