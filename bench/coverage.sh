#!/bin/sh
# coverage.sh — what the internal audit coverage matrix (9.2) costs: gen_org.py's
# organization (10,000 risks, 2,000 applied controls) plus gen_coverage.py's programme with 8
# audits and BENCH_FINDINGS findings (default 500), SQLite, release build. Prints the server
# time of one matrix (JSON and XLSX, median of 5) and, under load at BENCH_CONNECTIONS
# connections, req/s, p50 and p99 of the matrix and of the auditor's checks.
# Usage: bench/coverage.sh
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
FINDINGS=${BENCH_FINDINGS:-500}
bench_init coveragebench
TOKEN=$(bench_user bench isms_manager)
# The risk method is approved by top management: a person holding a top-management role.
BOSS=$($I --as bench add people name=Boss --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
ROLE=$($I --as bench add roles name=CEO responsibilities=Leads. top_management=true --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
$I --as bench add role-assignments person="$BOSS" role="$ROLE" starts_on=2020-01-01 >/dev/null
echo "bench-password-boss" | $I user add boss --role top_management --person "$BOSS" --password-stdin >/dev/null
$I --as boss act risk-methods 1 approve >/dev/null
bench_serve
start=$(date +%s)
python3 bench/gen_org.py "$BASE" "$TOKEN" 8
PROG=$(python3 bench/gen_coverage.py "$BASE" "$TOKEN" "$FINDINGS" 8)
total() { curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/$1?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
echo "data: $(total risks) risks, $(total controls) controls, $(total audits) audits, $(total audit-findings) findings, generated in $(( $(date +%s) - start )) s"
once() {
	for _ in 1 2 3 4 5; do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$BASE$1"
	done | sort -n | sed -n 3p | awk -v p="$1" '{printf "%-58s %8.1f ms\n", p, $1 * 1000}'
}
echo "one request (median of 5)"
once "/api/v1/reports/audit-coverage?programme=$PROG"
once "/api/v1/reports/audit-coverage.xlsx?programme=$PROG"
bench_header ""
bench_row "$TOKEN" "/api/v1/reports/audit-coverage?programme=$PROG"
bench_row "$TOKEN" "/api/v1/reports/policy-checks"
