/* rows.h: the table of contributions that the spreadsheet (Contributions
 * sheet) and the CSV export share: its columns, their headers in each
 * language, and one contribution turned into those columns as plain text.
 * Both emitters build their rows here, so they cannot disagree on what a
 * column holds. */
#ifndef ATELIER_ROWS_H
#define ATELIER_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "atelier/atelier.h"
#include "buf.h"
#include "labels.h"

/* The columns, in the order they are written. docs/spreadsheet.md
 * describes each one: keep it in step. */
typedef enum at_col {
	AT_COL_SESSION,     /* session title */
	AT_COL_DATE,
	AT_COL_PLACE,
	AT_COL_QUESTION_ID,
	AT_COL_QUESTION,    /* its title */
	AT_COL_PHASE,
	AT_COL_GROUP,       /* sub-group */
	AT_COL_SECTION,     /* heading the item stands under in the report */
	AT_COL_KIND,        /* in the report's language */
	AT_COL_KIND_ID,     /* stable English word, for filters and scripts */
	AT_COL_FORCE,       /* driver, brake or empty */
	AT_COL_DEPTH,
	AT_COL_PARENT,
	AT_COL_TEXT,
	AT_COL_AUTHORS,
	AT_COL_TAGS,
	AT_COL_VOTES,
	AT_COL_ROUND,
	AT_COL_TABLE,
	AT_COL_WEIGHT,
	AT_COL_LINK,
	AT_COL_NOTE,
	AT_COL_SOURCE,      /* file:line */
	AT_NCOLS
} at_col;

typedef enum at_cell_type {
	AT_CELL_EMPTY,
	AT_CELL_TEXT,
	AT_CELL_NUMBER,
	AT_CELL_DATE        /* the session's date; text is YYYY-MM-DD */
} at_cell_type;

/* One cell. text is always a valid string: what a CSV writes ("" when
 * empty, the number or the ISO date as text otherwise). */
typedef struct at_cell {
	at_cell_type type;
	const char *text;
	size_t len;         /* bytes of text */
	double number;      /* AT_CELL_NUMBER */
} at_cell;

/* The row builder. Its buffers are reused from one row to the next, so a
 * million rows cost no more memory than one. */
typedef struct at_rows {
	const at_session *s;
	const at_labels *l;
	at_lang lang;
	at_cell cells[AT_NCOLS];
	/* Per-session texts, computed once. */
	at_buf title, date, place, source_path;
	/* The current question's plain title, computed when it changes. */
	const at_question *question;
	at_buf question_title;
	/* The item at each depth along the current path, with its plain
	 * text: the walk visits a parent right before its children, so a
	 * child's parent column is the entry one level up, with no second
	 * cmark. */
	struct at_rows_step {
		const at_item *item;
		at_buf text;
	} *path;
	size_t path_cap;
	at_buf cell[AT_NCOLS]; /* the remaining cells of this row */
} at_rows;

/* The header of a column in a language. */
const char *at_col_header(at_lang lang, at_col c);

/* Whether a column holds long free text (wrapped in the spreadsheet). */
int at_col_is_long_text(at_col c);

at_status at_rows_init(at_rows *r, const at_session *s, at_lang lang);
void at_rows_free(at_rows *r);

/* Fills r->cells with c's columns. The texts stay valid until the next
 * call. AT_ENOMEM when memory ran out. */
at_status at_rows_fill(at_rows *r, const at_contribution *c);

/* A set of columns, one bit each. */
typedef uint32_t at_cols;
#define AT_COL_BIT(c) ((at_cols)1 << (c))
#define AT_ALL_COLS (AT_COL_BIT(AT_NCOLS) - 1)

/* at_rows_fill for a caller that needs only some columns: of the columns
 * made plain from Markdown (text, parent item, note: a cmark parse each),
 * those that want leaves out are left empty and cost nothing; the other
 * columns cost little and are filled all the same. */
at_status at_rows_fill_some(at_rows *r, const at_contribution *c,
			    at_cols want);

/* The kind of a contribution in a language: "frein", "brake", a custom
 * section's label... */
const char *at_rows_kind_label(const at_labels *l, const at_contribution *c);

/* A group's name for a cell: its name, its theme, or both. */
void at_rows_group_name(at_buf *out, const at_group *g);

/* The phase of the workshop a contribution comes from, or "" when the
 * session declares none of that kind. */
const char *at_rows_phase(const at_labels *l, const at_session *s,
			  at_origin origin);

/* The whole "Temps 1 : Etat des lieux..." heading of a kit step, plain. */
void at_rows_step_name(at_buf *out, at_lang lang, const at_kit_step *st,
		       size_t index);

/* The creation time to give libxlsxwriter for timestamp: it reads 0 as
 * "now", so the epoch itself is written a second later and the bytes
 * never depend on the clock. */
long long at_rows_created(long long timestamp);

#endif
