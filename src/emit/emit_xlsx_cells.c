/* emit_xlsx_cells.c: the spreadsheet's cells and sheets as every sheet
 * writes them: failures said once, every text a string cell no longer
 * than a cell holds, row heights fitted to wrapped text, figures with
 * their thumbnails. */
#include <stdlib.h>
#include <string.h>

#include "emit_xlsx.h"
#include "figure.h"
#include "text.h"
#include "utf8.h"

/* ---- failures ---- */

void xw_fail_nomem(xw *w)
{
	if (w->status != AT_OK)
		return;
	w->status = AT_ENOMEM;
	at_diag_add(w->d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
		    "out of memory while writing the spreadsheet");
}

/* A libxlsxwriter error: memory, or a file it could not write. */
void xw_fail_lxw(xw *w, lxw_error err)
{
	if (w->status != AT_OK || err == LXW_NO_ERROR)
		return;
	if (err == LXW_ERROR_MEMORY_MALLOC_FAILED) {
		xw_fail_nomem(w);
		return;
	}
	w->status = AT_EIO;
	at_diag_add(w->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
		    "cannot write the spreadsheet: %s", lxw_strerror(err));
}

/* Whether s is more than a cell holds; if so, an error at pos. what names
 * the cell ("Note", "Préalables") unless it is a contribution's own text
 * (NULL). Counted in characters, as spreadsheets count. */
int xw_too_long(xw *w, const char *s, size_t len, at_pos pos,
		    const char *what)
{
	if (len <= CELL_MAX_CHARS) /* bytes bound characters */
		return 0;
	size_t chars = at_utf8_count(s, len);
	if (chars <= CELL_MAX_CHARS)
		return 0;
	at_diag_add(w->d, AT_ERROR, "cell-too-long", pos, 1,
		    "%s%stext of %zu characters is longer than a spreadsheet "
		    "cell holds (32,767)",
		    what ? what : "", what ? ": " : "", chars);
	if (w->status == AT_OK)
		w->status = AT_EINPUT;
	return 1;
}

/* ---- cells ---- */

/* How many lines a text takes in a wrapped column: each paragraph's
 * characters over the width, with a tenth more for the room that word
 * wrapping wastes. An estimate: fonts differ from one reader to another. */
size_t xw_wrapped_lines(const char *s, double width)
{
	size_t per_line = width > 3 ? (size_t)width - 1 : 2, lines = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		/* Bytes bound characters: a paragraph whose bytes fit on a
		 * line takes one, with no need to count its characters. */
		size_t chars = n * 11 / 10 <= per_line
				       ? n * 11 / 10
				       : at_utf8_count(s, n) * 11 / 10;
		lines += chars ? (chars + per_line - 1) / per_line : 1;
		if (!nl || lines >= MAX_LINES)
			break;
		s = nl + 1;
	}
	return lines;
}

/* Every text goes through here: a string cell, so that "=1+1" stays text,
 * and never more than a cell holds. what names it in the diagnostic. */
void xw_put_str(xw *w, sheet *sh, lxw_col_t col, const char *s,
		    lxw_format *f, at_pos pos, const char *what)
{
	if (w->status != AT_OK || !s || !*s)
		return;
	if (xw_too_long(w, s, strlen(s), pos, what))
		return;
	xw_fail_lxw(w, worksheet_write_string(sh->ws, sh->row, col, s, f));
	if (f == w->wrap && col < sh->n_cols) {
		size_t lines = xw_wrapped_lines(s, sh->width[col]);
		if (lines > sh->lines)
			sh->lines = lines;
	}
}

/* Ends the current row. Readers do not all fit a row's height to its
 * wrapped text when they open a file (LibreOffice does not), so the
 * height is set here from the longest wrapped cell. */
void xw_next_row(xw *w, sheet *sh)
{
	if (sh->lines > 1 && w->status == AT_OK) {
		size_t lines = sh->lines < MAX_LINES ? sh->lines : MAX_LINES;
		xw_fail_lxw(w, worksheet_set_row(sh->ws, sh->row,
					      (double)(lines * LINE_HEIGHT),
					      NULL));
	}
	sh->lines = 0;
	sh->row++;
}

void xw_put_num(xw *w, sheet *sh, lxw_col_t col, double v, lxw_format *f)
{
	if (w->status == AT_OK)
		xw_fail_lxw(w, worksheet_write_number(sh->ws, sh->row, col, v, f));
}

void xw_put_date(xw *w, sheet *sh, lxw_col_t col, lxw_format *f)
{
	const at_date *d = &w->s->date;
	if (w->status != AT_OK || !d->year)
		return;
	lxw_datetime dt = {d->year, d->month, d->day, 0, 0, 0};
	xw_fail_lxw(w, worksheet_write_datetime(sh->ws, sh->row, col, &dt, f));
}

/* Plain text of inline Markdown, in the scratch buffer. */
const char *xw_plain(xw *w, const char *md)
{
	at_buf_clear(&w->scratch);
	if (md && at_md_plain_inline(&w->scratch, md))
		xw_fail_nomem(w);
	return at_buf_cstr(&w->scratch);
}

void xw_put_md(xw *w, sheet *sh, lxw_col_t col, const char *md,
		   lxw_format *f, at_pos pos, const char *what)
{
	if (md)
		xw_put_str(w, sh, col, xw_plain(w, md), f, pos, what);
}

/* The figure's file name in column col, and its processed image (an SVG
 * rasterised) under it as a thumbnail, its alt text the figure's. */
void xw_put_figure(xw *w, sheet *sh, lxw_col_t col, const at_figure *fig)
{
	xw_put_str(w, sh, col, fig->image.s, w->top, fig->pos, w->xl->image);
	if (w->status != AT_OK || w->thumbs >= THUMBS_MAX)
		return;
	at_status st = AT_OK;
	const at_image *im = at_figure_get(w->figs, fig, 1, w->d, &st);
	if (!im) {
		w->status = st;
		return;
	}
	int side = im->width > im->height ? im->width : im->height;
	double scale = side > THUMB_PX ? (double)THUMB_PX / side : 1.0;
	lxw_image_options opt = {.x_offset = 2, .y_offset = LINE_PX + 2,
				 .x_scale = scale, .y_scale = scale};
	opt.description = (char *)(fig->alt ? fig->alt : xw_plain(w, fig->caption));
	xw_fail_lxw(w, worksheet_insert_image_buffer_opt(
			    sh->ws, sh->row, col, im->data, im->len, &opt));
	if (sh->lines < THUMB_LINES)
		sh->lines = THUMB_LINES;
	w->thumbs++;
}

/* A block of Markdown (context, phase, synthesis), one row per line in
 * column B, so that long texts stay readable and each paragraph has a cell
 * to itself. key, when given, goes in column A beside the first line; what
 * names the text in a diagnostic. */
void xw_put_block(xw *w, sheet *sh, const char *key, const char *md,
		      at_pos pos, const char *what)
{
	if (!md || w->status != AT_OK)
		return;
	at_buf text;
	at_buf_init(&text);
	if (at_md_plain(&text, md))
		xw_fail_nomem(w);
	const char *p = at_buf_cstr(&text);
	while (*p && w->status == AT_OK) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n) {
			at_buf_clear(&w->scratch);
			at_buf_put(&w->scratch, p, n);
			xw_put_str(w, sh, 0, key, w->bold, pos, what);
			xw_put_str(w, sh, 1, at_buf_cstr(&w->scratch), w->wrap,
				pos, what);
			if (w->scratch.oom)
				xw_fail_nomem(w);
			key = NULL;
			xw_next_row(w, sh);
		}
		p += n + (nl != NULL);
	}
	at_buf_free(&text);
}

/* ---- sheets ---- */

int xw_new_sheet(xw *w, sheet *sh, const char *name)
{
	memset(sh, 0, sizeof *sh);
	sh->name = name;
	sh->ws = w->status == AT_OK ? workbook_add_worksheet(w->wb, name)
				    : NULL;
	if (!sh->ws) {
		xw_fail_nomem(w);
		return 0;
	}
	/* Printed (or saved as PDF) for a funder, a sheet should read across
	 * one page: landscape, as wide as the page, headers on every page. */
	worksheet_set_landscape(sh->ws);
	worksheet_set_paper(sh->ws, 9); /* A4 */
	worksheet_fit_to_pages(sh->ws, 1, 0);
	xw_fail_lxw(w, worksheet_repeat_rows(sh->ws, 0, 0));
	return 1;
}

void xw_set_widths(xw *w, sheet *sh, const double *width, size_t n,
		       const int *wrap)
{
	sh->width = width;
	sh->n_cols = n;
	for (size_t c = 0; c < n && w->status == AT_OK; c++)
		xw_fail_lxw(w, worksheet_set_column(sh->ws, (lxw_col_t)c,
						 (lxw_col_t)c, width[c],
						 wrap && wrap[c] ? w->wrap
								 : w->top));
}

void xw_put_header(xw *w, sheet *sh, const char *const *head, size_t n)
{
	for (size_t c = 0; c < n; c++)
		xw_put_str(w, sh, (lxw_col_t)c, head[c], w->bold, (at_pos){0, 0},
			head[c]);
	if (w->status == AT_OK)
		worksheet_freeze_panes(sh->ws, 1, 0);
	xw_next_row(w, sh);
}
