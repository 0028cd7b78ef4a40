/* figcopy.c: figures copied beside the reports of a folder build
 * (figcopy.h). */
#define _POSIX_C_SOURCE 200809L
#include "figcopy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "imagetype.h"
#include "manifest.h"
#include "output.h"

typedef struct copy {
	const at_figure *fig;
	char *name; /* in out_dir; shared by the figures of one content */
	int owner;  /* the first figure of that name frees it */
} copy;

struct at_figcopies {
	copy *v;
	size_t n, cap;
	size_t distinct;
	const char *out_dir, *stem;
	at_diags *d;
	at_status status;
};

/* The one place a folder build opens a figure to copy it: as the HTML
 * report opens it to embed it, so that both follow the same rules. */
static FILE *open_figure(const at_figure *f)
{
	return fopen(f->path, "rb");
}

static void copy_error(at_figcopies *c, const at_figure *f, const char *what)
{
	at_diag_add(c->d, AT_ERROR, "io", f->image.pos,
		    (uint32_t)strlen(f->image.s),
		    "cannot copy image %s into %s (%s): %s", f->path,
		    c->out_dir, what, strerror(errno));
	c->status = AT_EIO;
}

/* Streams in to the open temporary file, hashing what it copies. */
static int stream(FILE *in, FILE *to, uint64_t *hash)
{
	unsigned char buf[65536];
	size_t n;
	uint64_t h = AT_HASH_INIT;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
		h = at_hash_more(h, buf, n);
		if (fwrite(buf, 1, n, to) != n)
			return -1;
	}
	*hash = h;
	return ferror(in) ? -1 : 0;
}

/* Gives the complete temporary copy its name, unless a copy of that name
 * is there already (same content): then it is kept as it is. 0, or -1. */
static int settle(at_figcopies *c, const char *tmp, const char *name,
		  int *renamed)
{
	at_buf full;
	at_buf_init(&full);
	at_buf_printf(&full, "%s/%s", c->out_dir, name);
	struct stat st;
	int rc = full.oom ? -1 : 0;
	if (!rc && lstat(full.s, &st) != 0) {
		rc = rename(tmp, full.s);
		*renamed = rc == 0;
	}
	at_buf_free(&full);
	return rc;
}

/* Writes f to a temporary file in out_dir, hashing it, then names it. */
static char *copy_one(at_figcopies *c, const at_figure *f)
{
	/* From the image's type: the site serves the copy by it, so no
	 * figure can become a page (x.html) or a script. */
	const char *ext = at_image_type_of(f->path).ext;
	at_buf tmp, name;
	at_buf_init(&tmp);
	at_buf_init(&name);
	at_buf_printf(&tmp, "%s/%s-figure.%s" AT_TMP_SUFFIX, c->out_dir,
		      c->stem, ext);
	FILE *in = NULL, *to = NULL;
	int fd = tmp.oom ? -1 : at_tmp_create(tmp.s, AT_TMP_SHARED);
	int ok = 0, renamed = 0;
	uint64_t h = 0;
	if (fd < 0 || !(to = fdopen(fd, "wb")))
		copy_error(c, f, "a temporary file");
	else if (!(in = open_figure(f)))
		copy_error(c, f, "reading it");
	else if (stream(in, to, &h) != 0 || fflush(to) != 0)
		copy_error(c, f, "copying it");
	else
		ok = 1;
	if (in)
		fclose(in);
	if (to && fclose(to) != 0 && ok) {
		copy_error(c, f, "copying it");
		ok = 0;
	} else if (!to && fd >= 0) {
		close(fd);
	}
	if (ok) {
		at_buf_printf(&name, "%s-%016" PRIx64 ".%s", c->stem, h, ext);
		if (name.oom || settle(c, tmp.s, name.s, &renamed) != 0) {
			copy_error(c, f, "naming it");
			ok = 0;
		}
	}
	if (fd >= 0 && !renamed)
		unlink(tmp.s);
	if (!tmp.oom)
		at_tmp_untrack(tmp.s);
	at_buf_free(&tmp);
	char *r = ok ? at_buf_take(&name) : NULL;
	at_buf_free(&name);
	return r;
}

static int add_copy(const at_figure *f, void *ctx)
{
	at_figcopies *c = ctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		copy *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	char *name = copy_one(c, f);
	if (!name)
		return c->status == AT_OK ? -1 : 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].owner && strcmp(c->v[i].name, name) == 0) {
			free(name);
			c->v[c->n++] = (copy){f, c->v[i].name, 0};
			return 0;
		}
	c->v[c->n++] = (copy){f, name, 1};
	c->distinct++;
	return 0;
}

at_status at_figcopies_make(const at_session *s, const char *out_dir,
			    const char *stem, at_figcopies **out, at_diags *d)
{
	at_figcopies *c = calloc(1, sizeof *c);
	*out = c;
	if (!c)
		return AT_ENOMEM;
	c->out_dir = out_dir;
	c->stem = stem;
	c->d = d;
	c->status = AT_OK;
	if (at_session_each_figure(s, add_copy, c) && c->status == AT_OK)
		c->status = AT_ENOMEM;
	return c->status;
}

const char *at_figcopies_name(void *copies, const at_figure *f)
{
	const at_figcopies *c = copies;
	for (size_t i = 0; c && i < c->n; i++)
		if (c->v[i].fig == f)
			return c->v[i].name;
	return NULL;
}

size_t at_figcopies_count(const at_figcopies *c)
{
	return c ? c->distinct : 0;
}

const char *at_figcopies_at(const at_figcopies *c, size_t i)
{
	for (size_t k = 0; k < c->n; k++)
		if (c->v[k].owner && i-- == 0)
			return c->v[k].name;
	return NULL;
}

void at_figcopies_free(at_figcopies *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].owner)
			free(c->v[i].name);
	free(c->v);
	free(c);
}
