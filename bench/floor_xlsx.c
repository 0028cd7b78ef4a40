/* floor_xlsx.c: the floor of writing a session's contributions with
 * libxlsxwriter, for the benchmarks (docs/performance.md).
 *
 *   build/bench/floor_xlsx CELLS OUT.xlsx
 *
 * CELLS holds the cells of atelier's Contributions sheet, typed (see
 * bench/floor-inputs). They are written to one worksheet in the memory
 * mode atelier chooses for the same number of rows (src/emit/emit_xlsx.c:
 * constant_memory above 50,000 rows, with ZIP64 then), a bold header and a
 * date format being the only formats. Reading CELLS is a sequential
 * getdelim() per cell. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

enum { CONSTANT_MEMORY_ROWS = 50000 }; /* as src/emit/emit_xlsx.c */

static int write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		      const char *rec, lxw_format *bold, lxw_format *date)
{
	const char *v = rec + 1;
	switch (rec[0]) {
	case 's':
		return worksheet_write_string(ws, row, col, v,
					      row ? NULL : bold);
	case 'n':
		return worksheet_write_number(ws, row, col, strtod(v, NULL),
					      NULL);
	case 'd': {
		lxw_datetime dt = {0};
		if (sscanf(v, "%d-%d-%d", &dt.year, &dt.month, &dt.day) != 3)
			return -1;
		return worksheet_write_datetime(ws, row, col, &dt, date);
	}
	default: /* 'e': nothing to write */
		return 0;
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: floor_xlsx CELLS OUT.xlsx\n", stderr);
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 2;
	}
	char *rec = NULL;
	size_t cap = 0;
	if (getdelim(&rec, &cap, '\0', in) < 2 || rec[0] != 'N') {
		fprintf(stderr, "%s: no row count\n", argv[1]);
		return 2;
	}
	unsigned long rows = strtoul(rec + 1, NULL, 10);
	uint8_t big = rows > CONSTANT_MEMORY_ROWS + 1; /* + the header */
	lxw_workbook_options opt = {big, NULL, big};
	lxw_workbook *wb = workbook_new_opt(argv[2], &opt);
	if (!wb)
		return 2;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Contributions");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	lxw_row_t row = 0;
	lxw_col_t col = 0;
	int rc = 0;
	while (getdelim(&rec, &cap, '\0', in) > 1) {
		if (rec[0] == 'R') {
			row++;
			col = 0;
			continue;
		}
		if (write_cell(ws, row, col++, rec, bold, date) != 0)
			rc = 1;
	}
	free(rec);
	fclose(in);
	lxw_error err = workbook_close(wb);
	if (err != LXW_NO_ERROR) {
		fprintf(stderr, "%s: %s\n", argv[2], lxw_strerror(err));
		return 2;
	}
	printf("%lu rows%s\n", (unsigned long)row,
	       big ? " (constant memory)" : "");
	return rc;
}
