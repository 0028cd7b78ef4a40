#!/bin/sh
# test-nowatch.sh ATELIER: the build without inotify (make check-nowatch)
# builds the example like any other, and its --watch refuses at once with
# a clear message and exit 2, writing nothing.
set -eu
bin=$1
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-nowatch: FAIL: $*" >&2; exit 1; }

cp examples/moulins-2016/session.yaml examples/moulins-2016/agrilocal63.svg "$tmp/"
cd "$tmp"

# timeout: a build that watched after all would never return.
rc=0
timeout 20 "$root/$bin" build --watch -f json session.yaml >out.txt 2>err.txt || rc=$?
[ "$rc" = 2 ] || fail "--watch exited $rc, not 2"
printf 'atelier: --watch is not available on this system (this atelier was built without inotify)\n' >want.txt
cmp -s err.txt want.txt || fail "--watch said: $(cat err.txt)"
[ ! -s out.txt ] || fail "--watch wrote on stdout: $(cat out.txt)"
[ ! -e session.json ] || fail "--watch built the session all the same"

"$root/$bin" build -f json session.yaml 2>/dev/null || fail "build exited $?"
[ -s session.json ] || fail "build wrote no session.json"
"$root/atelier" build -f json -o - session.yaml 2>/dev/null >want.json
cmp -s session.json want.json || fail "the export differs from ./atelier's"
echo "test-nowatch: ok ($bin refuses --watch, builds the example)"
