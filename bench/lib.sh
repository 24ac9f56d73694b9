# lib.sh — what the list benchmarks (risks.sh, policies.sh) share; sourced, not run. A private
# copy of the release ./isms on a fresh SQLite store in a temporary directory, accounts with
# API tokens, `isms serve` on a free port (stopped and the directory removed on exit), and one
# table row of wrk's req/s, p50 and p99 per path. Knobs: BENCH_CONNECTIONS (16),
# BENCH_DURATION (10s).
CONN=${BENCH_CONNECTIONS:-16}
DUR=${BENCH_DURATION:-10s}
PID=""
DIR=""
bench_cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null
	[ -n "$DIR" ] && rm -rf "$DIR"
}

# bench_init NAME: builds ./isms, copies it into a new /tmp/isms-NAME.XXXXXX and runs init
# there; $I is then the isms command line on that store.
bench_init() {
	make -s isms >/dev/null
	DIR=$(mktemp -d "/tmp/isms-$1.XXXXXX")
	trap bench_cleanup EXIT INT TERM
	cp isms "$DIR/isms"
	I="$DIR/isms --db $DIR/b.db"
	$I init >/dev/null
}

# bench_user NAME ROLE: adds the account and prints an API token for it.
bench_user() {
	echo "bench-password-$1" | $I user add "$1" --role "$2" --password-stdin >/dev/null
	$I token create "$1"
}

bench_id() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }

# bench_boss: adds the account "boss" (application role top_management) linked to a person
# who holds a top-management role of the organization since 2020, so that it may approve
# (authority comes from the organization's roles); prints an API token for it.
bench_boss() {
	person=$($I --as admin add people name="Board chair" --json | bench_id)
	role=$($I --as admin add roles name="Chief executive" top_management=true \
		responsibilities="Leads the organization." --json | bench_id)
	$I --as admin add role-assignments person="$person" role="$role" starts_on=2020-01-01 >/dev/null
	echo "bench-password-boss" | $I user add boss --role top_management --person "$person" \
		--password-stdin >/dev/null
	$I token create boss
}

# bench_serve: starts the server; $BASE is then its address.
bench_serve() {
	$I serve --listen 127.0.0.1:0 >"$DIR/serve.out" 2>"$DIR/serve.err" &
	PID=$!
	while ! grep -q listening "$DIR/serve.out" 2>/dev/null; do sleep 0.1; done
	BASE="http://127.0.0.1:$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DIR/serve.out")"
}

bench_header() {
	printf '%-58s %8s %8s %8s\n' "GET ($1$CONN connections, $DUR)" "req/s" "p50 ms" "p99 ms"
}

# bench_row TOKEN PATH: one row of the table.
bench_row() {
	out=$(wrk -t2 -c"$CONN" -d"$DUR" --latency -s bench/path.lua "$BASE" -- "$1" "$2")
	printf '%-58s %8s %8s %8s\n' "$2" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
		"$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}

# bench_cpu TOKEN PATH [N]: the server's CPU time per answer (user + system, from
# /proc/PID/stat, over N sequential requests, default 20), in ms — what one answer costs
# the server, which a machine busy with other work inflates far less than wall time.
bench_cpu() {
	n=${3:-20}
	hz=$(getconf CLK_TCK)
	before=$(awk '{print $14 + $15}' "/proc/$PID/stat")
	i=0
	while [ "$i" -lt "$n" ]; do
		curl -s -o /dev/null -H "Authorization: Bearer $1" "$BASE$2"
		i=$((i + 1))
	done
	after=$(awk '{print $14 + $15}' "/proc/$PID/stat")
	awk -v p="$2" -v d=$((after - before)) -v n="$n" -v hz="$hz" \
		'BEGIN {printf "%-58s %8.1f ms CPU\n", p, d * 1000 / hz / n}'
}
