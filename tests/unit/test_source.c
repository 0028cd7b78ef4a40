/* test_source.c: what keeps a large file's memory down: arena chunks
 * given back once released (arena.c), the tree releasing what the binder
 * is done with (load.c), and a checked file's text read again from the
 * file for positions and excerpts instead of being kept (read.c,
 * document.c), with the same lines, positions and excerpts as from memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arena.h"
#include "load.h"
#include "read.h"

/* ---- arena.c ---- */

static void released_chunks_go_back(at_arena *a)
{
	enum { N = 20000 }; /* several chunks, mapped or not */
	void **p = malloc(N * sizeof *p);
	assert_non_null(p);
	for (size_t i = 0; i < N; i++)
		assert_non_null(p[i] = at_arena_alloc(a, 48));
	size_t chunks = a->n_chunks;
	assert_true(chunks > 1);
	/* All but the first: every chunk goes but the first one's. */
	for (size_t i = 1; i < N; i++)
		assert_int_equal(at_arena_release(a, p[i], 48), 0);
	assert_int_equal(a->n_chunks, 1);
	assert_int_equal(a->used, 48);
	assert_int_equal(at_arena_release(a, p[0], 48), 0);
	assert_int_equal(a->n_chunks, 0);
	assert_int_equal(a->used, 0);
	/* Twice, or what the arena never gave: refused. */
	assert_int_equal(at_arena_release(a, p[0], 48), -1);
	int local;
	assert_int_equal(at_arena_release(a, &local, sizeof local), -1);
	/* The arena still serves after all its chunks went. */
	assert_non_null(at_arena_alloc(a, 1 << 20));
	assert_int_equal(a->n_chunks, 1);
	free(p);
}

static void arena_gives_back_whole_chunks(void **state)
{
	(void)state;
	at_arena a;
	at_arena_init(&a);
	released_chunks_go_back(&a);
	at_arena_free(&a);
	at_arena_init_mapped(&a);
	released_chunks_go_back(&a);
	at_arena_free(&a);
}

static void texts_are_packed(void **state)
{
	(void)state;
	at_arena a;
	at_arena_init(&a);
	char *x = at_arena_strdup(&a, "ab");
	char *y = at_arena_strdup(&a, "cd");
	assert_ptr_equal(y, x + 3);
	/* Memory after a text is aligned again, and zeroed. */
	unsigned char *z = at_arena_alloc(&a, 24);
	assert_int_equal((uintptr_t)z % _Alignof(max_align_t), 0);
	for (size_t i = 0; i < 24; i++)
		assert_int_equal(z[i], 0);
	at_arena_free(&a);
}

/* ---- load.c: releasing the tree ---- */

static at_source text_source(const char *text)
{
	at_source src = {.data = (char *)text, .len = strlen(text)};
	return src;
}

static void released_items_free_the_tree(void **state)
{
	(void)state;
	/* Enough items for the list to span many chunks. */
	size_t n = 20000;
	char *text = malloc(n * 48 + 64);
	assert_non_null(text);
	char *p = text + sprintf(text, "list:\n");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "  - {text: item %zu, by: [a, b]}\n", i);
	at_source src = text_source(text);
	at_limits lim;
	at_limits_default(&lim);
	at_arena texts;
	at_arena_init(&texts);
	at_diags d;
	at_diags_init(&d);
	at_tree t;
	assert_int_equal(at_load_tree(&src, &lim, &texts, &t, &d), AT_OK);
	assert_false(t.shared);
	size_t before = t.nodes.n_chunks;
	const at_node *list = t.root->u.map.v[0].value;
	assert_int_equal(list->u.seq.n, n);
	const char *last = list->u.seq.v[n - 1]->u.map.v[0].value->u.scalar.s;
	for (size_t i = 0; i < n; i++)
		at_tree_release(&t, list->u.seq.v[i]);
	/* Left: the chunks of the root, its pair, the key, the list and its
	 * array of children. */
	assert_true(t.nodes.n_chunks <= 3 && t.nodes.n_chunks < before / 4);
	/* The texts stay: the session points at them. */
	assert_string_equal(last, "item 19999");
	assert_string_equal(t.root->u.map.v[0].key->u.scalar.s, "list");
	at_tree_free(&t);
	at_arena_free(&texts);
	at_diags_free(&d);
	free(text);
}

static void a_tree_with_aliases_keeps_its_nodes(void **state)
{
	(void)state;
	at_source src = text_source("a: &x [1, 2]\nb: *x\n");
	at_limits lim;
	at_limits_default(&lim);
	at_arena texts;
	at_arena_init(&texts);
	at_diags d;
	at_diags_init(&d);
	at_tree t;
	assert_int_equal(at_load_tree(&src, &lim, &texts, &t, &d), AT_OK);
	assert_true(t.shared);
	size_t used = t.nodes.used;
	at_tree_release(&t, t.root->u.map.v[0].value);
	assert_int_equal(t.nodes.used, used);
	const at_node *b = t.root->u.map.v[1].value;
	assert_string_equal(b->u.seq.v[1]->u.scalar.s, "2");
	at_tree_free(&t);
	at_arena_free(&texts);
	at_diags_free(&d);
}

/* ---- read.c: the text read again from its file ---- */

typedef struct temp {
	char path[64];
	char *text; /* as written */
	size_t len;
} temp;

static void write_temp(temp *t, const char *text, size_t len)
{
	strcpy(t->path, "/tmp/atelier-test-source-XXXXXX");
	int fd = mkstemp(t->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	t->text = malloc(len + 1);
	assert_non_null(t->text);
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	t->len = len;
}

static void remove_temp(temp *t)
{
	unlink(t->path);
	free(t->text);
}

/* A text of many lines, some long, with characters of 1 to 4 bytes and
 * CRLF line ends, so that windows of the file cut through all of them. */
static char *mixed_text(size_t *len)
{
	size_t cap = 3u << 20;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t n = (size_t)sprintf(s, "\xEF\xBB\xBF");
	for (unsigned i = 0; n < cap - 200000; i++) {
		n += (size_t)sprintf(s + n, "k%u: é€𝄞 %u", i, i * 7);
		if (i % 97 == 0)
			for (unsigned k = 0; k < 3000 + i % 5; k++)
				n += (size_t)sprintf(s + n, "ü");
		n += (size_t)sprintf(s + n, i % 2 ? "\r\n" : "\n");
	}
	*len = n;
	return s;
}

static void file_text_reads_like_memory(void **state)
{
	(void)state;
	size_t len;
	char *text = mixed_text(&len);
	temp t;
	write_temp(&t, text, len);
	at_diags d;
	at_diags_init(&d);
	at_source file, mem;
	assert_int_equal(at_source_read(t.path, 64u << 20, &file, &d), AT_OK);
	assert_int_equal(at_source_from_buffer(text, len, 64u << 20, &mem, &d),
			 AT_OK);
	assert_non_null(file.file);
	at_source_drop_text(&file);
	assert_null(file.data);
	assert_int_equal(file.len, mem.len);
	at_source_view fv, mv;
	at_view_init(&fv, &file);
	at_view_init(&mv, &mem);
	for (size_t off = 0; off < mem.len; off += 65521) {
		at_pos a = at_view_pos(&fv, off), b = at_view_pos(&mv, off);
		assert_int_equal(a.line, b.line);
		assert_int_equal(a.col, b.col);
		size_t to = off + 300007 < mem.len ? off + 300007 : mem.len;
		assert_int_equal(at_view_count(&fv, off, to),
				 at_view_count(&mv, off, to));
		assert_int_equal(at_view_find(&fv, off, '\n'),
				 at_view_find(&mv, off, '\n'));
	}
	at_view_free(&fv);
	at_view_free(&mv);
	at_source_lines fl, ml;
	at_lines_init(&fl, &file);
	at_lines_init(&ml, &mem);
	for (uint32_t n = 1;; n += 13) {
		size_t a = 0, b = 0;
		const char *x = at_lines_get(&fl, n, &a);
		const char *y = at_lines_get(&ml, n, &b);
		assert_true(!x == !y);
		if (!x)
			break;
		assert_int_equal(a, b);
		assert_memory_equal(x, y, a);
	}
	at_lines_free(&fl);
	at_lines_free(&ml);
	at_source_free(&file);
	at_source_free(&mem);
	at_diags_free(&d);
	remove_temp(&t);
	free(text);
}

static void a_changed_file_gives_no_excerpt(void **state)
{
	(void)state;
	temp t;
	write_temp(&t, "a: 1\nb: 2\n", 10);
	at_diags d;
	at_diags_init(&d);
	at_source src;
	assert_int_equal(at_source_read(t.path, 1000, &src, &d), AT_OK);
	at_source_drop_text(&src);
	assert_false(at_source_changed(&src));
	at_source_lines l;
	at_lines_init(&l, &src);
	size_t len;
	const char *line = at_lines_get(&l, 2, &len);
	assert_non_null(line);
	assert_memory_equal(line, "b: 2", 4);
	at_lines_free(&l);
	FILE *f = fopen(t.path, "a");
	assert_non_null(f);
	fputs("c: 3\n", f);
	fclose(f);
	assert_true(at_source_changed(&src));
	at_lines_init(&l, &src);
	assert_null(at_lines_get(&l, 2, &len));
	at_lines_free(&l);
	at_source_free(&src);
	at_diags_free(&d);
	remove_temp(&t);
}

/* ---- document.c: excerpts from the file ---- */

static char *render(const at_document *doc, const at_diags *d,
		    const char *src, size_t len)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	assert_non_null(f);
	at_render_opts o = {0, 1};
	if (doc)
		at_document_render(doc, d, f, "s.yaml", &o);
	else
		at_diags_render(d, f, "s.yaml", src, len, &o);
	fclose(f);
	return out;
}

static void excerpts_come_from_the_file(void **state)
{
	(void)state;
	static const char text[] =
		"\xEF\xBB\xBF" "atelier: 1\r\ntitle: T\r\ndate: 2024-02-30\r\n"
		"lang: de\r\nquestions:\r\n  - id: q1\r\n    titel: Q\r\n";
	temp t;
	write_temp(&t, text, sizeof text - 1);
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	assert_int_equal(at_document_load_file(t.path, NULL, &doc, &d),
			 AT_EINPUT);
	assert_true(d.n >= 3);
	size_t len;
	assert_null(at_document_source(doc, &len)); /* not kept */
	at_diags_sort(&d);
	char *from_file = render(doc, &d, NULL, 0);
	char *from_memory = render(NULL, &d, text + 3, sizeof text - 4);
	assert_string_equal(from_file, from_memory);
	assert_non_null(strstr(from_file, "    4 | lang: de\n"));
	free(from_file);
	free(from_memory);
	at_document_free(doc);
	at_diags_free(&d);
	remove_temp(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_gives_back_whole_chunks),
		cmocka_unit_test(texts_are_packed),
		cmocka_unit_test(released_items_free_the_tree),
		cmocka_unit_test(a_tree_with_aliases_keeps_its_nodes),
		cmocka_unit_test(file_text_reads_like_memory),
		cmocka_unit_test(a_changed_file_gives_no_excerpt),
		cmocka_unit_test(excerpts_come_from_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
