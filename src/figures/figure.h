/* figure.h: the figure pipeline, and the figures of one session.
 *
 * at_figure_process turns the bytes of one image file into the bytes a
 * report embeds: decoded (JPEG, PNG, WebP, GIF, TIFF, HEIC), turned upright
 * from its EXIF orientation, scaled so that its long side is at most
 * opts->size, every metadata block dropped (EXIF, GPS, XMP, IPTC, comments,
 * ICC profile: the pixels are converted to sRGB first), encoded as PNG when
 * it has transparency or at most 256 colours, else as JPEG. The same bytes
 * in give the same bytes out. It never opens a file.
 *
 * An at_figure_set processes each figure of one session once, however many
 * emitters and places use it: the HTML and xlsx emitters, and the copy of
 * figures beside a folder build's reports, ask it. */
#ifndef ATELIER_FIGURE_H
#define ATELIER_FIGURE_H

#include <stddef.h>
#include <stdint.h>

#include "atelier/atelier.h"
#include "atelier/emitter.h"
#include "buf.h"

#define AT_FIGURE_SIZE_DEFAULT 1600u
/* A decoded image larger than this is refused from its header (a PNG of a
 * few KB can claim 100,000 x 100,000 pixels): 16384 x 16384, 256
 * megapixels, twice a 200-megapixel phone camera's. */
#define AT_FIGURE_PIXELS_DEFAULT ((uint64_t)16384 * 16384)

typedef struct at_figure_opts {
	unsigned size;       /* long side in pixels; 0: not scaled */
	uint64_t max_pixels; /* 0: AT_FIGURE_PIXELS_DEFAULT */
	int raster;          /* SVG too becomes pixels (PNG), for formats
				that cannot show vector images */
} at_figure_opts;

typedef struct at_image {
	void *data;       /* owned: at_image_free */
	size_t len;
	const char *mime; /* "image/jpeg", "image/png", "image/svg+xml" */
	const char *ext;  /* the file extension to use: "jpg", "png", "svg" */
	int width, height;/* pixels; 0 for an SVG kept vector */
	int in_width, in_height; /* the decoded original, upright */
} at_image;

typedef enum at_figure_rc {
	AT_FIGURE_OK,
	AT_FIGURE_TOO_LARGE, /* more pixels than opts->max_pixels */
	AT_FIGURE_CORRUPT,   /* not an image atelier reads, or damaged */
	AT_FIGURE_NOMEM
} at_figure_rc;

/* Processes len bytes of an image; name (the figure as written) only
 * decides whether bytes that libvips does not recognise are an SVG. On
 * failure *why says what is wrong, in a few words. */
at_figure_rc at_figure_process(const void *bytes, size_t len,
			       const char *name, const at_figure_opts *o,
			       at_image *out, at_buf *why);
void at_image_free(at_image *im);

/* libvips is set up once per process, on first use (so that a folder
 * build's workers, forked before, each set it up themselves); main shuts
 * it down before exiting so that leak checkers see nothing left. */
void at_figure_shutdown(void);

/* ---- for the figures module (figure_vips.c) ---- */

/* Every figure but an SVG kept vector goes through libvips, in the
 * figures module (src/util/module.h): loaded at the first such figure. */
typedef struct at_figure_codec {
	at_figure_rc (*process)(const void *bytes, size_t len,
				const char *name, const at_figure_opts *o,
				at_image *out, at_buf *why);
	int (*started)(void);
	void (*shutdown)(void);
} at_figure_codec;

extern const at_figure_codec at_figure_vips;

/* Whether name (the figure as written) says SVG. */
int at_figure_named_svg(const char *name);

/* out: a copy of the SVG's bytes, kept vector. */
at_figure_rc at_image_keep_svg(const void *bytes, size_t len, at_image *out);

/* Whether libvips has started in this process: its threads do not survive
 * a fork, so such a process must not fork workers that process figures
 * (a --watch that built one session itself, then a folder). */
int at_figure_started(void);

/* ---- the figures of one session ---- */

typedef struct at_figure_set at_figure_set;

/* The figures of s (read under its confinement rules, figread.h); notes:
 * each figure processed gets a note at its position (-v). NULL on OOM. */
at_figure_set *at_figure_set_new(const at_session *s,
				 const at_figure_opts *o, int notes);
void at_figure_set_free(at_figure_set *fs);

/* The options' figure set (o->figures), or a new one made from the
 * options, then also stored in *own for the caller to free. NULL on OOM. */
at_figure_set *at_figure_set_for(const at_session *s,
				 const at_emit_options *o, at_figure_set **own);

/* The processed image of fig (raster: SVG rasterised too), or NULL after
 * a diagnostic at the figure: an error "io" (*st = AT_EIO) when the file
 * cannot be read, "figure-pixels" or "figure-corrupt" (*st = AT_EINPUT).
 * Each file is read and processed once; a failed one is diagnosed once. */
const at_image *at_figure_get(at_figure_set *fs, const at_figure *fig,
			      int raster, at_diags *d, at_status *st);

#endif
