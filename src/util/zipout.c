/* zipout.c: zip containers in memory through libzip, dated by the caller
 * (see zipout.h). The DOS date is computed by atelier from UTC
 * (zipdate.c): libzip's own conversion goes through the local time zone,
 * which would make the bytes depend on the machine's TZ. */
#include "zipout.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct at_zip {
	zip_source_t *src;  /* the container's bytes, kept past zip_close */
	zip_t *za;
	zip_uint16_t dos_time, dos_date;
	int failed;
};

at_zip *at_zip_new(long long timestamp)
{
	at_zip *z = calloc(1, sizeof *z);
	if (!z)
		return NULL;
	zip_error_t err;
	zip_error_init(&err);
	z->src = zip_source_buffer_create(NULL, 0, 0, &err);
	if (z->src)
		z->za = zip_open_from_source(z->src, ZIP_TRUNCATE, &err);
	zip_error_fini(&err);
	if (!z->za) {
		if (z->src)
			zip_source_free(z->src);
		free(z);
		return NULL;
	}
	/* zip_close would free the source with the archive: keep it, its
	 * bytes are the result */
	zip_source_keep(z->src);
	at_zip_dos_datetime(timestamp, &z->dos_time, &z->dos_date);
	return z;
}

at_status at_zip_add(at_zip *z, const char *name, const void *data,
		     size_t len, int store)
{
	if (z->failed)
		return AT_ENOMEM;
	void *copy = malloc(len ? len : 1);
	if (!copy) {
		z->failed = 1;
		return AT_ENOMEM;
	}
	if (len)
		memcpy(copy, data, len);
	zip_source_t *s = zip_source_buffer(z->za, copy, len, 1);
	if (!s) {
		free(copy);
		z->failed = 1;
		return AT_ENOMEM;
	}
	zip_int64_t i = zip_file_add(z->za, name, s, ZIP_FL_ENC_UTF_8);
	if (i < 0) {
		zip_source_free(s);
		z->failed = 1;
		return AT_ENOMEM;
	}
	zip_uint64_t idx = (zip_uint64_t)i;
	if (zip_set_file_compression(z->za, idx,
				     store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     store ? 0 : 6) < 0 ||
	    zip_file_set_dostime(z->za, idx, z->dos_time, z->dos_date, 0) < 0) {
		z->failed = 1;
		return AT_ENOMEM;
	}
	return AT_OK;
}

/* Copies the finished container from its source to out. */
static at_status copy_out(zip_source_t *src, FILE *out)
{
	if (zip_source_open(src) < 0)
		return AT_ENOMEM;
	at_status st = AT_OK;
	char chunk[65536];
	zip_int64_t n;
	while ((n = zip_source_read(src, chunk, sizeof chunk)) > 0)
		if (fwrite(chunk, 1, (size_t)n, out) != (size_t)n) {
			st = AT_EIO;
			break;
		}
	if (n < 0 && st == AT_OK)
		st = AT_ENOMEM;
	zip_source_close(src);
	return st;
}

at_status at_zip_write(at_zip *z, FILE *out)
{
	if (z->failed || !z->za)
		return AT_ENOMEM;
	int closed = zip_close(z->za);
	if (closed < 0) {
		zip_discard(z->za);
		z->za = NULL;
		return AT_ENOMEM;
	}
	z->za = NULL;
	return copy_out(z->src, out);
}

void at_zip_free(at_zip *z)
{
	if (!z)
		return;
	if (z->za)
		zip_discard(z->za);
	zip_source_free(z->src);
	free(z);
}
