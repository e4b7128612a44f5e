#!/bin/sh
# flood.sh: never stops writing
exec yes 0.1
