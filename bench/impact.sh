#!/bin/sh
# impact.sh — what the impact trace of a planned change (6.3) costs, on a generated
# organization: 2,000 people holding 200 roles (bench/gen_competence.py), 200 assets, 2,000
# applied controls, 10,000 risks (bench/gen_org.py) and one change touching BENCH_ASSETS
# assets (bench/gen_impact.py). SQLite, release build. Prints the server's CPU time per
# trace and the wall time of one request, then req/s, p50 and p99 under load.
# Usage: bench/impact.sh
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
ASSETS=${BENCH_ASSETS:-5}
bench_init impactbench
TOKEN=$(bench_user bench isms_manager)
bench_boss >/dev/null
$I --as boss act risk-methods 1 approve >/dev/null
bench_serve
start=$(date +%s)
python3 bench/gen_competence.py "$BASE" "$TOKEN" 2000 200 8 >/dev/null
python3 bench/gen_org.py "$BASE" "$TOKEN" 8
set -- $(python3 bench/gen_impact.py "$BASE" "$TOKEN" "$ASSETS")
CHANGE=$1 TOUCHED=$2
echo "data: in $(( $(date +%s) - start )) s; change $CHANGE touches $ASSETS assets carrying $TOUCHED risks"
bench_cpu "$TOKEN" "/api/v1/reports/impact-trace?change=$CHANGE"
bench_cpu "$TOKEN" "/api/v1/isms-changes/$CHANGE"
bench_header ""
bench_row "$TOKEN" "/api/v1/reports/impact-trace?change=$CHANGE"
