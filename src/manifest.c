/* manifest.c: the incremental build's memory, a small tab-separated file.
 *
 *   atelier-manifest <TAB> version <TAB> options-hash
 *   E <TAB> key <TAB> input                      one session
 *   D <TAB> path <TAB> size <TAB> sec <TAB> nsec <TAB> hash   an input
 *   O <TAB> output, relative to OUT             an output
 *   G <TAB> severity line col span <TAB> code <TAB> message   a diagnostic
 *   U <TAB> title date place people contributions drivers brakes report
 *           formats       the index's summary: report is the reports'
 *           path relative to OUT without extension, formats the names of
 *           the formats built, comma-separated
 *   X <TAB> why the session fails to build now (its last reports are kept)
 *   F <TAB> 0|1 <TAB> text <TAB> tags            a driver (0) or brake (1)
 *
 * Fields escape backslash, tab and newline. A manifest that cannot be
 * read is ignored with a warning: the cost is a full rebuild, never a
 * wrong report. */
#define _POSIX_C_SOURCE 200809L
#include "manifest.h"
#include "sorted.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "output.h"
#include "utf8.h"

/* 2: the summary names its reports' path and formats, not two links. */
#define MANIFEST_VERSION 2

typedef struct dep {
	char *path;
	long long size, sec, nsec;
	uint64_t hash;
} dep;

struct at_manifest_entry {
	char *key, *input;
	dep *deps;
	size_t n_deps;
	char **outputs;
	size_t n_outputs;
	at_summary sum;   /* without its forces: see forces below */
	int has_sum;
	int stale; /* never fresh: built with other options, or failed */
	at_buf diags; /* G lines: what its build reported, to replay */
	/* The summary's drivers and brakes, as the manifest's F lines. A
	 * repository has millions: they stay on disk, in the manifest they
	 * were read from or in a build's spill file (at_manifest_spill),
	 * and are read back one session at a time when the index or the
	 * manifest is written. A fresh entry holds them in memory (text). */
	at_buf forces;
	FILE *forces_file;
	long long forces_off;
	size_t forces_len;
};

struct at_manifest {
	uint64_t options_hash;
	at_manifest_entry **v;
	size_t n, cap;
	int sorted;
	at_summary *sums; /* view for the index, rebuilt on demand */
	at_manifest_entry **sum_entries; /* whose summary each one is */
	FILE *file;       /* the manifest read, kept open for its F lines */
	at_buf text;      /* one entry's F lines, read back */
	at_force_note *notes; /* and parsed, in text */
	size_t notes_cap;
};

/* The content of the regular file fd, from where it is read on: -1 when
 * it holds more than size bytes, the size its fstat gave. A file of
 * procfs reports 0 and can stream without end (/proc/self/pagemap): what
 * a file claims bounds what is read. */
static int hash_fd(int fd, off_t size, uint64_t *out)
{
	uint64_t h = AT_HASH_INIT;
	unsigned char buf[65536];
	off_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		total += n;
		if (total > size)
			return -1;
		h = at_hash_more(h, buf, (size_t)n);
	}
	*out = h;
	return 0;
}

/* Only a regular file has a content to remember: a path that the manifest
 * names may have become a FIFO or a device (/dev/zero) since, or have been
 * written so by hand, and reading one would block or never end. The file
 * is opened without blocking, then checked, so that it cannot be swapped
 * between a check and the open. -1 when it is not a regular file; else
 * *st holds its state before it was read. */
static int open_regular(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int hash_file(const char *path, uint64_t *out)
{
	struct stat st;
	int fd = open_regular(path, &st);
	if (fd < 0)
		return -1;
	int rc = hash_fd(fd, st.st_size, out);
	close(fd);
	return rc;
}

/* ---- entries ---- */

at_manifest_entry *at_manifest_entry_new(const char *key, const char *input)
{
	at_manifest_entry *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	at_buf_init(&e->forces);
	at_buf_init(&e->diags);
	e->key = strdup(key);
	e->input = strdup(input);
	if (!e->key || !e->input) {
		at_manifest_entry_free(e);
		return NULL;
	}
	return e;
}

/* The summary's strings are the entry's; its forces, when the index has
 * parsed them, the manifest's (parse_notes). */
static void drop_summary(at_manifest_entry *e)
{
	e->sum.forces = NULL;
	e->sum.n_forces = 0;
	at_summary_free(&e->sum);
}

void at_manifest_entry_free(at_manifest_entry *e)
{
	if (!e)
		return;
	free(e->key);
	free(e->input);
	for (size_t i = 0; i < e->n_deps; i++)
		free(e->deps[i].path);
	free(e->deps);
	for (size_t i = 0; i < e->n_outputs; i++)
		free(e->outputs[i]);
	free(e->outputs);
	drop_summary(e);
	at_buf_free(&e->forces);
	at_buf_free(&e->diags);
	free(e);
}

const char *at_manifest_entry_key(const at_manifest_entry *e)
{
	return e->key;
}

const char *at_manifest_entry_input(const at_manifest_entry *e)
{
	return e->input;
}

const at_summary *at_manifest_entry_summary(const at_manifest_entry *e)
{
	return e->has_sum ? &e->sum : NULL;
}

static int push_dep(at_manifest_entry *e, dep d)
{
	dep *v = realloc(e->deps, (e->n_deps + 1) * sizeof *v);
	if (!v)
		return -1;
	e->deps = v;
	e->deps[e->n_deps++] = d;
	return 0;
}

/* A time of modification this close to now may be followed, within the
 * same tick of a coarse clock (one second on some file systems), by an
 * edit that leaves time and size as they were: such an input is compared
 * by content next time (as git treats "racily clean" files). */
#define RACY_SECONDS 2

static int push_stamp(at_manifest_entry *e, const char *path, long long size,
		      struct timespec mtime, uint64_t hash)
{
	dep d = {NULL, size, mtime.tv_sec, mtime.tv_nsec, hash};
	if (size >= 0 && (long long)time(NULL) - d.sec < RACY_SECONDS)
		d.nsec = -1; /* never equal: the content decides */
	d.path = strdup(path);
	if (!d.path || push_dep(e, d)) {
		free(d.path);
		return -1;
	}
	return 0;
}

int at_manifest_entry_add_dep(at_manifest_entry *e, const char *path)
{
	struct stat before, after;
	memset(&before, 0, sizeof before);
	long long size = -1;
	uint64_t h = 0;
	int fd = open_regular(path, &before);
	if (fd >= 0 && hash_fd(fd, before.st_size, &h) == 0 &&
	    fstat(fd, &after) == 0 &&
	    after.st_size == before.st_size &&
	    after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
	    after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
		size = before.st_size; /* else changed while hashed: unknown */
	if (fd >= 0)
		close(fd);
	return push_stamp(e, path, size, before.st_mtim, h);
}

int at_manifest_entry_add_read(at_manifest_entry *e, const char *path,
			       const at_source_stamp *st)
{
	return push_stamp(e, path, st->valid ? st->size : -1, st->mtime,
			  st->hash);
}

static int push_output(at_manifest_entry *e, const char *rel)
{
	char **v = realloc(e->outputs, (e->n_outputs + 1) * sizeof *v);
	if (!v)
		return -1;
	e->outputs = v;
	if (!(v[e->n_outputs] = strdup(rel)))
		return -1;
	e->n_outputs++;
	return 0;
}

int at_manifest_entry_add_output(at_manifest_entry *e, const char *rel)
{
	return push_output(e, rel);
}

static char *dup0(const char *s)
{
	return strdup(s ? s : "");
}

static int copy_summary(at_summary *to, const at_summary *s)
{
	memset(to, 0, sizeof *to);
	to->rel = dup0(s->rel);
	to->title = dup0(s->title);
	to->date = dup0(s->date);
	to->place = dup0(s->place);
	to->report = dup0(s->report);
	to->formats = dup0(s->formats);
	to->failed = dup0(s->failed);
	to->people = s->people;
	to->contributions = s->contributions;
	to->drivers = s->drivers;
	to->brakes = s->brakes;
	int bad = !to->rel || !to->title || !to->date || !to->place ||
		  !to->report || !to->formats || !to->failed;
	if (bad) {
		at_summary_free(to);
		return -1;
	}
	return 0;
}

static void field(at_buf *b, const char *s);

int at_manifest_entry_set_summary(at_manifest_entry *e, const at_summary *s)
{
	drop_summary(e);
	at_buf_clear(&e->forces);
	e->forces_file = NULL;
	e->forces_len = 0;
	for (size_t i = 0; i < s->n_forces; i++) {
		at_buf_printf(&e->forces, "F\t%d", s->forces[i].brake);
		field(&e->forces, s->forces[i].text);
		field(&e->forces, s->forces[i].tags);
		at_buf_putc(&e->forces, '\n');
	}
	e->has_sum = !e->forces.oom && copy_summary(&e->sum, s) == 0;
	return e->has_sum ? 0 : -1;
}

int at_manifest_entry_set_failed(at_manifest_entry *e, const char *why)
{
	char *w = strdup(why);
	if (!w || !e->has_sum) {
		free(w);
		return -1;
	}
	free(e->sum.failed);
	e->sum.failed = w;
	e->stale = 1;
	return 0;
}

static int dep_unchanged(const dep *d)
{
	struct stat st;
	if (d->size < 0 || stat(d->path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size != d->size)
		return 0;
	if (st.st_mtim.tv_sec == d->sec && st.st_mtim.tv_nsec == d->nsec)
		return 1;
	/* Touched but maybe not changed (a checkout rewrites files): the
	 * content decides. */
	uint64_t h;
	return hash_file(d->path, &h) == 0 && h == d->hash;
}

static char *under(const char *root, const char *rel)
{
	at_buf b;
	at_buf_init(&b);
	at_buf_printf(&b, "%s/%s", root, rel);
	return b.oom ? (at_buf_free(&b), NULL) : at_buf_take(&b);
}

/* What atelier writes as an output or a link: a path below OUT. A manifest
 * edited by hand or merged badly could name anything, and --prune removes
 * what it names: "../x" and "/x" are refused. ("javascript:x" is a folder
 * name like another: links are made URLs where they are written, url.h.) */
static int inside_out(const char *rel)
{
	if (!*rel || *rel == '/')
		return 0;
	for (const char *c = rel; c; c = strchr(c, '/')) {
		c += *c == '/';
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2]))
			return 0;
	}
	return 1;
}

int at_manifest_entry_fresh(const at_manifest_entry *e, const char *root)
{
	if (e->stale || !e->n_deps || !e->has_sum)
		return 0;
	for (size_t i = 0; i < e->n_deps; i++)
		if (!dep_unchanged(&e->deps[i]))
			return 0;
	for (size_t i = 0; i < e->n_outputs; i++) {
		char *p = under(root, e->outputs[i]);
		int there = p && access(p, F_OK) == 0;
		free(p);
		if (!there)
			return 0;
	}
	return 1;
}

size_t at_manifest_entry_remove_outputs(const at_manifest_entry *e,
					const char *root)
{
	size_t n = 0;
	for (size_t i = 0; i < e->n_outputs; i++) {
		if (!inside_out(e->outputs[i]))
			continue;
		char *p = under(root, e->outputs[i]);
		if (p && unlink(p) == 0)
			n++;
		free(p);
	}
	return n;
}

static int has_output(const at_manifest_entry *e, const char *rel)
{
	for (size_t i = 0; i < e->n_outputs; i++)
		if (strcmp(e->outputs[i], rel) == 0)
			return 1;
	return 0;
}

void at_manifest_entry_remove_dropped(const at_manifest_entry *old,
				      const at_manifest_entry *now,
				      const char *root)
{
	for (size_t i = 0; i < old->n_outputs; i++) {
		if (!inside_out(old->outputs[i]) ||
		    has_output(now, old->outputs[i]))
			continue;
		char *p = under(root, old->outputs[i]);
		if (p)
			unlink(p);
		free(p);
	}
}

size_t at_manifest_entry_n_deps(const at_manifest_entry *e)
{
	return e->n_deps;
}

const char *at_manifest_entry_dep(const at_manifest_entry *e, size_t i)
{
	return e->deps[i].path;
}

/* ---- the set ---- */

at_manifest *at_manifest_new(uint64_t options_hash)
{
	at_manifest *m = calloc(1, sizeof *m);
	if (m)
		m->options_hash = options_hash;
	return m;
}

void at_manifest_free(at_manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		at_manifest_entry_free(m->v[i]);
	free(m->v);
	free(m->sums);
	free(m->sum_entries);
	free(m->notes);
	at_buf_free(&m->text);
	if (m->file)
		fclose(m->file);
	free(m);
}

int at_manifest_put(at_manifest *m, at_manifest_entry *e)
{
	at_manifest_entry **v = at_grow(m->v, &m->cap, m->n, sizeof *v, 64);
	if (!v) {
		/* Forgetting an entry only costs a rebuild. */
		at_manifest_entry_free(e);
		return -1;
	}
	m->v = v;
	m->v[m->n++] = e;
	m->sorted = 0;
	return 0;
}

int at_manifest_put_copy(at_manifest *m, at_manifest_entry *e, int stale)
{
	at_manifest_entry *c = at_manifest_entry_new(e->key, e->input);
	if (!c)
		return -1;
	c->stale = stale || e->stale;
	int bad = 0;
	for (size_t i = 0; i < e->n_deps && !bad; i++) {
		dep d = e->deps[i];
		d.path = strdup(d.path);
		bad = !d.path || push_dep(c, d);
		if (bad)
			free(d.path);
	}
	for (size_t i = 0; i < e->n_outputs && !bad; i++)
		bad = push_output(c, e->outputs[i]);
	at_buf_put(&c->diags, e->diags.s, e->diags.len);
	bad |= c->diags.oom;
	if (!bad && e->has_sum) {
		at_summary plain = e->sum;
		plain.forces = NULL;
		plain.n_forces = 0;
		bad = at_manifest_entry_set_summary(c, &plain);
		/* Moved, not copied: they are most of a manifest's size. */
		at_buf tmp = c->forces;
		c->forces = e->forces;
		e->forces = tmp;
		c->forces_file = e->forces_file;
		c->forces_off = e->forces_off;
		c->forces_len = e->forces_len;
	}
	if (bad) {
		at_manifest_entry_free(c);
		return -1;
	}
	return at_manifest_put(m, c);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp((*(at_manifest_entry *const *)a)->key,
		      (*(at_manifest_entry *const *)b)->key);
}

static void sort(at_manifest *m)
{
	if (!m->sorted && m->n) {
		qsort(m->v, m->n, sizeof *m->v, cmp_entry);
		m->sorted = 1;
	}
}

static int key_vs_entry(const void *key, const void *e)
{
	return strcmp(key, (*(at_manifest_entry *const *)e)->key);
}

at_manifest_entry *at_manifest_find(at_manifest *m, const char *key)
{
	sort(m);
	at_manifest_entry **e =
		at_find_sorted(m->v, m->n, sizeof *m->v, key, key_vs_entry);
	return e ? *e : NULL;
}

size_t at_manifest_count(const at_manifest *m)
{
	return m->n;
}

at_manifest_entry *at_manifest_at(const at_manifest *m, size_t i)
{
	return m->v[i];
}

static size_t split(char *line, char **fields, size_t max);

/* Appends e's F lines to out. */
static int read_forces(const at_manifest_entry *e, at_buf *out)
{
	if (!e->forces_file) {
		at_buf_put(out, e->forces.s, e->forces.len);
		return out->oom ? -1 : 0;
	}
	char *room = at_buf_extend(out, e->forces_len);
	if (!room)
		return -1;
	ssize_t got = pread(fileno(e->forces_file), room, e->forces_len,
			    (off_t)e->forces_off);
	if (got != (ssize_t)e->forces_len)
		return -1;
	/* The manifest's last line may have lost its newline. */
	if (out->s[out->len - 1] != '\n')
		at_buf_putc(out, '\n');
	return out->oom ? -1 : 0;
}

int at_manifest_spill(at_manifest_entry *e, FILE *to)
{
	if (e->forces_file || !e->forces.len)
		return 0;
	if (fseeko(to, 0, SEEK_END) != 0)
		return -1;
	long long off = (long long)ftello(to);
	if (off < 0 || fwrite(e->forces.s, 1, e->forces.len, to) !=
			       e->forces.len ||
	    fflush(to) != 0)
		return -1;
	e->forces_file = to;
	e->forces_off = off;
	e->forces_len = e->forces.len;
	at_buf_free(&e->forces);
	return 0;
}

const at_summary *at_manifest_summaries(at_manifest *m, size_t *n)
{
	sort(m);
	free(m->sums);
	free(m->sum_entries);
	m->sums = calloc(m->n ? m->n : 1, sizeof *m->sums);
	m->sum_entries = calloc(m->n ? m->n : 1, sizeof *m->sum_entries);
	*n = 0;
	if (!m->sums || !m->sum_entries)
		return NULL;
	/* Shallow copies: the entries keep owning the strings. */
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i]->has_sum) {
			m->sum_entries[*n] = m->v[i];
			m->sums[(*n)++] = m->v[i]->sum;
		}
	return m->sums;
}

static size_t split(char *line, char **fields, size_t max);

int at_manifest_forces(at_manifest *m, size_t i, const at_force_note **v,
		       size_t *n)
{
	at_buf_clear(&m->text);
	*v = NULL;
	*n = 0;
	if (read_forces(m->sum_entries[i], &m->text))
		return -1;
	size_t lines = 0;
	for (size_t k = 0; k < m->text.len; k++)
		lines += m->text.s[k] == '\n';
	if (lines > m->notes_cap) {
		at_force_note *p = realloc(m->notes, lines * sizeof *p);
		if (!p)
			return -1;
		m->notes = p;
		m->notes_cap = lines;
	}
	char *w = m->text.s, *end = w + m->text.len;
	while (w && w < end) {
		char *nl = memchr(w, '\n', (size_t)(end - w));
		if (!nl)
			break;
		*nl = '\0';
		char *f[4];
		/* Checked when read or made: four fields. */
		if (split(w, f, 4) == 4)
			m->notes[(*n)++] = (at_force_note){f[1][0] == '1', f[2],
							   f[3]};
		w = nl + 1;
	}
	*v = m->notes;
	return 0;
}

/* ---- the file ---- */

/* A tab, then s with backslash, tab and line ends escaped. */
static void field(at_buf *b, const char *s)
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

static void write_entry(at_buf *b, const at_manifest_entry *e)
{
	at_buf_putc(b, 'E');
	field(b, e->key);
	field(b, e->input);
	at_buf_putc(b, '\n');
	for (size_t i = 0; i < e->n_deps; i++) {
		const dep *d = &e->deps[i];
		at_buf_putc(b, 'D');
		field(b, d->path);
		/* A stale entry is written with an impossible size, so that
		 * the next build does not trust it. */
		at_buf_printf(b, "\t%lld\t%lld\t%lld\t%016" PRIx64 "\n",
			      e->stale ? -1LL : d->size, d->sec, d->nsec,
			      d->hash);
	}
	for (size_t i = 0; i < e->n_outputs; i++) {
		at_buf_putc(b, 'O');
		field(b, e->outputs[i]);
		at_buf_putc(b, '\n');
	}
	at_buf_put(b, e->diags.s, e->diags.len);
	if (!e->has_sum)
		return;
	const at_summary *s = &e->sum;
	at_buf_putc(b, 'U');
	field(b, s->title);
	field(b, s->date);
	field(b, s->place);
	at_buf_printf(b, "\t%ld\t%ld\t%ld\t%ld", s->people, s->contributions,
		      s->drivers, s->brakes);
	field(b, s->report);
	field(b, s->formats);
	at_buf_putc(b, '\n');
	if (s->failed && *s->failed) {
		at_buf_putc(b, 'X');
		field(b, s->failed);
		at_buf_putc(b, '\n');
	}
	if (read_forces(e, b))
		b->oom = 1; /* unreadable: the manifest is not replaced */
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
 * memory. */
static at_status write_all_entries(FILE *f, void *ctx)
{
	saving *sv = ctx;
	fprintf(f, "atelier-manifest\t%d\t%016" PRIx64 "\n", MANIFEST_VERSION,
		sv->m->options_hash);
	for (size_t i = 0; i < sv->m->n; i++) {
		at_buf_clear(&sv->entry);
		write_entry(&sv->entry, sv->m->v[i]);
		if (sv->entry.oom)
			return AT_ENOMEM;
		fwrite(sv->entry.s, 1, sv->entry.len, f);
	}
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

/* Splits line at tabs into at most max fields, unescaping in place. */
static size_t split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *w = line;
	fields[n++] = w;
	for (char *r = line; *r; r++) {
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
		} else {
			*w++ = *r;
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
	return (!*f[8] || inside_out(f[8])) &&
	       strspn(f[9], "abcdefghijklmnopqrstuvwxyz0123456789,") ==
		       strlen(f[9]);
}

static void put_diag(at_buf *b, const at_diag *g)
{
	at_buf_printf(b, "G\t%d\t%u\t%u\t%u", (int)g->severity,
		      (unsigned)g->pos.line, (unsigned)g->pos.col,
		      (unsigned)g->span);
	field(b, g->code ? g->code : "");
	field(b, g->message);
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
		if (split(line, f, 7) == 7 && diag_of(f, &g) == 0)
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
 * four: only the index parses it (at_manifest_forces). */
static int keep_force_line(at_manifest_entry *e, const char *line,
			   const line_at *at)
{
	size_t tabs = 0;
	for (const char *c = line; *c; c++)
		tabs += *c == '\t';
	if (!e || !e->has_sum || tabs != 3 || line[1] != '\t' ||
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

static int parse_line(at_manifest *m, at_manifest_entry **cur, char *line,
		      const line_at *at)
{
	if (line[0] == 'F')
		return keep_force_line(*cur, line, at);
	char *f[12];
	size_t n = split(line, f, 12);
	at_manifest_entry *e = *cur;
	switch (f[0][0]) {
	case 'E':
		if (n != 3)
			return -1;
		*cur = NULL;
		if (!(e = at_manifest_entry_new(f[1], f[2])) ||
		    at_manifest_put(m, e))
			return -1;
		*cur = e;
		return 0;
	case 'D': {
		if (!e || n != 6)
			return -1;
		dep d = {strdup(f[1]), strtoll(f[2], NULL, 10),
			 strtoll(f[3], NULL, 10), strtoll(f[4], NULL, 10),
			 strtoull(f[5], NULL, 16)};
		if (!d.path || push_dep(e, d)) {
			free(d.path);
			return -1;
		}
		return 0;
	}
	case 'O':
		return e && n == 2 && inside_out(f[1]) ? push_output(e, f[1])
						       : -1;
	case 'G':
		return e && n == 7 ? parse_diag(e, f) : -1;
	case 'U': {
		if (!e || n != 10 || !summary_fields_ok(f))
			return -1;
		at_summary s = {e->key, f[1], f[2], f[3], strtol(f[4], NULL, 10),
				strtol(f[5], NULL, 10), strtol(f[6], NULL, 10),
				strtol(f[7], NULL, 10), f[8], f[9], NULL, 0, NULL};
		return at_manifest_entry_set_summary(e, &s);
	}
	case 'X':
		if (!e || !e->has_sum || n != 2 || !*f[1])
			return -1;
		free(e->sum.failed);
		return (e->sum.failed = strdup(f[1])) ? 0 : -1;
	default:
		return -1;
	}
}

at_manifest_entry *at_manifest_entry_read(char *text)
{
	at_manifest *m = at_manifest_new(0);
	if (!m)
		return NULL;
	at_manifest_entry *cur = NULL;
	int bad = 0;
	for (char *save, *line = strtok_r(text, "\n", &save); line && !bad;
	     line = strtok_r(NULL, "\n", &save))
		bad = parse_line(m, &cur, line, NULL) != 0;
	at_manifest_entry *e = NULL;
	if (!bad && m->n == 1) {
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
	for (size_t i = 0, n; i < len; i += n) {
		if (!((unsigned char)s[i] & 0x80)) {
			n = 1; /* most of a manifest is ASCII */
			continue;
		}
		if (!(n = at_utf8_valid_len(s + i, len - i)))
			return 0;
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

at_manifest *at_manifest_load(const char *root, uint64_t options_hash,
			      at_diags *d)
{
	char *path = under(root, AT_MANIFEST_NAME);
	FILE *f = path ? fopen(path, "r") : NULL;
	free(path);
	if (!f)
		return NULL;
	at_manifest *m = at_manifest_new(options_hash);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int bad = !m, first = 1, same_options = 0;
	at_manifest_entry *cur = NULL;
	line_at at = {f, 0, 0};
	while (!bad && (len = getline(&line, &cap, f)) > 0) {
		at.off += (long long)at.len;
		at.len = (size_t)len;
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (first) {
			char *h[3];
			bad = split(line, h, 3) != 3 ||
			      strcmp(h[0], "atelier-manifest") != 0;
			if (!bad && strtol(h[1], NULL, 10) != MANIFEST_VERSION) {
				other_version(d);
				free(line);
				fclose(f);
				at_manifest_free(m);
				return NULL;
			}
			same_options = !bad && strtoull(h[2], NULL, 16) ==
						       options_hash;
			first = 0;
			continue;
		}
		bad = !is_utf8(line, (size_t)len) ||
		      parse_line(m, &cur, line, &at) != 0;
	}
	free(line);
	if (m)
		m->file = f; /* its F lines are read from it later */
	else
		fclose(f);
	if (bad) {
		at_diag_add(d, AT_WARNING, "manifest", (at_pos){0, 0}, 0,
			    "the build manifest %s is damaged: rebuilding "
			    "everything",
			    AT_MANIFEST_NAME);
		at_manifest_free(m);
		return NULL;
	}
	/* Other options (formats, language ...) or another atelier: every
	 * output must be made again, but the entries still say what to
	 * prune. */
	for (size_t i = 0; !same_options && i < m->n; i++)
		m->v[i]->stale = 1;
	return m;
}

int at_index_exists(const char *root)
{
	char *p = under(root, "index.html");
	int ok = p && access(p, F_OK) == 0;
	free(p);
	return ok;
}
