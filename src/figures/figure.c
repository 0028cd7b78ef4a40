/* figure.c: the figure pipeline's front (figure.h). An SVG kept vector is
 * copied as it is; every other figure goes to libvips in the figures module
 * (figure_vips.c), which only such a figure loads. */
#include "figure.h"
#include "imagetype.h"
#include "module.h"

#include <stdlib.h>
#include <string.h>

static const at_figure_codec *codec_loaded(void)
{
	return at_module_loaded("figures", "at_figure_vips");
}

int at_figure_named_svg(const char *name)
{
	return name && at_image_type_is_svg(at_image_type_of(name));
}

at_figure_rc at_image_keep_svg(const void *bytes, size_t len, at_image *out)
{
	out->data = malloc(len ? len : 1);
	if (!out->data)
		return AT_FIGURE_NOMEM;
	memcpy(out->data, bytes, len);
	out->len = len;
	out->mime = "image/svg+xml";
	out->ext = "svg";
	return AT_FIGURE_OK;
}

at_figure_rc at_figure_process(const void *bytes, size_t len,
			       const char *name, const at_figure_opts *o,
			       at_image *out, at_buf *why)
{
	memset(out, 0, sizeof *out);
	if (!o->raster && at_figure_named_svg(name))
		return at_image_keep_svg(bytes, len, out);
	at_buf err;
	at_buf_init(&err);
	const at_figure_codec *c =
		at_module_symbol("figures", "at_figure_vips", &err);
	if (!c)
		at_buf_printf(why, "the figures module does not load (%s)",
			      at_buf_cstr(&err));
	at_buf_free(&err);
	return c ? c->process(bytes, len, name, o, out, why) : AT_FIGURE_CORRUPT;
}

void at_image_free(at_image *im)
{
	free(im->data);
	memset(im, 0, sizeof *im);
}

int at_figure_started(void)
{
	const at_figure_codec *c = codec_loaded();
	return c && c->started();
}

void at_figure_shutdown(void)
{
	const at_figure_codec *c = codec_loaded();
	if (c)
		c->shutdown();
}
