#!/bin/sh
# ignore_stdin.sh: never reads stdin
echo "0.6 ignored"
