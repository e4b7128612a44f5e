#!/bin/sh
# garbage.sh: a hook that prints no score.
cat > /dev/null
echo "definitely not a number"
