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

/* The text of line n (1-based) of src, without its line break. */
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

static void render_excerpt(FILE *out, const at_diag *g, const char *src,
			   size_t len, int color)
{
	size_t ll;
	const char *line = find_line(src, len, g->pos.line, &ll);
	if (!line || g->pos.col == 0)
		return;
	fprintf(out, "%5u | %.*s\n", (unsigned)g->pos.line, (int)ll, line);
	fputs("      | ", out);
	/* Walk code points so the caret sits under the right character; a tab
	 * stays a tab so the terminal aligns both lines the same way. */
	size_t off = 0;
	uint32_t col = 1;
	while (col < g->pos.col && off < ll) {
		fputc(line[off] == '\t' ? '\t' : ' ', out);
		off += at_utf8_seq_len(line + off, ll - off);
		col++;
	}
	if (color)
		fputs("\033[1;32m", out);
	fputc('^', out);
	if (off < ll)
		off += at_utf8_seq_len(line + off, ll - off);
	for (uint32_t i = 1; i < g->span && off < ll; i++) {
		fputc('~', out);
		off += at_utf8_seq_len(line + off, ll - off);
	}
	if (color)
		fputs("\033[0m", out);
	fputc('\n', out);
}

void at_diags_render(const at_diags *d, FILE *out, const char *path,
		     const char *src, size_t src_len, const at_render_opts *o)
{
	int color = o && o->color;
	for (size_t i = 0; i < d->n; i++) {
		const at_diag *g = &d->v[i];
		if (color)
			fputs("\033[1m", out);
		if (g->pos.line)
			fprintf(out, "%s:%u:%u: ", path, (unsigned)g->pos.line,
				(unsigned)g->pos.col);
		else
			fprintf(out, "%s: ", path);
		if (color)
			fprintf(out, "%s%s:\033[0m\033[1m %s\033[0m\n",
				severity_color(g->severity),
				at_severity_name(g->severity), g->message);
		else
			fprintf(out, "%s: %s\n", at_severity_name(g->severity),
				g->message);
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
