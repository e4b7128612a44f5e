#!/bin/sh
# exit3.sh: prints a score but fails
echo 0.1
exit 3
