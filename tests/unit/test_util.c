/* test_util.c: the shared helpers every module uses instead of its own
 * copy: path.c (folder, stem, join) and sorted.c (binary search). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "path.h"
#include "sorted.h"

static void dir_is(const char *path, const char *want)
{
	char *d = at_path_dir_dup(path);
	assert_non_null(d);
	assert_string_equal(d, want);
	free(d);
}

static void folder_of_a_path(void **state)
{
	(void)state;
	dir_is("a/b.yaml", "a");
	dir_is("a/b/c.yaml", "a/b");
	dir_is("b.yaml", ".");
	dir_is("/b.yaml", "/");
	dir_is("", ".");
	size_t n;
	const char *p = "x/y";
	assert_ptr_equal(at_path_dir(p, &n), p);
	assert_int_equal(n, 1);
}

static void stem_and_join(void **state)
{
	(void)state;
	char *s = at_path_stem("dir/moulins.yaml");
	assert_string_equal(s, "moulins");
	free(s);
	s = at_path_stem("-");
	assert_string_equal(s, "stdin");
	free(s);
	s = at_path_stem("dir/.hidden");
	assert_string_equal(s, ".hidden");
	free(s);
	s = at_path_join("out/", "x");
	assert_string_equal(s, "out/x");
	free(s);
	s = at_path_join(".", "x");
	assert_string_equal(s, "x");
	free(s);
}

static int int_vs(const void *key, const void *e)
{
	int x = *(const int *)key, y = *(const int *)e;
	return (x > y) - (x < y);
}

static void binary_search_bounds(void **state)
{
	(void)state;
	const int v[] = {1, 3, 3, 3, 7};
	size_t n = sizeof v / sizeof *v;
	int k = 3;
	assert_int_equal(at_lower_bound(v, n, sizeof *v, &k, int_vs), 1);
	assert_int_equal(at_upper_bound(v, n, sizeof *v, &k, int_vs), 4);
	/* The first of equals. */
	assert_ptr_equal(at_find_sorted(v, n, sizeof *v, &k, int_vs), &v[1]);
	k = 4;
	assert_null(at_find_sorted(v, n, sizeof *v, &k, int_vs));
	assert_int_equal(at_lower_bound(v, n, sizeof *v, &k, int_vs), 4);
	k = 9;
	assert_int_equal(at_lower_bound(v, n, sizeof *v, &k, int_vs), n);
	assert_null(at_find_sorted(v, n, sizeof *v, &k, int_vs));
	k = 0;
	assert_int_equal(at_upper_bound(v, n, sizeof *v, &k, int_vs), 0);
	assert_null(at_find_sorted(NULL, 0, sizeof *v, &k, int_vs));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(folder_of_a_path),
		cmocka_unit_test(stem_and_join),
		cmocka_unit_test(binary_search_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
