/* readfile.h: reading a file atelier did not just create (a cached file
 * under OUT, a file found in the tree) without trusting what it is. A
 * FIFO planted there would block the build, a link to /dev/zero would
 * never end: only a regular file is read, opened without blocking and
 * checked on the open descriptor, so it cannot be swapped in between. */
#ifndef ATELIER_READFILE_H
#define ATELIER_READFILE_H

#include <stddef.h>
#include <sys/stat.h>

/* Flags of at_open_regular. */
enum {
	AT_READ_NO_LINK = 1 /* a symbolic link is refused, not followed */
};

/* A descriptor on path when it is a regular file (*st its state), else -1
 * with errno set (EINVAL: not a regular file). */
int at_open_regular(const char *path, int flags, struct stat *st);

/* The first max bytes of the regular file at path (all of it when it is
 * shorter), NUL-terminated, *len their count; NULL when it cannot be
 * read, is not a regular file, or memory runs out. Free the result. */
char *at_read_regular(const char *path, int flags, size_t max, size_t *len);

#endif
