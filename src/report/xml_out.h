/* xml_out.h: what the word-processor formats (ODT, DOCX: zips of XML
 * parts) need to write XML text: any text made safe for an element or a
 * double-quoted attribute through the project's one cleaner of invalid
 * characters (at_text_for_xml) and its one entity escaper
 * (at_html_escape), and a timestamp as XML Schema's dateTime. Knows
 * nothing of either format. */
#ifndef ATELIER_XML_OUT_H
#define ATELIER_XML_OUT_H

#include <stddef.h>

#include "buf.h"

/* Scratch space of the functions below, reused from call to call. */
typedef struct at_xml_tmp {
	at_buf piece, clean;
} at_xml_tmp;

void at_xml_tmp_init(at_xml_tmp *t);
void at_xml_tmp_free(at_xml_tmp *t);

/* Cleans len bytes of s (not NUL-terminated, any bytes) into t->clean,
 * cleared first: the characters XML refuses as U+FFFD. For a writer that
 * treats some characters itself (ODF's spaces, tabs and line breaks)
 * before escaping the rest with at_html_escape. -1 on OOM. */
int at_xml_clean(at_xml_tmp *t, const char *s, size_t len);

/* Appends len bytes of s to out cleaned, with & < > " as entities: safe
 * in an element and in a double-quoted attribute. -1 on OOM. */
int at_xml_escape(at_buf *out, at_xml_tmp *t, const char *s, size_t len);

/* "2016-06-30T00:00:00": t (seconds since the epoch) in UTC, clamped to
 * years 1 to 9999 so that the text is always a valid dateTime. */
void at_xml_datetime(long long t, char *buf, size_t size);

#endif
