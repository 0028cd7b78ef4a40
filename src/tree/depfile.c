/* depfile.c: names as make reads them (see depfile.h). */
#define _POSIX_C_SOURCE 200809L
#include "depfile.h"

#include <stdlib.h>
#include <string.h>

static int has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return 1;
	return 0;
}

int at_depfile_put(at_buf *b, const char *path)
{
	if (has_control(path))
		return -1;
	char *n = at_path_normal(path);
	if (!n) {
		b->oom = 1;
		return 0;
	}
	for (const char *p = n; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == ':' || *p == '\\')
			at_buf_putc(b, '\\');
		if (*p == '$')
			at_buf_putc(b, '$');
		at_buf_putc(b, *p);
	}
	free(n);
	return 0;
}
