#!/bin/sh
# layers.sh: src/ is one folder a layer and includes point down only.  Each
# folder may include headers from the folders listed for it (and its own);
# anything else fails the build, naming the file, the line and the rule.
# The order, bottom first, is also the Makefile's LAYERS and README's Layout.
set -eu
cd "$(dirname "$0")/.."

allowed() {
	case $1 in
	core)	echo "core" ;;
	model)	echo "core model" ;;
	store)	echo "core model store" ;;
	auth)	echo "core auth" ;;
	render)	echo "core model render" ;;
	domain)	echo "core model store auth render domain" ;;
	http)	echo "core model store auth render domain http" ;;
	import)	echo "core model store auth render domain import" ;;
	web)	echo "core model store auth render domain http web" ;;
	cli)	echo "core model store auth render domain http import web cli" ;;
	main)	echo "core cli" ;;
	*)	echo "" ;;
	esac
}

status=0
for f in src/main.c src/*/*.c src/*/*.h; do
	[ -e "$f" ] || continue
	case $f in
	src/main.c) layer=main ;;
	*) layer=$(echo "$f" | cut -d/ -f2) ;;
	esac
	ok=$(allowed "$layer")
	if [ -z "$ok" ]; then
		echo "$f: folder src/$layer is not a known layer (tests/layers.sh)"
		status=1
		continue
	fi
	# Every quoted include must name its layer: "core/buf.h".
	bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	while IFS= read -r line; do
		n=${line%%:*}
		inc=$(echo "$line" | sed 's/.*"\(.*\)".*/\1/')
		dir=${inc%%/*}
		if [ "$dir" = "$inc" ]; then
			echo "$f:$n: include \"$inc\" without its layer folder"
			continue
		fi
		case " $ok " in
		*" $dir "*) ;;
		*) echo "$f:$n: $layer may not include $inc (allowed: $ok)" ;;
		esac
	done)
	if [ -n "$bad" ]; then
		echo "$bad"
		status=1
	fi
done
if [ $status -ne 0 ]; then
	echo "layers.sh: includes must point down (see README: Layout)" >&2
	exit 1
fi
echo "layers.sh: every include points down"
