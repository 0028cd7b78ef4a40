/* emit_md.c: the compte-rendu as CommonMark Markdown, the document a
 * facilitator sends to participants and funders the same day.
 *
 * What the report says, and in which order, is the outline's
 * (outline.h); its words and punctuation are the labels' (labels.c). This
 * file decides only the Markdown: headings, nested lists, pipe tables,
 * emphasis, written line by line straight to the stream. The session's
 * own Markdown texts are made safe to stand inside that structure by
 * md_text.c. */
#include <string.h>

#include "atelier/emitter.h"
#include "buf.h"
#include "labels.h"
#include "md_text.h"
#include "outline.h"
#include "text.h"
#include "url.h"

typedef struct md {
	FILE *f;
	const at_session *s;
	const at_emit_options *o;
	const at_labels *l;
	at_outline ol;
	at_mdt t;            /* the session's texts, made safe */
	int written;         /* a block is out: the next one needs a blank line */
	int oom;
	at_buf text;         /* the text being rendered */
	at_buf src;          /* scratch: plain text before escaping, a marker */
	at_buf line;         /* one output line */
	at_buf meta;         /* metadata, leads, cells */
} md;

/* ---- Writing lines ---- */

static void pad(at_buf *b, size_t n)
{
	while (n--)
		at_buf_putc(b, ' ');
}

static void rtrim(at_buf *b)
{
	while (b->len && (b->s[b->len - 1] == ' ' || b->s[b->len - 1] == '\t'))
		b->s[--b->len] = '\0';
}

/* Writes s line by line: the first line after `indent` spaces and marker,
 * the next ones after `cont` spaces, so that they stay inside the list
 * item the marker opens; each after "> " when quote is set. Trailing
 * spaces are dropped (a hard break is written "\" by then). */
static void put_lines(md *m, const char *s, size_t len, size_t indent,
		      const char *marker, size_t cont, int quote)
{
	const char *p = s, *end = s + len;
	while (end > s && end[-1] == '\n')
		end--;
	for (int first = 1;; first = 0) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		at_buf_clear(&m->line);
		if (first && marker) {
			pad(&m->line, indent);
			at_buf_puts(&m->line, marker);
		} else {
			pad(&m->line, cont);
		}
		if (quote)
			at_buf_puts(&m->line, "> ");
		at_buf_put(&m->line, p, (size_t)(e - p));
		rtrim(&m->line);
		at_buf_putc(&m->line, '\n');
		fwrite(m->line.s, 1, m->line.len, m->f);
		m->oom |= m->line.oom;
		if (e == end)
			break;
		p = e + 1;
	}
}

/* Starts a block: blocks are separated by one blank line. */
static void block(md *m)
{
	if (m->written)
		fputc('\n', m->f);
	m->written = 1;
}

static void put_block(md *m, const at_buf *b)
{
	block(m);
	put_lines(m, b->s ? b->s : "", b->len, 0, NULL, 0, 0);
}

/* ---- Plain texts: names, places, labels ---- */

/* Appends s, a plain text, as Markdown showing it as written (text.h). */
static void esc(at_buf *b, const char *s)
{
	at_md_escape(b, s);
}

/* A plain text of the outline's (m->src) escaped onto b. */
static void esc_src(md *m, at_buf *b)
{
	esc(b, at_buf_cstr(&m->src));
}

/* "Question 1 : " with the language's colon. */
static void put_label(md *m, at_buf *b, const char *label)
{
	esc(b, label);
	at_buf_puts(b, m->l->colon);
}

static void inline_md(md *m, at_buf *out, const char *text, int flags)
{
	at_mdt_inline(&m->t, out, text, flags);
}

/* A block text as blocks of the report. */
static int put_block_md(md *m, const char *text, int demote, const char *lead)
{
	at_buf_clear(&m->text);
	int ends_ordered = at_mdt_block(&m->t, &m->text, text, demote, lead);
	if (m->text.len)
		put_block(m, &m->text);
	return ends_ordered;
}

/* "Table verte", or "Table t3" for a table without a name. */
static void put_table_name(md *m, at_buf *b, const char *id)
{
	at_buf_clear(&m->src);
	at_say_table(&m->ol, &m->src, id);
	esc_src(m, b);
}

static void put_names(md *m, at_buf *b, const at_strs *ids)
{
	at_buf_clear(&m->src);
	at_say_names(&m->ol, &m->src, ids);
	esc_src(m, b);
}

/* ---- Figures ---- */

/* Where the report links the figure: its copy beside the report (a folder
 * build), else the figure where it is, relative to the report. */
static void figure_url(md *m, at_buf *out, const at_figure *fig)
{
	const at_emit_options *o = m->o;
	const char *copy = o->figure_copy ? o->figure_copy(o->figure_ctx, fig)
					  : NULL;
	if (copy)
		at_url_path(out, copy);
	else if (at_url_rel(out, o->out_dir ? o->out_dir : ".", fig->path))
		m->oom = 1;
}

static void figure_md(md *m, at_buf *out, const at_figure *fig, int in_list)
{
	at_buf_clear(&m->meta);
	figure_url(m, &m->meta, fig);
	at_buf_clear(&m->src);
	if (fig->alt)
		at_buf_puts(&m->src, fig->alt);
	else if (fig->caption)
		at_md_plain_inline(&m->src, fig->caption);
	else
		at_buf_puts(&m->src, m->l->figure);
	at_mdt_figure(&m->t, out, at_buf_cstr(&m->meta), at_buf_cstr(&m->src),
		      fig->caption, in_list);
}

static void put_figures(md *m, const at_figures *figs)
{
	for (size_t i = 0; i < figs->n; i++) {
		at_buf_clear(&m->text);
		figure_md(m, &m->text, &figs->v[i], 0);
		put_block(m, &m->text);
	}
}

/* ---- Items ---- */

/* " *(par Jeanne Martin · tour 2, Table verte · 7 votes)*": who, where
 * and how much, in small after the contribution. */
static void item_meta(md *m, at_buf *out, const at_facts *f)
{
	if (!f->any)
		return;
	at_buf *b = &m->meta;
	at_buf_clear(b);
	at_buf_clear(&m->src);
	at_say_facts(&m->ol, &m->src, f);
	esc_src(m, b);
	if (f->link) {
		if (b->len)
			at_buf_puts(b, m->l->sep);
		at_buf_putc(b, '[');
		esc(b, m->l->link);
		at_buf_puts(b, "](");
		at_mdt_url(b, f->link);
		at_buf_putc(b, ')');
	}
	at_buf_puts(out, m->l->space);
	at_buf_putc(out, '*');
	at_buf_puts(out, m->l->open);
	at_buf_puts(out, at_buf_cstr(b));
	at_buf_puts(out, m->l->close);
	at_buf_putc(out, '*');
}

/* The facilitator's note, quoted under its item. */
static void item_note(md *m, const char *note, size_t indent)
{
	at_buf_clear(&m->meta);
	at_buf_putc(&m->meta, '*');
	esc(&m->meta, m->l->note);
	at_buf_putc(&m->meta, '*');
	at_buf_puts(&m->meta, m->l->colon);
	at_buf_clear(&m->text);
	at_mdt_block(&m->t, &m->text, note, 4, at_buf_cstr(&m->meta));
	put_lines(m, at_buf_cstr(&m->text), m->text.len, 0, NULL, indent, 1);
}

/* Items as a tight nested list, each text kept inside its item whatever it
 * holds. Children sit four spaces further in: CommonMark needs two, and
 * Python-Markdown (MkDocs) needs four to see the nesting. */
static void put_items(md *m, const at_items *items, size_t indent)
{
	for (size_t i = 0; i < items->n; i++) {
		const at_item *it = &items->v[i];
		at_facts f = at_item_facts(&m->ol, it);
		at_buf_clear(&m->text);
		if (it->figure) {
			figure_md(m, &m->text, it->figure, 1);
		} else {
			inline_md(m, &m->text, it->text, 0);
			item_meta(m, &m->text, &f);
		}
		put_lines(m, at_buf_cstr(&m->text), m->text.len, indent, "- ",
			  indent + 4, 0);
		if (f.note)
			item_note(m, f.note, indent + 4);
		put_items(m, &it->items, indent + 4);
	}
}

static void put_item_list(md *m, const at_items *items)
{
	if (!items->n)
		return;
	block(m);
	put_items(m, items, 0);
}

/* ---- Headings ---- */

static void heading(md *m, int level, const at_buf *text)
{
	block(m);
	for (int i = 0; i < level; i++)
		fputc('#', m->f);
	fputc(' ', m->f);
	fwrite(text->s ? text->s : "", 1, text->len, m->f);
	fputc('\n', m->f);
}

static void heading_label(md *m, int level, const char *label)
{
	at_buf_clear(&m->meta);
	esc(&m->meta, label);
	heading(m, level, &m->meta);
}

/* "Question 2 : En quoi la **recherche-action**..." */
static void question_heading(md *m, int level, const at_question *q)
{
	at_buf_clear(&m->meta);
	esc(&m->meta, m->l->question);
	at_buf_printf(&m->meta, " %zu", at_question_number(&m->ol, q));
	at_buf_puts(&m->meta, m->l->colon);
	inline_md(m, &m->meta, q->title, AT_MDT_ONE_LINE);
	heading(m, level, &m->meta);
}

/* ---- The report's parts ---- */

/* "2. Mise à plat des idées fortes : brainstorming": the number written
 * as is (a heading's content, or a link's text, is never a list). */
static void part_title(md *m, at_buf *b, const at_part *p)
{
	at_buf_clear(&m->src);
	at_part_title(&m->ol, p, &m->src);
	const char *t = at_buf_cstr(&m->src);
	size_t digits = strspn(t, "0123456789");
	at_buf_put(b, t, digits);
	esc(b, t + digits);
}

/* The anchor GitHub, GitLab and most site generators give a heading:
 * lower case, punctuation dropped, spaces as hyphens. */
static void put_slug(at_buf *b, const char *title)
{
	for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			at_buf_putc(b, (char)(*p + 32));
		else if (*p == ' ')
			at_buf_putc(b, '-');
		else if (*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
			 (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			at_buf_putc(b, (char)*p);
	}
}

static void part_heading(md *m, const at_part *p)
{
	at_buf_clear(&m->meta);
	part_title(m, &m->meta, p);
	heading(m, 2, &m->meta);
}

static void contents(md *m)
{
	at_buf_clear(&m->meta);
	at_buf_puts(&m->meta, "**");
	esc(&m->meta, m->l->contents);
	at_buf_puts(&m->meta, "**");
	put_block(m, &m->meta);
	block(m);
	for (size_t i = 0; i < m->ol.n_parts; i++) {
		const at_part *p = &m->ol.parts[i];
		at_buf_clear(&m->text);
		at_buf_puts(&m->text, "- [");
		part_title(m, &m->text, p);
		at_buf_puts(&m->text, "](#");
		/* The slug of the heading as read, without its escapes. */
		at_buf_clear(&m->src);
		at_part_title(&m->ol, p, &m->src);
		put_slug(&m->text, at_buf_cstr(&m->src));
		at_buf_puts(&m->text, ")\n");
		fwrite(m->text.s, 1, m->text.len, m->f);
	}
}

/* ---- Title block ---- */

/* For static-site generators: the page's title, date and language. */
static void front_matter(md *m)
{
	const at_session *s = m->s;
	at_buf *b = &m->text;
	at_buf_clear(b);
	at_buf_puts(b, "---\n");
	at_buf_clear(&m->meta);
	at_md_plain_inline(&m->meta, s->title);
	at_mdt_yaml_string(b, "title", at_buf_cstr(&m->meta));
	at_buf_printf(b, "date: %04d-%02d-%02d\n", s->date.year, s->date.month,
		      s->date.day);
	if (s->place)
		at_mdt_yaml_string(b, "place", s->place);
	at_buf_printf(b, "lang: %s\n", m->l->lang);
	if (s->organiser)
		at_mdt_yaml_string(b, "organiser", s->organiser);
	at_buf_puts(b, "---\n");
	fwrite(b->s, 1, b->len, m->f);
	m->written = 1;
}

static void table_row(md *m, at_buf *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(m->f, "| %s ", at_buf_cstr(cells[i]));
	fputs("|\n", m->f);
}

static void table_rule(md *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputs("| --- ", m->f);
	fputs("|\n", m->f);
}

static void participants_table(md *m)
{
	const at_session *s = m->s;
	int has_org = 0, has_role = 0;
	for (size_t i = 0; i < s->n_participants; i++) {
		has_org |= s->participants[i].organisation != NULL;
		has_role |= s->participants[i].role != NULL;
	}
	at_buf cells[3];
	at_buf *row[3];
	for (int i = 0; i < 3; i++)
		at_buf_init(&cells[i]), row[i] = &cells[i];
	size_t n = 1;
	esc(&cells[0], m->l->name);
	if (has_org)
		esc(&cells[n++], m->l->organisation);
	if (has_role)
		esc(&cells[n++], m->l->role);
	block(m);
	table_row(m, row, n);
	table_rule(m, n);
	for (size_t i = 0; i < s->n_participants; i++) {
		const at_participant *p = &s->participants[i];
		for (int c = 0; c < 3; c++)
			at_buf_clear(&cells[c]);
		esc(&cells[0], p->name);
		n = 1;
		if (has_org)
			esc(&cells[n++], p->organisation ? p->organisation : "");
		if (has_role)
			esc(&cells[n++], p->role ? p->role : "");
		table_row(m, row, n);
	}
	for (int i = 0; i < 3; i++)
		m->oom |= cells[i].oom, at_buf_free(&cells[i]);
}

static void title_block(md *m)
{
	const at_session *s = m->s;
	at_buf *b = &m->meta;
	if (s->organiser) {
		at_buf_clear(b);
		esc(b, s->organiser);
		put_block(m, b);
	}
	at_buf_clear(b);
	inline_md(m, b, s->title, AT_MDT_ONE_LINE);
	heading(m, 1, b);
	if (s->subtitle) {
		at_buf_clear(b);
		at_buf_putc(b, '*');
		esc(b, s->subtitle);
		at_buf_putc(b, '*');
		put_block(m, b);
	}
	char date[64];
	at_format_date(m->l, &s->date, date, sizeof date);
	at_buf_clear(b);
	at_buf_puts(b, "**");
	esc(b, m->l->report);
	at_buf_puts(b, "**");
	at_buf_puts(b, m->l->sep);
	esc(b, m->l->workshop_of);
	at_buf_puts(b, m->l->space);
	esc(b, date);
	if (s->place) {
		at_buf_puts(b, m->l->sep);
		esc(b, s->place);
	}
	put_block(m, b);
	if (s->facilitators.n) {
		at_buf_clear(b);
		put_label(m, b, m->l->facilitators);
		at_buf_clear(&m->src);
		for (size_t i = 0; i < s->facilitators.n; i++) {
			if (i)
				at_buf_puts(&m->src, m->l->list_sep);
			at_buf_puts(&m->src, s->facilitators.v[i].s);
		}
		esc_src(m, b);
		put_block(m, b);
	}
}

/* ---- Setting up the workshop ---- */

/* "(20 min · groupes de 5 à 8 personnes)" */
static void phase_details(md *m, at_buf *b, const at_phase *p)
{
	if (!p->minutes && !p->group_size.min)
		return;
	at_buf_puts(b, m->l->space);
	at_buf_puts(b, m->l->open);
	if (p->minutes)
		at_labelf(b, m->l->minutes, p->minutes);
	if (p->minutes && p->group_size.min)
		at_buf_puts(b, m->l->sep);
	at_format_group_size(b, m->l, &p->group_size);
	at_buf_puts(b, m->l->close);
}

/* One numbered item per phase: "**label** (details) : text". */
static void phases(md *m)
{
	const at_session *s = m->s;
	block(m);
	for (size_t i = 0; i < s->n_phases; i++) {
		const at_phase *p = &s->phases[i];
		at_buf *lead = &m->meta;
		at_buf_clear(lead);
		at_buf_puts(lead, "**");
		esc(lead, at_phase_label(m->l, p));
		at_buf_puts(lead, "**");
		phase_details(m, lead, p);
		at_buf_clear(&m->text);
		if (p->text) {
			at_buf_puts(lead, m->l->colon);
			at_mdt_block(&m->t, &m->text, p->text, 3,
				     at_buf_cstr(lead));
		} else {
			at_buf_puts(&m->text, at_buf_cstr(lead));
		}
		at_buf_clear(&m->src);
		at_buf_printf(&m->src, "%zu. ", i + 1);
		put_lines(m, at_buf_cstr(&m->text), m->text.len, 0,
			  at_buf_cstr(&m->src), m->src.len > 4 ? m->src.len : 4,
			  0);
	}
}

static void put_text_list(md *m, const at_strs *texts)
{
	if (!texts->n)
		return;
	block(m);
	for (size_t i = 0; i < texts->n; i++) {
		at_buf_clear(&m->text);
		inline_md(m, &m->text, texts->v[i].s, 0);
		put_lines(m, at_buf_cstr(&m->text), m->text.len, 0, "- ", 4, 0);
	}
}

static void questions(md *m)
{
	for (size_t i = 0; i < m->s->n_questions; i++) {
		const at_question *q = &m->s->questions[i];
		question_heading(m, 4, q);
		put_text_list(m, &q->prompts);
	}
}

/* The declared tables with who hosted them, before the plan names them. */
static void tables_list(md *m)
{
	const at_session *s = m->s;
	int any = 0;
	for (size_t i = 0; i < s->n_tables; i++)
		any |= s->tables[i].name || s->tables[i].host;
	if (!any)
		return;
	block(m);
	for (size_t i = 0; i < s->n_tables; i++) {
		const at_table *t = &s->tables[i];
		at_buf_clear(&m->text);
		at_buf_puts(&m->text, "- **");
		put_table_name(m, &m->text, t->id.s);
		at_buf_puts(&m->text, "**");
		if (t->host) {
			at_buf_puts(&m->text, m->l->list_sep);
			esc(&m->text, m->l->host);
			at_buf_puts(&m->text, m->l->space);
			esc(&m->text, t->host);
		}
		at_buf_putc(&m->text, '\n');
		fwrite(m->text.s, 1, m->text.len, m->f);
	}
}

/* "Tour 1 (20 min)" */
static void round_title(md *m, at_buf *b, const at_round *round, size_t num)
{
	esc(b, m->l->round);
	at_buf_printf(b, " %zu", num);
	if (round->minutes) {
		at_buf_puts(b, m->l->space);
		at_buf_puts(b, m->l->open);
		at_labelf(b, m->l->minutes, round->minutes);
		at_buf_puts(b, m->l->close);
	}
}

static void cell_tables(md *m, at_buf *b, const at_round_cell *rc)
{
	for (size_t t = 0; t < rc->tables.n; t++) {
		if (t)
			at_buf_puts(b, m->l->list_sep);
		put_table_name(m, b, rc->tables.v[t].s);
	}
}

/* The rotation plan as a list, a line per round: past what a grid holds
 * (at_session_rotation_is_grid). */
static void rotation_list(md *m)
{
	const at_session *s = m->s;
	at_buf *line = &m->text;
	block(m);
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		at_buf_clear(line);
		round_title(m, line, round, r + 1);
		const char *sep = m->l->colon;
		for (size_t c = 0; c < round->n_cells; c++) {
			const at_round_cell *rc = &round->cells[c];
			if (!rc->q)
				continue;
			at_buf_puts(line, sep);
			esc(line, m->l->question);
			at_buf_printf(line, " %zu", at_question_number(&m->ol, rc->q));
			at_buf_puts(line, m->l->dash);
			cell_tables(m, line, rc);
			sep = m->l->semicolon;
		}
		fprintf(m->f, "- %s\n", at_buf_cstr(line));
	}
}

/* Rounds × questions; each cell lists the tables. */
static void rotation_plan(md *m)
{
	const at_session *s = m->s;
	if (!s->n_rounds)
		return;
	heading_label(m, 4, m->l->rotation_plan);
	tables_list(m);
	if (!at_session_rotation_is_grid(s)) {
		rotation_list(m);
		return;
	}
	at_buf *cell = &m->text;
	block(m);
	at_buf_clear(cell);
	esc(cell, m->l->round);
	fprintf(m->f, "| %s ", at_buf_cstr(cell));
	for (size_t q = 0; q < s->n_questions; q++)
		fprintf(m->f, "| %s %zu ", m->l->question, q + 1);
	fputs("|\n", m->f);
	table_rule(m, s->n_questions + 1);
	for (size_t r = 0; r < s->n_rounds; r++) {
		const at_round *round = &s->rounds[r];
		at_buf_clear(cell);
		round_title(m, cell, round, r + 1);
		fprintf(m->f, "| %s ", at_buf_cstr(cell));
		for (size_t q = 0; q < s->n_questions; q++) {
			at_buf_clear(cell);
			for (size_t c = 0; c < round->n_cells; c++) {
				const at_round_cell *rc = &round->cells[c];
				if (rc->q != &s->questions[q])
					continue;
				if (cell->len)
					at_buf_puts(cell, m->l->list_sep);
				cell_tables(m, cell, rc);
			}
			fprintf(m->f, "| %s ", at_buf_cstr(cell));
		}
		fputs("|\n", m->f);
	}
}

static void method(md *m)
{
	const at_session *s = m->s;
	int ends_ordered = s->method && put_block_md(m, s->method, 3, NULL);
	if (ends_ordered && s->n_phases) {
		/* Or the phases would continue the method's own list. */
		block(m);
		fputs("<!-- -->\n", m->f);
	}
	if (s->n_phases)
		phases(m);
	rotation_plan(m);
}

static void setup(md *m)
{
	const at_session *s = m->s;
	for (at_setup_kind k = AT_SETUP_CONTEXT; k <= AT_SETUP_METHOD; k++) {
		if (!at_setup_has(&m->ol, k))
			continue;
		heading_label(m, 3, at_setup_title(&m->ol, k));
		switch (k) {
		case AT_SETUP_CONTEXT:
			if (s->context)
				put_block_md(m, s->context, 3, NULL);
			put_figures(m, &s->figures);
			break;
		case AT_SETUP_QUESTIONS:
			questions(m);
			break;
		case AT_SETUP_METHOD:
			method(m);
			break;
		}
	}
}

/* ---- Sub-groups ---- */

/* "**Consigne** (groupes de 4 à 5 personnes) : L'objectif était..." */
static void brief(md *m, const at_subgroup_work *w)
{
	if (!w->brief && !w->group_size.min)
		return;
	at_buf *lead = &m->meta;
	at_buf_clear(lead);
	at_buf_puts(lead, "**");
	esc(lead, m->l->brief);
	at_buf_puts(lead, "**");
	if (w->group_size.min) {
		at_buf_puts(lead, m->l->space);
		at_buf_puts(lead, m->l->open);
		at_format_group_size(lead, m->l, &w->group_size);
		at_buf_puts(lead, m->l->close);
	}
	if (w->brief) {
		at_buf_puts(lead, m->l->colon);
		put_block_md(m, w->brief, 3, at_buf_cstr(lead));
	} else {
		put_block(m, lead);
	}
}

/* "*5 personnes · Membres : Jeanne Martin, Paul Durand*" */
static void group_details(md *m, const at_group *g)
{
	if (!g->size && !g->members.n)
		return;
	at_buf *b = &m->meta;
	at_buf_clear(b);
	at_buf_putc(b, '*');
	if (g->size)
		at_labelf(b, m->l->size, g->size);
	if (g->size && g->members.n)
		at_buf_puts(b, m->l->sep);
	if (g->members.n) {
		put_label(m, b, m->l->members);
		put_names(m, b, &g->members);
	}
	at_buf_putc(b, '*');
	put_block(m, b);
}

/* A group's sections one after the other, in the grid's order: the
 * layout of the outline is a page's, and a Markdown reader has one
 * column. */
static void group(md *m, const at_group *g)
{
	at_buf *b = &m->meta;
	at_buf_clear(b);
	esc(b, at_group_label(g));
	if (g->name && g->theme) {
		at_buf_puts(b, m->l->theme_sep);
		esc(b, g->theme);
	}
	heading(m, 4, b);
	group_details(m, g);
	for (size_t k = 0; k < g->n_sections; k++) {
		const at_section *sec = &g->sections[k];
		at_buf_clear(b);
		at_buf_puts(b, "**");
		esc(b, at_section_label(m->l, sec));
		at_buf_puts(b, "**");
		put_block(m, b);
		put_item_list(m, &sec->items);
	}
	put_figures(m, &g->figures);
}

/* ---- The kit ---- */

static void append_inline(md *m, cmark_node *to, const char *text, int flags)
{
	at_mdt_append_inline(&m->t, to, text, flags);
}

/* "**Temps 1 : Etat des lieux de vos pratiques** : Est-ce que...": step,
 * title and prompt in one run, as the kit handed to the groups read. */
static void kit_step_paragraph(md *m, const at_kit_step *st)
{
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node_append_child(doc, para);
	if (st->step || st->title) {
		cmark_node *strong = cmark_node_new(CMARK_NODE_STRONG);
		cmark_node_append_child(para, strong);
		if (st->step)
			cmark_node_append_child(
				strong, at_mdt_node(CMARK_NODE_TEXT, st->step));
		if (st->step && st->title)
			cmark_node_append_child(
				strong, at_mdt_node(CMARK_NODE_TEXT, m->l->colon));
		if (st->title)
			append_inline(m, strong, st->title, AT_MDT_NO_STRONG);
	}
	const char *joint = at_step_joint(&m->ol, st);
	if (joint)
		cmark_node_append_child(para, at_mdt_node(CMARK_NODE_TEXT, joint));
	if (st->prompt)
		append_inline(m, para, st->prompt, 0);
	at_buf_clear(&m->text);
	at_mdt_render(&m->t, doc, &m->text);
	cmark_node_free(doc);
	if (m->text.len)
		put_block(m, &m->text);
}

/* "*attendu : Les freins de 3 à 5*" */
static void kit_expect(md *m, const at_kit_step *st)
{
	if (!st->n_expect)
		return;
	at_buf *b = &m->meta;
	at_buf_clear(b);
	at_buf_putc(b, '*');
	for (size_t i = 0; i < st->n_expect; i++) {
		const at_expect *e = &st->expect[i];
		if (i)
			at_buf_puts(b, m->l->sep);
		at_buf_clear(&m->src);
		esc(&m->src, e->def ? at_section_def_label(m->l, e->def)
				    : e->section.s);
		at_labelf(b, m->l->expect, at_buf_cstr(&m->src),
			  e->range.min, e->range.max);
	}
	at_buf_putc(b, '*');
	put_block(m, b);
}

static void kit_steps(md *m, const at_kit *k)
{
	for (size_t i = 0; i < k->n_steps; i++) {
		const at_kit_step *st = &k->steps[i];
		kit_step_paragraph(m, st);
		put_item_list(m, &st->asks);
		kit_expect(m, st);
	}
}

/* ---- Annex, footer ---- */

static void annex(md *m)
{
	const at_session *s = m->s;
	at_buf *b = &m->meta;
	if (s->attendance) {
		at_buf_clear(b);
		at_labelf(b, m->l->participants_count, s->attendance);
		put_block(m, b);
	}
	if (s->n_participants)
		participants_table(m);
	if (!s->attendance && !s->n_participants) {
		at_buf_clear(b);
		esc(b, m->l->no_list);
		put_block(m, b);
	}
}

static void footer(md *m)
{
	block(m);
	fputs("---\n", m->f);
	at_buf_clear(&m->meta);
	at_labelf(&m->meta, m->l->generated, ATELIER_VERSION);
	at_buf_clear(&m->text);
	at_buf_putc(&m->text, '*');
	esc(&m->text, at_buf_cstr(&m->meta));
	at_buf_putc(&m->text, '*');
	put_block(m, &m->text);
}

/* A part that goes question by question. */
static void by_question(md *m, const at_part *p)
{
	for (size_t i = 0; i < m->s->n_questions; i++) {
		const at_question *q = &m->s->questions[i];
		if (!at_part_has_question(p, q))
			continue;
		question_heading(m, 3, q);
		if (p->kind == AT_PART_BRAINSTORM) {
			put_item_list(m, &q->brainstorm->items);
		} else if (p->kind == AT_PART_KIT) {
			kit_steps(m, q->kit);
		} else {
			brief(m, q->subgroups);
			for (size_t g = 0; g < q->subgroups->n_groups; g++)
				group(m, &q->subgroups->groups[g]);
		}
	}
}

static void part(md *m, const at_part *p)
{
	part_heading(m, p);
	switch (p->kind) {
	case AT_PART_SETUP:
		setup(m);
		break;
	case AT_PART_SYNTHESIS:
		put_block_md(m, m->s->synthesis, 2, NULL);
		break;
	case AT_PART_ANNEX:
		annex(m);
		break;
	case AT_PART_BRAINSTORM:
	case AT_PART_SUBGROUPS:
	case AT_PART_KIT:
		by_question(m, p);
		break;
	}
}

static at_status emit_md(const at_session *s, FILE *out,
			 const at_emit_options *o, at_diags *d)
{
	(void)d;
	md m = {.f = out, .s = s, .o = o, .l = at_labels_for(o->lang)};
	at_outline_init(&m.ol, s, m.l);
	at_mdt_init(&m.t, o->unsafe);
	at_buf_init(&m.text);
	at_buf_init(&m.src);
	at_buf_init(&m.line);
	at_buf_init(&m.meta);
	if (o->front_matter)
		front_matter(&m);
	title_block(&m);
	contents(&m);
	for (size_t i = 0; i < m.ol.n_parts; i++)
		part(&m, &m.ol.parts[i]);
	footer(&m);
	at_outline_free(&m.ol);
	at_mdt_free(&m.t);
	m.oom |= m.text.oom | m.src.oom | m.line.oom | m.meta.oom | m.ol.oom |
		 m.t.oom;
	at_buf_free(&m.text);
	at_buf_free(&m.src);
	at_buf_free(&m.line);
	at_buf_free(&m.meta);
	if (m.oom)
		return AT_ENOMEM;
	return ferror(out) ? AT_EIO : AT_OK;
}

const at_emitter at_emit_md = {
	.name = "md",
	.ext = "md",
	.description = "Markdown compte-rendu (CommonMark)",
	.flags = AT_EMITTER_DOCUMENT | AT_EMITTER_INDEXED |
		 AT_EMITTER_FIGURE_FILES | AT_EMITTER_FORGE_PAGE,
	.emit = emit_md,
};
