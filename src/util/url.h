/* url.h: every link atelier writes from a path (the index pages, the merged
 * workbook's HYPERLINK, the Markdown report's figures) is made here: a
 * relative URL, from the folder of the file that holds the link to the
 * file it names, each segment percent-encoded. */
#ifndef ATELIER_URL_H
#define ATELIER_URL_H

#include "buf.h"

/* Appends the path of `to` relative to the folder `from`, '/'-separated,
 * raw (not encoded), lexically: "public/" and "./public" are one folder.
 * Made absolute against the current folder first when only one of them
 * is, or when `from` climbs out of the part they share. 0, or -1 when out
 * of memory. */
int at_path_rel(at_buf *out, const char *from, const char *to);

/* Appends rel, a relative path of '/'-separated segments, as a URL path:
 * in each segment every byte but RFC 3986's unreserved ones (letters,
 * digits, "-._~") becomes %XX. No name can then become a scheme
 * ("javascript:x" -> "javascript%3Ax"), a query, a fragment, leave an
 * HTML attribute, a Markdown link or a table row, or a formula's
 * string. */
void at_url_path(at_buf *out, const char *rel);

/* at_path_rel, then at_url_path. */
int at_url_rel(at_buf *out, const char *from, const char *to);

#endif
