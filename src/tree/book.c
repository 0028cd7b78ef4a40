/* book.c: OUT/contributions.xlsx, the Contributions rows of every session
 * of a folder build in one workbook, each row with its session and a link
 * back to the session's report.
 *
 * Written in libxlsxwriter's constant-memory mode (rows go straight to
 * disk), so a national consultation's millions of rows cost no more memory
 * than one session; past the format's 1,048,576 rows a sheet continues on
 * the next. The rows are the same as a session's own spreadsheet: both
 * come from rows.c, these through the file its worker wrote
 * (bookrows.h), so that the parent never parses a session again.
 *
 * Without --lang its own words follow the sessions (book.h): an English
 * book that meets a French session is thrown away and begun again in
 * French, so while it is English it keeps the names of its sessions'
 * rows files to add them again. */
#define _POSIX_C_SOURCE 200809L
#include "book.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "bookrows.h"
#include "buf.h"
#include "labels.h"
#include "output.h"
#include "rows.h"
#include "text.h"
#include "url.h"

#define MAX_ROWS 1048576u /* per sheet, header included */
#define FIRST_COL 2       /* session file, then report link */

typedef struct book {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *date, *link;
	size_t sheets;
	lxw_row_t row;
	at_lang lang;
	at_diags *d;
	at_buf input;       /* the session being written, as shown: no
			     * character XML refuses */
	const char *report; /* its report, relative to OUT, or "" */
	const char *ext;    /* and the report's extension */
	at_buf url, formula;
	at_status status;
} book;

static void check(book *b, lxw_error err)
{
	if (err == LXW_NO_ERROR || b->status != AT_OK)
		return;
	at_diag_add(b->d, AT_ERROR, "xlsx", (at_pos){0, 0}, 0,
		    "contributions.xlsx: %s", lxw_strerror(err));
	b->status = AT_EIO;
}

static void new_sheet(book *b)
{
	char name[32];
	const at_labels *l = at_labels_for(b->lang);
	const char *base = l->xlsx.sheet[0];
	if (b->sheets++)
		snprintf(name, sizeof name, "%s %zu", base, b->sheets);
	else
		snprintf(name, sizeof name, "%s", base);
	b->ws = workbook_add_worksheet(b->wb, name);
	if (!b->ws) {
		check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	/* In constant-memory mode widths and panes come before any row. */
	check(b, worksheet_set_column(b->ws, 0, FIRST_COL - 1, 24, NULL));
	check(b, worksheet_set_column(b->ws, FIRST_COL,
				      FIRST_COL + AT_NCOLS - 1, 18, NULL));
	check(b, worksheet_set_column(b->ws, FIRST_COL + AT_COL_TEXT,
				      FIRST_COL + AT_COL_TEXT, 60, NULL));
	worksheet_freeze_panes(b->ws, 1, 0);
	const char *extra[FIRST_COL] = {l->xlsx.file, l->xlsx.report};
	for (size_t i = 0; i < FIRST_COL; i++)
		check(b, worksheet_write_string(b->ws, 0, (lxw_col_t)i,
						extra[i], b->bold));
	for (size_t c = 0; c < AT_NCOLS; c++)
		check(b, worksheet_write_string(b->ws, 0,
						(lxw_col_t)(FIRST_COL + c),
						at_col_header(b->lang, (at_col)c),
						b->bold));
	b->row = 1;
}

static void close_sheet(book *b)
{
	if (b->ws && b->row > 1)
		check(b, worksheet_autofilter(b->ws, 0, 0, b->row - 1,
					      FIRST_COL + AT_NCOLS - 1));
}

/* =HYPERLINK("2016/moulins.html"): a formula, not a cell link, because a
 * sheet holds at most 65,530 of those and a consultation has millions of
 * rows. The path is a relative URL (url.h): no quote can end the
 * formula's string, no name become a scheme. */
static void put_link(book *b)
{
	if (!*b->report) {
		check(b, worksheet_write_string(b->ws, b->row, 1, "", NULL));
		return;
	}
	at_buf_clear(&b->url);
	at_url_path(&b->url, b->report);
	at_buf_printf(&b->url, ".%s", b->ext);
	at_buf_clear(&b->formula);
	at_buf_printf(&b->formula, "=HYPERLINK(\"%s\")", at_buf_cstr(&b->url));
	if (b->formula.oom || b->url.oom) {
		check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	/* The value shown until a spreadsheet recomputes: the URL too, with
	 * no control character that XML could not hold. */
	check(b, worksheet_write_formula_str(b->ws, b->row, 1, b->formula.s,
					     b->link, b->url.s));
}

static void put_cell(book *b, size_t col, const at_cell *c, unsigned line)
{
	lxw_col_t x = (lxw_col_t)(FIRST_COL + col);
	switch (c->type) {
	case AT_CELL_EMPTY:
		break;
	case AT_CELL_NUMBER:
		check(b, worksheet_write_number(b->ws, b->row, x, c->number,
						NULL));
		break;
	case AT_CELL_DATE: {
		lxw_datetime dt = {0};
		dt.year = (int)strtol(c->text, NULL, 10);
		dt.month = (int)strtol(c->text + 5, NULL, 10);
		dt.day = (int)strtol(c->text + 8, NULL, 10);
		check(b, worksheet_write_datetime(b->ws, b->row, x, &dt,
						  b->date));
		break;
	}
	case AT_CELL_TEXT: {
		lxw_error e = worksheet_write_string(b->ws, b->row, x, c->text,
						     NULL);
		if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
			/* Never a silent cut: the session's own spreadsheet
			 * says the same. */
			at_diag_add(b->d, AT_ERROR, "text-too-long",
				    (at_pos){0, 0}, 0,
				    "%s:%u: text longer than a spreadsheet cell "
				    "holds (32,767 characters): not written to "
				    "contributions.xlsx",
				    at_buf_cstr(&b->input), line);
			b->status = AT_EINPUT;
		} else {
			check(b, e);
		}
		break;
	}
	}
}

static int write_row(void *ctx, unsigned line, const at_cell *cells)
{
	book *b = ctx;
	if (!b->ws || b->row >= MAX_ROWS) {
		close_sheet(b);
		new_sheet(b);
	}
	if (b->status != AT_OK)
		return 1;
	check(b, worksheet_write_string(b->ws, b->row, 0, at_buf_cstr(&b->input),
					NULL));
	put_link(b);
	for (size_t c = 0; c < AT_NCOLS; c++)
		put_cell(b, c, &cells[c], line);
	b->row++;
	return b->status != AT_OK;
}

static void write_session(book *b, const at_book_session *in)
{
	at_buf_clear(&b->input);
	if (at_text_for_xml(&b->input, in->name))
		check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	b->report = in->report && in->ext ? in->report : "";
	b->ext = in->ext;
	if (!in->rows)
		check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	else if (b->status == AT_OK &&
		 at_bookrows_read(in->rows, write_row, b) != AT_OK) {
		at_diag_add(b->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "contributions.xlsx: cannot read the rows of %s "
			    "from %s: build again with --force",
			    at_buf_cstr(&b->input), in->rows);
		b->status = AT_EIO;
	}
}

struct at_book {
	book b;
	at_buf path, tmp;
	int follow;     /* no language given: the sessions' (at_lang_fold) */
	int fold;       /* the fold so far, -1 before the first session */
	/* While the book is English and may yet turn French, the sessions
	 * in it, to add again in French. */
	at_book_session *seen;
	size_t n_seen, cap_seen;
};

static void forget_seen(at_book *bk)
{
	for (size_t i = 0; i < bk->n_seen; i++) {
		free((char *)bk->seen[i].name);
		free((char *)bk->seen[i].rows);
		free((char *)bk->seen[i].report);
		free((char *)bk->seen[i].ext);
	}
	free(bk->seen);
	bk->seen = NULL;
	bk->n_seen = bk->cap_seen = 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void remember(at_book *bk, const at_book_session *in)
{
	if (!bk->follow || bk->fold != AT_LANG_EN)
		return;
	at_book_session *v = at_grow(bk->seen, &bk->cap_seen, bk->n_seen,
				     sizeof *v, 16);
	if (!v) {
		check(&bk->b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	bk->seen = v;
	at_book_session c = {dup_or_null(in->name), dup_or_null(in->rows),
			     dup_or_null(in->report), dup_or_null(in->ext),
			     in->lang};
	bk->seen[bk->n_seen++] = c;
	if ((in->name && !c.name) || (in->rows && !c.rows) ||
	    (in->report && !c.report) || (in->ext && !c.ext))
		check(&bk->b, LXW_ERROR_MEMORY_MALLOC_FAILED);
}

static void begin_workbook(book *b, const char *tmp)
{
	lxw_workbook_options opt = {1, NULL, 1};
	b->ws = NULL;
	b->sheets = 0;
	b->row = 0;
	b->wb = workbook_new_opt(tmp, &opt);
	if (!b->wb) {
		b->status = AT_ENOMEM;
		return;
	}
	b->bold = workbook_add_format(b->wb);
	format_set_bold(b->bold);
	b->date = workbook_add_format(b->wb);
	format_set_num_format(b->date, "yyyy-mm-dd");
	b->link = workbook_add_format(b->wb);
	format_set_font_color(b->link, LXW_COLOR_BLUE);
	format_set_underline(b->link, LXW_UNDERLINE_SINGLE);
}

static void add_session(at_book *bk, const at_book_session *in);

/* The book follows the sessions' language when none was given: a French
 * session after English ones throws the English workbook away (nothing
 * is written before the book is closed) and adds those sessions again
 * from their rows files. */
static void follow_lang(at_book *bk, int lang)
{
	if (!bk->follow || lang < 0)
		return;
	int next = at_lang_fold(bk->fold, (at_lang)lang);
	int again = bk->fold >= 0 && next != bk->fold;
	bk->fold = next;
	bk->b.lang = at_lang_folded(next);
	if (!again)
		return;
	lxw_workbook_free(bk->b.wb);
	begin_workbook(&bk->b, bk->tmp.s);
	at_book_session *v = bk->seen;
	size_t n = bk->n_seen;
	bk->seen = NULL;
	bk->n_seen = bk->cap_seen = 0;
	for (size_t i = 0; i < n && bk->b.status == AT_OK; i++)
		add_session(bk, &v[i]);
	bk->seen = v;
	bk->n_seen = n;
	forget_seen(bk);
}

static void add_session(at_book *bk, const at_book_session *in)
{
	follow_lang(bk, in->lang);
	if (bk->b.status != AT_OK)
		return;
	write_session(&bk->b, in);
	remember(bk, in);
}

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
	book *b = &bk->b;
	bk->follow = lang < 0;
	bk->fold = -1;
	b->lang = lang < 0 ? at_lang_folded(-1) : (at_lang)lang;
	b->d = d;
	b->status = AT_OK;
	at_buf_init(&b->url);
	at_buf_init(&b->input);
	at_buf_init(&b->formula);
	begin_workbook(b, bk->tmp.s);
	return bk;
}

void at_book_add(at_book *bk, const at_book_session *s)
{
	if (bk->b.status == AT_OK)
		add_session(bk, s);
}

at_status at_book_close(at_book *bk, long long timestamp, int keep)
{
	book *b = &bk->b;
	if (b->wb) {
		lxw_doc_properties props = {0};
		props.title = "Contributions";
		props.created = (time_t)at_rows_created(timestamp);
		check(b, workbook_set_properties(b->wb, &props));
		if (!b->ws)
			new_sheet(b); /* no session: the header alone */
		close_sheet(b);
		check(b, workbook_close(b->wb));
	}
	at_status rc = keep ? b->status : AT_EIO;
	if (rc == AT_OK && rename(bk->tmp.s, bk->path.s) != 0) {
		at_diag_add(b->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot replace %s: %s", bk->path.s,
			    strerror(errno));
		rc = AT_EIO;
	}
	if (rc != AT_OK)
		unlink(bk->tmp.s);
	at_tmp_untrack(bk->tmp.s);
	at_buf_free(&b->url);
	at_buf_free(&b->input);
	at_buf_free(&b->formula);
	at_buf_free(&bk->path);
	at_buf_free(&bk->tmp);
	forget_seen(bk);
	free(bk);
	return keep ? rc : AT_OK;
}
