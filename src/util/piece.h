/* piece.h: raw deflate that can be joined. A piece of a zip entry's
 * content compressed on its own, ended by a sync flush (byte-aligned, not
 * final), so pieces compressed apart, put end to end, are one deflate
 * stream; the last one joined is final. Their CRC-32 and lengths combine
 * (crc32_combine). The merged workbook joins every session's rows this
 * way (src/tree/book.c), and a session's own workbook its sheet around
 * the rows (src/emit/emit_xlsx_rows.c). */
#ifndef ATELIER_PIECE_H
#define ATELIER_PIECE_H

#include <stddef.h>
#include <stdint.h>

#include "atelier/atelier.h"
#include "buf.h"

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

/* The CRC-32 of a's bytes then b's, from a's, b's and b's length. */
uint32_t at_piece_crc_join(uint32_t a, uint32_t b, uint64_t b_len);

#endif
