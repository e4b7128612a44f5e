#!/bin/sh
# arg.sh: shows the argument it was given
echo "0.1 $1"
