/* manifest_text.c: the file OUT/.atelier-manifest that a folder build's
 * manifest is saved to and loaded from, and the text form of one entry
 * that a worker hands its parent: written a line per record, read back
 * strictly (anything atelier did not write makes the whole file ignored,
 * with a warning); the drivers and brakes (F lines) left where they are
 * in the file until the index reads them. The format is described at the
 * top of manifest.c. */
#define _POSIX_C_SOURCE 200809L
#include "manifest_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "labels.h"
#include "output.h"
#include "path.h"
#include "readfile.h"
#include "utf8.h"

static const char HEX_DIGITS[] = "0123456789abcdef";

/* A tab, then s with backslash, tab and line ends escaped. */
void mf_field(at_buf *b, const char *s)
{
	at_buf_putc(b, '\t');
	while (s && *s) {
		size_t run = strcspn(s, "\\\t\n\r");
		at_buf_put(b, s, run);
		s += run;
		if (!*s)
			break;
		at_buf_putc(b, '\\');
		at_buf_putc(b, *s == '\t' ? 't' : *s == '\n' ? 'n'
				: *s == '\r' ? 'r' : '\\');
		s++;
	}
}

/* What a no-op rebuild reads of an entry: where the session is, what it
 * was built from, what it wrote and what it reported. */
static void write_cheap(at_buf *b, const at_manifest_entry *e)
{
	at_buf_putc(b, 'E');
	mf_field(b, e->key);
	mf_field(b, e->input);
	at_buf_putc(b, '\n');
	for (size_t i = 0; i < e->n_deps; i++) {
		const dep *d = &e->deps[i];
		at_buf_putc(b, 'D');
		mf_field(b, d->path);
		/* A stale entry is written with an impossible size, so that
		 * the next build does not trust it. */
		at_buf_printf(b, "\t%lld\t%lld\t%lld\t%016" PRIx64 "\n",
			      e->stale ? -1LL : d->size, d->sec, d->nsec,
			      d->hash);
	}
	for (size_t i = 0; i < e->n_outputs; i++) {
		at_buf_putc(b, 'O');
		mf_field(b, e->outputs[i]);
		at_buf_putc(b, '\n');
	}
	at_buf_put(b, e->diags.s, e->diags.len);
}

/* The rest, read only when something changed: the index's summary and
 * the drivers and brakes. */
static void write_summary(at_buf *b, const at_manifest_entry *e)
{
	at_buf_putc(b, 'V');
	mf_field(b, e->key);
	at_buf_putc(b, '\n');
	if (!e->has_sum)
		return;
	const at_summary *s = &e->sum;
	at_buf_putc(b, 'U');
	mf_field(b, s->title);
	mf_field(b, s->date);
	mf_field(b, s->place);
	at_buf_printf(b, "\t%ld\t%ld\t%ld\t%ld", s->people, s->contributions,
		      s->drivers, s->brakes);
	mf_field(b, s->report);
	mf_field(b, s->formats);
	mf_field(b, s->lang);
	at_buf_printf(b, "\t%d", s->force_grid);
	at_buf_putc(b, '\n');
	if (s->failed && *s->failed) {
		at_buf_putc(b, 'X');
		mf_field(b, s->failed);
		at_buf_putc(b, '\n');
	}
	at_buf_puts(b, "K\t");
	char *hex = at_buf_extend(b, 16 * e->n_ids);
	for (size_t i = 0; hex && i < e->n_ids; i++)
		for (int k = 0; k < 16; k++)
			*hex++ = HEX_DIGITS[e->ids[i] >> (60 - 4 * k) & 15];
	at_buf_putc(b, '\n');
	if (mf_read_forces(e, b))
		b->oom = 1; /* unreadable: the manifest is not replaced */
}

static void write_entry(at_buf *b, const at_manifest_entry *e)
{
	write_cheap(b, e);
	write_summary(b, e);
}

void at_manifest_entry_write(const at_manifest_entry *e, FILE *f)
{
	at_buf b;
	at_buf_init(&b);
	write_entry(&b, e);
	/* Out of memory: an empty entry, which the reader refuses. */
	if (!b.oom)
		fwrite(b.s, 1, b.len, f);
	at_buf_free(&b);
}

typedef struct saving {
	const at_manifest *m;
	at_buf entry;
} saving;

/* One entry at a time: a manifest of thousands is never whole in
 * memory. The summaries first, then the cheap part of every entry, then
 * where that part starts (a line of fixed width, the file's last): a
 * build reads the cheap part from there, and the rest only when it needs
 * it (at_manifest_load_summaries). */
static at_status write_all_entries(FILE *f, void *ctx)
{
	saving *sv = ctx;
	const at_manifest *m = sv->m;
	int len = fprintf(f, "atelier-manifest\t%d\t%016" PRIx64 "\n",
			  MANIFEST_VERSION, m->options_hash);
	unsigned long long off = len > 0 ? (unsigned long long)len : 0;
	for (int cheap = 0; cheap < 2; cheap++)
		for (size_t i = 0; i < m->n; i++) {
			at_buf_clear(&sv->entry);
			if (cheap)
				write_cheap(&sv->entry, m->v[i]);
			else
				write_summary(&sv->entry, m->v[i]);
			if (sv->entry.oom)
				return AT_ENOMEM;
			fwrite(sv->entry.s, 1, sv->entry.len, f);
			off += cheap ? 0 : sv->entry.len;
		}
	fprintf(f, "Z\t%016llx\n", off);
	return AT_OK;
}

/* Written like a report (output.c): a kill or a full disk leaves the
 * previous manifest and no temporary file behind. */
at_status at_manifest_save(const at_manifest *m, const char *root,
			   at_diags *d)
{
	saving sv = {m, {0}};
	at_buf_init(&sv.entry);
	at_status rc = at_write_atomic_with(root, AT_MANIFEST_NAME,
					    write_all_entries, &sv, d);
	if (rc == AT_ENOMEM)
		at_diag_add(d, AT_ERROR, "nomem", (at_pos){0, 0}, 0,
			    "out of memory, or a build file unreadable, while "
			    "writing %s", AT_MANIFEST_NAME);
	at_buf_free(&sv.entry);
	return rc;
}

/* mf_split of a line without escapes: each tab found by strchr (a few
 * short fields a line: strcspn's set-up would cost more than the scan). */
static size_t split_plain(char *line, char **fields, size_t max)
{
	size_t n = 0;
	fields[n++] = line;
	for (char *tab; (tab = strchr(line, '\t'));) {
		*tab = '\0';
		if (n == max)
			return n;
		fields[n++] = line = tab + 1;
	}
	return n;
}

/* Splits line at tabs into at most max fields, unescaping in place. */
size_t mf_split(char *line, char **fields, size_t max)
{
	if (!strchr(line, '\\'))
		return split_plain(line, fields, max);
	size_t n = 0;
	char *w = line;
	fields[n++] = w;
	for (char *r = line; *r; r++) {
		/* A run without tab or escape, moved only once one was seen. */
		size_t run = strcspn(r, "\t\\");
		if (w != r)
			memmove(w, r, run);
		w += run;
		r += run;
		if (*r == '\t') {
			*w++ = '\0';
			if (n == max)
				return n;
			fields[n++] = w;
		} else if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n'
					       : *r == 'r' ? '\r'
							   : *r;
		} else if (*r) {
			*w++ = *r; /* a backslash at the end */
		} else {
			break;
		}
	}
	*w = '\0';
	return n;
}

/* A date as at_summary_of writes it (the index prints it as it is), counts
 * that are counts, reports that stay inside OUT, and formats' names. */
static int summary_fields_ok(char **f)
{
	const char *date = f[2];
	/* No date: a session that never built (its X line says why). */
	for (size_t i = 0; i < 10 && *date; i++)
		if (i == 4 || i == 7 ? date[i] != '-'
				     : date[i] < '0' || date[i] > '9')
			return 0;
	if (*date && date[10])
		return 0;
	for (size_t i = 4; i < 8; i++) {
		char *end;
		errno = 0;
		long v = strtol(f[i], &end, 10);
		if (!*f[i] || *end || errno || v < 0)
			return 0;
	}
	return (!*f[8] || mf_inside_out(f[8])) &&
	       strspn(f[9], "abcdefghijklmnopqrstuvwxyz0123456789,") ==
		       strlen(f[9]);
}

static void put_diag(at_buf *b, const at_diag *g)
{
	at_buf_printf(b, "G\t%d\t%u\t%u\t%u", (int)g->severity,
		      (unsigned)g->pos.line, (unsigned)g->pos.col,
		      (unsigned)g->span);
	mf_field(b, g->code ? g->code : "");
	mf_field(b, g->message);
	at_buf_putc(b, '\n');
}

/* A number of a G line: digits only, within 32 bits. */
static int diag_number(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *s == '-' || *end || errno || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* f: the seven fields of a G line, unescaped. */
static int diag_of(char **f, at_diag *g)
{
	uint32_t sev;
	if (diag_number(f[1], &sev) || sev > AT_NOTE ||
	    diag_number(f[2], &g->pos.line) || diag_number(f[3], &g->pos.col) ||
	    diag_number(f[4], &g->span))
		return -1;
	g->severity = (at_severity)sev;
	g->code = f[5];
	g->message = f[6];
	return 0;
}

static int parse_diag(at_manifest_entry *e, char **f)
{
	at_diag g;
	if (diag_of(f, &g))
		return -1;
	put_diag(&e->diags, &g);
	return e->diags.oom ? -1 : 0;
}

int at_manifest_entry_add_diags(at_manifest_entry *e, const at_diags *d)
{
	/* Notes (-v's) say what that build did: a session found up to date
	 * later does none of it. */
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].severity != AT_NOTE)
			put_diag(&e->diags, &d->v[i]);
	return e->diags.oom ? -1 : 0;
}

char *at_manifest_entry_diags(const at_manifest_entry *e, at_diags *d)
{
	char *text = malloc(e->diags.len + 1);
	if (!text)
		return NULL;
	memcpy(text, e->diags.s ? e->diags.s : "", e->diags.len);
	text[e->diags.len] = '\0';
	for (char *save, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[7];
		at_diag g;
		/* Checked when read: seven fields, numbers that are numbers. */
		if (mf_split(line, f, 7) == 7 && diag_of(f, &g) == 0)
			at_diag_add(d, g.severity, g.code, g.pos, g.span, "%s",
				    g.message);
	}
	return text;
}

/* Where a line of a manifest file is: F lines are not kept in memory,
 * only where they are (the entry's lines are contiguous). */
typedef struct line_at {
	FILE *file;
	long long off;
	size_t len; /* with its newline */
} line_at;

/* An F line is kept as it is written, once its fields are known to be
 * five: only the index parses it (at_manifest_forces). */
static int keep_force_line(at_manifest_entry *e, const char *line,
			   const line_at *at)
{
	/* Hundreds of thousands of lines: the tabs found by memchr. */
	size_t tabs = 0, len = at ? at->len - 1 : strlen(line);
	for (const char *c = line, *end = line + len;
	     tabs < 4 && (c = memchr(c, '\t', (size_t)(end - c))); c++)
		tabs++;
	if (!e || !e->has_sum || !e->keyed || tabs != 3 ||
	    memchr(line, '\0', len) || line[1] != '\t' ||
	    (line[2] != '0' && line[2] != '1') || line[3] != '\t')
		return -1;
	if (at) {
		if (!e->forces_file) {
			e->forces_file = at->file;
			e->forces_off = at->off;
		} else if (e->forces_off + (long long)e->forces_len != at->off) {
			return -1; /* F lines apart: not written by atelier */
		}
		e->forces_len += at->len;
		return 0;
	}
	at_buf_puts(&e->forces, line);
	at_buf_putc(&e->forces, '\n');
	return e->forces.oom ? -1 : 0;
}

/* Which lines a part of the text may hold: an entry's cheap lines
 * (E D O G), its summary's (V U X K F); an entry handed by a worker has
 * both, in that order. */
enum { CHEAP = 1, SUMMARY = 2 };

typedef struct reading {
	at_manifest *m;
	at_manifest_entry *cur;
	int allowed;
	size_t next; /* the entry whose summary should come next */
} reading;

/* V: the summary of the entry read before under that key, once. */
static int start_summary(reading *r, char **f, size_t n)
{
	if (n != 2)
		return -1;
	/* Summaries come in the order of the entries: no search. */
	at_manifest_entry *e = r->next < at_manifest_count(r->m)
				       ? at_manifest_at(r->m, r->next)
				       : NULL;
	if (e && strcmp(e->key, f[1]) == 0)
		r->next++;
	else
		e = at_manifest_find(r->m, f[1]);
	if (!e || e->summed)
		return -1;
	e->summed = 1;
	r->cur = e;
	r->allowed = SUMMARY;
	return 0;
}

static int parse_cheap(reading *r, char **f, size_t n)
{
	at_manifest_entry *e = r->cur;
	switch (f[0][0]) {
	case 'E':
		if (n != 3)
			return -1;
		r->cur = NULL;
		if (!(e = at_manifest_entry_new(f[1], f[2])) ||
		    at_manifest_put(r->m, e))
			return -1;
		r->cur = e;
		return 0;
	case 'D': {
		if (!e || n != 6)
			return -1;
		dep d = {strdup(f[1]), strtoll(f[2], NULL, 10),
			 strtoll(f[3], NULL, 10), strtoll(f[4], NULL, 10),
			 strtoull(f[5], NULL, 16)};
		if (!d.path || mf_push_dep(e, d)) {
			free(d.path);
			return -1;
		}
		return 0;
	}
	case 'O':
		return e && n == 2 && mf_inside_out(f[1]) ? mf_push_output(e, f[1])
						       : -1;
	case 'G':
		return e && n == 7 ? parse_diag(e, f) : -1;
	default:
		return -1;
	}
}

static int parse_summary(reading *r, char **f, size_t n)
{
	at_manifest_entry *e = r->cur;
	switch (f[0][0]) {
	case 'V':
		return start_summary(r, f, n);
	case 'U': {
		if (!e || e->has_sum || n != 12 || !summary_fields_ok(f) ||
		    (*f[10] && at_lang_of_code(f[10]) < 0) ||
		    (strcmp(f[11], "0") != 0 && strcmp(f[11], "1") != 0))
			return -1;
		at_summary s = {e->key, f[1], f[2], f[3], strtol(f[4], NULL, 10),
				strtol(f[5], NULL, 10), strtol(f[6], NULL, 10),
				strtol(f[7], NULL, 10), f[8], f[9], NULL, 0, NULL,
				f[10], f[11][0] == '1', NULL, 0};
		if (at_manifest_entry_set_summary(e, &s))
			return -1;
		e->keyed = 0; /* its K line is to come */
		return 0;
	}
	case 'X':
		if (!e || !e->has_sum || e->keyed || n != 2 || !*f[1])
			return -1;
		free(e->sum.failed);
		return (e->sum.failed = strdup(f[1])) ? 0 : -1;
	default:
		return -1;
	}
}

/* K: the ids, 16 hex digits each, once after U (and X). */
static int parse_ids(at_manifest_entry *e, const char *line)
{
	size_t len = strlen(line);
	if (!e || !e->has_sum || e->keyed || line[1] != '\t' ||
	    (len - 2) % 16 != 0)
		return -1;
	size_t n = (len - 2) / 16;
	if (n > e->ids_cap) {
		uint64_t *v = realloc(e->ids, n * sizeof *v);
		if (!v)
			return -1;
		e->ids = v;
		e->ids_cap = n;
	}
	/* Millions of digits in a repository: a table, not branches. */
	static const unsigned char value[256] = {
		['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
		['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
		['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
		['f'] = 16}; /* 1 + the digit's value; 0 for no digit */
	const unsigned char *h = (const unsigned char *)line + 2;
	unsigned none = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t id = 0;
		for (int k = 0; k < 16; k++, h++) {
			none |= value[*h] == 0;
			id = id << 4 | ((uint64_t)(value[*h] - 1u) & 15);
		}
		e->ids[i] = id;
	}
	if (none)
		return -1;
	e->n_ids = n;
	e->keyed = 1;
	return 0;
}

static int parse_line(reading *r, char *line, const line_at *at)
{
	int summary = line[0] && strchr("VUXKF", line[0]);
	if (!(r->allowed & (summary ? SUMMARY : CHEAP)))
		return -1;
	/* U X K F only after the V that names their entry. */
	if (summary && line[0] != 'V' && !(r->cur && r->cur->summed))
		return -1;
	if (line[0] == 'F')
		return keep_force_line(r->cur, line, at);
	if (line[0] == 'K')
		return parse_ids(r->cur, line);
	char *f[12];
	size_t n = mf_split(line, f, 12);
	return summary ? parse_summary(r, f, n) : parse_cheap(r, f, n);
}

at_manifest_entry *at_manifest_entry_read(char *text)
{
	at_manifest *m = at_manifest_new(0);
	if (!m)
		return NULL;
	reading r = {m, NULL, CHEAP | SUMMARY, 0};
	int bad = 0;
	for (char *save, *line = strtok_r(text, "\n", &save); line && !bad;
	     line = strtok_r(NULL, "\n", &save))
		bad = parse_line(&r, line, NULL) != 0;
	at_manifest_entry *e = NULL;
	if (!bad && m->n == 1 && (!m->v[0]->has_sum || m->v[0]->keyed)) {
		e = m->v[0];
		m->n = 0;
	}
	at_manifest_free(m);
	return e;
}

/* Atelier writes only UTF-8 (texts come from checked sessions): anything
 * else was damaged, and the index would show it. */
static int is_utf8(const char *s, size_t len)
{
	size_t i = at_ascii_prefix(s, len); /* most of a manifest */
	while (i < len) {
		size_t n = at_utf8_valid_len(s + i, len - i);
		if (!n)
			return 0;
		i += n;
		i += at_ascii_prefix(s + i, len - i);
	}
	return 1;
}

/* Not damaged, but not readable either: everything is rebuilt. */
static void other_version(at_diags *d)
{
	at_diag_add(d, AT_WARNING, "manifest", (at_pos){0, 0}, 0,
		    "the build manifest %s was written by another version of "
		    "atelier: rebuilding everything",
		    AT_MANIFEST_NAME);
}

static void damaged(at_diags *d)
{
	at_diag_add(d, AT_WARNING, "manifest", (at_pos){0, 0}, 0,
		    "the build manifest %s is damaged: rebuilding everything",
		    AT_MANIFEST_NAME);
}

/* Reads up to n bytes of fd at off into p: how many, or -1. */
static ssize_t read_at(int fd, char *p, size_t n, long long off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(fd, p + got, n - got, (off_t)(off + (long long)got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

enum { PART_CHUNK = 1 << 22 };

/* Parses the lines of m's file from `from` to `to` (each whole, in UTF-8)
 * as r allows. 0, or -1 when one is not what atelier writes. Read a few
 * megabytes at a time, each checked as UTF-8 at once: a repository's
 * summaries are tens of megabytes, in hundreds of thousands of lines. */
static int read_part(reading *r, long long from, long long to)
{
	int fd = fileno(r->m->file);
	size_t cap = PART_CHUNK, len = 0;
	char *buf = malloc(cap + 1);
	long long at_off = from; /* where buf[0] is in the file */
	int bad = !buf;
	while (!bad && at_off + (long long)len < to) {
		if (len == cap) { /* a line longer than what is held */
			char *more = realloc(buf, 2 * cap + 1);
			bad = !more;
			buf = more ? more : buf;
			cap *= more ? 2 : 1;
			continue;
		}
		long long left = to - at_off - (long long)len;
		size_t want = cap - len < (unsigned long long)left
				      ? cap - len : (size_t)left;
		ssize_t got = read_at(fd, buf + len, want,
				      at_off + (long long)len);
		if (got <= 0) {
			bad = 1;
			break;
		}
		len += (size_t)got;
		/* The complete lines held: checked, then parsed. */
		char *end = buf + len;
		while (end > buf && end[-1] != '\n')
			end--;
		bad = !is_utf8(buf, (size_t)(end - buf));
		char *line = buf;
		while (!bad && line < end) {
			char *nl = memchr(line, '\n', (size_t)(end - line));
			*nl = '\0';
			line_at at = {r->m->file, at_off + (line - buf),
				      (size_t)(nl - line) + 1};
			bad = parse_line(r, line, &at) != 0;
			line = nl + 1;
		}
		memmove(buf, end, (size_t)(buf + len - end));
		at_off += end - buf;
		len -= (size_t)(end - buf);
	}
	free(buf);
	/* what is left is a line without its end */
	return bad || len ? -1 : 0;
}

/* The header: 1 it is ours and of this version, 0 of another version,
 * -1 damaged. *same_options, *end: whether it was built with these
 * options, where the header ends. */
static int read_header(FILE *f, uint64_t options_hash, int *same_options,
		       long long *end)
{
	char *line = NULL, *h[3];
	size_t cap = 0;
	ssize_t len = getline(&line, &cap, f);
	int rc = -1;
	if (len > 0 && line[len - 1] == '\n') {
		line[len - 1] = '\0';
		*end = len;
		if (mf_split(line, h, 3) == 3 &&
		    strcmp(h[0], "atelier-manifest") == 0) {
			rc = strtol(h[1], NULL, 10) == MANIFEST_VERSION;
			*same_options = strtoull(h[2], NULL, 16) == options_hash;
		}
	}
	free(line);
	return rc;
}

/* The last line, "Z <TAB> 16 hex digits": where the cheap part starts. */
#define TRAILER_LEN 19

static long long read_trailer(FILE *f, long long header_end, long long *size)
{
	struct stat st;
	char t[TRAILER_LEN + 1];
	if (fstat(fileno(f), &st) != 0 || st.st_size < header_end + TRAILER_LEN)
		return -1;
	*size = (long long)st.st_size;
	if (pread(fileno(f), t, TRAILER_LEN, st.st_size - TRAILER_LEN) !=
		    TRAILER_LEN ||
	    t[0] != 'Z' || t[1] != '\t' || t[TRAILER_LEN - 1] != '\n')
		return -1;
	t[TRAILER_LEN - 1] = '\0';
	if (strspn(t + 2, "0123456789abcdef") != 16)
		return -1;
	unsigned long long off = strtoull(t + 2, NULL, 16);
	return off >= (unsigned long long)header_end &&
		       off <= (unsigned long long)(*size - TRAILER_LEN)
		       ? (long long)off
		       : -1;
}

at_manifest *at_manifest_load(const char *root, uint64_t options_hash,
			      at_diags *d)
{
	char *path = at_path_join(root, AT_MANIFEST_NAME);
	struct stat st;
	int fd = path ? at_open_regular(path, AT_READ_NO_LINK, &st) : -1;
	free(path);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	int same_options = 0;
	long long header_end = 0, size = 0, cheap = -1;
	int ours = read_header(f, options_hash, &same_options, &header_end);
	if (ours == 0) {
		other_version(d);
		fclose(f);
		return NULL;
	}
	if (ours > 0)
		cheap = read_trailer(f, header_end, &size);
	at_manifest *m = cheap >= 0 ? at_manifest_new(options_hash) : NULL;
	if (!m) {
		fclose(f);
		damaged(d);
		return NULL;
	}
	m->file = f; /* its summaries and F lines are read from it later */
	m->summaries_from = header_end;
	m->summaries_to = cheap;
	reading r = {m, NULL, CHEAP, 0};
	if (read_part(&r, cheap, size - TRAILER_LEN) != 0) {
		damaged(d);
		at_manifest_free(m);
		return NULL;
	}
	for (size_t i = 0; i < m->n; i++) {
		m->v[i]->sum_later = 1;
		/* Other options (formats, language ...): every output must be
		 * made again, but the entries still say what to prune. */
		m->v[i]->stale |= !same_options;
	}
	m->summaries_pending = 1;
	return m;
}

int at_manifest_load_summaries(at_manifest *m, at_diags *d)
{
	if (!m->summaries_pending)
		return 0;
	m->summaries_pending = 0;
	reading r = {m, NULL, SUMMARY, 0};
	int bad = read_part(&r, m->summaries_from, m->summaries_to) != 0;
	for (size_t i = 0; i < m->n; i++) {
		/* every entry has its summary, and a summary its K line */
		bad |= !m->v[i]->summed || (m->v[i]->has_sum && !m->v[i]->keyed);
		m->v[i]->sum_later = 0;
	}
	if (bad)
		damaged(d);
	return bad ? -1 : 0;
}

at_manifest *at_manifest_load_as_is(const char *root, at_diags *d)
{
	char *path = at_path_join(root, AT_MANIFEST_NAME);
	size_t len = 0;
	char *head = path ? at_read_regular(path, AT_READ_NO_LINK, 128, &len)
			  : NULL;
	free(path);
	char *h[3];
	char *nl = head ? strchr(head, '\n') : NULL;
	if (nl)
		*nl = '\0';
	uint64_t options = 0;
	int ok = nl && mf_split(head, h, 3) == 3 &&
		 strcmp(h[0], "atelier-manifest") == 0;
	if (ok)
		options = strtoull(h[2], NULL, 16);
	free(head);
	at_manifest *m = ok ? at_manifest_load(root, options, d) : NULL;
	/* all of it: a merge copies the summaries into the whole's */
	if (m && at_manifest_load_summaries(m, d) != 0) {
		at_manifest_free(m);
		m = NULL;
	}
	return m;
}
