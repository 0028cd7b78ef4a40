/* test_figure.c: the figure pipeline's API (figure.c, figures.c) on bytes
 * made here: PNGs written by hand with zlib (a tiny image, a truncated one,
 * a header claiming 100,000 x 100,000 pixels), an SVG, bytes that are no
 * image, a JPEG in the Display P3 colour space made with libvips; the
 * pixel budget at its exact boundary; a session's figure set reading and
 * processing a file once. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "figure.h"

#include "vips_quiet.h"

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Appends one PNG chunk to b. */
static void chunk(at_buf *b, const char *kind, const void *data, uint32_t n)
{
	unsigned char len[4], crc[4];
	put32(len, n);
	at_buf_put(b, (const char *)len, 4);
	at_buf_put(b, kind, 4);
	at_buf_put(b, data, n);
	uLong c = crc32(0, (const Bytef *)kind, 4);
	c = crc32(c, data, n);
	put32(crc, (uint32_t)c);
	at_buf_put(b, (const char *)crc, 4);
}

/* A w x h RGBA PNG, every pixel (r, 0, 0, a); IDAT cut to keep bytes of
 * it when keep is not 0. Only the first row is stored for a huge one: the
 * header is what the budget reads. */
static void png(at_buf *b, uint32_t w, uint32_t h, int r, int a, size_t keep)
{
	unsigned char ihdr[13] = {0};
	put32(ihdr, w);
	put32(ihdr + 4, h);
	ihdr[8] = 8; /* bits */
	ihdr[9] = 6; /* RGBA */
	uint32_t rows = h > 64 ? 1 : h;
	size_t raw_len = (size_t)rows * (1 + 4 * (size_t)w);
	unsigned char *raw = calloc(1, raw_len);
	assert_non_null(raw);
	for (uint32_t y = 0; y < rows; y++)
		for (uint32_t x = 0; x < w; x++) {
			unsigned char *p = raw + y * (1 + 4 * (size_t)w) + 1 + 4 * x;
			p[0] = (unsigned char)r;
			p[3] = (unsigned char)a;
		}
	uLongf z_len = compressBound(raw_len);
	unsigned char *z = malloc(z_len);
	assert_non_null(z);
	assert_int_equal(compress(z, &z_len, raw, raw_len), Z_OK);
	at_buf_put(b, "\x89PNG\r\n\x1a\n", 8);
	chunk(b, "IHDR", ihdr, 13);
	chunk(b, "IDAT", z, keep && keep < z_len ? (uint32_t)keep : (uint32_t)z_len);
	if (!keep)
		chunk(b, "IEND", "", 0);
	free(raw);
	free(z);
}

static at_figure_rc run(const at_buf *in, const char *name,
			const at_figure_opts *o, at_image *out, at_buf *why)
{
	at_buf_clear(why);
	return at_figure_process(in->s, in->len, name, o, out, why);
}

static void transparent_png_stays_png_with_alpha(void **state)
{
	(void)state;
	at_buf in, why;
	at_buf_init(&in);
	at_buf_init(&why);
	png(&in, 40, 20, 200, 0, 0);
	at_figure_opts o = {16, 0, 0};
	at_image im;
	assert_int_equal(run(&in, "a.png", &o, &im, &why), AT_FIGURE_OK);
	assert_string_equal(im.mime, "image/png");
	assert_string_equal(im.ext, "png");
	assert_int_equal(im.width, 16);
	assert_int_equal(im.height, 8);
	assert_int_equal(im.in_width, 40);
	assert_int_equal(im.in_height, 20);
	assert_memory_equal(im.data, "\x89PNG", 4);
	/* Colour type 6: RGBA, the alpha kept. */
	assert_int_equal(((unsigned char *)im.data)[25], 6);
	/* The same bytes in, the same bytes out. */
	at_image again;
	assert_int_equal(run(&in, "a.png", &o, &again, &why), AT_FIGURE_OK);
	assert_int_equal(again.len, im.len);
	assert_memory_equal(again.data, im.data, im.len);
	at_image_free(&again);
	at_image_free(&im);
	at_buf_free(&in);
	at_buf_free(&why);
}

static void pixel_budget_from_the_header(void **state)
{
	(void)state;
	at_buf in, why;
	at_buf_init(&in);
	at_buf_init(&why);
	png(&in, 100000, 100000, 0, 255, 0);
	assert_true(in.len < 4096);
	at_figure_opts o = {1600, 0, 0};
	at_image im;
	assert_int_equal(run(&in, "bomb.png", &o, &im, &why),
			 AT_FIGURE_TOO_LARGE);
	assert_string_equal(at_buf_cstr(&why), "100000 x 100000 pixels, more "
					       "than the 268435456 allowed");
	assert_null(im.data);
	/* At the boundary: 4 x 3 = 12 pixels. */
	at_buf_clear(&in);
	png(&in, 4, 3, 0, 255, 0);
	o.max_pixels = 11;
	assert_int_equal(run(&in, "s.png", &o, &im, &why), AT_FIGURE_TOO_LARGE);
	o.max_pixels = 12;
	assert_int_equal(run(&in, "s.png", &o, &im, &why), AT_FIGURE_OK);
	at_image_free(&im);
	at_buf_free(&in);
	at_buf_free(&why);
}

static void damaged_and_unknown_bytes_are_corrupt(void **state)
{
	(void)state;
	at_buf in, why;
	at_buf_init(&in);
	at_buf_init(&why);
	png(&in, 300, 60, 10, 255, 40);
	at_figure_opts o = {1600, 0, 0};
	at_image im;
	assert_int_equal(run(&in, "cut.png", &o, &im, &why), AT_FIGURE_CORRUPT);
	assert_non_null(strstr(at_buf_cstr(&why), "damaged or truncated"));
	at_buf_clear(&in);
	at_buf_puts(&in, "atelier: 1\ntitle: not an image\n");
	assert_int_equal(run(&in, "x.png", &o, &im, &why), AT_FIGURE_CORRUPT);
	assert_non_null(strstr(at_buf_cstr(&why), "not an image in a format"));
	at_buf_free(&in);
	at_buf_free(&why);
}

static const char svg[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"10\">"
	"<rect width=\"20\" height=\"10\" fill=\"#c00\"/></svg>\n";

static void svg_kept_vector_or_rasterised(void **state)
{
	(void)state;
	at_buf in, why;
	at_buf_init(&in);
	at_buf_init(&why);
	at_buf_puts(&in, svg);
	at_figure_opts o = {1600, 0, 0};
	at_image im;
	assert_int_equal(run(&in, "p.svg", &o, &im, &why), AT_FIGURE_OK);
	assert_string_equal(im.mime, "image/svg+xml");
	assert_int_equal(im.len, strlen(svg));
	assert_memory_equal(im.data, svg, im.len);
	assert_int_equal(im.width, 0);
	at_image_free(&im);
	o.raster = 1;
	assert_int_equal(run(&in, "p.svg", &o, &im, &why), AT_FIGURE_OK);
	assert_string_equal(im.mime, "image/png");
	assert_int_equal(im.width, 20);
	assert_int_equal(im.height, 10);
	at_image_free(&im);
	at_buf_free(&in);
	at_buf_free(&why);
}

/* sRGB (200, 0, 0) as a Display P3 JPEG, its profile embedded: the pixels
 * come out converted back to sRGB, without the profile. */
static void colour_profile_applied_then_stripped(void **state)
{
	(void)state;
	at_image im;
	at_buf why;
	at_buf_init(&why);
	at_figure_opts o = {1600, 0, 0};
	/* Starts libvips, which the test then uses itself. */
	assert_int_equal(at_figure_process(svg, strlen(svg), "p.svg",
					   &(at_figure_opts){1600, 0, 1}, &im,
					   &why),
			 AT_FIGURE_OK);
	at_image_free(&im);
	VipsImage *black, *red, *srgb, *p3;
	double a[3] = {0, 0, 0}, b[3] = {200, 0, 0};
	assert_int_equal(vips_black(&black, 32, 32, "bands", 3, NULL), 0);
	assert_int_equal(vips_linear(black, &red, a, b, 3, "uchar", TRUE, NULL), 0);
	assert_int_equal(vips_copy(red, &srgb, "interpretation",
				   VIPS_INTERPRETATION_sRGB, NULL), 0);
	assert_int_equal(vips_icc_transform(srgb, &p3, "p3", "input_profile",
					    "srgb", "embedded", FALSE, NULL), 0);
	void *jpeg;
	size_t len;
	assert_int_equal(vips_jpegsave_buffer(p3, &jpeg, &len, "Q", 98, NULL), 0);
	VipsImage *in = vips_image_new_from_buffer(jpeg, len, "", NULL);
	assert_non_null(in);
	assert_true(vips_image_get_typeof(in, VIPS_META_ICC_NAME) != 0);
	double *px;
	int n;
	/* In P3 the same red reads (184, 38, 25): kept as is, it would show
	 * another colour. */
	assert_int_equal(vips_getpoint(in, &px, &n, 5, 5, NULL), 0);
	assert_true(px[1] > 20 && px[2] > 10);
	g_free(px);
	assert_int_equal(at_figure_process(jpeg, len, "p3.jpg", &o, &im, &why),
			 AT_FIGURE_OK);
	VipsImage *out = vips_image_new_from_buffer(im.data, im.len, "", NULL);
	assert_non_null(out);
	assert_true(vips_image_get_typeof(out, VIPS_META_ICC_NAME) == 0);
	assert_int_equal(vips_getpoint(out, &px, &n, 5, 5, NULL), 0);
	assert_int_equal(n, 3);
	assert_true(px[0] > 190 && px[1] < 10 && px[2] < 10);
	g_free(px);
	g_object_unref(out);
	g_object_unref(in);
	g_free(jpeg);
	g_object_unref(p3);
	g_object_unref(srgb);
	g_object_unref(red);
	g_object_unref(black);
	at_image_free(&im);
	at_buf_free(&why);
}

/* The set reads and processes a file once; raster asks the SVG again,
 * not a picture that is pixels already. */
static void a_set_processes_each_file_once(void **state)
{
	(void)state;
	at_figure_opts o = {1600, 0, 0};
	/* A session whose figures stay in tests/valid, as its own would. */
	at_session s;
	memset(&s, 0, sizeof s);
	char *root = realpath("tests/valid", NULL);
	assert_non_null(root);
	s.figure_root = root;
	at_figure_set *fs = at_figure_set_new(&s, &o, 1);
	assert_non_null(fs);
	at_diags d;
	at_diags_init(&d);
	at_figure f = {{7, 3}, {"salle.svg", {7, 12}}, "tests/valid/salle.svg",
		       NULL, NULL};
	at_status st = AT_OK;
	const at_image *a = at_figure_get(fs, &f, 0, &d, &st);
	const at_image *b = at_figure_get(fs, &f, 0, &d, &st);
	assert_non_null(a);
	assert_ptr_equal(a, b);
	assert_string_equal(a->mime, "image/svg+xml");
	const at_image *r = at_figure_get(fs, &f, 1, &d, &st);
	assert_non_null(r);
	assert_ptr_not_equal(r, a);
	assert_string_equal(r->mime, "image/png");
	assert_ptr_equal(at_figure_get(fs, &f, 1, &d, &st), r);
	/* Processed twice (vector, pixels): two notes at the figure. */
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].severity, AT_NOTE);
	assert_int_equal(d.v[0].pos.line, 7);
	assert_int_equal(d.v[0].pos.col, 12);
	/* A file that is missing: one error, however often asked. */
	at_figure m = {{9, 3}, {"absent.png", {9, 12}}, "tests/valid/absent.png",
		       NULL, NULL};
	assert_null(at_figure_get(fs, &m, 0, &d, &st));
	assert_int_equal(st, AT_EINPUT);
	st = AT_OK;
	assert_null(at_figure_get(fs, &m, 1, &d, &st));
	assert_int_equal(st, AT_EINPUT);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.v[2].code, "missing-image");
	at_diags_free(&d);
	at_figure_set_free(fs);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transparent_png_stays_png_with_alpha),
		cmocka_unit_test(pixel_budget_from_the_header),
		cmocka_unit_test(damaged_and_unknown_bytes_are_corrupt),
		cmocka_unit_test(svg_kept_vector_or_rasterised),
		cmocka_unit_test(colour_profile_applied_then_stripped),
		cmocka_unit_test(a_set_processes_each_file_once),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	at_figure_shutdown();
	return rc;
}
