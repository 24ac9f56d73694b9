/* postgres.c — the PostgreSQL driver (libpq): one connection per thread, prepared statements
   cached per connection by SQL text, parameters always sent separately from the SQL. */
#include "store.h"
#include "../base/xalloc.h"

#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 512
#define MAX_PARAMS 65535 /* the protocol's limit: a count is 16 bits */

struct pg_store {
	struct store base;
	PGconn *conn;
	char *cache_sql[CACHE_SLOTS];
	int nprepared;
};

struct store_rows {
	const struct store_ops *ops;
	PGresult *res;
	int row; /* current row, -1 before the first */
	int nrows;
	unsigned char *bytes; /* the last column decoded by pg_blob, freed on next/free */
};

static unsigned long hash_sql(const char *s)
{
	unsigned long h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static enum err_code map_state(const char *state)
{
	if (!state)
		return ERR_STORE;
	if (strcmp(state, "23505") == 0)
		return ERR_CONFLICT;
	if (strcmp(state, "23503") == 0)
		return ERR_IN_USE;
	return ERR_STORE;
}

static int fail_res(struct pg_store *s, PGresult *res, struct err *e)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(s->conn);
	enum err_code code = map_state(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL);
	char clean[400];
	snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : PQerrorMessage(s->conn));
	size_t n = strlen(clean);
	while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
		clean[--n] = '\0';
	return store_fail(&s->base, e, code, "postgres: %s", clean);
}

static void notice_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_open(struct store **out, const char *target, bool create, struct err *e)
{
	(void)create; /* a PostgreSQL database is never created by isms */
	struct pg_store *s = xcalloc(1, sizeof *s);
	s->conn = PQconnectdb(target);
	if (PQstatus(s->conn) != CONNECTION_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->conn));
		size_t n = strlen(msg);
		while (n && msg[n - 1] == '\n')
			msg[--n] = '\0';
		err_set(e, ERR_STORE, NULL, "cannot connect to PostgreSQL: %s", msg);
		PQfinish(s->conn);
		free(s);
		return -1;
	}
	PQsetNoticeProcessor(s->conn, notice_quiet, NULL);
	PGresult *res = PQexec(s->conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(res);
	*out = &s->base;
	return 0;
}

static void pg_close(struct store *base)
{
	struct pg_store *s = (struct pg_store *)base;
	for (int i = 0; i < CACHE_SLOTS; i++)
		free(s->cache_sql[i]);
	PQfinish(s->conn);
	free(s);
}

/* Returns the prepared statement name for sql in name, preparing it on first use;
   name is "" when the cache is full and the statement must run unprepared. */
static int prepare(struct pg_store *s, const char *sql, int n, char name[16], struct err *e)
{
	unsigned long h = hash_sql(sql) % CACHE_SLOTS;
	for (int probe = 0; probe < 8; probe++) {
		unsigned long slot = (h + (unsigned long)probe) % CACHE_SLOTS;
		if (s->cache_sql[slot] && strcmp(s->cache_sql[slot], sql) == 0) {
			snprintf(name, 16, "s%lu", slot);
			return 0;
		}
		if (!s->cache_sql[slot]) {
			snprintf(name, 16, "s%lu", slot);
			PGresult *res = PQprepare(s->conn, name, sql, n, NULL);
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				fail_res(s, res, e);
				PQclear(res);
				return -1;
			}
			PQclear(res);
			s->cache_sql[slot] = xstrdup(sql);
			return 0;
		}
	}
	name[0] = '\0';
	return 0;
}

/* Runs sql with n bound parameters. The parameters' text forms live in one allocation for
   the call (a set of ids may bind hundreds); freed before returning. */
static int pg_query(struct store *base, const char *sql, const struct store_val *p, int n,
		    struct store_rows **out, struct err *e)
{
	struct pg_store *s = (struct pg_store *)base;
	if (n > MAX_PARAMS)
		return store_fail(base, e, ERR_INTERNAL, "too many parameters (%d)", n);
	char name[16];
	if (prepare(s, sql, n, name, e) < 0)
		return -1;
	size_t m = n > 0 ? (size_t)n : 1;
	const char **values = xcalloc(m, sizeof *values);
	char (*ints)[24] = xcalloc(m, sizeof *ints);
	int *lengths = xcalloc(m, sizeof *lengths), *formats = xcalloc(m, sizeof *formats);
	PGresult *res = NULL;
	bool binary = false;
	int rc = -1;
	for (int i = 0; i < n; i++) {
		switch (p[i].type) {
		case SV_NULL:
			values[i] = NULL;
			break;
		case SV_INT:
			snprintf(ints[i], sizeof ints[i], "%lld", p[i].i);
			values[i] = ints[i];
			break;
		case SV_TEXT:
			values[i] = p[i].s;
			break;
		case SV_BLOB: /* sent as binary: bytes go over the wire as they are */
			if (p[i].len > INT_MAX) {
				store_fail(base, e, ERR_TOO_LARGE, "a value is too large");
				goto cleanup;
			}
			values[i] = p[i].s ? p[i].s : "";
			lengths[i] = (int)p[i].len;
			formats[i] = 1;
			binary = true;
			break;
		}
	}
	const int *lens = binary ? lengths : NULL, *fmts = binary ? formats : NULL;
	res = name[0] ? PQexecPrepared(s->conn, name, n, values, lens, fmts, 0)
		      : PQexecParams(s->conn, sql, n, NULL, values, lens, fmts, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		fail_res(s, res, e);
		PQclear(res);
		goto cleanup;
	}
	struct store_rows *r = xmalloc(sizeof *r);
	r->ops = &store_postgres_ops;
	r->res = res;
	r->row = -1;
	r->nrows = st == PGRES_TUPLES_OK ? PQntuples(res) : 0;
	r->bytes = NULL;
	*out = r;
	rc = 0;
cleanup:
	free(values);
	free(ints);
	free(lengths);
	free(formats);
	return rc;
}

static int pg_next(struct store_rows *r, struct err *e)
{
	(void)e;
	PQfreemem(r->bytes);
	r->bytes = NULL;
	if (r->row + 1 >= r->nrows)
		return 0;
	r->row++;
	return 1;
}

static const char *pg_text(struct store_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

/* bytea comes back as hex text ("\\x…"); PQunescapeBytea decodes it. */
static const void *pg_blob(struct store_rows *r, int col, size_t *len)
{
	*len = 0;
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	PQfreemem(r->bytes);
	r->bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(r->res, r->row, col), len);
	if (!r->bytes)
		abort(); /* out of memory, as xmalloc does */
	return r->bytes;
}

static void pg_rows_free(struct store_rows *r)
{
	PQfreemem(r->bytes);
	PQclear(r->res);
	free(r);
}

static int pg_script(struct store *base, const char *sql, struct err *e)
{
	struct pg_store *s = (struct pg_store *)base;
	PGresult *res = PQexec(s->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fail_res(s, res, e);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* Write transactions take one transaction-scoped advisory lock first, so they run one at
   a time across every server process, as SQLite's BEGIN IMMEDIATE does: rules that read
   before they write ("one approved scope at a time") then hold on both stores. */
static int pg_begin(struct store *base, bool write, struct err *e)
{
	return pg_script(base, write ? "BEGIN; SELECT pg_advisory_xact_lock(1230063955)" : "BEGIN",
			 e);
}

const struct store_ops store_postgres_ops = {
	.name = "postgres",
	.serial_pk = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.blob_type = "BYTEA",
	.open = pg_open,
	.close = pg_close,
	.query = pg_query,
	.next = pg_next,
	.text = pg_text,
	.blob = pg_blob,
	.rows_free = pg_rows_free,
	.script = pg_script,
	.begin = pg_begin,
};
