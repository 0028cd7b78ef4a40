/* depfile.h: make-style dependency rules (--depfile), written so that make
 * reads exactly the names atelier means: paths normalised the way make
 * compares them (textually: "out/./x.html" is another file than
 * "out/x.html"), make's special characters escaped, and names make cannot
 * hold at all (a control character: a newline would start a recipe line)
 * refused rather than written. */
#ifndef ATELIER_DEPFILE_H
#define ATELIER_DEPFILE_H

#include "buf.h"
#include "path.h" /* at_path_normal */


/* Appends path, normalised and escaped for a make rule. -1 (nothing
 * appended) when it holds a control character. */
int at_depfile_put(at_buf *b, const char *path);

#endif
