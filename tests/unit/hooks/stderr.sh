#!/bin/sh
# stderr.sh: writes to stderr, which is palaver's log
echo "hook-stderr-marker" >&2
echo "0.1 ok"
