#!/bin/sh
# grandchild_sleep.sh: starts a background child, then takes far too long
sleep 30 &
echo $! > "$PIDFILE"
sleep 10
