/* labels.h: every word and piece of punctuation a report, a spreadsheet,
 * a CSV export or a folder's index writes that does not come from the
 * session, in each language they can be written in (the words themselves:
 * labels.def, French beside English). Emitters take their labels from
 * here only, so a language is complete or visibly not. */
#ifndef ATELIER_LABELS_H
#define ATELIER_LABELS_H

#include <stddef.h>
#include "atelier/session.h"
#include "buf.h"

/* The pages across sessions (index.c): what the report's labels do not
 * already hold. */
typedef struct at_index_labels {
	const char *title, *sessions, *session, *people, *contributions,
		*reports, *recurring, *recurring_none, *by_tag, *by_text;
	const char *in_sessions;   /* "dans %zu ateliers" */
	const char *book;          /* the link to the merged workbook */
	const char *shown;         /* "Les %zu qui reviennent le plus, sur %zu." */
	const char *more[2];       /* "et %zu autre(s)", by at_plural */
} at_index_labels;

/* The spreadsheet's sheets, headers and keys (emit_xlsx*.c, book.c). */
typedef struct at_xlsx_labels {
	const char *sheet[5];        /* in the order of the sheets */
	const char *forces_head[7];
	const char *total, *all_questions;
	const char *groups_of;       /* Participants: their sub-groups */
	const char *title, *subtitle, *n_participants, *attendance;
	const char *n_questions, *n_contributions, *n_groups, *n_drivers,
		*n_brakes, *tables, *format_version, *atelier_version,
		*source_file, *image;
	const char *questions_head[5];
	const char *group_size, *expected;
	const char *file, *report;   /* the merged workbook's first columns */
} at_xlsx_labels;

/* The columns of the Contributions table (rows.h: at_col). */
#define AT_LABELS_NCOLS 23

typedef struct at_labels {
	const char *lang;          /* BCP 47: "fr", "en" */
	const char *report;        /* "Compte-rendu" */
	const char *workshop_of;   /* "Atelier du" + date */
	const char *organiser, *date, *place, *facilitators;
	const char *contents;      /* table of contents */
	const char *setup;         /* section 1 */
	const char *context;
	const char *questions;
	const char *question;      /* "Question" + number */
	const char *prompts;
	const char *method;        /* how the workshop ran */
	const char *phase[5];      /* by at_phase_kind */
	const char *minutes;       /* "%d min" */
	const char *group_size;    /* "groupes de %d à %d personnes" */
	const char *group_size_one;/* "groupes de %d personnes" */
	const char *rotation_plan;
	const char *round;         /* "Tour" */
	const char *table;
	const char *host;          /* "animée par" */
	const char *brainstorm;    /* section 3 */
	const char *subgroups;     /* section 4 */
	const char *brief;
	const char *group;         /* "Sous-groupe" */
	const char *size;          /* "%d personnes" */
	const char *members;
	const char *section[4];    /* practices, conditions, drivers, brakes */
	const char *conditions_for_change; /* the right-hand column */
	const char *force_field;
	const char *force_field_alt; /* "%s : %zu %s, %zu %s": who, then the
				      * counts with their words below */
	const char *driver_word[2];  /* singular, plural: "moteur" */
	const char *brake_word[2];
	const char *force_drivers; /* force-field column: "Moteurs" */
	const char *force_brakes;  /* force-field column: "Freins" */
	/* ---- the force field (html_forcefield.c; a PDF will draw the
	 * same figure) ---- */
	const char *ff_caption; /* "Champ de forces — Question %zu." */
	const char *ff_counts;  /* "%zu %s, %zu %s.": counts and words as in
				 * force_field_alt */
	const char *ff_weight;  /* "poids %g" */
	const char *ff_legend;  /* how to read the figure, whatever the
				 * screen: no "left" nor "right" */
	/* ---- end of the force field ---- */
	const char *colon;         /* between a label and its text: " : " */
	const char *semicolon;     /* between the parts of a line: " ; " */
	const char *excel_sep;     /* between CSV fields for the language's
				    * Excel (--csv=excel): ";" where the
				    * decimal separator is the comma */
	const char *kit;           /* section 5 */
	const char *expect;        /* "attendu : %s de %d à %d" */
	const char *synthesis;
	const char *annex;
	const char *participants_count; /* "%d participants" */
	const char *no_list;
	const char *name, *organisation, *role;
	const char *by, *votes, *weight, *tags, *note, *link;
	const char *born_at;       /* "tour %d, table %s" */
	const char *born_round;    /* "tour %d", when no table is known */
	const char *born_table;    /* "table %s", when no round is known */
	const char *figure;
	const char *generated;     /* footer: "Produit par atelier %s" */
	const char *months[12];
	/* ---- The report's outline (src/report/outline.c): numbering, facts,
	 * punctuation; the conversions of each format in its comment. */
	const char *part_title;    /* "%d. %s": number, title */
	const char *page_of;       /* a PDF page's foot: "%d / %d": the
				    * page, the pages */
	const char *born_at_named; /* "tour %d, %s": a table by its name */
	const char *born_table_named; /* "%s" */
	const char *table_named;   /* "%s": a table on its own */
	const char *table_unnamed; /* "Table %s": its id */
	const char *votes_n[2];    /* "%ld vote", "%ld votes" */
	const char *weight_is;     /* "poids : %g" */
	const char *space;         /* between words; after a title's own mark */
	const char *sep;           /* between facts: " · " */
	const char *list_sep;      /* between names: ", " */
	const char *theme_sep;     /* a group's name, then its theme: " — " */
	const char *dash;          /* a question, then its tables: " — " */
	const char *open, *close;  /* an aside: "(", ")" */
	const char *step;          /* a kit step without a name: "Étape %zu" */
	/* A contribution's kind: brainstorm, practice, condition, driver,
	 * brake, instruction (rows.c). */
	const char *kind[6];
	const char *columns[AT_LABELS_NCOLS];
	at_index_labels index;
	at_xlsx_labels xlsx;
} at_labels;

const at_labels *at_labels_for(at_lang lang);

/* The language whose code is code ("fr", "en"), or -1. */
int at_lang_of_code(const char *code);

/* One rule for pages made of several sessions (a folder's index and
 * workbook): the sessions' language when they all agree, else French.
 * Folded a session at a time from -1; at_lang_folded gives the result
 * (French when no session had a language). French absorbs: once the
 * fold is French it stays French. */
int at_lang_fold(int so_far, at_lang session);
at_lang at_lang_folded(int so_far);

/* Appends a label filled in like printf ("tour %d, table %s"). Label
 * formats come from the tables above, so the compiler cannot check the
 * call: each label's conversions are fixed, and written in its comment. */
void at_labelf(at_buf *out, const char *fmt, ...);

/* "groupes de 5 à 8 personnes", "groupes de 5 personnes"; nothing for an
 * absent range. */
void at_format_group_size(at_buf *out, const at_labels *l, const at_range *r);

/* 0 when n takes the singular in the labels' language, else 1: French
 * says "0 frein", "1 frein"; English "0 brakes", "1 brake". */
int at_plural(const at_labels *l, size_t n);

/* "30 juin 2016" / "30 June 2016"; "" when the date is absent. */
void at_format_date(const at_labels *l, const at_date *d, char *buf,
		    size_t size);

/* The label a group's section shows: its own, the grid's, or the
 * language's built-in one. */
const char *at_section_label(const at_labels *l, const at_section *s);
const char *at_section_def_label(const at_labels *l, const at_section_def *d);

/* A phase's heading: its title, else its kind's label. */
const char *at_phase_label(const at_labels *l, const at_phase *p);

/* A group's heading: its name, else its theme. */
const char *at_group_label(const at_group *g);

#endif
