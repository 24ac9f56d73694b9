/* test_measures.c — 9.1 measures: the status of a value against the thresholds in each
   direction, the next period of each frequency, and the inputs a measure brings to the
   management review (9.3.2 d): status now against status at the previous review, the red and
   amber ones as items. On a fresh SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/iso27001/c9_1_measures.h"
#include "../../src/iso27001/frequency.h"
#include "../../src/iso27001/people.h"
#include "../support/fixture.h"
#include "../support/widget.h"

static void status_by_direction(void **state)
{
	(void)state;
	json_t *up = fixture_json("{\"direction\": \"higher_is_better\", \"green\": 95, \"red\": 80}");
	json_t *down = fixture_json("{\"direction\": \"lower_is_better\", \"green\": 5, \"red\": 8}");
	json_t *none = fixture_json("{\"direction\": \"lower_is_better\"}");
	assert_string_equal(measure_status(up, 95), "green");
	assert_string_equal(measure_status(up, 94.9), "amber");
	assert_string_equal(measure_status(up, 80), "red");
	assert_string_equal(measure_status(down, 5), "green");
	assert_string_equal(measure_status(down, 7.99), "amber");
	assert_string_equal(measure_status(down, 8), "red");
	assert_string_equal(measure_status(none, 1), "none");
	json_decref(up);
	json_decref(down);
	json_decref(none);
}

static void next_period(void **state)
{
	(void)state;
	char out[11];
	frequency_next("weekly", "2026-12-30", out);
	assert_string_equal(out, "2027-01-06");
	frequency_next("monthly", "2026-01-31", out);
	assert_string_equal(out, "2026-02-28");
	frequency_next("quarterly", "2026-11-30", out);
	assert_string_equal(out, "2027-02-28");
	frequency_next("half_yearly", "2026-03-15", out);
	assert_string_equal(out, "2026-09-15");
	frequency_next("yearly", "2024-02-29", out);
	assert_string_equal(out, "2025-02-28");
	frequency_next("once", "2026-03-15", out);
	assert_string_equal(out, "2026-03-15");
	assert_int_equal(frequency_months("quarterly"), 3);
	assert_int_equal(frequency_months(NULL), 0);
}

static void review_inputs(void **state)
{
	(void)state;
	struct fixture x;
	struct err e;
	assert_int_equal(fixture_open(&x, "measures", widget_registry()), 0);
	fixture_as(&x, ROLE_ISMS_MANAGER, "mia");
	long long p = fixture_mk(&x, &people_type, "{\"name\": \"Cole Collector\"}");
	char json[400];
	snprintf(json, sizeof json,
		 "{\"name\": \"Supplier assessments\", \"information_need\": \"On time?\", "
		 "\"green\": 95, \"red\": 80, \"unit\": \"%%\", \"collector\": %lld, "
		 "\"analyst\": %lld}",
		 p, p);
	long long worse = fixture_mk(&x, &measures_type, json);
	long long steady = fixture_mk(&x, &measures_type,
				      "{\"name\": \"MFA coverage\", \"information_need\": \"All?\", "
				      "\"green\": 99, \"red\": 95}");
	static const char *const rows[][3] = {{"w", "2025-03-31", "96"}, {"w", "2025-09-30", "76"},
					      {"s", "2025-03-31", "99.5"}, {"s", "2025-09-30", "99.8"}};
	for (size_t i = 0; i < 4; i++) {
		snprintf(json, sizeof json,
			 "{\"measure\": %lld, \"measured_on\": \"%s\", \"value\": %s}",
			 rows[i][0][0] == 'w' ? worse : steady, rows[i][1], rows[i][2]);
		fixture_mk(&x, &measurements_type, json);
	}
	json_t *inputs = fixture_json("{\"a\": [], \"b\": [], \"c\": [], \"d\": [], \"e\": [], "
				      "\"f\": [], \"g\": []}");
	err_clear(&e);
	assert_int_equal(measure_review_inputs(&x.c, "2025-06-30", "2025-12-31", inputs, &e), 0);
	json_t *d = json_object_get(inputs, "d");
	assert_int_equal(json_array_size(d), 1);
	json_t *entry = json_array_get(d, 0);
	assert_string_equal(json_str(entry, "clause"), "9.1");
	assert_string_equal(json_str(entry, "summary"),
			    "2 active measures: 1 green, 0 amber, 1 red, 0 not measured; 1 changed "
			    "status since the previous review");
	json_t *items = json_object_get(entry, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *item = json_array_get(items, 0);
	assert_int_equal(json_int(item, "id"), worse);
	assert_string_equal(json_str(item, "type"), "measures");
	assert_string_equal(json_str(item, "detail"),
			    "red at 76 % on 2025-09-30; green at the previous review");
	assert_int_equal(json_array_size(json_object_get(inputs, "a")), 0);
	/* Before any measurement: nothing red, everything "not measured". */
	json_t *early = fixture_json("{\"d\": []}");
	assert_int_equal(measure_review_inputs(&x.c, NULL, "2025-01-31", early, &e), 0);
	json_t *first = json_array_get(json_object_get(early, "d"), 0);
	assert_string_equal(json_str(first, "summary"),
			    "2 active measures: 0 green, 0 amber, 0 red, 2 not measured");
	assert_int_equal(json_array_size(json_object_get(first, "items")), 0);
	json_decref(early);
	json_decref(inputs);
	fixture_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_by_direction),
		cmocka_unit_test(next_period),
		cmocka_unit_test(review_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
