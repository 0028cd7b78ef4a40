/* emit_pdf.c: the compte-rendu as a PDF, laid out by atelier with Pango
 * and Cairo: A4 pages, a cover block, a table of contents with page
 * numbers and links, bookmarks for every part and question, the running
 * title and "n / N" on every page but the first.
 *
 * What the report says, and in which order, is the outline's
 * (outline.h), its words the labels' (labels.c), as in emit_md.c and
 * emit_html.c; this file decides what goes on the pages, pdf_layout.c
 * where it goes, pdf_text.c how a text becomes a paragraph, pdf_page.c
 * the pages' furniture and the document's metadata. The walk runs twice:
 * once to measure (page count, where each part starts), once to draw. */
#include <string.h>

#include "atelier/emitter.h"
#include "figure.h"
#include "outline.h"
#include "pdf_emit.h"
#include "text.h"

/* ---- paragraphs ---- */

/* The paragraph being written (e->p) as a block of the flow. */
static void put(pdf_emit *e, pdf_style st, double dx, double before)
{
	pdf_block b;
	pdf_para_block(&e->p, &b, st, e->x + dx, e->w - dx, before);
	if (b.lay)
		pdf_add(&e->doc, &b);
	else
		pdf_block_free(&b);
}

/* A heading: kept with what follows; anchor and outline entry when
 * given. The text is in e->p. */
static void heading(pdf_emit *e, pdf_style st, const char *dest,
		    const char *mark, int level)
{
	static const double before[PDF_N_STYLES] = {
		[PDF_H1] = 16, [PDF_H2] = 12, [PDF_H3] = 9, [PDF_H4] = 6};
	pdf_block b;
	pdf_para_block(&e->p, &b, st, e->x, e->w, before[st]);
	b.keep = 1;
	if (dest)
		b.dest = strdup(dest);
	if (mark) {
		b.mark = strdup(mark);
		b.mark_level = level;
	}
	if ((dest && !b.dest) || (mark && !b.mark))
		e->doc.oom = 1;
	if (b.lay)
		pdf_add(&e->doc, &b);
	else
		pdf_block_free(&b);
}

static void label_heading(pdf_emit *e, pdf_style st, const char *label)
{
	pdf_para_puts(&e->p, label, 0);
	heading(e, st, NULL, NULL, 0);
}

/* e->words (plain text of the outline's) into the paragraph. */
static void put_words(pdf_emit *e, unsigned flags)
{
	pdf_para_puts(&e->p, at_buf_cstr(&e->words), flags);
}

/* "(par Jeanne Martin · tour 2, Table verte · 7 votes · lien)" */
static void facts(pdf_emit *e, const at_facts *f)
{
	if (!f->any)
		return;
	const unsigned sm = PDF_RUN_SMALL | PDF_RUN_GREY;
	pdf_para_puts(&e->p, e->l->space, sm);
	pdf_para_puts(&e->p, e->l->open, sm);
	at_buf_clear(&e->words);
	at_say_facts(&e->ol, &e->words, f);
	put_words(e, sm);
	if (f->link) {
		if (e->words.len)
			pdf_para_puts(&e->p, e->l->sep, sm);
		pdf_para_put(&e->p, e->l->link, strlen(e->l->link),
			     PDF_RUN_SMALL, f->link);
	}
	pdf_para_puts(&e->p, e->l->close, sm);
}

/* ---- figures ---- */

static void figure(pdf_emit *e, const at_figure *fig, double dx)
{
	at_status st = AT_OK;
	const at_image *im = at_figure_get(e->figs, fig, 0, e->d, &st);
	pdf_block b = {0};
	int drawn = im && pdf_image_block(&b, im->data, im->len, im->mime,
					  im->width, im->height, e->w - dx,
					  PDF_PAGE_H * 0.42) == 0;
	if (drawn) {
		b.dx = e->x + dx;
		b.before = 6;
		pdf_add(&e->doc, &b);
	} else {
		/* Not drawable here: its words stand for it. */
		pdf_block_free(&b);
		pdf_para_puts(&e->p, fig->alt ? fig->alt : e->l->figure,
			      AT_RUN_ITALIC | PDF_RUN_GREY);
		put(e, PDF_BODY, dx, 6);
	}
	if (fig->caption) {
		pdf_para_md(&e->p, fig->caption, AT_RUN_ITALIC | PDF_RUN_SMALL);
		put(e, PDF_BODY, dx, 2);
	}
}

static void figures(pdf_emit *e, const at_figures *figs, double dx)
{
	for (size_t i = 0; i < figs->n; i++)
		figure(e, &figs->v[i], dx);
}

/* ---- items ---- */

#define ITEM_INDENT 13.0

static void note(pdf_emit *e, const char *md, double dx)
{
	pdf_para_puts(&e->p, e->l->note, AT_RUN_ITALIC | PDF_RUN_SMALL);
	pdf_para_puts(&e->p, e->l->colon, PDF_RUN_SMALL);
	put(e, PDF_BODY, dx, 1);
	pdf_md_blocks(&e->doc, md, e->x + dx, e->w - dx);
}

/* Items as the tree they are: a bullet a level, nested under it. */
static void items(pdf_emit *e, const at_items *list, int depth)
{
	double dx = depth * ITEM_INDENT;
	for (size_t i = 0; i < list->n; i++) {
		const at_item *it = &list->v[i];
		if (it->figure) {
			figure(e, it->figure, dx + ITEM_INDENT);
			continue;
		}
		at_facts f = at_item_facts(&e->ol, it);
		pdf_para_puts(&e->p, depth ? "\xe2\x97\xa6\xc2\xa0"
					   : "\xe2\x80\xa2\xc2\xa0", 0);
		pdf_para_hang(&e->p);
		pdf_para_md(&e->p, it->text, 0);
		facts(e, &f);
		put(e, PDF_BODY, dx, depth ? 1.5 : 3);
		if (f.note)
			note(e, f.note, dx + ITEM_INDENT);
		items(e, &it->items, depth + 1);
	}
}

/* ---- cover and contents ---- */

static void cover(pdf_emit *e)
{
	const at_session *s = e->s;
	const at_labels *l = e->l;
	if (s->organiser) {
		pdf_para_puts(&e->p, s->organiser, PDF_RUN_SANS | PDF_RUN_GREY);
		put(e, PDF_BODY, 0, 0);
	}
	pdf_para_md(&e->p, s->title, 0);
	put(e, PDF_TITLE, 0, 6);
	if (s->subtitle) {
		pdf_para_puts(&e->p, s->subtitle, AT_RUN_ITALIC);
		put(e, PDF_BODY, 0, 3);
	}
	char date[64];
	at_format_date(l, &s->date, date, sizeof date);
	pdf_para_puts(&e->p, l->report, AT_RUN_BOLD | PDF_RUN_SANS);
	pdf_para_puts(&e->p, l->sep, PDF_RUN_SANS);
	pdf_para_puts(&e->p, l->workshop_of, PDF_RUN_SANS);
	pdf_para_puts(&e->p, l->space, PDF_RUN_SANS);
	pdf_para_puts(&e->p, date, PDF_RUN_SANS);
	if (s->place) {
		pdf_para_puts(&e->p, l->sep, PDF_RUN_SANS);
		pdf_para_puts(&e->p, s->place, PDF_RUN_SANS);
	}
	put(e, PDF_BODY, 0, 8);
	if (s->facilitators.n) {
		pdf_para_puts(&e->p, l->facilitators, PDF_RUN_SANS);
		pdf_para_puts(&e->p, l->colon, PDF_RUN_SANS);
		for (size_t i = 0; i < s->facilitators.n; i++) {
			if (i)
				pdf_para_puts(&e->p, l->list_sep, PDF_RUN_SANS);
			pdf_para_puts(&e->p, s->facilitators.v[i].s, PDF_RUN_SANS);
		}
		put(e, PDF_BODY, 0, 2);
	}
	int heads = s->attendance ? s->attendance : (int)s->n_participants;
	if (heads > 0) {
		at_buf_clear(&e->words);
		at_labelf(&e->words, l->participants_count, heads);
		put_words(e, PDF_RUN_SANS);
		put(e, PDF_BODY, 0, 2);
	}
}

/* A line of the contents: the part's title, linked to it, and its page. */
static void contents_line(pdf_emit *e, size_t i)
{
	const at_part *p = &e->ol.parts[i];
	double w = pdf_content_width(), num = 36;
	pdf_blocks cols[2] = {{0}};
	double xs[2] = {0, w - num};
	pdf_block b;
	at_buf_clear(&e->words);
	at_part_title(&e->ol, p, &e->words);
	pdf_para_dest(&e->p, at_buf_cstr(&e->words), PDF_RUN_SANS, p->anchor);
	pdf_para_block(&e->p, &b, PDF_BODY, 0, w - num - 8, 3);
	pdf_blocks_add(&cols[0], &b);
	at_buf_clear(&e->words);
	int page = i < e->part_pages.n ? e->part_pages.v[i] : 0;
	at_buf_printf(&e->words, "%d", page);
	pdf_para_dest(&e->p, at_buf_cstr(&e->words), PDF_RUN_SANS, p->anchor);
	pdf_para_block(&e->p, &b, PDF_BODY, 0, num, 3);
	if (b.lay)
		pango_layout_set_alignment(b.lay, PANGO_ALIGN_RIGHT);
	pdf_blocks_add(&cols[1], &b);
	pdf_row(&e->doc, cols, xs, 2, NULL, 0);
}

static void contents(pdf_emit *e)
{
	label_heading(e, PDF_H3, e->l->contents);
	for (size_t i = 0; i < e->ol.n_parts; i++)
		contents_line(e, i);
}

/* ---- the parts ---- */

static void part_heading(pdf_emit *e, const at_part *p)
{
	at_buf_clear(&e->words);
	at_part_title(&e->ol, p, &e->words);
	put_words(e, 0);
	heading(e, PDF_H1, p->anchor, at_buf_cstr(&e->words), 1);
}

/* "Question 2 : En quoi la recherche-action…", anchored and in the
 * outline when dest is given. */
static void question_heading(pdf_emit *e, pdf_style st, const at_question *q,
			     const char *dest)
{
	size_t n = at_question_number(&e->ol, q);
	at_buf_clear(&e->words);
	at_buf_printf(&e->words, "%s %zu%s", e->l->question, n, e->l->colon);
	put_words(e, 0);
	pdf_para_md(&e->p, q->title, 0);
	if (!dest) {
		heading(e, st, NULL, NULL, 0);
		return;
	}
	at_md_plain_inline(&e->words, q->title);
	at_buf_clear(&e->tmp);
	at_buf_printf(&e->tmp, "%s-%zu", dest, n);
	heading(e, st, at_buf_cstr(&e->tmp), at_buf_cstr(&e->words), 2);
}

static void by_question(pdf_emit *e, const at_part *p)
{
	for (size_t i = 0; i < e->s->n_questions; i++) {
		const at_question *q = &e->s->questions[i];
		if (!at_part_has_question(p, q))
			continue;
		question_heading(e, PDF_H2, q, p->anchor);
		if (p->kind == AT_PART_BRAINSTORM)
			items(e, &q->brainstorm->items, 0);
		else if (p->kind == AT_PART_KIT)
			pdf_kit(e, q->kit);
		else
			pdf_subgroups(e, q);
	}
}

static void part(pdf_emit *e, const at_part *p)
{
	part_heading(e, p);
	switch (p->kind) {
	case AT_PART_SETUP:
		pdf_setup(e);
		break;
	case AT_PART_SYNTHESIS:
		pdf_md_blocks(&e->doc, e->s->synthesis, e->x, e->w);
		break;
	case AT_PART_ANNEX:
		pdf_annex(e);
		break;
	case AT_PART_BRAINSTORM:
	case AT_PART_SUBGROUPS:
	case AT_PART_KIT:
		by_question(e, p);
		break;
	}
}

/* ---- the shared pieces pdf_parts.c uses ---- */

void pdf_items(pdf_emit *e, const at_items *list)
{
	items(e, list, 0);
}

void pdf_figures(pdf_emit *e, const at_figures *figs)
{
	figures(e, figs, 0);
}

void pdf_put(pdf_emit *e, pdf_style st, double dx, double before)
{
	put(e, st, dx, before);
}

void pdf_heading(pdf_emit *e, pdf_style st, const char *label)
{
	if (label)
		pdf_para_puts(&e->p, label, 0);
	heading(e, st, NULL, NULL, 0);
}

void pdf_question_heading(pdf_emit *e, pdf_style st, const at_question *q)
{
	question_heading(e, st, q, NULL);
}

/* ---- the two passes ---- */

/* One pass of the walk over the outline, onto e->doc. */
static void walk(pdf_emit *e)
{
	e->x = 0;
	e->w = pdf_content_width();
	cover(e);
	contents(e);
	for (size_t i = 0; i < e->ol.n_parts; i++)
		part(e, &e->ol.parts[i]);
}

static int pass(pdf_emit *e, FILE *out)
{
	if (pdf_doc_init(&e->doc, out ? pdf_write_file : NULL, out, !out))
		return -1;
	pdf_para_init(&e->p, &e->doc);
	if (out)
		pdf_page_setup(e);
	walk(e);
	cairo_status_t cs = pdf_doc_finish(&e->doc);
	int bad = e->doc.oom || e->p.oom;
	pdf_para_free(&e->p);
	if (!out) {
		e->pages = e->doc.page;
		e->part_pages.n = e->doc.n_parts;
		memcpy(e->part_pages.v, e->doc.part_page, sizeof e->part_pages.v);
	}
	pdf_doc_free(&e->doc);
	return bad ? -2 : cs != CAIRO_STATUS_SUCCESS ? -1 : 0;
}

static at_status emit_pdf(const at_session *s, FILE *out,
			  const at_emit_options *o, at_diags *d)
{
	pdf_emit e;
	memset(&e, 0, sizeof e);
	e.s = s;
	e.o = o;
	e.d = d;
	e.l = at_labels_for(o->lang);
	at_outline_init(&e.ol, s, e.l);
	at_buf_init(&e.words);
	at_buf_init(&e.tmp);
	at_buf_init(&e.title);
	at_md_plain_inline(&e.title, s->title);
	at_status st = pdf_check_figures(&e);
	int rc = st == AT_OK ? pass(&e, NULL) : 0;
	if (st == AT_OK && rc == 0)
		rc = pass(&e, out);
	if (st == AT_OK && rc)
		st = rc == -2 ? AT_ENOMEM : AT_EIO;
	if (st == AT_OK && (e.ol.oom || e.words.oom || e.tmp.oom || e.title.oom))
		st = AT_ENOMEM;
	at_outline_free(&e.ol);
	at_buf_free(&e.words);
	at_buf_free(&e.tmp);
	at_buf_free(&e.title);
	at_figure_set_free(e.own_figs);
	if (st == AT_OK && ferror(out))
		st = AT_EIO;
	return st;
}

/* The work of the registry's "pdf" (src/emit/emitters.c), in a module. */
const at_emitter at_emit_pdf = {
	.name = "pdf",
	.emit = emit_pdf,
};
