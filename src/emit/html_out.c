/* html_out.c: the HTML compte-rendu's writer: escaping, Markdown through
 * cmark's safe mode, safe links, inlined figures; the outline (outline.h)
 * it carries answers what the page says. */
#include "html_out.h"
#include "imagetype.h"

#include <cmark-gfm.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "figure.h"
#include "text.h"
#include "utf8.h"

static void oom(at_html *h)
{
	if (h->status == AT_OK)
		h->status = AT_ENOMEM;
}

void at_html_puts(at_html *h, const char *s)
{
	fputs(s, h->f);
}

void at_html_printf(at_html *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(h->f, fmt, ap);
	va_end(ap);
}

/* A label template filled in, into h->tmp. */
static void fill(at_html *h, const char *fmt, va_list ap)
{
	at_buf_clear(&h->tmp);
	at_buf_vprintf(&h->tmp, fmt, ap);
	if (h->tmp.oom)
		oom(h);
}

void at_html_labelf(at_html *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fill(h, fmt, ap);
	va_end(ap);
	at_html_textn(h, h->tmp.s ? h->tmp.s : "", h->tmp.len);
}

/* What a CSS string in <style> may hold as is: not its quote, not the
 * escape, nothing that starts a tag, no control character. */
static int css_plain(unsigned char c)
{
	return c >= 0x80 || (c >= 0x20 && c != 0x7f && !strchr("\"\\<>", c));
}

void at_html_css_string(at_html *h, const char *s, size_t max_chars)
{
	size_t len = strlen(s);
	fputc('"', h->f);
	for (size_t i = 0, n = 0; i < len; n++) {
		size_t k = at_utf8_seq_len(s + i, len - i);
		unsigned char c = (unsigned char)s[i];
		if (n == max_chars) {
			fputs("\\2026", h->f);
			break;
		}
		/* An escape ends at its space, which it swallows. */
		if (at_html_glued_space(s, i, len))
			fputs("\\a0 ", h->f);
		else if (k == 1 && !css_plain(c))
			fprintf(h->f, "\\%x ", c);
		else
			fwrite(s + i, 1, k, h->f);
		i += k;
	}
	fputc('"', h->f);
}

void at_html_css_labelf(at_html *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fill(h, fmt, ap);
	va_end(ap);
	at_html_css_string(h, at_buf_cstr(&h->tmp), (size_t)-1);
}

int at_html_glued_space(const char *s, size_t i, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (s[i] != ' ')
		return 0;
	if (i >= 2 && u[i - 2] == 0xc2 && u[i - 1] == 0xab) /* « x */
		return 1;
	if (i + 1 < len && s[i + 1] && strchr("?!:;", s[i + 1]))
		return 1;
	return i + 2 < len && u[i + 1] == 0xc2 && u[i + 2] == 0xbb; /* x » */
}

/* cmark's safe mode keeps a dangerous link's text but empties its
 * target: <a href="">. An <a> without href is the valid way to say so. */
static const char neutralised[] = "<a href=\"\"";

/* Writes s, HTML already, turning glued spaces into no-break spaces;
 * markup from cmark loses its empty link targets. */
static void put(at_html *h, const char *s, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '<' && len - i >= sizeof neutralised - 1 &&
		    memcmp(s + i, neutralised, sizeof neutralised - 1) == 0) {
			fwrite(s + run, 1, i - run, h->f);
			fputs("<a", h->f);
			i += sizeof neutralised - 2;
			run = i + 1;
			continue;
		}
		if (s[i] != ' ' || !at_html_glued_space(s, i, len))
			continue;
		fwrite(s + run, 1, i - run, h->f);
		fputs("\xc2\xa0", h->f);
		run = i + 1;
	}
	fwrite(s + run, 1, len - run, h->f);
}

void at_html_textn(at_html *h, const char *s, size_t len)
{
	/* The one escaper (text.h); every attribute is double-quoted. */
	at_buf_clear(&h->esc);
	at_html_escape(&h->esc, s, len);
	if (h->esc.oom)
		oom(h);
	put(h, h->esc.s ? h->esc.s : "", h->esc.len);
}

void at_html_text(at_html *h, const char *s)
{
	at_html_textn(h, s, strlen(s));
}

void at_html_md(at_html *h, const char *md, int inline_only)
{
	at_buf_clear(&h->tmp);
	if (at_md_html(&h->tmp, md, inline_only)) {
		oom(h);
		return;
	}
	put(h, h->tmp.s ? h->tmp.s : "", h->tmp.len);
}

const char *at_html_plain(at_html *h, const char *md)
{
	at_buf_clear(&h->tmp);
	if (at_md_plain_inline(&h->tmp, md))
		oom(h);
	return at_buf_cstr(&h->tmp);
}

void at_html_md_plain(at_html *h, const char *md)
{
	at_html_text(h, at_html_plain(h, md));
}

void at_html_link(at_html *h, const char *url, const char *label)
{
	/* The one link policy (text.h); cmark's safe mode stays behind it. */
	if (at_url_dangerous(url)) {
		at_html_puts(h, "<a>");
		at_html_text(h, label);
		at_html_puts(h, "</a>");
		return;
	}
	cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
	cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
	char *html = NULL;
	if (link && text && cmark_node_set_url(link, url) &&
	    cmark_node_set_literal(text, label) &&
	    cmark_node_append_child(link, text)) {
		text = NULL; /* the link owns it now */
		html = cmark_render_html(link, CMARK_OPT_DEFAULT, NULL);
	}
	if (html)
		put(h, html, strlen(html));
	else
		oom(h);
	free(html);
	/* cmark_node_free does not take NULL. */
	if (text)
		cmark_node_free(text);
	if (link)
		cmark_node_free(link);
}

/* ---- figures ---- */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Encodes n bytes (n a multiple of 3, or the last piece) into out. */
static size_t base64(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;
	for (; i + 3 <= n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
			     in[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	return o;
}

/* Writes the bytes as base64, a block at a time. */
static void write_base64(at_html *h, const unsigned char *p, size_t n)
{
	enum { BLOCK = 3 * 1024 };
	char enc[BLOCK / 3 * 4];
	for (size_t i = 0; i < n; i += BLOCK) {
		size_t k = n - i < BLOCK ? n - i : BLOCK;
		size_t m = base64(p + i, k, enc);
		fwrite(enc, 1, m, h->f);
	}
}

/* The processed image of fig, or NULL after a diagnostic (the status of
 * the page then says why). */
static const at_image *image_of(at_html *h, const at_figure *fig)
{
	at_status st = AT_OK;
	const at_image *im = at_figure_get(h->figs, fig, 0, h->d, &st);
	if (!im && h->status == AT_OK)
		h->status = st;
	return im;
}

static int add_figure_bytes(const at_figure *f, void *ctx)
{
	at_html *h = ctx;
	const at_image *im = image_of(h, f);
	/* Every figure that cannot be used is reported, in one run. */
	if (!im)
		return h->status == AT_ENOMEM;
	h->figure_bytes += (long long)im->len;
	if (h->figure_bytes <= AT_HTML_FIGURES_MAX)
		return 0;
	at_diag_add(h->d, AT_ERROR, "figures-too-large", f->image.pos,
		    (uint32_t)strlen(f->image.s),
		    "the figures of the HTML report pass %lld MiB with this "
		    "one (each place an image stands holds a copy): use "
		    "smaller images, or fewer",
		    AT_HTML_FIGURES_MAX >> 20);
	h->status = AT_EINPUT;
	return 1;
}

at_status at_html_check_figures(at_html *h)
{
	h->figure_bytes = 0;
	at_session_each_figure(h->s, add_figure_bytes, h);
	return h->status;
}

void at_html_figure(at_html *h, const at_figure *fig)
{
	const at_image *im = image_of(h, fig);
	if (!im)
		return;
	at_html_printf(h, "<figure class=\"figure\"><img src=\"data:%s;base64,",
		       im->mime);
	write_base64(h, im->data, im->len);
	at_html_puts(h, "\"");
	if (im->width)
		at_html_printf(h, " width=\"%d\" height=\"%d\"", im->width,
			       im->height);
	at_html_puts(h, " alt=\"");
	/* alt is plain text already; a caption stands in as plain text. */
	if (fig->alt)
		at_html_text(h, fig->alt);
	else if (fig->caption)
		at_html_md_plain(h, fig->caption);
	at_html_puts(h, "\">");
	if (fig->caption) {
		at_html_puts(h, "<figcaption>");
		at_html_md(h, fig->caption, 1);
		at_html_puts(h, "</figcaption>");
	}
	at_html_puts(h, "</figure>\n");
}

/* ---- the writer ---- */

int at_html_init(at_html *h, const at_session *s, FILE *f,
		 const at_emit_options *o, at_diags *d)
{
	memset(h, 0, sizeof *h);
	h->f = f;
	h->s = s;
	h->l = at_labels_for(o->lang);
	h->d = d;
	h->status = AT_OK;
	at_buf_init(&h->tmp);
	at_buf_init(&h->words);
	at_outline_init(&h->ol, s, h->l);
	at_buf_init(&h->esc);
	h->figs = at_figure_set_for(s, o, &h->own_figs);
	return h->figs ? 0 : -1;
}

void at_html_free(at_html *h)
{
	at_outline_free(&h->ol);
	at_buf_free(&h->tmp);
	at_buf_free(&h->words);
	at_buf_free(&h->esc);
	at_figure_set_free(h->own_figs);
}
