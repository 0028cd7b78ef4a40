/* figcopy.c: figures copied beside the reports of a folder build
 * (figcopy.h). */
#define _POSIX_C_SOURCE 200809L
#include "figcopy.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "figure.h"
#include "imagetype.h"
#include "hash.h"
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
	at_figure_set *figs;
	const char *out_dir, *stem;
	at_diags *d;
	at_status status;
};


static void copy_error(at_figcopies *c, const at_figure *f, const char *what)
{
	at_diag_add(c->d, AT_ERROR, "io", f->image.pos,
		    (uint32_t)strlen(f->image.s),
		    "cannot copy image %s into %s (%s): %s", f->path,
		    c->out_dir, what, strerror(errno));
	c->status = AT_EIO;
}


/* ---- SVG that can run ----
 * An SVG shown through <img> (the reports) never runs scripts; one opened
 * on its own from the published site does, with the site's rights. So an
 * SVG is copied only when it holds nothing that could run: no script,
 * foreignObject, iframe, embed, object or handler element (with or without
 * a namespace prefix), no on...= event attribute, no "script:" URL (spaces
 * and controls aside), and no entity that could spell one ("&#", "&x;",
 * <!ENTITY). A conservative list: a harmless SVG it refuses is only not
 * copied, with a warning. */
enum { SVG_SCAN_MAX = 16 << 20 };

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Whether t, at p (lowercase), starts with the word w. */
static int at_word(const char *p, const char *w)
{
	for (; *w; p++, w++)
		if (lower((unsigned char)*p) != *w)
			return 0;
	return 1;
}

static int bad_element(const char *p)
{
	static const char *const names[] = {"script", "foreignobject", "iframe",
					    "embed", "object", "handler",
					    "listener"};
	p += p[1] == '/' ? 2 : 1;
	const char *name = p;
	while (*p && (strchr(":_.-", *p) || isalnum((unsigned char)*p))) {
		if (*p == ':')
			name = p + 1;
		p++;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (at_word(name, names[i]) &&
		    !isalnum((unsigned char)name[strlen(names[i])]))
			return 1;
	return 0;
}

/* " onload =" and the like. */
static int event_attribute(const char *p)
{
	if (!at_word(p + 1, "on") || !isalpha((unsigned char)p[3]))
		return 0;
	p += 3;
	while (isalpha((unsigned char)*p))
		p++;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return *p == '=';
}

static int svg_runs(const char *t)
{
	for (const char *p = t; *p; p++) {
		if (*p == '<' && (bad_element(p) || at_word(p, "<!entity")))
			return 1;
		if (*p == '&' && !at_word(p, "&amp;") && !at_word(p, "&lt;") &&
		    !at_word(p, "&gt;") && !at_word(p, "&quot;") &&
		    !at_word(p, "&apos;"))
			return 1;
		if (strchr(" \t\n\r\"'/", *p) && event_attribute(p))
			return 1;
	}
	/* "java\nscript:" is a URL to a browser: spaces and controls out. */
	const char *w = "script:";
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)t; *p && w[k]; p++) {
		if (*p <= ' ')
			continue;
		k = lower(*p) == w[k] ? k + 1 : lower(*p) == w[0];
	}
	return !w[k];
}

/* Whether the SVG copied to path can run (or is too large to tell). */
static int svg_file_runs(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *t = malloc(SVG_SCAN_MAX + 1);
	size_t n = f && t ? fread(t, 1, SVG_SCAN_MAX + 1, f) : 0;
	int runs = !f || !t || n > SVG_SCAN_MAX;
	if (!runs) {
		t[n] = '\0';
		runs = strlen(t) != n || svg_runs(t);
	}
	if (f)
		fclose(f);
	free(t);
	return runs;
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

/* Writes f's processed image (figure.h: upright, scaled, stripped) to a
 * temporary file in out_dir, then names it after its bytes: 0 and *out
 * its name, 1 when an SVG that could run is not copied (a warning), -1 on
 * error (a diagnostic, or out of memory). */
static int copy_one(at_figcopies *c, const at_figure *f, char **out)
{
	*out = NULL;
	at_status st = AT_OK;
	const at_image *im = at_figure_get(c->figs, f, 0, c->d, &st);
	if (!im) {
		c->status = st == AT_OK ? AT_EIO : st;
		return -1;
	}
	/* The processed image's own type names the copy (jpg, png, svg): the
	 * site serves it by that, so no figure can become a page or a
	 * script. */
	const char *ext = im->ext;
	at_buf tmp, name;
	at_buf_init(&tmp);
	at_buf_init(&name);
	at_buf_printf(&tmp, "%s/%s-figure.%s" AT_TMP_TEMPLATE, c->out_dir,
		      c->stem, ext);
	FILE *to = NULL;
	int fd = tmp.oom ? -1 : at_tmp_create(tmp.s, AT_TMP_SHARED);
	int ok = 0, renamed = 0;
	uint64_t h = at_hash_bytes(im->data, im->len);
	if (fd < 0 || !(to = fdopen(fd, "wb")))
		copy_error(c, f, "a temporary file");
	else if (fwrite(im->data, 1, im->len, to) != im->len || fflush(to) != 0)
		copy_error(c, f, "copying it");
	else
		ok = 1;
	if (to && fclose(to) != 0 && ok) {
		copy_error(c, f, "copying it");
		ok = 0;
	} else if (!to && fd >= 0) {
		close(fd);
	}
	int skipped = 0;
	if (ok && strcmp(ext, "svg") == 0 && svg_file_runs(tmp.s)) {
		at_diag_add(c->d, AT_WARNING, "svg-not-copied", f->image.pos,
			    (uint32_t)strlen(f->image.s),
			    "image %s not copied beside the Markdown report: an "
			    "SVG with scripts, event attributes or entities "
			    "would run when opened from the published site; the "
			    "report links it where it is (the HTML report embeds "
			    "it safely)",
			    f->image.s);
		ok = 0;
		skipped = 1;
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
	*out = ok ? at_buf_take(&name) : NULL;
	at_buf_free(&name);
	return skipped ? 1 : *out ? 0 : -1;
}

static int add_copy(const at_figure *f, void *ctx)
{
	at_figcopies *c = ctx;
	copy *v = at_grow(c->v, &c->cap, c->n, sizeof *v, 8);
	if (!v)
		return -1;
	c->v = v;
	char *name;
	int rc = copy_one(c, f, &name);
	if (rc)
		return rc < 0 && c->status == AT_OK ? -1 : 0;
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

at_status at_figcopies_make(const at_session *s, at_figure_set *figs,
			    const char *out_dir, const char *stem,
			    at_figcopies **out, at_diags *d)
{
	at_figcopies *c = calloc(1, sizeof *c);
	*out = c;
	if (!c)
		return AT_ENOMEM;
	c->figs = figs;
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
