/* path.h: the one place for file-path helpers (names as strings: joined,
 * split, normalised) and the little file-system ones that go with them.
 * Names are the contributor's: nothing here interprets them beyond '/'. */
#ifndef ATELIER_PATH_H
#define ATELIER_PATH_H

#include <stddef.h>

/* The folder part of path, without copying: "a/b.yaml" -> "a" (n = 1, the
 * start of path), "b.yaml" -> ".", "/b" -> "/" (static strings). */
const char *at_path_dir(const char *path, size_t *n);
/* The same, malloc'd (NULL on OOM). */
char *at_path_dir_dup(const char *path);
/* a/b, no slash doubled; "." and "" add nothing before b. malloc'd. */
char *at_path_join(const char *a, const char *b);
/* "dir/moulins.yaml" -> "moulins"; standard input ("-") is "stdin". */
char *at_path_stem(const char *path);
/* "a//b/./c/" -> "a/b/c", "./x" -> "x", "." stays "."; ".." is kept (only
 * the file system knows where it leads). malloc'd, or NULL. */
char *at_path_normal(const char *path);
/* mkdir -p; 0 on success. */
int at_path_make_dirs(const char *path);
int at_path_is_dir(const char *path);

#endif
