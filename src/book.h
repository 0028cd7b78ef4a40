/* book.h: the workbook of every session's contributions that a folder
 * build writes (OUT/contributions.xlsx). */
#ifndef ATELIER_BOOK_H
#define ATELIER_BOOK_H

#include "atelier/atelier.h"

/* Its name in OUT. */
#define AT_BOOK_STEM "contributions"
#define AT_BOOK_NAME AT_BOOK_STEM ".xlsx"

typedef struct at_book_session {
	const char *name;    /* as shown: the file relative to the root */
	const char *input;   /* the session file, read again */
	/* Its report linked, relative to OUT without the extension (a
	 * path, not a URL), and the extension; or NULL. */
	const char *report, *ext;
} at_book_session;

/* OUT/contributions.xlsx is written a session at a time, so that a
 * parallel build can fill it while its workers build the next sessions:
 * opened (NULL when the temporary file cannot be made: then a diagnostic
 * in d), sessions added in their order, then closed.
 *
 * lang: the workbook's language, or -1 for the sessions' own when they
 * all agree, else French (at_lang_fold, as the index decides). Then the
 * book starts in the first session's language and, should an English
 * book meet a French session, starts again in French: at most once. */
typedef struct at_book at_book;

at_book *at_book_open(const char *out_dir, int lang, const at_limits *lim,
		      at_diags *d);
/* Reads the session again and writes its rows; one that no longer loads
 * without error is left out (its own build said why). */
void at_book_add(at_book *b, const at_book_session *s);
/* Closes and frees b. keep: replaces OUT/contributions.xlsx with it, the
 * workbook created at timestamp (seconds since 1970); otherwise removes it
 * (a build that failed to finish). */
at_status at_book_close(at_book *b, long long timestamp, int keep);

#endif
