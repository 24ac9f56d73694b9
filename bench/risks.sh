#!/bin/sh
# risks.sh — list-page latency of the risk register with filters, on a generated organization
# (bench/gen_org.py: 10,000 risks, 2,000 controls), SQLite, release build. Prints req/s, p50
# and p99 per query at BENCH_CONNECTIONS connections. Usage: bench/risks.sh
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_init riskbench
TOKEN=$(bench_user bench isms_manager)
bench_boss >/dev/null
$I --as boss act risk-methods 1 approve >/dev/null
bench_serve
start=$(date +%s)
python3 bench/gen_org.py "$BASE" "$TOKEN" 8
echo "data: generated in $(( $(date +%s) - start )) s"
bench_header "limit=50, "
for q in "/api/v1/risks?limit=50" \
	 "/api/v1/risks?status=identified&limit=50&offset=2000" \
	 "/api/v1/risks?owner=7&limit=50" \
	 "/api/v1/risks?inherent_level=high&sort=-title&limit=50" \
	 "/api/v1/risks?assets=20&limit=50" \
	 "/api/v1/risks?q=risk%2001&limit=50" \
	 "/api/v1/treatment-actions?status=planned&limit=50"; do
	bench_row "$TOKEN" "$q"
done
