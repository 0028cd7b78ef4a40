/* pdf_text.h: the PDF's paragraphs. A paragraph is built from plain
 * texts (names, labels) and from the session's Markdown read as styled
 * runs (text.h: at_text_runs), then becomes a block of the flow
 * (pdf_layout.h): one Pango layout with its attributes and its links. A
 * block text (context, method, synthesis, a note) becomes the blocks its
 * Markdown holds: paragraphs, headings, nested lists, quotes, code,
 * tables. A link shows its target after its text when the two differ,
 * as a printed page must. */
#ifndef ATELIER_PDF_TEXT_H
#define ATELIER_PDF_TEXT_H

#include "pdf_layout.h"

/* Styles beyond text.h's AT_RUN_*, for atelier's own words. */
enum {
	PDF_RUN_SMALL = 16,  /* smaller, in the sans */
	PDF_RUN_GREY = 32,
	PDF_RUN_SANS = 64
};

typedef struct pdf_para {
	pdf_doc *d;
	at_buf text;
	PangoAttrList *attrs;
	pdf_link *links;
	size_t n_links, cap;
	size_t hang;         /* bytes of a list marker the lines hang under */
	char *url;           /* the link being written (owned), and where
				it began */
	size_t url_start;
	size_t unbroken;     /* characters since the last break opportunity */
	int oom;
} pdf_para;

void pdf_para_init(pdf_para *p, pdf_doc *d);
void pdf_para_free(pdf_para *p);

/* Appends plain text (len bytes) with styles (AT_RUN_*, PDF_RUN_*),
 * linked to url when not NULL. */
void pdf_para_put(pdf_para *p, const char *s, size_t len, unsigned flags,
		  const char *url);
void pdf_para_puts(pdf_para *p, const char *s, unsigned flags);
/* Appends an internal link's text, to destination dest. */
void pdf_para_dest(pdf_para *p, const char *s, unsigned flags,
		   const char *dest);
/* Appends an inline Markdown text, each run with flags too. */
void pdf_para_md(pdf_para *p, const char *md, unsigned flags);
/* Marks the text so far as a list marker the next lines hang under. */
void pdf_para_hang(pdf_para *p);
/* Whether nothing is written yet. */
int pdf_para_empty(const pdf_para *p);

/* The paragraph as a block in style st, width points wide, dx from the
 * column's left, `before` points under what precedes it; p is emptied.
 * An empty paragraph gives an empty block (lay NULL, no height). */
void pdf_para_block(pdf_para *p, pdf_block *b, pdf_style st, double dx,
		    double width, double before);

/* Adds a block text's blocks to the flow, dx from the column's left,
 * width points wide. Headings inside it are sunk under the report's. */
void pdf_md_blocks(pdf_doc *d, const char *md, double dx, double width);

#endif
