/* piece.c: joinable raw deflate (see piece.h). */
#include "piece.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* zlib's level 2: spreadsheet rows repeat their session's texts, which
 * its fast matcher finds; a session's sheet takes 1.2 ms against 3.5 ms
 * at the default level, for 20 % more bytes (docs/performance.md). */
#define PIECE_LEVEL 2

static void drain(at_piece *p, int flush)
{
	z_stream *z = p->z;
	int rc;
	do {
		char *room = at_buf_extend(&p->bytes, 65536);
		if (!room) {
			p->failed = 1;
			return;
		}
		z->next_out = (Bytef *)room;
		z->avail_out = 65536;
		rc = deflate(z, flush);
		p->bytes.len -= z->avail_out;
		if (rc == Z_STREAM_ERROR) {
			p->failed = 1;
			return;
		}
	} while (z->avail_out == 0 ||
		 (flush == Z_FINISH && rc != Z_STREAM_END));
}

at_status at_piece_begin(at_piece *p)
{
	memset(p, 0, sizeof *p);
	at_buf_init(&p->bytes);
	p->crc = (uint32_t)crc32(0L, Z_NULL, 0);
	z_stream *z = calloc(1, sizeof *z);
	if (!z || deflateInit2(z, PIECE_LEVEL, Z_DEFLATED, -15, 8,
			       Z_DEFAULT_STRATEGY) != Z_OK) {
		free(z);
		return AT_ENOMEM;
	}
	p->z = z;
	return AT_OK;
}

void at_piece_put(at_piece *p, const char *data, size_t len)
{
	z_stream *z = p->z;
	while (len && !p->failed) {
		uInt n = len > 1u << 30 ? 1u << 30 : (uInt)len;
		p->crc = (uint32_t)crc32(p->crc, (const Bytef *)data, n);
		p->len += n;
		z->next_in = (Bytef *)(uintptr_t)data;
		z->avail_in = n;
		drain(p, Z_NO_FLUSH);
		data += n;
		len -= n;
	}
}

at_status at_piece_end(at_piece *p, int final)
{
	z_stream *z = p->z;
	z->next_in = Z_NULL;
	z->avail_in = 0;
	if (!p->failed)
		drain(p, final ? Z_FINISH : Z_SYNC_FLUSH);
	deflateEnd(z);
	free(z);
	p->z = NULL;
	return p->failed || p->bytes.oom ? AT_ENOMEM : AT_OK;
}

void at_piece_free(at_piece *p)
{
	if (p->z) {
		deflateEnd(p->z);
		free(p->z);
		p->z = NULL;
	}
	at_buf_free(&p->bytes);
}

uint32_t at_piece_crc_join(uint32_t a, uint32_t b, uint64_t b_len)
{
	return (uint32_t)crc32_combine(a, b, (z_off_t)b_len);
}
