/* json.c: JSON string literals (RFC 8259). */
#include "json.h"

void at_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	/* Written in runs between the characters that need an escape: a
	 * character at a time costs a session's JSON a twentieth of its
	 * build. */
	const unsigned char *run = (const unsigned char *)s, *p = run;
	for (; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		fwrite(run, 1, (size_t)(p - run), f);
		run = p + 1;
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			fprintf(f, "\\u%04x", *p);
		}
	}
	fwrite(run, 1, (size_t)(p - run), f);
	fputc('"', f);
}
