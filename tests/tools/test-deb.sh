#!/bin/sh
# test-deb.sh [--install]: builds the Debian package (make deb), has lintian
# find no error in it, and checks what it installs:
#   - the files of `make install` (compressed by Debian, plus copyright,
#     changelog and lintian overrides), and runtime libraries only in
#     Depends;
#   - the installed atelier is the tree's version, builds the example shipped
#     in its docs into the same bytes as ./atelier, prints the schema it
#     installs, and `man -w atelier` finds its man page.
# By default the package is unpacked into a scratch root (no root needed:
# make check-deb). With --install it is installed on this machine with
# apt-get, pulling its dependencies, and purged afterwards unless it was
# installed before (make check-deb-install; CI's machine is thrown away).
# Run from the top of the tree, after make.
set -eu
mode=${1:-}
tmp=$(mktemp -d)
top=$(pwd)
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
purge=
cleanup() {
	[ -z "$purge" ] || $SUDO dpkg --purge atelier >/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

make --no-print-directory deb >"$tmp/deb.log" 2>&1 || {
	tail -30 "$tmp/deb.log"
	fail "make deb"
}
set -- build/deb/atelier_*.deb
[ $# = 1 ] && [ -f "$1" ] || fail "make deb left no single build/deb/atelier_*.deb"
deb=$1

# What lintian still says (warnings, information) is shown, not failed on.
lint=0
lintian --fail-on error "$deb" >"$tmp/lintian" 2>&1 || lint=$?
grep -v 'running with root' "$tmp/lintian" || :
[ "$lint" = 0 ] || fail "lintian reports an error in $deb"

deps=$(dpkg-deb -f "$deb" Depends)
case "$deps" in *-dev*) fail "Depends names a -dev package: $deps" ;; esac
for lib in libyaml libcmark-gfm0 libcmark-gfm-extensions0 libxlsxwriter libc6; do
	case "$deps" in *"$lib"*) ;; *) fail "Depends lacks $lib: $deps" ;; esac
done

if [ "$mode" = --install ]; then
	dpkg-query -W -f='${Status}' atelier 2>/dev/null | grep -q 'ok installed' || purge=1
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$top/$deb" >"$tmp/apt.log" 2>&1 || {
		cat "$tmp/apt.log"
		fail "apt-get install $deb"
	}
	root=
	files=$(dpkg -L atelier)
	manpath=$(man -w -a atelier)
else
	root=$tmp/root
	dpkg-deb -x "$deb" "$root"
	files=$(cd "$root" && find . | sed 's|^\.||')
	manpath=$(MANPATH="$root/usr/share/man" man -w -a atelier)
fi

# The same files as make install, which debian/rules runs.
make --no-print-directory install DESTDIR="$tmp/inst" PREFIX=/usr >/dev/null
(cd "$tmp/inst" && find . -type f | sed 's|^\.||' | sort) >"$tmp/want"
for f in $files; do [ -f "$root$f" ] && echo "$f"; done | sed 's/\.gz$//' |
	grep -v -e '^/usr/share/doc/atelier/copyright$' \
		-e '^/usr/share/doc/atelier/changelog$' \
		-e '^/usr/share/lintian/overrides/atelier$' | sort >"$tmp/got"
diff "$tmp/want" "$tmp/got" || fail "the package's files are not make install's"

bin=$root/usr/bin/atelier
"$bin" --version >"$tmp/version" || fail "atelier --version exited $?"
./atelier --version | cmp -s - "$tmp/version" || fail "installed: $(cat "$tmp/version")"
grep -q "^atelier $(dpkg-deb -f "$deb" Version) " "$tmp/version" ||
	fail "the package's version is not atelier's: $(cat "$tmp/version")"

echo "$manpath" | grep -qx "$root/usr/share/man/man1/atelier.1.gz" ||
	fail "man -w atelier: $manpath"
zcat "$root/usr/share/man/man1/atelier.1.gz" | cmp -s - man/atelier.1 ||
	fail "the installed man page is not man/atelier.1"

"$bin" schema | cmp -s - "$root/usr/share/atelier/schema.json" ||
	fail "atelier schema differs from /usr/share/atelier/schema.json"

mkdir "$tmp/ex"
cp "$root/usr/share/doc/atelier/examples/moulins-2016/"* "$tmp/ex/"
(cd "$tmp/ex" && env -i PATH=/usr/bin:/bin "$bin" build session.yaml 2>/dev/null) ||
	fail "the installed atelier could not build the example"
for f in session.md session.html session.json; do
	[ -s "$tmp/ex/$f" ] || fail "building the example wrote no $f"
done
(cd "$tmp/ex" && "$top/atelier" build -f json -o - session.yaml 2>/dev/null) |
	cmp -s - "$tmp/ex/session.json" || fail "the installed atelier's export differs from ./atelier's"
echo "test-deb: ok ($deb${mode:+, installed})"
