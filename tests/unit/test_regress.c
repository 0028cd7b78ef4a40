/* test_regress.c: unit regressions for bugs that fuzzing found in functions
 * that no file input can reach directly any more (tests/regress/README.md
 * lists the rest). Run under ASan by make unit-asan: an overflow fails it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "index.h"

/* fuzz_manifest: a text ending inside a UTF-8 sequence (here the lead byte
 * of a three-byte one) made at_force_key step over the terminating NUL. */
static void force_key_stops_at_a_truncated_sequence(void **state)
{
	(void)state;
	static const char *const texts[] = {"\xE5", "ab \xF0\x9F", "\xE2\x82",
					    "Re\xCC"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		/* Copied to the heap, exactly sized, so ASan sees the end. */
		size_t n = strlen(texts[i]) + 1;
		char *t = malloc(n);
		assert_non_null(t);
		memcpy(t, texts[i], n);
		char *key = at_force_key(t);
		assert_non_null(key);
		assert_true(strlen(key) <= strlen(t));
		free(key);
		free(t);
	}
}

static void force_key_folds_case_and_accents(void **state)
{
	(void)state;
	char *a = at_force_key("Résistance  au changement");
	char *b = at_force_key("resistance au CHANGEMENT");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(force_key_stops_at_a_truncated_sequence),
		cmocka_unit_test(force_key_folds_case_and_accents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
