/* test_text.c: the text layer (text.h): one parse, then HTML, Markdown,
 * plain text and styled runs that agree; GFM's strikethrough, autolinks
 * and tables; block marks at the start of an inline text kept as text in
 * every rendering; the one HTML and the one Markdown escaper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

typedef int (*render_fn)(at_text *t, at_buf *out);

static int html(at_text *t, at_buf *out)
{
	return at_text_html(t, out);
}

static int plain(at_text *t, at_buf *out)
{
	return at_text_plain(t, out);
}

static int md(at_text *t, at_buf *out)
{
	return at_text_md(t, out, 0, 0, NULL, NULL);
}

static void renders(render_fn fn, at_text_kind kind, const char *src,
		    const char *want)
{
	at_text *t = at_text_parse(src, kind);
	assert_non_null(t);
	at_buf b;
	at_buf_init(&b);
	assert_int_equal(fn(t, &b), 0);
	assert_string_equal(at_buf_cstr(&b), want);
	at_buf_free(&b);
	at_text_free(t);
}

static void strikethrough_in_every_format(void **state)
{
	(void)state;
	const char *s = "~~Contraintes~~ levées";
	renders(html, AT_TEXT_INLINE, s, "<del>Contraintes</del> levées");
	renders(plain, AT_TEXT_INLINE, s, "Contraintes levées");
	renders(md, AT_TEXT_INLINE, s, "~~Contraintes~~ levées");
}

static void bare_urls_are_links(void **state)
{
	(void)state;
	const char *s = "Voir http://www.agrilocal63.fr/ et www.x.fr";
	renders(html, AT_TEXT_INLINE, s,
		"Voir <a href=\"http://www.agrilocal63.fr/\">"
		"http://www.agrilocal63.fr/</a> et "
		"<a href=\"http://www.x.fr\">www.x.fr</a>");
	/* Plain text shows the URL once, as written. */
	renders(plain, AT_TEXT_INLINE, s, s);
	/* Markdown keeps the bare URL, a GFM autolink; <url> stays <url>. */
	renders(md, AT_TEXT_INLINE, s, s);
	renders(md, AT_TEXT_INLINE, "Voir <http://a.fr/>", "Voir <http://a.fr/>");
}

static void the_link_policy_holds_for_every_link(void **state)
{
	(void)state;
	const char *s = "[clic](javascript:alert(1)) et [ok](https://a.fr)";
	renders(html, AT_TEXT_INLINE, s,
		"<a href=\"\">clic</a> et <a href=\"https://a.fr\">ok</a>");
	renders(plain, AT_TEXT_INLINE, s, "clic et ok (https://a.fr)");
	renders(md, AT_TEXT_INLINE, s, "clic et [ok](https://a.fr)");
	/* Entities decoded before deciding. */
	renders(plain, AT_TEXT_INLINE, "[x](&#106;avascript:alert(1))", "x");
}

static const char table[] = "Avant\n\n| Qui | Quoi |\n|---|---|\n"
			    "| Ana | *tout* |\n| Léo | rien |\n";

static void tables_in_block_texts(void **state)
{
	(void)state;
	at_text *t = at_text_parse(table, AT_TEXT_BLOCK);
	at_buf b;
	at_buf_init(&b);
	assert_int_equal(at_text_html(t, &b), 0);
	assert_non_null(strstr(at_buf_cstr(&b), "<table>"));
	assert_non_null(strstr(at_buf_cstr(&b), "<th>Qui</th>"));
	assert_non_null(strstr(at_buf_cstr(&b), "<td><em>tout</em></td>"));
	at_buf_clear(&b);
	assert_int_equal(at_text_plain(t, &b), 0);
	assert_string_equal(at_buf_cstr(&b),
			    "Avant\nQui | Quoi\nAna | tout\nLéo | rien");
	at_buf_clear(&b);
	assert_int_equal(at_text_md(t, &b, 0, 0, NULL, NULL), 0);
	assert_string_equal(at_buf_cstr(&b),
			    "Avant\n\n| Qui | Quoi |\n| --- | --- |\n"
			    "| Ana | *tout* |\n| Léo | rien |");
	at_buf_free(&b);
	at_text_free(t);
	/* An inline text reads no table: its pipes are text. */
	renders(html, AT_TEXT_INLINE, "a | b\n|---|---|", "a | b\n|---|---|");
}

/* What starts an inline text as a block mark is text, alike everywhere. */
static void block_marks_in_inline_texts_are_text(void **state)
{
	(void)state;
	static const struct {
		const char *src, *html, *md;
	} cases[] = {
		{"#### Titre", "#### Titre", "\\#\\#\\#\\# Titre"},
		{"> cité", "&gt; cité", "\\> cité"},
		{"- puce", "- puce", "\\- puce"},
		{"1. un", "1. un", "1\\. un"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		renders(html, AT_TEXT_INLINE, cases[i].src, cases[i].html);
		renders(plain, AT_TEXT_INLINE, cases[i].src, cases[i].src);
		renders(md, AT_TEXT_INLINE, cases[i].src, cases[i].md);
	}
	/* Nor does a second line underline the first into a heading. */
	renders(html, AT_TEXT_INLINE, "Titre\n--", "Titre\n--");
	renders(html, AT_TEXT_INLINE, "Titre\n=", "Titre\n=");
	/* The same text as a block text is a heading. */
	renders(html, AT_TEXT_BLOCK, "#### Titre", "<h4>Titre</h4>");
}

static void shorthands_keep_their_contracts(void **state)
{
	(void)state;
	at_buf b;
	at_buf_init(&b);
	assert_int_equal(at_md_html(&b, "*a* ~~b~~", 1), 0);
	assert_string_equal(at_buf_cstr(&b), "<em>a</em> <del>b</del>");
	at_buf_clear(&b);
	assert_int_equal(at_md_html(&b, "*a*", 0), 0);
	assert_string_equal(at_buf_cstr(&b), "<p><em>a</em></p>");
	at_buf_clear(&b);
	assert_int_equal(at_md_plain(&b, "# T\n\n- **a**\n- b\x01"), 0);
	assert_string_equal(at_buf_cstr(&b), "T\na\nb\xEF\xBF\xBD");
	at_buf_clear(&b);
	assert_int_equal(at_md_plain_inline(&b, "# T"), 0);
	assert_string_equal(at_buf_cstr(&b), "# T");
	at_buf_free(&b);
}

/* Plain sentences skip the parse (at_md_inline, at_md_html): the bytes
 * must be those of the parse, on the edges of that shortcut. */
static void shortcuts_give_the_parsed_bytes(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"Covoiturage entre collègues", "Oui ! Coût : 3 €", "Voir www.x.fr",
		"Écrire à a@b.fr", "Il dit \"oui\"", "l'été", "Horaires  décalés",
		"a ~ b", "C'est http://x.fr/", "Prix (moyen) 5 % + taxes"};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		at_text *t = at_text_parse(samples[i], AT_TEXT_INLINE);
		at_buf want, got;
		at_buf_init(&want);
		at_buf_init(&got);
		assert_int_equal(at_text_html(t, &want), 0);
		assert_int_equal(at_md_html(&got, samples[i], 1), 0);
		assert_string_equal(at_buf_cstr(&got), at_buf_cstr(&want));
		at_buf_clear(&want);
		at_buf_clear(&got);
		assert_int_equal(at_text_md(t, &want, 0, 0, NULL, NULL), 0);
		assert_int_equal(at_md_inline(&got, samples[i], 0), 0);
		assert_string_equal(at_buf_cstr(&got), at_buf_cstr(&want));
		at_buf_free(&want);
		at_buf_free(&got);
		at_text_free(t);
	}
}

/* ---- runs ---- */

typedef struct log {
	at_buf b;
} log;

static int record(void *ctx, const at_run *r)
{
	at_buf *b = &((log *)ctx)->b;
	static const char *const names[] = {
		"text", "br", "p", "/p", "h", "/h", "li", "/li", "quote",
		"/quote", "code", "/code", "hr", "table", "/table", "tr", "/tr",
		"td", "/td"};
	at_buf_printf(b, "%s", names[r->ev]);
	switch (r->ev) {
	case AT_EV_TEXT:
		at_buf_printf(b, "[%.*s", (int)r->len, r->text);
		if (r->flags & AT_RUN_BOLD)
			at_buf_puts(b, "|b");
		if (r->flags & AT_RUN_ITALIC)
			at_buf_puts(b, "|i");
		if (r->flags & AT_RUN_CODE)
			at_buf_puts(b, "|c");
		if (r->flags & AT_RUN_STRIKE)
			at_buf_puts(b, "|s");
		if (r->url)
			at_buf_printf(b, "|%s", r->url);
		at_buf_puts(b, "]");
		break;
	case AT_EV_HEADING:
		at_buf_printf(b, "%d", r->level);
		break;
	case AT_EV_ITEM:
		at_buf_printf(b, "%d", r->level);
		if (r->ordered)
			at_buf_printf(b, "#%d", r->number);
		break;
	case AT_EV_TABLE:
		at_buf_printf(b, "%d", r->columns);
		break;
	case AT_EV_ROW:
		at_buf_puts(b, r->header ? "h" : "");
		break;
	case AT_EV_CELL:
		at_buf_printf(b, "%d", r->column);
		break;
	default:
		break;
	}
	at_buf_putc(b, ' ');
	return 0;
}

static void runs_are(at_text_kind kind, const char *src, const char *want)
{
	at_text *t = at_text_parse(src, kind);
	assert_non_null(t);
	log l;
	at_buf_init(&l.b);
	assert_int_equal(at_text_runs(t, record, &l), 0);
	assert_string_equal(at_buf_cstr(&l.b), want);
	at_buf_free(&l.b);
	at_text_free(t);
}

static void runs_carry_styles_and_links(void **state)
{
	(void)state;
	runs_are(AT_TEXT_INLINE,
		 "a **b *c*** `d` ~~e~~ [f **g**](https://h.fr) "
		 "[x](javascript:y) ***i** j*",
		 "p text[a ] text[b |b] text[c|b|i] text[ ] text[d|c] "
		 "text[ ] text[e|s] text[ ] text[f |https://h.fr] "
		 "text[g|b|https://h.fr] text[ ] text[x] text[ ] "
		 "text[i|b|i] text[ j|i] /p ");
	/* Nested spans of one style: the outer one still holds after. */
	runs_are(AT_TEXT_INLINE, "**a **b** c**",
		 "p text[a |b] text[b|b] text[ c|b] /p ");
}

static void runs_mark_blocks(void **state)
{
	(void)state;
	runs_are(AT_TEXT_BLOCK, "## T\n\n- a\n  1. b\n  2. c\n\n> q\\\nr",
		 "h2 text[T] /h li1 p text[a] /p li2#1 p text[b] /p /li "
		 "li2#2 p text[c] /p /li /li quote p text[q] br text[r] /p "
		 "/quote ");
	runs_are(AT_TEXT_BLOCK, "```\nx = 1\n```\n\n---\n\n<div>raw</div>",
		 "code text[x = 1\n|c] /code hr p text[<div>raw</div>\n] /p ");
	runs_are(AT_TEXT_BLOCK, "| A | B |\n|---|---|\n| 1 | 2 |",
		 "table2 trh td0 text[A] /td td1 text[B] /td /tr "
		 "tr td0 text[1] /td td1 text[2] /td /tr /table ");
}

static int stop_at_second(void *ctx, const at_run *r)
{
	(void)r;
	return ++*(int *)ctx == 2 ? 7 : 0;
}

static void runs_stop_when_asked(void **state)
{
	(void)state;
	at_text *t = at_text_parse("a *b* c", AT_TEXT_INLINE);
	int calls = 0;
	assert_int_equal(at_text_runs(t, stop_at_second, &calls), 7);
	assert_int_equal(calls, 2);
	at_text_free(t);
}

/* ---- escapers ---- */

static void md_escape_is(const char *s, const char *want)
{
	at_buf b;
	at_buf_init(&b);
	at_md_escape(&b, s);
	assert_string_equal(at_buf_cstr(&b), want);
	at_buf_free(&b);
}

static void md_escape_escapes_only_markup(void **state)
{
	(void)state;
	md_escape_is("Saint-Gervais (63)", "Saint-Gervais (63)");
	md_escape_is("Chamalières. Riom!", "Chamalières. Riom!");
	md_escape_is("- liste", "\\- liste");
	md_escape_is("+ plus", "\\+ plus");
	md_escape_is("-5 °C", "-5 °C");
	md_escape_is("# titre", "\\# titre");
	md_escape_is("#3 rue", "#3 rue");
	md_escape_is("1. un", "1\\. un");
	md_escape_is("2016) deux", "2016\\) deux");
	md_escape_is("> cité", "\\> cité");
	md_escape_is("a > b < c", "a > b < c");
	md_escape_is("<b>gras</b>", "\\<b>gras\\</b>");
	md_escape_is("*x* _y_ snake_case 3 * 4", "\\*x\\* \\_y\\_ snake_case 3 * 4");
	md_escape_is("[lien](u) `c` a|b ~~s~~", "\\[lien\\](u) \\`c\\` a\\|b \\~\\~s\\~\\~");
	md_escape_is("R&D &amp; co", "R&D \\&amp; co");
	md_escape_is("C:\\dir \\*", "C:\\dir \\\\\\*");
	md_escape_is("Titre #", "Titre \\#");
	md_escape_is("  deux\nlignes\t ", "deux lignes");
	md_escape_is("---", "\\---");
	md_escape_is("--", "\\--");
	md_escape_is("=1+1", "=1+1");
	md_escape_is("####### sept", "####### sept");
}

static void html_escape_escapes_the_four(void **state)
{
	(void)state;
	at_buf b;
	at_buf_init(&b);
	const char *s = "a<b>&\"c' é";
	at_html_escape(&b, s, strlen(s));
	assert_string_equal(at_buf_cstr(&b), "a&lt;b&gt;&amp;&quot;c' é");
	at_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strikethrough_in_every_format),
		cmocka_unit_test(bare_urls_are_links),
		cmocka_unit_test(the_link_policy_holds_for_every_link),
		cmocka_unit_test(tables_in_block_texts),
		cmocka_unit_test(block_marks_in_inline_texts_are_text),
		cmocka_unit_test(shorthands_keep_their_contracts),
		cmocka_unit_test(shortcuts_give_the_parsed_bytes),
		cmocka_unit_test(runs_carry_styles_and_links),
		cmocka_unit_test(runs_mark_blocks),
		cmocka_unit_test(runs_stop_when_asked),
		cmocka_unit_test(md_escape_escapes_only_markup),
		cmocka_unit_test(html_escape_escapes_the_four),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
