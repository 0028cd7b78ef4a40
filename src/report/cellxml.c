/* cellxml.c: rows.c's cells as SpreadsheetML (see cellxml.h). */
#include "cellxml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void open_cell(at_buf *out, const char *ref, int style,
		      const char *type)
{
	/* Assembled here and appended once: a row has two dozen cells. */
	char tag[96];
	size_t n = 0, len;
	memcpy(tag, "<c", 2), n = 2;
	if (ref && (len = strlen(ref)) < 32) {
		memcpy(tag + n, " r=\"", 4), n += 4;
		memcpy(tag + n, ref, len), n += len;
		tag[n++] = '"';
	}
	if (style >= 0 && style < 100000) {
		char digits[8];
		size_t d = sizeof digits;
		unsigned v = (unsigned)style;
		do
			digits[--d] = (char)('0' + v % 10);
		while (v /= 10);
		memcpy(tag + n, " s=\"", 4), n += 4;
		memcpy(tag + n, digits + d, sizeof digits - d);
		n += sizeof digits - d;
		tag[n++] = '"';
	}
	if (type && (len = strlen(type)) < 16) {
		memcpy(tag + n, " t=\"", 4), n += 4;
		memcpy(tag + n, type, len), n += len;
		tag[n++] = '"';
	}
	tag[n++] = '>';
	at_buf_put(out, tag, n);
}

void at_cellxml_text(at_buf *out, at_xml_tmp *t, const char *ref,
		     const char *s, int style)
{
	size_t n = strlen(s);
	/* Spreadsheets drop the white space around a text unless told. */
	int keep = n && (strchr(" \t\n\r", s[0]) || strchr(" \t\n\r", s[n - 1]));
	open_cell(out, ref, style, "inlineStr");
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

void at_cellxml_cell(at_buf *out, at_xml_tmp *t, const char *ref,
		     const at_cell *c, int style, int date_style)
{
	switch (c->type) {
	case AT_CELL_EMPTY:
		if (!ref)
			at_buf_puts(out, "<c/>");
		break;
	case AT_CELL_NUMBER:
		open_cell(out, ref, style, NULL);
		at_buf_puts(out, "<v>");
		number(out, c->number);
		at_buf_puts(out, "</v></c>");
		break;
	case AT_CELL_DATE:
		open_cell(out, ref, date_style, NULL);
		at_buf_printf(out, "<v>%ld</v></c>", serial_of(c->text));
		break;
	case AT_CELL_TEXT:
		at_cellxml_text(out, t, ref, c->text, style);
		break;
	}
}

void at_cellxml_col(at_buf *out, unsigned col)
{
	char s[8];
	size_t n = 0;
	for (unsigned c = col + 1; c; c = (c - 1) / 26)
		s[n++] = (char)('A' + (c - 1) % 26);
	while (n)
		at_buf_putc(out, s[--n]);
}
