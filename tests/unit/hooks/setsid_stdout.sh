#!/bin/sh
# setsid_stdout.sh: answers, leaving a child in a session of its own that
# holds its stdout open; $PIDDIR/a gets its pid
setsid sh -c 'echo $$ > "$PIDDIR/a.tmp"; mv "$PIDDIR/a.tmp" "$PIDDIR/a"
	exec sleep 60' </dev/null &
until [ -e "$PIDDIR/a" ]; do sleep 0.01; done
echo "0.2 left a session on stdout"
