#!/bin/sh
# policies.sh — what acknowledgement tracking costs: a generated policy framework
# (bench/gen_policies.py: BENCH_PEOPLE people, BENCH_DOCS published policies, about half of
# everyone having acknowledged each), SQLite, release build. Prints req/s, p50 and p99 for
# the document register page (each document's acknowledged percentage), the progress report,
# one document's who-has-not list and a person's "Policies to read", at BENCH_CONNECTIONS
# connections. Usage: bench/policies.sh
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
PEOPLE=${BENCH_PEOPLE:-2000}
DOCS=${BENCH_DOCS:-40}
bench_init policybench
TOKEN=$(bench_user bench isms_manager)
# Top management holds every authority: it approves the top-level policy and the others.
BOSS=$(bench_boss)
APPROVER=$BOSS
READER=$(bench_user reader staff)
bench_serve
start=$(date +%s)
set -- $(python3 bench/gen_policies.py "$BASE" "$TOKEN" "$APPROVER" "$BOSS" "$PEOPLE" "$DOCS" 8)
DOC=$1 PERSON=$2 ACKS=$3
echo "data: $PEOPLE people, $DOCS published policies, $ACKS acknowledgements in $(( $(date +%s) - start )) s"
# The reader's account belongs to the first person.
READER_ID=$($I --as admin list users username=reader --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
$I --as admin edit users "$READER_ID" person="$PERSON" >/dev/null
bench_header ""
bench_row "$TOKEN" "/api/v1/documents?limit=50"
bench_row "$TOKEN" "/api/v1/reports/acknowledgements"
bench_row "$TOKEN" "/api/v1/reports/acknowledgements?document=$DOC"
bench_row "$READER" "/api/v1/reading"
