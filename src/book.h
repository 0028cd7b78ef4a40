/* book.h: the workbook of every session's contributions that a folder
 * build writes (OUT/contributions.xlsx). */
#ifndef ATELIER_BOOK_H
#define ATELIER_BOOK_H

#include "atelier/atelier.h"

typedef struct at_book_session {
	const char *name;    /* as shown: the file relative to the root */
	const char *input;   /* the session file, read again */
	const char *report;  /* its report, relative to OUT, or NULL */
} at_book_session;

/* Writes OUT/contributions.xlsx atomically, sessions in the order given.
 * timestamp: the workbook's creation time (seconds since 1970). */
at_status at_book_write(const char *out_dir, const at_book_session *v,
			size_t n, at_lang lang, long long timestamp,
			const at_limits *lim, at_diags *d);

#endif
