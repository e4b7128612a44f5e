#!/bin/sh
# flood.sh: a hook that answers, then prints megabytes.
cat > /dev/null
echo "0.2 fine, with a lot to say"
head -c 5000000 /dev/zero | tr '\0' 'x'
