/* read.c: loading a file's bytes and checking they are UTF-8 text, and
 * reading them again from the file once they are no longer in memory. */
#include "read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "i18n.h"
#include "utf8.h"

/* How much of the file a view reads at once. */
#define VIEW_BLOCK ((size_t)256 * 1024)

/* The file a text can be read again from, and what it looked like when it
 * was read: any write since changes its time of last status change. */
struct at_source_file {
	int fd;
	size_t skip;   /* the byte-order mark's bytes, not part of the text */
	off_t size;
	struct timespec mtime, ctime;
};

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
			    c == 0x2028 ? _("line") : _("paragraph"), (unsigned)c);
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

/* The byte-order mark of a UTF-16 or UTF-32 text (Notepad's "Unicode"),
 * as "UTF-16" or "UTF-32", or NULL. */
static const char *wide_encoding(const char *s, size_t len)
{
	if (len >= 4 && (memcmp(s, "\xFF\xFE\0\0", 4) == 0 ||
			 memcmp(s, "\0\0\xFE\xFF", 4) == 0))
		return "UTF-32";
	if (len >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 ||
			 memcmp(s, "\xFE\xFF", 2) == 0))
		return "UTF-16";
	return NULL;
}

/* Reports the first problem only: a file saved in the wrong encoding has
 * one on nearly every line, and the fix is the same for all. */
static at_status check_text(at_source *src, at_diags *d)
{
	const char *s = src->data;
	size_t len = src->len;
	const char *wide = wide_encoding(s, len);
	if (wide) {
		at_diag_add(d, AT_ERROR, "not-utf8", (at_pos){1, 1}, 1,
			    "the file is saved as %s: save it as UTF-8 (in "
			    "the editor's \"Save as\", the encoding)",
			    wide);
		return AT_EINPUT;
	}
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		/* Printable ASCII, tab and LF, most of any session, are good
		 * without decoding; anything else is classified below. */
		if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
			i++;
			continue;
		}
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

/* Drops a UTF-8 byte-order mark, which some editors on Windows write.
 * Returns how many bytes went. */
static size_t strip_bom(at_source *src)
{
	if (src->len >= 3 && memcmp(src->data, "\xEF\xBB\xBF", 3) == 0) {
		memmove(src->data, src->data + 3, src->len - 3 + 1);
		src->len -= 3;
		return 3;
	}
	return 0;
}

static at_status nomem(at_diags *d)
{
	at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0, "out of memory");
	return AT_ENOMEM;
}

at_status at_source_from_buffer(const char *buf, size_t len, size_t max_input,
				at_source *src, at_diags *d)
{
	memset(src, 0, sizeof *src);
	if (len > max_input)
		return too_big(max_input, d);
	src->data = malloc(len + 1);
	if (!src->data)
		return nomem(d);
	if (len)
		memcpy(src->data, buf, len);
	src->data[len] = '\0';
	src->len = len;
	strip_bom(src);
	return check_text(src, d);
}

/* One read(2), again when interrupted. */
static ssize_t read_some(int fd, char *buf, size_t n)
{
	ssize_t got;
	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got;
}

/* The whole of fd into *out (NUL-terminated), *len its size. Read in
 * pieces rather than trusting st_size: pipes and /proc files report 0, and
 * the limit must hold whatever the file claims. */
static at_status read_all(int fd, size_t max_input, char **out, size_t *len,
			  at_diags *d)
{
	size_t cap = 0, n = 0;
	char *data = NULL;
	at_status rc = AT_OK;
	for (;;) {
		if (cap - n < 65536) {
			size_t ncap = cap ? cap * 2 : 65536;
			if (ncap > max_input + 2)
				ncap = max_input + 2;
			if (ncap <= n) {
				rc = too_big(max_input, d);
				break;
			}
			char *p = realloc(data, ncap);
			if (!p) {
				rc = nomem(d);
				break;
			}
			data = p;
			cap = ncap;
		}
		ssize_t got = read_some(fd, data + n, cap - n - 1);
		if (got < 0) {
			at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0,
				    "cannot read: %s", strerror(errno));
			rc = AT_EIO;
			break;
		}
		n += (size_t)got;
		if (n > max_input) {
			rc = too_big(max_input, d);
			break;
		}
		if (got == 0)
			break;
	}
	if (rc == AT_OK && !data && !(data = malloc(1)))
		rc = nomem(d);
	if (rc != AT_OK) {
		free(data);
		return rc;
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return AT_OK;
}

static int same_time(struct timespec a, struct timespec b);

/* Keeps fd to read the text again, when it is a regular file that did not
 * change while it was read, since before (its state then): else the text
 * stays in memory only, as it was read. */
static void keep_file(at_source *src, int fd, size_t read_len, size_t skip,
		      const struct stat *before)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (uintmax_t)st.st_size != (uintmax_t)read_len ||
	    st.st_size != before->st_size ||
	    !same_time(st.st_mtim, before->st_mtim) ||
	    !same_time(st.st_ctim, before->st_ctim))
		return;
	at_source_file *f = malloc(sizeof *f);
	if (!f)
		return;
	*f = (at_source_file){fd, skip, st.st_size, st.st_mtim, st.st_ctim};
	src->file = f;
}

at_status at_source_read(const char *path, size_t max_input, at_source *src,
			 at_diags *d)
{
	memset(src, 0, sizeof *src);
	/* Non-blocking: opening a FIFO must not wait for a writer before
	 * fstat refuses it. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot open: %s", strerror(errno));
		return AT_EIO;
	}
	struct stat st;
	const char *why = fstat(fd, &st) != 0 ? strerror(errno)
			  : S_ISDIR(st.st_mode)
				  ? "is a directory, not a session file"
			  : !S_ISREG(st.st_mode)
				  ? "is not a regular file (a pipe, a device "
				    "or a socket): name a session file"
				  : NULL;
	if (why || fcntl(fd, F_SETFL, 0) != 0) {
		at_diag_add(d, AT_ERROR, "io", (at_pos){0, 0}, 0, "%s",
			    why ? why : strerror(errno));
		close(fd);
		return AT_EIO;
	}
	size_t len;
	at_status rc = read_all(fd, max_input, &src->data, &len, d);
	if (rc != AT_OK) {
		close(fd);
		return rc;
	}
	src->len = len;
	src->stamp = (at_source_stamp){1, (long long)st.st_size, st.st_mtim,
				       at_hash_bytes(src->data, len)};
	size_t skip = strip_bom(src);
	rc = check_text(src, d);
	if (rc == AT_OK)
		keep_file(src, fd, len, skip, &st);
	if (!src->file)
		close(fd);
	return rc;
}

at_status at_source_read_stdin(size_t max_input, at_source *src, at_diags *d)
{
	memset(src, 0, sizeof *src);
	size_t len;
	at_status rc = read_all(STDIN_FILENO, max_input, &src->data, &len, d);
	if (rc != AT_OK)
		return rc;
	src->len = len;
	strip_bom(src);
	return check_text(src, d);
}

at_status at_source_open(const char *path, at_source *src)
{
	memset(src, 0, sizeof *src);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	at_source_file *f = NULL;
	char bom[3];
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    !(f = malloc(sizeof *f))) {
		if (fd >= 0)
			close(fd);
		return AT_EIO;
	}
	size_t skip = st.st_size >= 3 && pread(fd, bom, 3, 0) == 3 &&
				  memcmp(bom, "\xEF\xBB\xBF", 3) == 0
			      ? 3
			      : 0;
	*f = (at_source_file){fd, skip, st.st_size, st.st_mtim, st.st_ctim};
	src->file = f;
	src->len = (size_t)st.st_size - skip;
	return AT_OK;
}

void at_source_drop_text(at_source *src)
{
	if (src->file) {
		free(src->data);
		src->data = NULL;
	}
}

static int same_time(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

int at_source_changed(const at_source *src)
{
	const at_source_file *f = src->file;
	if (src->data || !f)
		return 0;
	struct stat st;
	return fstat(f->fd, &st) != 0 || st.st_size != f->size ||
	       !same_time(st.st_mtim, f->mtime) ||
	       !same_time(st.st_ctim, f->ctime);
}

int at_source_copy(const at_source *src, size_t off, char *buf, size_t n,
		   size_t *got)
{
	*got = 0;
	if (off >= src->len)
		return 0;
	if (n > src->len - off)
		n = src->len - off;
	if (src->data) {
		memcpy(buf, src->data + off, n);
		*got = n;
		return 0;
	}
	if (!src->file)
		return -1;
	while (*got < n) {
		ssize_t r = pread(src->file->fd, buf + *got, n - *got,
				  (off_t)(src->file->skip + off + *got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1; /* an error, or the file shrank */
		*got += (size_t)r;
	}
	return 0;
}

void at_source_free(at_source *src)
{
	free(src->data);
	if (src->file) {
		close(src->file->fd);
		free(src->file);
	}
	memset(src, 0, sizeof *src);
}

/* ---- reading the text through a window ---- */

void at_view_init(at_source_view *v, const at_source *src)
{
	memset(v, 0, sizeof *v);
	v->src = src;
}

void at_view_free(at_source_view *v)
{
	free(v->buf);
	at_view_init(v, v->src);
}

/* Fills the buffer with the text from off on: want bytes at least (or to
 * the end), a block when more is there. */
static int refill(at_source_view *v, size_t off, size_t want)
{
	size_t n = want > VIEW_BLOCK ? want : VIEW_BLOCK;
	if (n > v->src->len - off)
		n = v->src->len - off;
	if (n > v->cap) {
		char *b = realloc(v->buf, n);
		if (!b)
			return -1;
		v->buf = b;
		v->cap = n;
	}
	size_t got;
	v->base = off;
	v->n = 0;
	if (at_source_copy(v->src, off, v->buf, n, &got) != 0)
		return -1;
	v->n = got;
	return 0;
}

const char *at_view_get(at_source_view *v, size_t off, size_t want,
			size_t *avail)
{
	const at_source *src = v->src;
	*avail = 0;
	if (off >= src->len)
		return NULL;
	if (src->data) {
		*avail = src->len - off;
		return src->data + off;
	}
	if (want > src->len - off)
		want = src->len - off;
	if (off < v->base || off - v->base + want > v->n) {
		if (refill(v, off, want) != 0)
			return NULL;
	}
	*avail = v->n - (off - v->base);
	return v->buf + (off - v->base);
}

size_t at_view_find(at_source_view *v, size_t off, char c)
{
	size_t avail;
	const char *p;
	while ((p = at_view_get(v, off, 1, &avail)) != NULL) {
		const char *hit = memchr(p, c, avail);
		if (hit)
			return off + (size_t)(hit - p);
		off += avail;
	}
	return SIZE_MAX;
}

/* Steps over characters from *pos while *pos < stop and *chars <
 * max_chars, the way at_utf8_seq_len steps through a text that ends at
 * `end`: a step looks at most 4 bytes ahead, so it is taken where 4 bytes
 * are at hand or where the window reaches `end`. */
static void walk(at_source_view *v, size_t *pos, size_t stop, size_t end,
		 size_t *chars, size_t max_chars)
{
	while (*pos < stop && *chars < max_chars) {
		size_t avail;
		const char *p = at_view_get(v, *pos, 4, &avail);
		if (!p || *pos >= end)
			return;
		size_t lim = end - *pos < avail ? end - *pos : avail;
		/* Steps start before stop, and, short of the end, where a
		 * whole sequence is at hand. */
		size_t bound = *pos + lim == end ? lim : lim >= 4 ? lim - 3 : 0;
		if (stop - *pos < bound)
			bound = stop - *pos;
		size_t i = 0;
		while (i < bound && *chars < max_chars) {
			/* ASCII, most of any text, is one byte a character. */
			i += (unsigned char)p[i] < 0x80
				     ? 1
				     : at_utf8_seq_len(p + i, lim - i);
			(*chars)++;
		}
		*pos += i;
	}
}

size_t at_view_count(at_source_view *v, size_t from, size_t to)
{
	size_t chars = 0;
	walk(v, &from, to, to, &chars, SIZE_MAX);
	return chars;
}

size_t at_view_step(at_source_view *v, size_t *pos, size_t n)
{
	size_t chars = 0;
	walk(v, pos, v->src->len, v->src->len, &chars, n);
	return chars;
}

at_pos at_view_pos(at_source_view *v, size_t off)
{
	at_pos p = {1, 1};
	if (off > v->src->len)
		off = v->src->len;
	size_t at = 0;
	for (;;) {
		size_t nl = at_view_find(v, at, '\n');
		if (nl == SIZE_MAX || nl >= off)
			break;
		p.line++;
		at = nl + 1;
	}
	size_t chars = 0;
	walk(v, &at, off, v->src->len, &chars, SIZE_MAX);
	p.col = (uint32_t)(1 + chars);
	return p;
}

at_pos at_source_pos(const char *data, size_t len, size_t off)
{
	/* The view only reads: the cast lends it the text. */
	at_source src = {.data = (char *)data, .len = len};
	at_source_view v;
	at_view_init(&v, &src);
	return at_view_pos(&v, off);
}

/* ---- lines, for excerpts ---- */

void at_lines_init(at_source_lines *l, const at_source *src)
{
	memset(l, 0, sizeof *l);
	at_view_init(&l->view, src);
	l->stale = at_source_changed(src);
}

const char *at_lines_get(at_source_lines *l, uint32_t n, size_t *len)
{
	at_source_view *v = &l->view;
	size_t end = v->src->len;
	if (l->stale)
		return NULL;
	if (l->line == 0 || n < l->line) {
		l->line = 1;
		l->start = 0;
	}
	for (; l->line < n; l->line++) {
		size_t nl = at_view_find(v, l->start, '\n');
		if (nl == SIZE_MAX)
			return NULL;
		l->start = nl + 1;
	}
	size_t nl = at_view_find(v, l->start, '\n');
	size_t ll = (nl == SIZE_MAX ? end : nl) - l->start;
	size_t avail = 0;
	const char *p = ll ? at_view_get(v, l->start, ll, &avail) : "";
	if (ll && (!p || avail < ll))
		return NULL;
	if (ll && p[ll - 1] == '\r')
		ll--;
	*len = ll;
	return p;
}

void at_lines_free(at_source_lines *l)
{
	at_view_free(&l->view);
}
