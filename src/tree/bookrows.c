/* bookrows.c: a session's part of the merged workbook, written by a
 * worker and read back by the parent (see bookrows.h).
 *
 * The format: a first line AT_BOOKROWS_VERSION; for each piece a line
 * "p ROWS CRC LEN SIZE SUM" then SIZE bytes of raw deflate; last "z" and
 * the number of pieces, so that a file cut short is known. CRC is the
 * XML's, SUM the CRC-32 of the compressed bytes (both in hex): the parent
 * copies them without inflating, so damage is found by SUM, at the cost
 * of a CRC over the compressed bytes only. */
#define _POSIX_C_SOURCE 200809L
#include "bookrows.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "output.h"
#include "readfile.h"
#include "rows.h"

char *at_bookrows_path(const char *stem)
{
	const char *slash = strrchr(stem, '/');
	size_t dir = slash ? (size_t)(slash - stem) + 1 : 0;
	at_buf p;
	at_buf_init(&p);
	at_buf_put(&p, stem, dir);
	at_buf_printf(&p, ".%s%s", stem + dir, AT_BOOKROWS_SUFFIX);
	return p.oom ? (at_buf_free(&p), NULL) : at_buf_take(&p);
}

typedef struct writer {
	const at_session *s;
	at_lang lang;
	const char *shown, *url;
	at_rows rows;
	at_buf row;           /* one row's XML at a time */
	at_xml_tmp xml;
	at_piece cur;         /* the piece being filled */
	size_t cur_rows;
	at_buf done;          /* the pieces ended, as the file holds them */
	size_t n_done;
	at_status st;
} writer;

static void end_piece(writer *w)
{
	if (at_piece_end(&w->cur, 0) != AT_OK) {
		w->st = AT_ENOMEM;
		return;
	}
	uint32_t sum = (uint32_t)crc32(0L, (const Bytef *)w->cur.bytes.s,
				       (uInt)w->cur.bytes.len);
	at_buf_printf(&w->done, "p %zu %08" PRIx32 " %" PRIu64 " %zu %08" PRIx32 "\n",
		      w->cur_rows, w->cur.crc, w->cur.len, w->cur.bytes.len, sum);
	at_buf_put(&w->done, w->cur.bytes.s, w->cur.bytes.len);
	at_piece_free(&w->cur);
	w->n_done++;
	w->cur_rows = 0;
}

static int write_row(const at_contribution *k, void *ctx)
{
	writer *w = ctx;
	if (w->cur_rows == AT_BOOK_MAX_ROWS - 1) {
		end_piece(w);
		if (w->st == AT_OK && at_piece_begin(&w->cur) != AT_OK)
			w->st = AT_ENOMEM;
	}
	if (w->st == AT_OK)
		w->st = at_rows_fill(&w->rows, k);
	if (w->st != AT_OK)
		return 1;
	at_buf_clear(&w->row);
	at_bookxml_row(&w->row, &w->xml, w->shown, w->url, w->rows.cells);
	at_piece_put(&w->cur, w->row.s, w->row.len);
	w->cur_rows++;
	if (w->row.oom || w->cur.failed)
		w->st = AT_ENOMEM;
	return w->st != AT_OK;
}

struct at_bookrows {
	at_buf done; /* the pieces, as the file holds them */
	size_t n_done;
};

at_status at_bookrows_put(FILE *f, void *ctx)
{
	const at_bookrows *r = ctx;
	fputs(AT_BOOKROWS_VERSION "\n", f);
	fwrite(r->done.s ? r->done.s : "", 1, r->done.len, f);
	fprintf(f, "z%zu\n", r->n_done);
	return AT_OK;
}

at_bookrows *at_bookrows_make(const at_session *s, at_lang lang,
			      const char *shown, const char *url)
{
	writer w;
	memset(&w, 0, sizeof w);
	w.s = s;
	w.lang = lang;
	w.shown = shown;
	w.url = url;
	w.st = AT_OK;
	at_xml_tmp_init(&w.xml);
	if (at_rows_init(&w.rows, s, lang) != AT_OK ||
	    at_piece_begin(&w.cur) != AT_OK) {
		at_rows_free(&w.rows);
		return NULL;
	}
	at_session_walk(s, write_row, &w);
	if (w.st == AT_OK && w.cur_rows)
		end_piece(&w);
	at_piece_free(&w.cur);
	at_rows_free(&w.rows);
	at_buf_free(&w.row);
	at_xml_tmp_free(&w.xml);
	at_bookrows *r = w.st == AT_OK && !w.done.oom ? malloc(sizeof *r)
						      : NULL;
	if (!r) {
		at_buf_free(&w.done);
		return NULL;
	}
	r->done = w.done;
	r->n_done = w.n_done;
	return r;
}

void at_bookrows_free(at_bookrows *r)
{
	if (!r)
		return;
	at_buf_free(&r->done);
	free(r);
}

/* ---- reading back ---- */

/* The line "p ROWS CRC LEN SIZE" at *p, then its bytes; 0 when it is not
 * one, or its bytes run past end. */
static int read_piece(const char **p, const char *end, at_bookrows_piece *out)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl || nl - *p > 100)
		return 0;
	char line[128];
	memcpy(line, *p, (size_t)(nl - *p));
	line[nl - *p] = '\0';
	unsigned long long rows, len, size;
	unsigned long crc, sum;
	char tail;
	if (sscanf(line, "p %llu %8lx %llu %llu %8lx%c", &rows, &crc, &len,
		   &size, &sum, &tail) != 5 ||
	    rows == 0 || rows >= AT_BOOK_MAX_ROWS ||
	    size > (unsigned long long)(end - nl - 1) || size > UINT32_MAX ||
	    crc32(0L, (const Bytef *)nl + 1, (uInt)size) != sum)
		return 0;
	out->rows = (size_t)rows;
	out->crc = (uint32_t)crc;
	out->len = len;
	out->bytes = nl + 1;
	out->size = (size_t)size;
	*p = nl + 1 + size;
	return 1;
}

at_status at_bookrows_read(const char *path, at_bookrows_fn fn, void *ctx)
{
	/* a file of ours under OUT: never a link, never a FIFO */
	size_t len = 0;
	char *text = at_read_regular(path, AT_READ_NO_LINK, SIZE_MAX, &len);
	if (!text)
		return AT_EIO;
	const char *head = AT_BOOKROWS_VERSION "\n";
	size_t hl = strlen(head);
	at_status st = AT_EIO;
	if (len >= hl && memcmp(text, head, hl) == 0) {
		const char *p = text + hl, *end = text + len;
		at_bookrows_piece piece;
		size_t n = 0;
		int stopped = 0;
		while (!stopped && p < end && *p == 'p' &&
		       read_piece(&p, end, &piece)) {
			n++;
			stopped = fn(ctx, &piece) != 0;
		}
		char want[32];
		snprintf(want, sizeof want, "z%zu\n", n);
		if (stopped || ((size_t)(end - p) == strlen(want) &&
				memcmp(p, want, strlen(want)) == 0))
			st = AT_OK;
	}
	free(text);
	return st;
}
