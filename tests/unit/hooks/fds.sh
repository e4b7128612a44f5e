#!/bin/sh
# fds.sh: checks that none of the descriptors in $FDS was inherited
for fd in $FDS; do
	if [ -e /proc/$$/fd/$fd ]; then echo "0.9 leaked $fd"; exit 0; fi
done
if [ ! -p /dev/stdin ] || [ ! -p /dev/stdout ]; then
	echo "0.9 not pipes"
	exit 0
fi
echo "0.1 clean"
