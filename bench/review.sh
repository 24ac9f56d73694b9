#!/bin/sh
# review.sh — what compiling a management review's inputs (9.3) costs: a generated
# organization (bench/gen_review.py: BENCH_RISKS risks, BENCH_CONTROLS controls,
# BENCH_FINDINGS treatment actions, three years of objective results and inbound feedback,
# context issues, parties and requirements), SQLite, release build. Prints the server time of
# one compile (review-inputs for the last year and from the start) and of a review pack, then
# req/s, p50 and p99 of review-inputs under load. Usage: bench/review.sh
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
RISKS=${BENCH_RISKS:-10000}
CONTROLS=${BENCH_CONTROLS:-2000}
FINDINGS=${BENCH_FINDINGS:-500}
bench_init reviewbench
TOKEN=$(bench_user bench isms_manager)
bench_serve
start=$(date +%s)
python3 bench/gen_review.py "$BASE" "$TOKEN" "$RISKS" "$CONTROLS" "$FINDINGS" 8
echo "data: $RISKS risks, $CONTROLS controls, $FINDINGS treatment actions, 432 objective results in $(( $(date +%s) - start )) s"
SINCE=$(date -u -d '1 year ago' +%F)
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	-X POST "$BASE/api/v1/management-reviews" -d "{\"title\": \"Bench review\"}"
once() {
	for _ in 1 2 3 4 5; do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$BASE$1"
	done | sort -n | sed -n 3p | awk -v p="$1" '{printf "%-58s %8.1f ms\n", p, $1 * 1000}'
}
echo "one request (median of 5)"
once "/api/v1/reports/review-inputs?since=$SINCE"
once "/api/v1/reports/review-inputs"
once "/api/v1/reports/review-pack?id=1"
once "/api/v1/reports/review-pack.html?id=1"
echo "server CPU time per answer (20 sequential requests)"
bench_cpu "$TOKEN" "/api/v1/reports/review-inputs?since=$SINCE"
bench_cpu "$TOKEN" "/api/v1/reports/review-inputs"
bench_header ""
bench_row "$TOKEN" "/api/v1/reports/review-inputs?since=$SINCE"
