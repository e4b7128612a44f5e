#!/bin/sh
# crash.sh: a hook that dies of a signal.
cat > /dev/null
kill -SEGV $$
