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
# BENCH_DEPARTMENT (Engineering), BENCH_ROUNDS (3: ceiling, GET, list interleaved; medians
# are reported), BENCH_LOW_CONNECTIONS (4: the list page again at this concurrency, for
# information), BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

cd "$(dirname "$0")/.."
COUNT=${BENCH_COUNT:-100000}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
POST_THREADS=${BENCH_POST_THREADS:-8}
DEPT=${BENCH_DEPARTMENT:-Engineering}
ROUNDS=${BENCH_ROUNDS:-3}
LOW_CONNS=${BENCH_LOW_CONNECTIONS:-4}

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
# A private copy, so that a rebuild of ./isms while the benchmark runs cannot disturb it.
cp isms "$TMP/isms"
ISMS_BIN=$TMP/isms
cc -std=c11 -O2 -Wall -Wextra -o "$TMP/ceiling" bench/ceiling.c \
	$(pkg-config --cflags --libs libmicrohttpd)

step "fresh database in $TMP"
DB=$TMP/bench.db
"$ISMS_BIN" --db "$DB" init >/dev/null
echo 'password123' | "$ISMS_BIN" --db "$DB" user add bench --role isms_manager --name Bench \
	--password-stdin >/dev/null
TOKEN=$("$ISMS_BIN" --db "$DB" token create bench)

step "generate $COUNT people and POST them through the API ($POST_THREADS threads)"
python3 bench/gen.py generate --count "$COUNT" --out "$TMP/people.json"
ISMS_PORT=$(start_server isms "$ISMS_BIN" --db "$DB" serve --listen 127.0.0.1:0)
ISMS=http://127.0.0.1:$ISMS_PORT
t0=$(date +%s.%N)
python3 bench/gen.py post --url "$ISMS" --token "$TOKEN" --file "$TMP/people.json" \
	--threads "$POST_THREADS"
t1=$(date +%s.%N)
LOAD_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

# The data the scripts assume: COUNT people with consecutive ids MINID..MAXID (the database
# was fresh), and how many of them the department has.
first() { # query -> the first item's id, or the total
	curl -sf -H "Authorization: Bearer $TOKEN" "$ISMS/api/v1/people?limit=1$1" |
		python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["items"][0]["id"] if sys.argv[1] == "id" else d["total"])' "$2"
}
TOTAL=$(first "" total)
DEPT_ROWS=$(first "&department=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$DEPT")" total)
MINID=$(first "&sort=id" id)
MAXID=$(first "&sort=-id" id)
if [ "$TOTAL" != "$COUNT" ] || [ $((MAXID - MINID + 1)) != "$COUNT" ]; then
	echo "run.sh: expected $COUNT people with consecutive ids, found $TOTAL in $MINID..$MAXID" >&2
	exit 2
fi
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$ISMS/api/v1/people/$MAXID"
step "$TOTAL people, $DEPT_ROWS in $DEPT, loaded in $LOAD_SECS s"

# isms verify reads the database file while the server runs (WAL: readers don't block).
step "isms verify"
t0=$(date +%s.%N)
if "$ISMS_BIN" --db "$DB" verify >"$TMP/verify.out" 2>&1; then VERIFY=ok; else VERIFY=FAILED; fi
t1=$(date +%s.%N)
VERIFY_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
sed 's/^/   /' "$TMP/verify.out" >&2

CEIL_PORT=$(start_server ceiling "$TMP/ceiling" 0)
CEIL=http://127.0.0.1:$CEIL_PORT

# Runs wrk once; appends "req/s p50_ms p99_ms errors timeouts" to $TMP/res-NAME (errors:
# connect/read/write errors and non-2xx/3xx responses). The timeout is long so that slow
# answers land in the latency figures instead of being dropped.
bench() { # name, warm-up?, url, [script, args...]; $C overrides the connection count
	local name=$1 warm=$2 url=$3 conns=${C:-$CONNS}
	shift 3
	local script=()
	if [ $# -gt 0 ]; then
		script=(-s "$1")
		shift
	fi
	if [ "$warm" = 1 ]; then # prepared statements, page cache, connections: not counted
		wrk -t"$THREADS" -c"$conns" -d2s --timeout 30s "${script[@]}" "$url" ${1+--} "$@" \
			>/dev/null
	fi
	wrk -t"$THREADS" -c"$conns" -d"$DURATION" --timeout 30s --latency "${script[@]}" "$url" \
		${1+--} "$@" >"$TMP/wrk-$name.txt"
	cat "$TMP/wrk-$name.txt" >>"$TMP/wrk-all.txt"
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
		/Socket errors:/ {
			gsub(",", "")
			for (i = 3; i < NF; i += 2)
				if ($i == "timeout") to += $(i + 1); else err += $(i + 1)
		}
		/Non-2xx or 3xx responses:/ { err += $NF }
		END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, err, to }
	' "$TMP/wrk-$name.txt" | tee -a "$TMP/res-$name" | sed "s/^/   $name: /" >&2
}

# The median of each column over the rounds (errors and timeouts: the sum).
summary() { # name
	local col fmt out=""
	for col in 1 2 3; do
		fmt=$([ "$col" = 1 ] && echo '%.0f' || echo '%.2f')
		out+="$(cut -d' ' -f"$col" "$TMP/res-$1" | sort -g | awk -v fmt="$fmt" '{ v[NR] = $1 }
			END { printf fmt, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }') "
	done
	out+="$(awk '{ e += $4; t += $5 } END { print e, t }' "$TMP/res-$1")"
	echo "$out"
}

LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$ROUNDS"); do
	step "round $round/$ROUNDS: wrk -t$THREADS -c$CONNS -d$DURATION --latency (req/s p50 p99 errors timeouts)"
	warm=$([ "$round" = 1 ] && echo 1 || echo 0)
	bench ceiling "$warm" "$CEIL/"
	bench get "$warm" "$ISMS" bench/get.lua "$TOKEN" "$MINID" "$MAXID"
	bench list "$warm" "$ISMS" bench/list.lua "$TOKEN" "$DEPT" "$DEPT_ROWS"
	C=$LOW_CONNS bench list-low 0 "$ISMS" bench/list.lua "$TOKEN" "$DEPT" "$DEPT_ROWS"
done
LOADAVG_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
read -r C_RPS C_P50 C_P99 C_ERR C_TO < <(summary ceiling)
read -r G_RPS G_P50 G_P99 G_ERR G_TO < <(summary get)
read -r L_RPS L_P50 L_P99 L_ERR L_TO < <(summary list)
read -r LL_RPS LL_P50 LL_P99 LL_ERR LL_TO < <(summary list-low)
stop_server ceiling
stop_server isms

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
row() { printf '%-31s %9s %9s %9s %8s %7s %8s\n' "$@"; }

echo
echo "isms HTTP benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)"
echo "load average (1/5/15 min) before wrk: $LOADAVG, after: $LOADAVG_AFTER"
echo "data: $COUNT people via POST in $LOAD_SECS s ($(awk -v n="$COUNT" -v s="$LOAD_SECS" 'BEGIN { printf "%.0f", n / s }')/s, $POST_THREADS threads); isms verify: $VERIFY in $VERIFY_SECS s"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, $ROUNDS interleaved round(s), medians shown"
echo "list: department=$DEPT ($DEPT_ROWS of $COUNT rows), limit=50, random page"
echo
row "" "req/s" "p50 ms" "p99 ms" "ceiling" "errors" "timeouts"
row "GET /api/v1/people/ID" "$G_RPS" "$G_P50" "$G_P99" "$(ratio "$G_RPS" "$C_RPS")" "$G_ERR" "$G_TO"
row "GET /api/v1/people?department" "$L_RPS" "$L_P50" "$L_P99" "$(ratio "$L_RPS" "$C_RPS")" "$L_ERR" "$L_TO"
row "  same, $LOW_CONNS connections (info)" "$LL_RPS" "$LL_P50" "$LL_P99" "" "$LL_ERR" "$LL_TO"
row "ceiling (fixed 200 B JSON)" "$C_RPS" "$C_P50" "$C_P99" "100%" "$C_ERR" "$C_TO"
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
target "no errors or timeouts" test "$((G_ERR + G_TO + L_ERR + L_TO + C_ERR + C_TO))" -eq 0
target "isms verify passes after the load" test "$VERIFY" = ok
exit $status
