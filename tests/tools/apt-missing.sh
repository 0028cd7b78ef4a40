#!/bin/sh
# apt-missing.sh WHAT PKG...: installs the Debian packages of the list that
# are not installed yet (as root, or through sudo); says so when none is
# missing. Serves `make deps` and `make bench-deps`.
what=$1
shift
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "make $what: everything is installed"
	exit 0
fi
echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
# shellcheck disable=SC2086 # the list is meant to split into words
$SUDO apt-get update -qq &&
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends $missing
