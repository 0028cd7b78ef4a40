/* bookrows.c: a session's rows for the merged workbook, written by a
 * worker and read back by the parent (see bookrows.h).
 *
 * The format, after a first line AT_BOOKROWS_VERSION: for each row, "r"
 * and the line of its contribution, then one cell per column of rows.c,
 * each a type letter (e empty, t text, n number, d date), the length of
 * its bytes, ':', the bytes (a number's with "%.17g", exact both ways) and
 * a newline, or "=" and a newline for the same cell as the row before (a
 * session's title, date, place, question... repeat on every row); last, "z" and the number of rows, so that a file cut short,
 * even between two rows, is known. Lengths make any byte safe in a text,
 * newlines included. */
#define _POSIX_C_SOURCE 200809L
#include "bookrows.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "readfile.h"

static const char type_letter[] = {
	[AT_CELL_EMPTY] = 'e', [AT_CELL_TEXT] = 't', [AT_CELL_NUMBER] = 'n',
	[AT_CELL_DATE] = 'd'};

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
	FILE *f;        /* the file being written */
	size_t n;       /* rows written */
	at_rows rows;
	at_buf cur, prev[AT_NCOLS]; /* cells as written: this row, the last */
	at_status st;
} writer;

/* A cell as the file holds it, without its newline. */
static void cell_bytes(at_buf *b, const at_cell *c)
{
	const char *text = c->text;
	size_t len = c->type == AT_CELL_EMPTY ? 0 : c->len;
	char num[40];
	if (c->type == AT_CELL_NUMBER) {
		snprintf(num, sizeof num, "%.17g", c->number);
		text = num;
		len = strlen(num);
	}
	at_buf_clear(b);
	at_buf_printf(b, "%c%zu:", type_letter[c->type], len);
	at_buf_put(b, text, len);
}

static int write_row(const at_contribution *k, void *ctx)
{
	writer *w = ctx;
	w->st = at_rows_fill(&w->rows, k);
	if (w->st != AT_OK)
		return 1;
	fprintf(w->f, "r%u\n", (unsigned)k->item->pos.line);
	for (size_t c = 0; c < AT_NCOLS; c++) {
		at_buf *prev = &w->prev[c];
		cell_bytes(&w->cur, &w->rows.cells[c]);
		if (w->cur.oom) {
			w->st = AT_ENOMEM;
			return 1;
		}
		if (w->n && prev->len == w->cur.len &&
		    memcmp(prev->s, w->cur.s, prev->len) == 0) {
			fputs("=\n", w->f);
			continue;
		}
		fwrite(w->cur.s, 1, w->cur.len, w->f);
		fputc('\n', w->f);
		at_buf swap = *prev;
		*prev = w->cur;
		w->cur = swap;
	}
	w->n++;
	return 0;
}

static at_status write_rows(FILE *f, void *ctx)
{
	writer *w = ctx;
	w->f = f;
	if (at_rows_init(&w->rows, w->s, w->lang) != AT_OK)
		return AT_ENOMEM;
	fputs(AT_BOOKROWS_VERSION "\n", f);
	at_session_walk(w->s, write_row, w);
	at_rows_free(&w->rows);
	at_buf_free(&w->cur);
	for (size_t c = 0; c < AT_NCOLS; c++)
		at_buf_free(&w->prev[c]);
	fprintf(f, "z%zu\n", w->n);
	return w->st;
}

at_status at_bookrows_write(const at_session *s, at_lang lang,
			    const char *dir, const char *name, at_diags *d)
{
	writer w;
	memset(&w, 0, sizeof w);
	w.s = s;
	w.lang = lang;
	w.st = AT_OK;
	return at_write_atomic_with(dir, name, write_rows, &w, d);
}

/* ---- reading back ---- */

typedef struct reader {
	char *p, *end; /* the file in memory: texts end there, in place */
} reader;

/* An unsigned number ending at stop; 0 when there is none or it is too
 * large. */
static int number(reader *r, char stop, size_t *out)
{
	size_t v = 0;
	const char *start = r->p;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		if (v > (SIZE_MAX - 9) / 10)
			return 0;
		v = v * 10 + (size_t)(*r->p++ - '0');
	}
	if (r->p == start || r->p == r->end || *r->p != stop)
		return 0;
	r->p++;
	*out = v;
	return 1;
}

/* One cell into c (left as the row before had it for "="); its text
 * stays in the file's memory, its newline made its NUL. */
static int read_cell(reader *r, at_cell *c, int first)
{
	if (r->end - r->p >= 2 && r->p[0] == '=' && r->p[1] == '\n') {
		r->p += 2;
		return !first;
	}
	if (r->p == r->end)
		return 0;
	const char *at = memchr(type_letter, *r->p++, sizeof type_letter);
	size_t len;
	if (!at || !number(r, ':', &len) || (size_t)(r->end - r->p) <= len ||
	    r->p[len] != '\n')
		return 0;
	c->type = (at_cell_type)(at - type_letter);
	c->text = r->p;
	c->len = len;
	c->number = 0;
	r->p[len] = '\0';
	r->p += len + 1;
	if (c->type == AT_CELL_NUMBER) {
		char *stop;
		c->number = strtod(c->text, &stop);
		if (stop != c->text + len)
			return 0;
	}
	return 1;
}

static at_status read_rows(reader *r, at_bookrow_fn fn, void *ctx)
{
	at_cell cells[AT_NCOLS];
	at_status st = AT_EIO;
	size_t rows = 0, count;
	while (r->p < r->end) {
		if (*r->p == 'z') {
			r->p++;
			if (number(r, '\n', &count) && count == rows &&
			    r->p == r->end)
				st = AT_OK;
			break;
		}
		size_t line;
		int ok = *r->p++ == 'r' && number(r, '\n', &line) &&
			 line <= 0xFFFFFFFFu;
		for (size_t c = 0; ok && c < AT_NCOLS; c++)
			ok = read_cell(r, &cells[c], rows == 0);
		if (!ok)
			break;
		rows++;
		if (fn(ctx, (unsigned)line, cells)) {
			st = AT_OK;
			break;
		}
	}
	return st;
}

at_status at_bookrows_read(const char *path, at_bookrow_fn fn, void *ctx)
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
		reader r = {text + hl, text + len};
		st = read_rows(&r, fn, ctx);
	}
	free(text);
	return st;
}
