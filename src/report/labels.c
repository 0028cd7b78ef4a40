/* labels.c: the French and English label sets (their words are in
 * labels.def), and the helpers that format with them. */
#include "labels.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The label sets, built from labels.def: LANG picks one language's words
 * of each entry. */
#define UNPAREN(...) __VA_ARGS__
#define APPLY(m, args) m args
#define S(f, fr_, en_) .f = LANG(fr_, en_),
#define A(f, fr_, en_) .f = {APPLY(UNPAREN, LANG(fr_, en_))},

#define LANG(fr_, en_) fr_
static const at_labels fr = {.lang = "fr",
#include "labels.def"
};
#undef LANG
#define LANG(fr_, en_) en_
static const at_labels en = {.lang = "en",
#include "labels.def"
};
#undef LANG

const at_labels *at_labels_for(at_lang lang)
{
	return lang == AT_LANG_EN ? &en : &fr;
}

int at_lang_of_code(const char *code)
{
	if (code && strcmp(code, en.lang) == 0)
		return AT_LANG_EN;
	return code && strcmp(code, fr.lang) == 0 ? AT_LANG_FR : -1;
}

int at_lang_fold(int so_far, at_lang session)
{
	return so_far < 0 || so_far == (int)session ? (int)session
						    : (int)AT_LANG_FR;
}

at_lang at_lang_folded(int so_far)
{
	return so_far < 0 ? AT_LANG_FR : (at_lang)so_far;
}

void at_labelf(at_buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	at_buf_vprintf(out, fmt, ap);
	va_end(ap);
}

void at_format_group_size(at_buf *out, const at_labels *l, const at_range *r)
{
	if (!r->min)
		return;
	if (r->min == r->max)
		at_labelf(out, l->group_size_one, r->min);
	else
		at_labelf(out, l->group_size, r->min, r->max);
}

int at_plural(const at_labels *l, size_t n)
{
	return l == &fr ? n > 1 : n != 1;
}

void at_format_date(const at_labels *l, const at_date *d, char *buf,
		    size_t size)
{
	if (!d->year || d->month < 1 || d->month > 12) {
		if (size)
			buf[0] = '\0';
		return;
	}
	/* French writes the first of the month "1er". */
	const char *suffix = l == &fr && d->day == 1 ? "er" : "";
	snprintf(buf, size, "%d%s %s %d", d->day, suffix,
		 l->months[d->month - 1], d->year);
}

const char *at_section_def_label(const at_labels *l, const at_section_def *d)
{
	if (d->label)
		return d->label;
	return d->builtin ? l->section[d->builtin->label] : d->id.s;
}

const char *at_section_label(const at_labels *l, const at_section *s)
{
	return s->label ? s->label : at_section_def_label(l, s->def);
}

const char *at_phase_label(const at_labels *l, const at_phase *p)
{
	return p->title ? p->title : l->phase[p->kind];
}

const char *at_group_label(const at_group *g)
{
	return g->name ? g->name : g->theme;
}
