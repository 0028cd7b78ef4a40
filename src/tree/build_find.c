/* build_find.c: the sessions of a folder (.yaml and .yml files with a
 * top-level `atelier:` key; look-alikes without it warned about), and the
 * names refused before anything is built: two sessions writing the same
 * reports (letters' case aside), a name that would write OUT's index or
 * workbook, a name too long once atelier's suffixes are added. */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_int.h"
#include "bind.h"
#include "bookrows.h"
#include "buf.h"
#include "figcopy.h"
#include "hash.h"
#include "i18n.h"
#include "index.h"
#include "output.h"
#include "path.h"
#include "url.h"

/* A session file declares the format at the top level: a line that starts
 * with `atelier:`. Reading the first 64 KiB is enough to find it in any
 * real session; other YAML (CI configs, data) is skipped. What the file
 * says at the top level is classed on the way: 1 it declares the format,
 * else 0 with *keys the number of other top-level keys that a session
 * has (two or more: a session that forgot `atelier: 1`). */
static int scan_top_keys(const char *buf, size_t *keys)
{
	*keys = 0;
	for (const char *line = buf; line && *line;) {
		size_t len = strspn(line, "abcdefghijklmnopqrstuvwxyz"
					  "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
		const char *p = line + len;
		while (*p == ' ' || *p == '\t')
			p++;
		if (len && *p == ':') {
			if (len == 7 && strncmp(line, "atelier", 7) == 0)
				return 1;
			char key[32];
			if (len < sizeof key) {
				memcpy(key, line, len);
				key[len] = '\0';
				*keys += at_is_session_key(key);
			}
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return 0;
}

/* The first block holds `atelier:` in nearly every session (its first
 * line, as `atelier init` writes it): a rebuild of thousands of sessions
 * reads that much of each, not 64 KiB. A line cut at the block's end
 * cannot match (its ':' is not there yet); the whole is read otherwise. */
enum { FIRST_BLOCK = 4096 };

/* Up to len bytes of fd, fewer at its end; 0 on an error. */
static size_t read_up_to(int fd, char *buf, size_t len)
{
	size_t n = 0;
	while (n < len) {
		ssize_t r = read(fd, buf + n, len - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	return n;
}

/* name in the folder dir_fd (opened by the search: one name to look up,
 * not the whole path). */
static int declares_atelier(int dir_fd, const char *name, size_t *keys)
{
	*keys = 0;
	int fd = openat(dir_fd, name,
			O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[65536];
	size_t n = read_up_to(fd, buf, FIRST_BLOCK);
	buf[n] = '\0';
	int yes = scan_top_keys(buf, keys);
	if (!yes && n == FIRST_BLOCK) {
		n += read_up_to(fd, buf + n, sizeof buf - 1 - n);
		buf[n] = '\0';
		yes = scan_top_keys(buf, keys);
	}
	close(fd);
	return yes;
}

/* A file the last build read as a session and unchanged since (same
 * size and time, as its freshness is judged): a session still, known
 * without reading it, which a rebuild of thousands would do for each. */
static int known_session(const found *f, const char *rel, const char *path,
			 const struct stat *st)
{
	const char *k = rel;
	char *key = NULL;
	if (f->known && *f->prefix)
		k = key = at_path_join(f->prefix, rel);
	if (!f->known || !k)
		return 0; /* (out of memory: read, as any other) */
	at_manifest_entry *e = at_manifest_find(f->known, k);
	free(key);
	return e && at_manifest_entry_found_as(e, path, st);
}

/* A session's part of a sharded build: from its reports' path, case
 * folded, so that two sessions that would write the same reports (which
 * the build refuses) fall in the same part and are found there. Depends
 * on nothing else: adding sessions never moves one to another part. */
int build_in_shard(const at_cli *c, const char *rel)
{
	if (!c->shard_n)
		return 1;
	const char *dot = strrchr(rel, '.');
	size_t len = dot ? (size_t)(dot - rel) : strlen(rel);
	uint64_t h = AT_HASH_INIT;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)rel[i];
		ch = ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a') : ch;
		h = at_hash_more(h, &ch, 1);
	}
	return h % c->shard_n == c->shard_k - 1;
}

static int has_yaml_ext(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static void add_found(found *f, char *rel, const struct stat *st)
{
	if (!rel) {
		f->oom = 1;
		return;
	}
	found_file *p = at_grow(f->v, &f->cap, f->n, sizeof *p, 64);
	if (!p) {
		free(rel);
		f->oom = 1;
		return;
	}
	f->v = p;
	f->v[f->n++] = (found_file){rel, {1, (long long)st->st_size,
					  st->st_mtim, 0}};
}

void build_free_found(found *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].rel);
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

int build_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int build_cmp_found(const void *a, const void *b)
{
	const found_file *x = a, *y = b;
	return strcmp(x->rel, y->rel);
}

/* Recursive search. Hidden entries (.git) and symbolic links to folders
 * are not followed; skip names a folder not to enter (OUT inside DIR). */
void build_search(const at_cli *c, const char *root, const char *rel,
		   const char *skip, found *f)
{
	char *dir = *rel ? at_path_join(root, rel) : strdup(root);
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d) {
		free(dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *child_rel = *rel ? at_path_join(rel, e->d_name) : strdup(e->d_name);
		char *child = child_rel ? at_path_join(root, child_rel) : NULL;
		struct stat st;
		if (!child || fstatat(dirfd(d), e->d_name, &st,
				      AT_SYMLINK_NOFOLLOW) != 0) {
			free(child_rel);
			free(child);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!skip || strcmp(child, skip) != 0)
				build_search(c, root, child_rel, skip, f);
			free(child_rel);
		} else if (S_ISREG(st.st_mode) && has_yaml_ext(e->d_name)) {
			size_t keys;
			if (known_session(f, child_rel, child, &st) ||
			    declares_atelier(dirfd(d), e->d_name, &keys)) {
				add_found(f, child_rel, &st);
				child_rel = NULL;
			} else if (keys >= 2) {
				add_found(f->lookalikes, child, &st);
				child = NULL;
			} else if (c->verbose) {
				build_say(stderr, child, _(": skipped: no top-level "
						     "'atelier:' key"));
			}
			free(child_rel);
		} else {
			free(child_rel);
		}
		free(child);
	}
	closedir(d);
	free(dir);
}

/* Jobs that write reports, ordered by where they write them, letters'
 * case aside (macOS and Windows checkouts ignore it), then by their
 * order on the command line. */
static int cmp_target(const void *a, const void *b)
{
	const job *x = *(const job *const *)a, *y = *(const job *const *)b;
	int c = strcasecmp(x->out_dir, y->out_dir);
	if (!c)
		c = strcasecmp(x->stem, y->stem);
	if (!c)
		c = strcmp(x->out_dir, y->out_dir);
	if (!c)
		c = strcmp(x->stem, y->stem);
	return c ? c : (x > y) - (x < y);
}

/* Two sessions writing the same reports would overwrite each other, and
 * two whose names differ only by case too on macOS and Windows. Sorted,
 * not compared pairwise: a repository holds tens of thousands. The pair
 * reported is the first one in the order of the jobs. */
static int check_pairs(const build *b)
{
	const job **v = malloc((b->n_jobs ? b->n_jobs : 1) * sizeof *v);
	if (!v) {
		fputs(_("atelier: out of memory\n"), stderr);
		return -1;
	}
	size_t n = 0;
	for (size_t i = 0; i < b->n_jobs; i++)
		if (b->jobs[i].out_dir)
			v[n++] = &b->jobs[i];
	qsort(v, n, sizeof *v, cmp_target);
	const job *x = NULL, *y = NULL;
	for (size_t i = 1; i < n; i++)
		if (strcasecmp(v[i]->out_dir, v[i - 1]->out_dir) == 0 &&
		    strcasecmp(v[i]->stem, v[i - 1]->stem) == 0 &&
		    (!x || v[i] < x)) {
			x = v[i];
			y = v[i - 1];
		}
	free(v);
	if (!x)
		return 0;
	int same = strcmp(x->out_dir, y->out_dir) == 0 &&
		   strcmp(x->stem, y->stem) == 0;
	fprintf(stderr,
		_("atelier: %s and %s would both write %s/%s.*%s: rename one, "
		  "or build them into different folders\n"),
		y->input, x->input, x->out_dir, x->stem,
		same ? "" : _(" on macOS and Windows, whose file names ignore "
			      "case"));
	return -1;
}

/* The longest file name atelier writes for a session: a report, a figure
 * copied beside it, or its rows for the workbook (".stem" and a suffix),
 * while it is still a temporary file. */
static size_t longest_name(const build *b, const job *j)
{
	size_t ext = build_copies_figures(b) ? AT_FIGCOPY_SUFFIX_MAX : 0;
	if (b->root_out && build_wants_book(b) &&
	    1 + strlen(AT_BOOKROWS_SUFFIX) > ext)
		ext = 1 + strlen(AT_BOOKROWS_SUFFIX);
	for (size_t i = 0; i < b->n_sel; i++) {
		size_t k = 1 + strlen(b->sel[i]->ext);
		ext = k > ext ? k : ext;
	}
	return strlen(j->stem) + ext + strlen(AT_TMP_TEMPLATE);
}

/* Names a session cannot have: one that would write OUT's index or
 * workbook (at OUT's root, case aside), or one too long for a folder
 * entry once atelier's suffixes are added. */
static int check_names(const build *b)
{
	for (size_t i = 0; i < b->n_jobs; i++) {
		const job *j = &b->jobs[i];
		if (!j->out_dir)
			continue;
		size_t len = longest_name(b, j);
		if (len > NAME_MAX) {
			fprintf(stderr,
				"atelier: %s: a name too long for the reports "
				"(%zu bytes with atelier's suffixes, %d at "
				"most): shorten it by %zu\n",
				j->input, len, NAME_MAX,
				len - (size_t)NAME_MAX);
			return -1;
		}
		if (!b->root_out || (strcasecmp(j->stem, AT_INDEX_STEM) != 0 &&
				     strcasecmp(j->stem, AT_BOOK_STEM) != 0))
			continue; /* (the name first: cheaper than a path) */
		at_buf rel;
		at_buf_init(&rel);
		int root = at_path_rel(&rel, b->root_out, j->out_dir) == 0 &&
			   rel.len == 0;
		at_buf_free(&rel);
		if (root) {
			fprintf(stderr,
				"atelier: %s would write %s/%s.*, where the "
				"folder build writes its index (%s.html, %s.md) "
				"and its workbook (%s): rename it, or move it "
				"into a folder\n",
				j->input, j->out_dir, j->stem, AT_INDEX_STEM,
				AT_INDEX_STEM, AT_BOOK_NAME);
			return -1;
		}
	}
	return 0;
}

int build_check_collisions(const build *b)
{
	return check_names(b) || check_pairs(b);
}

/* A YAML file with a session's top-level keys but no `atelier:` is a
 * session its author forgot to declare: skipped, it would never be
 * published and nobody would notice. A warning says which line to add;
 * it counts in the summary, and fails the build with --werror. */
void build_warn_lookalikes(build *b, found *look)
{
	if (look->n)
		qsort(look->v, look->n, sizeof *look->v, build_cmp_found);
	for (size_t i = 0; i < look->n; i++) {
		at_diags d;
		at_diags_init(&d);
		at_diag_add(&d, AT_WARNING, "no-atelier-key", (at_pos){1, 1}, 1,
			    "this file looks like a session but has no "
			    "top-level 'atelier:' key, so it is not built: add "
			    "the line 'atelier: 1' at its top");
		if (b->c->werror)
			at_diags_promote_warnings(&d);
		at_cli_report(b->c, look->v[i].rel, NULL, &d, stderr, stdout);
		b->found_warnings += d.warnings;
		if (d.errors)
			b->found_rc = AT_EXIT_INPUT;
		at_diags_free(&d);
	}
	build_free_found(look);
}
