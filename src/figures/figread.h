/* figread.h: the one way a figure's image is opened and read. A session
 * file is untrusted: what it names as an image must not let it read the
 * machine's files into a published report. So an image is read only when
 * it lies inside the session's figure root (the session's folder, or the
 * tree a folder build searches), named relatively, its real path (symbolic
 * links resolved) still inside, opened once without following a final
 * link, a regular file not on a kernel file system (/proc, /sys), and
 * read no further than the size it reported when opened. */
#ifndef ATELIER_FIGREAD_H
#define ATELIER_FIGREAD_H

#include <stddef.h>
#include "atelier/atelier.h"

typedef struct at_figure_file {
	int fd;
	long long size;  /* bytes, from fstat of the open descriptor */
	long long left;  /* bytes still allowed to be read */
} at_figure_file;

/* Opens f's image under the rules of s (s->figure_root,
 * s->figures_anywhere). On a refusal or a failure, returns -1 and, when d
 * is not NULL, adds an error at the figure's image that names the rule
 * and how to comply. */
int at_figure_open(const at_session *s, const at_figure *f,
		   at_figure_file *ff, at_diags *d);

/* Reads up to n bytes, never past the size the file had when opened.
 * Returns the bytes read, 0 at the end, -1 on error (errno set; EIO when
 * the file turned out longer or shorter than it said). */
long long at_figure_read(at_figure_file *ff, void *buf, size_t n);

void at_figure_close(at_figure_file *ff);

#endif
