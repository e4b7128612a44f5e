#!/bin/sh
# nothing.sh: prints nothing
exit 0
