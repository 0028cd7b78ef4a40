/* test_url.c: the links atelier writes from paths (url.h): relative to the
 * folder that holds them whatever the paths' spelling, and encoded so that
 * no name becomes a scheme, a query, a fragment or leaves its context. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "url.h"

static void rel_is(const char *from, const char *to, const char *want)
{
	at_buf b;
	at_buf_init(&b);
	assert_int_equal(at_path_rel(&b, from, to), 0);
	assert_string_equal(at_buf_cstr(&b), want);
	at_buf_free(&b);
}

static void url_is(const char *rel, const char *want)
{
	at_buf b;
	at_buf_init(&b);
	at_url_path(&b, rel);
	assert_string_equal(at_buf_cstr(&b), want);
	at_buf_free(&b);
}

static void relative_paths_ignore_how_folders_are_spelled(void **state)
{
	(void)state;
	rel_is("public", "public/2025/j.html", "2025/j.html");
	rel_is("public/", "public/2025/j.html", "2025/j.html");
	rel_is("./public", "public/./2025/j.html", "2025/j.html");
	rel_is("/srv/public/", "/srv/public//2025/j.html", "2025/j.html");
	rel_is(".", "a.md", "a.md");
	rel_is("out/a", "in/a/x.svg", "../../in/a/x.svg");
	rel_is("out/a/..", "out/b/x.svg", "b/x.svg");
	/* One absolute, one not: both made absolute against the cwd. */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	char abs[4200];
	snprintf(abs, sizeof abs, "%s/out", cwd);
	rel_is(abs, "out/x/y.md", "x/y.md");
	rel_is("out", strcat(abs, "/z.md"), "z.md");
}

static void every_segment_is_percent_encoded(void **state)
{
	(void)state;
	url_is("2025/jardins.html", "2025/jardins.html");
	url_is("javascript:alert(document.domain)/x.html",
	       "javascript%3Aalert%28document.domain%29/x.html");
	url_is("a b/\"q'<>|#?%&\\.md", "a%20b/%22q%27%3C%3E%7C%23%3F%25%26%5C.md");
	url_is("../é/-._~", "../%C3%A9/-._~");
	url_is("tab\there\n", "tab%09here%0A");
	url_is("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(relative_paths_ignore_how_folders_are_spelled),
		cmocka_unit_test(every_segment_is_percent_encoded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
