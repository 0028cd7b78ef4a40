/* buf.h: a growable byte string (sds-like, but a plain struct). Emitters
 * build text in it; a failed allocation sets oom and later appends are
 * no-ops, so callers check once at the end instead of after every append. */
#ifndef ATELIER_BUF_H
#define ATELIER_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct at_buf {
	char *s;   /* NUL-terminated when len > 0 or after at_buf_cstr */
	size_t len, cap;
	int oom;
} at_buf;

void at_buf_init(at_buf *b);
void at_buf_free(at_buf *b);
void at_buf_clear(at_buf *b);
void at_buf_put(at_buf *b, const char *s, size_t len);
/* len more bytes at the end, for the caller to fill (NULL: out of
 * memory). */
char *at_buf_extend(at_buf *b, size_t len);
void at_buf_puts(at_buf *b, const char *s);
void at_buf_putc(at_buf *b, char c);
/* The decimal digits of n, without printf (which costs more than the
 * rest of a spreadsheet row). */
void at_buf_put_unsigned(at_buf *b, unsigned long long n);
/* The same written at dst, which has room for 20: how many. */
size_t at_format_unsigned(char *dst, unsigned long long n);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void at_buf_printf(at_buf *b, const char *fmt, ...);
void at_buf_vprintf(at_buf *b, const char *fmt, va_list ap);
/* Always a valid C string ("" when empty). */
const char *at_buf_cstr(at_buf *b);
/* Hands the string over to the caller (free it); the buffer is reset. */
char *at_buf_take(at_buf *b);

/* Room for one more element in an array v of n elements (cap allocated,
 * each size bytes): v itself when there is room, else v reallocated,
 * doubling (first elements the first time), *cap updated; NULL when out of
 * memory, v then left as it was. */
void *at_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

#endif
