/* odt_out.h: what the files of the ODT compte-rendu share (emit_odt.c
 * walks the outline, odt_text.c writes texts, links and figures into
 * content.xml, odt_parts.c writes the other parts and the container).
 * Internal to the ODT emitter. */
#ifndef ATELIER_ODT_OUT_H
#define ATELIER_ODT_OUT_H

#include "atelier/emitter.h"
#include "buf.h"
#include "labels.h"
#include "outline.h"
#include "text.h"
#include "xml_out.h"

struct at_image;

/* An image stored once under Pictures/, however many places show it. */
typedef struct at_odt_pic {
	const struct at_image *im;  /* the figure set's: key and bytes */
	const struct at_image *png; /* an SVG's raster twin, or NULL */
	unsigned n;                 /* Pictures/N.ext */
} at_odt_pic;

/* A question's force field, drawn by ff_image.c: Pictures/ff-N.svg and
 * its PNG twin. */
typedef struct at_odt_ff {
	at_buf svg, png;
	size_t num;
} at_odt_ff;

typedef struct at_odt {
	const at_session *s;
	const at_labels *l;
	const at_emit_options *o;
	at_diags *d;
	at_status status;  /* the first failure; writing goes on harmlessly */
	at_outline ol;     /* what the document says (outline.h) */
	at_buf x;          /* content.xml */
	at_buf words;      /* the outline's words, before escaping */
	at_buf tmp;        /* scratch: one plain text at a time */
	at_xml_tmp xt;
	struct at_figure_set *figs, *own_figs;
	at_odt_pic *pics;  /* in the order first shown */
	size_t n_pics, cap_pics;
	size_t *pic_slot;  /* open addressing on the image pointer: index + 1 */
	size_t n_slots;
	at_odt_ff *ffs;    /* the force fields drawn, in order */
	size_t n_ffs, cap_ffs;
	unsigned frames;   /* draw:frame names */
	unsigned tables;   /* table:table names */
	int items;         /* list items open: no table may stand in one */
} at_odt;

int at_odt_init(at_odt *w, const at_session *s, const at_emit_options *o,
		at_diags *d);
void at_odt_free(at_odt *w);
/* Keeps the first failure; writing goes on harmlessly after it. */
void at_odt_fail(at_odt *w, at_status st);

/* Markup, as is. */
void at_odt_puts(at_odt *w, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void at_odt_printf(at_odt *w, const char *fmt, ...);

/* Plain text as ODF text: cleaned and escaped (xml_out.h), runs of
 * spaces, tabs and line breaks as text:s, text:tab and text:line-break,
 * French glued spaces no-break (as the HTML page makes them). */
void at_odt_textn(at_odt *w, const char *s, size_t len);
void at_odt_text(at_odt *w, const char *s);
/* A label template filled in ("%d min"), as text. */
void at_odt_labelf(at_odt *w, const char *fmt, ...);
/* The outline's words (w->words) as text. */
void at_odt_words(at_odt *w);

/* An inline Markdown text as styled runs inside the paragraph open. */
void at_odt_md(at_odt *w, const char *md);
/* An inline Markdown text as plain text, escaped only (attributes, alt
 * texts: no ODF element inside). */
void at_odt_md_plain(at_odt *w, const char *md);
/* A block Markdown text as paragraphs, lists, tables; its headings at
 * outline level `level` + theirs. para: the style of its paragraphs. */
void at_odt_block(at_odt *w, const char *md, int level, const char *para);

/* A link around an escaped label; a refused one is its label alone. */
void at_odt_link(at_odt *w, const char *url, const char *label);

/* <text:p style> ... </text:p> around a plain text. */
void at_odt_para(at_odt *w, const char *style, const char *text);
/* A heading at an outline level, with a bookmark anchor (NULL: none);
 * the caller writes its content between open and close. */
void at_odt_h_open(at_odt *w, int level, const char *anchor);
void at_odt_h_close(at_odt *w);

/* A figure as an image paragraph (draw:frame, draw:image with its PNG
 * twin for an SVG, svg:title and svg:desc) and its caption. */
void at_odt_figure(at_odt *w, const at_figure *fig);
/* Processes every figure first: one that cannot be read is diagnosed
 * before the document starts. */
at_status at_odt_check_figures(at_odt *w);

/* Question q's force field (number num), when its sub-groups gave a
 * driver or a brake: the image (SVG with its PNG twin) and its caption,
 * the counts and how to read it (odt_forcefield.c). */
void at_odt_force_field(at_odt *w, const at_question *q, size_t num);
void at_odt_ff_free(at_odt *w);

/* A new table:name: "Table3". */
unsigned at_odt_table_no(at_odt *w);

/* content.xml (w->x) before its body, with the automatic styles of its
 * tables and frames, and after it; styles.xml: the named styles a reader
 * restyles by, the page, its header and footer (odt_styles.c). */
void at_odt_content_open(at_odt *w);
void at_odt_content_close(at_odt *w);
void at_odt_styles(at_odt *w, at_buf *b);

/* The whole document: content.xml (w->x, closed here), styles, meta,
 * manifest, pictures, as one zip written to out. */
at_status at_odt_write(at_odt *w, FILE *out);

#endif
