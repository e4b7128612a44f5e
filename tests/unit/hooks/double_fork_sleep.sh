#!/bin/sh
# double_fork_sleep.sh: as double_fork.sh, then takes far too long
(setsid sh -c 'sleep 60 & echo $! > "$PIDDIR/b.tmp"; mv "$PIDDIR/b.tmp" "$PIDDIR/b"
	echo $$ > "$PIDDIR/a.tmp"; mv "$PIDDIR/a.tmp" "$PIDDIR/a"
	exec sleep 60' </dev/null >/dev/null 2>&1 &)
until [ -e "$PIDDIR/a" ] && [ -e "$PIDDIR/b" ]; do sleep 0.01; done
sleep 10
