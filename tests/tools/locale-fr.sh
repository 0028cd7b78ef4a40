#!/bin/sh
# locale-fr.sh: generates the French locale (fr_FR.UTF-8) the tests of
# French messages run in, when the system does not have it yet (Debian's
# `locales` package holds its source; as root, or through sudo).
if locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
	echo "make deps: the locale fr_FR.UTF-8 is there"
	exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
echo "generating the locale fr_FR.UTF-8"
$SUDO localedef -i fr_FR -f UTF-8 fr_FR.UTF-8
