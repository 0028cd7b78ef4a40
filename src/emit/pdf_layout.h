/* pdf_layout.h: the PDF's flow engine. Blocks (Pango layouts, images)
 * go down A4 pages between margins, line by line, so a paragraph longer
 * than a page breaks between its lines; a heading is kept with what
 * follows it; a row of columns (a group's grid, a table's row) is laid
 * out column by column and drawn page by page; a table repeats its
 * header row on each page it continues on. The same walk runs twice: a
 * measuring pass that only counts pages and notes where each heading
 * fell, then the drawing pass, which knows the page count and the table
 * of contents' numbers (pdf_doc.measure). */
#ifndef ATELIER_PDF_LAYOUT_H
#define ATELIER_PDF_LAYOUT_H

#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <librsvg/rsvg.h>

#include "buf.h"

/* A4 in points, and the page's furniture. */
#define PDF_PAGE_W 595.276
#define PDF_PAGE_H 841.890
#define PDF_MARGIN_X 62.0
#define PDF_MARGIN_TOP 64.0
#define PDF_MARGIN_BOTTOM 62.0

/* Text styles: each a font and a size (pdf_layout.c: styles[]). */
typedef enum pdf_style {
	PDF_BODY,       /* the session's texts */
	PDF_SMALL,      /* facts, captions, the footer */
	PDF_TITLE,      /* the cover's title */
	PDF_H1,         /* a part */
	PDF_H2,         /* a question */
	PDF_H3,         /* a group, a rotation plan */
	PDF_H4,         /* a section of a group */
	PDF_CELL,       /* a table's cell */
	PDF_N_STYLES
} pdf_style;

/* A link over bytes [start, end) of a block's text: a URL, or (internal)
 * a named destination of the document. */
typedef struct pdf_link {
	unsigned start, end;
	char *target;
	int internal;
} pdf_link;

/* An image drawn at w x h points: an SVG (vectors) or a raster surface. */
typedef struct pdf_image {
	RsvgHandle *svg;
	cairo_surface_t *raster;
	double w, h;
} pdf_image;

/* One block of the flow. Made by pdf_text.c's builder or pdf_image_block;
 * owned by whoever holds it until pdf_block_free. */
typedef struct pdf_block {
	PangoLayout *lay;      /* NULL for an image or a spacer */
	pdf_image img;
	double dx;             /* from the column's left edge */
	double before;         /* space above it */
	int keep;              /* keep with the next block (a heading) */
	char *dest;            /* a named destination at its top */
	pdf_link *links;
	size_t n_links;
	/* An outline entry for it when drawn: its title and level (0: none,
	 * 1 a part, 2 a question). */
	char *mark;
	int mark_level;
} pdf_block;

void pdf_block_free(pdf_block *b);

/* A list of blocks: a column of a row, a pending heading, a table cell. */
typedef struct pdf_blocks {
	pdf_block *v;
	size_t n, cap;
} pdf_blocks;

void pdf_blocks_free(pdf_blocks *bs);
/* Moves *b into the list (b is zeroed); -1 on OOM (b freed). */
int pdf_blocks_add(pdf_blocks *bs, pdf_block *b);

/* Draws the page furniture on page `page` (1-based) of `pages`. */
typedef void (*pdf_furniture_fn)(void *ctx, cairo_t *cr, int page,
				 int pages);

typedef struct pdf_doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pango;
	PangoFontDescription *font[PDF_N_STYLES];
	int measure;           /* the measuring pass: nothing drawn */
	int page;              /* 1-based, the page being filled */
	int pages;             /* the drawing pass: the measured count */
	double y;              /* where the next block goes */
	int at_top;            /* nothing placed on this page yet */
	pdf_blocks pending;    /* headings waiting for what follows them */
	pdf_blocks *into;      /* non-NULL: blocks go there, not on pages
				  (a column being filled) */
	int outline[3];        /* the last outline ids by level (0: root) */
	int part_page[8];      /* where each level-1 mark fell, in order */
	size_t n_parts;
	struct {
		char text[16];
		pdf_style st;
		double w;
	} widths[16];           /* list markers' widths, measured once */
	size_t n_widths;
	pdf_furniture_fn furniture;
	void *furniture_ctx;
	int oom;
} pdf_doc;

/* The document on stream `write` (NULL in the measuring pass, which
 * writes nothing). -1 on failure. */
int pdf_doc_init(pdf_doc *d, cairo_write_func_t write, void *closure,
		 int measure);
/* Ends the last page and the document (cairo writes it then). */
cairo_status_t pdf_doc_finish(pdf_doc *d);
void pdf_doc_free(pdf_doc *d);

double pdf_content_width(void);

/* A layout in a style, width points wide (0: one line, not wrapped). */
PangoLayout *pdf_layout_new(pdf_doc *d, pdf_style st, double width);

/* The width of a short text (a list marker) in style st. */
double pdf_text_width(pdf_doc *d, pdf_style st, const char *s, size_t len);

/* Puts a block on the flow (or into d->into); takes it over. */
void pdf_add(pdf_doc *d, pdf_block *b);
/* Places every pending heading (at the end of the document). */
void pdf_flush(pdf_doc *d);
/* Starts a new page unless this one is empty; the pending headings go
 * on it. */
void pdf_break_page(pdf_doc *d);
/* Vertical space. */
void pdf_space(pdf_doc *d, double pt);

/* A row of n columns at x offsets xs (from the left margin): each
 * column's blocks down from the same top, across pages as needed; the
 * flow continues under the longest. header (NULL, or a table's header
 * row: n columns, kept by the caller) is drawn shaded at the top of each
 * page the row starts or continues on, and before the row when
 * with_header (a table's first row). Takes the row's blocks over. */
void pdf_row(pdf_doc *d, pdf_blocks *cols, const double *xs, size_t n,
	     pdf_blocks *header, int with_header);

/* Whether a row of columns stands on one page: here (PDF_FITS_HERE),
 * on the next one, this one being mostly used (PDF_FITS_PAGE: break
 * the page first), or not (0): its columns, read across a page break,
 * would mix their texts, so the caller writes them one after the other. */
enum { PDF_FITS_HERE = 1, PDF_FITS_PAGE = 2 };
int pdf_row_fits(const pdf_doc *d, const pdf_blocks *cols, size_t n);

/* An image block w x h points from bytes of mime type (SVG, PNG,
 * JPEG), scaled to at most max_w x max_h; -1 when it cannot be read. */
int pdf_image_block(pdf_block *b, const void *data, size_t len,
		    const char *mime, int px_w, int px_h, double max_w,
		    double max_h);

/* An SVG image block of w x h points (0: its own size), scaled to at
 * most max_w x max_h, drawn as vectors; -1 when librsvg cannot read it. */
int pdf_svg_block(pdf_block *b, const void *data, size_t len, double w,
		  double h, double max_w, double max_h);

/* Appends s as a string inside single quotes of a cairo tag's
 * attributes. */
void pdf_attr_string(at_buf *b, const char *s);

#endif
