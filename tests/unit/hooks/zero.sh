#!/bin/sh
# zero.sh: a bare score of 0
echo 0
