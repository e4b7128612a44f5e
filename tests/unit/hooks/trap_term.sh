#!/bin/sh
# trap_term.sh: ignores SIGTERM and takes far too long
trap '' TERM
sleep 10
echo 0.1
