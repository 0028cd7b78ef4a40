/* test_forcekey.c: the key the index groups a recurring force under
 * (at_force_key, forcekey.c): case and accents folded whether the text is
 * composed (NFC) or decomposed (NFD), letters of any script kept, anything
 * else one space between words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "index.h"

static void key_is(const char *text, const char *want)
{
	char *k = at_force_key(text);
	assert_non_null(k);
	assert_string_equal(k, want);
	free(k);
}

/* An "é" typed as e + U+0301 (as macOS names and some editors save it)
 * is the composed é: before utf8proc the combining accent separated the
 * word, and the two sessions were two forces. */
static void decomposed_and_composed_are_one_key(void **state)
{
	(void)state;
	key_is("R\xC3\xA9sistance au changement", "resistance au changement");
	key_is("Re\xCC\x81sistance au changement", "resistance au changement");
	key_is("RE\xCC\x81SISTANCE AU CHANGEMENT !", "resistance au changement");
	/* ç, ô, ï decomposed: cedilla, circumflex, diaeresis. */
	key_is("Franc\xCC\xA7" "ais, ho\xCC\x82" "tel, nai\xCC\x88" "f",
	       "francais hotel naif");
}

/* What the index always keyed so stays: the bench's trees and every
 * index written before keep their bytes. */
static void ascii_and_french_as_before(void **state)
{
	(void)state;
	key_is("  Hello,   World!! 42 ", "hello world 42");
	key_is("Une démarche « exemplaire » avec l'appui de la région",
	       "une demarche exemplaire avec l appui de la region");
	key_is("CŒUR de Cœur, ÆTHER", "coeur de coeur aether");
	key_is("ÉCOLE Élémentaire À Ïle", "ecole elementaire a ile");
	key_is("3 × 4 ÷ 2 ° ²", "3 4 2");
	key_is("", "");
	key_is("!?", "");
}

static void same_key(const char *a, const char *b)
{
	char *x = at_force_key(a), *y = at_force_key(b);
	assert_non_null(x);
	assert_non_null(y);
	assert_string_equal(x, y);
	assert_true(*x);
	free(x);
	free(y);
}

/* Scripts beyond Latin-1 are keyed by their letters, folded in case and
 * accents where they have them: before, a Greek or Cyrillic letter only
 * separated (no key at all), and CJK ran into the word before it. */
static void other_scripts_are_keyed_by_their_letters(void **state)
{
	(void)state;
	/* Greek: tonos stripped, final sigma folded with sigma. */
	key_is("Λόγος", "λογοσ");
	same_key("Αντίσταση στην ΑΛΛΑΓΉ", "αντισταση  στην αλλαγη");
	same_key("ΛΌΓΟΣ", "λογος");
	/* Cyrillic, and Latin beyond Latin-1 (Czech, Polish, German). */
	same_key("Сопротивление переменам", "СОПРОТИВЛЕНИЕ ПЕРЕМЕНАМ");
	key_is("Český Łódź Straße", "cesky łodz strasse");
	/* CJK: kept, its punctuation separates, a space stays a space. */
	key_is("抵抗、変化への 不安", "抵抗 変化への 不安");
	key_is("abc 日本", "abc 日本");
	key_is("變革阻力", "變革阻力");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decomposed_and_composed_are_one_key),
		cmocka_unit_test(ascii_and_french_as_before),
		cmocka_unit_test(other_scripts_are_keyed_by_their_letters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
