/* zipout.h: a zip container assembled in memory and written at once, for
 * the word-processor formats (ODT, DOCX are zips of XML parts). Every
 * entry carries the same fixed time, so the same parts give the same
 * bytes; nothing reaches the stream until the whole container is built,
 * so a failure leaves no half-written file behind the caller. */
#ifndef ATELIER_ZIPOUT_H
#define ATELIER_ZIPOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "atelier/atelier.h"

typedef struct at_zip at_zip;

/* A container whose entries are all dated `timestamp` (seconds since the
 * epoch, read as UTC; clamped to 1980-2107, what a zip can say). NULL when
 * out of memory. */
at_zip *at_zip_new(long long timestamp);

/* Adds an entry named name holding a copy of data: deflated, or stored as
 * it is when store is set (an ODT's "mimetype" must be, and come first).
 * Entries keep the order they are added in. */
at_status at_zip_add(at_zip *z, const char *name, const void *data,
		     size_t len, int store);

/* Builds the container and writes it to out. */
at_status at_zip_write(at_zip *z, FILE *out);

void at_zip_free(at_zip *z);

/* The DOS time and date a zip entry carries for timestamp, read as UTC
 * (one rule for every zip atelier writes, the merged workbook's too). */
void at_zip_dos_datetime(long long timestamp, uint16_t *dtime,
			 uint16_t *ddate);

#endif
