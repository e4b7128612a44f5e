#!/bin/sh
# grandchild.sh: answers and leaves a background child holding stdout;
# $PIDDIR/a gets its pid
sleep 30 &
echo $! > "$PIDDIR/a"
echo "0.2 left a child"
