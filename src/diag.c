/* diag.c: collecting, sorting and rendering diagnostics. */
#include "atelier/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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
	at_buf_vprintf(&b, fmt, ap);
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
		return "error";
	case AT_WARNING:
		return "warning";
	case AT_NOTE:
		return "note";
	}
	return "error";
}

static const char *severity_color(at_severity s)
{
	return s == AT_ERROR ? "\033[1;31m" : s == AT_WARNING ? "\033[1;35m"
							      : "\033[1;36m";
}

/* The text of line n (1-based) of src, without its line break. read.c
 * guarantees that lines end at LF or CRLF, as libyaml counts them. */
static const char *find_line(const char *src, size_t len, uint32_t n,
			     size_t *line_len)
{
	const char *p = src, *end = src + len;
	for (uint32_t i = 1; i < n; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
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

/* Longest excerpt shown, in cells: a minified or generated file can have
 * one line of megabytes; past this a window around the caret is shown. */
#define EXCERPT_CELLS 120

/* The characters [*from, *to) to show: all of them, or a window of
 * EXCERPT_CELLS around the caret when the line is wider. */
static void excerpt_window(const glyph *v, size_t n, size_t at, size_t *from,
			   size_t *to)
{
	size_t cells = 0;
	for (size_t i = 0; i < n; i++)
		cells += (size_t)v[i].width;
	*from = 0;
	*to = n;
	if (cells <= EXCERPT_CELLS)
		return;
	*from = at > EXCERPT_CELLS / 3 ? at - EXCERPT_CELLS / 3 : 0;
	size_t w = 0;
	for (*to = *from; *to < n && w + (size_t)v[*to].width <= EXCERPT_CELLS;
	     (*to)++)
		w += (size_t)v[*to].width;
}

/* The caret under character `at`, tildes under the rest of [at, end). */
static void put_caret_line(FILE *out, const char *line, const glyph *v,
			   size_t from, size_t to, size_t at, size_t end,
			   int color)
{
	fputs(from ? "      |    " : "      | ", out);
	/* A tab stays a tab so that the terminal aligns both lines alike. */
	for (size_t i = from; i < at && i < to; i++) {
		if (line[v[i].off] == '\t')
			fputc('\t', out);
		else
			fprintf(out, "%*s", v[i].width, "");
	}
	if (color)
		fputs("\033[1;32m", out);
	fputc('^', out);
	for (size_t i = at; i < end && i < to; i++)
		for (int k = i == at ? 1 : 0; k < v[i].width; k++)
			fputc('~', out);
	if (color)
		fputs("\033[0m", out);
	fputc('\n', out);
}

static void render_excerpt(FILE *out, const at_diag *g, const char *src,
			   size_t len, int color)
{
	size_t ll;
	const char *line = find_line(src, len, g->pos.line, &ll);
	if (!line || g->pos.col == 0)
		return;
	glyph *v = malloc((ll ? ll : 1) * sizeof *v);
	if (!v)
		return;
	size_t n = 0;
	for (size_t off = 0; off < ll; off += v[n++].len)
		v[n] = glyph_at(line, ll, off);
	/* The caret's character (0-based; n past the end of the line) and
	 * the end of the underline, clipped to the line. */
	size_t at = g->pos.col - 1 < n ? g->pos.col - 1 : n;
	size_t end = at + g->span < n ? at + g->span : n;
	size_t from, to;
	excerpt_window(v, n, at, &from, &to);
	fprintf(out, "%5u | %s", (unsigned)g->pos.line, from ? "..." : "");
	for (size_t i = from; i < to; i++)
		put_glyph(out, line, &v[i]);
	fprintf(out, "%s\n", to < n ? "..." : "");
	put_caret_line(out, line, v, from, to, at, end, color);
	free(v);
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

void at_diags_render(const at_diags *d, FILE *out, const char *path,
		     const char *src, size_t src_len, const at_render_opts *o)
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
				at_severity_name(g->severity));
		else
			fprintf(out, "%s: ", at_severity_name(g->severity));
		put_message(out, g->message);
		fputs(color ? "\033[0m\n" : "\n", out);
		if (src && o && o->excerpt && g->pos.line)
			render_excerpt(out, g, src, src_len, color);
	}
	size_t shown = d->n;
	size_t total = d->errors + d->warnings;
	if (total > shown)
		fprintf(out, "%s: %zu more diagnostics not shown\n", path,
			total - shown);
	if (d->oom)
		fprintf(out, "%s: error: out of memory while reporting\n", path);
}
