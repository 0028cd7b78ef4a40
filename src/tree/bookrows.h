/* bookrows.h: the rows a session gives the merged workbook of a folder
 * build (OUT/contributions.xlsx, book.c), kept beside its reports in a
 * hidden file. A worker writes them from the session it has just built
 * (rows.c, in the workbook's language); the parent reads them back when it
 * fills the workbook, for the sessions built now and for those up to date,
 * so that it never parses a session again. The file is an output of the
 * session like its reports: written whole or not at all, recorded in the
 * manifest, removed by --prune; a session whose file is gone is rebuilt. */
#ifndef ATELIER_BOOKROWS_H
#define ATELIER_BOOKROWS_H

#include "atelier/atelier.h"
#include "rows.h"

/* What the file's name adds to the report's stem: "2016/.moulins" then
 * this. Its format's version goes into the options hash: a build made
 * before the format changed is rebuilt. */
#define AT_BOOKROWS_SUFFIX ".atelier-rows"
#define AT_BOOKROWS_VERSION "atelier-rows 1"

/* The file of the session whose reports are stem (a path without
 * extension, "OUT/2016/moulins"), malloc'd: "OUT/2016/.moulins.atelier-rows". */
char *at_bookrows_path(const char *stem);

/* Writes dir/name: every contribution of s as rows.c makes it in lang. */
at_status at_bookrows_write(const at_session *s, at_lang lang,
			    const char *dir, const char *name, at_diags *d);

/* One row read back: the cells of rows.c's columns, and the line of the
 * session the contribution stands on (for a message). Non-zero stops. */
typedef int (*at_bookrow_fn)(void *ctx, unsigned line, const at_cell *cells);

/* Reads path and calls fn for each row, in order. AT_EIO when the file
 * cannot be read or is not one this version wrote (nothing then said: the
 * caller names the file); AT_OK, also when fn stopped. */
at_status at_bookrows_read(const char *path, at_bookrow_fn fn, void *ctx);

#endif
