/* manifest.c: the incremental build's memory, a small tab-separated file.
 *
 *   atelier-manifest <TAB> version <TAB> options-hash
 *   E <TAB> key <TAB> input                      one session
 *   D <TAB> path <TAB> size <TAB> sec <TAB> nsec <TAB> hash   an input
 *   O <TAB> output, relative to OUT             an output
 *   G <TAB> severity line col span <TAB> code <TAB> message   a diagnostic
 *   V <TAB> key                                  the summary of one session
 *   U <TAB> title date place people contributions drivers brakes report
 *           formats lang force-grid   the index's summary: report is the
 *           reports' path relative to OUT without extension, formats the
 *           names of the formats built, comma-separated, lang "fr", "en"
 *           or "", force-grid 1 when the grid declares a force
 *   X <TAB> why the session fails to build now (its last reports are kept)
 *   K <TAB> ids     the ids of its forces' keys (at_force_key_ids), each
 *           16 hex digits, one after the other: computed once, by the
 *           build of its session, they are what the index counts
 *   F <TAB> 0|1 <TAB> text <TAB> tags   a driver (0) or brake (1)
 *
 * The file holds, after its first line, every entry's summary (a V line,
 * then its U, X, K and F lines), then every entry's E, D, O and G lines, and
 * last "Z <TAB> offset", 16 hex digits: where the E lines start. A build
 * reads the E to G lines, and the summaries only when something changed.
 * Fields escape backslash, tab and newline. A manifest that cannot be
 * read is ignored with a warning: the cost is a full rebuild, never a
 * wrong report. This file keeps the entries and the manifest in memory;
 * manifest_text.c writes and reads the file. */
#define _POSIX_C_SOURCE 200809L
#include "manifest_int.h"
#include "readfile.h"
#include "sorted.h"

#include <dirent.h>
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
#include "path.h"
#include "utf8.h"

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

static int hash_file(const char *path, uint64_t *out)
{
	struct stat st;
	int fd = at_open_regular(path, 0, &st);
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
	e->n_ids = 0;
	e->keyed = 0;
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
	free(e->ids);
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

int mf_push_dep(at_manifest_entry *e, dep d)
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
	if (!d.path || mf_push_dep(e, d)) {
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
	int fd = at_open_regular(path, 0, &before);
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

int mf_push_output(at_manifest_entry *e, const char *rel)
{
	char **v = at_grow(e->outputs, &e->outputs_cap, e->n_outputs, sizeof *v,
			   8);
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
	return mf_push_output(e, rel);
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
	to->lang = dup0(s->lang);
	to->force_grid = s->force_grid != 0;
	to->people = s->people;
	to->contributions = s->contributions;
	to->drivers = s->drivers;
	to->brakes = s->brakes;
	int bad = !to->rel || !to->title || !to->date || !to->place ||
		  !to->report || !to->formats || !to->failed || !to->lang;
	if (bad) {
		at_summary_free(to);
		return -1;
	}
	return 0;
}

int at_manifest_entry_set_summary(at_manifest_entry *e, const at_summary *s)
{
	drop_summary(e);
	at_buf_clear(&e->forces);
	e->forces_file = NULL;
	e->forces_len = 0;
	int bad = 0;
	for (size_t i = 0; i < s->n_forces && !bad; i++) {
		const at_force_note *f = &s->forces[i];
		at_buf_printf(&e->forces, "F\t%d", f->brake);
		mf_field(&e->forces, f->text);
		mf_field(&e->forces, f->tags);
		at_buf_putc(&e->forces, '\n');
		bad = at_force_key_ids(f, &e->ids, &e->n_ids, &e->ids_cap);
	}
	e->keyed = 1;
	e->has_sum = !bad && !e->forces.oom && copy_summary(&e->sum, s) == 0;
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

static void drop_names(at_manifest_probe *p)
{
	for (size_t i = 0; i < p->n_names; i++)
		free(p->names[i]);
	free(p->names);
	p->names = NULL;
	p->n_names = p->cap = 0;
	p->listed = 0;
}

/* The folder of path, opened once for the paths after it in the same
 * folder (a build checks its sessions in order, folder by folder): each
 * check then looks up one name, not every folder of the path. *base
 * receives the name; AT_FDCWD (the whole path) when it cannot open it. */
static int folder_of(at_manifest_probe *p, const char *path,
		     const char **base)
{
	const char *slash = strrchr(path, '/');
	*base = path;
	if (!slash)
		return AT_FDCWD;
	size_t n = (size_t)(slash - path) + 1;
	if (!p->dir || strlen(p->dir) != n || memcmp(p->dir, path, n) != 0) {
		if (p->fd >= 0)
			close(p->fd);
		free(p->dir);
		drop_names(p);
		p->dir = strndup(path, n);
		p->fd = p->dir ? open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			       : -1;
	}
	if (p->fd < 0)
		return AT_FDCWD;
	*base = slash + 1;
	return p->fd;
}

void at_manifest_probe_init(at_manifest_probe *p)
{
	memset(p, 0, sizeof *p);
	p->fd = -1;
}

void at_manifest_probe_free(at_manifest_probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	free(p->dir);
	drop_names(p);
	at_manifest_probe_init(p);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int name_vs(const void *key, const void *name)
{
	return strcmp(key, *(char *const *)name);
}

/* The names in p's folder, read once (a folder of reports holds those of
 * dozens of sessions); listed -1 when it cannot be read. */
static void list_names(at_manifest_probe *p)
{
	int fd = dup(p->fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		p->listed = -1;
		return;
	}
	int bad = 0;
	for (struct dirent *e; !bad && (e = readdir(d)) != NULL;) {
		char **v = at_grow(p->names, &p->cap, p->n_names, sizeof *v, 64);
		char *name = v ? strdup(e->d_name) : NULL;
		if (v)
			p->names = v;
		if (!name)
			bad = 1;
		else
			p->names[p->n_names++] = name;
	}
	closedir(d);
	if (bad) {
		drop_names(p);
		p->listed = -1; /* asked of the file system instead */
		return;
	}
	if (p->n_names)
		qsort(p->names, p->n_names, sizeof *p->names, cmp_name);
	p->listed = 1;
}

/* Whether output path (below OUT) is there: found in its folder's
 * listing, or asked of the file system when the folder cannot be read. */
static int output_there(at_manifest_probe *p, const char *path)
{
	const char *base;
	int at = folder_of(p, path, &base);
	if (at != AT_FDCWD && !p->listed)
		list_names(p);
	if (p->listed > 0)
		return at_find_sorted(p->names, p->n_names, sizeof *p->names,
				      base, name_vs) != NULL;
	return faccessat(at, base, F_OK, 0) == 0;
}

static int dep_unchanged(const dep *d, at_manifest_probe *p)
{
	struct stat st;
	const char *base;
	int at = folder_of(p, d->path, &base);
	if (d->size < 0 || fstatat(at, base, &st, 0) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size != d->size)
		return 0;
	if (st.st_mtim.tv_sec == d->sec && st.st_mtim.tv_nsec == d->nsec)
		return 1;
	/* Touched but maybe not changed (a checkout rewrites files): the
	 * content decides. */
	uint64_t h;
	return hash_file(d->path, &h) == 0 && h == d->hash;
}

/* What atelier writes as an output or a link: a path below OUT. A manifest
 * edited by hand or merged badly could name anything, and --prune removes
 * what it names: "../x" and "/x" are refused. ("javascript:x" is a folder
 * name like another: links are made URLs where they are written, url.h.) */
int mf_inside_out(const char *rel)
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

int at_manifest_entry_has_diags(const at_manifest_entry *e)
{
	return e && e->diags.len;
}

int at_manifest_entry_found_as(at_manifest_entry *e, const char *path,
			       const struct stat *st)
{
	const dep *d = e->n_deps ? &e->deps[0] : NULL;
	e->input_seen = d && !e->stale && d->size >= 0 &&
			st->st_size == d->size &&
			st->st_mtim.tv_sec == d->sec &&
			st->st_mtim.tv_nsec == d->nsec &&
			strcmp(d->path, path) == 0 &&
			strcmp(e->input, path) == 0;
	return e->input_seen;
}

int at_manifest_entry_fresh_in(const at_manifest_entry *e, const char *root,
			       at_manifest_probe probe[2])
{
	if (e->stale || !e->n_deps || !(e->has_sum || e->sum_later))
		return 0;
	/* The session file itself, when the search saw it unchanged, is not
	 * asked of the file system again. */
	for (size_t i = e->input_seen ? 1 : 0; i < e->n_deps; i++)
		if (!dep_unchanged(&e->deps[i], &probe[0]))
			return 0;
	for (size_t i = 0; i < e->n_outputs; i++) {
		char *p = at_path_join(root, e->outputs[i]);
		int there = p && output_there(&probe[1], p);
		free(p);
		if (!there)
			return 0;
	}
	return 1;
}

int at_manifest_entry_fresh(const at_manifest_entry *e, const char *root)
{
	at_manifest_probe probe[2];
	at_manifest_probe_init(&probe[0]);
	at_manifest_probe_init(&probe[1]);
	int fresh = at_manifest_entry_fresh_in(e, root, probe);
	at_manifest_probe_free(&probe[0]);
	at_manifest_probe_free(&probe[1]);
	return fresh;
}

size_t at_manifest_entry_remove_outputs(const at_manifest_entry *e,
					const char *root)
{
	size_t n = 0;
	for (size_t i = 0; i < e->n_outputs; i++) {
		if (!mf_inside_out(e->outputs[i]))
			continue;
		char *p = at_path_join(root, e->outputs[i]);
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
		if (!mf_inside_out(old->outputs[i]) ||
		    has_output(now, old->outputs[i]))
			continue;
		char *p = at_path_join(root, old->outputs[i]);
		if (p)
			unlink(p);
		free(p);
	}
}

size_t at_manifest_entry_n_outputs(const at_manifest_entry *e)
{
	return e->n_outputs;
}

const char *at_manifest_entry_output(const at_manifest_entry *e, size_t i)
{
	return e->outputs[i];
}

uint64_t at_manifest_options(const at_manifest *m)
{
	return m->options_hash;
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

int at_manifest_unchanged(const at_manifest *m, const char *root)
{
	char *path = at_path_join(root, AT_MANIFEST_NAME);
	struct stat now, then;
	int there = path && lstat(path, &now) == 0;
	int missing = path && !there && errno == ENOENT;
	free(path);
	if (!m || !m->file)
		return missing;
	return there && fstat(fileno(m->file), &then) == 0 &&
	       now.st_dev == then.st_dev && now.st_ino == then.st_ino &&
	       now.st_size == then.st_size &&
	       now.st_mtim.tv_sec == then.st_mtim.tv_sec &&
	       now.st_mtim.tv_nsec == then.st_mtim.tv_nsec;
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
		bad = !d.path || mf_push_dep(c, d);
		if (bad)
			free(d.path);
	}
	for (size_t i = 0; i < e->n_outputs && !bad; i++)
		bad = mf_push_output(c, e->outputs[i]);
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
		uint64_t *ids = c->ids;
		c->ids = e->ids;
		e->ids = ids;
		size_t n = c->n_ids, cap = c->ids_cap;
		c->n_ids = e->n_ids;
		c->ids_cap = e->ids_cap;
		e->n_ids = n;
		e->ids_cap = cap;
		c->keyed = e->keyed;
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

/* A manifest is written in key order: read back, one pass finds it
 * sorted, instead of sorting thousands of keys again. */
static void sort(at_manifest *m)
{
	if (m->sorted || !m->n)
		return;
	size_t i = 1;
	while (i < m->n && cmp_entry(&m->v[i - 1], &m->v[i]) <= 0)
		i++;
	if (i < m->n)
		qsort(m->v, m->n, sizeof *m->v, cmp_entry);
	m->sorted = 1;
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

/* Appends e's F lines to out. */
int mf_read_forces(const at_manifest_entry *e, at_buf *out)
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
			m->sums[*n] = m->v[i]->sum;
			m->sums[*n].key_ids = m->v[i]->ids;
			m->sums[(*n)++].n_key_ids = m->v[i]->n_ids;
		}
	return m->sums;
}

int at_manifest_forces(at_manifest *m, size_t i, const at_force_note **v,
		       size_t *n)
{
	at_buf_clear(&m->text);
	*v = NULL;
	*n = 0;
	if (mf_read_forces(m->sum_entries[i], &m->text))
		return -1;
	size_t lines = 0;
	for (const char *p = m->text.s, *end = p + m->text.len;
	     (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
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
		/* Checked when read or made: four fields. The index computes
		 * the keys of the few sessions it reads. */
		if (mf_split(w, f, 4) == 4)
			m->notes[(*n)++] = (at_force_note){f[1][0] == '1', f[2],
							   f[3], NULL};
		w = nl + 1;
	}
	*v = m->notes;
	return 0;
}

int at_index_exists(const char *root)
{
	char *p = at_path_join(root, "index.html");
	int ok = p && access(p, F_OK) == 0;
	free(p);
	return ok;
}
