#!/bin/sh
# po-check.sh LANG...: the catalogs are complete and up to date.
#   1. po/palaver.pot holds every string the sources mark (core/i18n.h's
#      _ N_ NG_ C_) and no other: `make pot` after adding or changing one;
#   2. each po/LANG.po translates every one of them, none fuzzy or empty,
#      and msgfmt --check finds its formats (%s, %lld) the msgid's.
# A branch that adds a string fails here until it is marked, in the pot,
# and translated (tests/e2e/i18n.test.mjs then finds it on the pages).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

make -s --no-print-directory pot-into POT="$tmp/palaver.pot" >/dev/null
# msgcmp DEF REF: every msgid of REF is in DEF.
new=0
msgcmp --use-untranslated po/palaver.pot "$tmp/palaver.pot" \
    2>"$tmp/new" || new=1
msgcmp --use-untranslated "$tmp/palaver.pot" po/palaver.pot \
    2>"$tmp/gone" || new=1
if [ $new -ne 0 ]; then
	echo "po-check: po/palaver.pot is not the sources' strings:" >&2
	cat "$tmp/new" "$tmp/gone" | head -40 >&2
	echo "po-check: run 'make pot', then translate po/*.po" >&2
	status=1
fi
for l in "$@"; do
	if ! msgfmt --check -o /dev/null "po/$l.po" 2>"$tmp/fmt"; then
		cat "$tmp/fmt" >&2
		echo "po-check: po/$l.po does not compile (above)" >&2
		status=1
		continue
	fi
	# Untranslated and fuzzy entries of the merged catalog, by msgid.
	msgmerge --quiet --no-fuzzy-matching -o "$tmp/$l.po" "po/$l.po" \
	    "$tmp/palaver.pot"
	msgattrib --untranslated --no-obsolete "$tmp/$l.po" \
	    -o "$tmp/$l.untr" 2>/dev/null || true
	msgattrib --only-fuzzy --no-obsolete "$tmp/$l.po" \
	    -o "$tmp/$l.fuzzy" 2>/dev/null || true
	n=0
	for f in "$tmp/$l.untr" "$tmp/$l.fuzzy"; do
		[ -s "$f" ] || continue
		k=$(grep -c '^msgid ' "$f" || true)
		# The header entry (msgid "") is not a message.
		k=$((k - 1))
		[ "$k" -gt 0 ] || continue
		n=$((n + k))
		grep -A1 '^msgid ' "$f" | grep -v '^msgid ""$' | head -40 >&2
	done
	if [ "$n" -gt 0 ]; then
		echo "po-check: po/$l.po leaves $n strings untranslated or" \
		    "fuzzy (above): translate them" >&2
		status=1
	fi
done
[ $status -eq 0 ] && echo "po-check: po/palaver.pot is current;" \
    "$(echo "$@" | wc -w) catalogs complete ($*)"
exit $status
