/* emit_json.c: the whole validated session as JSON, source positions
 * included, so that other tools can read a session without reimplementing
 * the format. The shape is documented in docs/format.md ("JSON export").
 * Absent optional values are omitted rather than written as null. */
#include <math.h>
#include <string.h>

#include "atelier/emitter.h"
#include "json.h"

/* A pretty-printing writer: two-space indents, one key per line, so that
 * exports diff well in git. */
typedef struct jw {
	FILE *f;
	int depth;
	int first; /* nothing written yet at this depth */
} jw;

static void indent(jw *w)
{
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void next(jw *w)
{
	if (!w->first)
		fputc(',', w->f);
	w->first = 0;
	indent(w);
}

static void string(jw *w, const char *s)
{
	at_json_string(w->f, s);
}

static void key(jw *w, const char *k)
{
	next(w);
	string(w, k);
	fputs(": ", w->f);
}

static void open(jw *w, const char *k, char c)
{
	if (k)
		key(w, k);
	else
		next(w);
	fputc(c, w->f);
	w->depth++;
	w->first = 1;
}

static void close_(jw *w, char c)
{
	w->depth--;
	if (!w->first)
		indent(w);
	fputc(c, w->f);
	w->first = 0;
}

static void str_field(jw *w, const char *k, const char *v)
{
	if (!v)
		return;
	key(w, k);
	string(w, v);
}

static void int_field(jw *w, const char *k, long v)
{
	key(w, k);
	fprintf(w->f, "%ld", v);
}

static void pos_fields(jw *w, at_pos p)
{
	if (!p.line)
		return;
	int_field(w, "line", p.line);
	int_field(w, "col", p.col);
}

static void strs_field(jw *w, const char *k, const at_strs *v)
{
	if (!v->n)
		return;
	open(w, k, '[');
	for (size_t i = 0; i < v->n; i++) {
		next(w);
		string(w, v->v[i].s);
	}
	close_(w, ']');
}

static void range_field(jw *w, const char *k, const at_range *r)
{
	if (!r->min)
		return;
	key(w, k);
	fprintf(w->f, "[%d, %d]", r->min, r->max);
}

static void figure(jw *w, const char *k, const at_figure *f)
{
	open(w, k, '{');
	str_field(w, "image", f->image.s);
	str_field(w, "caption", f->caption);
	str_field(w, "alt", f->alt);
	pos_fields(w, f->pos);
	close_(w, '}');
}

static void figures_field(jw *w, const at_figures *f)
{
	if (!f->n)
		return;
	open(w, "figures", '[');
	for (size_t i = 0; i < f->n; i++)
		figure(w, NULL, &f->v[i]);
	close_(w, ']');
}

static void items_field(jw *w, const char *k, const at_items *items);

static void item(jw *w, const at_item *it)
{
	open(w, NULL, '{');
	if (it->figure) {
		figure(w, "figure", it->figure);
	} else {
		str_field(w, "text", it->text);
		strs_field(w, "by", &it->by);
		if (it->round)
			int_field(w, "round", it->round);
		str_field(w, "table", it->table.s);
		if (it->has_weight && isfinite(it->weight)) {
			key(w, "weight");
			fprintf(w->f, "%.15g", it->weight);
		}
		str_field(w, "link", it->link);
		strs_field(w, "tags", &it->tags);
		if (it->has_votes)
			int_field(w, "votes", it->votes);
		str_field(w, "note", it->note);
		items_field(w, "items", &it->items);
	}
	pos_fields(w, it->pos);
	close_(w, '}');
}

static void items_field(jw *w, const char *k, const at_items *items)
{
	if (!items->n)
		return;
	open(w, k, '[');
	for (size_t i = 0; i < items->n; i++)
		item(w, &items->v[i]);
	close_(w, ']');
}

static const char *force_name(at_force f)
{
	return f == AT_FORCE_DRIVER ? "driver" : f == AT_FORCE_BRAKE ? "brake"
								     : "none";
}

static const char *const phase_names[] = {"rotation", "subgroups", "plenary",
					  "synthesis", "other"};

static void header(jw *w, const at_session *s)
{
	int_field(w, "atelier", s->version);
	str_field(w, "generator", "atelier " ATELIER_VERSION);
	str_field(w, "source", s->path);
	str_field(w, "lang", s->lang == AT_LANG_EN ? "en" : "fr");
	str_field(w, "title", s->title);
	str_field(w, "subtitle", s->subtitle);
	str_field(w, "organiser", s->organiser);
	key(w, "date");
	fprintf(w->f, "\"%04d-%02d-%02d\"", s->date.year, s->date.month,
		s->date.day);
	str_field(w, "place", s->place);
	strs_field(w, "facilitators", &s->facilitators);
	if (s->n_participants) {
		open(w, "participants", '[');
		for (size_t i = 0; i < s->n_participants; i++) {
			const at_participant *p = &s->participants[i];
			open(w, NULL, '{');
			str_field(w, "id", p->id.s);
			str_field(w, "name", p->name);
			str_field(w, "organisation", p->organisation);
			str_field(w, "role", p->role);
			pos_fields(w, p->pos);
			close_(w, '}');
		}
		close_(w, ']');
	}
	if (s->attendance)
		int_field(w, "attendance", s->attendance);
	str_field(w, "context", s->context);
	figures_field(w, &s->figures);
}

static void plan(jw *w, const at_session *s)
{
	open(w, "questions", '[');
	for (size_t i = 0; i < s->n_questions; i++) {
		const at_question *q = &s->questions[i];
		open(w, NULL, '{');
		str_field(w, "id", q->id.s);
		str_field(w, "title", q->title);
		strs_field(w, "prompts", &q->prompts);
		pos_fields(w, q->pos);
		close_(w, '}');
	}
	close_(w, ']');
	str_field(w, "method", s->method);
	if (s->n_phases) {
		open(w, "phases", '[');
		for (size_t i = 0; i < s->n_phases; i++) {
			const at_phase *p = &s->phases[i];
			open(w, NULL, '{');
			str_field(w, "kind", phase_names[p->kind]);
			str_field(w, "title", p->title);
			if (p->minutes)
				int_field(w, "minutes", p->minutes);
			range_field(w, "group_size", &p->group_size);
			str_field(w, "text", p->text);
			pos_fields(w, p->pos);
			close_(w, '}');
		}
		close_(w, ']');
	}
	if (s->n_tables) {
		open(w, "tables", '[');
		for (size_t i = 0; i < s->n_tables; i++) {
			const at_table *t = &s->tables[i];
			open(w, NULL, '{');
			str_field(w, "id", t->id.s);
			str_field(w, "name", t->name);
			str_field(w, "host", t->host);
			pos_fields(w, t->pos);
			close_(w, '}');
		}
		close_(w, ']');
	}
	if (s->n_rounds) {
		open(w, "rounds", '[');
		for (size_t i = 0; i < s->n_rounds; i++) {
			const at_round *r = &s->rounds[i];
			open(w, NULL, '{');
			if (r->minutes)
				int_field(w, "minutes", r->minutes);
			open(w, "tables", '{');
			for (size_t c = 0; c < r->n_cells; c++) {
				open(w, r->cells[c].question.s, '[');
				for (size_t t = 0; t < r->cells[c].tables.n; t++) {
					next(w);
					string(w, r->cells[c].tables.v[t].s);
				}
				close_(w, ']');
			}
			close_(w, '}');
			pos_fields(w, r->pos);
			close_(w, '}');
		}
		close_(w, ']');
	}
	open(w, "sections", '[');
	for (size_t i = 0; i < s->n_sections; i++) {
		const at_section_def *d = &s->sections[i];
		open(w, NULL, '{');
		str_field(w, "id", d->id.s);
		str_field(w, "label", d->label);
		str_field(w, "force", force_name(d->force));
		key(w, "builtin");
		fputs(d->builtin ? "true" : "false", w->f);
		pos_fields(w, d->pos);
		close_(w, '}');
	}
	close_(w, ']');
}

static void group(jw *w, const at_group *g)
{
	open(w, NULL, '{');
	str_field(w, "name", g->name);
	str_field(w, "theme", g->theme);
	if (g->size)
		int_field(w, "size", g->size);
	strs_field(w, "members", &g->members);
	if (g->n_sections) {
		open(w, "sections", '[');
		for (size_t k = 0; k < g->n_sections; k++) {
			const at_section *sec = &g->sections[k];
			open(w, NULL, '{');
			str_field(w, "id", sec->def->id.s);
			str_field(w, "label", sec->label);
			items_field(w, "items", &sec->items);
			pos_fields(w, sec->pos);
			close_(w, '}');
		}
		close_(w, ']');
	}
	figures_field(w, &g->figures);
	pos_fields(w, g->pos);
	close_(w, '}');
}

static void work(jw *w, const at_session *s)
{
	if (s->n_brainstorms) {
		open(w, "brainstorm", '[');
		for (size_t i = 0; i < s->n_brainstorms; i++) {
			const at_brainstorm *b = &s->brainstorms[i];
			open(w, NULL, '{');
			str_field(w, "question", b->question.s);
			items_field(w, "items", &b->items);
			pos_fields(w, b->pos);
			close_(w, '}');
		}
		close_(w, ']');
	}
	if (s->n_subgroups) {
		open(w, "subgroups", '[');
		for (size_t i = 0; i < s->n_subgroups; i++) {
			const at_subgroup_work *sw = &s->subgroups[i];
			open(w, NULL, '{');
			str_field(w, "question", sw->question.s);
			str_field(w, "brief", sw->brief);
			range_field(w, "group_size", &sw->group_size);
			open(w, "groups", '[');
			for (size_t g = 0; g < sw->n_groups; g++)
				group(w, &sw->groups[g]);
			close_(w, ']');
			pos_fields(w, sw->pos);
			close_(w, '}');
		}
		close_(w, ']');
	}
	if (s->n_kits) {
		open(w, "kit", '[');
		for (size_t i = 0; i < s->n_kits; i++) {
			const at_kit *k = &s->kits[i];
			open(w, NULL, '{');
			str_field(w, "question", k->question.s);
			open(w, "steps", '[');
			for (size_t j = 0; j < k->n_steps; j++) {
				const at_kit_step *st = &k->steps[j];
				open(w, NULL, '{');
				str_field(w, "step", st->step);
				str_field(w, "title", st->title);
				str_field(w, "prompt", st->prompt);
				items_field(w, "asks", &st->asks);
				if (st->n_expect) {
					open(w, "expect", '{');
					for (size_t e = 0; e < st->n_expect; e++)
						range_field(w, st->expect[e].section.s,
							    &st->expect[e].range);
					close_(w, '}');
				}
				pos_fields(w, st->pos);
				close_(w, '}');
			}
			close_(w, ']');
			pos_fields(w, k->pos);
			close_(w, '}');
		}
		close_(w, ']');
	}
	str_field(w, "synthesis", s->synthesis);
}

static at_status emit_json(const at_session *s, FILE *out,
			   const at_emit_options *o, at_diags *d)
{
	(void)o;
	(void)d;
	jw w = {out, 0, 1};
	fputc('{', out);
	w.depth = 1;
	header(&w, s);
	plan(&w, s);
	work(&w, s);
	w.depth = 0;
	fputs("\n}\n", out);
	return ferror(out) ? AT_EIO : AT_OK;
}

const at_emitter at_emit_json = {
	.name = "json",
	.ext = "json",
	.description =
		"the whole validated session as JSON, source positions included",
	.flags = AT_EMITTER_DOCUMENT | AT_EMITTER_INDEXED,
	.emit = emit_json,
};
