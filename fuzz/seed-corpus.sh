#!/bin/sh
# seed-corpus.sh: the seed corpora of the fuzz targets, from the files the
# project already has: the bundled example, the valid and invalid corpora,
# the regression inputs (tests/regress), and for the manifest target the
# manifest of a real folder build plus one of each kind of line.
#
#   sh fuzz/seed-corpus.sh OUT ATELIER
# writes OUT/load, OUT/emit, OUT/manifest (emptied first). ATELIER is the
# binary used for the folder build (the manifest seed is skipped without it).
set -eu
out=$1
atelier=${2:-}
rm -rf "$out/load" "$out/emit" "$out/manifest"
mkdir -p "$out/load" "$out/emit" "$out/manifest"

for f in examples/*/*.yaml tests/valid/*.yaml tests/invalid/*.yaml \
	 tests/regress/*.yaml; do
	[ -f "$f" ] || continue
	name=$(echo "$f" | tr '/' '_')
	cp "$f" "$out/load/$name"
	cp "$f" "$out/emit/$name"
done
# Regression inputs that are not YAML (crashes found as raw bytes).
for f in tests/regress/*.bin; do
	[ -f "$f" ] || continue
	cp "$f" "$out/load/$(basename "$f")"
done
for f in tests/regress/manifest-*; do
	[ -f "$f" ] || continue
	cp "$f" "$out/manifest/$(basename "$f")"
done

# One line of each kind, with escapes, a stale size and a summary: the
# summaries, then the entries, then where the entries start.
summary='atelier-manifest\t5\t000000000000002a\nV\ta/s.yaml\nU\tAtelier\t2016-06-30\tMoulins\t12\t40\t3\t4\ta/s\tmd,html\tfr\t1\nK\t00000000000000020000000000000003fffffffffffffffe\nF\t0\tLe \\\\ temps\\n long\tcoop,temps\nF\t1\tFreins\t\n'
entries='E\ta/s.yaml\ta/s.yaml\nD\ta/s.yaml\t12\t1467288000\t5\t00000000deadbeef\nD\ta/salle\\tx.svg\t-1\t0\t0\t0\nO\ta/s.md\nO\ta/s.html\n'
{
	printf "$summary$entries"
	printf 'Z\t%016x\n' "$(printf "$summary" | wc -c)"
} > "$out/manifest/kinds"

if [ -n "$atelier" ] && [ -x "$atelier" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/in/a" "$tmp/in/b" "$tmp/out"
	cp examples/moulins-2016/* "$tmp/in/a/"
	cp tests/valid/full-session.yaml tests/valid/salle.svg \
	   tests/valid/custom-grid.yaml "$tmp/in/b/"
	if "$atelier" build -j1 "$tmp/in" -o "$tmp/out" 2>/dev/null &&
	   [ -f "$tmp/out/.atelier-manifest" ]; then
		cp "$tmp/out/.atelier-manifest" "$out/manifest/build"
	fi
fi
echo "seed corpora in $out: $(ls "$out/load" | wc -l) load," \
     "$(ls "$out/emit" | wc -l) emit, $(ls "$out/manifest" | wc -l) manifest"
