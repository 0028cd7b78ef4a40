/* i18n.h: the language of messages, through GNU gettext (domain
 * "atelier", po/). Message ids are the English texts. at_diag_add
 * translates its format itself: a stage writes its messages in English
 * and marks nothing; _() is for the other texts, N_() marks a text
 * translated where it is used. */
#ifndef ATELIER_I18N_H
#define ATELIER_I18N_H

#include <libintl.h>

#define AT_TEXTDOMAIN "atelier"
#define _(s) dgettext(AT_TEXTDOMAIN, s)
#define N_(s) s
/* One of two texts by the number n ("1 error", "2 errors"). */
#define P_(one, many, n) dngettext(AT_TEXTDOMAIN, one, many, n)

/* Chooses the language of messages: force "fr" or "en", or NULL for the
 * locale's, as GNU programs do (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
 * Only LC_MESSAGES changes: numbers, character classes and every output
 * stay the same whatever the locale. The catalogue is looked for beside
 * the executable (build/locale, uninstalled) and in ../share/locale from
 * it (installed). -1 when force is neither fr nor en. */
int at_i18n_init(const char *force);

/* The language of messages chosen, "fr" or "en": what `atelier init`
 * writes its template in by default. */
const char *at_i18n_lang(void);

#endif
