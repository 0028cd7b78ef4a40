/* odt_parts.c: the ODT container around content.xml's body: the writer's
 * life, the figures (each image stored once under Pictures/, an SVG with
 * a PNG twin for readers that do not draw SVG), meta.xml, the manifest,
 * and the zip ("mimetype" first and stored, as ODF asks). The styles are
 * odt_styles.c's. */
#include "odt_out.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "zipout.h"

#define MIMETYPE "application/vnd.oasis.opendocument.text"

int at_odt_init(at_odt *w, const at_session *s, const at_emit_options *o,
		at_diags *d)
{
	memset(w, 0, sizeof *w);
	w->s = s;
	w->o = o;
	w->d = d;
	w->l = at_labels_for(o->lang);
	w->status = AT_OK;
	at_outline_init(&w->ol, s, w->l);
	at_buf_init(&w->x);
	at_buf_init(&w->words);
	at_buf_init(&w->tmp);
	at_xml_tmp_init(&w->xt);
	w->figs = at_figure_set_for(s, o, &w->own_figs);
	return w->figs ? 0 : -1;
}

void at_odt_fail(at_odt *w, at_status st)
{
	if (w->status == AT_OK)
		w->status = st;
}

void at_odt_free(at_odt *w)
{
	at_outline_free(&w->ol);
	at_buf_free(&w->x);
	at_buf_free(&w->words);
	at_buf_free(&w->tmp);
	at_xml_tmp_free(&w->xt);
	at_figure_set_free(w->own_figs);
	free(w->pics);
	free(w->pic_slot);
	at_odt_ff_free(w);
}

/* ---- pictures: one entry an image, found by its pointer ---- */

static size_t slot_of(const at_odt *w, const void *im)
{
	uintptr_t h = (uintptr_t)im >> 4;
	h *= (uintptr_t)0x9E3779B97F4A7C15ull;
	size_t i = (size_t)h & (w->n_slots - 1);
	while (w->pic_slot[i] && w->pics[w->pic_slot[i] - 1].im != im)
		i = (i + 1) & (w->n_slots - 1);
	return i;
}

static int rehash(at_odt *w)
{
	size_t n = w->n_slots ? w->n_slots * 2 : 64;
	size_t *v = calloc(n, sizeof *v);
	if (!v)
		return -1;
	free(w->pic_slot);
	w->pic_slot = v;
	w->n_slots = n;
	for (size_t k = 0; k < w->n_pics; k++)
		w->pic_slot[slot_of(w, w->pics[k].im)] = k + 1;
	return 0;
}

static const at_odt_pic *pic_add(at_odt *w, const at_image *im,
				 const at_image *png)
{
	if ((w->n_pics + 1) * 2 > w->n_slots && rehash(w))
		return NULL;
	at_odt_pic *v = at_grow(w->pics, &w->cap_pics, w->n_pics, sizeof *v, 16);
	if (!v)
		return NULL;
	w->pics = v;
	v[w->n_pics] = (at_odt_pic){.im = im, .png = png,
				    .n = (unsigned)w->n_pics + 1};
	w->pic_slot[slot_of(w, im)] = ++w->n_pics;
	return &v[w->n_pics - 1];
}

/* The picture of fig, or NULL after a diagnostic (w->status says). */
static const at_odt_pic *pic_of(at_odt *w, const at_figure *fig)
{
	at_status st = AT_OK;
	const at_image *im = at_figure_get(w->figs, fig, 0, w->d, &st);
	if (!im) {
		at_odt_fail(w, st);
		return NULL;
	}
	if (w->n_slots) {
		size_t i = slot_of(w, im);
		if (w->pic_slot[i])
			return &w->pics[w->pic_slot[i] - 1];
	}
	const at_image *png = NULL;
	if (!im->width && !(png = at_figure_get(w->figs, fig, 1, w->d, &st))) {
		at_odt_fail(w, st);
		return NULL;
	}
	const at_odt_pic *p = pic_add(w, im, png);
	if (!p)
		at_odt_fail(w, AT_ENOMEM);
	return p;
}

static int check_one(const at_figure *f, void *ctx)
{
	at_odt *w = ctx;
	/* Every figure that cannot be used is reported, in one run. */
	if (!pic_of(w, f) && w->status == AT_ENOMEM)
		return 1;
	return 0;
}

at_status at_odt_check_figures(at_odt *w)
{
	at_session_each_figure(w->s, check_one, w);
	return w->status;
}

/* The figure's text alternative as plain text: its alt, else its
 * caption. */
static void alt_text(at_odt *w, const at_figure *fig)
{
	if (fig->alt) {
		if (at_xml_escape(&w->x, &w->xt, fig->alt, strlen(fig->alt)))
			at_odt_fail(w, AT_ENOMEM);
	} else if (fig->caption) {
		at_odt_md_plain(w, fig->caption);
	}
}

/* Pixels at 96 per inch, fitted into the text's width and a page's
 * half height. */
static void frame_size(const at_image *im, double *wcm, double *hcm)
{
	const double max_w = 16.0, max_h = 12.0;
	double w = im->width > 0 ? im->width * 2.54 / 96 : max_w;
	double h = im->height > 0 ? im->height * 2.54 / 96 : max_h;
	double k = 1;
	if (w > max_w)
		k = max_w / w;
	if (h * k > max_h)
		k = max_h / h;
	*wcm = w * k;
	*hcm = h * k;
}

static void image_el(at_odt *w, unsigned n, const at_image *im)
{
	at_odt_printf(w, "<draw:image xlink:href=\"Pictures/%u.%s\" "
			 "xlink:type=\"simple\" xlink:show=\"embed\" "
			 "xlink:actuate=\"onLoad\" draw:mime-type=\"%s\"/>",
		      n, im->ext, im->mime);
}

/* The frame is anchored to a paragraph of its own, the caption the next
 * one: LibreOffice 7.4 loses an image inline in a line, or anchored to a
 * paragraph that breaks, when the table row around breaks across pages. */
void at_odt_figure(at_odt *w, const at_figure *fig)
{
	const at_odt_pic *p = pic_of(w, fig);
	if (!p)
		return;
	double wcm, hcm;
	frame_size(p->png ? p->png : p->im, &wcm, &hcm);
	at_odt_printf(w, "<text:p text:style-name=\"Figure\">"
			 "<draw:frame draw:style-name=\"FigureFrame\" "
			 "draw:name=\"Figure%u\" text:anchor-type=\"paragraph\" "
			 "svg:width=\"%.3fcm\" svg:height=\"%.3fcm\" "
			 "draw:z-index=\"0\">",
		      ++w->frames, wcm, hcm);
	image_el(w, p->n, p->im);
	if (p->png)
		image_el(w, p->n, p->png);
	at_odt_puts(w, "<svg:title>");
	alt_text(w, fig);
	at_odt_puts(w, "</svg:title><svg:desc>");
	alt_text(w, fig);
	at_odt_puts(w, "</svg:desc></draw:frame></text:p>\n");
	if (fig->caption) {
		at_odt_puts(w, "<text:p text:style-name=\"Caption\">");
		at_odt_md(w, fig->caption);
		at_odt_puts(w, "</text:p>\n");
	}
}

/* ---- meta.xml ---- */

static void meta_el(at_odt *w, at_buf *b, const char *el, const char *text)
{
	if (!text || !*text)
		return;
	at_buf_printf(b, "<%s>", el);
	if (at_xml_escape(b, &w->xt, text, strlen(text)))
		at_odt_fail(w, AT_ENOMEM);
	at_buf_printf(b, "</%s>", el);
}

/* Title, author (the organiser), subject, keywords, the dates of the
 * input (SOURCE_DATE_EPOCH or the session's date), never of the build. */
static void meta(at_odt *w, at_buf *b)
{
	const at_session *s = w->s;
	char when[32];
	at_xml_datetime(w->o->timestamp, when, sizeof when);
	at_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<office:document-meta "
		       "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
		       "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
		       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		       "office:version=\"1.3\"><office:meta>");
	at_buf_printf(b, "<meta:generator>atelier/%s</meta:generator>",
		      ATELIER_VERSION);
	at_buf_clear(&w->tmp);
	if (at_md_plain_inline(&w->tmp, s->title))
		at_odt_fail(w, AT_ENOMEM);
	meta_el(w, b, "dc:title", at_buf_cstr(&w->tmp));
	meta_el(w, b, "dc:subject", s->subtitle ? s->subtitle : w->l->report);
	meta_el(w, b, "meta:keyword", w->l->report);
	meta_el(w, b, "meta:keyword", s->place);
	meta_el(w, b, "meta:initial-creator", s->organiser);
	meta_el(w, b, "dc:creator", s->organiser);
	at_buf_printf(b, "<meta:creation-date>%s</meta:creation-date>"
			 "<dc:date>%s</dc:date>",
		      when, when);
	meta_el(w, b, "dc:language", w->l->lang);
	at_buf_puts(b, "</office:meta></office:document-meta>\n");
}

/* ---- manifest, container ---- */

static void manifest(at_odt *w, at_buf *b)
{
	at_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:"
		       "opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\n"
		       " <manifest:file-entry manifest:full-path=\"/\" "
		       "manifest:version=\"1.3\" manifest:media-type=\"" MIMETYPE
		       "\"/>\n");
	static const char *const parts[] = {"content.xml", "styles.xml",
					    "meta.xml"};
	for (size_t i = 0; i < 3; i++)
		at_buf_printf(b, " <manifest:file-entry manifest:full-path=\"%s\" "
				 "manifest:media-type=\"text/xml\"/>\n",
			      parts[i]);
	for (size_t i = 0; i < w->n_pics; i++) {
		const at_odt_pic *p = &w->pics[i];
		for (int k = 0; k < 2; k++) {
			const at_image *im = k ? p->png : p->im;
			if (im)
				at_buf_printf(b, " <manifest:file-entry "
						 "manifest:full-path=\"Pictures/%u.%s\" "
						 "manifest:media-type=\"%s\"/>\n",
					      p->n, im->ext, im->mime);
		}
	}
	for (size_t i = 0; i < w->n_ffs; i++)
		at_buf_printf(b, " <manifest:file-entry manifest:full-path="
				 "\"Pictures/ff-%zu.svg\" manifest:media-type="
				 "\"image/svg+xml\"/>\n <manifest:file-entry "
				 "manifest:full-path=\"Pictures/ff-%zu.png\" "
				 "manifest:media-type=\"image/png\"/>\n",
			      w->ffs[i].num, w->ffs[i].num);
	at_buf_puts(b, "</manifest:manifest>\n");
}

static at_status add(at_zip *z, const char *name, const at_buf *b)
{
	if (b->oom)
		return AT_ENOMEM;
	return at_zip_add(z, name, b->s ? b->s : "", b->len, 0);
}

static at_status add_pictures(at_odt *w, at_zip *z)
{
	char name[64];
	at_status st = AT_OK;
	for (size_t i = 0; i < w->n_pics && st == AT_OK; i++) {
		const at_odt_pic *p = &w->pics[i];
		for (int k = 0; k < 2 && st == AT_OK; k++) {
			const at_image *im = k ? p->png : p->im;
			if (!im)
				continue;
			snprintf(name, sizeof name, "Pictures/%u.%s", p->n, im->ext);
			/* Images are compressed already. */
			st = at_zip_add(z, name, im->data, im->len, 1);
		}
	}
	for (size_t i = 0; i < w->n_ffs && st == AT_OK; i++) {
		const at_odt_ff *f = &w->ffs[i];
		snprintf(name, sizeof name, "Pictures/ff-%zu.svg", f->num);
		st = at_zip_add(z, name, f->svg.s, f->svg.len, 0);
		snprintf(name, sizeof name, "Pictures/ff-%zu.png", f->num);
		if (st == AT_OK)
			st = at_zip_add(z, name, f->png.s, f->png.len, 1);
	}
	return st;
}

at_status at_odt_write(at_odt *w, FILE *out)
{
	at_buf styles, meta_x, man;
	at_buf_init(&styles);
	at_buf_init(&meta_x);
	at_buf_init(&man);
	at_odt_content_close(w);
	at_odt_styles(w, &styles);
	meta(w, &meta_x);
	manifest(w, &man);
	at_zip *z = at_zip_new(w->o->timestamp);
	at_status st = z ? w->status : AT_ENOMEM;
	if (st == AT_OK)
		st = at_zip_add(z, "mimetype", MIMETYPE, strlen(MIMETYPE), 1);
	if (st == AT_OK)
		st = add(z, "META-INF/manifest.xml", &man);
	if (st == AT_OK)
		st = add(z, "content.xml", &w->x);
	if (st == AT_OK)
		st = add(z, "styles.xml", &styles);
	if (st == AT_OK)
		st = add(z, "meta.xml", &meta_x);
	if (st == AT_OK)
		st = add_pictures(w, z);
	if (st == AT_OK)
		st = at_zip_write(z, out);
	at_zip_free(z);
	at_buf_free(&styles);
	at_buf_free(&meta_x);
	at_buf_free(&man);
	return st;
}
