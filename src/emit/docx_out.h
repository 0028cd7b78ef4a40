/* docx_out.h: what the files of the DOCX compte-rendu share (emit_docx.c
 * walks the outline, docx_xml.c writes paragraphs, runs, links and
 * pictures, docx_text.c turns session Markdown into them, docx_parts.c
 * holds the package's fixed parts): one writer that builds
 * word/document.xml in memory, with the relationships, list instances and
 * media it needs, and the zip they all end in. Internal to the DOCX
 * emitter. */
#ifndef ATELIER_DOCX_OUT_H
#define ATELIER_DOCX_OUT_H

#include <stdio.h>

#include "atelier/emitter.h"
#include "buf.h"
#include "xml_out.h"
#include "labels.h"
#include "outline.h"
#include "zipout.h"

/* The page: A4, margins of 2 cm, in twentieths of a point (twips). */
#define DX_PAGE_W 11906
#define DX_PAGE_H 16838
#define DX_MARGIN 1134
#define DX_TEXT_W (DX_PAGE_W - 2 * DX_MARGIN)
#define DX_TEXT_H (DX_PAGE_H - 2 * DX_MARGIN)
/* A list level's indent (numbering.xml) and Word's deepest level. */
#define DX_INDENT 360
#define DX_MAX_ILVL 8
/* Word opens no table of more columns: past it, a table is written as
 * lines of text (Markdown) or a list (the rotation plan). */
#define DX_MAX_COLS 63
/* The bullet list every item and unordered list uses (numbering.xml);
 * ordered lists get their own instance, from DX_NUM_FIRST on. */
#define DX_NUM_BULLET 1
#define DX_NUM_FIRST 2

/* A run's look, besides the Markdown's own AT_RUN_* flags. */
enum {
	DX_FACTS = 1 << 8,   /* the facts after an item: character style */
	DX_DRIVER = 1 << 9,  /* a section that is a force: its colour */
	DX_BRAKE = 1 << 10
};

/* One processed image already in the package, by its pixels. */
typedef struct dx_media {
	const void *key;
	unsigned rid;
} dx_media;

typedef struct dx {
	const at_session *s;
	const at_labels *l;
	const at_emit_options *o;
	at_diags *d;
	at_status status;    /* the first failure; writing goes on harmlessly */
	at_outline ol;
	at_buf doc;          /* word/document.xml's body */
	at_buf rels;         /* word/_rels/document.xml.rels' entries */
	at_buf nums;         /* numbering.xml's ordered-list instances */
	at_buf words;        /* the outline's words, before escaping */
	at_buf tmp, raw;     /* scratch */
	at_xml_tmp xt;       /* XML's cleaning, a text at a time */
	at_buf last_url;     /* the last link's target, and its relationship */
	unsigned last_url_rid;
	unsigned open_mark;  /* the bookmark the open paragraph closes, + 1 */
	at_zip *zip;
	unsigned next_rid, next_docpr, next_num, next_mark;
	dx_media *media;
	size_t n_media, cap_media;
	struct at_figure_set *figs, *own_figs;
} dx;

int dx_init(dx *x, const at_session *s, const at_emit_options *o,
	    at_diags *d);
void dx_free(dx *x);
void dx_fail(dx *x, at_status st);
/* The first failure, an allocation that failed in a buffer included. */
at_status dx_status(dx *x);

/* Raw XML, as is. */
void dx_puts(dx *x, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void dx_printf(dx *x, const char *fmt, ...);

/* Plain text escaped for XML onto out: characters XML refuses become
 * U+FFFD (at_text_for_xml), & < > " entities (the one escaper), the
 * spaces French glues to « » ? ! : ; no-break. */
void dx_escape(dx *x, at_buf *out, const char *s, size_t len);
/* The same without the no-break spaces: a value for machines (a link's
 * target, a document property), not a text to lay out. */
void dx_escape_value(dx *x, at_buf *out, const char *s);

/* Paragraphs. style: a paragraph style's id, or NULL for Normal; ilvl >= 0
 * with num: a list paragraph at that level of list instance num; indent:
 * a left indent in twips (0: none); keep: keep with the next. */
typedef struct dx_para {
	const char *style;
	unsigned num;
	int ilvl;
	int indent;
	int keep;
	const char *mark;    /* a bookmark around it: its name, or NULL */
} dx_para;
void dx_p_open(dx *x, const dx_para *p);
void dx_p_close(dx *x);
/* A paragraph of one run of plain text. */
void dx_p_text(dx *x, const char *style, const char *text, unsigned flags);

/* A run of plain text (flags: AT_RUN_* and DX_*), inside a link to url
 * when url is not NULL. */
void dx_run(dx *x, const char *text, size_t len, unsigned flags,
	    const char *url);
void dx_run_s(dx *x, const char *text, unsigned flags);
void dx_break(dx *x);
/* The outline's words (x->words) as one run. */
void dx_run_words(dx *x, unsigned flags);

/* A label template ("%d min") filled in, as one run. Templates are the
 * labels' constants, hence no format attribute (as at_labelf). */
void dx_run_labelf(dx *x, unsigned flags, const char *fmt, ...);

/* An inline Markdown text's runs (docx_text.c), each with extra flags. */
void dx_md_inline(dx *x, const char *md, unsigned flags);
/* An inline Markdown text as plain text into x->tmp. */
const char *dx_plain(dx *x, const char *md);

/* A block Markdown text as paragraphs: its headings sunk to Heading
 * (level + demote), its lists at levels from ilvl0, its paragraphs in
 * style (NULL: Normal) indented as a list text at ilvl0 when ilvl0 > 0;
 * lead, raw runs, opens its first paragraph. */
void dx_md_block(dx *x, const char *md, int demote, int ilvl0,
		 const char *style, const char *lead);

/* Tables: full width, fixed columns, the first `first` twips wide, the
 * others `rest`;
 * a header row repeats at the top of every page the table runs over;
 * a cell closes with a paragraph, as Word requires. */
void dx_table_open(dx *x, size_t cols, int first, int rest);
void dx_row_open(dx *x, int header);
void dx_cell_open(dx *x, int width);
void dx_cell_close(dx *x);
void dx_cell_text(dx *x, int width, const char *style, const char *text);

/* A new ordered list instance starting at start (numbering.xml). */
unsigned dx_new_num(dx *x, int start);

/* An internal link's target, from an anchor of the outline. */
void dx_mark_name(at_buf *out, const char *anchor, size_t num);

/* A picture in a run of its own, max_w twips wide at most (and a page
 * high): the processed image of fig, an SVG with its PNG. A figure
 * paragraph, then its caption. */
void dx_figure(dx *x, const at_figure *fig, int indent, int max_w);
/* An image from bytes (a drawing of atelier's own: the force field),
 * w_pt by h_pt, alt its description. */
void dx_picture(dx *x, const at_buf *svg, const at_buf *png, double w_pt,
		double h_pt, const char *alt);

/* Processes every figure first, so that each one that cannot be used is
 * diagnosed in one run, before anything is built. */
at_status dx_check_figures(dx *x);

/* The package's parts (docx_parts.c): its first ones, and the start of
 * the document; then, once the body is written, the rest. */
at_status dx_add_head(dx *x);
at_status dx_add_parts(dx *x);

#endif
