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
	const char *rows;    /* its rows, as its build wrote them (bookrows.h) */
	int lang;            /* the session's language, -1 if unknown */
} at_book_session;

/* OUT/contributions.xlsx: opened (NULL when the temporary file cannot be
 * made: then a diagnostic in d), sessions added in their order as they
 * finish, then closed, which assembles it from their rows files.
 *
 * lang: the language of the workbook's own words (sheet names, headers),
 * or -1 for the sessions' when they all agree, else French (at_lang_fold,
 * as the index decides). Each session's rows keep the words of its own
 * reports (bookrows.h). */
typedef struct at_book at_book;

at_book *at_book_open(const char *out_dir, int lang, at_diags *d);
/* Takes the session's rows, from s->rows when the book is closed: the
 * session itself is never read again. A file that cannot be read then is
 * an error (the workbook is not replaced) that says to build again with
 * --force. */
void at_book_add(at_book *b, const at_book_session *s);
/* Closes and frees b. keep: replaces OUT/contributions.xlsx with it, the
 * workbook created at timestamp (seconds since 1970); otherwise removes it
 * (a build that failed to finish). */
at_status at_book_close(at_book *b, long long timestamp, int keep);
/* Frees b and touches no file: in a process that left closing b to
 * another (build_tree.c writes it beside the index). */
void at_book_forget(at_book *b);

#endif
