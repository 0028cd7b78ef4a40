/* text.h: what emitters need to know about the Markdown in a session's
 * texts, done once with cmark so every format agrees. */
#ifndef ATELIER_TEXT_H
#define ATELIER_TEXT_H

#include "buf.h"

/* Appends the HTML of md, rendered by cmark in its safe mode (raw HTML and
 * javascript: links never pass). inline_only drops the paragraph wrapper,
 * for texts that stand inside a <li> or a heading. Returns -1 on OOM. */
int at_md_html(at_buf *out, const char *md, int inline_only);

/* Appends md as plain text: markup removed, link targets kept as
 * "text (url)" (just the url when the text is the url), blocks separated by
 * a newline. For spreadsheet cells, CSV and attributes: characters that
 * XML refuses, which entities can write (&#1;), are U+FFFD. */
int at_md_plain(at_buf *out, const char *md);

/* The one link policy for URLs written by the session: whether url must
 * not become a link, being a script scheme (javascript:, vbscript:), a
 * local file (file:), or data: other than a PNG, GIF, JPEG or WebP image.
 * Decided on the URL as a reader will see it: HTML entities (&#106;,
 * &colon;: cmark decodes them, as the renderers that read our Markdown
 * do) and percent-escapes decoded, until nothing changes; spaces and
 * control characters dropped as browsers drop them inside a scheme. */
int at_url_dangerous(const char *url);

/* Appends s with every character XML 1.0 refuses (controls but tab, LF
 * and CR; U+FFFE, U+FFFF; bytes that are not UTF-8) replaced by U+FFFD:
 * for the parts of a workbook that the spreadsheet library writes
 * without escaping them (its document properties, and non-characters
 * anywhere). -1 on OOM. */
int at_text_for_xml(at_buf *out, const char *s);

#endif
