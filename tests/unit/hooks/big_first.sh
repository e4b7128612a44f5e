#!/bin/sh
# big_first.sh: 5 MB of junk on the first line, then a score
head -c 5000000 /dev/zero | tr '\0' x
echo
echo 0.1
