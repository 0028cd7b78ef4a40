/* forcekey.c: the key under which the index groups a force said in several
 * sessions: its words, in lower case, without accents, one space between
 * them. ASCII (most of any text) costs a table lookup a byte; any other
 * character is folded by utf8proc (case folding, canonical decomposition,
 * combining marks dropped), so that a composed "é" and an "e" followed by
 * a combining acute accent (NFD, as some editors save) are one letter.
 * The keys are kept in the manifest (manifest.c): a change of the rule
 * here must bump MANIFEST_VERSION (manifest_int.h). */
#define _POSIX_C_SOURCE 200809L
#include "index.h"

#include <string.h>
#include <utf8proc.h>

#include "buf.h"

/* What each ASCII byte is in a key: a letter or digit as kept (lower
 * case), or ' ' when it separates words. */
static const char ascii_key[128] =
	"                                "  /* controls */
	"                0123456789      "  /* space to '?' */
	" abcdefghijklmnopqrstuvwxyz     "  /* '@' to '_' */
	" abcdefghijklmnopqrstuvwxyz     "; /* '`' to DEL */

typedef struct key_out {
	at_buf b;
	int space; /* a separator since the last letter */
} key_out;

/* Appends one folded character: a letter or a digit of any script is
 * kept (after one space when words were separated), anything else only
 * separates. */
static void put_char(key_out *k, utf8proc_int32_t c)
{
	char ascii = c < 0x80 ? ascii_key[c] : 0;
	if (c < 0x80 && ascii == ' ') {
		k->space = 1;
		return;
	}
	if (!ascii) {
		utf8proc_category_t cat = utf8proc_category(c);
		if ((cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO) &&
		    cat != UTF8PROC_CATEGORY_ND) {
			k->space = 1;
			return;
		}
	}
	if (k->space && k->b.len)
		at_buf_putc(&k->b, ' ');
	k->space = 0;
	if (ascii) {
		at_buf_putc(&k->b, ascii);
		return;
	}
	utf8proc_uint8_t enc[4];
	at_buf_put(&k->b, (const char *)enc,
		   (size_t)utf8proc_encode_char(c, enc));
}

/* A character beyond ASCII, folded. The ligatures of French (and
 * Latin-1's other languages) are spelt out, as the index always keyed
 * them: "cœur" and "coeur" are one word. */
static void put_folded(key_out *k, utf8proc_int32_t c)
{
	if (c == 0xC6 || c == 0xE6 || c == 0x152 || c == 0x153) {
		put_char(k, c == 0xC6 || c == 0xE6 ? 'a' : 'o');
		put_char(k, 'e');
		return;
	}
	utf8proc_int32_t to[16];
	int boundclass = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(
		c, to, 16,
		UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
		&boundclass);
	if (n < 0 || n > 16) {
		k->space = 1;
		return;
	}
	for (utf8proc_ssize_t i = 0; i < n; i++)
		put_char(k, to[i]);
}

char *at_force_key(const char *text)
{
	key_out k = {{0}, 0};
	at_buf_init(&k.b);
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		if (*p < 0x80) {
			put_char(&k, *p++);
			continue;
		}
		utf8proc_int32_t c;
		/* Never past the NUL: a text read back from a damaged manifest
		 * may stop inside a sequence, whose bytes only separate. */
		utf8proc_ssize_t n = utf8proc_iterate(
			p, (utf8proc_ssize_t)strnlen((const char *)p, 4), &c);
		if (n <= 0) {
			k.space = 1;
			p++;
			continue;
		}
		put_folded(&k, c);
		p += n;
	}
	return k.b.oom ? (at_buf_free(&k.b), NULL) : at_buf_take(&k.b);
}
