#!/bin/sh
# line.sh: echoes the first line of stdin as its reason
IFS= read -r line
echo "0.1 $line"
