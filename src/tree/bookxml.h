/* bookxml.h: the merged workbook's XML, written by pieces that can be
 * compressed apart and joined (book.c). A session's rows do not depend on
 * where they land: no row or cell carries its address (both are optional
 * in SpreadsheetML and read in order), texts are inline rather than in a
 * shared table, and a link is a HYPERLINK formula. So a worker compresses
 * its session's rows once, and the workbook is its head, every session's
 * compressed rows as they are, and its tail. */
#ifndef ATELIER_BOOKXML_H
#define ATELIER_BOOKXML_H

#include <stddef.h>
#include <stdint.h>

#include "atelier/atelier.h"
#include "buf.h"
#include "piece.h"
#include "rows.h"
#include "xml_out.h"

#define AT_BOOK_FIRST_COL 2  /* the session's file, then its report */
#define AT_BOOK_MAX_ROWS 1048576u /* per sheet, header included */

/* One row: the session as shown, its report's URL relative to OUT (or
 * NULL), then rows.c's cells. */
void at_bookxml_row(at_buf *out, at_xml_tmp *t, const char *shown,
		    const char *url, const at_cell *cells);

/* A sheet's XML up to its header row included, and after its last row
 * (rows: how many, header included). */
void at_bookxml_sheet_head(at_buf *out, at_lang lang);
void at_bookxml_sheet_tail(at_buf *out, size_t rows);

/* The workbook's other parts, for its sheets' names. */
void at_bookxml_content_types(at_buf *out, size_t sheets);
void at_bookxml_workbook(at_buf *out, at_lang lang, const size_t *rows,
			 size_t sheets);
void at_bookxml_workbook_rels(at_buf *out, size_t sheets);
void at_bookxml_styles(at_buf *out);
void at_bookxml_root_rels(at_buf *out);
void at_bookxml_core(at_buf *out, long long timestamp);
void at_bookxml_app(at_buf *out);
/* A sheet's name: "Contributions", then "Contributions 2"... */
void at_bookxml_sheet_name(at_buf *out, at_lang lang, size_t index);

#endif
