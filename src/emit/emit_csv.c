/* emit_csv.c: the Contributions table as CSV, for tools that import CSV
 * rather than spreadsheets. RFC 4180: comma-separated, CRLF line ends,
 * fields quoted when they hold a quote, the separator, CR or LF, quotes
 * doubled; UTF-8, with a byte-order mark only under --csv-bom. The Excel
 * dialect (--csv=excel) is the same with a byte-order mark (without one
 * Excel reads UTF-8 as Windows-1252: é becomes Ã©) and, when the labels
 * are French, ';' between fields: Excel in a French locale splits on ';'
 * (the decimal separator is the comma, which numbers then take too), and
 * shows a comma-separated file in one column. The rows are the spreadsheet's, built by rows.c;
 * docs/spreadsheet.md describes the columns. */
#include <string.h>

#include "atelier/emitter.h"
#include "rows.h"

/* A spreadsheet opening the file would run a text starting like a formula
 * (CSV injection). Such a text gets a leading apostrophe, the way
 * spreadsheet-safe exporters do (OWASP "CSV Injection"): '=' '+' '-' '@',
 * and tab and CR, which some programs skip before reading a formula. */
static int starts_like_formula(const at_cell *c)
{
	return c->type == AT_CELL_TEXT && c->len > 0 &&
	       strchr("=+-@\t\r", c->text[0]) != NULL;
}

static int needs_quotes(const char *s, size_t len, char sep)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '"' || s[i] == sep || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

static void write_field(FILE *out, const at_cell *c, char sep)
{
	int quote = needs_quotes(c->text, c->len, sep);
	if (quote)
		fputc('"', out);
	if (starts_like_formula(c))
		fputc('\'', out);
	/* With ';' between fields (French Excel), a decimal comma. */
	int comma = sep == ';' && c->type == AT_CELL_NUMBER;
	for (size_t i = 0; i < c->len; i++) {
		if (c->text[i] == '"')
			fputc('"', out);
		fputc(comma && c->text[i] == '.' ? ',' : c->text[i], out);
	}
	if (quote)
		fputc('"', out);
}

static void write_row(FILE *out, const at_cell *cells, char sep)
{
	for (size_t i = 0; i < AT_NCOLS; i++) {
		if (i)
			fputc(sep, out);
		write_field(out, &cells[i], sep);
	}
	fputs("\r\n", out);
}

typedef struct csv_ctx {
	at_rows rows;
	FILE *out;
	char sep;
	at_status status;
} csv_ctx;

static int write_contribution(const at_contribution *c, void *ctx)
{
	csv_ctx *x = ctx;
	x->status = at_rows_fill(&x->rows, c);
	if (x->status != AT_OK)
		return 1;
	write_row(x->out, x->rows.cells, x->sep);
	return ferror(x->out) ? (x->status = AT_EIO, 1) : 0;
}

static void write_header(FILE *out, at_lang lang, char sep)
{
	at_cell cells[AT_NCOLS];
	for (size_t i = 0; i < AT_NCOLS; i++) {
		const char *h = at_col_header(lang, (at_col)i);
		cells[i] = (at_cell){AT_CELL_TEXT, h, strlen(h), 0};
	}
	write_row(out, cells, sep);
}

static at_status emit_csv(const at_session *s, FILE *out,
			  const at_emit_options *o, at_diags *d)
{
	csv_ctx x;
	x.out = out;
	x.sep = o->csv == AT_CSV_EXCEL ? at_labels_for(o->lang)->excel_sep[0]
				       : ',';
	x.status = at_rows_init(&x.rows, s, o->lang);
	if (x.status == AT_OK) {
		if (o->csv != AT_CSV_RFC4180)
			fputs("\xEF\xBB\xBF", out);
		write_header(out, o->lang, x.sep);
		at_session_walk(s, write_contribution, &x);
	}
	at_rows_free(&x.rows);
	if (x.status == AT_ENOMEM)
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory while writing the CSV");
	if (x.status == AT_OK && ferror(out))
		x.status = AT_EIO;
	return x.status;
}

const at_emitter at_emit_csv = {
	.name = "csv",
	.ext = "csv",
	.description = "contributions as CSV (RFC 4180, or --csv=excel)",
	.flags = AT_EMITTER_INDEXED,
	.emit = emit_csv,
};
