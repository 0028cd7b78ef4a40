/* buf.c: growable byte strings. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void at_buf_init(at_buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

void at_buf_free(at_buf *b)
{
	free(b->s);
	at_buf_init(b);
}

void at_buf_clear(at_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static int grow(at_buf *b, size_t extra)
{
	if (b->oom)
		return -1;
	if (extra > SIZE_MAX - b->len - 1) {
		b->oom = 1;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *s = realloc(b->s, cap);
	if (!s) {
		b->oom = 1;
		return -1;
	}
	b->s = s;
	b->cap = cap;
	return 0;
}

void at_buf_put(at_buf *b, const char *s, size_t len)
{
	if (grow(b, len))
		return;
	if (len)
		memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

char *at_buf_extend(at_buf *b, size_t len)
{
	if (grow(b, len))
		return NULL;
	char *room = b->s + b->len;
	b->len += len;
	b->s[b->len] = '\0';
	return room;
}

void at_buf_puts(at_buf *b, const char *s)
{
	at_buf_put(b, s, strlen(s));
}

void at_buf_putc(at_buf *b, char c)
{
	at_buf_put(b, &c, 1);
}

size_t at_format_unsigned(char *dst, unsigned long long n)
{
	char digits[20];
	size_t i = sizeof digits;
	do
		digits[--i] = (char)('0' + n % 10);
	while (n /= 10);
	memcpy(dst, digits + i, sizeof digits - i);
	return sizeof digits - i;
}

void at_buf_put_unsigned(at_buf *b, unsigned long long n)
{
	char digits[20];
	at_buf_put(b, digits, at_format_unsigned(digits, n));
}

void at_buf_vprintf(at_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || grow(b, (size_t)n)) {
		b->oom = 1;
		return;
	}
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void at_buf_printf(at_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	at_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *at_buf_cstr(at_buf *b)
{
	return b->s && !b->oom ? b->s : "";
}

char *at_buf_take(at_buf *b)
{
	char *s = b->s;
	if (!s)
		s = calloc(1, 1);
	at_buf_init(b);
	return s;
}

void *at_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? *cap : first;
	if (*cap && c > SIZE_MAX / 2 / size)
		return NULL;
	c = *cap ? c * 2 : c;
	if (c > SIZE_MAX / size)
		return NULL;
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}
