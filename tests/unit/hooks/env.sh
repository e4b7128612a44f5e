#!/bin/sh
# env.sh: shows its environment
echo "0.4 [$FOO] [$HOME] [$PALAVER_TEST_SECRET] $PATH $LANG"
