/* pdf_emit.h: what the PDF emitter's files share: the emitter's state
 * over one pass of the walk, and the pieces of the walk each file
 * writes (emit_pdf.c: items, headings, the parts' loop; pdf_parts.c:
 * the parts with tables and columns; pdf_page.c: the pages' furniture,
 * the metadata, the figures' check). */
#ifndef ATELIER_PDF_EMIT_H
#define ATELIER_PDF_EMIT_H

#include <stdio.h>

#include "atelier/emitter.h"
#include "labels.h"
#include "outline.h"
#include "pdf_layout.h"
#include "pdf_text.h"

typedef struct pdf_emit {
	const at_session *s;
	const at_emit_options *o;
	at_diags *d;
	const at_labels *l;
	at_outline ol;
	pdf_doc doc;             /* the pass's document */
	pdf_para p;              /* the paragraph being written */
	double x, w;             /* the column written into: its left (from
				    the margin, or the column's) and width */
	at_buf words, tmp;       /* plain texts of the outline's */
	at_buf title;            /* the session's title as plain text */
	at_status status;        /* the figures' check */
	struct at_figure_set *figs, *own_figs;
	int pages;               /* measured by the first pass */
	struct {
		int v[8];
		size_t n;
	} part_pages;            /* where each part starts */
} pdf_emit;

/* emit_pdf.c */
void pdf_items(pdf_emit *e, const at_items *list);
void pdf_figures(pdf_emit *e, const at_figures *figs);
void pdf_put(pdf_emit *e, pdf_style st, double dx, double before);
void pdf_heading(pdf_emit *e, pdf_style st, const char *label);
void pdf_question_heading(pdf_emit *e, pdf_style st, const at_question *q);

/* pdf_parts.c */
void pdf_setup(pdf_emit *e);
void pdf_subgroups(pdf_emit *e, const at_question *q);
void pdf_kit(pdf_emit *e, const at_kit *k);
void pdf_annex(pdf_emit *e);

/* pdf_page.c */
cairo_status_t pdf_write_file(void *closure, const unsigned char *data,
			      unsigned int length);
/* The drawing pass's metadata and page furniture. */
void pdf_page_setup(pdf_emit *e);
/* Every figure read and processed before a page is made: each one that
 * cannot be is diagnosed (figure.h), in one run. */
at_status pdf_check_figures(pdf_emit *e);

#endif
