/* diag.c: collecting, sorting and rendering diagnostics. */
#include "atelier/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "utf8.h"

/* Past this many, one more line says how many were left out: a broken file
 * must not bury its first errors under thousands of copies. */
#define MAX_DIAGS 1000

void at_diags_init(at_diags *d)
{
	memset(d, 0, sizeof *d);
}

void at_diags_free(at_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].message);
	free(d->v);
	at_diags_init(d);
}

static void count(at_diags *d, at_severity sev)
{
	if (sev == AT_ERROR)
		d->errors++;
	else if (sev == AT_WARNING)
		d->warnings++;
}

void at_diag_add(at_diags *d, at_severity sev, const char *code, at_pos pos,
		 uint32_t span, const char *fmt, ...)
{
	count(d, sev);
	if (d->n >= MAX_DIAGS)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		at_diag *v = realloc(d->v, cap * sizeof *v);
		if (!v) {
			d->oom = 1;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	at_buf b;
	at_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	/* The message in the language of messages: callers write English. */
	at_buf_vprintf(&b, _(fmt), ap);
	va_end(ap);
	if (b.oom) {
		at_buf_free(&b);
		d->oom = 1;
		return;
	}
	at_diag *g = &d->v[d->n++];
	g->severity = sev;
	g->code = code;
	g->pos = pos;
	g->span = span ? span : 1;
	g->message = at_buf_take(&b);
}

void at_diags_promote_warnings(at_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].severity == AT_WARNING)
			d->v[i].severity = AT_ERROR;
	d->errors += d->warnings;
	d->warnings = 0;
}

int at_diags_has_errors(const at_diags *d)
{
	return d->errors > 0 || d->oom;
}

static int before(const at_diag *a, const at_diag *b)
{
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line;
	return a->pos.col < b->pos.col;
}

/* Merge sort: stable, so two problems at one place keep the order in which
 * the stages found them. */
void at_diags_sort(at_diags *d)
{
	if (d->n < 2)
		return;
	at_diag *tmp = malloc(d->n * sizeof *tmp);
	if (!tmp)
		return; /* unsorted is still correct, only less tidy */
	for (size_t w = 1; w < d->n; w *= 2) {
		for (size_t lo = 0; lo < d->n; lo += 2 * w) {
			size_t mid = lo + w < d->n ? lo + w : d->n;
			size_t hi = lo + 2 * w < d->n ? lo + 2 * w : d->n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = before(&d->v[j], &d->v[i]) ? d->v[j++]
								      : d->v[i++];
			while (i < mid)
				tmp[k++] = d->v[i++];
			while (j < hi)
				tmp[k++] = d->v[j++];
		}
		memcpy(d->v, tmp, d->n * sizeof *tmp);
	}
	free(tmp);
}

const char *at_severity_name(at_severity s)
{
	switch (s) {
	case AT_ERROR:
		return N_("error");
	case AT_WARNING:
		return N_("warning");
	case AT_NOTE:
		return N_("note");
	}
	return N_("error");
}

static const char *severity_color(at_severity s)
{
	return s == AT_ERROR ? "\033[1;31m" : s == AT_WARNING ? "\033[1;35m"
							      : "\033[1;36m";
}

/* A text in memory, and the line where the last excerpt was found.
 * Diagnostics are rendered sorted by position, so each line is looked for
 * from the one before: rendering is one pass over the file, not one per
 * diagnostic (a thousand errors after millions of lines took minutes). */
typedef struct line_cursor {
	const char *src;
	size_t len;
	uint32_t line; /* 1-based; 0 before the first search */
	const char *p; /* the first byte of that line */
} line_cursor;

/* The text of line n (1-based) of src, without its line break. read.c
 * guarantees that lines end at LF or CRLF, as libyaml counts them. */
static const char *find_line(void *ctx, uint32_t n, size_t *line_len)
{
	line_cursor *c = ctx;
	const char *src = c->src;
	const char *end = src + c->len;
	if (c->line == 0 || n < c->line) {
		c->line = 1;
		c->p = src;
	}
	for (; c->line < n; c->line++) {
		const char *nl = memchr(c->p, '\n', (size_t)(end - c->p));
		if (!nl)
			return NULL;
		c->p = nl + 1;
	}
	const char *p = c->p;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (l && p[l - 1] == '\r')
		l--;
	*line_len = l;
	return p;
}

/* One character of an excerpt: where it is and how many terminal cells it
 * takes, so that the caret line lines up under wide and combining ones. */
typedef struct glyph {
	size_t off, len;
	int width;     /* 0 combining, 1, 2 wide (CJK, emoji) */
	int printable; /* else shown as U+FFFD: never send raw controls */
} glyph;

static int is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

/* A small wcwidth: the C library's depends on the locale, which a
 * compiler-like tool should not. Ranges after Markus Kuhn's wcwidth. */
static int cell_width(uint32_t c)
{
	if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	    (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
	    (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0x200B && c <= 0x200F) ||
	    c == 0x2060 || c == 0xFEFF)
		return 0;
	if ((c >= 0x1100 && c <= 0x115F) ||
	    (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
	    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
	    (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
		return 2;
	return 1;
}

static glyph glyph_at(const char *line, size_t ll, size_t off)
{
	glyph g = {off, 1, 1, 0};
	size_t n = at_utf8_valid_len(line + off, ll - off);
	if (!n)
		return g; /* invalid byte: one replacement character */
	uint32_t c = at_utf8_decode(line + off, n);
	g.len = n;
	g.printable = c == '\t' || !is_control(c);
	g.width = g.printable ? cell_width(c) : 1;
	return g;
}

static void put_glyph(FILE *out, const char *line, const glyph *g)
{
	if (g->printable)
		fwrite(line + g->off, 1, g->len, out);
	else
		fputs("\xEF\xBF\xBD", out);
}

/* Longest excerpt shown, in cells and in characters (zero-width ones take
 * no cell): a minified or generated file can have one line of megabytes;
 * past either a window around the caret is shown. */
#define EXCERPT_CELLS 120
#define EXCERPT_CHARS ((size_t)4 * EXCERPT_CELLS)

/* The characters and cells of a line, counted without being kept: only the
 * window shown is stored, so that an excerpt costs the same on a line of
 * 60 MB as on a line of 60 bytes. */
static void measure_line(const char *line, size_t ll, size_t *chars,
			 size_t *cells)
{
	*chars = 0;
	*cells = 0;
	for (size_t off = 0; off < ll; (*chars)++) {
		glyph x = glyph_at(line, ll, off);
		*cells += (size_t)x.width;
		off += x.len;
	}
}

/* Stores in win (room for EXCERPT_CHARS) the characters to show, from
 * character `from` on, and returns how many: the whole line when it fits,
 * else as many as EXCERPT_CELLS hold. */
static size_t excerpt_window(const char *line, size_t ll, size_t from,
			     int whole, glyph *win)
{
	size_t off = 0;
	for (size_t i = 0; i < from && off < ll; i++)
		off += glyph_at(line, ll, off).len;
	size_t k = 0, w = 0;
	while (off < ll && k < EXCERPT_CHARS) {
		glyph x = glyph_at(line, ll, off);
		if (!whole && w + (size_t)x.width > EXCERPT_CELLS)
			break;
		win[k++] = x;
		w += (size_t)x.width;
		off += x.len;
	}
	return k;
}

/* The caret under character `at`, tildes under the rest of [at, end);
 * win holds characters [from, from + k). */
static void put_caret_line(FILE *out, const char *line, const glyph *win,
			   size_t from, size_t k, size_t at, size_t end,
			   int color)
{
	size_t to = from + k;
	fputs(from ? "      |    " : "      | ", out);
	/* A tab stays a tab so that the terminal aligns both lines alike. */
	for (size_t i = from; i < at && i < to; i++) {
		const glyph *x = &win[i - from];
		if (line[x->off] == '\t')
			fputc('\t', out);
		else
			fprintf(out, "%*s", x->width, "");
	}
	if (color)
		fputs("\033[1;32m", out);
	fputc('^', out);
	for (size_t i = at; i < end && i < to; i++)
		for (int c = i == at ? 1 : 0; c < win[i - from].width; c++)
			fputc('~', out);
	if (color)
		fputs("\033[0m", out);
	fputc('\n', out);
}

static void render_excerpt(FILE *out, const at_diag *g, at_line_fn get,
			   void *ctx, int color)
{
	size_t ll;
	const char *line = get(ctx, g->pos.line, &ll);
	if (!line || g->pos.col == 0)
		return;
	size_t n, cells;
	measure_line(line, ll, &n, &cells);
	/* The caret's character (0-based; n past the end of the line) and
	 * the end of the underline, clipped to the line. */
	size_t at = g->pos.col - 1 < n ? g->pos.col - 1 : n;
	size_t end = at + g->span < n ? at + g->span : n;
	int whole = cells <= EXCERPT_CELLS && n <= EXCERPT_CHARS;
	size_t from = whole || at <= EXCERPT_CELLS / 3 ? 0
						       : at - EXCERPT_CELLS / 3;
	glyph *win = malloc(EXCERPT_CHARS * sizeof *win);
	if (!win)
		return;
	size_t k = excerpt_window(line, ll, from, whole, win);
	fprintf(out, "%5u | %s", (unsigned)g->pos.line, from ? "..." : "");
	for (size_t i = 0; i < k; i++)
		put_glyph(out, line, &win[i]);
	fprintf(out, "%s\n", from + k < n ? "..." : "");
	put_caret_line(out, line, win, from, k, at, end, color);
	free(win);
}

/* A message quotes the user's words (keys, ids): control characters in
 * them, possible through YAML escapes such as "\e", must not reach the
 * terminal as such. */
static void put_message(FILE *out, const char *m)
{
	for (const unsigned char *p = (const unsigned char *)m; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			fprintf(out, "\\x%02X", *p);
		else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			fprintf(out, "\\u%04X", (unsigned)*++p);
		else
			fputc(*p, out);
	}
}

void at_put_escaped(FILE *out, const char *s)
{
	put_message(out, s);
}

void at_diags_render(const at_diags *d, FILE *out, const char *path,
		     const char *src, size_t src_len, const at_render_opts *o)
{
	line_cursor cur = {src, src_len, 0, NULL};
	at_diags_render_lines(d, out, path, src ? find_line : NULL, &cur, o);
}

void at_diags_render_lines(const at_diags *d, FILE *out, const char *path,
			   at_line_fn line, void *ctx,
			   const at_render_opts *o)
{
	int color = o && o->color;
	for (size_t i = 0; i < d->n; i++) {
		const at_diag *g = &d->v[i];
		if (color)
			fputs("\033[1m", out);
		put_message(out, path);
		if (g->pos.line)
			fprintf(out, ":%u:%u: ", (unsigned)g->pos.line,
				(unsigned)g->pos.col);
		else
			fputs(": ", out);
		if (color)
			fprintf(out, "%s%s:\033[0m\033[1m ",
				severity_color(g->severity),
				_(at_severity_name(g->severity)));
		else
			fprintf(out, "%s: ", _(at_severity_name(g->severity)));
		put_message(out, g->message);
		fputs(color ? "\033[0m\n" : "\n", out);
		if (line && o && o->excerpt && g->pos.line)
			render_excerpt(out, g, line, ctx, color);
	}
	size_t shown = d->n;
	size_t total = d->errors + d->warnings;
	if (total > shown)
		fprintf(out,
			P_("%s: %zu more diagnostic not shown\n",
			   "%s: %zu more diagnostics not shown\n", total - shown),
			path, total - shown);
	if (d->oom)
		fprintf(out, _("%s: error: out of memory while reporting\n"),
			path);
}
