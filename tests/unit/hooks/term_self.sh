#!/bin/sh
# term_self.sh: sends itself SIGTERM, which must not be blocked
kill -TERM $$
echo 0.1
