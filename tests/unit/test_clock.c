/* test_clock.c — calendar dates, RFC 3339 parsing to the canonical UTC form, and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/base/clock.h"
#include "../../src/base/sec.h"

static void test_valid_dates(void **state)
{
	(void)state;
	static const char *const good[] = {
		"2026-01-01", "2026-12-31", "2026-02-28", "2024-02-29", /* leap year */
		"2000-02-29",                                           /* divisible by 400 */
		"2026-04-30", "0001-01-01", "9999-12-31", NULL,
	};
	for (int i = 0; good[i]; i++) {
		if (!clock_valid_date(good[i]))
			fail_msg("%s should be a valid date", good[i]);
	}
}

static void test_invalid_dates(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2026-02-29",  /* not a leap year */
		"1900-02-29",  /* divisible by 100, not 400 */
		"2026-02-30",  "2026-04-31", "2026-06-31", "2026-09-31", "2026-11-31",
		"2026-01-32",  "2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01",
		"2026-1-01",   "2026-01-1",  "26-01-01",   "2026/01/01", "2026-01-01T00:00:00Z",
		"2026-01-01 ", " 2026-01-01", "2026-01-0a", "20260101",  "",
		"abcd-ef-gh",  "2026-+1-01", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		if (clock_valid_date(bad[i]))
			fail_msg("\"%s\" should not be a valid date", bad[i]);
	}
}

static void test_sane_dates_and_days(void **state)
{
	(void)state;
	char out[11];
	assert_true(clock_sane_date("1900-01-01"));
	assert_true(clock_sane_date("2200-12-31"));
	assert_false(clock_sane_date("1899-12-31"));
	assert_false(clock_sane_date("2201-01-01"));
	assert_false(clock_sane_date("0001-01-01"));
	assert_false(clock_sane_date("9999-12-31"));
	assert_false(clock_sane_date(NULL));
	clock_add_days("2026-03-01", -1, out);
	assert_string_equal(out, "2026-02-28");
	clock_add_days("2024-12-25", 7, out);
	assert_string_equal(out, "2025-01-01");
	clock_add_days("2026-01-08", -7, out);
	assert_string_equal(out, "2026-01-01");
}

static void test_format_epoch_and_milliseconds(void **state)
{
	(void)state;
	char out[CLOCK_TS_LEN];
	clock_format(0, 0, out);
	assert_string_equal(out, "1970-01-01T00:00:00.000Z");
	clock_format(1795819826, 7, out); /* 2026-11-27T22:50:26Z */
	assert_string_equal(out, "2026-11-27T22:50:26.007Z");
	clock_format(951782400, 999, out); /* 2000-02-29T00:00:00Z */
	assert_string_equal(out, "2000-02-29T00:00:00.999Z");
}

static void test_now_is_canonical(void **state)
{
	(void)state;
	char out[CLOCK_TS_LEN], back[CLOCK_TS_LEN];
	clock_now(out);
	assert_int_equal(strlen(out), 24);
	assert_int_equal(out[23], 'Z');
	assert_true(clock_parse_rfc3339(out, back));
	assert_string_equal(out, back);
}

struct parse_case {
	const char *in, *want;
};

static void test_parse_valid_forms(void **state)
{
	(void)state;
	static const struct parse_case cases[] = {
		{"2026-11-27T22:50:26Z", "2026-11-27T22:50:26.000Z"},
		{"2026-11-27t22:50:26z", "2026-11-27T22:50:26.000Z"},
		{"2026-11-27T22:50:26.5Z", "2026-11-27T22:50:26.500Z"},
		{"2026-11-27T22:50:26.12Z", "2026-11-27T22:50:26.120Z"},
		{"2026-11-27T22:50:26.123Z", "2026-11-27T22:50:26.123Z"},
		{"2026-11-27T22:50:26.123999Z", "2026-11-27T22:50:26.123Z"}, /* truncated */
		{"2026-11-27T22:50:26+00:00", "2026-11-27T22:50:26.000Z"},
		{"2026-11-27T22:50:26-00:00", "2026-11-27T22:50:26.000Z"},
		{"2026-11-27T22:50:26+01:00", "2026-11-27T21:50:26.000Z"},
		{"2026-11-27T22:50:26.250+05:30", "2026-11-27T17:20:26.250Z"},
		{"2026-11-27T23:30:00-01:00", "2026-11-28T00:30:00.000Z"},  /* next day */
		{"2026-12-31T23:00:00-02:00", "2027-01-01T01:00:00.000Z"},  /* next year */
		{"2026-03-01T00:30:00+01:00", "2026-02-28T23:30:00.000Z"},  /* previous month */
		{"2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00.000Z"},  /* leap day */
		{"2026-01-01T00:00:00+14:00", "2025-12-31T10:00:00.000Z"},
		{NULL, NULL},
	};
	for (int i = 0; cases[i].in; i++) {
		char out[CLOCK_TS_LEN] = "";
		if (!clock_parse_rfc3339(cases[i].in, out))
			fail_msg("%s should parse", cases[i].in);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%s parsed to %s, want %s", cases[i].in, out, cases[i].want);
	}
}

static void test_parse_rejects_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"garbage",
		"2026-11-27",
		"2026-11-27T22:50:26",       /* no zone */
		"2026-11-27T22:50Z",         /* no seconds */
		"2026-11-27 22:50:26Z",      /* not T */
		"2026-11-27X22:50:26Z",
		"2026-11-27T22:50:26.Z",     /* empty fraction */
		"2026-11-27T22:50:26,5Z",
		"2026-11-27T22:50:26ZZ",     /* trailing text */
		"2026-11-27T22:50:26Z ",
		"2026-11-27T22:50:26+0100",  /* offset without colon */
		"2026-11-27T22:50:26+01",
		"2026-11-27T22:50:26+01:0",
		"2026-11-27T22:50:26+01:00x",
		"2026-11-27T24:00:00Z",      /* hour out of range */
		"2026-11-27T22:60:00Z",      /* minute out of range */
		"2026-11-27T22:50:61Z",      /* second out of range */
		"2026-02-30T00:00:00Z",      /* no such day */
		"2026-13-01T00:00:00Z",
		"2026-11-27T2a:50:26Z",
		"  2026-11-27T22:50:26Z",
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		char out[CLOCK_TS_LEN];
		if (clock_parse_rfc3339(bad[i], out))
			fail_msg("\"%s\" should not parse (got %s)", bad[i], out);
	}
}

/* RFC 3339 offsets are time-hour ":" time-minute: hours 00-23, minutes 00-59. */
static void test_parse_rejects_out_of_range_offsets(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2026-11-27T22:50:26+24:00",
		"2026-11-27T22:50:26+99:99",
		"2026-11-27T22:50:26-01:60",
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		char out[CLOCK_TS_LEN];
		if (clock_parse_rfc3339(bad[i], out))
			fail_msg("\"%s\" should not parse (got %s)", bad[i], out);
	}
}

static void test_parse_leap_second_rolls_over(void **state)
{
	(void)state;
	char out[CLOCK_TS_LEN];
	assert_true(clock_parse_rfc3339("2016-12-31T23:59:60Z", out));
	assert_string_equal(out, "2017-01-01T00:00:00.000Z");
}

static void test_canonical_form_sorts_as_time(void **state)
{
	(void)state;
	/* The store compares timestamps as text, so later instants must sort later even when
	   written with offsets that reverse their local order. */
	char a[CLOCK_TS_LEN], b[CLOCK_TS_LEN];
	assert_true(clock_parse_rfc3339("2026-05-01T10:00:00+05:00", a)); /* 05:00Z */
	assert_true(clock_parse_rfc3339("2026-05-01T06:00:00+00:00", b)); /* 06:00Z */
	assert_true(strcmp(a, b) < 0);
}

static void test_mono_is_monotonic(void **state)
{
	(void)state;
	double a = clock_mono(), b = clock_mono();
	assert_true(a > 0);
	assert_true(b >= a);
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_dates),
		cmocka_unit_test(test_invalid_dates),
		cmocka_unit_test(test_sane_dates_and_days),
		cmocka_unit_test(test_format_epoch_and_milliseconds),
		cmocka_unit_test(test_now_is_canonical),
		cmocka_unit_test(test_parse_valid_forms),
		cmocka_unit_test(test_parse_rejects_garbage),
		cmocka_unit_test(test_parse_rejects_out_of_range_offsets),
		cmocka_unit_test(test_parse_leap_second_rolls_over),
		cmocka_unit_test(test_canonical_form_sorts_as_time),
		cmocka_unit_test(test_mono_is_monotonic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
