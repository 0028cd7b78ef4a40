/* bookrows.h: a session's part of the merged workbook of a folder build
 * (OUT/contributions.xlsx, book.c), kept beside its reports in a hidden
 * file. A worker writes it from the session it has just built: its rows
 * as the sheet's XML (bookxml.h), compressed once, in joinable pieces.
 * The parent copies those bytes into the workbook as they are, for the
 * sessions built now and for those up to date, so that remaking the
 * workbook costs a copy, never a parse or a compression of a session it
 * did not build. The file is an output of the session like its reports:
 * written whole or not at all, recorded in the manifest, removed by
 * --prune; a session whose file is gone is rebuilt. */
#ifndef ATELIER_BOOKROWS_H
#define ATELIER_BOOKROWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "atelier/atelier.h"
#include "bookxml.h"

/* What the file's name adds to the report's stem: "2016/.moulins" then
 * this. Its format's version goes into the options hash: a build made
 * before the format changed is rebuilt. */
#define AT_BOOKROWS_SUFFIX ".atelier-rows"
#define AT_BOOKROWS_VERSION "atelier-rows 3"

/* The file of the session whose reports are stem (a path without
 * extension, "OUT/2016/moulins"), malloc'd: "OUT/2016/.moulins.atelier-rows". */
char *at_bookrows_path(const char *stem);

/* Every contribution of s as rows.c makes it in lang, each row with
 * shown (the session's file as the workbook names it) and url (its
 * report, relative to OUT; NULL: none), compressed: the file's content,
 * written among the session's outputs by at_bookrows_put (an at_write_fn:
 * output.h), so that it reaches the disk with the reports. NULL on OOM. */
typedef struct at_bookrows at_bookrows;
at_bookrows *at_bookrows_make(const at_session *s, at_lang lang,
			      const char *shown, const char *url);
at_status at_bookrows_put(FILE *f, void *rows);
void at_bookrows_free(at_bookrows *r);

/* One piece of the file: at most a sheet's worth of rows (a session of
 * more rows than a sheet holds has several pieces, each starting a sheet
 * of its own when it does not fit the current one). */
typedef struct at_bookrows_piece {
	size_t rows;
	uint32_t crc;        /* of the XML */
	uint64_t len;        /* of the XML */
	const char *bytes;   /* raw deflate, ended by a sync flush */
	size_t size;
} at_bookrows_piece;

typedef int (*at_bookrows_fn)(void *ctx, const at_bookrows_piece *p);

/* Reads path and calls fn for each piece, in order. AT_EIO when the file
 * cannot be read or is not one this version wrote (nothing then said: the
 * caller names the file); AT_OK, also when fn stopped. */
at_status at_bookrows_read(const char *path, at_bookrows_fn fn, void *ctx);

#endif
