/* utf8.h: the little UTF-8 knowledge the reader and the renderers need. */
#ifndef ATELIER_UTF8_H
#define ATELIER_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed sequence at s (1..4), or 0 if it is not
 * well-formed UTF-8 (overlong, surrogate, past U+10FFFF, truncated). */
size_t at_utf8_valid_len(const char *s, size_t avail);

/* Length to step over the character at s: its sequence length when valid,
 * else 1; never more than avail; at least 1 when avail > 0. */
size_t at_utf8_seq_len(const char *s, size_t avail);

/* Decodes the valid sequence at s of length len. */
uint32_t at_utf8_decode(const char *s, size_t len);

/* Number of ASCII bytes s[0..len) starts with (read a word at a time:
 * most of what atelier reads back is ASCII). */
size_t at_ascii_prefix(const char *s, size_t len);

/* Number of characters in s[0..len). */
size_t at_utf8_count(const char *s, size_t len);

#endif
