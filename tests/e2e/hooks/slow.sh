#!/bin/sh
# slow.sh: a hook that takes 100 ms, as a remote service might.
cat > /dev/null
sleep 0.1
echo "0.1 slow but fine"
