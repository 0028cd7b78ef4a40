/* emit_xlsx.c: the spreadsheet organisers follow a workshop up with, one
 * .xlsx written with libxlsxwriter. Sheets, in this order (described for
 * the people who receive the file in docs/spreadsheet.md):
 *
 *   Contributions  one row per contribution, as at_session_walk visits
 *                  them; the columns come from rows.c, shared with CSV
 *   Forces         drivers, brakes and other conditions per question and
 *                  sub-group, with totals and one bar chart per question
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
 * a private temporary file whose bytes are then copied to the stream. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "atelier/emitter.h"
#include "figure.h"
#include "output.h"
#include "rows.h"
#include "text.h"
#include "utf8.h"

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

/* Sheet names, headers and keys that the report labels (labels.h) do not
 * already hold, in each language. */
typedef struct xlsx_labels {
	const char *sheet[5];        /* in the order of the sheets */
	const char *forces_head[7];
	const char *total, *all_questions;
	const char *groups_of;       /* Participants: their sub-groups */
	const char *title, *subtitle, *n_participants, *attendance;
	const char *n_questions, *n_contributions, *n_groups, *n_drivers,
		*n_brakes, *tables, *format_version, *atelier_version,
		*source_file, *image;
	const char *questions_head[5];
	const char *group_size, *expected;
} xlsx_labels;

static const xlsx_labels xlsx_fr = {
	.sheet = {"Contributions", "Champ de forces", "Participants",
		  "Atelier", "Questions"},
	.forces_head = {"Id question", "Question", "Sous-groupe", "Moteurs",
			"Freins", "Autres conditions", "Total"},
	.total = "Total",
	.all_questions = "Toutes les questions",
	.groups_of = "Sous-groupes",
	.title = "Titre",
	.subtitle = "Sous-titre",
	.n_participants = "Participants (liste)",
	.attendance = "Nombre de présents",
	.n_questions = "Nombre de questions",
	.n_contributions = "Nombre de contributions",
	.n_groups = "Nombre de sous-groupes",
	.n_drivers = "Nombre de moteurs",
	.n_brakes = "Nombre de freins",
	.tables = "Tables",
	.format_version = "Version du format",
	.atelier_version = "Version d'atelier",
	.source_file = "Fichier source",
	.image = "Image",
	.questions_head = {"Id question", "Élément", "Détail", "Texte",
			   "Image"},
	.group_size = "Taille des groupes",
	.expected = "Attendu",
};

static const xlsx_labels xlsx_en = {
	.sheet = {"Contributions", "Force field", "Participants", "Session",
		  "Questions"},
	.forces_head = {"Question id", "Question", "Sub-group", "Drivers",
			"Brakes", "Other conditions", "Total"},
	.total = "Total",
	.all_questions = "All questions",
	.groups_of = "Sub-groups",
	.title = "Title",
	.subtitle = "Subtitle",
	.n_participants = "Participants (listed)",
	.attendance = "Head count",
	.n_questions = "Questions",
	.n_contributions = "Contributions",
	.n_groups = "Sub-groups",
	.n_drivers = "Drivers",
	.n_brakes = "Brakes",
	.tables = "Tables",
	.format_version = "Format version",
	.atelier_version = "atelier version",
	.source_file = "Source file",
	.image = "Image",
	.questions_head = {"Question id", "Part", "Detail", "Text", "Image"},
	.group_size = "Group size",
	.expected = "Expected",
};

enum { SHEET_CONTRIB, SHEET_FORCES, SHEET_PARTICIPANTS, SHEET_SESSION,
       SHEET_QUESTIONS };

typedef struct force_counts {
	size_t drivers, brakes, others;
} force_counts;

/* The writer: everything one emit needs, and the first failure. Once
 * status is not AT_OK every write is skipped, so callers check once. */
typedef struct xw {
	const at_session *s;
	const at_emit_options *o;
	const at_labels *l;
	const xlsx_labels *xl;
	at_diags *d;
	at_status status;
	at_rows rows;
	at_buf scratch;
	/* From the first pass over the contributions. */
	size_t n_contrib;
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

/* ---- failures ---- */

static void fail_nomem(xw *w)
{
	if (w->status != AT_OK)
		return;
	w->status = AT_ENOMEM;
	at_diag_add(w->d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
		    "out of memory while writing the spreadsheet");
}

/* A libxlsxwriter error: memory, or a file it could not write. */
static void fail_lxw(xw *w, lxw_error err)
{
	if (w->status != AT_OK || err == LXW_NO_ERROR)
		return;
	if (err == LXW_ERROR_MEMORY_MALLOC_FAILED) {
		fail_nomem(w);
		return;
	}
	w->status = AT_EIO;
	at_diag_add(w->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
		    "cannot write the spreadsheet: %s", lxw_strerror(err));
}

/* Whether s is more than a cell holds; if so, an error at pos. what names
 * the cell ("Note", "Préalables") unless it is a contribution's own text
 * (NULL). Counted in characters, as spreadsheets count. */
static int too_long(xw *w, const char *s, size_t len, at_pos pos,
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
static size_t wrapped_lines(const char *s, double width)
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
static void put_str(xw *w, sheet *sh, lxw_col_t col, const char *s,
		    lxw_format *f, at_pos pos, const char *what)
{
	if (w->status != AT_OK || !s || !*s)
		return;
	if (too_long(w, s, strlen(s), pos, what))
		return;
	fail_lxw(w, worksheet_write_string(sh->ws, sh->row, col, s, f));
	if (f == w->wrap && col < sh->n_cols) {
		size_t lines = wrapped_lines(s, sh->width[col]);
		if (lines > sh->lines)
			sh->lines = lines;
	}
}

/* Ends the current row. Readers do not all fit a row's height to its
 * wrapped text when they open a file (LibreOffice does not), so the
 * height is set here from the longest wrapped cell. */
static void next_row(xw *w, sheet *sh)
{
	if (sh->lines > 1 && w->status == AT_OK) {
		size_t lines = sh->lines < MAX_LINES ? sh->lines : MAX_LINES;
		fail_lxw(w, worksheet_set_row(sh->ws, sh->row,
					      (double)(lines * LINE_HEIGHT),
					      NULL));
	}
	sh->lines = 0;
	sh->row++;
}

static void put_num(xw *w, sheet *sh, lxw_col_t col, double v, lxw_format *f)
{
	if (w->status == AT_OK)
		fail_lxw(w, worksheet_write_number(sh->ws, sh->row, col, v, f));
}

static void put_date(xw *w, sheet *sh, lxw_col_t col, lxw_format *f)
{
	const at_date *d = &w->s->date;
	if (w->status != AT_OK || !d->year)
		return;
	lxw_datetime dt = {d->year, d->month, d->day, 0, 0, 0};
	fail_lxw(w, worksheet_write_datetime(sh->ws, sh->row, col, &dt, f));
}

/* Plain text of inline Markdown, in the scratch buffer. */
static const char *plain(xw *w, const char *md)
{
	at_buf_clear(&w->scratch);
	if (md && at_md_plain_inline(&w->scratch, md))
		fail_nomem(w);
	return at_buf_cstr(&w->scratch);
}

static void put_md(xw *w, sheet *sh, lxw_col_t col, const char *md,
		   lxw_format *f, at_pos pos, const char *what)
{
	if (md)
		put_str(w, sh, col, plain(w, md), f, pos, what);
}

/* The figure's file name in column col, and its processed image (an SVG
 * rasterised) under it as a thumbnail, its alt text the figure's. */
static void put_figure(xw *w, sheet *sh, lxw_col_t col, const at_figure *fig)
{
	put_str(w, sh, col, fig->image.s, w->top, fig->pos, w->xl->image);
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
	opt.description = (char *)(fig->alt ? fig->alt : plain(w, fig->caption));
	fail_lxw(w, worksheet_insert_image_buffer_opt(
			    sh->ws, sh->row, col, im->data, im->len, &opt));
	if (sh->lines < THUMB_LINES)
		sh->lines = THUMB_LINES;
	w->thumbs++;
}

/* A block of Markdown (context, phase, synthesis), one row per line in
 * column B, so that long texts stay readable and each paragraph has a cell
 * to itself. key, when given, goes in column A beside the first line; what
 * names the text in a diagnostic. */
static void put_block(xw *w, sheet *sh, const char *key, const char *md,
		      at_pos pos, const char *what)
{
	if (!md || w->status != AT_OK)
		return;
	at_buf text;
	at_buf_init(&text);
	if (at_md_plain(&text, md))
		fail_nomem(w);
	const char *p = at_buf_cstr(&text);
	while (*p && w->status == AT_OK) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n) {
			at_buf_clear(&w->scratch);
			at_buf_put(&w->scratch, p, n);
			put_str(w, sh, 0, key, w->bold, pos, what);
			put_str(w, sh, 1, at_buf_cstr(&w->scratch), w->wrap,
				pos, what);
			if (w->scratch.oom)
				fail_nomem(w);
			key = NULL;
			next_row(w, sh);
		}
		p += n + (nl != NULL);
	}
	at_buf_free(&text);
}

/* ---- sheets ---- */

static int new_sheet(xw *w, sheet *sh, const char *name)
{
	memset(sh, 0, sizeof *sh);
	sh->name = name;
	sh->ws = w->status == AT_OK ? workbook_add_worksheet(w->wb, name)
				    : NULL;
	if (!sh->ws) {
		fail_nomem(w);
		return 0;
	}
	/* Printed (or saved as PDF) for a funder, a sheet should read across
	 * one page: landscape, as wide as the page, headers on every page. */
	worksheet_set_landscape(sh->ws);
	worksheet_set_paper(sh->ws, 9); /* A4 */
	worksheet_fit_to_pages(sh->ws, 1, 0);
	fail_lxw(w, worksheet_repeat_rows(sh->ws, 0, 0));
	return 1;
}

static void set_widths(xw *w, sheet *sh, const double *width, size_t n,
		       const int *wrap)
{
	sh->width = width;
	sh->n_cols = n;
	for (size_t c = 0; c < n && w->status == AT_OK; c++)
		fail_lxw(w, worksheet_set_column(sh->ws, (lxw_col_t)c,
						 (lxw_col_t)c, width[c],
						 wrap && wrap[c] ? w->wrap
								 : w->top));
}

static void put_header(xw *w, sheet *sh, const char *const *head, size_t n)
{
	for (size_t c = 0; c < n; c++)
		put_str(w, sh, (lxw_col_t)c, head[c], w->bold, (at_pos){0, 0},
			head[c]);
	if (w->status == AT_OK)
		worksheet_freeze_panes(sh->ws, 1, 0);
	next_row(w, sh);
}

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
	if (def->force == AT_FORCE_DRIVER)
		fc->drivers++, w->total.drivers++;
	else if (def->force == AT_FORCE_BRAKE)
		fc->brakes++, w->total.brakes++;
	else if (!(def->builtin && strcmp(def->id.s, "practices") == 0))
		fc->others++, w->total.others++;
}

/* Only the columns still narrow are filled, so the Markdown of the long
 * text columns is made plain only until they reach WIDTH_MAX. Whether a
 * cell is too long is seen in the second pass, which has every cell. */
static int measure_one(const at_contribution *c, void *ctx)
{
	xw *w = ctx;
	if (at_rows_fill_some(&w->rows, c, w->narrow) != AT_OK) {
		fail_nomem(w);
		return 1;
	}
	for (size_t i = 0; i < AT_NCOLS; i++)
		measure_width(w, (at_col)i, &w->rows.cells[i]);
	count_force(w, c);
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
		fail_nomem(w);
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
		put_str(w, sh, (lxw_col_t)col, c->text, f, pos,
			at_col_header(AT_LANG_EN, col));
		break;
	case AT_CELL_NUMBER:
		put_num(w, sh, (lxw_col_t)col, c->number, w->top);
		break;
	case AT_CELL_DATE:
		put_date(w, sh, (lxw_col_t)col, w->date);
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
	if (!new_sheet(w, &p->sh, p->name))
		return;
	int wrap[AT_NCOLS];
	for (size_t i = 0; i < AT_NCOLS; i++)
		wrap[i] = at_col_is_long_text((at_col)i);
	set_widths(w, &p->sh, w->width, AT_NCOLS, wrap);
	const char *head[AT_NCOLS];
	for (size_t i = 0; i < AT_NCOLS; i++)
		head[i] = at_col_header(w->o->lang, (at_col)i);
	put_header(w, &p->sh, head, AT_NCOLS);
	size_t left = w->n_contrib - p->done;
	lxw_row_t last = (lxw_row_t)(left < DATA_ROWS_PER_SHEET
					     ? left
					     : DATA_ROWS_PER_SHEET);
	if (w->status != AT_OK)
		return;
	if (w->constant_memory || last == 0) {
		fail_lxw(w, worksheet_autofilter(p->sh.ws, 0, 0, last,
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
	fail_lxw(w, worksheet_add_table(p->sh.ws, 0, 0, last, AT_NCOLS - 1,
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
		too_long(w, cell->text, cell->len, c->item->pos, what);
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
		fail_nomem(w);
		return 1;
	}
	check_own_cells(w, c);
	for (size_t i = 0; i < AT_NCOLS && w->status == AT_OK; i++)
		put_cell(w, &p->sh, (at_col)i, &w->rows.cells[i], c->item->pos);
	next_row(w, &p->sh);
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

/* ---- Forces ---- */

static void put_counts(xw *w, sheet *sh, const force_counts *fc,
		       lxw_format *f)
{
	put_num(w, sh, 3, (double)fc->drivers, f);
	put_num(w, sh, 4, (double)fc->brakes, f);
	put_num(w, sh, 5, (double)fc->others, f);
	put_num(w, sh, 6, (double)(fc->drivers + fc->brakes + fc->others), f);
}

/* A clustered column chart of one question's drivers against its brakes,
 * one pair of bars per sub-group: the force field of the report. */
static void add_chart(xw *w, sheet *sh, const at_question *q,
		      lxw_row_t first, lxw_row_t last, size_t nth)
{
	if (w->status != AT_OK)
		return;
	lxw_chart *chart = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
	if (!chart) {
		fail_nomem(w);
		return;
	}
	static const lxw_color_t colour[2] = {0x2E7D32, 0xC62828};
	for (lxw_col_t k = 0; k < 2; k++) {
		lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
		if (!series) {
			fail_nomem(w);
			return;
		}
		chart_series_set_categories(series, sh->name, first, 2, last, 2);
		chart_series_set_values(series, sh->name, first, 3 + k, last,
					3 + k);
		chart_series_set_name_range(series, sh->name, 0, 3 + k);
		lxw_chart_fill fill = {colour[k], 0, 0};
		chart_series_set_fill(series, &fill);
	}
	at_buf title;
	at_buf_init(&title);
	at_buf_printf(&title, "%s — %s", w->l->force_field, q->id.s);
	chart_title_set_name(chart, at_buf_cstr(&title));
	lxw_chart_font font;
	memset(&font, 0, sizeof font);
	font.size = 12;
	font.bold = 1;
	chart_title_set_name_font(chart, &font);
	if (title.oom)
		fail_nomem(w);
	at_buf_free(&title);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	lxw_chart_options opt;
	memset(&opt, 0, sizeof opt);
	opt.x_scale = 1.5;
	opt.y_scale = 1.2;
	if (w->status == AT_OK)
		fail_lxw(w, worksheet_insert_chart_opt(
				    sh->ws, (lxw_row_t)(1 + nth * CHART_ROWS),
				    CHART_COL, chart, &opt));
}

static void write_question_forces(xw *w, sheet *sh, size_t qi, size_t nth)
{
	const at_question *q = &w->s->questions[qi];
	const at_subgroup_work *sw = q->subgroups;
	at_buf name;
	at_buf_init(&name);
	force_counts sum = {0, 0, 0};
	lxw_row_t first = sh->row;
	for (size_t g = 0; g < sw->n_groups; g++) {
		const force_counts *fc = &w->forces[w->forces_first[qi] + g];
		put_str(w, sh, 0, q->id.s, w->top, q->pos, w->xl->forces_head[0]);
		put_md(w, sh, 1, q->title, w->wrap, q->pos, w->xl->forces_head[1]);
		at_buf_clear(&name);
		at_rows_group_name(&name, &sw->groups[g]);
		put_str(w, sh, 2, at_buf_cstr(&name), w->top, sw->groups[g].pos,
			w->xl->forces_head[2]);
		put_counts(w, sh, fc, w->top);
		sum.drivers += fc->drivers;
		sum.brakes += fc->brakes;
		sum.others += fc->others;
		next_row(w, sh);
	}
	if (name.oom)
		fail_nomem(w);
	at_buf_free(&name);
	add_chart(w, sh, q, first, sh->row - 1, nth);
	put_str(w, sh, 0, q->id.s, w->bold, q->pos, w->xl->forces_head[0]);
	put_str(w, sh, 2, w->xl->total, w->bold, q->pos, w->xl->total);
	put_counts(w, sh, &sum, w->bold);
	next_row(w, sh);
}

static void write_forces(xw *w)
{
	sheet sh;
	if (!new_sheet(w, &sh, w->xl->sheet[SHEET_FORCES]))
		return;
	static const double width[7] = {12, 50, 28, 10, 10, 18, 8};
	static const int wrap[7] = {0, 1, 0, 0, 0, 0, 0};
	set_widths(w, &sh, width, 7, wrap);
	put_header(w, &sh, w->xl->forces_head, 7);
	size_t nth = 0;
	for (size_t q = 0; q < w->s->n_questions; q++) {
		const at_subgroup_work *sw = w->s->questions[q].subgroups;
		if (sw && sw->n_groups)
			write_question_forces(w, &sh, q, nth++);
	}
	if (nth == 0)
		return;
	put_str(w, &sh, 0, w->xl->all_questions, w->bold, (at_pos){0, 0},
		w->xl->total);
	put_str(w, &sh, 2, w->xl->total, w->bold, (at_pos){0, 0},
		w->xl->total);
	put_counts(w, &sh, &w->total, w->bold);
}

/* ---- Participants ---- */

/* "q1 : Sous-groupe 1; q2 : Sous-groupe 3": the groups p was a member of. */
static void groups_of(xw *w, const at_participant *p, at_buf *out)
{
	const char *sep = w->o->lang == AT_LANG_EN ? ": " : " : ";
	for (size_t q = 0; q < w->s->n_questions; q++) {
		const at_subgroup_work *sw = w->s->questions[q].subgroups;
		for (size_t g = 0; sw && g < sw->n_groups; g++) {
			const at_strs *m = &sw->groups[g].members;
			for (size_t i = 0; i < m->n; i++) {
				if (strcmp(m->v[i].s, p->id.s) != 0)
					continue;
				if (out->len)
					at_buf_puts(out, "; ");
				at_buf_printf(out, "%s%s",
					      w->s->questions[q].id.s, sep);
				at_rows_group_name(out, &sw->groups[g]);
				break;
			}
		}
	}
}

static void write_participants(xw *w)
{
	sheet sh;
	if (!new_sheet(w, &sh, w->xl->sheet[SHEET_PARTICIPANTS]))
		return;
	static const double width[4] = {30, 40, 30, 50};
	static const int wrap[4] = {1, 1, 1, 1};
	set_widths(w, &sh, width, 4, wrap);
	const at_session *s = w->s;
	if (s->n_participants == 0) {
		at_buf count;
		at_buf_init(&count);
		if (s->attendance)
			at_labelf(&count, w->l->participants_count,
				       s->attendance);
		else
			at_buf_puts(&count, w->l->no_list);
		if (count.oom)
			fail_nomem(w);
		put_str(w, &sh, 0, at_buf_cstr(&count), w->top,
			s->attendance_pos, w->l->annex);
		at_buf_free(&count);
		return;
	}
	const char *head[4] = {w->l->name, w->l->organisation, w->l->role,
			       w->xl->groups_of};
	put_header(w, &sh, head, 4);
	at_buf groups;
	at_buf_init(&groups);
	for (size_t i = 0; i < s->n_participants && w->status == AT_OK; i++) {
		const at_participant *p = &s->participants[i];
		put_str(w, &sh, 0, p->name, w->wrap, p->pos, head[0]);
		put_str(w, &sh, 1, p->organisation, w->wrap, p->pos, head[1]);
		put_str(w, &sh, 2, p->role, w->wrap, p->pos, head[2]);
		at_buf_clear(&groups);
		groups_of(w, p, &groups);
		if (groups.oom)
			fail_nomem(w);
		put_str(w, &sh, 3, at_buf_cstr(&groups), w->wrap, p->pos,
			head[3]);
		next_row(w, &sh);
	}
	at_buf_free(&groups);
}

/* ---- Session ---- */

static void kv_str(xw *w, sheet *sh, const char *key, const char *value,
		   at_pos pos)
{
	if (!value || !*value)
		return;
	put_str(w, sh, 0, key, w->bold, pos, key);
	put_str(w, sh, 1, value, w->wrap, pos, key);
	next_row(w, sh);
}

static void kv_num(xw *w, sheet *sh, const char *key, double v)
{
	put_str(w, sh, 0, key, w->bold, (at_pos){0, 0}, key);
	put_num(w, sh, 1, v, w->left);
	next_row(w, sh);
}

static void kv_figures(xw *w, sheet *sh, const at_figures *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const at_figure *fig = &f->v[i];
		put_str(w, sh, 0, w->l->figure, w->bold, fig->pos, w->l->figure);
		put_md(w, sh, 1, fig->caption ? fig->caption : fig->alt, w->wrap,
		       fig->pos, w->l->figure);
		put_figure(w, sh, 2, fig);
		next_row(w, sh);
	}
}

static void kv_phase(xw *w, sheet *sh, const at_phase *p)
{
	at_buf b;
	at_buf_init(&b);
	if (p->minutes)
		at_labelf(&b, w->l->minutes, p->minutes);
	if (p->group_size.min && b.len)
		at_buf_puts(&b, " · ");
	at_format_group_size(&b, w->l, &p->group_size);
	const char *label = at_phase_label(w->l, p);
	if (b.len) {
		kv_str(w, sh, label, at_buf_cstr(&b), p->pos);
		label = NULL;
	}
	if (b.oom)
		fail_nomem(w);
	at_buf_free(&b);
	if (p->text) {
		put_block(w, sh, label, p->text, p->pos, at_phase_label(w->l, p));
	} else if (label) {
		put_str(w, sh, 0, label, w->bold, p->pos, label);
		next_row(w, sh);
	}
}

static void kv_tables(xw *w, sheet *sh)
{
	at_buf b;
	at_buf_init(&b);
	for (size_t i = 0; i < w->s->n_tables; i++) {
		const at_table *t = &w->s->tables[i];
		at_buf_clear(&b);
		at_buf_puts(&b, t->id.s);
		if (t->name)
			at_buf_printf(&b, " — %s", t->name);
		if (t->host)
			at_buf_printf(&b, " (%s %s)", w->l->host, t->host);
		if (i == 0)
			put_str(w, sh, 0, w->xl->tables, w->bold, t->pos,
				w->xl->tables);
		put_str(w, sh, 1, at_buf_cstr(&b), w->wrap, t->pos,
			w->xl->tables);
		next_row(w, sh);
	}
	if (b.oom)
		fail_nomem(w);
	at_buf_free(&b);
}

static void kv_rounds(xw *w, sheet *sh)
{
	at_buf key, b;
	at_buf_init(&key);
	at_buf_init(&b);
	for (size_t i = 0; i < w->s->n_rounds; i++) {
		const at_round *r = &w->s->rounds[i];
		at_buf_clear(&key);
		at_buf_clear(&b);
		at_buf_printf(&key, "%s %zu", w->l->round, i + 1);
		if (r->minutes)
			at_labelf(&b, w->l->minutes, r->minutes);
		for (size_t c = 0; c < r->n_cells; c++) {
			at_buf_puts(&b, b.len ? (c ? "; " : " — ") : "");
			at_buf_printf(&b, "%s:", r->cells[c].question.s);
			for (size_t t = 0; t < r->cells[c].tables.n; t++)
				at_buf_printf(&b, "%s%s", t ? ", " : " ",
					      r->cells[c].tables.v[t].s);
		}
		kv_str(w, sh, at_buf_cstr(&key), at_buf_cstr(&b), r->pos);
	}
	if (key.oom || b.oom)
		fail_nomem(w);
	at_buf_free(&key);
	at_buf_free(&b);
}

static void kv_counts(xw *w, sheet *sh)
{
	const at_session *s = w->s;
	const xlsx_labels *xl = w->xl;
	if (s->n_participants)
		kv_num(w, sh, xl->n_participants, (double)s->n_participants);
	if (s->attendance)
		kv_num(w, sh, xl->attendance, s->attendance);
	kv_num(w, sh, xl->n_questions, (double)s->n_questions);
	kv_num(w, sh, xl->n_contributions, (double)w->n_contrib);
	kv_num(w, sh, xl->n_groups, (double)w->n_groups);
	kv_num(w, sh, xl->n_drivers, (double)w->total.drivers);
	kv_num(w, sh, xl->n_brakes, (double)w->total.brakes);
}

static void kv_header(xw *w, sheet *sh)
{
	const at_session *s = w->s;
	const at_pos none = {0, 0};
	kv_str(w, sh, w->xl->title, plain(w, s->title), none);
	kv_str(w, sh, w->xl->subtitle, s->subtitle, none);
	kv_str(w, sh, w->l->organiser, s->organiser, none);
	if (s->date.year) {
		put_str(w, sh, 0, w->l->date, w->bold, none, w->l->date);
		put_date(w, sh, 1, w->left_date);
		next_row(w, sh);
	}
	kv_str(w, sh, w->l->place, s->place, none);
	at_buf b;
	at_buf_init(&b);
	for (size_t i = 0; i < s->facilitators.n; i++)
		at_buf_printf(&b, "%s%s", i ? "; " : "", s->facilitators.v[i].s);
	kv_str(w, sh, w->l->facilitators, at_buf_cstr(&b), none);
	if (b.oom)
		fail_nomem(w);
	at_buf_free(&b);
}

static void write_session(xw *w)
{
	sheet sh;
	if (!new_sheet(w, &sh, w->xl->sheet[SHEET_SESSION]))
		return;
	static const double width[3] = {30, 100, 30};
	static const int wrap[3] = {1, 1, 0};
	set_widths(w, &sh, width, 3, wrap);
	const at_session *s = w->s;
	const at_pos none = {0, 0};
	kv_header(w, &sh);
	kv_counts(w, &sh);
	put_block(w, &sh, w->l->context, s->context, none, w->l->context);
	kv_figures(w, &sh, &s->figures);
	put_block(w, &sh, w->l->method, s->method, none, w->l->method);
	for (size_t i = 0; i < s->n_phases; i++)
		kv_phase(w, &sh, &s->phases[i]);
	kv_tables(w, &sh);
	kv_rounds(w, &sh);
	put_block(w, &sh, w->l->synthesis, s->synthesis, none,
		  w->l->synthesis);
	kv_num(w, &sh, w->xl->format_version, s->version);
	kv_str(w, &sh, w->xl->atelier_version, ATELIER_VERSION, none);
	kv_str(w, &sh, w->xl->source_file, at_buf_cstr(&w->rows.source_path),
	       none);
}

/* ---- Questions ---- */

typedef struct qrow {
	const char *part, *detail;
	const char *text;    /* plain already */
	const at_figure *fig;
	at_pos pos;
} qrow;

static void put_qrow(xw *w, sheet *sh, const at_question *q, const qrow *r)
{
	if ((!r->text || !*r->text) && (!r->detail || !*r->detail))
		return;
	const char *const *h = w->xl->questions_head;
	put_str(w, sh, 0, q->id.s, w->top, q->pos, h[0]);
	put_str(w, sh, 1, r->part, w->bold, r->pos, h[1]);
	put_str(w, sh, 2, r->detail, w->wrap, r->pos, h[2]);
	put_str(w, sh, 3, r->text, w->wrap, r->pos, h[3]);
	if (r->fig)
		put_figure(w, sh, 4, r->fig);
	next_row(w, sh);
}

/* Figures standing among items, at any depth (not contributions, so the
 * walk skips them: they are listed here). */
static void q_item_figures(xw *w, sheet *sh, const at_question *q,
			   const char *where, const at_items *items)
{
	for (size_t i = 0; i < items->n && w->status == AT_OK; i++) {
		const at_item *it = &items->v[i];
		if (it->figure) {
			const at_figure *f = it->figure;
			qrow r = {w->l->figure, where,
				  plain(w, f->caption ? f->caption : f->alt),
				  f, f->pos};
			put_qrow(w, sh, q, &r);
		}
		q_item_figures(w, sh, q, where, &it->items);
	}
}

static void q_groups(xw *w, sheet *sh, const at_question *q)
{
	const at_subgroup_work *sw = q->subgroups;
	at_buf name, text;
	at_buf_init(&name);
	at_buf_init(&text);
	for (size_t g = 0; g < sw->n_groups && w->status == AT_OK; g++) {
		const at_group *gr = &sw->groups[g];
		at_buf_clear(&name);
		at_buf_clear(&text);
		at_rows_group_name(&name, gr);
		if (gr->size)
			at_labelf(&text, w->l->size, gr->size);
		for (size_t m = 0; m < gr->members.n; m++) {
			const at_participant *p =
				at_session_participant(w->s, gr->members.v[m].s);
			at_buf_printf(&text, "%s%s", text.len ? "; " : "",
				      p ? p->name : gr->members.v[m].s);
		}
		qrow r = {w->l->group, at_buf_cstr(&name), at_buf_cstr(&text),
			  NULL, gr->pos};
		put_qrow(w, sh, q, &r);
		for (size_t f = 0; f < gr->figures.n; f++) {
			const at_figure *fig = &gr->figures.v[f];
			qrow fr = {w->l->figure, at_buf_cstr(&name),
				   plain(w, fig->caption ? fig->caption : fig->alt),
				   fig, fig->pos};
			put_qrow(w, sh, q, &fr);
		}
		for (size_t k = 0; k < gr->n_sections; k++)
			q_item_figures(w, sh, q, at_buf_cstr(&name),
				       &gr->sections[k].items);
	}
	if (name.oom || text.oom)
		fail_nomem(w);
	at_buf_free(&name);
	at_buf_free(&text);
}

static void q_subgroups(xw *w, sheet *sh, const at_question *q)
{
	const at_subgroup_work *sw = q->subgroups;
	if (sw->brief) {
		/* One cell: the brief is read as a whole. */
		at_buf text;
		at_buf_init(&text);
		if (at_md_plain(&text, sw->brief))
			fail_nomem(w);
		qrow r = {w->l->brief, NULL, at_buf_cstr(&text), NULL, sw->pos};
		put_qrow(w, sh, q, &r);
		at_buf_free(&text);
	}
	if (sw->group_size.min) {
		at_buf size;
		at_buf_init(&size);
		at_format_group_size(&size, w->l, &sw->group_size);
		if (size.oom)
			fail_nomem(w);
		qrow r = {w->xl->group_size, NULL, at_buf_cstr(&size), NULL,
			  sw->group_size.pos};
		put_qrow(w, sh, q, &r);
		at_buf_free(&size);
	}
	q_groups(w, sh, q);
}

static void q_expect(xw *w, sheet *sh, const at_question *q,
		     const char *step, const at_expect *e)
{
	at_buf text;
	at_buf_init(&text);
	const char *label = e->def ? at_section_def_label(w->l, e->def)
				   : e->section.s;
	at_labelf(&text, w->l->expect, label, e->range.min, e->range.max);
	if (text.oom)
		fail_nomem(w);
	qrow r = {step, w->xl->expected, at_buf_cstr(&text), NULL,
		  e->section.pos};
	put_qrow(w, sh, q, &r);
	at_buf_free(&text);
}

static void q_kit(xw *w, sheet *sh, const at_question *q)
{
	const at_kit *k = q->kit;
	at_buf step, title;
	at_buf_init(&step);
	at_buf_init(&title);
	for (size_t i = 0; i < k->n_steps && w->status == AT_OK; i++) {
		const at_kit_step *st = &k->steps[i];
		at_buf_clear(&step);
		if (st->step)
			at_buf_puts(&step, st->step);
		else
			at_rows_step_name(&step, w->o->lang,
					  &(at_kit_step){.step = NULL}, i);
		/* Step, title and prompt side by side, read as one line:
		 * "Temps 1 | Etat des lieux | Est-ce que vous...". */
		const char *name = at_buf_cstr(&step);
		at_buf_clear(&title);
		if (st->title)
			at_md_plain_inline(&title, st->title);
		qrow r = {name, at_buf_cstr(&title), plain(w, st->prompt), NULL,
			  st->pos};
		put_qrow(w, sh, q, &r);
		for (size_t e = 0; e < st->n_expect; e++)
			q_expect(w, sh, q, name, &st->expect[e]);
		q_item_figures(w, sh, q, name, &st->asks);
	}
	if (step.oom || title.oom)
		fail_nomem(w);
	at_buf_free(&step);
	at_buf_free(&title);
}

static void write_question(xw *w, sheet *sh, const at_question *q)
{
	qrow t = {w->l->question, NULL, plain(w, q->title), NULL, q->pos};
	put_qrow(w, sh, q, &t);
	for (size_t i = 0; i < q->prompts.n; i++) {
		char n[24];
		snprintf(n, sizeof n, "%zu", i + 1);
		qrow r = {w->l->prompts, n, plain(w, q->prompts.v[i].s), NULL,
			  q->prompts.v[i].pos};
		put_qrow(w, sh, q, &r);
	}
	if (q->brainstorm)
		q_item_figures(w, sh, q, w->l->brainstorm, &q->brainstorm->items);
	if (q->subgroups)
		q_subgroups(w, sh, q);
	if (q->kit)
		q_kit(w, sh, q);
}

static void write_questions(xw *w)
{
	sheet sh;
	if (!new_sheet(w, &sh, w->xl->sheet[SHEET_QUESTIONS]))
		return;
	static const double width[5] = {12, 24, 24, 100, 24};
	static const int wrap[5] = {0, 1, 1, 1, 0};
	set_widths(w, &sh, width, 5, wrap);
	put_header(w, &sh, w->xl->questions_head, 5);
	for (size_t q = 0; q < w->s->n_questions && w->status == AT_OK; q++)
		write_question(w, &sh, &w->s->questions[q]);
}

/* ---- the workbook ---- */

static lxw_format *new_format(xw *w, int bold, int wrap, const char *num,
			      int left)
{
	lxw_format *f = workbook_add_format(w->wb);
	if (!f) {
		fail_nomem(w);
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
		fail_nomem(w);
	else if (w->status == AT_OK)
		fail_lxw(w, workbook_set_properties(w->wb, &props));
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
	write_contributions(w);
	write_forces(w);
	write_participants(w);
	write_session(w);
	write_questions(w);
}

/* ---- the temporary file ---- */

static const char *tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
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

/* Builds the workbook in a private temporary file (removed on every path)
 * and copies it to out. */
static void build_and_copy(xw *w, FILE *out)
{
	at_buf path;
	at_buf_init(&path);
	at_buf_printf(&path, "%s/atelier-xlsx-XXXXXX", tmp_dir());
	if (path.oom) {
		fail_nomem(w);
		return;
	}
	int fd = at_tmp_create(path.s, AT_TMP_PRIVATE);
	if (fd < 0) {
		at_diag_add(w->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot create a temporary file in %s: %s",
			    tmp_dir(), strerror(errno));
		w->status = AT_EIO;
		at_buf_free(&path);
		return;
	}
	/* ZIP64 only where a sheet may pass 4 GiB: some readers warn about
	 * it in small files. */
	lxw_workbook_options opt = {(uint8_t)w->constant_memory,
				    (char *)tmp_dir(),
				    (uint8_t)w->constant_memory};
	w->wb = workbook_new_opt(path.s, &opt);
	if (!w->wb)
		fail_nomem(w);
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
	fail_lxw(w, err);
	unlink(path.s);
	at_tmp_untrack(path.s);
	if (w->status == AT_OK)
		w->status = copy_fd(fd, out);
	close(fd);
	at_buf_free(&path);
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
	w.xl = o->lang == AT_LANG_EN ? &xlsx_en : &xlsx_fr;
	at_buf_init(&w.scratch);
	w.status = at_rows_init(&w.rows, s, o->lang);
	if (w.status == AT_ENOMEM) {
		w.status = AT_OK;
		fail_nomem(&w);
	}
	w.figs = at_figure_set_for(s, o, &w.own_figs);
	if (!w.figs)
		fail_nomem(&w);
	if (w.status == AT_OK)
		first_pass(&w);
	/* Rows past the header, over every Contributions sheet. */
	w.constant_memory = w.n_contrib > CONSTANT_MEMORY_ROWS;
	if (w.status == AT_OK)
		build_and_copy(&w, out);
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
		fail_nomem(w);
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
		fail_nomem(&w);
	}
	if (w.status == AT_OK)
		at_session_walk(s, check_one, &w);
	at_rows_free(&w.rows);
	return w.status;
}

const at_emitter at_emit_xlsx = {
	.name = "xlsx",
	.ext = "xlsx",
	.description = "spreadsheet of every contribution (Excel/LibreOffice)",
	.flags = AT_EMITTER_DOCUMENT | AT_EMITTER_BINARY | AT_EMITTER_INDEXED |
		 AT_EMITTER_BOOK,
	.emit = emit_xlsx,
	.check = check_xlsx,
};
