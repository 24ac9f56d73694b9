/* sqlite.c — the SQLite driver: one connection per thread, WAL, foreign keys, busy timeout,
   and a per-connection cache of prepared statements keyed by their SQL text. */
#include "store.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define CACHE_SLOTS 512

struct cached {
	char *sql;
	sqlite3_stmt *st;
	bool in_use;
};

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	/* The file as opened: if the path later names no file or another one, writes would go
	   to an unlinked inode and be lost, so they are refused. NULL for in-memory stores. */
	char *path;
	dev_t dev;
	ino_t ino;
	bool warned; /* the loss was logged by this connection */
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
	if (primary == SQLITE_FULL || primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN)
		return ERR_UNAVAILABLE;
	(void)primary;
	return ERR_STORE;
}

static int fail(struct sqlite_store *s, struct err *e, int rc)
{
	return store_fail(&s->base, e, map_code(rc), "sqlite: %s", sqlite3_errmsg(s->db));
}

static int sq_open(struct store **out, const char *target, bool create, struct err *e)
{
	struct sqlite_store *s = xcalloc(1, sizeof *s);
	int rc = sqlite3_open_v2(target, &s->db,
				 SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		if (!create && (rc & 0xff) == SQLITE_CANTOPEN)
			err_set(e, ERR_UNAVAILABLE, NULL,
				"there is no database at %s: create it with 'isms init'", target);
		else
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
	const char *file = sqlite3_db_filename(s->db, "main");
	struct stat st;
	if (file && *file && stat(file, &st) == 0) {
		s->path = xstrdup(file);
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	*out = &s->base;
	return 0;
}

/* Whether the path still names the file this connection opened. */
static const char *file_lost(struct sqlite_store *s)
{
	struct stat st;
	if (!s->path)
		return NULL;
	if (stat(s->path, &st) != 0)
		return errno == ENOENT ? "the database file was removed" : "the database file cannot be read";
	if (st.st_dev != s->dev || st.st_ino != s->ino)
		return "the database file was replaced by another file";
	return NULL;
}

static int sq_writable(struct store *base, struct err *e)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	const char *why = file_lost(s);
	if (!why)
		return 0;
	if (!s->warned) {
		fprintf(stderr, "isms: %s (%s) while in use; writes are refused until it is restored "
				"and isms restarted\n",
			why, s->path);
		s->warned = true;
	}
	return store_fail(base, e, ERR_UNAVAILABLE,
			  "%s; nothing was saved (writes are refused until it is restored)", why);
}

static int sq_health(struct store *base, char *reason, size_t size)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	const char *why = file_lost(s);
	struct stat st;
	struct statvfs vfs;
	if (why) {
		snprintf(reason, size, "%s", why);
		return -1;
	}
	if (!s->path)
		return 0;
	/* Write bits are checked too: access() says yes to root whatever the mode. */
	if (access(s->path, W_OK) != 0 ||
	    (stat(s->path, &st) == 0 && (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0)) {
		snprintf(reason, size, "the database file is read-only");
		return -1;
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", s->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (statvfs(slash ? dir : ".", &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize < 1024ull * 1024) {
		snprintf(reason, size, "the disk of the database is full");
		return -1;
	}
	return 0;
}

static void sq_close(struct store *base)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	free(s->path);
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
	.writable = sq_writable,
	.health = sq_health,
};
