#!/bin/sh
# setsid_helper.sh: gets its score from a child in a session of its own that
# takes 300 ms: that child must not be killed before the hook is done
setsid -w sh -c 'echo $$ > "$PIDDIR/a"; sleep 0.3; echo "0.3 from a helper"' \
    </dev/null > "$PIDDIR/out" &
wait
cat "$PIDDIR/out"
