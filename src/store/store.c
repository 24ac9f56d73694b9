/* store.c — driver selection and the driver-independent part of the store interface. */
#include "store.h"
#include "../base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

static int open_store(struct store **out, const char *target, bool create,
		      struct store_stats *stats, struct err *e)
{
	const struct store_ops *ops = &store_sqlite_ops;
	if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0)
		ops = &store_postgres_ops;
	*out = NULL;
	if (ops->open(out, target, create, e) < 0) {
		if (stats)
			atomic_fetch_add(&stats->errors, 1);
		return -1;
	}
	(*out)->ops = ops;
	(*out)->stats = stats;
	(*out)->tx_depth = 0;
	return 0;
}

int store_open(struct store **out, const char *target, struct store_stats *stats,
	       struct err *e)
{
	return open_store(out, target, true, stats, e);
}

int store_open_existing(struct store **out, const char *target, struct store_stats *stats,
			struct err *e)
{
	return open_store(out, target, false, stats, e);
}

int store_health(struct store *s, char *reason, size_t size)
{
	return s->ops->health ? s->ops->health(s, reason, size) : 0;
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

bool store_is_postgres(const struct store *s)
{
	return s->ops == &store_postgres_ops;
}

int store_fail(struct store *s, struct err *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof e->message];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (s && s->stats && code == ERR_STORE)
		atomic_fetch_add(&s->stats->errors, 1);
	return err_set(e, code, NULL, "%s", msg);
}

int store_exec(struct store *s, const char *sql, const struct store_val *p, int n,
	       struct err *e)
{
	struct store_rows *r;
	if (s->ops->query(s, sql, p, n, &r, e) < 0)
		return -1;
	int rc;
	while ((rc = s->ops->next(r, e)) > 0)
		;
	s->ops->rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_query(struct store *s, const char *sql, const struct store_val *p, int n,
		struct store_rows **out, struct err *e)
{
	return s->ops->query(s, sql, p, n, out, e);
}

/* Every rows object begins with its connection's ops, so the generic calls can dispatch. */
struct store_rows {
	const struct store_ops *ops;
};

int store_next(struct store_rows *r, struct err *e)
{
	return r->ops->next(r, e);
}

const char *store_text(struct store_rows *r, int col)
{
	return r->ops->text(r, col);
}

long long store_int(struct store_rows *r, int col)
{
	const char *t = r->ops->text(r, col);
	return t ? store_parse_int(t) : 0;
}

const void *store_blob(struct store_rows *r, int col, size_t *len)
{
	return r->ops->blob(r, col, len);
}

bool store_isnull(struct store_rows *r, int col)
{
	return r->ops->text(r, col) == NULL;
}

void store_rows_free(struct store_rows *r)
{
	if (r)
		r->ops->rows_free(r);
}

int store_query_int(struct store *s, const char *sql, const struct store_val *p, int n,
		    long long *out, bool *found, struct err *e)
{
	struct store_rows *r;
	if (store_query(s, sql, p, n, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	if (rc > 0)
		*out = store_int(r, 0);
	if (found)
		*found = rc > 0;
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_script(struct store *s, const char *sql, struct err *e)
{
	return s->ops->script(s, sql, e);
}

int store_begin(struct store *s, bool write, struct err *e)
{
	if (s->tx_depth > 0)
		return err_set(e, ERR_INTERNAL, NULL, "transaction already open");
	if (write && s->ops->writable && s->ops->writable(s, e) < 0)
		return -1;
	if (s->ops->begin(s, write, e) < 0)
		return -1;
	s->tx_depth = 1;
	s->writing = write;
	return 0;
}

int store_commit(struct store *s, struct err *e)
{
	if (s->tx_depth <= 0)
		return err_set(e, ERR_INTERNAL, NULL, "no transaction to commit");
	if ((s->writing && s->ops->writable && s->ops->writable(s, e) < 0) ||
	    store_exec(s, "COMMIT", NULL, 0, e) < 0) {
		store_rollback(s);
		return -1;
	}
	s->tx_depth = 0;
	return 0;
}

void store_rollback(struct store *s)
{
	struct err ignored;
	if (s->tx_depth <= 0)
		return;
	s->tx_depth = 0;
	store_exec(s, "ROLLBACK", NULL, 0, &ignored);
}

long long store_parse_int(const char *text)
{
	long long v = 0;
	return text_to_ll(text, LLONG_MIN, LLONG_MAX, &v) ? v : 0;
}
