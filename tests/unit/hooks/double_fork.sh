#!/bin/sh
# double_fork.sh: daemonises a child the classic way (a subshell that
# exits, so the child is orphaned; a session of its own), which starts one
# of its own; their pids go to $PIDDIR/a and $PIDDIR/b.  Then answers.
(setsid sh -c 'sleep 60 & echo $! > "$PIDDIR/b.tmp"; mv "$PIDDIR/b.tmp" "$PIDDIR/b"
	echo $$ > "$PIDDIR/a.tmp"; mv "$PIDDIR/a.tmp" "$PIDDIR/a"
	exec sleep 60' </dev/null >/dev/null 2>&1 &)
until [ -e "$PIDDIR/a" ] && [ -e "$PIDDIR/b" ]; do sleep 0.01; done
echo "0.2 daemonised"
