#!/bin/sh
# count.sh: reads all of stdin; 0.5 only if it got exactly $EXPECT bytes
n=$(wc -c)
if [ "$n" -eq "$EXPECT" ]; then echo "0.5 got $n"; else echo "0.9 got $n"; fi
