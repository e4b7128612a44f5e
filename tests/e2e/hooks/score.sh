#!/bin/sh
# score.sh: a spam hook for the tests: scores by words in the input and keeps
# a copy of what it read (one JSON object a line) in $HOOK_LOG.
input=$(cat)
[ -n "${HOOK_LOG:-}" ] && printf '%s\n' "$input" >> "$HOOK_LOG"
case $input in
*SPAMWORD*) echo "1.0 the hook says spam" ;;
*HOLDWORD*) echo "0.6 the hook is unsure" ;;
*) echo "0.1 looks fine" ;;
esac
