/* load_text.c: the texts YAML reads otherwise than a facilitator meant,
 * named with their fix: a leading '!' (a tag) or '&' (an anchor), ' #'
 * (a comment), '? ' (an explicit key), explicit tags, the non-characters
 * U+FFFE and U+FFFF, anchors on texts that no alias uses. */
#include "load_int.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"

/* Explicit tags change what a value means (!!binary, !custom): a session
 * is plain data, so they are refused rather than silently ignored. */
int check_tag(loader *L, const yaml_char_t *tag, at_pos pos,
	      uint32_t span)
{
	if (!tag)
		return 0;
	const char *t = (const char *)tag;
	const char *std = "tag:yaml.org,2002:";
	char shown[128];
	if (strncmp(t, std, strlen(std)) == 0)
		snprintf(shown, sizeof shown, "!!%s", t + strlen(std));
	else
		snprintf(shown, sizeof shown, "%s", t);
	at_diag_add(L->d, AT_ERROR, "tag", pos, span,
		    "YAML tag '%s' is not supported in a session file: "
		    "remove it",
		    shown);
	L->soft = 1;
	return 0;
}

/* U+FFFE or U+FFFF in UTF-8: EF BF BE, EF BF BF. */
int has_nonchar(const char *s, size_t len)
{
	for (const char *p = s; (p = memchr(p, 0xEF, len - (size_t)(p - s)));
	     p++)
		if ((size_t)(p - s) + 2 < len && p[1] == '\xBF' &&
		    (p[2] == '\xBE' || p[2] == '\xBF'))
			return 1;
	return 0;
}

/* A plain text that starts with '!' ("!Attention", "! q1") is a local
 * tag to YAML, but a facilitator's '!': say to quote it, and keep the
 * text as written (in the texts' arena: 1), so that nothing else is
 * reported about it; a key stays as YAML reads it (2). 0: not one. */
int local_tag_text(loader *L, yaml_event_t *e, at_pos pos,
		   uint32_t span, const char **s, size_t *len)
{
	const char *t = (const char *)e->data.scalar.tag;
	if (!t || t[0] != '!' || e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	at_diag_add(L->d, AT_ERROR, "tag", pos, span,
		    "YAML reads a text that starts with '!' as a tag: put the "
		    "whole text between double quotes");
	L->soft = 1;
	const frame *f = L->depth ? &L->stack[L->depth - 1] : NULL;
	if (f && f->node->kind == AT_MAP && f->n % 2 == 0)
		return 2; /* a key: "! q1" is q1 */
	at_buf b;
	at_buf_init(&b);
	at_buf_puts(&b, t);
	if (*len) {
		at_buf_putc(&b, ' ');
		at_buf_put(&b, *s, *len);
	}
	*len = b.len;
	*s = b.oom ? NULL : at_arena_strndup(L->texts, at_buf_cstr(&b), b.len);
	at_buf_free(&b);
	return 1;
}

/* `- &amp` is an anchor on nothing, `- &` and a word a facilitator's
 * ampersand: say to quote it, and keep the text as written (1; the
 * anchor is not registered). 0: not one. */
int empty_anchor_text(loader *L, yaml_event_t *e, at_pos pos,
		      uint32_t span, const char **s, size_t *len)
{
	const char *a = (const char *)e->data.scalar.anchor;
	if (!a || *len || e->data.scalar.tag ||
	    e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	at_diag_add(L->d, AT_ERROR, "yaml-syntax", pos, span,
		    "YAML reads a text that starts with '&' as an anchor: put "
		    "the whole text between double quotes");
	L->soft = 1;
	size_t n = strlen(a);
	char *t = at_arena_alloc(L->texts, n + 2);
	if (t) {
		t[0] = '&';
		memcpy(t + 1, a, n + 1);
	}
	*s = t;
	*len = n + 1;
	return 1;
}

/* `text #word`: YAML ends the text at ' #', the rest is a comment, and
 * nothing says so. A comment is set apart by more than one space or by
 * a space after its '#' (`date: 2016-06-30  # YYYY-MM-DD`); a '#' glued
 * to a word after one space is most likely part of the text. Such '#'
 * are found before parsing (find_hashes): a plain text that ends where
 * one starts lost its end. */
void comment_in_text(loader *L, const yaml_event_t *e)
{
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return;
	yaml_mark_t m = e->end_mark;
	while (L->next_hash < L->n_hashes && L->hashes[L->next_hash] < m.index)
		L->next_hash++;
	if (L->next_hash == L->n_hashes || L->hashes[L->next_hash] != m.index)
		return;
	at_diag_add(L->d, AT_WARNING, "comment-in-text",
		    (at_pos){(uint32_t)m.line + 1, (uint32_t)m.column + 2}, 1,
		    "' #' starts a comment: the text stops before it; if the "
		    "'#' is part of the text, put the whole text between "
		    "double quotes");
}

/* A block mapping that starts with '?' and a space: YAML's explicit key,
 * which a session never needs, and a text such as "? Pourquoi pas"
 * becomes. Looked at when its first key does not start where the mapping
 * does (a block mapping's first key otherwise does), so that reading the
 * character costs nothing in the common case. 1: reported. */
int explicit_key(loader *L, const yaml_event_t *key)
{
	const frame *f = L->depth ? &L->stack[L->depth - 1] : NULL;
	if (!f || f->node->kind != AT_MAP || f->n || f->flow ||
	    key->start_mark.index == f->start.index || char_at(L, f->start) != '?')
		return 0;
	yaml_mark_t m = f->start;
	m.index++;
	char c = char_at(L, m);
	if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\0')
		return 0;
	fail(L, "yaml-syntax", f->node->pos, 1,
	     "YAML syntax: YAML reads '? ' at the start of a text as a key: put "
	     "the whole text between double quotes");
	return 1;
}

/* `- &Co. les partenaires`: YAML reads an anchor, the text loses "&Co.",
 * and nothing says so. An anchor on a plain text that no alias uses was
 * most likely part of the text. */
void unused_text_anchors(loader *L)
{
	for (size_t i = 0; i < L->n_anchors; i++) {
		const anchor *an = &L->anchors[i];
		const at_node *n = an->node;
		if (an->used || n->kind != AT_SCALAR ||
		    n->u.scalar.style != AT_PLAIN)
			continue;
		at_diag_add(L->d, AT_WARNING, "anchor-in-text", n->pos,
			    (uint32_t)strlen(an->name) + 1,
			    "YAML reads '&%s' as an anchor, and no alias uses "
			    "it: if it is part of the text, put the whole text "
			    "between double quotes",
			    an->name);
	}
}
