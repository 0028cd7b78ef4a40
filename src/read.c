/* read.c: loading a file's bytes and checking they are UTF-8 text. */
#include "read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "utf8.h"

at_pos at_source_pos(const char *data, size_t len, size_t off)
{
	at_pos p = {1, 1};
	if (off > len)
		off = len;
	for (size_t i = 0; i < off;) {
		if (data[i] == '\n') {
			p.line++;
			p.col = 1;
			i++;
		} else {
			i += at_utf8_seq_len(data + i, len - i);
			p.col++;
		}
	}
	return p;
}

/* Characters that libyaml refuses (with only a byte offset to show for it)
 * or reads as a line break where an editor sees none. Refusing them here,
 * with a position and a name, keeps every later line number equal to the
 * editor's: lines are separated by LF or CRLF and nothing else. */
typedef enum bad_kind {
	GOOD,
	LONE_CR,
	CONTROL,
	SEPARATOR,
	NONCHAR
} bad_kind;

static bad_kind classify(const char *s, size_t avail, uint32_t c)
{
	if (c == '\t' || c == '\n')
		return GOOD;
	if (c == '\r')
		return avail > 1 && s[1] == '\n' ? GOOD : LONE_CR;
	if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
		return CONTROL;
	if (c == 0x2028 || c == 0x2029)
		return SEPARATOR;
	if (c == 0xFFFE || c == 0xFFFF)
		return NONCHAR;
	return GOOD;
}

static void report_char(at_diags *d, at_pos pos, bad_kind k, uint32_t c)
{
	switch (k) {
	case LONE_CR:
		at_diag_add(d, AT_ERROR, "bad-char", pos, 1,
			    "carriage return (CR) without a line feed: save "
			    "the file with LF or CRLF line breaks");
		break;
	case CONTROL:
		at_diag_add(d, AT_ERROR, "bad-char", pos, 1,
			    "control character U+%04X in the file: remove it",
			    (unsigned)c);
		break;
	case SEPARATOR:
		at_diag_add(d, AT_ERROR, "bad-char", pos, 1,
			    "%s separator U+%04X, which YAML reads as a line "
			    "break: replace it with a space or a real line "
			    "break",
			    c == 0x2028 ? "line" : "paragraph", (unsigned)c);
		break;
	case NONCHAR:
		at_diag_add(d, AT_ERROR, "bad-char", pos, 1,
			    "non-character U+%04X in the file: remove it",
			    (unsigned)c);
		break;
	case GOOD:
		break;
	}
}

/* Reports the first problem only: a file saved in the wrong encoding has
 * one on nearly every line, and the fix is the same for all. */
static at_status check_text(at_source *src, at_diags *d)
{
	const char *s = src->data;
	size_t len = src->len;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0) {
			at_diag_add(d, AT_ERROR, "nul-byte",
				    at_source_pos(s, len, i), 1,
				    "NUL byte in the file: a session file is text");
			return AT_EINPUT;
		}
		size_t n = at_utf8_valid_len(s + i, len - i);
		if (!n) {
			at_diag_add(d, AT_ERROR, "not-utf8",
				    at_source_pos(s, len, i), 1,
				    "invalid UTF-8 (byte 0x%02X): save the file "
				    "as UTF-8",
				    c);
			return AT_EINPUT;
		}
		uint32_t cp = at_utf8_decode(s + i, n);
		bad_kind k = classify(s + i, len - i, cp);
		if (k != GOOD) {
			report_char(d, at_source_pos(s, len, i), k, cp);
			return AT_EINPUT;
		}
		i += n;
	}
	return AT_OK;
}

static at_status too_big(size_t max_input, at_diags *d)
{
	at_diag_add(d, AT_ERROR, "input-too-large", (at_pos){0, 0}, 0,
		    "the file is larger than the limit of %zu bytes "
		    "(see --max-input)",
		    max_input);
	return AT_EIO;
}

/* Drops a UTF-8 byte-order mark, which some editors on Windows write. */
static void strip_bom(at_source *src)
{
	if (src->len >= 3 && memcmp(src->data, "\xEF\xBB\xBF", 3) == 0) {
		memmove(src->data, src->data + 3, src->len - 3 + 1);
		src->len -= 3;
	}
}

at_status at_source_from_buffer(const char *buf, size_t len, size_t max_input,
				at_source *src, at_diags *d)
{
	src->data = NULL;
	src->len = 0;
	if (len > max_input)
		return too_big(max_input, d);
	src->data = malloc(len + 1);
	if (!src->data) {
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory");
		return AT_ENOMEM;
	}
	if (len)
		memcpy(src->data, buf, len);
	src->data[len] = '\0';
	src->len = len;
	strip_bom(src);
	return check_text(src, d);
}

at_status at_source_read(const char *path, size_t max_input, at_source *src,
			 at_diags *d)
{
	src->data = NULL;
	src->len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot open: %s", strerror(errno));
		return AT_EIO;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "is a directory, not a session file");
		return AT_EIO;
	}
	/* Read in pieces rather than trusting st_size: pipes and /proc files
	 * report 0, and the limit must hold whatever the file claims. */
	size_t cap = 0, len = 0;
	char *data = NULL;
	at_status rc = AT_OK;
	for (;;) {
		if (cap - len < 65536) {
			size_t ncap = cap ? cap * 2 : 65536;
			if (ncap > max_input + 2)
				ncap = max_input + 2;
			if (ncap <= len) {
				rc = too_big(max_input, d);
				break;
			}
			char *p = realloc(data, ncap);
			if (!p) {
				at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0},
					    0, "out of memory");
				rc = AT_ENOMEM;
				break;
			}
			data = p;
			cap = ncap;
		}
		size_t got = fread(data + len, 1, cap - len - 1, f);
		len += got;
		if (len > max_input) {
			rc = too_big(max_input, d);
			break;
		}
		if (got == 0) {
			if (ferror(f)) {
				at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0,
					    "cannot read: %s", strerror(errno));
				rc = AT_EIO;
			}
			break;
		}
	}
	fclose(f);
	if (rc != AT_OK) {
		free(data);
		return rc;
	}
	if (!data) {
		data = malloc(1);
		if (!data) {
			at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
				    "out of memory");
			return AT_ENOMEM;
		}
	}
	data[len] = '\0';
	src->data = data;
	src->len = len;
	strip_bom(src);
	return check_text(src, d);
}

void at_source_free(at_source *src)
{
	free(src->data);
	src->data = NULL;
	src->len = 0;
}
