#!/bin/sh
# policies.sh — what acknowledgement tracking costs: a generated policy framework
# (bench/gen_policies.py: BENCH_PEOPLE people, BENCH_DOCS published policies, about half of
# everyone having acknowledged each), SQLite, release build. Prints req/s, p50 and p99 for
# the document register page (each document's acknowledged percentage), the progress report,
# one document's who-has-not list and a person's "Policies to read", at BENCH_CONNECTIONS
# connections. Usage: bench/policies.sh
set -eu
cd "$(dirname "$0")/.."
CONN=${BENCH_CONNECTIONS:-16}
DUR=${BENCH_DURATION:-10s}
PEOPLE=${BENCH_PEOPLE:-2000}
DOCS=${BENCH_DOCS:-40}
make -s isms >/dev/null
DIR=$(mktemp -d /tmp/isms-policybench.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT INT TERM
cp isms "$DIR/isms"
I="$DIR/isms --db $DIR/b.db"
$I init >/dev/null
echo "bench-password-1" | $I user add bench --role isms_manager --password-stdin >/dev/null
echo "bench-password-2" | $I user add approver --role isms_manager --password-stdin >/dev/null
echo "bench-password-3" | $I user add boss --role top_management --password-stdin >/dev/null
echo "bench-password-4" | $I user add reader --role staff --password-stdin >/dev/null
TOKEN=$($I token create bench)
APPROVER=$($I token create approver)
BOSS=$($I token create boss)
READER=$($I token create reader)
$I serve --listen 127.0.0.1:0 >"$DIR/serve.out" 2>"$DIR/serve.err" &
PID=$!
while ! grep -q listening "$DIR/serve.out" 2>/dev/null; do sleep 0.1; done
PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DIR/serve.out")
BASE="http://127.0.0.1:$PORT"
start=$(date +%s)
set -- $(python3 bench/gen_policies.py "$BASE" "$TOKEN" "$APPROVER" "$BOSS" "$PEOPLE" "$DOCS" 8)
DOC=$1 PERSON=$2 ACKS=$3
echo "data: $PEOPLE people, $DOCS published policies, $ACKS acknowledgements in $(( $(date +%s) - start )) s"
# The reader's account belongs to the first person.
READER_ID=$($I --as admin list users username=reader --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
$I --as admin edit users "$READER_ID" person="$PERSON" >/dev/null
printf '%-58s %8s %8s %8s\n' "GET ($CONN connections, $DUR)" "req/s" "p50 ms" "p99 ms"
for spec in "$TOKEN /api/v1/documents?limit=50" \
	    "$TOKEN /api/v1/reports/acknowledgements" \
	    "$TOKEN /api/v1/reports/acknowledgements?document=$DOC" \
	    "$READER /api/v1/reading"; do
	tok=${spec%% *} q=${spec#* }
	out=$(wrk -t2 -c"$CONN" -d"$DUR" --latency -s bench/path.lua "$BASE" -- "$tok" "$q")
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	printf '%-58s %8s %8s %8s\n' "$q" "$rps" "$p50" "$p99"
done
