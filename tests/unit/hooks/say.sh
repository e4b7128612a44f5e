#!/bin/sh
# say.sh: prints its argument exactly as given (no newline added)
printf "%s" "$1"
