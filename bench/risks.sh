#!/bin/sh
# risks.sh — list-page latency of the risk register with filters, on a generated organization
# (bench/gen_org.py: 10,000 risks, 2,000 controls), SQLite, release build. Prints req/s, p50
# and p99 per query at BENCH_CONNECTIONS connections. Usage: bench/risks.sh
set -eu
cd "$(dirname "$0")/.."
CONN=${BENCH_CONNECTIONS:-16}
DUR=${BENCH_DURATION:-10s}
make -s isms >/dev/null
DIR=$(mktemp -d /tmp/isms-riskbench.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT INT TERM
cp isms "$DIR/isms"
I="$DIR/isms --db $DIR/b.db"
$I init >/dev/null
echo "bench-password-1" | $I user add bench --role isms_manager --password-stdin >/dev/null
echo "bench-password-2" | $I user add boss --role top_management --password-stdin >/dev/null
$I --as boss act risk-methods 1 approve >/dev/null
TOKEN=$($I token create bench)
$I serve --listen 127.0.0.1:0 >"$DIR/serve.out" 2>"$DIR/serve.err" &
PID=$!
while ! grep -q listening "$DIR/serve.out" 2>/dev/null; do sleep 0.1; done
PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DIR/serve.out")
BASE="http://127.0.0.1:$PORT"
start=$(date +%s)
python3 bench/gen_org.py "$BASE" "$TOKEN" 8
echo "data: generated in $(( $(date +%s) - start )) s"
printf '%-58s %8s %8s %8s\n' "GET (limit=50, $CONN connections, $DUR)" "req/s" "p50 ms" "p99 ms"
for q in "/api/v1/risks?limit=50" \
	 "/api/v1/risks?status=identified&limit=50&offset=2000" \
	 "/api/v1/risks?owner=7&limit=50" \
	 "/api/v1/risks?inherent_level=high&sort=-title&limit=50" \
	 "/api/v1/risks?assets=20&limit=50" \
	 "/api/v1/risks?q=risk%2001&limit=50" \
	 "/api/v1/treatment-actions?status=planned&limit=50"; do
	out=$(wrk -t2 -c"$CONN" -d"$DUR" --latency -s bench/path.lua "$BASE" -- "$TOKEN" "$q")
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	printf '%-58s %8s %8s %8s\n' "$q" "$rps" "$p50" "$p99"
done
