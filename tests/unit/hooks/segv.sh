#!/bin/sh
# segv.sh: dies of SIGSEGV
kill -SEGV $$
echo 0.1
