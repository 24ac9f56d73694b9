/* sqlite.c — the SQLite driver: one connection per thread, WAL, foreign keys, busy timeout,
   and a per-connection cache of prepared statements keyed by their SQL text. */
#include "store.h"
#include "../base/xalloc.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 512

struct cached {
	char *sql;
	sqlite3_stmt *st;
	bool in_use;
};

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	struct cached cache[CACHE_SLOTS];
	int ncached;
};

struct store_rows {
	const struct store_ops *ops;
	struct sqlite_store *s;
	sqlite3_stmt *st;
	struct cached *slot; /* NULL: a one-off statement finalized on free */
};

static unsigned long hash_sql(const char *s)
{
	unsigned long h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static enum err_code map_code(int rc)
{
	int primary = rc & 0xff;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return ERR_CONFLICT;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return ERR_IN_USE;
	(void)primary;
	return ERR_STORE;
}

static int fail(struct sqlite_store *s, struct err *e, int rc)
{
	return store_fail(&s->base, e, map_code(rc), "sqlite: %s", sqlite3_errmsg(s->db));
}

static int sq_open(struct store **out, const char *target, struct err *e)
{
	struct sqlite_store *s = xcalloc(1, sizeof *s);
	int rc = sqlite3_open_v2(target, &s->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_STORE, NULL, "cannot open %s: %s", target,
			s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(s);
		return -1;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* A double-quoted name that is not a column must be an error, never a string. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	sqlite3_busy_timeout(s->db, 5000);
	char *msg = NULL;
	rc = sqlite3_exec(s->db,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			  "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;"
			  "PRAGMA mmap_size=268435456;",
			  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_STORE, NULL, "cannot open %s: %s", target, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(s->db);
		free(s);
		return -1;
	}
	*out = &s->base;
	return 0;
}

static void sq_close(struct store *base)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (s->cache[i].sql) {
			sqlite3_finalize(s->cache[i].st);
			free(s->cache[i].sql);
		}
	}
	sqlite3_close(s->db);
	free(s);
}

/* Finds or prepares the statement for sql. */
static int prepare(struct sqlite_store *s, const char *sql, sqlite3_stmt **st,
		   struct cached **slot, struct err *e)
{
	unsigned long h = hash_sql(sql) % CACHE_SLOTS;
	for (int probe = 0; probe < 8; probe++) {
		struct cached *c = &s->cache[(h + (unsigned long)probe) % CACHE_SLOTS];
		if (c->sql && strcmp(c->sql, sql) == 0) {
			if (c->in_use)
				break;
			c->in_use = true;
			*st = c->st;
			*slot = c;
			return 0;
		}
		if (!c->sql) {
			int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
						    NULL);
			if (rc != SQLITE_OK)
				return fail(s, e, rc);
			c->sql = xstrdup(sql);
			c->st = *st;
			c->in_use = true;
			*slot = c;
			return 0;
		}
	}
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, e, rc);
	*slot = NULL;
	return 0;
}

static int sq_query(struct store *base, const char *sql, const struct store_val *p, int n,
		    struct store_rows **out, struct err *e)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	sqlite3_stmt *st = NULL;
	struct cached *slot = NULL;
	if (prepare(s, sql, &st, &slot, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof name, "$%d", i + 1);
		int idx = sqlite3_bind_parameter_index(st, name);
		if (idx == 0)
			continue;
		int rc = SQLITE_OK;
		switch (p[i].type) {
		case SV_NULL:
			rc = sqlite3_bind_null(st, idx);
			break;
		case SV_INT:
			rc = sqlite3_bind_int64(st, idx, p[i].i);
			break;
		case SV_TEXT:
			rc = sqlite3_bind_text(st, idx, p[i].s, -1, SQLITE_STATIC);
			break;
		case SV_BLOB: /* a NULL pointer would bind SQL NULL, so an empty blob points at "" */
			rc = sqlite3_bind_blob64(st, idx, p[i].s ? p[i].s : "", p[i].len,
						 SQLITE_STATIC);
			break;
		}
		if (rc != SQLITE_OK) {
			fail(s, e, rc);
			sqlite3_clear_bindings(st);
			sqlite3_reset(st);
			if (slot)
				slot->in_use = false;
			else
				sqlite3_finalize(st);
			return -1;
		}
	}
	struct store_rows *r = xmalloc(sizeof *r);
	r->ops = &store_sqlite_ops;
	r->s = s;
	r->st = st;
	r->slot = slot;
	*out = r;
	return 0;
}

static int sq_next(struct store_rows *r, struct err *e)
{
	int rc = sqlite3_step(r->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return fail(r->s, e, rc);
}

static const char *sq_text(struct store_rows *r, int col)
{
	if (sqlite3_column_type(r->st, col) == SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_column_text(r->st, col);
}

static const void *sq_blob(struct store_rows *r, int col, size_t *len)
{
	*len = 0;
	if (sqlite3_column_type(r->st, col) == SQLITE_NULL)
		return NULL;
	const void *p = sqlite3_column_blob(r->st, col);
	*len = (size_t)sqlite3_column_bytes(r->st, col);
	return p ? p : ""; /* an empty blob comes back as NULL from SQLite */
}

static void sq_rows_free(struct store_rows *r)
{
	if (r->slot) {
		sqlite3_reset(r->st);
		sqlite3_clear_bindings(r->st);
		r->slot->in_use = false;
	} else {
		sqlite3_finalize(r->st);
	}
	free(r);
}

static int sq_script(struct store *base, const char *sql, struct err *e)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		store_fail(base, e, map_code(rc), "sqlite: %s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int sq_begin(struct store *base, bool write, struct err *e)
{
	return sq_script(base, write ? "BEGIN IMMEDIATE" : "BEGIN", e);
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.serial_pk = "INTEGER PRIMARY KEY AUTOINCREMENT",
	.blob_type = "BLOB",
	.open = sq_open,
	.close = sq_close,
	.query = sq_query,
	.next = sq_next,
	.text = sq_text,
	.blob = sq_blob,
	.rows_free = sq_rows_free,
	.script = sq_script,
	.begin = sq_begin,
};
