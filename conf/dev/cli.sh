#!/bin/sh
# cli.sh: `make cli ARGS="..."`: palaver's command line against the site
# `make run` serves, with its settings ($VAR/palaver.conf, or $CONF) and, as
# make run does, as the palaver user when started as root.
#
# palaver itself keeps its fixed rule (-c FILE, else $PALAVER_CONF, else
# conf/palaver.conf) for installed use; this wrapper only adds the -c.
set -eu
VAR=${VAR:-var}
BIN=${PALAVER_BIN:-build/palaver}
conf=${CONF:-$VAR/palaver.conf}

if [ $# -eq 0 ]; then
	echo 'usage: make cli ARGS="COMMAND ..."   e.g. make cli ARGS="user list"' >&2
	echo '       make cli ARGS=help            lists the commands' >&2
	exit 2
fi
if [ ! -f "$conf" ]; then
	echo "make cli: $conf does not exist: make run creates it on its" \
	    "first start (or name a file with CONF=FILE)" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	if ! getent passwd palaver >/dev/null; then
		echo "make cli: you are root and there is no user palaver to" \
		    "run palaver as: make run creates it" >&2
		exit 1
	fi
	# Said on every call, so nobody wonders whose files these are.
	echo "make cli: you are root: running palaver as the user palaver" \
	    "(setpriv), as make run does, since its database belongs to" \
	    "palaver; files you name must be readable by that user" >&2
	exec setpriv --reuid=palaver --regid=palaver --clear-groups \
	    "$BIN" -c "$conf" "$@"
fi
exec "$BIN" -c "$conf" "$@"
