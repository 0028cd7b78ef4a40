/* merge.c: `atelier merge DIR... -o OUT`, the step after a folder built in
 * parts (`atelier build --shard K/N`, one job of a CI matrix each). Each
 * part's OUT holds its sessions' reports, their rows for the workbook and
 * a manifest; the merge copies the reports into OUT and makes the index
 * and the workbook from what the manifests and rows files recorded,
 * without reading a session, so that OUT ends as one build of the whole
 * folder leaves it (tests/e2e/test_shard.py compares the bytes). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "book.h"
#include "buf.h"
#include "bookrows.h"
#include "build_int.h"
#include "i18n.h"
#include "index.h"
#include "manifest.h"
#include "output.h"
#include "path.h"
#include "readfile.h"

typedef struct merge {
	const at_cli *c;
	const char *out;
	at_manifest *m;      /* the whole folder's, as the parts recorded it */
	/* The parts' manifests, open until the end: the entries copied into
	 * m read their forces from the parts' files when the index asks. */
	at_manifest **parts;
	size_t n_parts;
	int book;            /* a part kept rows for the workbook */
	size_t copied;
	at_diags d;
} merge;

static at_status copy_fd(FILE *to, void *ctx)
{
	int fd = *(int *)ctx;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0 && fwrite(chunk, 1, (size_t)n, to) != (size_t)n)
			return AT_EIO;
	return n < 0 ? AT_EIO : AT_OK;
}

/* dst made a hard link to the file open as fd, replacing it whole: a
 * part's artifact and OUT are usually on one file system, and a link
 * costs neither the copy nor its fsync. The file linked is the one opened
 * and checked (through /proc, Linux's), never a name that could have been
 * swapped since. 0, or -1 when a link cannot be made (then copied). */
static int link_output(int fd, const char *dst)
{
	char src[64];
	snprintf(src, sizeof src, "/proc/self/fd/%d", fd);
	at_buf tmp;
	at_buf_init(&tmp);
	at_buf_printf(&tmp, "%s" AT_TMP_TEMPLATE, dst);
	int made = tmp.oom ? -1 : at_tmp_create(tmp.s, AT_TMP_SHARED);
	int rc = -1;
	if (made >= 0) {
		close(made);
		/* the name is ours until the rename: taken back for the link */
		unlink(tmp.s);
		rc = linkat(AT_FDCWD, src, AT_FDCWD, tmp.s, AT_SYMLINK_FOLLOW) ==
				     0 &&
			     rename(tmp.s, dst) == 0
			     ? 0
			     : -1;
		/* gone when renamed; still there when dst was already a link
		 * to src (then rename does nothing) */
		unlink(tmp.s);
		at_tmp_untrack(tmp.s);
	}
	at_buf_free(&tmp);
	return rc;
}

/* Whether path, resolved, lies inside the folder part, resolved: a
 * folder of a part replaced by a link to elsewhere (the runner's home)
 * would otherwise hand its files over to OUT, which gets published. */
static int inside_part(const char *part, const char *path)
{
	char *root = realpath(part, NULL), *real = realpath(path, NULL);
	size_t n = root ? strlen(root) : 0;
	int in = root && real && strncmp(real, root, n) == 0 &&
		 (real[n] == '/' || (n == 1 && root[0] == '/'));
	free(root);
	free(real);
	return in;
}

/* A part's output, opened: a regular file inside the part, reached
 * through no symbolic link (a part's folder is an artifact from another
 * job); -1 said. */
static int open_output(merge *g, const char *part, const char *rel)
{
	char *from = at_path_join(part, rel);
	struct stat st;
	int fd = from ? at_open_regular(from, AT_READ_NO_LINK, &st) : -1;
	if (fd >= 0 && !inside_part(part, from)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		at_diag_add(&g->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "cannot read %s, which its part's manifest names: "
			    "build that part again",
			    from ? from : rel);
	free(from);
	return fd;
}

/* One output of a part, into OUT at the same place, replaced whole. */
static int copy_output(merge *g, const char *part, const char *rel)
{
	char *to = at_path_join(g->out, rel);
	char *dir = to ? at_path_dir_dup(to) : NULL;
	const char *slash = to ? strrchr(to, '/') : NULL;
	int fd = open_output(g, part, rel);
	int rc = -1;
	if (fd >= 0 && dir && slash && at_path_make_dirs(dir) == 0 &&
	    (link_output(fd, to) == 0 ||
		    at_write_atomic_with(dir, slash + 1, copy_fd, &fd,
					 &g->d) == AT_OK)) {
		rc = 0;
		g->copied++;
		g->book |= strstr(rel, AT_BOOKROWS_SUFFIX) != NULL;
		if (g->c->verbose)
			build_say_wrote(stderr, to, NULL);
	}
	if (fd >= 0)
		close(fd);
	free(to);
	free(dir);
	return rc;
}

/* Whether a part's output can be taken: said when not, before anything
 * is written into OUT. */
static int readable(merge *g, const char *part, const char *rel)
{
	int fd = open_output(g, part, rel);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

/* Every output of every part into OUT, once all were found sound. */
static int copy_parts(merge *g, char **dirs)
{
	for (size_t i = 0; i < g->n_parts; i++) {
		at_manifest *p = g->parts[i];
		for (size_t k = 0; k < at_manifest_count(p); k++) {
			at_manifest_entry *e = at_manifest_at(p, k);
			for (size_t o = 0; o < at_manifest_entry_n_outputs(e); o++)
				if (copy_output(g, dirs[i],
						at_manifest_entry_output(e, o)))
					return -1;
		}
	}
	return 0;
}

/* A part's sessions into the whole: each in one part only, all parts
 * built with the same options. */
static int take_part(merge *g, const char *part)
{
	at_manifest *p = at_manifest_load_as_is(part, &g->d);
	if (p)
		g->parts[g->n_parts++] = p;
	if (!p) {
		at_diag_add(&g->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "%s holds no build manifest: build the part there "
			    "first (atelier build --shard K/N DIR -o %s)",
			    part, part);
		return -1;
	}
	int rc = 0;
	if (!g->m && !(g->m = at_manifest_new(at_manifest_options(p))))
		rc = -1;
	else if (at_manifest_options(p) != at_manifest_options(g->m)) {
		at_diag_add(&g->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
			    "%s was built with other options than the parts "
			    "before it: build every part with the same ones",
			    part);
		rc = -1;
	}
	for (size_t i = 0; !rc && i < at_manifest_count(p); i++) {
		at_manifest_entry *e = at_manifest_at(p, i);
		const char *key = at_manifest_entry_key(e);
		if (at_manifest_find(g->m, key)) {
			at_diag_add(&g->d, AT_ERROR, "io", (at_pos){0, 0}, 0,
				    "the session %s is in two parts (the second: "
				    "%s): give each part once",
				    key, part);
			rc = -1;
			break;
		}
		for (size_t k = 0; !rc && k < at_manifest_entry_n_outputs(e); k++)
			rc = readable(g, part, at_manifest_entry_output(e, k));
		if (!rc && at_manifest_put_copy(g->m, e, 0))
			rc = -1;
	}
	return rc;
}

static int forces_of(void *m, size_t i, const at_force_note **v, size_t *n)
{
	return at_manifest_forces(m, i, v, n);
}

/* The index, the workbook and the manifest of the whole. */
static int finish(merge *g)
{
	size_t n = 0;
	const at_summary *v = at_manifest_summaries(g->m, &n);
	if (!v)
		return -1;
	at_lang lang = at_index_lang(g->c->lang, v, n);
	if (at_index_write(g->out, v, n, forces_of, g->m, lang, g->book,
			   &g->d) != AT_OK)
		return -1;
	if (g->book) {
		at_book *bk = at_book_open(g->out, g->c->lang, &g->d);
		if (!bk)
			return -1;
		for (size_t i = 0; i < n; i++)
			build_book_add(bk, g->out, v[i].rel, &v[i]);
		if (at_book_close(bk, build_book_timestamp(v, n), 1) != AT_OK)
			return -1;
	}
	return at_manifest_save(g->m, g->out, &g->d) == AT_OK ? 0 : -1;
}

/* The reports of sessions that OUT had and no part has any more. */
static void prune(merge *g, at_manifest *before)
{
	for (size_t i = 0; before && i < at_manifest_count(before); i++) {
		at_manifest_entry *e = at_manifest_at(before, i);
		if (!at_manifest_find(g->m, at_manifest_entry_key(e)))
			at_manifest_entry_remove_outputs(e, g->out);
	}
}

/* what: already in the user's language. */
static int usage(const char *what)
{
	fprintf(stderr, "atelier: %s%s", what, _("\n(see 'atelier --help')\n"));
	return AT_EXIT_USAGE;
}

int at_cmd_merge(const at_cli *c, int argc, char **argv)
{
	if (!c->out_dir || strcmp(c->out_dir, "-") == 0)
		return usage(_("merge writes into a folder: give -o OUT"));
	if (argc < 1)
		return usage(_("merge needs the folders of the parts to join"));
	if (at_path_make_dirs(c->out_dir) != 0) {
		fprintf(stderr, _("atelier: cannot create folder %s: %s\n"),
			c->out_dir, strerror(errno));
		return AT_EXIT_USAGE;
	}
	char *out_real = realpath(c->out_dir, NULL);
	for (int i = 0; i < argc; i++) {
		char *r = realpath(argv[i], NULL);
		int same = r && out_real && strcmp(r, out_real) == 0;
		free(r);
		if (same) {
			free(out_real);
			return usage(_("OUT cannot be one of the parts: merge "
				       "into another folder"));
		}
	}
	free(out_real);
	int lock = build_lock_out(c->out_dir, 1);
	if (lock == -1)
		return AT_EXIT_USAGE;
	merge g;
	memset(&g, 0, sizeof g);
	g.c = c;
	g.out = c->out_dir;
	at_diags_init(&g.d);
	if (!(g.parts = calloc((size_t)argc, sizeof *g.parts))) {
		fputs(_("atelier: out of memory\n"), stderr);
		return AT_EXIT_USAGE;
	}
	at_manifest *before = at_manifest_load_as_is(c->out_dir, &g.d);
	int rc = 0;
	for (int i = 0; i < argc && !rc; i++)
		rc = take_part(&g, argv[i]);
	if (!rc)
		rc = copy_parts(&g, argv);
	if (!rc) {
		prune(&g, before);
		rc = finish(&g);
	}
	at_render_opts ro = {at_cli_color(c), 0};
	at_diags_render(&g.d, stderr, c->out_dir, NULL, 0, &ro);
	if (!rc)
		fprintf(stderr, _("%zu sessions from %d parts, %zu files copied\n"),
			g.m ? at_manifest_count(g.m) : 0, argc, g.copied);
	at_diags_free(&g.d);
	at_manifest_free(before);
	at_manifest_free(g.m);
	for (size_t i = 0; i < g.n_parts; i++)
		at_manifest_free(g.parts[i]);
	free(g.parts);
	if (lock >= 0)
		close(lock);
	return rc ? AT_EXIT_USAGE : 0;
}
