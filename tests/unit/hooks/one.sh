#!/bin/sh
# one.sh: a bare score of 1
echo 1
