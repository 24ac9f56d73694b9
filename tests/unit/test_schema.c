/* test_schema.c — migrations and the schema-version check: a fresh database, a newer one,
   a failed migration that is recorded and then fixed, the DDL derived from the registry,
   and a later migration that adds a table and a column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/sec.h"
#include "../../src/engine/record.h"
#include "../../src/engine/schema.h"
#include "../../src/iso27001/iso.h"

static const char *const colors[] = {"red", "green", NULL};

/* A test type as the first schema version knows it… */
static const struct field gizmo_fields_v1[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_REQUIRED | F_UNIQUE},
	{.name = "notes", .label = "Notes", .type = FT_MARKDOWN},
	{.name = "count", .label = "Count", .type = FT_INT},
	{.name = "flag", .label = "Flag", .type = FT_BOOL},
	{.name = "color", .label = "Color", .type = FT_ENUM, .values = colors},
	{.name = "due", .label = "Due", .type = FT_DATE},
	{.name = "mail", .label = "Mail", .type = FT_EMAIL},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person"},
	{.name = "members", .label = "Members", .type = FT_REFS, .ref = "person"},
	{.name = "secret", .label = "Secret", .type = FT_TEXT, .flags = F_WRITEONLY},
};

/* …and as the next version knows it: one more column. */
static const struct field gizmo_fields_v2[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_REQUIRED | F_UNIQUE},
	{.name = "notes", .label = "Notes", .type = FT_MARKDOWN},
	{.name = "count", .label = "Count", .type = FT_INT},
	{.name = "flag", .label = "Flag", .type = FT_BOOL},
	{.name = "color", .label = "Color", .type = FT_ENUM, .values = colors},
	{.name = "due", .label = "Due", .type = FT_DATE},
	{.name = "mail", .label = "Mail", .type = FT_EMAIL},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person"},
	{.name = "members", .label = "Members", .type = FT_REFS, .ref = "person"},
	{.name = "secret", .label = "Secret", .type = FT_TEXT, .flags = F_WRITEONLY},
	{.name = "added", .label = "Added later", .type = FT_TEXT, .flags = F_INDEX,
	 .since = -1 /* set at run time to the next version */},
};

static struct field gizmo_fields_v2_rt[sizeof gizmo_fields_v2 / sizeof gizmo_fields_v2[0]];

static const struct field sprocket_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT, .flags = F_REQUIRED},
};

static struct record_type gizmo_v1 = {
	.name = "test_gizmo", .plural = "test-gizmos", .table = "test_gizmos",
	.label = "gizmo", .label_plural = "gizmos", .title_field = "title",
	.fields = gizmo_fields_v1, .nfields = sizeof gizmo_fields_v1 / sizeof gizmo_fields_v1[0],
	.read_roles = ROLES_ALL, .write_roles = ROLES_ALL, .since = 1,
};

static struct record_type gizmo_v2;
static struct record_type sprocket = {
	.name = "test_sprocket", .plural = "test-sprockets", .table = "test_sprockets",
	.label = "sprocket", .label_plural = "sprockets", .title_field = "name",
	.fields = sprocket_fields, .nfields = 1,
	.read_roles = ROLES_ALL, .write_roles = ROLES_ALL,
	.since = -1, /* the next version */
};

static const struct record_type *types_v1[128], *types_v2[128];
static struct registry reg_v1, reg_v2;

static void registries_build(void)
{
	size_t n = 0;
	int next = iso_registry()->schema_version + 1;
	for (size_t i = 0; i < iso_registry()->ntypes; i++) {
		types_v1[n] = types_v2[n] = iso_registry()->types[i];
		n++;
	}
	memcpy(gizmo_fields_v2_rt, gizmo_fields_v2, sizeof gizmo_fields_v2);
	gizmo_fields_v2_rt[sizeof gizmo_fields_v2 / sizeof gizmo_fields_v2[0] - 1].since = next;
	gizmo_v2 = gizmo_v1;
	gizmo_v2.fields = gizmo_fields_v2_rt;
	gizmo_v2.nfields = sizeof gizmo_fields_v2 / sizeof gizmo_fields_v2[0];
	sprocket.since = next;
	types_v1[n] = &gizmo_v1;
	types_v2[n] = &gizmo_v2;
	types_v2[n + 1] = &sprocket;
	reg_v1 = *iso_registry();
	reg_v1.types = types_v1;
	reg_v1.ntypes = n + 1;
	reg_v2 = *iso_registry();
	reg_v2.types = types_v2;
	reg_v2.ntypes = n + 2;
	reg_v2.schema_version = next;
}

struct fx {
	char dir[64], path[128];
	struct store *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;
	snprintf(f->dir, sizeof f->dir, "/tmp/isms-test-schema-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/isms.db", f->dir);
	if (store_open(&f->s, f->path, NULL, &e) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	static const char *const suffixes[] = {"", "-wal", "-shm", NULL};
	store_close(f->s);
	for (int i = 0; suffixes[i]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void sql_exec(struct fx *f, const char *sql)
{
	struct err e;
	err_clear(&e);
	if (store_script(f->s, sql, &e) < 0)
		fail_msg("%s: %s", sql, e.message);
}

static long long sql_int(struct fx *f, const char *sql, const struct store_val *p, int n)
{
	struct err e;
	long long v = -1;
	err_clear(&e);
	if (store_query_int(f->s, sql, p, n, &v, NULL, &e) < 0)
		fail_msg("%s: %s", sql, e.message);
	return v;
}

static bool table_exists(struct fx *f, const char *name)
{
	struct store_val p[] = {SVS(name)};
	return sql_int(f, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
		       p, 1) == 1;
}

static bool column_exists(struct fx *f, const char *table, const char *column)
{
	struct store_val p[] = {SVS(table), SVS(column)};
	return sql_int(f, "SELECT count(*) FROM pragma_table_info($1) WHERE name = $2", p, 2) == 1;
}

static bool index_exists(struct fx *f, const char *name)
{
	struct store_val p[] = {SVS(name)};
	return sql_int(f, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = $1",
		       p, 1) == 1;
}

static void test_fresh_database(void **state)
{
	struct fx *f = *state;
	struct err e;
	int applied = -1;
	err_clear(&e);
	/* Before migrating, the check says what to do. */
	assert_int_equal(schema_check(f->s, &reg_v1, &e), -1);
	assert_int_equal(e.code, ERR_SCHEMA);
	assert_non_null(strstr(e.message, "init"));
	err_clear(&e);
	if (schema_migrate(f->s, &reg_v1, &applied, &e) < 0)
		fail_msg("migrate: %s", e.message);
	assert_int_equal(applied, reg_v1.schema_version);
	assert_int_equal(schema_check(f->s, &reg_v1, &e), 0);
	assert_int_equal(f->s->tx_depth, 0);
	/* Migrating again does nothing. */
	assert_int_equal(schema_migrate(f->s, &reg_v1, &applied, &e), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(schema_check(f->s, &reg_v1, &e), 0);
	/* applied may be NULL. */
	assert_int_equal(schema_migrate(f->s, &reg_v1, NULL, &e), 0);
	struct store_val p[] = {SVI(reg_v1.schema_version)};
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_version WHERE version = $1 AND "
				    "state = 'applied'",
				 p, 1),
			 1);
}

static void test_fixed_tables(void **state)
{
	struct fx *f = *state;
	struct err e;
	assert_int_equal(schema_migrate(f->s, &reg_v1, NULL, &e), 0);
	static const char *const tables[] = {"chain_head", "changes",  "record_links",
					     "credentials", "sessions", "api_tokens",
					     "login_failures", NULL};
	for (int i = 0; tables[i]; i++)
		if (!table_exists(f, tables[i]))
			fail_msg("no table %s", tables[i]);
	assert_int_equal(sql_int(f, "SELECT seq FROM chain_head WHERE id = 1", NULL, 0), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM chain_head", NULL, 0), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM changes", NULL, 0), 0);
}

static void test_derived_columns_for_every_stored_field(void **state)
{
	struct fx *f = *state;
	struct err e;
	assert_int_equal(schema_migrate(f->s, &reg_v1, NULL, &e), 0);
	static const char *const meta[] = {"id", "version", "created_at", "updated_at", "_search",
					   NULL};
	for (size_t t = 0; t < reg_v1.ntypes; t++) {
		const struct record_type *rt = reg_v1.types[t];
		if (!table_exists(f, rt->table))
			fail_msg("no table %s", rt->table);
		for (int i = 0; meta[i]; i++)
			if (!column_exists(f, rt->table, meta[i]))
				fail_msg("%s has no column %s", rt->table, meta[i]);
		long long stored = 0;
		for (size_t i = 0; i < rt->nfields; i++) {
			const struct field *fl = &rt->fields[i];
			bool has = column_exists(f, rt->table, fl->name);
			if (fl->flags & (F_WRITEONLY | F_DERIVED)) {
				if (has)
					fail_msg("%s has a column for write-only or derived %s",
						 rt->table, fl->name);
				continue;
			}
			stored++;
			if (!has)
				fail_msg("%s has no column %s", rt->table, fl->name);
		}
		struct store_val p[] = {SVS(rt->table)};
		assert_int_equal(sql_int(f, "SELECT count(*) FROM pragma_table_info($1)", p, 1),
				 stored + 5);
	}
	/* users.password is write-only: never a column. */
	assert_false(column_exists(f, "users", "password"));
	assert_false(column_exists(f, "test_gizmos", "secret"));
	/* Column types follow the field types. */
	struct store_val p[] = {SVS("test_gizmos"), SVS("count")};
	struct store_rows *r;
	assert_int_equal(store_query(f->s, "SELECT type, \"notnull\" FROM pragma_table_info($1) "
					   "WHERE name = $2",
				     p, 2, &r, &e),
			 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_string_equal(store_text(r, 0), "BIGINT");
	store_rows_free(r);
	struct store_val q[] = {SVS("test_gizmos"), SVS("flag")};
	assert_int_equal(store_query(f->s, "SELECT type, \"notnull\" FROM pragma_table_info($1) "
					   "WHERE name = $2",
				     q, 2, &r, &e),
			 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_string_equal(store_text(r, 0), "INTEGER");
	assert_int_equal(store_int(r, 1), 1);
	store_rows_free(r);
}

static void test_derived_indexes(void **state)
{
	struct fx *f = *state;
	struct err e;
	assert_int_equal(schema_migrate(f->s, &reg_v1, NULL, &e), 0);
	assert_true(index_exists(f, "test_gizmos_title_key"));  /* unique */
	assert_true(index_exists(f, "test_gizmos_owner_idx"));  /* reference */
	assert_true(index_exists(f, "test_gizmos_color_idx"));  /* enum */
	assert_false(index_exists(f, "test_gizmos_notes_idx"));
	assert_true(index_exists(f, "people_department_idx"));  /* F_INDEX: filter, then order */
	assert_true(index_exists(f, "people_name_sort"));       /* the default order */
	assert_true(index_exists(f, "users_username_key"));
	/* The unique index is enforced by the store itself. */
	sql_exec(f,
		 "INSERT INTO test_gizmos (created_at, updated_at, title) VALUES ('a', 'a', 'x')");
	err_clear(&e);
	assert_int_equal(store_exec(f->s,
				    "INSERT INTO test_gizmos (created_at, updated_at, title) "
				    "VALUES ('a', 'a', 'x')",
				    NULL, 0, &e),
			 -1);
	assert_int_equal(e.code, ERR_CONFLICT);
}

static void test_newer_database_refused(void **state)
{
	struct fx *f = *state;
	struct err e;
	int applied = -1;
	assert_int_equal(schema_migrate(f->s, &reg_v1, NULL, &e), 0);
	sql_exec(f, "UPDATE schema_version SET version = 99");
	err_clear(&e);
	assert_int_equal(schema_check(f->s, &reg_v1, &e), -1);
	assert_int_equal(e.code, ERR_SCHEMA);
	assert_non_null(strstr(e.message, "newer"));
	/* migrate must not try to "downgrade" it either. */
	err_clear(&e);
	assert_int_equal(schema_migrate(f->s, &reg_v1, &applied, &e), -1);
	assert_int_equal(e.code, ERR_SCHEMA);
	assert_non_null(strstr(e.message, "newer"));
	assert_int_equal(applied, 0);
}

static void test_conflicting_table_fails_and_is_recorded(void **state)
{
	struct fx *f = *state;
	struct err e;
	int applied = -1;
	sql_exec(f, "CREATE TABLE people (x)");
	err_clear(&e);
	assert_int_equal(schema_migrate(f->s, &reg_v1, &applied, &e), -1);
	assert_int_equal(e.code, ERR_SCHEMA);
	assert_non_null(strstr(e.message, "migration 1 failed"));
	assert_int_equal(applied, 0);
	assert_int_equal(f->s->tx_depth, 0);
	/* Rolled back: nothing of migration 1 exists… */
	assert_false(table_exists(f, "changes"));
	assert_false(table_exists(f, "test_gizmos"));
	assert_false(table_exists(f, "users"));
	assert_false(column_exists(f, "people", "name"));
	/* …and the failure is recorded, so nothing runs on this schema. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_version WHERE version = 1 AND "
				    "state = 'failed' AND message IS NOT NULL",
				 NULL, 0),
			 1);
	err_clear(&e);
	assert_int_equal(schema_check(f->s, &reg_v1, &e), -1);
	assert_int_equal(e.code, ERR_SCHEMA);
	assert_non_null(strstr(e.message, "failed"));
	assert_non_null(strstr(e.message, "people")); /* the cause, as the store said it */

	/* Fix the cause and migrate again. */
	sql_exec(f, "DROP TABLE people");
	err_clear(&e);
	if (schema_migrate(f->s, &reg_v1, &applied, &e) < 0)
		fail_msg("migrate after the fix: %s", e.message);
	assert_int_equal(applied, reg_v1.schema_version);
	assert_int_equal(schema_check(f->s, &reg_v1, &e), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_version WHERE state = 'failed'",
				 NULL, 0),
			 0);
}

static void test_later_migration_adds_table_and_column(void **state)
{
	struct fx *f = *state;
	struct err e;
	int applied = -1;
	assert_int_equal(schema_migrate(f->s, &reg_v1, NULL, &e), 0);
	sql_exec(
		f,
		"INSERT INTO test_gizmos (created_at, updated_at, title) VALUES ('a', 'a', 'old')");
	assert_false(column_exists(f, "test_gizmos", "added"));
	assert_false(table_exists(f, "test_sprockets"));
	/* The newer binary sees an older schema. */
	err_clear(&e);
	assert_int_equal(schema_check(f->s, &reg_v2, &e), -1);
	assert_int_equal(e.code, ERR_SCHEMA);
	assert_non_null(strstr(e.message, "migrate"));
	err_clear(&e);
	if (schema_migrate(f->s, &reg_v2, &applied, &e) < 0)
		fail_msg("migrate to v2: %s", e.message);
	assert_int_equal(applied, 1);
	assert_int_equal(schema_check(f->s, &reg_v2, &e), 0);
	assert_true(column_exists(f, "test_gizmos", "added"));
	assert_true(index_exists(f, "test_gizmos_added_idx"));
	assert_true(table_exists(f, "test_sprockets"));
	assert_true(column_exists(f, "test_sprockets", "name"));
	/* Existing rows are kept, the new column empty. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM test_gizmos WHERE title = 'old' AND "
				    "added IS NULL",
				 NULL, 0),
			 1);
	/* And now the older binary is the one that is behind. */
	err_clear(&e);
	assert_int_equal(schema_check(f->s, &reg_v1, &e), -1);
	assert_int_equal(e.code, ERR_SCHEMA);
	assert_non_null(strstr(e.message, "newer"));
}

static void test_fresh_database_straight_to_v2(void **state)
{
	struct fx *f = *state;
	struct err e;
	int applied = -1;
	err_clear(&e);
	if (schema_migrate(f->s, &reg_v2, &applied, &e) < 0)
		fail_msg("migrate: %s", e.message);
	assert_int_equal(applied, reg_v2.schema_version);
	assert_true(column_exists(f, "test_gizmos", "added"));
	assert_true(table_exists(f, "test_sprockets"));
	assert_int_equal(schema_check(f->s, &reg_v2, &e), 0);
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	registries_build();
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fresh_database),
		T(test_fixed_tables),
		T(test_derived_columns_for_every_stored_field),
		T(test_derived_indexes),
		T(test_newer_database_refused),
		T(test_conflicting_table_fails_and_is_recorded),
		T(test_later_migration_adds_table_and_column),
		T(test_fresh_database_straight_to_v2),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
