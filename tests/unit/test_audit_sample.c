/* test_audit_sample.c — the reproducible audit sample (9.2): the same population, size and
   seed always draw the same items in the same order (a fixed expectation, so a change of
   generator or shuffle fails here), distinct items from the population, another seed another
   sample, systematic draws every n-th item, and a size above the population draws it all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "../../src/iso27001/c9_2_audit.h"

static json_t *letters(void)
{
	return json_pack("[s,s,s,s,s,s,s,s]", "a", "b", "c", "d", "e", "f", "g", "h");
}

static void test_same_seed_same_sample(void **state)
{
	(void)state;
	json_t *pop = letters();
	json_t *a = audit_sample_draw(pop, 3, 1, "random"), *b = audit_sample_draw(pop, 3, 1, "random");
	json_t *want = json_pack("[s,s,s]", "d", "g", "c");
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

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_sample),
		cmocka_unit_test(test_distinct_items_of_the_population),
		cmocka_unit_test(test_systematic_and_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
