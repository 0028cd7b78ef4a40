/* read.h: stage 1, the bytes of a session file: size limit, UTF-8 check,
 * byte-order mark. Line breaks are left to libyaml, which accepts CRLF.
 *
 * The text need not stay in memory: a regular file, once checked, is read
 * again where it is needed (by libyaml, for a position, for an excerpt)
 * through a window (at_source_view), so that a large file does not sit
 * whole beside its tree and its model. */
#ifndef ATELIER_READ_H
#define ATELIER_READ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "atelier/atelier.h"

typedef struct at_source_file at_source_file;

/* What a build records of a file it read (manifest.c): its size and time
 * of last modification as they were before it was read, and the hash of
 * the very bytes read (a byte-order mark included). If the file changes
 * while or after it is read, the record no longer matches it, and the
 * next build rebuilds. */
typedef struct at_source_stamp {
	int valid;          /* a regular file; else nothing to record */
	long long size;
	struct timespec mtime;
	uint64_t hash;
} at_source_stamp;

typedef struct at_source {
	char *data;   /* malloc'd, NUL-terminated, BOM removed; NULL once
		       * dropped (at_source_drop_text) */
	size_t len;   /* bytes of text, BOM removed */
	at_source_file *file; /* the open file it can be read again from,
			       * or NULL (a buffer, a pipe) */
	at_source_stamp stamp;
} at_source;

/* Reads path whole. AT_EIO with a diagnostic at 0:0 when it cannot be read
 * or is over max_input; AT_EINPUT with a positioned one when it is not
 * UTF-8 or holds a NUL byte (the data is still returned, for excerpts). A
 * regular file is kept open, to be read again. */
at_status at_source_read(const char *path, size_t max_input, at_source *src,
			 at_diags *d);

/* Reads standard input whole, with the same checks; the text stays in
 * memory (a pipe cannot be read again). */
at_status at_source_read_stdin(size_t max_input, at_source *src, at_diags *d);

/* The same checks on bytes already in memory (copied). */
at_status at_source_from_buffer(const char *buf, size_t len, size_t max_input,
				at_source *src, at_diags *d);

/* A regular file to read again (at_source_view, at_source_lines) without
 * reading it now, nor checking it: a file checked by an earlier build, and
 * unchanged since, whose lines are quoted again. AT_EIO when it cannot be
 * opened or is not a regular file. */
at_status at_source_open(const char *path, at_source *src);

/* Frees the text when it can be read again from its file; keeps it
 * otherwise. */
void at_source_drop_text(at_source *src);

/* Whether the file changed since it was read (then what is read again is
 * no longer what was checked); 0 for a text in memory. */
int at_source_changed(const at_source *src);

/* Copies up to n bytes of text from offset off into buf; *got receives how
 * many (fewer only at the end). -1 when the file cannot be read. */
int at_source_copy(const at_source *src, size_t off, char *buf, size_t n,
		   size_t *got);

void at_source_free(at_source *src);

/* A document of the file's text only, neither read now nor parsed
 * (at_source_open): what the diagnostics replayed for an up-to-date
 * session quote (document.c). NULL when the file cannot be opened. */
at_document *at_document_open_source(const char *path);

/* The stamp of the file a document was read from (document.c). */
const at_source_stamp *at_document_stamp(const at_document *doc);

/* A window on the text: the text itself when in memory, else a buffer
 * refilled from the file. Reading forward is cheap; anything else works. */
typedef struct at_source_view {
	const at_source *src;
	char *buf;
	size_t cap;
	size_t base, n;   /* buf holds text [base, base + n) */
} at_source_view;

void at_view_init(at_source_view *v, const at_source *src);
void at_view_free(at_source_view *v);

/* The text from off on, and in *avail how much of it is at hand: at least
 * want bytes, or all up to the end of the text. *avail is 0 (and the
 * result NULL) at the end, or when the file cannot be read. */
const char *at_view_get(at_source_view *v, size_t off, size_t want,
			size_t *avail);

/* Offset of the first byte c at or after off, or SIZE_MAX. */
size_t at_view_find(at_source_view *v, size_t off, char c);

/* Characters in [from, to), counted as at_utf8_count counts them. */
size_t at_view_count(at_source_view *v, size_t from, size_t to);

/* Moves *pos forward by n characters (fewer at the end of the text), each
 * as at_utf8_seq_len steps over it; returns how many it moved by. */
size_t at_view_step(at_source_view *v, size_t *pos, size_t n);

/* 1-based line and column (in characters) of byte offset off. */
at_pos at_view_pos(at_source_view *v, size_t off);
at_pos at_source_pos(const char *data, size_t len, size_t off);

/* Lines of the text, for excerpts: line n (1-based) without its line
 * break (LF or CRLF), or NULL when there is none. Asking in increasing
 * order reads the text once. The result lasts until the next call. */
typedef struct at_source_lines {
	at_source_view view;
	uint32_t line;    /* the line found last, 0 before any */
	size_t start;     /* its offset */
	int stale;        /* the file changed: no excerpt is trusted */
} at_source_lines;

void at_lines_init(at_source_lines *l, const at_source *src);
const char *at_lines_get(at_source_lines *l, uint32_t n, size_t *len);
void at_lines_free(at_source_lines *l);

#endif
