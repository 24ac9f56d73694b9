/* test_store.c — the store interface on a SQLite file: bound parameters, NULLs, integers,
   transactions, error mapping and the prepared-statement cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/sec.h"
#include "../../src/store/store.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *s;
	struct store_stats stats;
};

static void remove_db_files(const struct fixture *f)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal", NULL};
	char p[160];
	for (int i = 0; suffixes[i]; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	rmdir(f->dir);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct err e;
	err_clear(&e);
	snprintf(f->dir, sizeof f->dir, "/tmp/isms-test-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	atomic_init(&f->stats.errors, 0);
	if (store_open(&f->s, f->path, &f->stats, &e) < 0) {
		fprintf(stderr, "store_open: %s\n", e.message);
		return -1;
	}
	if (store_script(f->s,
			 "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n BIGINT, "
			 "note TEXT)",
			 &e) < 0) {
		fprintf(stderr, "create: %s\n", e.message);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	remove_db_files(f);
	free(f);
	return 0;
}

static long long count_rows(struct store *s)
{
	struct err e;
	long long n = -1;
	bool found = false;
	err_clear(&e);
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM t", NULL, 0, &n, &found, &e), 0);
	assert_true(found);
	return n;
}

static void test_open_is_sqlite(void **state)
{
	struct fixture *f = *state;
	assert_false(store_is_postgres(f->s));
	assert_string_equal(f->s->ops->name, "sqlite");
	assert_int_equal(f->s->tx_depth, 0);
}

static void test_open_bad_path_fails(void **state)
{
	(void)state;
	struct store *s = (struct store *)1;
	struct store_stats stats;
	struct err e;
	err_clear(&e);
	atomic_init(&stats.errors, 0);
	assert_int_equal(store_open(&s, "/nonexistent-dir/x/y.db", &stats, &e), -1);
	assert_null(s);
	assert_int_equal(e.code, ERR_STORE);
	assert_int_equal(atomic_load(&stats.errors), 1);
}

static void test_params_bind_by_number_in_any_order(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct store_rows *r;
	err_clear(&e);
	struct store_val p[] = {SVS("one"), SVI(2), SVS("three")};
	/* $3 before $1, $2 used twice. */
	assert_int_equal(store_query(f->s, "SELECT $3, $1, $2, $2 + 1", p, 3, &r, &e), 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_string_equal(store_text(r, 0), "three");
	assert_string_equal(store_text(r, 1), "one");
	assert_int_equal(store_int(r, 2), 2);
	assert_int_equal(store_int(r, 3), 3);
	assert_int_equal(store_next(r, &e), 0);
	store_rows_free(r);

	struct store_val ins[] = {SVI(7), SVS("seven"), SVS("a note")};
	assert_int_equal(
		store_exec(f->s, "INSERT INTO t (note, n, name) VALUES ($3, $1, $2)", ins, 3, &e),
		0);
	assert_int_equal(store_query(f->s, "SELECT name, n, note FROM t", NULL, 0, &r, &e), 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_string_equal(store_text(r, 0), "seven");
	assert_int_equal(store_int(r, 1), 7);
	assert_string_equal(store_text(r, 2), "a note");
	store_rows_free(r);
}

static void test_null_versus_text(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct store_rows *r;
	err_clear(&e);
	struct store_val a[] = {SVS("has-null"), SVS(NULL)};
	struct store_val b[] = {SVS("has-empty"), SVS("")};
	struct store_val c[] = {SVS("has-svnull"), SVNULL};
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name, note) VALUES ($1, $2)", a, 2, &e),
			 0);
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name, note) VALUES ($1, $2)", b, 2, &e),
			 0);
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name, note) VALUES ($1, $2)", c, 2, &e),
			 0);
	assert_int_equal(
		store_query(f->s, "SELECT name, note, n FROM t ORDER BY id", NULL, 0, &r, &e), 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_null(store_text(r, 1));
	assert_true(store_isnull(r, 1));
	assert_true(store_isnull(r, 2));
	assert_int_equal(store_int(r, 2), 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_non_null(store_text(r, 1));
	assert_string_equal(store_text(r, 1), "");
	assert_false(store_isnull(r, 1));
	assert_int_equal(store_next(r, &e), 1);
	assert_true(store_isnull(r, 1));
	assert_int_equal(store_next(r, &e), 0);
	store_rows_free(r);

	/* NULL compares as unknown, so an equality filter with a NULL parameter matches none. */
	long long n = -1;
	bool found;
	struct store_val q[] = {SVNULL};
	assert_int_equal(store_query_int(f->s, "SELECT count(*) FROM t WHERE note = $1", q, 1, &n,
					 &found, &e),
			 0);
	assert_int_equal(n, 0);
}

static void test_integer_round_trips(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	static const long long values[] = {0, 1, -1, 42, INT_MAX, (long long)INT_MAX + 1, INT_MIN,
					   LLONG_MAX, LLONG_MIN, 1234567890123LL};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "v%zu", i);
		struct store_val p[] = {SVS(name), SVI(values[i])};
		assert_int_equal(
			store_exec(f->s, "INSERT INTO t (name, n) VALUES ($1, $2)", p, 2, &e), 0);
		long long got = 0;
		bool found = false;
		assert_int_equal(store_query_int(f->s, "SELECT n FROM t WHERE name = $1", p, 1,
						 &got, &found, &e),
				 0);
		assert_true(found);
		if (got != values[i])
			fail_msg("stored %lld, read %lld", values[i], got);
		/* Integers also compare as integers when bound. */
		struct store_val q[] = {SVI(values[i])};
		assert_int_equal(store_query_int(f->s, "SELECT count(*) FROM t WHERE n = $1", q, 1,
						 &got, NULL, &e),
				 0);
		assert_int_equal(got, 1);
	}
}

static void test_transaction_commit_persists(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	assert_int_equal(store_begin(f->s, true, &e), 0);
	assert_int_equal(f->s->tx_depth, 1);
	struct store_val p[] = {SVS("a")};
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name) VALUES ($1)", p, 1, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(f->s->tx_depth, 0);
	assert_int_equal(count_rows(f->s), 1);

	/* Seen by a second connection to the same file. */
	struct store *other;
	assert_int_equal(store_open(&other, f->path, NULL, &e), 0);
	long long n;
	assert_int_equal(store_query_int(other, "SELECT count(*) FROM t", NULL, 0, &n, NULL, &e),
			 0);
	assert_int_equal(n, 1);
	store_close(other);
}

static void test_transaction_rollback_discards(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	struct store_val p[] = {SVS("kept")}, q[] = {SVS("discarded")};
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name) VALUES ($1)", p, 1, &e), 0);
	assert_int_equal(store_begin(f->s, true, &e), 0);
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name) VALUES ($1)", q, 1, &e), 0);
	assert_int_equal(store_exec(f->s, "UPDATE t SET note = 'changed'", NULL, 0, &e), 0);
	assert_int_equal(count_rows(f->s), 2);
	store_rollback(f->s);
	assert_int_equal(f->s->tx_depth, 0);
	assert_int_equal(count_rows(f->s), 1);
	long long n;
	assert_int_equal(store_query_int(f->s, "SELECT count(*) FROM t WHERE note IS NULL", NULL, 0,
					 &n, NULL, &e),
			 0);
	assert_int_equal(n, 1);
	/* Rolling back with no transaction open is harmless; a new one can start. */
	store_rollback(f->s);
	assert_int_equal(store_begin(f->s, false, &e), 0);
	store_rollback(f->s);
}

static void test_nested_begin_refused_and_commit_without_begin(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	assert_int_equal(store_begin(f->s, true, &e), 0);
	assert_int_equal(store_begin(f->s, true, &e), -1);
	assert_int_equal(e.code, ERR_INTERNAL);
	/* The outer transaction is still open and usable. */
	assert_int_equal(f->s->tx_depth, 1);
	struct store_val p[] = {SVS("x")};
	err_clear(&e);
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name) VALUES ($1)", p, 1, &e), 0);
	assert_int_equal(store_commit(f->s, &e), 0);
	assert_int_equal(count_rows(f->s), 1);

	err_clear(&e);
	assert_int_equal(store_commit(f->s, &e), -1);
	assert_int_equal(e.code, ERR_INTERNAL);
}

static void test_unique_violation_is_conflict(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	struct store_val p[] = {SVS("dup")};
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name) VALUES ($1)", p, 1, &e), 0);
	unsigned long before = atomic_load(&f->stats.errors);
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name) VALUES ($1)", p, 1, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	/* Conflicts are the client's doing, not store failures. */
	assert_int_equal(atomic_load(&f->stats.errors), before);
	/* Primary key too. */
	struct store_val q[] = {SVI(1), SVS("other")};
	err_clear(&e);
	assert_int_equal(store_exec(f->s, "INSERT INTO t (id, name) VALUES ($1, $2)", q, 2, &e),
			 -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	/* The statement cache still works after the failure. */
	struct store_val r[] = {SVS("fresh")};
	err_clear(&e);
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name) VALUES ($1)", r, 1, &e), 0);
	assert_int_equal(count_rows(f->s), 2);
}

static void test_syntax_error_is_store_error_and_counted(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct store_rows *r = NULL;
	err_clear(&e);
	unsigned long before = atomic_load(&f->stats.errors);
	assert_int_equal(store_query(f->s, "SELEC nonsense", NULL, 0, &r, &e), -1);
	assert_int_equal(e.code, ERR_STORE);
	assert_non_null(strstr(e.message, "sqlite"));
	assert_int_equal(atomic_load(&f->stats.errors), before + 1);
	err_clear(&e);
	assert_int_equal(store_exec(f->s, "SELECT * FROM no_such_table", NULL, 0, &e), -1);
	assert_int_equal(e.code, ERR_STORE);
}

static void test_statement_reuse(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	const char *ins = "INSERT INTO t (name, n) VALUES ($1, $2)";
	for (int i = 0; i < 1000; i++) {
		char name[32];
		snprintf(name, sizeof name, "row%d", i);
		struct store_val p[] = {SVS(name), SVI(i)};
		assert_int_equal(store_exec(f->s, ins, p, 2, &e), 0);
	}
	assert_int_equal(count_rows(f->s), 1000);
	for (int i = 0; i < 1000; i += 37) {
		char name[32];
		snprintf(name, sizeof name, "row%d", i);
		struct store_val p[] = {SVS(name)};
		long long n = -1;
		bool found = false;
		assert_int_equal(store_query_int(f->s, "SELECT n FROM t WHERE name = $1", p, 1, &n,
						 &found, &e),
				 0);
		assert_true(found);
		assert_int_equal(n, i);
	}
	/* A reused statement does not keep old bindings: a parameter bound last time is NULL
	   when not given this time. */
	const char *sel = "SELECT $1, $2";
	struct store_val two[] = {SVS("a"), SVS("b")};
	struct store_rows *r;
	assert_int_equal(store_query(f->s, sel, two, 2, &r, &e), 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_string_equal(store_text(r, 1), "b");
	store_rows_free(r);
	assert_int_equal(store_query(f->s, sel, two, 1, &r, &e), 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_string_equal(store_text(r, 0), "a");
	assert_null(store_text(r, 1));
	store_rows_free(r);
}

static void test_same_sql_while_first_is_still_open(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	for (int i = 1; i <= 3; i++) {
		struct store_val p[] = {SVI(i)};
		assert_int_equal(store_exec(f->s, "INSERT INTO t (n) VALUES ($1)", p, 1, &e), 0);
	}
	const char *sql = "SELECT n FROM t WHERE n >= $1 ORDER BY n";
	struct store_rows *outer, *inner;
	struct store_val p1[] = {SVI(1)}, p2[] = {SVI(2)};
	assert_int_equal(store_query(f->s, sql, p1, 1, &outer, &e), 0);
	assert_int_equal(store_next(outer, &e), 1);
	assert_int_equal(store_int(outer, 0), 1);
	/* The cached statement is busy; the same SQL must still run independently. */
	assert_int_equal(store_query(f->s, sql, p2, 1, &inner, &e), 0);
	assert_int_equal(store_next(inner, &e), 1);
	assert_int_equal(store_int(inner, 0), 2);
	assert_int_equal(store_next(inner, &e), 1);
	assert_int_equal(store_int(inner, 0), 3);
	assert_int_equal(store_next(inner, &e), 0);
	store_rows_free(inner);
	assert_int_equal(store_next(outer, &e), 1);
	assert_int_equal(store_int(outer, 0), 2);
	assert_int_equal(store_next(outer, &e), 1);
	assert_int_equal(store_int(outer, 0), 3);
	assert_int_equal(store_next(outer, &e), 0);
	store_rows_free(outer);
	/* And the cached one is free again. */
	assert_int_equal(store_query(f->s, sql, p2, 1, &outer, &e), 0);
	assert_int_equal(store_next(outer, &e), 1);
	assert_int_equal(store_int(outer, 0), 2);
	store_rows_free(outer);
}

static void test_many_distinct_statements(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	/* More distinct SQL texts than cache slots: the overflow runs as one-off statements. */
	for (int i = 0; i < 700; i++) {
		char sql[64];
		long long n = -1;
		snprintf(sql, sizeof sql, "SELECT %d + $1", i);
		struct store_val p[] = {SVI(1)};
		assert_int_equal(store_query_int(f->s, sql, p, 1, &n, NULL, &e), 0);
		assert_int_equal(n, i + 1);
	}
	for (int i = 0; i < 700; i += 50) {
		char sql[64];
		long long n = -1;
		snprintf(sql, sizeof sql, "SELECT %d + $1", i);
		struct store_val p[] = {SVI(2)};
		assert_int_equal(store_query_int(f->s, sql, p, 1, &n, NULL, &e), 0);
		assert_int_equal(n, i + 2);
	}
}

static void test_query_int_found_and_not_found(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	struct store_val p[] = {SVS("k"), SVI(99)};
	assert_int_equal(store_exec(f->s, "INSERT INTO t (name, n) VALUES ($1, $2)", p, 2, &e), 0);
	long long n = -5;
	bool found = false;
	assert_int_equal(store_query_int(f->s, "SELECT n FROM t WHERE name = $1", p, 1, &n, &found,
					 &e),
			 0);
	assert_true(found);
	assert_int_equal(n, 99);

	struct store_val q[] = {SVS("absent")};
	n = -5;
	found = true;
	assert_int_equal(store_query_int(f->s, "SELECT n FROM t WHERE name = $1", q, 1, &n, &found,
					 &e),
			 0);
	assert_false(found);
	assert_int_equal(n, -5); /* untouched */

	/* found may be NULL. */
	assert_int_equal(store_query_int(f->s, "SELECT n FROM t WHERE name = $1", q, 1, &n, NULL,
					 &e),
			 0);
	err_clear(&e);
	assert_int_equal(store_query_int(f->s, "SELECT n FROM nowhere", NULL, 0, &n, &found, &e),
			 -1);
	assert_int_equal(e.code, ERR_STORE);
}

static void test_script_runs_several_statements(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	assert_int_equal(store_script(f->s,
				      "CREATE TABLE u (x INTEGER); INSERT INTO u VALUES (1);"
				      "INSERT INTO u VALUES (2);",
				      &e),
			 0);
	long long n;
	assert_int_equal(store_query_int(f->s, "SELECT sum(x) FROM u", NULL, 0, &n, NULL, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_script(f->s, "INSERT INTO u VALUES (3); BROKEN;", &e), -1);
	assert_int_equal(e.code, ERR_STORE);
}

static void test_foreign_keys_are_enforced(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	assert_int_equal(store_script(f->s,
				      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
				      "CREATE TABLE child (pid INTEGER REFERENCES parent (id));",
				      &e),
			 0);
	struct store_val p[] = {SVI(5)};
	assert_int_equal(store_exec(f->s, "INSERT INTO child (pid) VALUES ($1)", p, 1, &e), -1);
	assert_int_equal(e.code, ERR_IN_USE);
}

/* Stores and reads back bytes with NULs and high bytes (and an empty blob), through the
   cached statement twice, on s, which has a table b (k TEXT PRIMARY KEY, v <blob type>). */
static void blob_round_trip(struct store *s)
{
	struct err e;
	err_clear(&e);
	unsigned char data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7); /* 0x00 every 256 bytes, 0xff, … */
	data[0] = 0;
	data[1] = 0;
	struct store_val p[] = {SVS("bytes"), SVB(data, sizeof data)};
	struct store_val q[] = {SVS("empty"), SVB("", 0)};
	assert_int_equal(store_exec(s, "INSERT INTO b (k, v) VALUES ($1, $2)", p, 2, &e), 0);
	assert_int_equal(store_exec(s, "INSERT INTO b (k, v) VALUES ($1, $2)", q, 2, &e), 0);
	for (int round = 0; round < 2; round++) {
		struct store_rows *r;
		size_t len = 1234;
		assert_int_equal(store_query(s, "SELECT v, length(v) FROM b WHERE k = $1", p, 1, &r,
					     &e),
				 0);
		assert_int_equal(store_next(r, &e), 1);
		const unsigned char *got = store_blob(r, 0, &len);
		assert_non_null(got);
		assert_int_equal(len, sizeof data);
		assert_memory_equal(got, data, sizeof data);
		assert_int_equal(store_int(r, 1), sizeof data); /* stored as bytes, not as text */
		store_rows_free(r);
		assert_int_equal(store_query(s, "SELECT v FROM b WHERE k = $1", q, 1, &r, &e), 0);
		assert_int_equal(store_next(r, &e), 1);
		len = 1234;
		assert_non_null(store_blob(r, 0, &len));
		assert_int_equal(len, 0);
		store_rows_free(r);
	}
	struct store_rows *r;
	size_t len = 99;
	assert_int_equal(store_query(s, "SELECT NULL", NULL, 0, &r, &e), 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_null(store_blob(r, 0, &len));
	assert_int_equal(len, 0);
	store_rows_free(r);
}

static void test_blob_round_trip(void **state)
{
	struct fixture *f = *state;
	struct err e;
	err_clear(&e);
	assert_string_equal(f->s->ops->blob_type, "BLOB");
	assert_int_equal(store_script(f->s, "CREATE TABLE b (k TEXT PRIMARY KEY, v BLOB)", &e), 0);
	blob_round_trip(f->s);
}

/* The same on PostgreSQL when ISMS_PG_URL names a server (scripts/with-postgres.sh). */
static void test_blob_round_trip_postgres(void **state)
{
	(void)state;
	const char *url = getenv("ISMS_PG_URL");
	struct store *s;
	struct err e;
	err_clear(&e);
	if (!url || !*url)
		skip();
	assert_int_equal(store_open(&s, url, NULL, &e), 0);
	assert_string_equal(s->ops->blob_type, "BYTEA");
	assert_int_equal(store_script(s,
				      "CREATE TEMPORARY TABLE b (k TEXT PRIMARY KEY, v BYTEA)", &e),
			 0);
	blob_round_trip(s);
	store_close(s);
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_is_sqlite),
		cmocka_unit_test(test_open_bad_path_fails),
		T(test_params_bind_by_number_in_any_order),
		T(test_null_versus_text),
		T(test_integer_round_trips),
		T(test_transaction_commit_persists),
		T(test_transaction_rollback_discards),
		T(test_nested_begin_refused_and_commit_without_begin),
		T(test_unique_violation_is_conflict),
		T(test_syntax_error_is_store_error_and_counted),
		T(test_statement_reuse),
		T(test_same_sql_while_first_is_still_open),
		T(test_many_distinct_statements),
		T(test_query_int_found_and_not_found),
		T(test_script_runs_several_statements),
		T(test_foreign_keys_are_enforced),
		T(test_blob_round_trip),
		cmocka_unit_test(test_blob_round_trip_postgres),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
