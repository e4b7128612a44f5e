#!/bin/sh
# sleep200.sh: takes 200 ms
sleep 0.2
echo "0.2 slept"
