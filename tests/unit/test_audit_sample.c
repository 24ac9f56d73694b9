/* test_audit_sample.c — what 9.2 offers that no API reaches on its own: the reproducible
   audit sample (the same population, size and seed always draw the same items in the same
   order — a fixed expectation, so a change of generator or shuffle fails here — distinct
   items from the population, another seed another sample, systematic draws every n-th item,
   a size above the population draws it all), and 9.2's input to the management review
   (9.3.2 d): audits reported in the period, findings by kind, open nonconformities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/engine/query.h"
#include "../../src/iso27001/c9_2_audit.h"
#include "../../src/iso27001/people.h"
#include "../support/fixture.h"
#include "../support/widget.h"

#include <stdio.h>
#include <stdlib.h>

static json_t *letters(void)
{
	return json_build("[s,s,s,s,s,s,s,s]", "a", "b", "c", "d", "e", "f", "g", "h");
}

static void test_same_seed_same_sample(void **state)
{
	(void)state;
	json_t *pop = letters();
	json_t *a = audit_sample_draw(pop, 3, 1, "random"), *b = audit_sample_draw(pop, 3, 1, "random");
	json_t *want = json_build("[s,s,s]", "d", "g", "c");
	assert_true(json_equal(a, b));
	assert_true(json_equal(a, want));
	json_t *other = audit_sample_draw(pop, 3, 2, "random");
	assert_int_equal(json_array_size(other), 3);
	assert_false(json_equal(other, a));
	json_decref(a);
	json_decref(b);
	json_decref(want);
	json_decref(other);
	json_decref(pop);
}

static void test_distinct_items_of_the_population(void **state)
{
	(void)state;
	json_t *pop = json_array();
	for (int i = 0; i < 200; i++)
		json_array_append_new(pop, json_integer(i));
	for (long long seed = 0; seed < 20; seed++) {
		json_t *s = audit_sample_draw(pop, 50, seed, "random");
		char seen[200] = {0};
		assert_int_equal(json_array_size(s), 50);
		for (size_t i = 0; i < 50; i++) {
			long long v = json_integer_value(json_array_get(s, i));
			assert_true(v >= 0 && v < 200);
			assert_false(seen[v]);
			seen[v] = 1;
		}
		json_decref(s);
	}
	json_decref(pop);
}

static void test_systematic_and_whole(void **state)
{
	(void)state;
	json_t *pop = letters();
	json_t *s = audit_sample_draw(pop, 4, 9, "systematic");
	assert_int_equal(json_array_size(s), 4);
	/* every second item from a start drawn from the seed */
	const char *first = json_string_value(json_array_get(s, 0));
	const char *second = json_string_value(json_array_get(s, 1));
	assert_int_equal(second[0] - first[0], 2);
	json_decref(s);
	json_t *all = audit_sample_draw(pop, 20, 9, "random");
	assert_int_equal(json_array_size(all), 8);
	json_decref(all);
	json_t *none = json_array(), *empty = audit_sample_draw(none, 3, 1, "random");
	assert_int_equal(json_array_size(empty), 0);
	json_decref(empty);
	json_decref(none);
	json_decref(pop);
}

static void test_review_inputs(void **state)
{
	(void)state;
	struct fixture x;
	struct err e;
	char json[600];
	assert_int_equal(fixture_open(&x, "audit_inputs", widget_registry()), 0);
	fixture_as(&x, ROLE_ISMS_MANAGER, "mia");
	long long lead = fixture_mk(&x, &people_type, "{\"name\": \"Ivy Auditor\"}");
	long long prog = fixture_mk(&x, &audit_programmes_type,
				    "{\"title\": \"P\", \"period_start\": \"2026-01-01\", "
				    "\"period_end\": \"2028-12-31\"}");
	snprintf(json, sizeof json,
		 "{\"programme\": %lld, \"title\": \"Clause 8\", \"clauses\": [\"8.1\"], "
		 "\"lead_auditor\": %lld, \"planned_start\": \"2026-07-01\", \"planned_end\": "
		 "\"2026-07-03\"}",
		 prog, lead);
	long long audit = fixture_mk(&x, &audits_type, json);
	assert_int_equal(fixture_act(&x, &audits_type, audit, "start_fieldwork",
				     "{\"actual_start\": \"2026-07-01\"}", -1, NULL, &e),
			 0);
	/* The finding scale, as isms init seeds it. */
	assert_int_equal(store_begin(x.s, true, &e), 0);
	x.c.system = true;
	assert_int_equal(finding_kinds_seed(&x.c, &e), 0);
	x.c.system = false;
	assert_int_equal(store_commit(x.s, &e), 0);
	assert_int_equal(store_begin(x.s, false, &e), 0);
	struct query q = {.type = "finding_kind", .where = {QEQ("name", SVS("minor_nc"))}};
	long long minor = 0;
	assert_int_equal(query_id(&x.c, &q, &minor, &e), 0);
	store_rollback(x.s);
	assert_true(minor > 0);
	snprintf(json, sizeof json,
		 "{\"audit\": %lld, \"clause\": \"8.1\", \"kind\": %lld, \"statement\": \"Missing "
		 "threat models\"}",
		 audit, minor);
	fixture_mk(&x, &audit_findings_type, json);
	assert_int_equal(fixture_act(&x, &audits_type, audit, "report", "{\"summary\": \"One NC.\"}",
				     -1, NULL, &e),
			 0);
	json_t *in = json_object();
	for (char l = 'a'; l <= 'g'; l++) {
		char k[2] = {l, 0};
		json_object_set_new(in, k, json_array());
	}
	assert_int_equal(store_begin(x.s, false, &e), 0);
	assert_int_equal(audit_review_inputs(&x.c, NULL, "2999-12-31", in, &e), 0);
	store_rollback(x.s);
	const json_t *d = json_object_get(in, "d");
	assert_int_equal(json_array_size(d), 1);
	const json_t *entry = json_array_get(d, 0);
	assert_string_equal(json_text(entry, "clause"), "9.2");
	assert_non_null(strstr(json_text(entry, "summary"), "1 internal audit reported"));
	assert_non_null(strstr(json_text(entry, "summary"), "1 Minor nonconformity"));
	assert_non_null(strstr(json_text(entry, "summary"), "1 nonconformity from them still open"));
	assert_int_equal(json_array_size(json_object_get(entry, "items")), 1);
	json_decref(in);
	fixture_close(&x);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_sample),
		cmocka_unit_test(test_distinct_items_of_the_population),
		cmocka_unit_test(test_systematic_and_whole),
		cmocka_unit_test(test_review_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
