#!/bin/sh
# garbage.sh: prints something that is not a score
echo garbage
