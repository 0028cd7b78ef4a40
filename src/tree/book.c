/* book.c: OUT/contributions.xlsx, the Contributions rows of every session
 * of a folder build in one workbook, each row with its session and a link
 * back to the session's report.
 *
 * Assembled, not computed: each session's rows were written and
 * compressed by its worker (bookrows.h), and the workbook's sheet is its
 * head, those compressed pieces copied as they are, and its tail, joined
 * into one zip entry through minizip's raw mode with their CRCs combined.
 * So remaking the workbook after one session changed costs a copy of the
 * others, and its bytes are the same whatever the order sessions were
 * built in. Past the format's 1,048,576 rows a sheet continues on the next
 * (a session's rows are not split between two sheets unless they fill one
 * alone).
 *
 * Its own words (sheet names, headers) follow --lang, else the sessions'
 * language when they all agree, else French (at_lang_fold): decided when
 * every session is known, as nothing is written before. */
#define _POSIX_C_SOURCE 200809L
#include "book.h"

#include <errno.h>
#include <minizip/zip.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "bookrows.h"
#include "buf.h"
#include "labels.h"
#include "output.h"
#include "zipout.h"

struct at_book {
	at_buf path, tmp;
	at_diags *d;
	int lang;          /* given, or -1: the sessions' */
	int fold;          /* the sessions' languages so far */
	at_book_session *v; /* each session's name and rows file, in order */
	size_t n, cap;
	int oom;
};

/* ---- writing the zip ---- */

typedef struct writer {
	zipFile zf;
	zip_fileinfo when;
	at_lang lang;
	int open;          /* a sheet entry is open */
	size_t sheets;
	size_t *sheet_rows; /* header included, per sheet */
	uint32_t crc;      /* of the open sheet so far */
	uint64_t len;
	at_status st;
	const at_book_session *failed; /* whose rows could not be read */
} writer;

static void fail(writer *w, at_status st)
{
	if (w->st == AT_OK)
		w->st = st;
}

/* Appends a compressed piece to the open sheet. */
static void put_piece(writer *w, const char *bytes, size_t size,
		      uint32_t crc, uint64_t len)
{
	for (size_t off = 0; off < size && w->st == AT_OK;) {
		unsigned n = size - off > 1u << 30 ? 1u << 30
						   : (unsigned)(size - off);
		if (zipWriteInFileInZip(w->zf, bytes + off, n) != ZIP_OK)
			fail(w, AT_EIO);
		off += n;
	}
	w->crc = at_piece_crc_join(w->crc, crc, len);
	w->len += len;
	if (w->len >= 0xFFFFFFFFu) /* a zip without zip64 says no more */
		fail(w, AT_EINPUT);
}

/* Compresses xml on its own, as the last piece when final. */
static void put_xml(writer *w, const at_buf *xml, int final)
{
	at_piece p;
	if (xml->oom || at_piece_begin(&p) != AT_OK) {
		fail(w, AT_ENOMEM);
		return;
	}
	at_piece_put(&p, xml->s, xml->len);
	if (at_piece_end(&p, final) != AT_OK)
		fail(w, AT_ENOMEM);
	else
		put_piece(w, p.bytes.s, p.bytes.len, p.crc, p.len);
	at_piece_free(&p);
}

static void open_sheet(writer *w)
{
	size_t *v = realloc(w->sheet_rows, (w->sheets + 1) * sizeof *v);
	if (!v) {
		fail(w, AT_ENOMEM);
		return;
	}
	w->sheet_rows = v;
	v[w->sheets++] = 1;
	char name[48];
	snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml", w->sheets);
	if (zipOpenNewFileInZip2_64(w->zf, name, &w->when, NULL, 0, NULL, 0,
				    NULL, Z_DEFLATED, 6, 1, 0) != ZIP_OK) {
		fail(w, AT_EIO);
		return;
	}
	w->open = 1;
	w->crc = (uint32_t)crc32(0L, Z_NULL, 0);
	w->len = 0;
	at_buf head;
	at_buf_init(&head);
	at_bookxml_sheet_head(&head, w->lang);
	put_xml(w, &head, 0);
	at_buf_free(&head);
}

static void close_sheet(writer *w)
{
	if (!w->open)
		return;
	at_buf tail;
	at_buf_init(&tail);
	at_bookxml_sheet_tail(&tail, w->sheet_rows[w->sheets - 1]);
	put_xml(w, &tail, 1);
	at_buf_free(&tail);
	if (zipCloseFileInZipRaw64(w->zf, w->len, w->crc) != ZIP_OK)
		fail(w, AT_EIO);
	w->open = 0;
}

static int add_piece(void *ctx, const at_bookrows_piece *p)
{
	writer *w = ctx;
	size_t *rows = w->open ? &w->sheet_rows[w->sheets - 1] : NULL;
	if (!rows || *rows + p->rows > AT_BOOK_MAX_ROWS) {
		close_sheet(w);
		if (w->st == AT_OK)
			open_sheet(w);
		if (w->st != AT_OK)
			return 1;
		rows = &w->sheet_rows[w->sheets - 1];
	}
	put_piece(w, p->bytes, p->size, p->crc, p->len);
	*rows += p->rows;
	return w->st != AT_OK;
}

/* A small part, compressed whole. */
static void put_part(writer *w, const char *name, const at_buf *xml)
{
	if (w->st != AT_OK)
		return;
	if (xml->oom) {
		fail(w, AT_ENOMEM);
		return;
	}
	if (zipOpenNewFileInZip64(w->zf, name, &w->when, NULL, 0, NULL, 0, NULL,
				  Z_DEFLATED, 6, 0) != ZIP_OK ||
	    zipWriteInFileInZip(w->zf, xml->s, (unsigned)xml->len) != ZIP_OK ||
	    zipCloseFileInZip(w->zf) != ZIP_OK)
		fail(w, AT_EIO);
}

typedef void (*part_fn)(writer *w, at_buf *out);

static void part_types(writer *w, at_buf *o)
{
	at_bookxml_content_types(o, w->sheets);
}
static void part_root_rels(writer *w, at_buf *o)
{
	(void)w;
	at_bookxml_root_rels(o);
}
static void part_app(writer *w, at_buf *o)
{
	(void)w;
	at_bookxml_app(o);
}
static void part_workbook(writer *w, at_buf *o)
{
	at_bookxml_workbook(o, w->lang, w->sheet_rows, w->sheets);
}
static void part_workbook_rels(writer *w, at_buf *o)
{
	at_bookxml_workbook_rels(o, w->sheets);
}
static void part_styles(writer *w, at_buf *o)
{
	(void)w;
	at_bookxml_styles(o);
}

/* The parts after the sheets, which they name. */
static void put_parts(writer *w, long long timestamp)
{
	static const struct {
		const char *name;
		part_fn fn;
	} parts[] = {
		{"[Content_Types].xml", part_types},
		{"_rels/.rels", part_root_rels},
		{"docProps/app.xml", part_app},
		{"xl/workbook.xml", part_workbook},
		{"xl/_rels/workbook.xml.rels", part_workbook_rels},
		{"xl/styles.xml", part_styles},
	};
	at_buf xml;
	at_buf_init(&xml);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		at_buf_clear(&xml);
		parts[i].fn(w, &xml);
		put_part(w, parts[i].name, &xml);
	}
	at_buf_clear(&xml);
	at_bookxml_core(&xml, timestamp);
	put_part(w, "docProps/core.xml", &xml);
	at_buf_free(&xml);
}

static at_status write_book(at_book *bk, long long timestamp)
{
	writer w;
	memset(&w, 0, sizeof w);
	w.st = AT_OK;
	w.lang = bk->lang >= 0 ? (at_lang)bk->lang : at_lang_folded(bk->fold);
	uint16_t t, dd;
	at_zip_dos_datetime(timestamp, &t, &dd);
	w.when.dosDate = ((uLong)dd << 16) | t;
	w.zf = zipOpen64(bk->tmp.s, APPEND_STATUS_CREATE);
	if (!w.zf)
		return AT_EIO;
	for (size_t i = 0; i < bk->n && w.st == AT_OK; i++)
		if (at_bookrows_read(bk->v[i].rows, add_piece, &w) != AT_OK &&
		    w.st == AT_OK) {
			w.st = AT_EIO;
			w.failed = &bk->v[i];
		}
	if (w.st == AT_OK && !w.sheets)
		open_sheet(&w); /* no session: the header alone */
	close_sheet(&w);
	put_parts(&w, timestamp);
	if (zipClose(w.zf, NULL) != ZIP_OK)
		fail(&w, AT_EIO);
	if (w.failed)
		at_diag_add(bk->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "%s: cannot read the rows of %s from %s: build "
			    "again with --force",
			    AT_BOOK_NAME, w.failed->name, w.failed->rows);
	else if (w.st == AT_EINPUT)
		at_diag_add(bk->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "%s: its sheets would pass 4 GiB, more than a "
			    "workbook holds",
			    AT_BOOK_NAME);
	else if (w.st != AT_OK)
		at_diag_add(bk->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot write %s", bk->path.s);
	free(w.sheet_rows);
	return w.st;
}

/* ---- the book's life ---- */

/* The workbook in a temporary file beside OUT/contributions.xlsx, which
 * it replaces only when closed without error. */
at_book *at_book_open(const char *out_dir, int lang, at_diags *d)
{
	at_book *bk = calloc(1, sizeof *bk);
	if (!bk)
		return NULL;
	at_buf_init(&bk->path);
	at_buf_init(&bk->tmp);
	at_buf_printf(&bk->path, "%s/%s", out_dir, AT_BOOK_NAME);
	at_buf_printf(&bk->tmp, "%s" AT_TMP_TEMPLATE, at_buf_cstr(&bk->path));
	int fd = bk->path.oom || bk->tmp.oom
			 ? -1
			 : at_tmp_create(bk->tmp.s, AT_TMP_SHARED);
	if (fd < 0) {
		if (!bk->tmp.oom)
			at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0,
				    "cannot write %s: %s", bk->path.s,
				    strerror(errno));
		at_buf_free(&bk->path);
		at_buf_free(&bk->tmp);
		free(bk);
		return NULL;
	}
	close(fd);
	bk->d = d;
	bk->lang = lang;
	bk->fold = -1;
	return bk;
}

void at_book_add(at_book *bk, const at_book_session *s)
{
	if (bk->oom)
		return;
	if (s->lang >= 0)
		bk->fold = at_lang_fold(bk->fold, (at_lang)s->lang);
	at_book_session *v = at_grow(bk->v, &bk->cap, bk->n, sizeof *v, 64);
	char *name = strdup(s->name), *rows = s->rows ? strdup(s->rows) : NULL;
	if (!v || !name || !rows) {
		free(name);
		free(rows);
		bk->oom = 1;
		return;
	}
	bk->v = v;
	v[bk->n++] = (at_book_session){name, rows, s->lang};
}

at_status at_book_close(at_book *bk, long long timestamp, int keep)
{
	at_status rc = AT_OK;
	if (keep && bk->oom)
		rc = AT_ENOMEM;
	else if (keep)
		rc = write_book(bk, timestamp);
	if (keep && rc == AT_OK && rename(bk->tmp.s, bk->path.s) != 0) {
		at_diag_add(bk->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot replace %s: %s", bk->path.s,
			    strerror(errno));
		rc = AT_EIO;
	}
	if (!keep || rc != AT_OK)
		unlink(bk->tmp.s);
	at_tmp_untrack(bk->tmp.s);
	at_book_forget(bk);
	return keep ? rc : AT_OK;
}

void at_book_forget(at_book *bk)
{
	for (size_t i = 0; i < bk->n; i++) {
		free((char *)bk->v[i].name);
		free((char *)bk->v[i].rows);
	}
	free(bk->v);
	at_buf_free(&bk->path);
	at_buf_free(&bk->tmp);
	free(bk);
}
