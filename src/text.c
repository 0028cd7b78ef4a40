/* text.c: Markdown to HTML and to plain text, through cmark. */
#include "text.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int at_md_html(at_buf *out, const char *md, int inline_only)
{
	char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT);
	if (!html)
		return -1;
	size_t len = strlen(html);
	const char *p = html;
	/* One paragraph and nothing else: keep its content only. */
	if (inline_only && len >= 8 && strncmp(p, "<p>", 3) == 0 &&
	    strcmp(p + len - 5, "</p>\n") == 0 &&
	    !strstr(p + 3, "<p>")) {
		p += 3;
		len -= 8;
	} else {
		while (len && p[len - 1] == '\n')
			len--;
	}
	at_buf_put(out, p, len);
	free(html);
	return out->oom ? -1 : 0;
}

static int is_block(cmark_node_type t)
{
	return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
	       t == CMARK_NODE_ITEM || t == CMARK_NODE_CODE_BLOCK ||
	       t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_THEMATIC_BREAK;
}

/* Whether the link's text, as appended since start, is its url already. */
static int text_is_url(const at_buf *out, size_t start, const char *url)
{
	size_t n = out->len - start;
	return strlen(url) == n && memcmp(out->s + start, url, n) == 0;
}

int at_md_plain(at_buf *out, const char *md)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	if (!doc)
		return -1;
	cmark_iter *it = cmark_iter_new(doc);
	size_t begin = out->len;
	size_t link_start[64] = {0};
	int depth = 0;
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER) {
			if (is_block(t) && out->len > begin &&
			    out->s[out->len - 1] != '\n')
				at_buf_putc(out, '\n');
			switch (t) {
			case CMARK_NODE_TEXT:
			case CMARK_NODE_CODE:
			case CMARK_NODE_HTML_INLINE:
			case CMARK_NODE_CODE_BLOCK:
			case CMARK_NODE_HTML_BLOCK:
				/* Entities decode to any character (&#1;). */
				at_text_for_xml(out, cmark_node_get_literal(n));
				break;
			case CMARK_NODE_SOFTBREAK:
				at_buf_putc(out, ' ');
				break;
			case CMARK_NODE_LINEBREAK:
				at_buf_putc(out, '\n');
				break;
			case CMARK_NODE_LINK:
			case CMARK_NODE_IMAGE:
				if (depth < 64)
					link_start[depth] = out->len;
				depth++;
				break;
			default:
				break;
			}
		} else if (ev == CMARK_EVENT_EXIT && depth > 0 &&
			   (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
			depth--;
			const char *url = cmark_node_get_url(n);
			if (url && *url &&
			    !(depth < 64 && text_is_url(out, link_start[depth], url))) {
				int bare = depth < 64 &&
					   out->len == link_start[depth];
				at_buf_puts(out, bare ? "" : " (");
				at_text_for_xml(out, url);
				at_buf_puts(out, bare ? "" : ")");
			}
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	while (out->len > begin && out->s[out->len - 1] == '\n')
		out->len--, out->s[out->len] = '\0';
	return out->oom ? -1 : 0;
}

int at_text_for_xml(at_buf *out, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t n = at_utf8_valid_len(s + i, len - i);
		uint32_t c = n ? at_utf8_decode(s + i, n) : 0;
		int bad = !n || (c < 0x20 && c != '\t' && c != '\n' &&
				 c != '\r') ||
			  c == 0xFFFE || c == 0xFFFF;
		if (bad)
			at_buf_puts(out, "\xEF\xBF\xBD");
		else
			at_buf_put(out, s + i, n);
		i += n ? n : 1;
	}
	return out->oom ? -1 : 0;
}

/* ---- the link policy ---- */

/* url with its entities decoded, the way cmark reads a link destination
 * written <url> (\ < > escaped, spaces and controls percent-encoded, as
 * put_url in emit_md.c writes them); NULL when cmark sees no link. */
static char *entities_decoded(const char *url)
{
	at_buf md;
	at_buf_init(&md);
	at_buf_puts(&md, "[x](<");
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			at_buf_printf(&md, "%%%02X", *p);
		else if (strchr("<>\\", *p))
			at_buf_putc(&md, '\\'), at_buf_putc(&md, (char)*p);
		else
			at_buf_putc(&md, (char)*p);
	}
	at_buf_puts(&md, ">)");
	char *r = NULL;
	cmark_node *doc = md.oom ? NULL
				 : cmark_parse_document(md.s, md.len,
							CMARK_OPT_DEFAULT);
	cmark_node *para = doc ? cmark_node_first_child(doc) : NULL;
	cmark_node *link = para ? cmark_node_first_child(para) : NULL;
	if (link && cmark_node_get_type(link) == CMARK_NODE_LINK)
		r = strdup(cmark_node_get_url(link));
	if (doc)
		cmark_node_free(doc);
	at_buf_free(&md);
	return r;
}

static int hex(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Decodes %XX in place. */
static void percent_decode(char *s)
{
	char *o = s;
	for (const char *p = s; *p; p++) {
		if (p[0] == '%' && hex(p[1]) >= 0 && hex(p[2]) >= 0) {
			*o++ = (char)(hex(p[1]) * 16 + hex(p[2]));
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

/* Whether a decoded URL starts with a forbidden scheme. */
static int bad_scheme(const char *url)
{
	char head[24];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)url;
	     *p && n < sizeof head - 1; p++)
		if (*p > ' ' && *p != 0x7f)
			head[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	head[n] = '\0';
	static const char *const bad[] = {"javascript:", "vbscript:", "file:"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strncmp(head, bad[i], strlen(bad[i])) == 0)
			return 1;
	if (strncmp(head, "data:", 5) != 0)
		return 0;
	static const char *const images[] = {"data:image/png", "data:image/gif",
					     "data:image/jpeg",
					     "data:image/webp"};
	for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
		if (strncmp(head, images[i], strlen(images[i])) == 0)
			return 0;
	return 1;
}

int at_url_dangerous(const char *url)
{
	if (bad_scheme(url))
		return 1;
	/* Each layer a reader decodes: a few rounds reach what any chain of
	 * renderer and browser sees; one that still changes is refused. */
	char *u = strdup(url);
	for (int round = 0; u && round < 4; round++) {
		char *d = entities_decoded(u);
		if (d)
			percent_decode(d);
		int same = d && strcmp(d, u) == 0;
		free(u);
		u = d;
		int bad = !u || bad_scheme(u);
		if (bad || same) {
			free(u);
			return bad;
		}
	}
	free(u);
	return 1;
}
