/* html_out.h: what the files of the HTML compte-rendu share (emit_html.c
 * lays out the page, html_forcefield.c draws the force-field pictures,
 * html_style.c holds the style sheet): one writer that streams to the
 * output file and knows how to put each kind of session text on the page
 * safely. Internal to the HTML emitter. */
#ifndef ATELIER_HTML_OUT_H
#define ATELIER_HTML_OUT_H

#include <stdio.h>

#include "atelier/emitter.h"
#include "buf.h"
#include "labels.h"
#include "outline.h"

typedef struct at_html {
	FILE *f;
	const at_session *s;
	const at_labels *l;
	at_diags *d;
	at_status status;  /* the first failure; writing goes on harmlessly */
	at_buf tmp;        /* scratch: one rendered text at a time */
	at_outline ol;     /* what the page says (outline.h) */
	at_buf words;      /* the outline's words, before escaping */
	at_buf esc;        /* scratch: one escaped text at a time */
	struct at_figure_set *figs;     /* the session's processed figures */
	struct at_figure_set *own_figs; /* when the caller gave none */
	long long figure_bytes;
} at_html;

/* Figures are inlined, once per place they stand: a file can name one
 * image a million times (through aliases, in a few lines), and the page
 * would be a million copies. Past this many bytes of processed images in
 * all, the page is refused: an error at the figure that passed it,
 * AT_EINPUT. Processes every figure first (figure.h): a figure that
 * cannot be read or decoded is diagnosed there, before the page starts. */
#define AT_HTML_FIGURES_MAX ((long long)256 << 20)
at_status at_html_check_figures(at_html *h);

/* Sets up the writer for one page (labels in o->lang); -1 on OOM. */
int at_html_init(at_html *h, const at_session *s, FILE *f,
		 const at_emit_options *o, at_diags *d);
void at_html_free(at_html *h);

/* Raw markup, as is. */
void at_html_puts(at_html *h, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void at_html_printf(at_html *h, const char *fmt, ...);

/* A label template ("%d min", "tour %d, table %s") filled in and written
 * as escaped text. The templates are this program's own constants, not
 * input, hence no format attribute: they are not literals at the call. */
void at_html_labelf(at_html *h, const char *fmt, ...);

/* French typography, which the session's texts follow: the space inside
 * « » and before ? ! : ; is glued (a no-break space on the page), so a
 * line never starts with » or ?. Whether the space at s[i] is one. */
int at_html_glued_space(const char *s, size_t i, size_t len);

/* A text as a quoted CSS string, for the style sheet: in <style> HTML
 * escapes mean nothing, so each character that could end the string, the
 * rule or the element is a CSS escape; glued spaces are made no-break.
 * Past max_chars characters, an ellipsis ends it. */
void at_html_css_string(at_html *h, const char *s, size_t max_chars);

/* A label template filled in (as at_html_labelf), as a CSS string. */
void at_html_css_labelf(at_html *h, const char *fmt, ...);

/* Plain text, escaped for an element or a quoted attribute (glued spaces
 * made no-break, as in every text the page shows). */
void at_html_text(at_html *h, const char *s);
void at_html_textn(at_html *h, const char *s, size_t len);

/* A Markdown text as HTML, through the text layer (text.h): cmark-gfm in
 * its safe mode, so raw HTML and the links the link policy refuses never
 * reach the page. inline_only: an inline text (title, item, caption).
 * Glued spaces are made no-break. */
void at_html_md(at_html *h, const char *md, int inline_only);

/* An inline Markdown text as escaped plain text, for attributes and SVG
 * labels. */
void at_html_md_plain(at_html *h, const char *md);

/* Renders md, an inline text, as plain text into h->tmp (cleared first)
 * and returns it. */
const char *at_html_plain(at_html *h, const char *md);

/* A URL as a safe link around an escaped label; one that at_url_dangerous
 * refuses is an <a> without href. */
void at_html_link(at_html *h, const char *url, const char *label);

/* <figure> with the processed picture (figure.h) inlined as a data: URI
 * so the page stays one self-contained file; an SVG stays vector. */
void at_html_figure(at_html *h, const at_figure *fig);

/* One force-field picture for a question, when its sub-groups gave at
 * least one driver or brake; num is the question's 1-based number. */
void at_html_force_field(at_html *h, const at_question *q, size_t num);

/* The page's style sheet, rule by rule, NULL-terminated. */
extern const char *const at_html_style[];

/* The session's words in the printed pages' margins (html_style.c): an
 * @page rule to write after at_html_style. A title longer than this many
 * characters is cut there, as more would spill over the page. */
#define AT_HTML_MARGIN_TITLE_MAX 150
void at_html_page_margins(at_html *h);

#endif
