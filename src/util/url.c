/* url.c: relative links between files atelier writes (see url.h). */
#define _POSIX_C_SOURCE 200809L
#include "url.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct parts {
	const char **v; /* components, pointing into the path */
	size_t *len;
	size_t n;
	int absolute;
} parts;

/* Splits a path into its components, "." and empty ones dropped and
 * "a/.." folded lexically; leading ".." of a relative path are kept. */
static int split_path(const char *path, parts *p)
{
	size_t max = 1;
	for (const char *c = path; *c; c++)
		max += *c == '/';
	p->v = malloc(max * sizeof *p->v);
	p->len = malloc(max * sizeof *p->len);
	p->n = 0;
	p->absolute = path[0] == '/';
	if (!p->v || !p->len)
		return -1;
	for (const char *c = path; *c;) {
		size_t k = strcspn(c, "/");
		int dot = k == 1 && c[0] == '.';
		int up = k == 2 && c[0] == '.' && c[1] == '.';
		if (up && p->n && !(p->len[p->n - 1] == 2 &&
				    memcmp(p->v[p->n - 1], "..", 2) == 0))
			p->n--;
		else if (k && !dot && !(up && p->absolute))
			p->v[p->n] = c, p->len[p->n++] = k;
		c += k + (c[k] == '/');
	}
	return 0;
}

static void free_parts(parts *p)
{
	free(p->v);
	free(p->len);
}

/* Prefixes a relative path with the current folder. */
static char *absolute(const char *path)
{
	char cwd[4096];
	if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
		return strdup(path);
	at_buf b;
	at_buf_init(&b);
	at_buf_printf(&b, "%s/%s", cwd, path);
	return b.oom ? (at_buf_free(&b), NULL) : at_buf_take(&b);
}

/* at_path_rel without making anything absolute: 1 when that is needed. */
static int rel_lexical(at_buf *out, const char *from, const char *to)
{
	parts a, b;
	int ra = split_path(from, &a), rb = split_path(to, &b);
	int rc = ra || rb ? -1 : a.absolute != b.absolute ? 1 : 0;
	size_t common = 0;
	while (!rc && common < a.n && common < b.n &&
	       a.len[common] == b.len[common] &&
	       memcmp(a.v[common], b.v[common], a.len[common]) == 0)
		common++;
	for (size_t i = common; !rc && i < a.n; i++)
		if (a.len[i] == 2 && memcmp(a.v[i], "..", 2) == 0)
			rc = 1;
	for (size_t i = common; !rc && i < a.n; i++)
		at_buf_puts(out, "../");
	for (size_t i = common; !rc && i < b.n; i++) {
		at_buf_put(out, b.v[i], b.len[i]);
		if (i + 1 < b.n)
			at_buf_putc(out, '/');
	}
	free_parts(&a);
	free_parts(&b);
	return rc;
}

int at_path_rel(at_buf *out, const char *from, const char *to)
{
	size_t start = out->len;
	int rc = rel_lexical(out, from, to);
	if (rc == 1) {
		out->len = start;
		char *af = absolute(from), *at = absolute(to);
		rc = af && at ? rel_lexical(out, af, at) : -1;
		free(af);
		free(at);
	}
	return rc || out->oom ? -1 : 0;
}

static int unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

void at_url_path(at_buf *out, const char *rel)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)rel;
	while (*p) {
		/* runs kept as they are: most paths have nothing to escape */
		const unsigned char *run = p;
		while (*p == '/' || unreserved(*p))
			p++;
		at_buf_put(out, (const char *)run, (size_t)(p - run));
		if (*p) {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			at_buf_put(out, e, 3);
			p++;
		}
	}
}

int at_url_rel(at_buf *out, const char *from, const char *to)
{
	at_buf raw;
	at_buf_init(&raw);
	int rc = at_path_rel(&raw, from, to);
	if (!rc)
		at_url_path(out, at_buf_cstr(&raw));
	at_buf_free(&raw);
	return rc || out->oom ? -1 : 0;
}
