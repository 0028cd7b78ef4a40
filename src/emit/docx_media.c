/* docx_media.c: pictures in the DOCX compte-rendu: each processed image
 * stored once in word/media/ however many places show it (a file can name
 * one figure a million times), placed inline (wp:inline: the picture
 * flows with the text, never a frame around it), its alt text in
 * wp:docPr's descr; an SVG as the PNG every reader shows with the SVG
 * beside it (asvg:svgBlip), which Word 2016 and later draw instead. */
#include "docx_out.h"

#include <string.h>

#include "figure.h"

/* English Metric Units: 914400 an inch, 12700 a point, 635 a twip; a
 * pixel is taken at 96 dpi, as Word does. */
#define EMU_PT 12700.0
#define EMU_PX 9525.0
#define EMU_TWIP 635.0

static const char *const rel_image =
	"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/image";

/* Stores bytes as word/media/imageN.ext and relates the document to it. */
static unsigned add_media(dx *x, const void *data, size_t len,
			  const char *ext)
{
	unsigned rid = x->next_rid++;
	at_buf_clear(&x->tmp);
	at_buf_printf(&x->tmp, "media/image%u.%s", rid, ext);
	at_buf_printf(&x->rels, "<Relationship Id=\"rId%u\" Type=\"%s\" "
				"Target=\"%s\"/>\n",
		      rid, rel_image, at_buf_cstr(&x->tmp));
	at_buf_clear(&x->raw);
	at_buf_printf(&x->raw, "word/%s", at_buf_cstr(&x->tmp));
	at_status st = at_zip_add(x->zip, at_buf_cstr(&x->raw), data, len, 0);
	if (st != AT_OK)
		dx_fail(x, st);
	return rid;
}

/* The relationship of a processed image, stored the first time. */
static unsigned image_rid(dx *x, const at_image *im)
{
	for (size_t i = 0; i < x->n_media; i++)
		if (x->media[i].key == im)
			return x->media[i].rid;
	dx_media *v = at_grow(x->media, &x->cap_media, x->n_media,
			      sizeof *v, 8);
	if (!v) {
		dx_fail(x, AT_ENOMEM);
		return 0;
	}
	x->media = v;
	unsigned rid = add_media(x, im->data, im->len, im->ext);
	x->media[x->n_media++] = (dx_media){im, rid};
	return rid;
}

/* Scales (cx, cy) down to fit max_w twips wide and most of a page high. */
static void fit(double *cx, double *cy, int max_w)
{
	double mw = max_w * EMU_TWIP, mh = DX_TEXT_H * 0.85 * EMU_TWIP;
	if (*cx > mw)
		*cy *= mw / *cx, *cx = mw;
	if (*cy > mh)
		*cx *= mh / *cy, *cy = mh;
	if (*cx < 1)
		*cx = 1;
	if (*cy < 1)
		*cy = 1;
}

/* The run holding one picture: blip the raster, svg (0: none) the vector
 * beside it. */
static void drawing(dx *x, unsigned blip, unsigned svg, double cx, double cy,
		    const char *alt)
{
	long long w = (long long)cx, h = (long long)cy;
	unsigned id = x->next_docpr++;
	dx_printf(x, "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" "
		     "distL=\"0\" distR=\"0\"><wp:extent cx=\"%lld\" "
		     "cy=\"%lld\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" "
		     "b=\"0\"/><wp:docPr id=\"%u\" name=\"",
		  w, h, id);
	dx_escape(x, &x->doc, x->l->figure, strlen(x->l->figure));
	dx_printf(x, " %u\" descr=\"", id);
	dx_escape(x, &x->doc, alt, strlen(alt));
	dx_printf(x, "\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks "
		     "noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic>"
		     "<a:graphicData uri=\"http://schemas.openxmlformats.org/"
		     "drawingml/2006/picture\"><pic:pic><pic:nvPicPr>"
		     "<pic:cNvPr id=\"%u\" name=\"image%u\"/><pic:cNvPicPr/>"
		     "</pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rId%u\">",
		  id, id, blip);
	if (svg)
		dx_printf(x, "<a:extLst><a:ext uri=\"{96DAC541-7B7A-43D3-8B79-"
			     "37D633B846F1}\"><asvg:svgBlip r:embed=\"rId%u\"/>"
			     "</a:ext></a:extLst>",
			  svg);
	dx_printf(x, "</a:blip><a:stretch><a:fillRect/></a:stretch>"
		     "</pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
		     "<a:ext cx=\"%lld\" cy=\"%lld\"/></a:xfrm><a:prstGeom "
		     "prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"
		     "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
		  w, h);
}

/* The processed image of fig (raster: an SVG's PNG), or NULL after a
 * diagnostic: the document's status then says why. */
static const at_image *image_of(dx *x, const at_figure *fig, int raster)
{
	at_status st = AT_OK;
	const at_image *im = at_figure_get(x->figs, fig, raster, x->d, &st);
	if (!im)
		dx_fail(x, st == AT_OK ? AT_EINPUT : st);
	return im;
}

static int check_one(const at_figure *f, void *ctx)
{
	dx *x = ctx;
	/* Every figure that cannot be used is reported, in one run. */
	return !image_of(x, f, 0) && x->status == AT_ENOMEM;
}

at_status dx_check_figures(dx *x)
{
	at_session_each_figure(x->s, check_one, x);
	return x->status;
}

void dx_figure(dx *x, const at_figure *fig, int indent, int max_w)
{
	const at_image *im = image_of(x, fig, 0);
	const at_image *px = im && !im->width ? image_of(x, fig, 1) : im;
	if (!px)
		return;
	unsigned blip = image_rid(x, px);
	unsigned svg = px != im ? image_rid(x, im) : 0;
	double cx = px->width * EMU_PX, cy = px->height * EMU_PX;
	fit(&cx, &cy, max_w - indent);
	const char *alt = fig->alt ? fig->alt
		: fig->caption ? dx_plain(x, fig->caption) : x->l->figure;
	at_buf_clear(&x->words);
	at_buf_puts(&x->words, alt);
	dx_para p = {.style = "Figure", .indent = indent,
		     .keep = fig->caption != NULL};
	dx_p_open(x, &p);
	drawing(x, blip, svg, cx, cy, at_buf_cstr(&x->words));
	dx_p_close(x);
	if (!fig->caption)
		return;
	dx_para c = {.style = "Caption", .indent = indent};
	dx_p_open(x, &c);
	dx_md_inline(x, fig->caption, 0);
	dx_p_close(x);
}

void dx_picture(dx *x, const at_buf *svg, const at_buf *png, double w_pt,
		double h_pt, const char *alt)
{
	unsigned blip = add_media(x, png->s, png->len, "png");
	unsigned vec = add_media(x, svg->s, svg->len, "svg");
	double cx = w_pt * EMU_PT, cy = h_pt * EMU_PT;
	fit(&cx, &cy, DX_TEXT_W);
	drawing(x, blip, vec, cx, cy, alt);
}
