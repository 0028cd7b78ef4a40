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
#include "rows.h"

#define AT_BOOK_FIRST_COL 2  /* the session's file, then its report */
#define AT_BOOK_MAX_ROWS 1048576u /* per sheet, header included */

/* One row: the session as shown, its report's URL relative to OUT (or
 * NULL), then rows.c's cells. */
void at_bookxml_row(at_buf *out, const char *shown, const char *url,
		    const at_cell *cells);

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

/* Raw deflate that can be joined: a piece of the sheet's XML compressed
 * on its own, ended by a sync flush (byte-aligned, not final), so pieces
 * compressed apart, put end to end, are one deflate stream; the last one
 * joined is final. Its CRC-32 and length combine (crc32_combine). */
typedef struct at_piece {
	at_buf bytes;      /* compressed */
	uint32_t crc;
	uint64_t len;      /* uncompressed */
	int failed;
	void *z;           /* zlib's stream while open */
} at_piece;

at_status at_piece_begin(at_piece *p);
/* Compresses data (streamed: a session's rows never sit in memory
 * uncompressed). */
void at_piece_put(at_piece *p, const char *data, size_t len);
/* Ends the piece: final set for the last piece of a stream. */
at_status at_piece_end(at_piece *p, int final);
void at_piece_free(at_piece *p);

#endif
