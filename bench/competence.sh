#!/bin/sh
# competence.sh — what the competence matrix (7.2) costs: a generated organization
# (bench/gen_competence.py: BENCH_PEOPLE people holding BENCH_ROLES roles, 3 required
# competences per role, ~85 % of them backed by a training record), SQLite, release build.
# Prints the server time of one matrix (every role, one role, the XLSX) and, under load at
# BENCH_CONNECTIONS connections, req/s, p50 and p99 of the matrix, one role's matrix, what
# is due (which judges the whole matrix) and the 7.2 checks. Usage: bench/competence.sh
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
PEOPLE=${BENCH_PEOPLE:-2000}
ROLES=${BENCH_ROLES:-200}
bench_init competencebench
TOKEN=$(bench_user bench isms_manager)
bench_serve
start=$(date +%s)
set -- $(python3 bench/gen_competence.py "$BASE" "$TOKEN" "$PEOPLE" "$ROLES" 8)
ROLE=$1 HOLDERS=$2 RECORDS=$3
echo "data: $PEOPLE people, $ROLES roles, $HOLDERS role holders, $RECORDS training records in $(( $(date +%s) - start )) s"
# One request at a time: the server's time for one answer (the median of 5).
once() {
	for _ in 1 2 3 4 5; do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$BASE$1"
	done | sort -n | sed -n 3p | awk -v p="$1" '{printf "%-58s %8.1f ms\n", p, $1 * 1000}'
}
echo "one request (median of 5)"
once "/api/v1/reports/competence-matrix"
once "/api/v1/reports/competence-matrix?role=$ROLE"
once "/api/v1/reports/competence-matrix.xlsx"
echo "server CPU time per answer (20 sequential requests)"
bench_cpu "$TOKEN" "/api/v1/reports/competence-matrix"
bench_cpu "$TOKEN" "/api/v1/reports/competence-matrix?role=$ROLE"
bench_cpu "$TOKEN" "/api/v1/due?days=60"
bench_header ""
bench_row "$TOKEN" "/api/v1/reports/competence-matrix"
bench_row "$TOKEN" "/api/v1/reports/competence-matrix?role=$ROLE"
bench_row "$TOKEN" "/api/v1/due?days=60"
bench_row "$TOKEN" "/api/v1/reports/policy-checks"
