#!/usr/bin/env bash
# Runs the browser tests of the web app (node's built-in test runner, playwright-core driving
# Debian's Chromium) from the repo root.
#   tests/e2e/run.sh                          all files in tests/e2e
#   tests/e2e/run.sh tests/e2e/assets.test.mjs   only these files
# Environment: ISMS_BIN (default build/asan/isms), ISMS_STORE=sqlite|postgres, ISMS_PG_URL
# (for postgres, e.g. postgres://postgres@127.0.0.1:54329/postgres), CHROMIUM (default
# /usr/bin/chromium). Screenshots go to test-output/screenshots/.
set -u
cd "$(dirname "$0")/../.." || exit 1
bin="${ISMS_BIN:-build/asan/isms}"
if [ ! -x "$bin" ]; then
	echo "tests/e2e/run.sh: $bin not found or not executable (build it: make build/asan/isms)" >&2
	exit 1
fi
if [ ! -d node_modules/playwright-core ]; then
	echo "tests/e2e/run.sh: node_modules/playwright-core missing; run 'npm ci' first" >&2
	exit 1
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	echo "tests/e2e/run.sh: ${CHROMIUM:-/usr/bin/chromium} not found (apt-get install -y chromium)" >&2
	exit 1
fi
mkdir -p test-output/screenshots
if [ $# -eq 0 ]; then
	node --test --test-concurrency=1 tests/e2e/
else
	node --test --test-concurrency=1 "$@"
fi
exit $?
