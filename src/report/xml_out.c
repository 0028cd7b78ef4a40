/* xml_out.c: XML text for the word-processor formats (xml_out.h), on the
 * text layer's own cleaner and escaper. */
#include "xml_out.h"

#include <stdio.h>
#include <time.h>

#include "text.h"

void at_xml_tmp_init(at_xml_tmp *t)
{
	at_buf_init(&t->piece);
	at_buf_init(&t->clean);
}

void at_xml_tmp_free(at_xml_tmp *t)
{
	at_buf_free(&t->piece);
	at_buf_free(&t->clean);
}

int at_xml_clean(at_xml_tmp *t, const char *s, size_t len)
{
	/* at_text_for_xml reads a C string: a NUL inside s is refused as
	 * XML refuses it, the rest cleaned a piece at a time. */
	at_buf_clear(&t->clean);
	size_t i = 0;
	while (i < len) {
		size_t n = 0;
		while (i + n < len && s[i + n])
			n++;
		at_buf_clear(&t->piece);
		at_buf_put(&t->piece, s + i, n);
		if (at_text_for_xml(&t->clean, at_buf_cstr(&t->piece)))
			return -1;
		i += n;
		if (i < len) {
			at_buf_puts(&t->clean, "\xEF\xBF\xBD");
			i++;
		}
	}
	return t->clean.oom || t->piece.oom ? -1 : 0;
}

int at_xml_escape(at_buf *out, at_xml_tmp *t, const char *s, size_t len)
{
	/* Most texts have nothing to clean: they skip its two copies. */
	if (at_xml_ok_prefix(s, len) == len) {
		at_html_escape(out, s, len);
		return out->oom ? -1 : 0;
	}
	if (at_xml_clean(t, s, len))
		return -1;
	at_html_escape(out, at_buf_cstr(&t->clean), t->clean.len);
	return out->oom ? -1 : 0;
}

void at_xml_datetime(long long t, char *buf, size_t size)
{
	/* 0001-01-01 and 9999-12-31 23:59:59 */
	const long long lo = -62135596800LL, hi = 253402300799LL;
	time_t tt = (time_t)(t < lo ? lo : t > hi ? hi : t);
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, size, "1970-01-01T00:00:00");
		return;
	}
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
}
