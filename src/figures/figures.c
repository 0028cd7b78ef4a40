/* figures.c: the figures of one session, each file read and processed
 * once however many emitters and places use it (an image named a million
 * times through aliases is still one image), failures diagnosed once at
 * the first figure that names the file. */
#include "figure.h"
#include "figread.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h" /* at_hash_bytes */

/* A figure file larger than this is not read (the HTML page holds 256
 * MiB of images in all, atelier's largest). */
#define FIGURE_FILE_MAX ((size_t)256 << 20)

typedef struct slot {
	char *path;          /* NULL: free */
	int state[2];        /* per raster: 0 to do, 1 done, -1 failed */
	at_status failed;    /* the status a failure returns */
	at_image img[2];     /* [raster]: an SVG differs, pixels do not */
} slot;

struct at_figure_set {
	const at_session *s; /* whose figures: the folder they stay in */
	at_figure_opts opts;
	int notes;
	slot **v;            /* each slot allocated alone: the images
				handed out stay where they are */
	size_t cap, n;       /* cap a power of two */
};

at_figure_set *at_figure_set_new(const at_session *s,
				 const at_figure_opts *o, int notes)
{
	at_figure_set *fs = calloc(1, sizeof *fs);
	if (!fs)
		return NULL;
	fs->s = s;
	fs->opts = *o;
	fs->notes = notes;
	return fs;
}

at_figure_set *at_figure_set_for(const at_session *s,
				 const at_emit_options *o, at_figure_set **own)
{
	*own = NULL;
	if (o->figures)
		return o->figures;
	at_figure_opts fo = {o->figure_size, o->figure_pixels, 0};
	*own = at_figure_set_new(s, &fo, o->verbose);
	return *own;
}

void at_figure_set_free(at_figure_set *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->cap; i++) {
		if (!fs->v[i])
			continue;
		free(fs->v[i]->path);
		at_image_free(&fs->v[i]->img[0]);
		at_image_free(&fs->v[i]->img[1]);
		free(fs->v[i]);
	}
	free(fs->v);
	free(fs);
}

static slot **find(slot **v, size_t cap, const char *path)
{
	size_t k = (size_t)at_hash_bytes(path, strlen(path)) & (cap - 1);
	while (v[k] && strcmp(v[k]->path, path) != 0)
		k = (k + 1) & (cap - 1);
	return &v[k];
}

static int grow(at_figure_set *fs)
{
	size_t cap = fs->cap ? fs->cap * 2 : 16;
	slot **v = calloc(cap, sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < fs->cap; i++)
		if (fs->v[i])
			*find(v, cap, fs->v[i]->path) = fs->v[i];
	free(fs->v);
	fs->v = v;
	fs->cap = cap;
	return 0;
}

/* The slot of path, added if new; NULL on OOM. */
static slot *slot_of(at_figure_set *fs, const char *path)
{
	if ((fs->n + 1) * 2 > fs->cap && grow(fs))
		return NULL;
	slot **s = find(fs->v, fs->cap, path);
	if (!*s) {
		slot *n = calloc(1, sizeof *n);
		if (!n || !(n->path = strdup(path))) {
			free(n);
			return NULL;
		}
		*s = n;
		fs->n++;
	}
	return *s;
}

/* Reads a figure's file whole: the one place figure bytes are read, under
 * the confinement rules of figread.h (a refusal is its own diagnostic). */
static at_status read_figure(const at_figure_set *fs, const at_figure *fig,
			     at_buf *b, at_diags *d)
{
	at_figure_file ff;
	if (at_figure_open(fs->s, fig, &ff, d) != 0)
		return AT_EINPUT;
	uint32_t span = (uint32_t)strlen(fig->image.s);
	if (ff.size < 0 || (size_t)ff.size > FIGURE_FILE_MAX) {
		at_figure_close(&ff);
		at_diag_add(d, AT_ERROR, "io", fig->image.pos, span,
			    "cannot read image %s: larger than %zu MiB",
			    fig->path, (size_t)FIGURE_FILE_MAX >> 20);
		return AT_EIO;
	}
	long long got = 0;
	char *p = at_buf_extend(b, (size_t)ff.size + 1);
	if (p) {
		b->len -= (size_t)ff.size + 1;
		while ((got = at_figure_read(&ff, b->s + b->len,
					     (size_t)ff.size + 1 - b->len)) > 0)
			b->len += (size_t)got;
	}
	int err = errno;
	at_figure_close(&ff);
	if (b->oom || !p)
		return AT_ENOMEM;
	if (got == 0)
		return AT_OK;
	at_diag_add(d, AT_ERROR, "io", fig->image.pos, span,
		    "cannot read image %s: %s", fig->path, strerror(err));
	return AT_EIO;
}

static void note(const at_figure *fig, const at_image *im, at_diags *d)
{
	uint32_t span = (uint32_t)strlen(fig->image.s);
	if (!im->width)
		at_diag_add(d, AT_NOTE, "figure", fig->image.pos, span,
			    "figure %s: SVG, kept as it is", fig->image.s);
	else
		at_diag_add(d, AT_NOTE, "figure", fig->image.pos, span,
			    "figure %s: %d x %d -> %d x %d %s, %zu bytes",
			    fig->image.s, im->in_width, im->in_height,
			    im->width, im->height, im->ext, im->len);
}

static at_status process(at_figure_set *fs, const at_figure *fig,
			 int raster, at_image *out, at_diags *d)
{
	at_buf bytes, why;
	at_buf_init(&bytes);
	at_buf_init(&why);
	at_status st = read_figure(fs, fig, &bytes, d);
	at_figure_opts o = fs->opts;
	o.raster = raster;
	at_figure_rc rc = AT_FIGURE_OK;
	if (st == AT_OK)
		rc = at_figure_process(bytes.s ? bytes.s : "", bytes.len,
				       fig->image.s, &o, out, &why);
	uint32_t span = (uint32_t)strlen(fig->image.s);
	if (rc == AT_FIGURE_TOO_LARGE)
		at_diag_add(d, AT_ERROR, "figure-pixels", fig->image.pos, span,
			    "image %s is too large to decode: %s "
			    "(--max-figure-pixels)",
			    fig->image.s, at_buf_cstr(&why));
	else if (rc == AT_FIGURE_CORRUPT)
		at_diag_add(d, AT_ERROR, "figure-corrupt", fig->image.pos,
			    span, "cannot decode image %s: %s", fig->image.s,
			    at_buf_cstr(&why));
	else if (rc == AT_FIGURE_NOMEM || st == AT_ENOMEM)
		at_diag_add(d, AT_ERROR, "nomem", fig->image.pos, span,
			    "out of memory while processing image %s",
			    fig->image.s);
	if (rc == AT_FIGURE_OK && st == AT_OK && fs->notes)
		note(fig, out, d);
	at_buf_free(&bytes);
	at_buf_free(&why);
	if (st != AT_OK)
		return st;
	return rc == AT_FIGURE_OK	 ? AT_OK
	       : rc == AT_FIGURE_NOMEM ? AT_ENOMEM
				       : AT_EINPUT;
}

const at_image *at_figure_get(at_figure_set *fs, const at_figure *fig,
			      int raster, at_diags *d, at_status *st)
{
	slot *s = slot_of(fs, fig->path);
	if (!s) {
		*st = AT_ENOMEM;
		return NULL;
	}
	raster = raster ? 1 : 0;
	/* Pixels are the same either way: only an SVG needs the second. A
	 * file that failed once is not tried again. */
	if (raster && (s->state[0] == -1 ||
		       (s->state[0] == 1 && s->img[0].width)))
		raster = 0;
	if (s->state[raster] == 0) {
		s->failed = process(fs, fig, raster, &s->img[raster], d);
		s->state[raster] = s->failed == AT_OK ? 1 : -1;
	}
	if (s->state[raster] == 1)
		return &s->img[raster];
	*st = s->failed;
	return NULL;
}
