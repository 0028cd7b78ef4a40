/* text.h: the one text layer. A session text (Markdown, GitHub's flavour:
 * cmark-gfm with its strikethrough, autolink and table extensions) is
 * parsed once into an at_text, then rendered to HTML, to Markdown, to
 * plain text or to styled runs, so that every format reads it the same
 * way. The one HTML escaper, the one Markdown escaper and the one link
 * policy live here too. What a text may hold: docs/format.md, "Markdown
 * in texts". */
#ifndef ATELIER_TEXT_H
#define ATELIER_TEXT_H

#include "buf.h"

/* What a text is. An inline text (a title, an item, a prompt, a caption)
 * is one paragraph: whatever would open a block at the start of one of
 * its lines (#, >, -, 1., a fence...) is literal text, and tables are not
 * read. A block text (context, method, synthesis, a note, a brief) may
 * hold any block, pipe tables included. */
typedef enum { AT_TEXT_INLINE, AT_TEXT_BLOCK } at_text_kind;

/* A parsed text; owns its cmark-gfm document. Links the link policy
 * refuses (at_url_dangerous) are already without a target. */
typedef struct at_text at_text;

/* NULL when memory ran out. */
at_text *at_text_parse(const char *md, at_text_kind kind);
void at_text_free(at_text *t);

/* Appends t as HTML, rendered in cmark's safe mode (raw HTML omitted); an
 * inline text without its paragraph wrapper. -1 on OOM. */
int at_text_html(const at_text *t, at_buf *out);

/* Appends t as plain text: markup removed, links as "text (url)" (the
 * text alone when it is the url, as an autolink is), blocks on lines of
 * their own, a table's cells separated by " | ". Characters XML refuses
 * become U+FFFD (see at_text_for_xml). -1 on OOM. */
int at_text_plain(const at_text *t, at_buf *out);

/* How at_text_md writes a text into the Markdown report. */
enum {
	AT_MD_ONE_LINE = 1,  /* soft and hard breaks become spaces */
	AT_MD_NO_STRONG = 2, /* strong emphasis dropped (inside **...**) */
	AT_MD_NO_EMPH = 4,   /* emphasis dropped (inside *...*) */
	AT_MD_UNSAFE = 8     /* raw HTML kept (--unsafe) */
};

/* Appends t as Markdown (GFM) that reads back as the same text where it
 * lands: an inline text as one paragraph, a block text's headings sunk
 * `demote` levels, lead (Markdown written by the caller) at the start of
 * its first paragraph. Raw HTML becomes the text it is (unless
 * AT_MD_UNSAFE), a refused link its text, a hard break a backslash.
 * Changes t's tree: render other formats before. Sets *ends_ordered
 * (when not NULL) to whether the text ends with a "1." list, which a
 * list written right after it would continue. -1 on OOM. */
int at_text_md(at_text *t, at_buf *out, int flags, int demote,
	       const char *lead, int *ends_ordered);

/* For the Markdown report's own composite paragraphs (a figure and its
 * caption, a kit step): the one paragraph of an inline text, made safe as
 * at_text_md makes it; the caller moves its children into its own tree
 * and renders that with at_md_render. NULL on OOM. */
struct cmark_node *at_text_md_para(at_text *t, int flags);

/* Appends cmark-gfm's CommonMark rendering of doc, without the final
 * newline. -1 on OOM. */
int at_md_render(struct cmark_node *doc, at_buf *out);

/* ---- Styled runs, for the document formats that style text themselves
 * (PDF, ODT, DOCX): the text as a flat sequence of events. ---- */

enum {
	AT_RUN_BOLD = 1,
	AT_RUN_ITALIC = 2,
	AT_RUN_CODE = 4,
	AT_RUN_STRIKE = 8
};

typedef enum {
	AT_EV_TEXT,        /* text, len, flags, url */
	AT_EV_BREAK,       /* a hard line break */
	AT_EV_PARA,        /* start of a paragraph */
	AT_EV_PARA_END,
	AT_EV_HEADING,     /* level: 1 to 6 */
	AT_EV_HEADING_END,
	AT_EV_ITEM,        /* a list item: level = depth (1 at the top),
			      ordered, number (its number when ordered) */
	AT_EV_ITEM_END,
	AT_EV_QUOTE,
	AT_EV_QUOTE_END,
	AT_EV_CODE_BLOCK,  /* its text follows as AT_EV_TEXT with AT_RUN_CODE */
	AT_EV_CODE_BLOCK_END,
	AT_EV_RULE,        /* a thematic break */
	AT_EV_TABLE,       /* columns: the number of columns */
	AT_EV_TABLE_END,
	AT_EV_ROW,         /* header: whether it is the header row */
	AT_EV_ROW_END,
	AT_EV_CELL,        /* column: 0 to columns - 1 */
	AT_EV_CELL_END
} at_text_ev;

typedef struct at_run {
	at_text_ev ev;
	const char *text;   /* AT_EV_TEXT: not NUL-terminated */
	size_t len;
	unsigned flags;     /* AT_RUN_* */
	const char *url;    /* the link around the text, NULL when none */
	int level, ordered, number, columns, header, column;
} at_run;

/* Calls fn for each event of t, in reading order; stops at the first
 * non-zero return and returns it. Raw HTML comes as text. */
typedef int (*at_run_fn)(void *ctx, const at_run *r);
int at_text_runs(const at_text *t, at_run_fn fn, void *ctx);

/* ---- Shorthands: parse, render, free ---- */

/* Appends the HTML of md; inline_only reads it as an inline text. */
int at_md_html(at_buf *out, const char *md, int inline_only);

/* Appends md, an inline text, as at_text_md writes it (a plain sentence
 * without parsing it: the same bytes). */
int at_md_inline(at_buf *out, const char *md, int flags);

/* Appends md, a block text, as at_text_md writes it. */
int at_md_block(at_buf *out, const char *md, int demote, const char *lead,
		int flags, int *ends_ordered);

/* Appends md as plain text (at_text_plain): read as a block text, or,
 * by at_md_plain_inline, as an inline text. */
int at_md_plain(at_buf *out, const char *md);
int at_md_plain_inline(at_buf *out, const char *md);

/* ---- Escapers: plain text into a format ---- */

/* Appends s with & < > " as entities: safe in text and in double-quoted
 * attributes. */
void at_html_escape(at_buf *out, const char *s, size_t len);

/* Appends s, a plain text, as Markdown showing it as written: every
 * character that would be read as markup where it stands is
 * backslash-escaped, and nothing else ("Saint-Gervais" stays as is, a
 * leading "- " or "1. " does not); '|' too, for pipe table cells; line
 * breaks and tabs become spaces, other controls are dropped, blanks at
 * either end trimmed. */
void at_md_escape(at_buf *out, const char *s);

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
/* How many of the len bytes of s XML 1.0 takes as they are: up to the
 * first character at_text_for_xml replaces (NUL too), else len. */
size_t at_xml_ok_prefix(const char *s, size_t len);

#endif
