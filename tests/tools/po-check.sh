#!/bin/sh
# po-check.sh POT PO...: fails, naming them, when a message of POT (the
# sources' messages, extracted now) has no translation in a catalogue, or
# only a fuzzy one; and when a catalogue does not compile (msgfmt --check:
# a translation whose %s, %zu ... differ from the message's).
pot=$1
shift
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0
for po in "$@"; do
	if ! msgfmt --check --output-file=/dev/null "$po"; then
		echo "$po: does not compile (see above)"
		status=1
		continue
	fi
	msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/merged.po" \
		"$po" "$pot" || { status=1; continue; }
	msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po" \
		>"$tmp/untranslated.po"
	msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po" \
		>"$tmp/fuzzy.po"
	for kind in untranslated fuzzy; do
		ids=$(grep '^msgid "' "$tmp/$kind.po" | grep -v '^msgid ""$')
		[ -z "$ids" ] && continue
		echo "$po: $(echo "$ids" | wc -l) message(s) $kind" \
			"(translate them, then remove any 'fuzzy' flag):"
		echo "$ids" | sed 's/^/  /'
		status=1
	done
done
[ $status = 0 ] && echo "po-check: every message translated in: $*"
exit $status
