/* cellxml.c: rows.c's cells as SpreadsheetML (see cellxml.h). */
#include "cellxml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The letters of column col (from 0) at dst, which has room for 8: how
 * many. */
static size_t col_letters(char *dst, unsigned col)
{
	char s[8];
	size_t n = 0;
	for (unsigned c = col + 1; c; c = (c - 1) / 26)
		s[n++] = (char)('A' + (c - 1) % 26);
	for (size_t i = 0; i < n; i++)
		dst[i] = s[n - 1 - i];
	return n;
}

static void put_lit(char *tag, size_t *n, const char *lit, size_t len)
{
	memcpy(tag + *n, lit, len);
	*n += len;
}

/* Assembled here and appended once: a row has two dozen cells. */
static void open_cell(at_buf *out, size_t row, unsigned col, int style,
		      int inline_str)
{
	char tag[96]; /* the longest: 2 + 4 + 8 + 20 + 1 + 4 + 20 + 1 + 14 + 1 */
	size_t n = 0;
	put_lit(tag, &n, "<c", 2);
	if (row) {
		put_lit(tag, &n, " r=\"", 4);
		n += col_letters(tag + n, col);
		n += at_format_unsigned(tag + n, row);
		tag[n++] = '"';
	}
	if (style >= 0) {
		put_lit(tag, &n, " s=\"", 4);
		n += at_format_unsigned(tag + n, (unsigned)style);
		tag[n++] = '"';
	}
	if (inline_str)
		put_lit(tag, &n, " t=\"inlineStr\"", 14);
	tag[n++] = '>';
	at_buf_put(out, tag, n);
}

void at_cellxml_text(at_buf *out, at_xml_tmp *t, size_t row, unsigned col,
		     const char *s, int style)
{
	size_t n = strlen(s);
	/* Spreadsheets drop the white space around a text unless told. */
	int keep = n && (strchr(" \t\n\r", s[0]) || strchr(" \t\n\r", s[n - 1]));
	open_cell(out, row, col, style, 1);
	at_buf_puts(out, keep ? "<is><t xml:space=\"preserve\">" : "<is><t>");
	if (at_xml_escape(out, t, s, n))
		out->oom = 1;
	at_buf_puts(out, "</t></is></c>");
}

/* Days from 1899-12-30, Excel's day 0 (its 1900 leap year included). */
static long serial_of(const char *ymd)
{
	long y = strtol(ymd, NULL, 10), m = strtol(ymd + 5, NULL, 10),
	     d = strtol(ymd + 8, NULL, 10);
	/* days from civil (H. Hinnant), relative to 1970-01-01 */
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 + 25569;
}

static void number(at_buf *out, double v)
{
	if (v >= 0 && v < 1e15 && v == (double)(unsigned long long)v &&
	    !(v == 0 && signbit(v))) {
		at_buf_put_unsigned(out, (unsigned long long)v);
		return;
	}
	char s[40];
	snprintf(s, sizeof s, "%.15g", v);
	if (strtod(s, NULL) != v)
		snprintf(s, sizeof s, "%.17g", v);
	at_buf_puts(out, s);
}

void at_cellxml_cell(at_buf *out, at_xml_tmp *t, size_t row, unsigned col,
		     const at_cell *c, int style, int date_style)
{
	switch (c->type) {
	case AT_CELL_EMPTY:
		if (!row)
			at_buf_puts(out, "<c/>");
		break;
	case AT_CELL_NUMBER:
		open_cell(out, row, col, style, 0);
		at_buf_puts(out, "<v>");
		number(out, c->number);
		at_buf_puts(out, "</v></c>");
		break;
	case AT_CELL_DATE:
		open_cell(out, row, col, date_style, 0);
		at_buf_printf(out, "<v>%ld</v></c>", serial_of(c->text));
		break;
	case AT_CELL_TEXT:
		at_cellxml_text(out, t, row, col, c->text, style);
		break;
	}
}

void at_cellxml_col(at_buf *out, unsigned col)
{
	char s[8];
	at_buf_put(out, s, col_letters(s, col));
}
