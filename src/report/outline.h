/* outline.h: what the compte-rendu says, whatever its format: which parts
 * it has, in which order, numbered and anchored how; how each group's
 * sections are laid out; an item's facts as typed values; how a kit
 * step's head is joined to its prompt. The document emitters (emit_md.c,
 * emit_html.c) take every such decision from here and decide only markup;
 * their words and punctuation come from labels.c.
 *
 * Functions over the session, nothing copied: an emitter walks the
 * session's own item trees and asks for an item's facts as it reaches it,
 * so a report of a million items streams in the memory of one. */
#ifndef ATELIER_OUTLINE_H
#define ATELIER_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "atelier/session.h"
#include "buf.h"
#include "labels.h"

/* ---- Parts ---- */

typedef enum at_part_kind {
	AT_PART_SETUP,
	AT_PART_BRAINSTORM,
	AT_PART_SUBGROUPS,
	AT_PART_SYNTHESIS,
	AT_PART_KIT,
	AT_PART_ANNEX
} at_part_kind;

#define AT_PART_MAX 6

typedef struct at_part {
	at_part_kind kind;
	int number;          /* 1-based, among the parts this report has */
	const char *anchor;  /* "setup": its id in a page, and its questions'
			      * prefix ("brainstorm-2") */
	const char *title;   /* the language's label, without its number */
} at_part;

/* The setup part's sections, each present or not. */
typedef enum at_setup_kind {
	AT_SETUP_CONTEXT,
	AT_SETUP_QUESTIONS,
	AT_SETUP_METHOD
} at_setup_kind;

typedef struct at_outline {
	const at_session *s;
	const at_labels *l;
	/* The parts, in the order every format writes them: the work, then
	 * the synthesis that sums it up, then the kit given for it and the
	 * annex. Numbered in every format: the paper original numbers them,
	 * and a reader refers to "part 3". */
	at_part parts[AT_PART_MAX];
	size_t n_parts;
	at_buf scratch;      /* one title's plain text at a time */
	int oom;
} at_outline;

void at_outline_init(at_outline *o, const at_session *s, const at_labels *l);
void at_outline_free(at_outline *o);

/* "2. Mise à plat des idées fortes : brainstorming", appended. */
void at_part_title(const at_outline *o, const at_part *p, at_buf *out);

/* Whether the setup part has that section (the questions always). */
bool at_setup_has(const at_outline *o, at_setup_kind k);
const char *at_setup_anchor(at_setup_kind k);
const char *at_setup_title(const at_outline *o, at_setup_kind k);

/* Whether question q has a piece in the part (its brainstorm, its
 * sub-group work, its kit); its 1-based number. */
bool at_part_has_question(const at_part *p, const at_question *q);
size_t at_question_number(const at_outline *o, const at_question *q);

/* ---- A group's sections ---- */

typedef enum at_layout {
	AT_LAYOUT_PAPER,   /* built-in grid: practices | conditions for change */
	AT_LAYOUT_ONE,     /* one column */
	AT_LAYOUT_TWO,     /* two columns */
	AT_LAYOUT_SQUARE,  /* two by two */
	AT_LAYOUT_FLOW     /* as many columns as fit */
} at_layout;

/* How a group's sections stand: the built-in grid as the paper sheet,
 * when the group filled both of its columns; a declared grid after the
 * number of sections the group filled (1, 2, 4, or any other). Sections
 * come in the grid's declared order (the binder keeps it). */
at_layout at_group_layout(const at_group *g);

/* Whether a section of the built-in grid stands in the paper's right-hand
 * column, "conditions for change". */
bool at_section_of_change(const at_section *sec);

/* ---- An item's facts ---- */

/* Where an item was born. The table is its name when it has one (a name
 * says what it is: "Table verte"), else its id, which the labels then
 * call a table ("table t3"). */
typedef struct at_born {
	int round;           /* 0: not given */
	const char *table;   /* NULL: not given */
	bool table_named;
} at_born;

typedef struct at_facts {
	const at_strs *by;   /* authors' ids: at_outline_person for names */
	at_born born;
	bool has_votes, has_weight;
	long votes;
	double weight;
	const at_strs *tags;
	const char *link;    /* a link safe to follow, or NULL: a refused one
			      * is left out (validate.c warns) */
	const char *note;    /* Markdown, or NULL */
	bool any;            /* any fact shown after the text (the note
			      * apart) */
} at_facts;

at_facts at_item_facts(const at_outline *o, const at_item *it);

/* A participant's name (the id when it names nobody). */
const char *at_outline_person(const at_outline *o, const char *id);

/* A table as the report names it. */
at_born at_outline_table(const at_outline *o, const char *id);

/* Append the fact in the report's words, as plain text for the format
 * to escape: "tour 2, table verte", "7 votes", "poids : 2.5",
 * "mots-clés : a, b", "par Jeanne Martin, Paul Durand". */
void at_say_born(const at_outline *o, at_buf *out, const at_born *b);
void at_say_table(const at_outline *o, at_buf *out, const char *id);
void at_say_votes(const at_outline *o, at_buf *out, long votes);
void at_say_weight(const at_outline *o, at_buf *out, double weight);
void at_say_tags(const at_outline *o, at_buf *out, const at_strs *tags);
void at_say_people(const at_outline *o, at_buf *out, const at_strs *ids);
void at_say_names(const at_outline *o, at_buf *out, const at_strs *ids);

/* Every fact of it but the link and the note, each after the labels'
 * separator ("par X · tour 2, table verte · 7 votes"). */
void at_say_facts(const at_outline *o, at_buf *out, const at_facts *f);

/* ---- The kit ---- */

/* What stands between a kit step's head (its step and title) and its
 * prompt: the language's colon, or a space when the head ends with its
 * own mark ("Comment faire autrement ?", "What now…"); NULL when there
 * is no head or no prompt. */
const char *at_step_joint(at_outline *o, const at_kit_step *st);

#endif
