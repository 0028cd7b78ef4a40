/* emit_xlsx.h: what the spreadsheet's writer shares between its files
 * (private to emit_xlsx*.c): the writer, a sheet being written, the cell
 * helpers every sheet writes through (emit_xlsx_cells.c) and the sheets
 * after Contributions (emit_xlsx_sheets.c). */
#ifndef ATELIER_EMIT_XLSX_H
#define ATELIER_EMIT_XLSX_H

#include <xlsxwriter.h>

#include "atelier/emitter.h"
#include "piece.h"
#include "rows.h"
#include "xml_out.h"

enum {
	CELL_MAX_CHARS = 32767,      /* the most a cell holds */
	DATA_ROWS_PER_SHEET = LXW_ROW_MAX - 1, /* under the header row */
	/* Above this many rows the workbook streams its rows to disk
	 * (constant memory): an autofilter then replaces the Excel table,
	 * which that mode does not support. */
	CONSTANT_MEMORY_ROWS = 50000,
	WIDTH_MAX = 60,              /* widest column, in characters */
	WIDTH_MIN = 6,
	CHART_COL = 8,               /* charts stand right of the counts */
	CHART_ROWS = 18,             /* rows between two charts */
	LINE_HEIGHT = 15,            /* points, of the default 11pt font */
	MAX_LINES = 27,              /* the tallest row holds 409 points */
	/* A figure's thumbnail stands under its file name, in the same
	 * cell: at most THUMB_PX pixels on its long side, its row THUMB_LINES
	 * lines high (a line is 20 pixels). Past THUMBS_MAX thumbnails (one
	 * image named a million times through aliases) only names remain. */
	THUMB_PX = 96,
	THUMB_LINES = 6,
	LINE_PX = 20,
	THUMBS_MAX = 1000
};

enum { SHEET_CONTRIB, SHEET_FORCES, SHEET_PARTICIPANTS, SHEET_SESSION,
       SHEET_QUESTIONS };

typedef struct force_counts {
	size_t drivers, brakes, others;
} force_counts;

/* The Contributions sheet's rows as XML, compressed as they come
 * (emit_xlsx_rows.c). */
typedef struct xw_rows {
	at_piece piece;
	int open;                    /* piece not yet ended */
	size_t rows;                 /* written */
	at_buf row, cells;
	at_xml_tmp xml;
	int top, wrap, date;         /* the formats' indices in styles.xml */
} xw_rows;

/* The writer: everything one emit needs, and the first failure. Once
 * status is not AT_OK every write is skipped, so callers check once. */
typedef struct xw {
	const at_session *s;
	const at_emit_options *o;
	const at_labels *l;
	const at_xlsx_labels *xl;  /* &l->xlsx */
	at_diags *d;
	at_status status;
	at_rows rows;
	at_buf scratch;
	/* From the first pass over the contributions. */
	size_t n_contrib;            /* rows: kit instructions included */
	at_counts counts;            /* by the one rule: they are not */
	double width[AT_NCOLS];
	at_cols narrow;              /* the columns under WIDTH_MAX so far */
	force_counts *forces;        /* per group, questions in order */
	size_t *forces_first;        /* per question: its first group */
	size_t n_groups;
	force_counts total;
	/* The workbook. */
	lxw_workbook *wb;
	int constant_memory;
	lxw_format *bold, *top, *wrap, *date;
	lxw_format *left, *left_date; /* values of the key/value sheet */
	/* Set: the Contributions rows are written by emit_xlsx_rows.c. */
	int splice;
	xw_rows spliced;
	/* The session's processed figures, and how many are shown. */
	struct at_figure_set *figs, *own_figs;
	size_t thumbs;
} xw;

typedef struct sheet {
	lxw_worksheet *ws;
	const char *name;
	lxw_row_t row;
	const double *width; /* of each column, in characters */
	size_t n_cols;
	size_t lines;        /* the most lines a wrapped cell of the row needs */
} sheet;

/* ---- emit_xlsx_cells.c ---- */

void xw_fail_nomem(xw *w);
void xw_fail_lxw(xw *w, lxw_error err);
int xw_too_long(xw *w, const char *s, size_t len, at_pos pos,
		const char *what);
/* How many lines s takes in a wrapped column width characters wide. */
size_t xw_wrapped_lines(const char *s, double width);
void xw_put_str(xw *w, sheet *sh, lxw_col_t col, const char *s,
		lxw_format *f, at_pos pos, const char *what);
void xw_next_row(xw *w, sheet *sh);
void xw_put_num(xw *w, sheet *sh, lxw_col_t col, double v, lxw_format *f);
void xw_put_date(xw *w, sheet *sh, lxw_col_t col, lxw_format *f);
const char *xw_plain(xw *w, const char *md);
void xw_put_md(xw *w, sheet *sh, lxw_col_t col, const char *md,
	       lxw_format *f, at_pos pos, const char *what);
void xw_put_figure(xw *w, sheet *sh, lxw_col_t col, const at_figure *fig);
void xw_put_block(xw *w, sheet *sh, const char *key, const char *md,
		  at_pos pos, const char *what);
int xw_new_sheet(xw *w, sheet *sh, const char *name);
void xw_set_widths(xw *w, sheet *sh, const double *width, size_t n,
		   const int *wrap);
void xw_put_header(xw *w, sheet *sh, const char *const *head, size_t n);

/* ---- emit_xlsx_rows.c ---- */

/* Starts the rows, once the formats exist; AT_ENOMEM. */
at_status xw_rows_begin(xw *w);
/* Writes w->rows.cells as the sheet's next row, read from pos. */
void xw_rows_put(xw *w, sheet *sh, at_pos pos);
/* Appends to `to` the workbook libxlsxwriter wrote in the file from,
 * with the rows in its Contributions sheet. AT_EIO when from cannot be
 * read as the zip libxlsxwriter writes. */
at_status xw_rows_splice(xw *w, const char *from, at_buf *to);
void xw_rows_free(xw *w);

/* ---- emit_xlsx_sheets.c ---- */

void xw_write_forces(xw *w);
void xw_write_participants(xw *w);
void xw_write_session(xw *w);
void xw_write_questions(xw *w);

#endif
