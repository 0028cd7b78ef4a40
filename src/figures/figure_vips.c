/* figure_vips.c: one image file's bytes in, the bytes a report embeds out, on
 * libvips (see figure.h for what is done to them): the figures module
 * (src/util/module.h), which figure.c calls for every figure but an SVG
 * kept vector. */
#include "figure.h"

#include <stdlib.h>
#include <string.h>

#include "vips_quiet.h"

enum { JPEG_QUALITY = 85, PNG_COLOURS = 256 };

/* libvips keeps per-process state (types, its thread pool): it is set up
 * once, on first use, hence this one flag. */
static int vips_ready;

static void quiet(const char *domain, GLogLevelFlags level, const char *msg,
		  void *data)
{
	/* libvips warns about damaged files on stderr: atelier says so
	 * itself, at the figure, as a diagnostic. */
	(void)domain, (void)level, (void)msg, (void)data;
}

/* Only these loaders read figures (the others are blocked): libvips has
 * many more (PDF, FITS, ImageMagick...), none of which a photo of a flip
 * chart needs, and each is more code facing untrusted bytes. */
static const char *const loaders[] = {
	"VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp",
	"VipsForeignLoadNsgif", "VipsForeignLoadTiff", "VipsForeignLoadHeif",
	"VipsForeignLoadSvg"};

static int vips_setup(void)
{
	if (vips_ready)
		return 0;
	if (VIPS_INIT("atelier"))
		return -1;
	/* One thread: bytes that cannot depend on VIPS_CONCURRENCY, and
	 * parallelism comes from the folder build's workers anyway. */
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
					  G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
			  quiet, NULL);
	vips_operation_block_set("VipsForeignLoad", TRUE);
	for (size_t i = 0; i < sizeof loaders / sizeof loaders[0]; i++)
		vips_operation_block_set(loaders[i], FALSE);
	vips_ready = 1;
	return 0;
}

static int vips_started(void)
{
	return vips_ready;
}

static void vips_stop(void)
{
	if (vips_ready)
		vips_shutdown();
	vips_ready = 0;
}

/* libvips' last error, on one line, into why; then forgotten. */
static void vips_why(at_buf *why, const char *what)
{
	const char *e = vips_error_buffer();
	size_t n = strcspn(e, "\n");
	while (n && (e[n - 1] == ' ' || e[n - 1] == '.'))
		n--;
	at_buf_puts(why, what);
	if (n) {
		at_buf_puts(why, " (");
		for (size_t i = 0; i < n && i < 160; i++)
			at_buf_putc(why, (unsigned char)e[i] < 0x20 ? ' ' : e[i]);
		at_buf_puts(why, ")");
	}
	vips_error_clear();
}

/* The loader of ours that recognises the bytes, asked one by one:
 * libvips' own search would also ask the others (ImageMagick's among
 * them) about any file that none of ours reads. */
static const char *loader_of(const void *bytes, size_t len)
{
	static const char *const ours[] = {
		"jpegload_buffer", "pngload_buffer", "webpload_buffer",
		"gifload_buffer",  "tiffload_buffer", "heifload_buffer",
		"svgload_buffer"};
	for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
		if (vips_foreign_is_a_buffer(ours[i], bytes, len))
			return ours[i];
	vips_error_clear();
	return NULL;
}


/* The pixel budget, from the header only: nothing is decoded yet. *icc:
 * whether the image embeds a colour profile. */
static at_figure_rc check_pixels(const void *bytes, size_t len,
				 const at_figure_opts *o, int *icc, at_buf *why)
{
	VipsImage *h = vips_image_new_from_buffer(bytes, len, "", "access",
						  VIPS_ACCESS_SEQUENTIAL, NULL);
	if (!h) {
		vips_why(why, "damaged or unreadable");
		return AT_FIGURE_CORRUPT;
	}
	uint64_t w = (uint64_t)vips_image_get_width(h);
	uint64_t ht = (uint64_t)vips_image_get_height(h);
	*icc = vips_image_get_typeof(h, VIPS_META_ICC_NAME) != 0;
	g_object_unref(h);
	uint64_t max = o->max_pixels ? o->max_pixels : AT_FIGURE_PIXELS_DEFAULT;
	if (w * ht <= max)
		return AT_FIGURE_OK;
	at_buf_printf(why, "%llu x %llu pixels, more than the %llu allowed",
		      (unsigned long long)w, (unsigned long long)ht,
		      (unsigned long long)max);
	return AT_FIGURE_TOO_LARGE;
}

/* Upright, scaled, 8-bit sRGB (or grey), decoded into memory. */
static VipsImage *decode(const void *bytes, size_t len,
			 const at_figure_opts *o, int icc)
{
	int side = o->size ? (int)o->size : VIPS_MAX_COORD;
	VipsImage *t = NULL, *c = NULL, *mem = NULL;
	/* fail_on=error: a truncated or damaged file is an error, not a
	 * picture padded with grey. export_profile: an embedded colour
	 * profile is applied, to sRGB, before it is stripped (only then: it
	 * would make a grey picture three bands). */
	if (vips_thumbnail_buffer((void *)bytes, len, &t, side, "height", side,
				  "size", VIPS_SIZE_DOWN, "option_string",
				  "fail_on=error", icc ? "export_profile" : NULL,
				  "srgb", NULL))
		return NULL;
	int bands = vips_image_get_bands(t) - (vips_image_hasalpha(t) ? 1 : 0);
	VipsInterpretation to = bands < 3 ? VIPS_INTERPRETATION_B_W
					  : VIPS_INTERPRETATION_sRGB;
	if (vips_colourspace(t, &c, to, NULL) == 0 &&
	    vips_image_get_format(c) != VIPS_FORMAT_UCHAR) {
		VipsImage *u = NULL;
		int bad = vips_cast_uchar(c, &u, NULL);
		g_object_unref(c);
		c = bad ? NULL : u;
	}
	g_object_unref(t);
	/* One resolution for every figure, 96 dpi, where readers take one
	 * pixel for one pixel (the spreadsheet sizes images by it). */
	VipsImage *r = NULL;
	if (c && vips_copy(c, &r, "xres", 96 / 25.4, "yres", 96 / 25.4, NULL) ==
			 0) {
		mem = vips_image_copy_memory(r);
		g_object_unref(r);
	}
	if (c)
		g_object_unref(c);
	return mem;
}

/* Whether the image holds at most PNG_COLOURS colours (a drawing, a
 * diagram, a screenshot): counted until one more, so a photograph stops
 * after a few pixels. */
static int few_colours(VipsImage *im)
{
	enum { SLOTS = 1024 }; /* a power of two, > 2 * PNG_COLOURS */
	uint32_t seen[SLOTS];
	unsigned char used[SLOTS] = {0};
	int n = 0, w = vips_image_get_width(im), h = vips_image_get_height(im);
	size_t pel = (size_t)VIPS_IMAGE_SIZEOF_PEL(im);
	for (int y = 0; y < h; y++) {
		const unsigned char *p = VIPS_IMAGE_ADDR(im, 0, y);
		for (int x = 0; x < w; x++, p += pel) {
			uint32_t v = 0;
			for (size_t b = 0; b < pel && b < 4; b++)
				v = v << 8 | p[b];
			size_t k = (v * 2654435761u) & (SLOTS - 1);
			while (used[k] && seen[k] != v)
				k = (k + 1) & (SLOTS - 1);
			if (used[k])
				continue;
			if (++n > PNG_COLOURS)
				return 0;
			used[k] = 1;
			seen[k] = v;
		}
	}
	return 1;
}

/* PNG for transparency, and for a lossless original of few colours; JPEG
 * for the rest, and always for a JPEG or HEIC original (a photograph:
 * PNG would only make its artefacts larger). */
static int encode(VipsImage *im, const char *loader, at_image *out)
{
	int lossy = strcmp(loader, "jpegload_buffer") == 0 ||
		    strcmp(loader, "heifload_buffer") == 0;
	int png = vips_image_hasalpha(im) || (!lossy && few_colours(im));
	void *data = NULL;
	size_t len = 0;
	int rc = png ? vips_pngsave_buffer(im, &data, &len, "compression", 9,
					   "strip", TRUE, NULL)
		     : vips_jpegsave_buffer(im, &data, &len, "Q", JPEG_QUALITY,
					    "optimize_coding", TRUE, "strip",
					    TRUE, NULL);
	/* Into memory of the C library's, which at_image_free releases
	 * whichever module made the image. */
	if (rc == 0) {
		out->data = malloc(len ? len : 1);
		rc = out->data ? 0 : -1;
		if (out->data)
			memcpy(out->data, data, len);
		out->len = len;
	}
	g_free(data);
	out->mime = png ? "image/png" : "image/jpeg";
	out->ext = png ? "png" : "jpg";
	out->width = vips_image_get_width(im);
	out->height = vips_image_get_height(im);
	return rc;
}

/* The original's size, upright (orientations 5 to 8 swap the sides). */
static void original_size(const void *bytes, size_t len, at_image *out)
{
	VipsImage *h = vips_image_new_from_buffer(bytes, len, "", NULL);
	if (!h)
		return;
	int o = vips_image_get_orientation(h);
	int swap = o >= 5 && o <= 8;
	out->in_width = swap ? vips_image_get_height(h) : vips_image_get_width(h);
	out->in_height = swap ? vips_image_get_width(h) : vips_image_get_height(h);
	g_object_unref(h);
}

static at_figure_rc vips_process(const void *bytes, size_t len,
				 const char *name, const at_figure_opts *o,
				 at_image *out, at_buf *why)
{
	if (vips_setup()) {
		vips_why(why, "libvips cannot start");
		return AT_FIGURE_CORRUPT;
	}
	const char *loader = loader_of(bytes, len);
	int svg = loader ? strcmp(loader, "svgload_buffer") == 0
			 : at_figure_named_svg(name);
	if (svg && !o->raster)
		return at_image_keep_svg(bytes, len, out);
	if (!loader) {
		at_buf_puts(why, "not an image in a format atelier reads (JPEG, "
				 "PNG, WebP, GIF, TIFF, HEIC, SVG)");
		return AT_FIGURE_CORRUPT;
	}
	int icc = 0;
	at_figure_rc rc = check_pixels(bytes, len, o, &icc, why);
	if (rc != AT_FIGURE_OK)
		return rc;
	VipsImage *im = decode(bytes, len, o, icc);
	if (!im) {
		vips_why(why, "damaged or truncated");
		return AT_FIGURE_CORRUPT;
	}
	original_size(bytes, len, out);
	if (encode(im, loader, out)) {
		vips_why(why, "cannot be encoded");
		g_object_unref(im);
		at_image_free(out);
		return AT_FIGURE_CORRUPT;
	}
	g_object_unref(im);
	return AT_FIGURE_OK;
}

const at_figure_codec at_figure_vips = {
	.process = vips_process,
	.started = vips_started,
	.shutdown = vips_stop,
};
