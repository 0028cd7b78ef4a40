/* read.h: stage 1, the bytes of a session file: size limit, UTF-8 check,
 * byte-order mark. Line breaks are left to libyaml, which accepts CRLF. */
#ifndef ATELIER_READ_H
#define ATELIER_READ_H

#include <stddef.h>
#include "atelier/atelier.h"

typedef struct at_source {
	char *data;   /* malloc'd, NUL-terminated, BOM removed */
	size_t len;
} at_source;

/* Reads path whole. AT_EIO with a diagnostic at 0:0 when it cannot be read
 * or is over max_input; AT_EINPUT with a positioned one when it is not
 * UTF-8 or holds a NUL byte (the data is still returned, for excerpts). */
at_status at_source_read(const char *path, size_t max_input, at_source *src,
			 at_diags *d);

/* The same checks on bytes already in memory (copied). */
at_status at_source_from_buffer(const char *buf, size_t len, size_t max_input,
				at_source *src, at_diags *d);

void at_source_free(at_source *src);

/* 1-based line and column (in characters) of byte offset off. */
at_pos at_source_pos(const char *data, size_t len, size_t off);

#endif
