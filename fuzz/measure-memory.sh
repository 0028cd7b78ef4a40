#!/bin/sh
# measure-memory.sh: peak memory (maximum resident set, /usr/bin/time) of
# atelier check and atelier build on the worst inputs that
# fuzz/hostile-inputs.py writes, with the input size, the ratio of the peak
# to it, and the time: the table of docs/performance.md, "Memory on hostile
# inputs".
#
#   /usr/bin/python3 fuzz/hostile-inputs.py DIR
#   sh fuzz/measure-memory.sh DIR [ATELIER]
set -eu
dir=$1
atelier=$(realpath "${2:-./atelier}")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
all=md,html,json,xlsx,csv
printf '%-15s %-28s %8s %4s %8s %7s %7s\n' input command "size MB" exit \
	"peak MB" ratio seconds
# input | label | arguments before the file
while IFS='|' read -r f label args; do
	in="$dir/$f.yaml"
	[ -f "$in" ] || continue
	size=$(stat -c %s "$in")
	mkdir -p "$out/o"
	rc=0
	# shellcheck disable=SC2086
	/usr/bin/time -f '%M %e' -o "$out/time" "$atelier" $args "$in" \
		>/dev/null 2>"$out/err" || rc=$?
	set -- $(tail -1 "$out/time")
	awk -v f="$f" -v c="$label" -v s="$size" -v k="$1" -v r="$rc" \
	    -v t="$2" 'BEGIN { printf "%-15s %-28s %8.1f %4d %8.0f %7.1f %7s\n",
		f, c, s / 1048576, r, k / 1024, k * 1024 / s, t }'
	rm -rf "${out:?}"/o
done <<ROWS
deep|check|check
deep|build (every format)|build -f $all -o $out/o
many|check|check
many|build (every format)|build -f $all -o $out/o
scalar|check (refused: --max-text)|check
scalar|check --max-text=64M|check --max-text=64M
scalar|build --max-text=64M|build --max-text=64M -f $all -o $out/o
scalar|  the same without xlsx|build --max-text=64M -f md,html,json,csv -o $out/o
scalar-1m|check|check
scalar-1m|build (every format)|build -f $all -o $out/o
scalar-1m|  the same without xlsx|build -f md,html,json,csv -o $out/o
fan-items|check|check
fan-items|build (every format)|build -f $all -o $out/o
fan-tags|check|check
fan-tags|build (every format)|build -f $all -o $out/o
ROWS
