/* figcopy.h: the figures a folder build copies into OUT, beside the
 * reports that link them as files (AT_EMITTER_FIGURE_FILES: the Markdown),
 * so that a published report never points into the sessions' tree.
 *
 * A copy is named STEM-HASH.EXT: STEM the session's, HASH 16 hex digits of
 * the content's 64-bit FNV-1a, EXT the image type's (png, jpg, gif, webp,
 * svg; bin for any other, never served as a page). Content-addressed, so a
 * changed figure gets a new name and an unchanged one is not written again;
 * two sessions' copies never meet, since the stem is theirs; and one
 * image placed twice is one copy. */
#ifndef ATELIER_FIGCOPY_H
#define ATELIER_FIGCOPY_H

#include "atelier/atelier.h"

/* How much longer than the stem a copy's name is: "-", HASH, ".", EXT. */
#define AT_FIGCOPY_SUFFIX_MAX (1 + 16 + 1 + 4)

typedef struct at_figcopies at_figcopies;
typedef struct at_figure_set at_figure_set;

/* Copies every figure of s, as figs processes it (figure.h), into out_dir
 * (which exists). A figure that cannot be copied is an error at its
 * position in d, and the status says which kind; *out is always set (NULL
 * only when out of memory). */
at_status at_figcopies_make(const at_session *s, at_figure_set *figs,
			    const char *out_dir, const char *stem,
			    at_figcopies **out, at_diags *d);

/* The copy's file name in out_dir, or NULL: at_emit_options.figure_copy. */
const char *at_figcopies_name(void *copies, const at_figure *f);

/* The copies' file names, one per distinct copy, in the order made. */
size_t at_figcopies_count(const at_figcopies *c);
const char *at_figcopies_at(const at_figcopies *c, size_t i);

void at_figcopies_free(at_figcopies *c);

#endif
