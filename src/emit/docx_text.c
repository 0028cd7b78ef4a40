/* docx_text.c: a session's Markdown in the DOCX compte-rendu, from the
 * text layer's styled runs (text.h): an inline text as runs, a block text
 * as paragraphs (headings under the report's own, real list paragraphs,
 * tables, quotes, code). Nothing of the Markdown reaches the XML but its
 * text, escaped, and the links the link policy let through. */
#include "docx_out.h"

#include <string.h>

#include "text.h"

/* ---- inline ---- */

typedef struct inl {
	dx *x;
	unsigned flags;
} inl;

static int inline_run(void *ctx, const at_run *r)
{
	inl *c = ctx;
	if (r->ev == AT_EV_TEXT)
		dx_run(c->x, r->text, r->len, r->flags | c->flags, r->url);
	else if (r->ev == AT_EV_BREAK)
		dx_break(c->x);
	return 0;
}

void dx_md_inline(dx *x, const char *md, unsigned flags)
{
	at_text *t = at_text_parse(md, AT_TEXT_INLINE);
	inl c = {x, flags};
	if (!t || at_text_runs(t, inline_run, &c))
		dx_fail(x, AT_ENOMEM);
	at_text_free(t);
}

const char *dx_plain(dx *x, const char *md)
{
	at_buf_clear(&x->tmp);
	if (at_md_plain_inline(&x->tmp, md))
		dx_fail(x, AT_ENOMEM);
	return at_buf_cstr(&x->tmp);
}

/* ---- blocks ---- */

#define MAX_LISTS 16

typedef struct blk {
	dx *x;
	int demote, ilvl0;
	const char *style;
	const char *lead;    /* raw runs for the first paragraph, then NULL */
	int in_para, in_cell, quote, code, heading;
	int flat;            /* a table too wide for Word: a line a row */
	int items;           /* list items open */
	int pending;         /* an item waits for its first paragraph */
	unsigned item_num;   /* its list instance and level */
	int item_ilvl;
	/* ordered lists by depth: their instance and the number expected
	 * next, so that a list that does not continue one starts anew */
	unsigned num[MAX_LISTS];
	int next[MAX_LISTS];
} blk;

static void close_para(blk *b)
{
	if (!b->in_para)
		return;
	dx_p_close(b->x);
	b->in_para = 0;
}

/* The indent of a paragraph at list level ilvl's text (numbering.xml). */
static int text_indent(int ilvl)
{
	if (ilvl > DX_MAX_ILVL)
		ilvl = DX_MAX_ILVL;
	return ilvl >= 0 ? DX_INDENT * (ilvl + 1) : 0;
}

static void open_para(blk *b, const char *style)
{
	close_para(b);
	dx_para p = {.style = style ? style : b->style};
	if (b->pending) {
		p.style = "ListParagraph";
		p.num = b->item_num;
		p.ilvl = b->item_ilvl;
		b->pending = 0;
	} else if (!b->in_cell) {
		p.indent = text_indent(b->ilvl0 - 1 + b->items);
	}
	if (b->quote && !style && !p.num)
		p.style = "Quote";
	if (b->code)
		p.style = "CodeBlock";
	dx_p_open(b->x, &p);
	b->in_para = 1;
	if (b->lead) {
		dx_puts(b->x, b->lead);
		b->lead = NULL;
	}
}

/* The list instance of an item: the bullets, or its ordered list's,
 * continued while its numbers follow. */
static unsigned item_instance(blk *b, const at_run *r)
{
	int d = r->level < 1 ? 0 : r->level > MAX_LISTS ? MAX_LISTS - 1
							 : r->level - 1;
	for (int k = d + 1; k < MAX_LISTS; k++)
		b->num[k] = 0;
	if (!r->ordered)
		return DX_NUM_BULLET;
	if (!b->num[d] || b->next[d] != r->number)
		b->num[d] = dx_new_num(b->x, r->number);
	b->next[d] = r->number + 1;
	return b->num[d];
}

static void item(blk *b, const at_run *r)
{
	close_para(b);
	b->items++;
	b->pending = 1;
	b->item_num = item_instance(b, r);
	b->item_ilvl = b->ilvl0 + r->level - 1;
}

static void item_end(blk *b)
{
	if (b->pending)
		open_para(b, NULL);
	close_para(b);
	b->items--;
}

static void code_text(blk *b, const at_run *r)
{
	const char *p = r->text, *end = r->text + r->len;
	while (end > p && end[-1] == '\n')
		end--;
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		dx_run(b->x, p, (size_t)(e - p), AT_RUN_CODE, NULL);
		if (!nl)
			break;
		dx_break(b->x);
		p = nl + 1;
	}
}

static void text(blk *b, const at_run *r)
{
	if (!b->in_para)
		open_para(b, NULL);
	if (b->code)
		code_text(b, r);
	else
		dx_run(b->x, r->text, r->len, r->flags, r->url);
}

static void heading(blk *b, const at_run *r)
{
	static const char *const style[] = {"Heading1", "Heading2", "Heading3",
					    "Heading4", "Heading5", "Heading6"};
	int level = r->level + b->demote;
	open_para(b, style[level < 1 ? 0 : level > 6 ? 5 : level - 1]);
}

static void table(blk *b, const at_run *r)
{
	close_para(b);
	int cols = r->columns > 0 ? r->columns : 1;
	b->flat = cols > DX_MAX_COLS;
	if (b->flat)
		return;
	int indent = b->in_cell ? 0 : text_indent(b->ilvl0 - 1 + b->items);
	dx_printf(b->x, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
			"<w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:tblInd "
			"w:w=\"%d\" w:type=\"dxa\"/></w:tblPr><w:tblGrid>",
		  DX_TEXT_W - indent, indent);
	for (int i = 0; i < cols; i++)
		dx_printf(b->x, "<w:gridCol w:w=\"%d\"/>",
			  (DX_TEXT_W - indent) / cols);
	dx_puts(b->x, "</w:tblGrid>\n");
}

static void row(blk *b, const at_run *r)
{
	if (b->flat) {
		open_para(b, r->header ? "TableHead" : NULL);
		return;
	}
	dx_puts(b->x, r->header ? "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
				: "<w:tr>");
	b->heading = r->header;
}

/* A cell of a flat table: after its row's previous one, " | ". */
static void flat_cell(blk *b, const at_run *r)
{
	if (r->column > 0)
		dx_run_s(b->x, " | ", 0);
}

static void cell(blk *b, const at_run *r)
{
	if (b->flat) {
		flat_cell(b, r);
		return;
	}
	dx_puts(b->x, "<w:tc>");
	b->in_cell++;
	open_para(b, b->heading ? "TableHead" : "TableText");
}

static void cell_end(blk *b)
{
	if (b->flat)
		return;
	if (!b->in_para)
		open_para(b, NULL);
	close_para(b);
	b->in_cell--;
	dx_puts(b->x, "</w:tc>");
}

static void row_end(blk *b)
{
	if (b->flat)
		close_para(b);
	else
		dx_puts(b->x, "</w:tr>\n");
}

static void table_end(blk *b)
{
	if (!b->flat)
		dx_puts(b->x, "</w:tbl>\n");
	b->flat = 0;
}

static void rule(blk *b)
{
	close_para(b);
	dx_puts(b->x, "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" "
		      "w:sz=\"6\" w:space=\"1\" w:color=\"999999\"/></w:pBdr>"
		      "</w:pPr></w:p>\n");
}

static int block_run(void *ctx, const at_run *r)
{
	blk *b = ctx;
	switch (r->ev) {
	case AT_EV_TEXT: text(b, r); break;
	case AT_EV_BREAK: if (b->in_para) dx_break(b->x); break;
	case AT_EV_PARA: if (!b->in_cell) open_para(b, NULL); break;
	case AT_EV_PARA_END: if (!b->in_cell) close_para(b); break;
	case AT_EV_HEADING: heading(b, r); break;
	case AT_EV_HEADING_END: close_para(b); break;
	case AT_EV_ITEM: item(b, r); break;
	case AT_EV_ITEM_END: item_end(b); break;
	case AT_EV_QUOTE: close_para(b); b->quote++; break;
	case AT_EV_QUOTE_END: close_para(b); b->quote--; break;
	case AT_EV_CODE_BLOCK: close_para(b); b->code = 1; open_para(b, NULL); break;
	case AT_EV_CODE_BLOCK_END: close_para(b); b->code = 0; break;
	case AT_EV_RULE: rule(b); break;
	case AT_EV_TABLE: table(b, r); break;
	case AT_EV_TABLE_END: table_end(b); break;
	case AT_EV_ROW: row(b, r); break;
	case AT_EV_ROW_END: row_end(b); break;
	case AT_EV_CELL: cell(b, r); break;
	case AT_EV_CELL_END: cell_end(b); break;
	}
	return 0;
}

void dx_md_block(dx *x, const char *md, int demote, int ilvl0,
		 const char *style, const char *lead)
{
	at_text *t = at_text_parse(md, AT_TEXT_BLOCK);
	blk b = {.x = x, .demote = demote, .ilvl0 = ilvl0, .style = style,
		 .lead = lead};
	if (!t || at_text_runs(t, block_run, &b))
		dx_fail(x, AT_ENOMEM);
	close_para(&b);
	/* A lead with no text after it still stands. */
	if (b.lead) {
		open_para(&b, NULL);
		close_para(&b);
	}
	at_text_free(t);
}
