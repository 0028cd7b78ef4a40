/* emit_xlsx.c: the spreadsheet organisers follow a workshop up with, one
 * .xlsx written with libxlsxwriter. Sheets, in this order (described for
 * the people who receive the file in docs/spreadsheet.md):
 *
 *   Contributions  one row per contribution, as at_session_walk visits
 *                  them (kit instructions too, though not counted);
 *                  the columns come from rows.c, shared with CSV
 *   Forces         drivers, brakes and other conditions per question and
 *                  sub-group, with totals and one bar chart per question;
 *                  only when the grid declares a force
 *   Participants   the annex, or the head count
 *   Session        the metadata and the session's own texts, key/value
 *   Questions      titles, prompts, briefs, groups, figures, kit steps
 *
 * Every text is a string cell, never a formula. A text longer than a cell
 * holds is an error at its item's position, never a truncation. The bytes
 * depend on the input only: libxlsxwriter fixes the zip timestamps and the
 * creation time is o->timestamp.
 *
 * libxlsxwriter 1.1.4 writes to a named file only, so the workbook goes to
 * a private temporary file whose bytes are then copied to the stream. In
 * its normal mode (all but the largest sessions) the Contributions rows
 * are atelier's own XML, put into that file's zip as it is copied
 * (emit_xlsx_rows.c).
 *
 * This file: the first pass, the Contributions sheet, the workbook and its
 * temporary file. The cell helpers are in emit_xlsx_cells.c, the other
 * sheets in emit_xlsx_sheets.c (emit_xlsx.h holds what they share). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "emit_xlsx.h"
#include "figure.h"
#include "output.h"
#include "text.h"
#include "utf8.h"

/* ---- first pass: widths, force counts ---- */

/* Widens col to fit c. A column as wide as it may be, or a cell with no
 * more characters than the column already holds (bytes bound them), is
 * left alone: what makes this pass cheap once the long text columns have
 * reached WIDTH_MAX, for then their Markdown is not even made plain. */
static void measure_width(xw *w, at_col col, const at_cell *c)
{
	if (!(w->narrow & AT_COL_BIT(col)) ||
	    (double)c->len + 2 <= w->width[col])
		return;
	double width = 0;
	const char *p = c->text, *end = c->text + c->len;
	while (p < end && width < WIDTH_MAX) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		double line = (double)at_utf8_count(p, n);
		if (line > width)
			width = line;
		if (!nl)
			break;
		p = nl + 1;
	}
	if (c->type == AT_CELL_DATE)
		width = 10;
	if (width + 2 > w->width[col])
		w->width[col] = width + 2 > WIDTH_MAX ? WIDTH_MAX : width + 2;
	if (w->width[col] >= WIDTH_MAX)
		w->narrow &= ~AT_COL_BIT(col);
}

static void count_force(xw *w, const at_contribution *c)
{
	if (c->origin != AT_FROM_SUBGROUP)
		return;
	size_t q = (size_t)(c->question - w->s->questions);
	size_t g = (size_t)(c->group - c->question->subgroups->groups);
	force_counts *fc = &w->forces[w->forces_first[q] + g];
	const at_section_def *def = c->section->def;
	at_force f = at_contribution_force(c);
	if (f == AT_FORCE_DRIVER)
		fc->drivers++, w->total.drivers++;
	else if (f == AT_FORCE_BRAKE)
		fc->brakes++, w->total.brakes++;
	else if (!def->builtin || def->builtin->of_change)
		fc->others++, w->total.others++;
}

/* Only the columns still narrow are filled, so the Markdown of the long
 * text columns is made plain only until they reach WIDTH_MAX. Whether a
 * cell is too long is seen in the second pass, which has every cell. */
static int measure_one(const at_contribution *c, void *ctx)
{
	xw *w = ctx;
	if (at_rows_fill_some(&w->rows, c, w->narrow) != AT_OK) {
		xw_fail_nomem(w);
		return 1;
	}
	for (size_t i = 0; i < AT_NCOLS; i++)
		measure_width(w, (at_col)i, &w->rows.cells[i]);
	count_force(w, c);
	at_counts_add(&w->counts, c);
	w->n_contrib++;
	return 0;
}

static at_status alloc_forces(xw *w)
{
	const at_session *s = w->s;
	w->forces_first = calloc(s->n_questions + 1, sizeof *w->forces_first);
	if (!w->forces_first)
		return AT_ENOMEM;
	for (size_t q = 0; q < s->n_questions; q++) {
		w->forces_first[q] = w->n_groups;
		if (s->questions[q].subgroups)
			w->n_groups += s->questions[q].subgroups->n_groups;
	}
	w->forces_first[s->n_questions] = w->n_groups;
	w->forces = calloc(w->n_groups + 1, sizeof *w->forces);
	return w->forces ? AT_OK : AT_ENOMEM;
}

static void first_pass(xw *w)
{
	if (alloc_forces(w) != AT_OK) {
		xw_fail_nomem(w);
		return;
	}
	for (size_t i = 0; i < AT_NCOLS; i++) {
		const char *head = at_col_header(w->o->lang, (at_col)i);
		double h = (double)at_utf8_count(head, strlen(head));
		/* Room for the filter button beside the header. */
		w->width[i] = h + 4 < WIDTH_MIN ? WIDTH_MIN : h + 4;
	}
	for (size_t i = 0; i < AT_NCOLS; i++)
		if (w->width[i] < WIDTH_MAX)
			w->narrow |= AT_COL_BIT(i);
	at_session_walk(w->s, measure_one, w);
}

/* ---- Contributions ---- */

static void put_cell(xw *w, sheet *sh, at_col col, const at_cell *c,
		     at_pos pos)
{
	lxw_format *f = at_col_is_long_text(col) ? w->wrap : w->top;
	switch (c->type) {
	case AT_CELL_EMPTY:
		break;
	case AT_CELL_TEXT:
		xw_put_str(w, sh, (lxw_col_t)col, c->text, f, pos,
			at_col_header(AT_LANG_EN, col));
		break;
	case AT_CELL_NUMBER:
		xw_put_num(w, sh, (lxw_col_t)col, c->number, w->top);
		break;
	case AT_CELL_DATE:
		xw_put_date(w, sh, (lxw_col_t)col, w->date);
		break;
	}
}

typedef struct contrib_pass {
	xw *w;
	sheet sh;
	size_t sheets;   /* Contributions sheets opened so far */
	size_t done;     /* contributions written */
	char name[32];
} contrib_pass;

/* Headers, widths, frozen header and a filter over the rows to come. A
 * table in the normal mode; an autofilter when rows are streamed. */
static void open_contrib_sheet(contrib_pass *p)
{
	xw *w = p->w;
	p->sheets++;
	/* "Contributions", then "Contributions 2" past a sheet's last row. */
	if (p->sheets == 1)
		snprintf(p->name, sizeof p->name, "%s", w->xl->sheet[0]);
	else
		snprintf(p->name, sizeof p->name, "%s %zu", w->xl->sheet[0],
			 p->sheets);
	if (!xw_new_sheet(w, &p->sh, p->name))
		return;
	int wrap[AT_NCOLS];
	for (size_t i = 0; i < AT_NCOLS; i++)
		wrap[i] = at_col_is_long_text((at_col)i);
	xw_set_widths(w, &p->sh, w->width, AT_NCOLS, wrap);
	const char *head[AT_NCOLS];
	for (size_t i = 0; i < AT_NCOLS; i++)
		head[i] = at_col_header(w->o->lang, (at_col)i);
	xw_put_header(w, &p->sh, head, AT_NCOLS);
	size_t left = w->n_contrib - p->done;
	lxw_row_t last = (lxw_row_t)(left < DATA_ROWS_PER_SHEET
					     ? left
					     : DATA_ROWS_PER_SHEET);
	if (w->status != AT_OK)
		return;
	if (w->constant_memory || last == 0) {
		xw_fail_lxw(w, worksheet_autofilter(p->sh.ws, 0, 0, last,
						 AT_NCOLS - 1));
		return;
	}
	lxw_table_column cols[AT_NCOLS], *colp[AT_NCOLS + 1];
	for (size_t i = 0; i < AT_NCOLS; i++) {
		memset(&cols[i], 0, sizeof cols[i]);
		cols[i].header = (char *)head[i];
		cols[i].header_format = w->bold;
		colp[i] = &cols[i];
	}
	colp[AT_NCOLS] = NULL;
	lxw_table_options opt;
	memset(&opt, 0, sizeof opt);
	opt.columns = colp;
	opt.style_type = LXW_TABLE_STYLE_TYPE_LIGHT;
	opt.style_type_number = 9;
	xw_fail_lxw(w, worksheet_add_table(p->sh.ws, 0, 0, last, AT_NCOLS - 1,
					&opt));
}

/* The cells an item owns: each too long one is reported, all of them.
 * Shared cells (a group's name, the question) are checked where they are
 * written. */
static void check_own_cells(xw *w, const at_contribution *c)
{
	static const at_col own[] = {AT_COL_TEXT, AT_COL_AUTHORS, AT_COL_TAGS,
				     AT_COL_LINK, AT_COL_NOTE};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
		const at_cell *cell = &w->rows.cells[own[i]];
		const char *what = own[i] == AT_COL_TEXT
					   ? NULL
					   : at_col_header(AT_LANG_EN, own[i]);
		xw_too_long(w, cell->text, cell->len, c->item->pos, what);
	}
}

/* Once a cell is too long nothing more is written, but the walk goes on
 * to report every other one; the workbook is then thrown away. */
static int write_contribution(const at_contribution *c, void *ctx)
{
	contrib_pass *p = ctx;
	xw *w = p->w;
	if (w->status == AT_OK && p->done % DATA_ROWS_PER_SHEET == 0)
		open_contrib_sheet(p);
	if (at_rows_fill(&w->rows, c) != AT_OK) {
		xw_fail_nomem(w);
		return 1;
	}
	check_own_cells(w, c);
	if (w->splice) {
		xw_rows_put(w, &p->sh, c->item->pos);
	} else {
		for (size_t i = 0; i < AT_NCOLS && w->status == AT_OK; i++)
			put_cell(w, &p->sh, (at_col)i, &w->rows.cells[i],
				 c->item->pos);
		xw_next_row(w, &p->sh);
	}
	p->done++;
	return w->status != AT_OK && w->status != AT_EINPUT;
}

static void write_contributions(xw *w)
{
	contrib_pass p;
	memset(&p, 0, sizeof p);
	p.w = w;
	if (w->n_contrib == 0)
		open_contrib_sheet(&p);
	else
		at_session_walk(w->s, write_contribution, &p);
}

/* ---- the workbook ---- */

static lxw_format *new_format(xw *w, int bold, int wrap, const char *num,
			      int left)
{
	lxw_format *f = workbook_add_format(w->wb);
	if (!f) {
		xw_fail_nomem(w);
		return NULL;
	}
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (bold)
		format_set_bold(f);
	if (wrap)
		format_set_text_wrap(f);
	if (num)
		format_set_num_format(f, num);
	if (left)
		format_set_align(f, LXW_ALIGN_LEFT);
	return f;
}

/* Properties fix the creation time, the one thing that would otherwise
 * differ between two runs. */
static void set_properties(xw *w)
{
	lxw_doc_properties props;
	memset(&props, 0, sizeof props);
	/* The library escapes markup there, not control characters: a title
	 * with one (a YAML escape, an entity) would break docProps/core.xml. */
	at_buf title, author;
	at_buf_init(&title);
	at_buf_init(&author);
	at_text_for_xml(&title, at_buf_cstr(&w->rows.title));
	at_text_for_xml(&author, w->s->organiser ? w->s->organiser : "");
	props.title = (char *)at_buf_cstr(&title);
	props.author = (char *)at_buf_cstr(&author);
	props.comments = (char *)"atelier " ATELIER_VERSION;
	props.created = (time_t)at_rows_created(w->o->timestamp);
	if (title.oom || author.oom)
		xw_fail_nomem(w);
	else if (w->status == AT_OK)
		xw_fail_lxw(w, workbook_set_properties(w->wb, &props));
	at_buf_free(&title);
	at_buf_free(&author);
}

static void write_workbook(xw *w)
{
	w->bold = new_format(w, 1, 0, NULL, 0);
	w->top = new_format(w, 0, 0, NULL, 0);
	w->wrap = new_format(w, 0, 1, NULL, 0);
	w->date = new_format(w, 0, 0, "yyyy-mm-dd", 0);
	w->left = new_format(w, 0, 0, NULL, 1);
	w->left_date = new_format(w, 0, 0, "yyyy-mm-dd", 1);
	set_properties(w);
	if (w->splice && w->status == AT_OK && xw_rows_begin(w) != AT_OK)
		xw_fail_nomem(w);
	write_contributions(w);
	/* Nothing about forces for a grid that declares none. */
	if (at_grid_has_forces(w->s))
		xw_write_forces(w);
	xw_write_participants(w);
	xw_write_session(w);
	xw_write_questions(w);
}

/* ---- the temporary file ---- */

/* Below this much free room a memory file system is not used. */
#define SHM_ROOM (256ull << 20)

/* Where the workbook is made: libxlsxwriter writes each of its twenty
 * parts to a file of its own, created, read back and removed, then the
 * workbook to ours. TMPDIR when set, else /tmp; but when the rows are
 * atelier's (w->splice: those files then hold the other sheets, a few
 * kilobytes), /dev/shm if it is there with room, for creating and
 * removing files costs a disk's file system more than writing them
 * (docs/performance.md). */
static const char *tmp_dir(const xw *w)
{
	const char *dir = getenv("TMPDIR");
	if (dir && *dir)
		return dir;
	struct statvfs v;
	if (w->splice && statvfs("/dev/shm", &v) == 0 &&
	    (unsigned long long)v.f_bavail * v.f_frsize >= SHM_ROOM &&
	    access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return "/tmp";
}

static at_status copy_fd(int fd, FILE *out)
{
	if (lseek(fd, 0, SEEK_SET) != 0)
		return AT_EIO;
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			return AT_EIO;
	return n < 0 || ferror(out) ? AT_EIO : AT_OK;
}

/* A private temporary file for a workbook in dir (path filled): its
 * descriptor, or -1 said in w->d. */
static int open_tmp(xw *w, const char *dir, at_buf *path)
{
	at_buf_init(path);
	at_buf_printf(path, "%s/atelier-xlsx-XXXXXX", dir);
	if (path->oom) {
		xw_fail_nomem(w);
		return -1;
	}
	int fd = at_tmp_create(path->s, AT_TMP_PRIVATE);
	if (fd < 0) {
		at_diag_add(w->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot create a temporary file in %s: %s", dir,
			    strerror(errno));
		w->status = AT_EIO;
	}
	return fd;
}

static void close_tmp(int fd, at_buf *path)
{
	if (fd >= 0) {
		unlink(path->s);
		at_tmp_untrack(path->s);
		close(fd);
	}
	at_buf_free(path);
}

/* The workbook libxlsxwriter wrote in the file from, with the
 * Contributions rows put in, written to out. */
static void splice_and_copy(xw *w, const char *from, FILE *out)
{
	at_buf zip;
	at_buf_init(&zip);
	at_status st = xw_rows_splice(w, from, &zip);
	if (st == AT_ENOMEM) {
		xw_fail_nomem(w);
	} else if (st != AT_OK) {
		w->status = st;
		at_diag_add(w->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot write the spreadsheet: its temporary file "
			    "cannot be read back");
	} else if (fwrite(zip.s, 1, zip.len, out) != zip.len) {
		w->status = AT_EIO;
	}
	at_buf_free(&zip);
}

/* Builds the workbook in a private temporary file (removed on every path)
 * and copies it to out. */
static void build_and_copy(xw *w, FILE *out)
{
	/* One folder for libxlsxwriter's files and ours. */
	const char *dir = tmp_dir(w);
	at_buf path;
	int fd = open_tmp(w, dir, &path);
	if (fd < 0) {
		at_buf_free(&path);
		return;
	}
	/* ZIP64 only where a sheet may pass 4 GiB: some readers warn about
	 * it in small files. */
	lxw_workbook_options opt = {(uint8_t)w->constant_memory,
				    (char *)dir,
				    (uint8_t)w->constant_memory};
	w->wb = workbook_new_opt(path.s, &opt);
	if (!w->wb)
		xw_fail_nomem(w);
	else
		write_workbook(w);
	/* Closing also frees: do it whatever happened. Writing the file
	 * happens here: the system's reason (a full disk) is worth saying. */
	errno = 0;
	lxw_error err = w->wb ? workbook_close(w->wb) : LXW_NO_ERROR;
	int sys_err = errno;
	w->wb = NULL;
	if (err != LXW_NO_ERROR && err != LXW_ERROR_MEMORY_MALLOC_FAILED &&
	    sys_err && w->status == AT_OK) {
		w->status = AT_EIO;
		at_diag_add(w->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot write the spreadsheet: %s (%s)",
			    strerror(sys_err), lxw_strerror(err));
	}
	xw_fail_lxw(w, err);
	if (w->status == AT_OK && w->splice)
		splice_and_copy(w, path.s, out);
	else if (w->status == AT_OK)
		w->status = copy_fd(fd, out);
	close_tmp(fd, &path);
}

static at_status emit_xlsx(const at_session *s, FILE *out,
			   const at_emit_options *o, at_diags *d)
{
	xw w;
	memset(&w, 0, sizeof w);
	w.s = s;
	w.o = o;
	w.d = d;
	w.l = at_labels_for(o->lang);
	w.xl = &w.l->xlsx;
	at_buf_init(&w.scratch);
	w.status = at_rows_init(&w.rows, s, o->lang);
	if (w.status == AT_ENOMEM) {
		w.status = AT_OK;
		xw_fail_nomem(&w);
	}
	w.figs = at_figure_set_for(s, o, &w.own_figs);
	if (!w.figs)
		xw_fail_nomem(&w);
	if (w.status == AT_OK)
		first_pass(&w);
	/* Rows past the header, over every Contributions sheet. */
	w.constant_memory = w.n_contrib > CONSTANT_MEMORY_ROWS;
	w.splice = !w.constant_memory;
	if (w.status == AT_OK)
		build_and_copy(&w, out);
	xw_rows_free(&w);
	at_rows_free(&w.rows);
	at_buf_free(&w.scratch);
	free(w.forces);
	free(w.forces_first);
	at_figure_set_free(w.own_figs);
	return w.status;
}

/* Before any format is written: every contribution's own cells, the
 * ones a long text fills (shared cells are checked as they are written). */
static int check_one(const at_contribution *c, void *ctx)
{
	xw *w = ctx;
	if (at_rows_fill(&w->rows, c) != AT_OK) {
		xw_fail_nomem(w);
		return 1;
	}
	check_own_cells(w, c);
	return 0;
}

static at_status check_xlsx(const at_session *s, const at_emit_options *o,
			    at_diags *d)
{
	xw w;
	memset(&w, 0, sizeof w);
	w.s = s;
	w.o = o;
	w.d = d;
	w.status = at_rows_init(&w.rows, s, o->lang);
	if (w.status == AT_ENOMEM) {
		w.status = AT_OK;
		xw_fail_nomem(&w);
	}
	if (w.status == AT_OK)
		at_session_walk(s, check_one, &w);
	at_rows_free(&w.rows);
	return w.status;
}

/* The work of the registry's "xlsx" (src/emit/emitters.c), in a module. */
const at_emitter at_emit_xlsx = {
	.name = "xlsx",
	.emit = emit_xlsx,
	.check = check_xlsx,
};
