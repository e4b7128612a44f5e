#!/bin/sh
# setsid_sleep.sh: starts a child in a session of its own, then takes far
# too long; $PIDDIR/a gets the child's pid
setsid sh -c 'echo $$ > "$PIDDIR/a.tmp"; mv "$PIDDIR/a.tmp" "$PIDDIR/a"
	exec sleep 60' </dev/null >/dev/null &
until [ -e "$PIDDIR/a" ]; do sleep 0.01; done
sleep 10
