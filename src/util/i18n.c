/* i18n.c: choosing the language of messages and finding its catalogue. */
#define _POSIX_C_SOURCE 200809L
#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the catalogues are, from the executable's folder: the repository
 * root (./atelier), build/ (the sanitizer binary), PREFIX/bin. */
static const char *const catalogue_dirs[] = {"build/locale", "locale",
					     "../share/locale"};

static void find_catalogues(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return; /* gettext's own default, /usr/share/locale */
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	for (size_t i = 0; i < sizeof catalogue_dirs / sizeof *catalogue_dirs;
	     i++) {
		char dir[PATH_MAX], mo[PATH_MAX + 64];
		int w = snprintf(dir, sizeof dir, "%s/%s", exe,
				 catalogue_dirs[i]);
		if (w < 0 || (size_t)w >= sizeof dir)
			continue;
		snprintf(mo, sizeof mo, "%s/fr/LC_MESSAGES/%s.mo", dir,
			 AT_TEXTDOMAIN);
		if (access(mo, R_OK) == 0) {
			bindtextdomain(AT_TEXTDOMAIN, dir);
			return;
		}
	}
}

/* The locale the environment names for messages, as setlocale reads it. */
static const char *env_locale(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

/* gettext translates nothing in the C locale, whatever LANGUAGE says:
 * C.UTF-8, which every glibc system has, lets LANGUAGE choose. */
static void messages_in(const char *lang)
{
	setenv("LANGUAGE", lang, 1);
	const char *cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
}

const char *at_i18n_lang(void)
{
	/* TRANSLATORS: the code of this language (fr): atelier init writes
	 * its template in it. */
	return strcmp(_("en"), "fr") == 0 ? "fr" : "en";
}

int at_i18n_init(const char *force)
{
	find_catalogues();
	/* Whatever the locale's character set, the messages are UTF-8, as
	 * session files and reports are; so are the C library's own
	 * (strerror). */
	bind_textdomain_codeset(AT_TEXTDOMAIN, "UTF-8");
	bind_textdomain_codeset("libc", "UTF-8");
	if (force && strcmp(force, "en") == 0) {
		setlocale(LC_MESSAGES, "C");
		return 0;
	}
	if (force && strcmp(force, "fr") == 0) {
		setlocale(LC_MESSAGES, "");
		messages_in("fr");
		return 0;
	}
	if (force)
		return -1;
	if (setlocale(LC_MESSAGES, ""))
		return 0;
	/* A French locale the system does not have: the messages can
	 * still be French. */
	const char *name = env_locale();
	if (name && strncmp(name, "fr", 2) == 0 && !getenv("LANGUAGE"))
		messages_in("fr");
	return 0;
}
