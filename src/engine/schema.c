/* schema.c — migrations. Migration N runs its fixed SQL, then creates the tables of record
   types introduced in N and adds the columns of fields introduced in N, all derived from the
   registry; schema_version records each migration as applied or failed. */
#include "schema.h"
#include "../base/buf.h"
#include "../base/clock.h"

#include <stdio.h>
#include <string.h>

/* Fixed SQL per version; {serial} becomes the driver's auto-numbered key and {blob} its
   binary column type. Runs after the record tables of that version exist. */
static const char *const fixed_sql[] = {
	[1] = "CREATE TABLE chain_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, "
	      "hash TEXT NOT NULL);"
	      "INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '');"
	      "CREATE TABLE changes (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, "
	      "actor TEXT NOT NULL, record_type TEXT NOT NULL, record_id BIGINT NOT NULL, "
	      "op TEXT NOT NULL, state TEXT, detail TEXT, hash TEXT NOT NULL);"
	      "CREATE INDEX changes_record ON changes (record_type, record_id, seq);"
	      "CREATE TABLE record_links (from_type TEXT NOT NULL, from_id BIGINT NOT NULL, "
	      "field TEXT NOT NULL, to_type TEXT NOT NULL, to_id BIGINT NOT NULL);"
	      "CREATE INDEX record_links_to ON record_links (to_type, to_id);"
	      "CREATE INDEX record_links_from ON record_links (from_type, from_id);"
	      "CREATE TABLE credentials (user_id BIGINT PRIMARY KEY REFERENCES users (id) "
	      "ON DELETE CASCADE, hash TEXT NOT NULL, must_change INTEGER NOT NULL DEFAULT 0, "
	      "updated_at TEXT NOT NULL);"
	      "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL "
	      "REFERENCES users (id) ON DELETE CASCADE, csrf TEXT NOT NULL, "
	      "created_at TEXT NOT NULL, expires_at TEXT NOT NULL);"
	      "CREATE INDEX sessions_user ON sessions (user_id);"
	      "CREATE TABLE api_tokens (id {serial}, token_hash TEXT NOT NULL UNIQUE, "
	      "user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE, "
	      "name TEXT, created_at TEXT NOT NULL);"
	      "CREATE TABLE login_failures (id {serial}, username TEXT NOT NULL, "
	      "address TEXT NOT NULL, at TEXT NOT NULL);"
	      "CREATE INDEX login_failures_user ON login_failures (username, at);"
	      "CREATE INDEX login_failures_address ON login_failures (address, at);"
	      /* Uploaded files, once per content: attachment records name them by hash. */
	      "CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, "
	      "content {blob} NOT NULL);",
	/* What changed in a period, counted for management reviews (changes_counts). */
	[4] = "CREATE INDEX changes_at ON changes (at);",
};

/* Fixed SQL per version that converts the data of a database made before it: it runs only
   when upgrading (a new database has the new shape from the start). */
static const char *const upgrade_sql[] = {
	/* Authority from the organization's roles: application-role fields give way to
	   references to roles (audiences start empty: app roles do not map to them); SoA
	   versions gain a status (those before were approved when made); and undecided
	   requirements: a version-1 column refused null. */
	[3] = "DROP INDEX IF EXISTS \"documents_approver_role_idx\";"
	      "ALTER TABLE documents DROP COLUMN approver_role;"
	      "UPDATE documents SET audience_roles = NULL;"
	      "DROP INDEX IF EXISTS \"risk_methods_acceptance_role_idx\";"
	      "ALTER TABLE risk_methods DROP COLUMN acceptance_role;"
	      "UPDATE soa_versions SET status = 'approved', title = 'SoA version ' || number, "
	      "prepared_by = approved_by, prepared_on = approved_on;"
	      "DROP INDEX IF EXISTS \"requirements_addressed_idx\";"
	      "ALTER TABLE requirements RENAME COLUMN addressed TO addressed_v2;"
	      "ALTER TABLE requirements ADD COLUMN addressed INTEGER;"
	      "UPDATE requirements SET addressed = addressed_v2;"
	      "ALTER TABLE requirements DROP COLUMN addressed_v2;"
	      "CREATE INDEX \"requirements_addressed_idx\" ON \"requirements\" (\"addressed\", "
	      "((\"description\" IS NULL)), \"description\", id);",
};

static const char *column_type(const struct field *f)
{
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		return "BIGINT";
	case FT_BOOL:
		return f->flags & F_NULLABLE ? "INTEGER" : "INTEGER NOT NULL DEFAULT 0";
	default:
		return "TEXT";
	}
}

/* The stored field a type's lists are sorted by default, or NULL (sorted by id). */
static const struct field *default_sort_field(const struct record_type *rt)
{
	const char *s = rt->default_sort;
	if (!s)
		return NULL;
	const struct field *f = record_field(rt, s[0] == '-' ? s + 1 : s);
	return f && !(f->flags & (F_WRITEONLY | F_DERIVED)) && f->type != FT_REFS ? f : NULL;
}

/* Lists order by (col IS NULL), col, id (nulls last on both stores) and filter by equality,
   so each filterable field gets an index that serves "filter, then the default order" and
   the default order gets one of its own: a page of 50 never sorts the whole table. */
static void field_indexes(struct buf *b, const struct record_type *rt, const struct field *f)
{
	const struct field *s = default_sort_field(rt);
	char order[160] = "id";
	if (s)
		snprintf(order, sizeof order, "((\"%s\" IS NULL)), \"%s\", id", s->name, s->name);
	if (f->flags & F_UNIQUE)
		buf_printf(b, "CREATE UNIQUE INDEX \"%s_%s_key\" ON \"%s\" (\"%s\");", rt->table,
			   f->name, rt->table, f->name);
	if (f == s)
		buf_printf(b, "CREATE INDEX \"%s_%s_sort\" ON \"%s\" (%s);", rt->table, f->name,
			   rt->table, order);
	else if (f->type == FT_REF || f->type == FT_ENUM || f->type == FT_BOOL ||
		 (f->flags & F_INDEX))
		buf_printf(b, "CREATE INDEX \"%s_%s_idx\" ON \"%s\" (\"%s\", %s);", rt->table,
			   f->name, rt->table, f->name, order);
}

static int field_since(const struct record_type *rt, const struct field *f)
{
	return f->since ? f->since : rt->since;
}

/* Appends the DDL of version v derived from the registry. */
static void derived_ddl(struct buf *b, const struct registry *reg, const char *serial, int v)
{
	for (size_t t = 0; t < reg->ntypes; t++) {
		const struct record_type *rt = reg->types[t];
		if (rt->since == v) {
			buf_printf(b,
				   "CREATE TABLE \"%s\" (id %s, version BIGINT NOT NULL DEFAULT 1, "
				   "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
				   "_search TEXT NOT NULL DEFAULT ''",
				   rt->table, serial);
			for (size_t i = 0; i < rt->nfields; i++) {
				const struct field *f = &rt->fields[i];
				if (!(f->flags & (F_WRITEONLY | F_DERIVED)) && field_since(rt, f) <= v)
					buf_printf(b, ", \"%s\" %s", f->name, column_type(f));
			}
			buf_puts(b, ");");
		}
		for (size_t i = 0; i < rt->nfields; i++) {
			const struct field *f = &rt->fields[i];
			if ((f->flags & (F_WRITEONLY | F_DERIVED)) || field_since(rt, f) != v ||
			    rt->since > v)
				continue;
			if (rt->since < v)
				buf_printf(b, "ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s;", rt->table,
					   f->name, column_type(f));
			field_indexes(b, rt, f);
		}
	}
}

/* Replaces each {serial} and {blob} in sql with the driver's DDL fragments. */
static void expand(struct buf *b, const char *sql, const struct store_ops *ops)
{
	static const char *const names[] = {"{serial}", "{blob}"};
	const char *values[] = {ops->serial_pk, ops->blob_type};
	while (*sql) {
		size_t k = 0;
		while (k < 2 && strncmp(sql, names[k], strlen(names[k])) != 0)
			k++;
		if (k < 2) {
			buf_puts(b, values[k]);
			sql += strlen(names[k]);
		} else {
			buf_putc(b, *sql++);
		}
	}
}

static int read_state(struct store *s, long long *current, long long *failed, struct err *e)
{
	bool found;
	*current = 0;
	*failed = 0;
	if (store_query_int(s, "SELECT max(version) FROM schema_version WHERE state = 'applied'",
			    NULL, 0, current, &found, e) < 0)
		return -1;
	return store_query_int(s, "SELECT max(version) FROM schema_version WHERE state = 'failed'",
			       NULL, 0, failed, &found, e);
}

static int failed_message(struct store *s, long long v, char *msg, size_t size, struct err *e)
{
	struct store_rows *r;
	struct store_val p[] = {SVI(v)};
	if (store_query(s, "SELECT message FROM schema_version WHERE version = $1 AND state = 'failed'",
			p, 1, &r, e) < 0)
		return -1;
	msg[0] = '\0';
	if (store_next(r, e) > 0 && store_text(r, 0))
		snprintf(msg, size, "%s", store_text(r, 0));
	store_rows_free(r);
	return 0;
}

static int ensure_version_table(struct store *s, struct err *e)
{
	return store_script(s,
			    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
			    "state TEXT NOT NULL, at TEXT NOT NULL, message TEXT)",
			    e);
}

static int apply_one(struct store *s, const struct registry *reg, int v, bool upgrading,
		     struct err *e)
{
	struct buf sql = BUF_INIT;
	char now[CLOCK_TS_LEN];
	int ret = -1;
	clock_now(now);
	derived_ddl(&sql, reg, s->ops->serial_pk, v);
	if (v < (int)(sizeof fixed_sql / sizeof fixed_sql[0]) && fixed_sql[v])
		expand(&sql, fixed_sql[v], s->ops);
	if (upgrading && v < (int)(sizeof upgrade_sql / sizeof upgrade_sql[0]) && upgrade_sql[v])
		expand(&sql, upgrade_sql[v], s->ops);
	if (store_begin(s, true, e) < 0)
		goto out;
	struct store_val p[] = {SVI(v), SVS(now)};
	if ((sql.len && store_script(s, sql.data, e) < 0) ||
	    store_exec(s, "DELETE FROM schema_version WHERE version = $1", p, 1, e) < 0 ||
	    store_exec(s, "INSERT INTO schema_version (version, state, at) VALUES ($1, 'applied', $2)",
		       p, 2, e) < 0 ||
	    store_commit(s, e) < 0) {
		store_rollback(s);
		goto out;
	}
	ret = 0;
out:
	buf_release(&sql);
	return ret;
}

int schema_migrate(struct store *s, const struct registry *reg, int *applied, struct err *e)
{
	long long current, failed;
	if (applied)
		*applied = 0;
	if (ensure_version_table(s, e) < 0 || read_state(s, &current, &failed, e) < 0)
		return -1;
	if (current > reg->schema_version)
		return err_set(e, ERR_SCHEMA, NULL,
			       "the database schema (version %lld) is newer than this isms binary "
			       "(version %d); upgrade isms",
			       current, reg->schema_version);
	for (int v = (int)current + 1; v <= reg->schema_version; v++) {
		if (apply_one(s, reg, v, current > 0, e) == 0) {
			if (applied)
				(*applied)++;
			continue;
		}
		struct err ignored;
		char now[CLOCK_TS_LEN];
		clock_now(now);
		struct store_val p[] = {SVI(v), SVS(now), SVS(e->message)};
		store_exec(s, "DELETE FROM schema_version WHERE version = $1", p, 1, &ignored);
		store_exec(s,
			   "INSERT INTO schema_version (version, state, at, message) "
			   "VALUES ($1, 'failed', $2, $3)",
			   p, 3, &ignored);
		char msg[sizeof e->message];
		snprintf(msg, sizeof msg, "%s", e->message);
		return err_set(e, ERR_SCHEMA, NULL,
			       "migration %d failed and was rolled back: %s", v, msg);
	}
	return 0;
}

int schema_check(struct store *s, const struct registry *reg, struct err *e)
{
	long long current, failed;
	bool exists;
	long long dummy;
	if (store_query_int(s,
			    store_is_postgres(s)
				    ? "SELECT 1 FROM information_schema.tables WHERE table_name = "
				      "'schema_version' AND table_schema = current_schema()"
				    : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
				      "'schema_version'",
			    NULL, 0, &dummy, &exists, e) < 0)
		return -1;
	if (!exists)
		return err_set(e, ERR_SCHEMA, NULL,
			       "this database has no isms schema yet; run `isms init` first");
	if (read_state(s, &current, &failed, e) < 0)
		return -1;
	if (failed > current) {
		char msg[300];
		if (failed_message(s, failed, msg, sizeof msg, e) < 0)
			return -1;
		return err_set(e, ERR_SCHEMA, NULL,
			       "migration %lld failed (%s); the schema is at version %lld. Fix the "
			       "cause and run `isms migrate`; isms will not run on a half-migrated "
			       "schema",
			       failed, msg, current);
	}
	if (current > reg->schema_version)
		return err_set(e, ERR_SCHEMA, NULL,
			       "the database schema (version %lld) is newer than this isms binary "
			       "(version %d); upgrade isms",
			       current, reg->schema_version);
	if (current < reg->schema_version)
		return err_set(e, ERR_SCHEMA, NULL,
			       "the database schema is at version %lld, this isms needs version %d; "
			       "run `isms migrate` (back up first with `isms backup FILE`)",
			       current, reg->schema_version);
	return 0;
}
