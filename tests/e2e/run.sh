#!/bin/sh
# run.sh: the end-to-end suites (node's test runner) against the ASan build.
set -eu
cd "$(dirname "$0")/../.."
exec node --test --test-concurrency=1 tests/e2e/
