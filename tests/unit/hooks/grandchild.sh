#!/bin/sh
# grandchild.sh: answers and leaves a background child holding stdout
sleep 30 &
echo $! > "$PIDFILE"
echo "0.2 left a child"
