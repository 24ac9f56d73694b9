/* store.h — the one storage interface: connections, transactions, statements with bound
   parameters and row iteration. Drivers (sqlite.c, postgres.c) fill a store_ops table.
   SQL is written once in a portable subset with $1..$n placeholders. */
#ifndef ISMS_STORE_H
#define ISMS_STORE_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/err.h"

enum store_val_type { SV_NULL, SV_INT, SV_TEXT, SV_BLOB };

/* A bound parameter. Text and blob bytes are borrowed for the duration of the call; a blob
   is len bytes at s and may hold NULs. */
struct store_val {
	enum store_val_type type;
	long long i;
	const char *s;
	size_t len;
};

#define SVI(x) ((struct store_val){.type = SV_INT, .i = (x)})
#define SVS(x) store_val_text(x)
#define SVNULL ((struct store_val){.type = SV_NULL})
#define SVB(p, n) ((struct store_val){.type = SV_BLOB, .s = (const char *)(p), .len = (n)})

/* Text, or SQL NULL when s is NULL. */
static inline struct store_val store_val_text(const char *s)
{
	return (struct store_val){.type = s ? SV_TEXT : SV_NULL, .s = s};
}

struct store;
struct store_rows;

/* Shared counters a process keeps across all its connections. */
struct store_stats {
	atomic_ulong errors;
};

struct store_ops {
	const char *name;
	/* DDL fragment for an auto-numbered integer primary key column. */
	const char *serial_pk;
	/* DDL column type for binary content (BLOB, bytea). */
	const char *blob_type;
	/* create: a SQLite file that does not exist is created (init), else refused. */
	int (*open)(struct store **out, const char *target, bool create, struct err *e);
	void (*close)(struct store *s);
	int (*query)(struct store *s, const char *sql, const struct store_val *p, int n,
		     struct store_rows **out, struct err *e);
	int (*next)(struct store_rows *r, struct err *e);
	const char *(*text)(struct store_rows *r, int col);
	const void *(*blob)(struct store_rows *r, int col, size_t *len);
	void (*rows_free)(struct store_rows *r);
	int (*script)(struct store *s, const char *sql, struct err *e);
	int (*begin)(struct store *s, bool write, struct err *e);
	/* Optional: whether a write may commit now (SQLite: the file is still the one opened);
	   ERR_UNAVAILABLE otherwise. */
	int (*writable)(struct store *s, struct err *e);
	/* Optional: 0 when the store can take writes, or -1 with why not in reason (the file
	   was removed or replaced, is read-only, or its disk is full). */
	int (*health)(struct store *s, char *reason, size_t size);
};

/* The part every driver's connection starts with. */
struct store {
	const struct store_ops *ops;
	struct store_stats *stats; /* may be NULL */
	int tx_depth;
	bool writing; /* the open transaction is a write transaction */
};

/* Opens a connection: target is "postgres://…"/"postgresql://…" for PostgreSQL, otherwise
   a SQLite file path. Caller owns *out and closes it with store_close. */
int store_open(struct store **out, const char *target, struct store_stats *stats,
	       struct err *e);
/* Like store_open, but a SQLite file must exist already (serving never creates one):
   ERR_UNAVAILABLE otherwise. */
int store_open_existing(struct store **out, const char *target, struct store_stats *stats,
			struct err *e);
void store_close(struct store *s);
/* 0 when the store can take writes; otherwise -1 and why not in reason. */
int store_health(struct store *s, char *reason, size_t size);
bool store_is_postgres(const struct store *s);

/* Runs a statement, discarding any rows it returns. */
int store_exec(struct store *s, const char *sql, const struct store_val *p, int n,
	       struct err *e);
/* Runs a query; the caller owns *out and frees it with store_rows_free. */
int store_query(struct store *s, const char *sql, const struct store_val *p, int n,
		struct store_rows **out, struct err *e);
/* 1 when a row is ready, 0 at the end, -1 on error. */
int store_next(struct store_rows *r, struct err *e);
/* Column text of the current row, NULL for SQL NULL; valid until the next store_next. */
const char *store_text(struct store_rows *r, int col);
long long store_int(struct store_rows *r, int col);
/* A stored whole number written as text (SQLite and PostgreSQL give text), or 0. */
long long store_parse_int(const char *text);
/* Column bytes of the current row (a blob column), NULL for SQL NULL; *len gets the size.
   Owned by r and valid until the next store_next or store_rows_free. */
const void *store_blob(struct store_rows *r, int col, size_t *len);
bool store_isnull(struct store_rows *r, int col);
void store_rows_free(struct store_rows *r);
/* Runs the query and reads one integer from the first row; *found says if there was a row. */
int store_query_int(struct store *s, const char *sql, const struct store_val *p, int n,
		    long long *out, bool *found, struct err *e);
/* Runs several ;-separated statements without parameters (migrations). */
int store_script(struct store *s, const char *sql, struct err *e);

/* Transactions: one per request or command, never nested (a second begin is an error). */
int store_begin(struct store *s, bool write, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/* For drivers: counts a store error and fills e. */
int store_fail(struct store *s, struct err *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_postgres_ops;

#endif
