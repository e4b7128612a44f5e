#!/bin/sh
# grandchild_sleep.sh: starts a background child, then takes far too long;
# $PIDDIR/a gets its pid
sleep 30 &
echo $! > "$PIDDIR/a"
sleep 10
