/* test_query.c — the query interface (query.h) on a fresh SQLite store: every kind of
   condition, order and limit, each function on an empty and on a filled table, and the
   refusal of names and values the registry does not have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/sec.h"
#include "../../src/engine/named_sql.h"
#include "../../src/engine/query.h"
#include "../../src/iso27001/c6_1_3_soa.h"
#include "../../src/iso27001/c7_3_acknowledgements.h"
#include "../../src/iso27001/people.h"
#include "../../src/base/json.h"
#include "../support/fixture.h"
#include "../support/widget.h"

static struct registry reg;

struct fx {
	struct fixture x;
	long long ann, bob;
	long long a, b, c, d; /* widgets */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	*state = f;
	if (!f || fixture_open(&f->x, "query", &reg) < 0)
		return -1;
	f->ann = fixture_mk(&f->x, &people_type, "{\"name\": \"Ann Lee\"}");
	f->bob = fixture_mk(&f->x, &people_type, "{\"name\": \"Bob Stone\"}");
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->x);
	free(f);
	return 0;
}

/* Four widgets: A alpha, due in January, Ann's, members Ann and Bob, flagged; B beta, due
   in February, Bob's, member Bob; C with no kind and no date; D gamma, due in March,
   flagged. Counts 1, 2, 3, 5. */
static void fill(struct fx *f)
{
	char json[300];
	snprintf(json, sizeof json,
		 "{\"title\": \"A\", \"count\": 1, \"flag\": true, \"kind\": \"alpha\", \"due\": "
		 "\"2024-01-10\", \"owner\": %lld, \"members\": [%lld, %lld]}",
		 f->ann, f->ann, f->bob);
	f->a = fixture_mk(&f->x, &widget_type, json);
	snprintf(json, sizeof json,
		 "{\"title\": \"B\", \"count\": 2, \"kind\": \"beta\", \"due\": \"2024-02-10\", "
		 "\"owner\": %lld, \"members\": [%lld]}",
		 f->bob, f->bob);
	f->b = fixture_mk(&f->x, &widget_type, json);
	f->c = fixture_mk(&f->x, &widget_type, "{\"title\": \"C\", \"count\": 3}");
	f->d = fixture_mk(&f->x, &widget_type,
			  "{\"title\": \"D\", \"count\": 5, \"flag\": true, \"kind\": \"gamma\", "
			  "\"due\": \"2024-03-10\"}");
}

/* The titles of the matches in order, joined: "A B". */
static char *titles(struct fx *f, const struct query *q)
{
	static char out[100];
	json_t *list, *rec;
	struct err e;
	size_t i;
	if (query_records(&f->x.c, q, &list, &e) < 0)
		fail_msg("%s", e.message);
	out[0] = '\0';
	json_array_foreach(list, i, rec) {
		size_t len = strlen(out);
		snprintf(out + len, sizeof out - len, "%s%s", i ? " " : "",
			 json_string_value(json_object_get(rec, "title")));
	}
	json_decref(list);
	return out;
}

static long long count(struct fx *f, const struct query *q)
{
	long long n = -1;
	struct err e;
	if (query_count(&f->x.c, q, &n, &e) < 0)
		fail_msg("%s", e.message);
	return n;
}

static void test_empty_table(void **state)
{
	struct fx *f = *state;
	struct query q = {.type = "test_widget"};
	struct err e;
	bool any = true;
	long long id = -1;
	json_t *v;
	assert_int_equal(count(f, &q), 0);
	assert_int_equal(query_exists(&f->x.c, &q, &any, &e), 0);
	assert_false(any);
	assert_int_equal(query_id(&f->x.c, &q, &id, &e), 0);
	assert_int_equal(id, 0);
	assert_int_equal(query_ids(&f->x.c, &q, &v, &e), 0);
	assert_int_equal(json_array_size(v), 0);
	json_decref(v);
	assert_int_equal(query_values(&f->x.c, &q, "kind", &v, &e), 0);
	assert_int_equal(json_array_size(v), 0);
	json_decref(v);
	assert_int_equal(query_max(&f->x.c, &q, "count", &v, &e), 0);
	assert_true(json_is_null(v));
	json_decref(v);
	assert_int_equal(query_first(&f->x.c, &q, &v, &e), 0);
	assert_null(v);
	assert_string_equal(titles(f, &q), "");
}

static void test_filled_table(void **state)
{
	struct fx *f = *state;
	struct err e;
	bool any = false;
	long long id = 0;
	json_t *v;
	fill(f);
	struct query all = {.type = "test-widgets"}; /* the plural names the type too */
	assert_int_equal(count(f, &all), 4);
	assert_int_equal(query_exists(&f->x.c, &all, &any, &e), 0);
	assert_true(any);
	assert_int_equal(query_id(&f->x.c, &all, &id, &e), 0);
	assert_int_equal(id, f->a);
	assert_int_equal(query_ids(&f->x.c, &all, &v, &e), 0);
	assert_int_equal(json_array_size(v), 4);
	assert_int_equal(json_integer_value(json_array_get(v, 3)), f->d);
	json_decref(v);

	struct query none = {.type = "test_widget", .where = {QEQ("title", SVS("Z"))}};
	assert_int_equal(count(f, &none), 0);
	assert_int_equal(query_exists(&f->x.c, &none, &any, &e), 0);
	assert_false(any);
	assert_int_equal(query_max(&f->x.c, &none, "count", &v, &e), 0);
	assert_true(json_is_null(v));
	json_decref(v);

	/* The stored form: no actions, no derived values. */
	struct query top = {.type = "test_widget", .order = "-count"};
	assert_int_equal(query_first(&f->x.c, &top, &v, &e), 0);
	fixture_assert_field(v, "title", "\"D\"");
	assert_null(json_object_get(v, "actions"));
	json_decref(v);
}

static void test_conditions(void **state)
{
	struct fx *f = *state;
	fill(f);
	struct query q = {.type = "test_widget", .where = {QEQ("kind", SVS("alpha"))}};
	assert_string_equal(titles(f, &q), "A");
	/* Without a value, a record matches neither = nor <>, as in SQL. */
	q = (struct query){.type = "test_widget", .where = {QNE("kind", SVS("alpha"))}};
	assert_string_equal(titles(f, &q), "B D");
	q = (struct query){.type = "test_widget", .where = {QNULL("kind")}};
	assert_string_equal(titles(f, &q), "C");
	q = (struct query){.type = "test_widget", .where = {QNOT_NULL("due")}};
	assert_int_equal(count(f, &q), 3);
	q = (struct query){.type = "test_widget", .where = {QLE("due", SVS("2024-02-10"))}};
	assert_string_equal(titles(f, &q), "A B");
	q = (struct query){.type = "test_widget", .where = {QLT("due", SVS("2024-02-10"))}};
	assert_string_equal(titles(f, &q), "A");
	q = (struct query){.type = "test_widget", .where = {QGE("due", SVS("2024-02-10"))}};
	assert_string_equal(titles(f, &q), "B D");
	q = (struct query){.type = "test_widget", .where = {QGE_OR_NULL("due", SVS("2024-02-11"))}};
	assert_string_equal(titles(f, &q), "C D");
	q = (struct query){.type = "test_widget",
			   .where = {QGT("count", SVI(1)), QLT("count", SVI(5))}};
	assert_string_equal(titles(f, &q), "B C");
	q = (struct query){.type = "test_widget", .where = {QEQ("flag", SVI(1))}};
	assert_string_equal(titles(f, &q), "A D");
	q = (struct query){.type = "test_widget", .where = {QEQ("owner", SVI(f->bob))}};
	assert_string_equal(titles(f, &q), "B");
	q = (struct query){.type = "test_widget", .where = {QHAS("members", f->bob)}};
	assert_string_equal(titles(f, &q), "A B");
	q = (struct query){.type = "test_widget", .where = {QHAS("members", f->ann)}};
	assert_string_equal(titles(f, &q), "A");
	/* A text compared with SQL NULL matches nothing. */
	q = (struct query){.type = "test_widget", .where = {QEQ("kind", SVS(NULL))}};
	assert_int_equal(count(f, &q), 0);
}

static void test_sets(void **state)
{
	struct fx *f = *state;
	static const char *const alpha_gamma[] = {"alpha", "gamma", NULL};
	static const char *const alpha[] = {"alpha", NULL};
	static const char *const nothing[] = {NULL};
	fill(f);
	struct query q = {.type = "test_widget", .where = {QIN_TEXT("kind", alpha_gamma)}};
	assert_string_equal(titles(f, &q), "A D");
	q = (struct query){.type = "test_widget", .where = {QNOT_IN_TEXT("kind", alpha)}};
	assert_string_equal(titles(f, &q), "B D");
	q = (struct query){.type = "test_widget", .where = {QIN_TEXT("kind", nothing)}};
	assert_string_equal(titles(f, &q), "");
	q = (struct query){.type = "test_widget", .where = {QNOT_IN_TEXT("kind", nothing)}};
	assert_int_equal(count(f, &q), 4);
	json_t *ids = json_build("[I, I]", (json_int_t)f->a, (json_int_t)f->c);
	q = (struct query){.type = "test_widget", .where = {QIN("id", ids)}};
	assert_string_equal(titles(f, &q), "A C");
	q = (struct query){.type = "test_widget", .where = {QNOT_IN("id", ids)}};
	assert_string_equal(titles(f, &q), "B D");
	json_decref(ids);
	json_t *empty = json_array();
	q = (struct query){.type = "test_widget", .where = {QIN("id", empty)}};
	assert_int_equal(count(f, &q), 0);
	json_decref(empty);
}

static void test_order_limit_values_and_max(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *v;
	fill(f);
	struct query q = {.type = "test_widget", .order = "-count"};
	assert_string_equal(titles(f, &q), "D C B A");
	/* Records without a value come last, and first when descending (as in lists). */
	q = (struct query){.type = "test_widget", .order = "kind"};
	assert_string_equal(titles(f, &q), "A B D C");
	q = (struct query){.type = "test_widget", .order = "-kind"};
	assert_string_equal(titles(f, &q), "C D B A");
	q = (struct query){.type = "test_widget", .order = "title", .limit = 2};
	assert_string_equal(titles(f, &q), "A B");

	q = (struct query){.type = "test_widget"};
	assert_int_equal(query_values(&f->x.c, &q, "kind", &v, &e), 0);
	char *text = json_dumps(v, JSON_COMPACT);
	assert_string_equal(text, "[\"alpha\",\"beta\",\"gamma\"]");
	free(text);
	json_decref(v);
	q = (struct query){.type = "test_widget", .where = {QNOT_NULL("owner")}};
	assert_int_equal(query_values(&f->x.c, &q, "owner", &v, &e), 0);
	assert_int_equal(json_array_size(v), 2);
	assert_int_equal(json_integer_value(json_array_get(v, 0)), f->ann);
	json_decref(v);
	q = (struct query){.type = "test_widget"};
	assert_int_equal(query_max(&f->x.c, &q, "count", &v, &e), 0);
	assert_int_equal(json_integer_value(v), 5);
	json_decref(v);
	q = (struct query){.type = "test_widget", .where = {QLT("count", SVI(5))}};
	assert_int_equal(query_max(&f->x.c, &q, "due", &v, &e), 0);
	assert_string_equal(json_string_value(v), "2024-02-10");
	json_decref(v);
}

/* Runs q through query_count and checks that the refusal names field (or the type). */
static void refused(struct fx *f, const struct query *q, const char *field)
{
	struct err e;
	long long n;
	err_clear(&e);
	fixture_assert_err(query_count(&f->x.c, q, &n, &e), &e, ERR_INTERNAL, field);
	if (!strstr(e.message, field ? field : q->type))
		fail_msg("the refusal does not name %s: %s", field ? field : q->type, e.message);
}

static void test_refusals(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *v = NULL;
	json_t *odd = json_build("[b]", 1);
	struct query unknown_type = {.type = "nonsense"};
	refused(f, &unknown_type, NULL);
	struct query q = {.type = "test_widget", .where = {QEQ("colour", SVS("red"))}};
	refused(f, &q, "colour");
	q = (struct query){.type = "test_widget", .where = {QEQ("count", SVS("3"))}};
	refused(f, &q, "count");
	q = (struct query){.type = "test_widget", .where = {QEQ("title", SVI(3))}};
	refused(f, &q, "title");
	q = (struct query){.type = "test_widget", .where = {QEQ("kind", SVS("delta"))}};
	refused(f, &q, "kind");
	q = (struct query){.type = "test_widget", .where = {QEQ("members", SVI(1))}};
	refused(f, &q, "members");
	q = (struct query){.type = "test_widget", .where = {QHAS("owner", 1)}};
	refused(f, &q, "owner");
	q = (struct query){.type = "test_widget", .where = {QIN("id", odd)}};
	refused(f, &q, "id");
	/* Derived and write-only fields have no column. */
	q = (struct query){.type = "role", .where = {QHAS("holders", 1)}};
	refused(f, &q, "holders");
	q = (struct query){.type = "user", .where = {QEQ("password", SVS("x"))}};
	refused(f, &q, "password");
	q = (struct query){.type = "test_widget", .order = "colour"};
	assert_int_equal(query_ids(&f->x.c, &q, &v, &e), -1);
	assert_int_equal(e.code, ERR_INTERNAL);
	assert_null(v);
	q = (struct query){.type = "test_widget"};
	assert_int_equal(query_values(&f->x.c, &q, "members", &v, &e), -1);
	assert_string_equal(e.field, "members");
	assert_int_equal(query_max(&f->x.c, &q, "colour", &v, &e), -1);
	assert_string_equal(e.field, "colour");
	assert_null(v);
	json_decref(odd);
}

/* ---- named statements ------------------------------------------------------------- */

static void test_named_statements_name_registry_tables_and_columns(void **state)
{
	struct fx *f = *state;
	struct err e;
	size_t sets = 0;
	for (size_t i = 0; i < reg.nmodules; i++) {
		const struct module *m = reg.modules[i];
		size_t n = 0;
		if (!m->sql)
			continue;
		sets++;
		if (named_sql_check_all(&reg, m->sql, &e) < 0)
			fail_msg("%s: %s", m->file, e.message);
		/* A second, independent look: SQLite compiles every statement that is not a
		   template against the migrated schema. */
		for (const struct named_sql *s = m->sql; s->name; s++, n++) {
			char sql[2048];
			if (strchr(s->sql, '%'))
				continue;
			snprintf(sql, sizeof sql, "EXPLAIN %s", s->sql);
			struct store_rows *r;
			if (store_query(f->x.s, sql, NULL, 0, &r, &e) < 0 || store_next(r, &e) < 0)
				fail_msg("%s %s: %s", m->file, s->name, e.message);
			store_rows_free(r);
		}
		assert_true(n > 0);
	}
	assert_true(sets >= 2); /* the acknowledgements' and the SoA's */
}

static void checked(const char *sql, const char *named_in_error)
{
	struct named_sql s = {"test", sql};
	struct err e;
	err_clear(&e);
	int rc = named_sql_check(&reg, &s, &e);
	if (!named_in_error) {
		if (rc < 0)
			fail_msg("%s: %s", sql, e.message);
		return;
	}
	if (rc == 0)
		fail_msg("%s: accepted, but names \"%s\"", sql, named_in_error);
	assert_int_equal(e.code, ERR_INTERNAL);
	if (!strstr(e.message, named_in_error) || !strstr(e.message, "test"))
		fail_msg("%s: the refusal does not name %s: %s", sql, named_in_error, e.message);
}

static void test_named_statement_check(void **state)
{
	(void)state;
	/* What it accepts. */
	checked("SELECT p.id AS id, p.name AS name FROM people p JOIN record_links l ON "
		"l.to_id = p.id WHERE l.field = 'no such column' AND p.active = 1 ORDER BY name",
		NULL);
	checked("SELECT \"name\" FROM \"people\" WHERE id = $1", NULL);
	checked("SELECT count(*) AS n FROM people GROUP BY active ORDER BY n", NULL);
	checked("SELECT a.anything FROM (%s) a WHERE a.id = $%d", NULL);
	checked("SELECT id, name FROM (%s) a WHERE a.id NOT IN (SELECT person FROM "
		"acknowledgements WHERE document_version = $1) ORDER BY name, id",
		NULL);
	checked("SELECT k.person FROM acknowledgements k WHERE EXISTS (SELECT 1 FROM people p "
		"WHERE p.id = k.person) AND k.method IN (%s)",
		NULL);
	/* What it refuses, naming it. */
	checked("SELECT id FROM peeple", "peeple");
	checked("SELECT p.nme FROM people p", "nme");
	checked("SELECT x.name FROM people p", "\"x\"");
	checked("SELECT nme FROM people", "nme");
	checked("SELECT \"nme\" FROM people", "nme");
	checked("SELECT people.nme FROM people", "nme");
	checked("SELECT id FROM people p JOIN record_links l ON l.to_idd = p.id", "to_idd");
	checked("SELECT id FROM (%s) a ORDER BY nonsense", "nonsense");
	checked("SELECT holders FROM roles", "holders"); /* derived: no column */
	checked("SELECT 1", "no table");
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	reg = *widget_registry();
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty_table),
		T(test_filled_table),
		T(test_conditions),
		T(test_sets),
		T(test_order_limit_values_and_max),
		T(test_refusals),
		T(test_named_statements_name_registry_tables_and_columns),
		T(test_named_statement_check),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
