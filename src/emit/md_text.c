/* md_text.c: the session's Markdown texts made safe to stand inside the
 * Markdown compte-rendu (md_text.h). */
#include "md_text.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Link destinations: what cmark could misread is escaped, spaces and
 * control characters percent-encoded. */
void at_mdt_url(at_buf *b, const char *url)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			at_buf_printf(b, "%%%02X", *p);
		else if (strchr("()<>\\", *p))
			at_buf_putc(b, '\\'), at_buf_putc(b, (char)*p);
		else
			at_buf_putc(b, (char)*p);
	}
}

/* ---- Session texts, through the text layer (text.h) ---- */

cmark_node *at_mdt_node(cmark_node_type t, const char *literal)
{
	cmark_node *n = cmark_node_new(t);
	if (literal)
		cmark_node_set_literal(n, literal);
	return n;
}

void at_mdt_move_children(cmark_node *to, cmark_node *from)
{
	cmark_node *c;
	while ((c = cmark_node_first_child(from)))
		cmark_node_append_child(to, c);
}

static int flags_of(const at_mdt *m, int flags)
{
	return flags | (m->unsafe ? AT_MD_UNSAFE : 0);
}

void at_mdt_append_inline(at_mdt *m, cmark_node *to, const char *text,
			  int flags)
{
	at_text *t = at_text_parse(text, AT_TEXT_INLINE);
	cmark_node *para = t ? at_text_md_para(t, flags_of(m, flags)) : NULL;
	if (para)
		at_mdt_move_children(to, para);
	else
		m->oom = 1;
	at_text_free(t);
}

void at_mdt_render(at_mdt *m, cmark_node *doc, at_buf *out)
{
	if (at_md_render(doc, out))
		m->oom = 1;
}

void at_mdt_inline(at_mdt *m, at_buf *out, const char *text, int flags)
{
	if (at_md_inline(out, text, flags_of(m, flags)))
		m->oom = 1;
}

int at_mdt_block(at_mdt *m, at_buf *out, const char *text, int demote,
		 const char *lead)
{
	int ends_ordered = 0;
	if (at_md_block(out, text, demote, lead, flags_of(m, 0), &ends_ordered))
		m->oom = 1;
	return ends_ordered;
}

/* The figure's image and its caption in italics: in a paragraph of its
 * own, or, inside a list item, on the next line (a hard break there would
 * make Python-Markdown show a stray backslash, and a second paragraph
 * would loosen the list). */
void at_mdt_figure(at_mdt *m, at_buf *out, const char *url, const char *alt,
		   const char *caption, int in_list)
{
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node_append_child(doc, para);
	cmark_node *img = cmark_node_new(CMARK_NODE_IMAGE);
	cmark_node_set_url(img, url);
	cmark_node_append_child(img, at_mdt_node(CMARK_NODE_TEXT, alt));
	cmark_node_append_child(para, img);
	if (caption) {
		cmark_node *emph = cmark_node_new(CMARK_NODE_EMPH);
		at_mdt_append_inline(m, emph, caption, AT_MDT_NO_EMPH);
		if (in_list) {
			cmark_node_append_child(
				para, at_mdt_node(CMARK_NODE_SOFTBREAK, NULL));
		} else {
			para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(doc, para);
		}
		cmark_node_append_child(para, emph);
	}
	at_mdt_render(m, doc, out);
	cmark_node_free(doc);
}

void at_mdt_yaml_string(at_buf *b, const char *key, const char *s)
{
	at_buf_printf(b, "%s: \"", key);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			at_buf_putc(b, '\\'), at_buf_putc(b, (char)*p);
		else if (*p == '\n')
			at_buf_puts(b, "\\n");
		else if (*p == '\t')
			at_buf_puts(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			at_buf_printf(b, "\\x%02x", *p);
		/* C1 controls (U+0085 is a YAML line break), U+2028/9, BOM. */
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			at_buf_printf(b, "\\x%02x", p[1]), p++;
		else if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			at_buf_printf(b, "\\u%04x", 0x2000 + p[2] - 0x80), p += 2;
		else if (*p == 0xef && p[1] == 0xbb && p[2] == 0xbf)
			at_buf_puts(b, "\\ufeff"), p += 2;
		else
			at_buf_putc(b, (char)*p);
	}
	at_buf_puts(b, "\"\n");
}

void at_mdt_init(at_mdt *m, int unsafe)
{
	memset(m, 0, sizeof *m);
	m->unsafe = unsafe;
	at_buf_init(&m->src);
}

void at_mdt_free(at_mdt *m)
{
	m->oom |= m->src.oom;
	at_buf_free(&m->src);
}
