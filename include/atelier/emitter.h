/* emitter.h: the one interface every output format implements.
 *
 * An emitter turns a validated session into bytes on a stream, reading the
 * session only (never the YAML, never another emitter's output). Adding a
 * format is one new src/emit/emit_*.c defining an at_emitter with designated
 * initialisers, plus one line in the registry (src/emit/emitters.c); what a
 * folder build does with its output follows from its flags, never from
 * its name. A format on a large library lives in a module loaded when it is
 * written (src/util/module.h): its registry entry says what it is, and the
 * module's at_emitter of the same name does the work. */
#ifndef ATELIER_EMITTER_H
#define ATELIER_EMITTER_H

#include <stdio.h>
#include "atelier/atelier.h"

/* The CSV written (docs/spreadsheet.md): RFC 4180 for the tools that
 * import it, the default; with a UTF-8 byte-order mark (--csv-bom); or
 * what a double-click in Excel reads right: byte-order mark, and ';'
 * between fields when the labels are French, as Excel expects in a French
 * locale. The values are the ones --csv-bom had (0, 1). */
typedef enum at_csv_dialect {
	AT_CSV_RFC4180,
	AT_CSV_RFC4180_BOM,
	AT_CSV_EXCEL
} at_csv_dialect;

typedef struct at_emit_options {
	at_lang lang;          /* language of the labels */
	int front_matter;      /* md: YAML front matter for site generators */
	int unsafe;            /* md: let raw HTML from the session through */
	at_csv_dialect csv;    /* csv: the dialect */
	/* Folder the output is written to, or NULL for standard output:
	 * relative links (figures) are made relative to it. */
	const char *out_dir;
	/* A folder build copies the figures into OUT beside the report
	 * (AT_EMITTER_FIGURE_FILES): the copy's file name, in out_dir, for
	 * f, or NULL (and always when figure_copy is NULL) to link the figure
	 * where it is. */
	const char *(*figure_copy)(void *ctx, const at_figure *f);
	void *figure_ctx;
	/* Seconds since the epoch for timestamps inside files (xlsx
	 * properties): SOURCE_DATE_EPOCH when set, else the session's date,
	 * so that the same input gives the same bytes. */
	long long timestamp;
	/* Bytes the files of one session may take together (at_outputs_write
	 * counts them as they are written); 0: no budget. */
	size_t max_output;
	/* Figures (src/figures/figure.h): the long side in pixels (0: not scaled),
	 * the pixel budget of one image (0: the default), -v notes on each
	 * figure processed, and the session's figures processed so far
	 * (NULL: the emitter processes its own). */
	unsigned figure_size;
	unsigned long long figure_pixels;
	int verbose;
	struct at_figure_set *figures;
} at_emit_options;

/* What an emitter is, for the code around it (at_emitter.flags). */
enum {
	AT_EMITTER_DOCUMENT = 1 << 0,  /* part of the default set of `build` */
	AT_EMITTER_BINARY = 1 << 1,    /* not text: never to a terminal */
	AT_EMITTER_INDEXED = 1 << 2,   /* linked from a folder build's index */
	AT_EMITTER_BOOK = 1 << 3,      /* brings OUT/contributions.xlsx */
	/* links figures as files: a folder build copies them into OUT */
	AT_EMITTER_FIGURE_FILES = 1 << 4,
	/* a page a browser shows: index.html and the merged workbook link a
	 * session to this report first */
	AT_EMITTER_WEB_PAGE = 1 << 5,
	/* a page a forge renders (GitHub, GitLab): index.md links a session
	 * to this report first */
	AT_EMITTER_FORGE_PAGE = 1 << 6,
};

typedef struct at_emitter {
	const char *name;        /* as given to -f: "md" */
	const char *ext;         /* file extension without the dot */
	const char *description; /* one line, for `atelier formats` */
	unsigned flags;          /* AT_EMITTER_* */
	/* Writes s to out. Problems that belong to the input (a text too long
	 * for a spreadsheet cell) are diagnostics with their position and
	 * AT_EINPUT; a failed write is AT_EIO. */
	at_status (*emit)(const at_session *s, FILE *out,
			  const at_emit_options *o, at_diags *d);
	/* Optional (NULL: none): the problems of the input that emit would
	 * refuse and that are cheap to find without writing (a text too long
	 * for a cell). Run for every format asked before any is written, so
	 * that a refusal costs no emitter's time. Same results as emit. */
	at_status (*check)(const at_session *s, const at_emit_options *o,
			   at_diags *d);
	/* The module whose at_emitter "at_emit_NAME" has emit and check,
	 * or NULL when this one has them. */
	const char *module;
} at_emitter;

/* The registry, in the order formats are listed and built. */
const at_emitter *const *at_emitters(size_t *n);
const at_emitter *at_emitter_find(const char *name);

/* The emitter that writes e's format: e itself, or the one in its module,
 * loaded now. NULL after an error "module" when the module cannot be
 * loaded (atelier is not installed whole). */
const at_emitter *at_emitter_impl(const at_emitter *e, at_diags *d);

#endif
