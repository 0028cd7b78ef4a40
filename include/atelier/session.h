/* session.h: the typed model of one workshop session (format version 1).
 *
 * Built by the binder from the YAML tree, checked by the validator, then only
 * read: emitters take a const at_session and nothing else. Every element
 * keeps the source position it came from. All memory belongs to the
 * at_document that holds the session (see atelier.h). Texts are UTF-8,
 * NUL-terminated; "Markdown" texts are CommonMark (inline only for items). */
#ifndef ATELIER_SESSION_H
#define ATELIER_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include "atelier/diag.h"

typedef enum at_lang {
	AT_LANG_FR,
	AT_LANG_EN
} at_lang;

/* A text with where it was written; s is NULL when the key was absent. */
typedef struct at_str {
	const char *s;
	at_pos pos;
} at_str;

typedef struct at_strs {
	at_str *v;
	size_t n;
} at_strs;

typedef struct at_date {
	int year, month, day; /* 0 when absent */
	at_pos pos;
} at_date;

/* An inclusive range such as group_size: [5, 8]; min 0 = absent. */
typedef struct at_range {
	int min, max;
	at_pos pos;
} at_range;

typedef struct at_figure {
	at_pos pos;
	at_str image;        /* path as written, relative to the session file */
	const char *path;    /* the same, resolved against the session's folder */
	const char *caption; /* inline Markdown, or NULL */
	const char *alt;     /* text alternative, or NULL (caption serves) */
} at_figure;

typedef struct at_figures {
	at_figure *v;
	size_t n;
} at_figures;

typedef struct at_participant at_participant;
typedef struct at_question at_question;
typedef struct at_table at_table;
typedef struct at_item at_item;

typedef struct at_items {
	at_item *v;
	size_t n;
} at_items;

/* One contribution, or a figure standing among contributions. */
struct at_item {
	at_pos pos;
	const char *text;         /* inline Markdown; NULL for a figure */
	const at_figure *figure;  /* non-NULL: a figure, not a contribution */
	at_items items;           /* children, any depth */
	at_strs by;               /* participant ids */
	int round;                /* 1-based round where it was born; 0 absent */
	at_pos round_pos;
	at_str table;             /* table id where it was born */
	double weight;            /* strength of a force; meaningful if has_weight */
	bool has_weight;
	const char *link;         /* URL, or NULL */
	at_pos link_pos;          /* where the URL is written, for warnings */
	uint32_t link_span;
	at_strs tags;
	long votes;               /* meaningful if has_votes */
	bool has_votes;
	const char *note;         /* Markdown, or NULL */
};

struct at_participant {
	at_pos pos;
	at_str id;
	const char *name;
	const char *organisation; /* or NULL */
	const char *role;         /* or NULL */
};

typedef struct at_brainstorm at_brainstorm;
typedef struct at_subgroup_work at_subgroup_work;
typedef struct at_kit at_kit;

struct at_question {
	at_pos pos;
	at_str id;
	const char *title;   /* inline Markdown */
	at_strs prompts;     /* inline Markdown each */
	/* Filled by the binder, NULL when the session has none for it. */
	const at_brainstorm *brainstorm;
	const at_subgroup_work *subgroups;
	const at_kit *kit;
};

typedef enum at_phase_kind {
	AT_PHASE_ROTATION,
	AT_PHASE_SUBGROUPS,
	AT_PHASE_PLENARY,
	AT_PHASE_SYNTHESIS,
	AT_PHASE_OTHER
} at_phase_kind;

typedef struct at_phase {
	at_pos pos;
	at_phase_kind kind;
	const char *title;   /* or NULL: the kind's label serves */
	int minutes;         /* 0 absent */
	at_range group_size;
	const char *text;    /* Markdown, or NULL */
} at_phase;

struct at_table {
	at_pos pos;
	at_str id;
	const char *name;    /* or NULL */
	const char *host;    /* who hosted it, free text, or NULL */
};

/* One question's tables in one round of the rotation plan. */
typedef struct at_round_cell {
	at_str question;
	const at_question *q;  /* NULL when the id is unknown (an error) */
	at_strs tables;
} at_round_cell;

typedef struct at_round {
	at_pos pos;
	int minutes;           /* 0 absent */
	at_round_cell *cells;
	size_t n_cells;
} at_round;

typedef enum at_force {
	AT_FORCE_NONE,
	AT_FORCE_DRIVER,
	AT_FORCE_BRAKE
} at_force;

/* The built-in grid, the sheet of the seed's sub-groups, as data: one row
 * a section, in the order the sheet lists them. Its labels are the
 * language's (at_labels.section[label]); a second built-in grid would be
 * one more table. */
typedef struct at_builtin_section {
	const char *id;      /* the key a group writes: "drivers" */
	const char *kind;    /* the kind of its contributions: "driver" */
	int label;           /* index into at_labels.section */
	at_force force;
	bool of_change;      /* under the sheet's "conditions for change" */
} at_builtin_section;

#define AT_BUILTIN_GRID_N 4
extern const at_builtin_section at_builtin_grid[AT_BUILTIN_GRID_N];

/* One section of the sub-group sheet: built-in (a row of at_builtin_grid)
 * or declared by the session under `sections`. */
typedef struct at_section_def {
	at_pos pos;
	at_str id;
	const char *label;   /* NULL for a built-in: the language's label */
	at_force force;
	const at_builtin_section *builtin; /* NULL for a declared section */
} at_section_def;

typedef struct at_section {
	at_pos pos;
	const at_section_def *def;
	const char *label;   /* this group's own label, or NULL */
	at_items items;
} at_section;

typedef struct at_group {
	at_pos pos;
	const char *name;    /* "Sous-groupe 1", or NULL when a theme names it */
	const char *theme;   /* or NULL */
	int size;            /* 0 absent */
	at_pos size_pos;
	at_strs members;     /* participant ids */
	at_section *sections;/* in the grid's order, only those given */
	size_t n_sections;
	at_figures figures;
} at_group;

struct at_subgroup_work {
	at_pos pos;
	at_str question;
	const at_question *q;  /* NULL when unknown (an error) */
	const char *brief;     /* Markdown, or NULL */
	at_range group_size;
	at_group *groups;
	size_t n_groups;
};

struct at_brainstorm {
	at_pos pos;
	at_str question;
	const at_question *q;
	at_items items;
};

/* What a kit step asked for, e.g. drivers: [3, 5]. */
typedef struct at_expect {
	at_str section;
	const at_section_def *def; /* NULL when unknown (an error) */
	at_range range;
} at_expect;

typedef struct at_kit_step {
	at_pos pos;
	const char *step;    /* "Temps 1", or NULL */
	const char *title;   /* inline Markdown, or NULL */
	const char *prompt;  /* inline Markdown, or NULL */
	at_items asks;       /* instructions given to the groups */
	at_expect *expect;
	size_t n_expect;
} at_kit_step;

struct at_kit {
	at_pos pos;
	at_str question;
	const at_question *q;
	at_kit_step *steps;
	size_t n_steps;
};

typedef struct at_session {
	const char *path;        /* the file as named on the command line */
	const char *dir;         /* its folder, for figures ("." if none) */
	/* Where its figures may be read from (src/figures/figure.h): the real path
	 * of its folder, or of the tree a folder build searches
	 * (figure_root_is_tree); NULL if that folder is gone (then none
	 * is read). figures_anywhere: --allow-outside-figures. */
	const char *figure_root;
	int figure_root_is_tree, figures_anywhere;
	int version;             /* `atelier:` */
	at_lang lang;
	const char *title;       /* inline Markdown */
	const char *subtitle;    /* or NULL */
	const char *organiser;   /* or NULL */
	at_date date;
	const char *place;       /* or NULL */
	at_strs facilitators;
	at_participant *participants;
	size_t n_participants;
	int attendance;          /* head count; 0 absent */
	at_pos attendance_pos;
	const char *context;     /* Markdown, or NULL */
	at_figures figures;      /* shown with the context */
	at_question *questions;
	size_t n_questions;
	const char *method;      /* Markdown introducing the phases, or NULL */
	at_phase *phases;
	size_t n_phases;
	at_table *tables;
	size_t n_tables;
	at_round *rounds;
	size_t n_rounds;
	at_section_def *sections; /* the sub-group grid: built-in or declared */
	size_t n_sections;
	at_brainstorm *brainstorms;
	size_t n_brainstorms;
	at_subgroup_work *subgroups;
	size_t n_subgroups;
	at_kit *kits;
	size_t n_kits;
	const char *synthesis;   /* Markdown, or NULL */
	/* Private: participants and tables sorted by id, so that the lookups
	 * below stay a binary search for a million items. Use the functions. */
	const at_participant **participants_by_id;
	const at_table **tables_by_id;
} at_session;

/* Lookups by id; NULL when absent. Participants and tables: a binary
 * search; questions (a handful): a scan. */
const at_question *at_session_question(const at_session *s, const char *id);
const at_participant *at_session_participant(const at_session *s,
					     const char *id);
const at_table *at_session_table(const at_session *s, const char *id);
const at_section_def *at_session_section(const at_session *s, const char *id);

/* The phase that a sub-group's size is checked against: the first
 * `subgroups` phase, or NULL. */
const at_phase *at_session_subgroups_phase(const at_session *s);

/* Calls fn for every figure of the session: with the context, among
 * items at any depth, and with sub-groups. Stops at fn's first non-zero
 * value and returns it. */
typedef int (*at_figure_fn)(const at_figure *f, void *ctx);
int at_session_each_figure(const at_session *s, at_figure_fn fn, void *ctx);

/* Whether the reports draw the rotation plan as a grid (a cell per round
 * and question) rather than a list: not past 10,000 cells, which a
 * hostile file asks for with a few thousand of each (hundreds of
 * megabytes of empty cells); a list is as long as the plan itself. */
int at_session_rotation_is_grid(const at_session *s);

/* ---- Walking every contribution in document order ----
 * Emitters that list contributions (spreadsheet, CSV, JSON, tests) share this
 * one walk, so they agree on what a contribution is and on its order:
 * brainstorm items question by question, then sub-group sections, then kit
 * asks; children right after their parent. Figures are not contributions. */
typedef enum at_origin {
	AT_FROM_BRAINSTORM,
	AT_FROM_SUBGROUP,
	AT_FROM_KIT
} at_origin;

typedef struct at_contribution {
	const at_item *item;
	at_origin origin;
	const at_question *question;     /* may be NULL only if unknown */
	const at_group *group;           /* AT_FROM_SUBGROUP */
	const at_section *section;       /* AT_FROM_SUBGROUP */
	const at_kit_step *step;         /* AT_FROM_KIT */
	const at_item *parent;           /* NULL at the top level */
	int depth;                       /* 0 at the top level */
	size_t index;                    /* 0-based, document order */
} at_contribution;

/* Calls fn for each contribution; stops early and returns fn's value when it
 * is non-zero. */
typedef int (*at_contribution_fn)(const at_contribution *c, void *ctx);
int at_session_walk(const at_session *s, at_contribution_fn fn, void *ctx);

/* ---- What the report counts: one rule for every format ----
 * A contribution is an item of a brainstorm or of a sub-group section, at
 * any depth: a sub-point is a contribution too. Kit asks are instructions
 * given to the groups, and figures are pictures: neither is counted. A
 * driver (a brake) is a contribution, at any depth, of a section whose
 * grid declares that force. The report, the workbook, the index and
 * `check -v` all count through these. */
typedef struct at_counts {
	size_t contributions, drivers, brakes;
} at_counts;

/* Whether c is counted as a contribution (every walked item but kit
 * asks), and the force it counts for. */
bool at_contribution_counted(const at_contribution *c);
at_force at_contribution_force(const at_contribution *c);
void at_counts_add(at_counts *n, const at_contribution *c);

at_counts at_session_counts(const at_session *s);
at_counts at_group_counts(const at_group *g);
size_t at_session_count(const at_session *s); /* .contributions */

/* Whether the session's grid declares a driver or a brake section: when
 * it does not, nothing about forces belongs in its report. */
bool at_grid_has_forces(const at_session *s);

/* The kind of a contribution, as a stable English word: "brainstorm",
 * "practice", "condition", "driver", "brake", a custom section's id, or
 * "instruction" for kit asks. */
const char *at_contribution_kind(const at_contribution *c);

#endif
