#!/bin/sh
# Runs a command with a private, throwaway PostgreSQL server on a free loopback port.
# Exports ISMS_PG_URL (a superuser URL to the "postgres" database) for the command, and
# stops the server by its data directory whatever the command's outcome. Fails (never
# skips) if PostgreSQL cannot start.
set -eu
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
	echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
	exit 1
fi
BASE=$(mktemp -d /tmp/isms-pg.XXXXXX)
chmod 755 "$BASE"
RUN=""
if [ "$(id -u)" -eq 0 ]; then
	chown postgres:postgres "$BASE"
	RUN="runuser -u postgres --"
fi
# A free port: ask the kernel for one, then hand it to PostgreSQL.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
	node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
stop() {
	$RUN "$PGBIN/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$BASE"
}
trap stop EXIT INT TERM
$RUN "$PGBIN/initdb" -D "$BASE/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$BASE/initdb.log" 2>&1 ||
	{ cat "$BASE/initdb.log" >&2; echo "with-postgres: initdb failed" >&2; exit 1; }
$RUN "$PGBIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 30 \
	-o "-c listen_addresses=127.0.0.1 -p $PORT -k $BASE -c fsync=off -c max_connections=200" start >/dev/null ||
	{ cat "$BASE/server.log" >&2; echo "with-postgres: PostgreSQL did not start" >&2; exit 1; }
export ISMS_PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT"
set +e
"$@"
status=$?
exit $status
