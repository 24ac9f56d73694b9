#!/usr/bin/env bash
# Runs the black-box API and CLI tests (node's built-in test runner) from the repo root.
#   tests/api/run.sh                      all files in tests/api
#   tests/api/run.sh tests/api/cli.test.mjs ...   only these files
# Environment: ISMS_BIN (default build/asan/isms-test), ISMS_STORE=sqlite|postgres,
# ISMS_PG_URL (for postgres, e.g. postgres://postgres@127.0.0.1:54329/postgres).
set -u
cd "$(dirname "$0")/../.." || exit 1
bin="${ISMS_BIN:-build/asan/isms-test}"
if [ ! -x "$bin" ]; then
	echo "tests/api/run.sh: $bin not found or not executable (build it: make build/asan/isms-test)" >&2
	exit 1
fi
if [ ! -d node_modules/@apidevtools/swagger-parser ]; then
	echo "tests/api/run.sh: node_modules missing; run 'npm ci' first" >&2
	exit 1
fi
if [ $# -eq 0 ]; then
	set -- tests/api/*.test.mjs
fi
node --test --test-concurrency=1 "$@"
exit $?
