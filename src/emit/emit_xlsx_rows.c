/* emit_xlsx_rows.c: the Contributions sheet's rows, written by atelier
 * rather than by libxlsxwriter, which keeps every cell in a tree and its
 * text in a shared table, then prints and compresses them when the
 * workbook closes: most of a session's build (docs/performance.md). Here
 * each row becomes XML as soon as it is filled (cellxml.h, the merged
 * workbook's rule) and is compressed as it comes. libxlsxwriter writes
 * the sheet with its header row only (and the table, widths and frozen
 * pane over the rows to come); its zip is then copied entry by entry,
 * compressed bytes as they are, and the sheet's entry is its XML up to
 * </sheetData>, the rows, and the rest, three joined deflate pieces
 * (piece.h). Only for a workbook in libxlsxwriter's normal mode: one
 * Contributions sheet, no ZIP64. */
#include <stdlib.h>
#include <string.h>

#include <minizip/unzip.h>
#include <minizip/zip.h>

#include "cellxml.h"
#include "emit_xlsx.h"

/* The Contributions sheet: libxlsxwriter names sheets by their order. */
#define CONTRIB_PART "xl/worksheets/sheet1.xml"

at_status xw_rows_begin(xw *w)
{
	xw_rows *r = &w->spliced;
	memset(r, 0, sizeof *r);
	at_buf_init(&r->row);
	at_buf_init(&r->cells);
	at_xml_tmp_init(&r->xml);
	r->top = lxw_format_get_xf_index(w->top);
	r->wrap = lxw_format_get_xf_index(w->wrap);
	r->date = lxw_format_get_xf_index(w->date);
	if (at_piece_begin(&r->piece) != AT_OK)
		return AT_ENOMEM;
	r->open = 1;
	return AT_OK;
}

void xw_rows_free(xw *w)
{
	xw_rows *r = &w->spliced;
	at_piece_free(&r->piece);
	at_buf_free(&r->row);
	at_buf_free(&r->cells);
	at_xml_tmp_free(&r->xml);
	r->open = 0;
}

/* The row sh->row of the sheet from w->rows.cells, as xw_put_str and
 * xw_next_row would have written it: every text checked, the row as tall
 * as its longest wrapped text. */
void xw_rows_put(xw *w, sheet *sh, at_pos pos)
{
	xw_rows *r = &w->spliced;
	at_buf_clear(&r->cells);
	for (size_t i = 0; i < AT_NCOLS && w->status == AT_OK; i++) {
		const at_cell *c = &w->rows.cells[i];
		int wrap = at_col_is_long_text((at_col)i);
		if (c->type == AT_CELL_EMPTY ||
		    (c->type == AT_CELL_TEXT && !c->len) ||
		    (c->type == AT_CELL_DATE && !w->s->date.year))
			continue;
		if (c->type == AT_CELL_TEXT) {
			if (xw_too_long(w, c->text, c->len, pos,
					at_col_header(AT_LANG_EN, (at_col)i)))
				break;
			if (wrap) {
				size_t lines = xw_wrapped_lines(c->text,
								sh->width[i]);
				if (lines > sh->lines)
					sh->lines = lines;
			}
		}
		at_cellxml_cell(&r->cells, &r->xml, (size_t)sh->row + 1,
				(unsigned)i, c, wrap ? r->wrap : r->top,
				r->date);
	}
	if (w->status != AT_OK)
		return;
	at_buf_clear(&r->row);
	at_buf_puts(&r->row, "<row r=\"");
	at_buf_put_unsigned(&r->row, (unsigned long long)sh->row + 1);
	if (sh->lines > 1) {
		size_t lines = sh->lines < MAX_LINES ? sh->lines : MAX_LINES;
		at_buf_puts(&r->row, "\" ht=\"");
		at_buf_put_unsigned(&r->row, lines * LINE_HEIGHT);
		at_buf_puts(&r->row, "\" customHeight=\"1");
	}
	at_buf_puts(&r->row, "\">");
	at_buf_put(&r->row, r->cells.s, r->cells.len);
	at_buf_puts(&r->row, "</row>");
	if (r->row.oom || r->cells.oom)
		xw_fail_nomem(w);
	else
		at_piece_put(&r->piece, r->row.s, r->row.len);
	r->rows++;
	sh->lines = 0;
	sh->row++;
}

/* ---- the zip, copied with the sheet's rows put in ---- */

/* minizip writes the new zip into memory: no temporary file to create,
 * fill, read back and remove for each workbook. */
typedef struct memzip {
	at_buf *bytes;
	size_t pos;
} memzip;

static voidpf mem_open(voidpf opaque, const void *name, int mode)
{
	(void)name;
	(void)mode;
	return opaque;
}

static uLong mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
	(void)opaque;
	(void)stream;
	(void)buf;
	(void)size;
	return 0;
}

static uLong mem_write(voidpf opaque, voidpf stream, const void *buf,
		       uLong size)
{
	(void)opaque;
	memzip *m = stream;
	at_buf *b = m->bytes;
	if (m->pos + size > b->len &&
	    !at_buf_extend(b, m->pos + size - b->len))
		return 0;
	memcpy(b->s + m->pos, buf, size);
	m->pos += size;
	return size;
}

static ZPOS64_T mem_tell(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ((memzip *)stream)->pos;
}

static long mem_seek(voidpf opaque, voidpf stream, ZPOS64_T offset,
		     int origin)
{
	(void)opaque;
	memzip *m = stream;
	ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_CUR   ? m->pos
			: origin == ZLIB_FILEFUNC_SEEK_END ? m->bytes->len
							   : 0;
	if (base + offset > m->bytes->len)
		return -1;
	m->pos = (size_t)(base + offset);
	return 0;
}

static int mem_close(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

static int mem_error(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ((memzip *)stream)->bytes->oom;
}

typedef struct copier {
	unzFile in;
	zipFile out;
	at_buf bytes;
	at_status st;
} copier;

/* The current entry of c->in, whole: compressed (raw) or not. */
static void read_entry(copier *c, int raw, uint64_t size)
{
	at_buf_clear(&c->bytes);
	int method = 0, level = 0;
	if (unzOpenCurrentFile2(c->in, &method, &level, raw) != UNZ_OK) {
		c->st = AT_EIO;
		return;
	}
	char *room = size < (1u << 30) ? at_buf_extend(&c->bytes, size + 1)
				      : NULL;
	int n = room ? unzReadCurrentFile(c->in, room, (unsigned)size + 1)
		     : -1;
	if (!room)
		c->st = AT_ENOMEM;
	else if (n < 0 || (uint64_t)n != size)
		c->st = AT_EIO;
	else
		c->bytes.len = (size_t)n, c->bytes.s[n] = '\0';
	if (unzCloseCurrentFile(c->in) != UNZ_OK && c->st == AT_OK)
		c->st = AT_EIO;
}

/* Opens an entry named name in c->out, written raw, dated and marked as
 * the one it replaces. */
static void open_entry(copier *c, const char *name, const unz_file_info64 *i,
		       int method, int level)
{
	zip_fileinfo zi;
	memset(&zi, 0, sizeof zi);
	zi.dosDate = i->dosDate;
	zi.tmz_date.tm_sec = i->tmu_date.tm_sec;
	zi.tmz_date.tm_min = i->tmu_date.tm_min;
	zi.tmz_date.tm_hour = i->tmu_date.tm_hour;
	zi.tmz_date.tm_mday = i->tmu_date.tm_mday;
	zi.tmz_date.tm_mon = i->tmu_date.tm_mon;
	zi.tmz_date.tm_year = i->tmu_date.tm_year;
	zi.internal_fa = i->internal_fa;
	zi.external_fa = i->external_fa;
	if (zipOpenNewFileInZip2_64(c->out, name, &zi, NULL, 0, NULL, 0, NULL,
				    method, level, 1, 0) != ZIP_OK)
		c->st = AT_EIO;
}

static void write_bytes(copier *c, const char *s, size_t n)
{
	if (c->st == AT_OK && n &&
	    zipWriteInFileInZip(c->out, s, (unsigned)n) != ZIP_OK)
		c->st = AT_EIO;
}

static void close_entry(copier *c, uint64_t len, uint32_t crc)
{
	if (zipCloseFileInZipRaw64(c->out, len, crc) != ZIP_OK &&
	    c->st == AT_OK)
		c->st = AT_EIO;
}

/* Compresses s as one piece: final for the last of an entry. */
static at_status piece_of(at_piece *p, const char *s, size_t n, int final)
{
	if (at_piece_begin(p) != AT_OK)
		return AT_ENOMEM;
	at_piece_put(p, s, n);
	return at_piece_end(p, final);
}

/* The sheet's XML (header row only) in c->bytes: written with the rows
 * before its </sheetData>, its dimension reaching the last row. */
static void put_sheet(copier *c, xw *w, const char *name,
		      const unz_file_info64 *i)
{
	xw_rows *r = &w->spliced;
	at_buf *xml = &c->bytes;
	const char *end = strstr(at_buf_cstr(xml), "</sheetData>");
	if (!end) {
		c->st = AT_EIO;
		return;
	}
	at_buf head;
	at_buf_init(&head);
	size_t split = (size_t)(end - xml->s);
	const char *dim = strstr(xml->s, "<dimension ref=\"");
	const char *dim_end = dim ? strchr(dim + 16, '"') : NULL;
	if (dim_end && dim_end < end && r->rows) {
		at_buf_put(&head, xml->s, (size_t)(dim - xml->s) + 16);
		at_buf_puts(&head, "A1:");
		at_cellxml_col(&head, AT_NCOLS - 1);
		at_buf_printf(&head, "%zu", r->rows + 1);
		at_buf_put(&head, dim_end, (size_t)(end - dim_end));
	} else {
		at_buf_put(&head, xml->s, split);
	}
	at_piece h, t;
	memset(&h, 0, sizeof h);
	memset(&t, 0, sizeof t);
	int rows_ended = r->open && at_piece_end(&r->piece, 0) == AT_OK;
	r->open = 0;
	if (head.oom || !rows_ended ||
	    piece_of(&h, head.s, head.len, 0) != AT_OK ||
	    piece_of(&t, end, xml->len - split, 1) != AT_OK) {
		c->st = AT_ENOMEM;
	} else {
		uint32_t crc = at_piece_crc_join(h.crc, r->piece.crc,
						 r->piece.len);
		crc = at_piece_crc_join(crc, t.crc, t.len);
		open_entry(c, name, i, Z_DEFLATED, Z_DEFAULT_COMPRESSION);
		write_bytes(c, h.bytes.s, h.bytes.len);
		write_bytes(c, r->piece.bytes.s, r->piece.bytes.len);
		write_bytes(c, t.bytes.s, t.bytes.len);
		close_entry(c, h.len + r->piece.len + t.len, crc);
	}
	at_piece_free(&h);
	at_piece_free(&t);
	at_buf_free(&head);
}

static void copy_entries(copier *c, xw *w)
{
	int rc = unzGoToFirstFile(c->in);
	while (rc == UNZ_OK && c->st == AT_OK) {
		unz_file_info64 i;
		char name[256];
		if (unzGetCurrentFileInfo64(c->in, &i, name, sizeof name, NULL,
					    0, NULL, 0) != UNZ_OK ||
		    i.size_filename >= sizeof name) {
			c->st = AT_EIO;
			break;
		}
		if (strcmp(name, CONTRIB_PART) == 0) {
			read_entry(c, 0, i.uncompressed_size);
			if (c->st == AT_OK)
				put_sheet(c, w, name, &i);
		} else {
			read_entry(c, 1, i.compressed_size);
			if (c->st == AT_OK) {
				open_entry(c, name, &i, (int)i.compression_method,
					   Z_DEFAULT_COMPRESSION);
				write_bytes(c, c->bytes.s, c->bytes.len);
				close_entry(c, i.uncompressed_size,
					    (uint32_t)i.crc);
			}
		}
		rc = unzGoToNextFile(c->in);
	}
	if (rc != UNZ_OK && rc != UNZ_END_OF_LIST_OF_FILE && c->st == AT_OK)
		c->st = AT_EIO;
}

at_status xw_rows_splice(xw *w, const char *from, at_buf *to)
{
	copier c;
	memset(&c, 0, sizeof c);
	at_buf_init(&c.bytes);
	memzip m = {to, 0};
	zlib_filefunc64_def io = {mem_open, mem_read, mem_write, mem_tell,
				  mem_seek, mem_close, mem_error, &m};
	c.in = unzOpen64(from);
	c.out = c.in ? zipOpen2_64("", APPEND_STATUS_CREATE, NULL, &io) : NULL;
	if (!c.in || !c.out)
		c.st = AT_EIO;
	else
		copy_entries(&c, w);
	if (c.out && zipClose(c.out, NULL) != ZIP_OK && c.st == AT_OK)
		c.st = AT_EIO;
	if (c.in)
		unzClose(c.in);
	if ((c.bytes.oom || to->oom) && c.st == AT_OK)
		c.st = AT_ENOMEM;
	at_buf_free(&c.bytes);
	return c.st;
}
