#!/usr/bin/env bash
# run.sh — the isms HTTP benchmark in one go (see bench/README.md).
#
# Builds ./isms and bench/ceiling.c, creates a fresh SQLite database in a temporary
# directory, writes BENCH_COUNT people through the API (bench/gen.py), starts isms and the
# ceiling server on free ports, runs wrk against (a) one record, (b) a list page, (c) the
# ceiling, prints a table and checks the targets. Exit 0 when every target is met, 1 when
# one is missed, 2 when the benchmark itself failed.
#
# Knobs (environment): BENCH_COUNT (100000), BENCH_DURATION (10s), BENCH_CONNECTIONS (64),
# BENCH_THREADS (wrk threads, 2), BENCH_POST_THREADS (gen.py threads, 8),
# BENCH_DEPARTMENT (Engineering), BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
COUNT=${BENCH_COUNT:-100000}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
POST_THREADS=${BENCH_POST_THREADS:-8}
DEPT=${BENCH_DEPARTMENT:-Engineering}

for tool in wrk python3 cc pkg-config curl; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done

TMP=$(mktemp -d /tmp/isms-bench.XXXXXX)
PIDS=()
cleanup() {
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "run.sh: kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM

step() { printf '== %s\n' "$*" >&2; }

# Starts a server in the background; prints its port once it says where it listens.
start_server() { # name, command...
	local name=$1
	shift
	"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	local pid=$!
	PIDS+=("$pid")
	echo "$pid" >"$TMP/$name.pid"
	for _ in $(seq 100); do
		local port
		port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/$name.out")
		if [ -n "$port" ]; then
			echo "$port"
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "run.sh: $name did not start:" >&2
	cat "$TMP/$name.err" >&2
	return 1
}

stop_server() { # name
	local pid
	pid=$(cat "$TMP/$1.pid")
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

step "build ./isms and the ceiling server"
make -s isms >&2
cc -std=c11 -O2 -Wall -Wextra -o "$TMP/ceiling" bench/ceiling.c \
	$(pkg-config --cflags --libs libmicrohttpd)

step "fresh database in $TMP"
DB=$TMP/bench.db
./isms --db "$DB" init >/dev/null
echo 'password123' | ./isms --db "$DB" user add bench --role isms_manager --name Bench \
	--password-stdin >/dev/null
TOKEN=$(./isms --db "$DB" token create bench)

step "generate $COUNT people and POST them through the API ($POST_THREADS threads)"
python3 bench/gen.py generate --count "$COUNT" --out "$TMP/people.json"
ISMS_PORT=$(start_server isms ./isms --db "$DB" serve --listen 127.0.0.1:0)
ISMS=http://127.0.0.1:$ISMS_PORT
t0=$(date +%s.%N)
python3 bench/gen.py post --url "$ISMS" --token "$TOKEN" --file "$TMP/people.json" \
	--threads "$POST_THREADS"
t1=$(date +%s.%N)
LOAD_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

# The data the scripts assume: ids 1..COUNT, and how many people the department has.
total_of() {
	curl -sf -H "Authorization: Bearer $TOKEN" "$ISMS/api/v1/people?limit=1$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}
TOTAL=$(total_of "")
DEPT_ROWS=$(total_of "&department=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$DEPT")")
MAXID=$(curl -sf -H "Authorization: Bearer $TOKEN" "$ISMS/api/v1/people?limit=1&sort=-id" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
if [ "$TOTAL" != "$COUNT" ] || [ "$MAXID" != "$COUNT" ]; then
	echo "run.sh: expected ids 1..$COUNT, found total $TOTAL, max id $MAXID" >&2
	exit 2
fi
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$ISMS/api/v1/people/$COUNT"
step "$TOTAL people, $DEPT_ROWS in $DEPT, loaded in $LOAD_SECS s"

# isms verify reads the database file while the server runs (WAL: readers don't block).
step "isms verify"
t0=$(date +%s.%N)
if ./isms --db "$DB" verify >"$TMP/verify.out" 2>&1; then VERIFY=ok; else VERIFY=FAILED; fi
t1=$(date +%s.%N)
VERIFY_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
sed 's/^/   /' "$TMP/verify.out" >&2

CEIL_PORT=$(start_server ceiling "$TMP/ceiling" 0)
CEIL=http://127.0.0.1:$CEIL_PORT

# Runs wrk; writes "req/s p50_ms p99_ms errors" to $TMP/res-NAME (errors: socket errors +
# non-2xx/3xx responses).
bench() { # name, url, [script, args...]
	local name=$1 url=$2
	shift 2
	local script=()
	if [ $# -gt 0 ]; then
		script=(-s "$1")
		shift
	fi
	# Warm-up (prepared statements, page cache, connections), not counted.
	wrk -t"$THREADS" -c"$CONNS" -d2s "${script[@]}" "$url" ${1+--} "$@" >/dev/null
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${script[@]}" "$url" ${1+--} "$@" \
		>"$TMP/wrk-$name.txt"
	awk '
		function ms(v) {
			if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
			if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
			if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
			if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
			return v + 0
		}
		/^ *50%/ { p50 = ms($2) }
		/^ *99%/ { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/Socket errors:/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) err += $i + 0 }
		/Non-2xx or 3xx responses:/ { err += $NF }
		END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err }
	' "$TMP/wrk-$name.txt" >"$TMP/res-$name"
}

step "wrk -t$THREADS -c$CONNS -d$DURATION --latency (after a 2 s warm-up each)"
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
bench ceiling "$CEIL/"
bench get "$ISMS" bench/get.lua "$TOKEN" "$COUNT"
bench list "$ISMS" bench/list.lua "$TOKEN" "$DEPT" "$DEPT_ROWS"
read -r C_RPS C_P50 C_P99 C_ERR <"$TMP/res-ceiling"
read -r G_RPS G_P50 G_P99 G_ERR <"$TMP/res-get"
read -r L_RPS L_P50 L_P99 L_ERR <"$TMP/res-list"
stop_server ceiling
stop_server isms

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

echo
echo "isms HTTP benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before wrk: $LOADAVG"
echo "data: $COUNT people via POST in $LOAD_SECS s ($(awk -v n="$COUNT" -v s="$LOAD_SECS" 'BEGIN{printf "%.0f", n/s}')/s, $POST_THREADS threads); isms verify: $VERIFY in $VERIFY_SECS s"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency; list = department=$DEPT ($DEPT_ROWS rows), limit=50, random page"
echo
printf '%-30s %10s %9s %9s %9s %7s\n' "" "req/s" "p50 ms" "p99 ms" "ceiling" "errors"
printf '%-30s %10s %9s %9s %9s %7s\n' "GET /api/v1/people/ID" "$G_RPS" "$G_P50" "$G_P99" "$(ratio "$G_RPS" "$C_RPS")" "$G_ERR"
printf '%-30s %10s %9s %9s %9s %7s\n' "GET /api/v1/people?department" "$L_RPS" "$L_P50" "$L_P99" "$(ratio "$L_RPS" "$C_RPS")" "$L_ERR"
printf '%-30s %10s %9s %9s %9s %7s\n' "ceiling (fixed 200 B JSON)" "$C_RPS" "$C_P50" "$C_P99" "100%" "$C_ERR"
echo

status=0
target() { # description, condition...
	local what=$1
	shift
	if "$@"; then
		echo "  met     $what"
	else
		echo "  MISSED  $what"
		status=1
	fi
}
echo "targets:"
target "single GET >= 35% of the ceiling's req/s ($(ratio "$G_RPS" "$C_RPS"))" \
	ge "$G_RPS" "$(awk -v c="$C_RPS" 'BEGIN { print 0.35 * c }')"
target "single GET p99 < 5 ms ($G_P99 ms)" lt "$G_P99" 5
target "list page p99 < 20 ms ($L_P99 ms)" lt "$L_P99" 20
target "no errors (${G_ERR}/${L_ERR}/${C_ERR})" test "$((G_ERR + L_ERR + C_ERR))" -eq 0
target "isms verify passes after the load" test "$VERIFY" = ok
exit $status
