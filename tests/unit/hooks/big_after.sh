#!/bin/sh
# big_after.sh: a score, then 5 MB of junk
echo "0.3 first"
head -c 5000000 /dev/zero | tr '\0' x
