/* cellxml.h: rows.c's cells as SpreadsheetML, the one rule of every sheet
 * atelier writes itself rather than through libxlsxwriter: the merged
 * workbook (src/tree/bookxml.c) and the rows of a session's own
 * Contributions sheet (src/emit/emit_xlsx_rows.c). A text is an inline
 * string, cleaned and escaped by xml_out.h, so a row's XML does not
 * depend on the rows before it; a number reads back exactly; a date is
 * Excel's day number under a date style. */
#ifndef ATELIER_CELLXML_H
#define ATELIER_CELLXML_H

#include <stddef.h>

#include "buf.h"
#include "rows.h"
#include "xml_out.h"

/* A cell at row (from 1) and col (from 0), its address written ("C12");
 * row 0 for none: the cell then follows the one before it, and an empty
 * cell is written as <c/> to hold its place. style: the index of its
 * style in the workbook's cellXfs, -1 for none. */
void at_cellxml_text(at_buf *out, at_xml_tmp *t, size_t row, unsigned col,
		     const char *s, int style);
/* c as a cell: its text under style, its number under style, its date
 * under date_style. With an address, an empty cell writes nothing. */
void at_cellxml_cell(at_buf *out, at_xml_tmp *t, size_t row, unsigned col,
		     const at_cell *c, int style, int date_style);

/* The letters of the column numbered col from 0: "A", "Z", "AA". */
void at_cellxml_col(at_buf *out, unsigned col);

#endif
