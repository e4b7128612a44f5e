#!/bin/sh
# sleep.sh: takes far too long
sleep 10
echo 0.1
