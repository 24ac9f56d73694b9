/* test_err.c — err_set, err_clear and the one table mapping codes to wire names, HTTP
   statuses and CLI exit statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/base/err.h"
#include "../../src/base/sec.h"

static void test_err_set_fills_and_returns_minus_one(void **state)
{
	(void)state;
	struct err e;
	err_clear(&e);
	int rc = err_set(&e, ERR_INVALID, "title", "%s is longer than %d characters", "Title", 50);
	assert_int_equal(rc, -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "title");
	assert_string_equal(e.message, "Title is longer than 50 characters");
}

static void test_err_set_null_field_is_empty(void **state)
{
	(void)state;
	struct err e;
	err_clear(&e);
	err_set(&e, ERR_INVALID, "old", "first");
	err_set(&e, ERR_NOT_FOUND, NULL, "no person with id %lld", 7LL);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_string_equal(e.field, "");
	assert_string_equal(e.message, "no person with id 7");
}

static void test_err_clear_resets_everything(void **state)
{
	(void)state;
	struct err e;
	err_set(&e, ERR_STORE, "x", "boom");
	err_clear(&e);
	assert_int_equal(e.code, ERR_NONE);
	assert_string_equal(e.field, "");
	assert_string_equal(e.message, "");
}

static void test_err_set_truncates_long_text_safely(void **state)
{
	(void)state;
	struct err e;
	char field[200], msg[2000];
	memset(field, 'f', sizeof field - 1);
	field[sizeof field - 1] = '\0';
	memset(msg, 'm', sizeof msg - 1);
	msg[sizeof msg - 1] = '\0';
	err_set(&e, ERR_INVALID, field, "%s", msg);
	assert_int_equal(strlen(e.field), sizeof e.field - 1);
	assert_int_equal(strlen(e.message), sizeof e.message - 1);
	assert_int_equal(e.field[0], 'f');
	assert_int_equal(e.message[0], 'm');
}

struct mapping {
	enum err_code code;
	const char *name;
	int http, exitc;
};

static void test_code_table(void **state)
{
	(void)state;
	static const struct mapping m[] = {
		{ERR_NONE, "ok", 200, 0},
		{ERR_INVALID, "invalid", 400, 1},
		{ERR_USAGE, "usage", 400, 2},
		{ERR_UNAUTHENTICATED, "unauthenticated", 401, 1},
		{ERR_FORBIDDEN, "forbidden", 403, 1},
		{ERR_CSRF, "csrf", 403, 1},
		{ERR_NOT_FOUND, "not_found", 404, 1},
		{ERR_METHOD, "method_not_allowed", 405, 1},
		{ERR_CONFLICT, "conflict", 409, 1},
		{ERR_IN_USE, "in_use", 409, 1},
		{ERR_STALE, "stale_version", 412, 1},
		{ERR_TOO_LARGE, "too_large", 413, 1},
		{ERR_MEDIA_TYPE, "unsupported_media_type", 415, 1},
		{ERR_THROTTLED, "throttled", 429, 1},
		{ERR_STORE, "store_error", 500, 1},
		{ERR_SCHEMA, "schema_mismatch", 503, 1},
		{ERR_INTERNAL, "internal", 500, 1},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		assert_string_equal(err_code_name(m[i].code), m[i].name);
		assert_int_equal(err_http_status(m[i].code), m[i].http);
		assert_int_equal(err_exit_status(m[i].code), m[i].exitc);
	}
}

static void test_every_code_has_distinct_name_and_error_status(void **state)
{
	(void)state;
	for (int a = ERR_NONE; a <= ERR_INTERNAL; a++) {
		assert_non_null(err_code_name((enum err_code)a));
		if (a != ERR_NONE) {
			assert_true(err_http_status((enum err_code)a) >= 400);
			assert_true(err_exit_status((enum err_code)a) != 0);
		}
		for (int b = a + 1; b <= ERR_INTERNAL; b++)
			assert_string_not_equal(err_code_name((enum err_code)a),
						err_code_name((enum err_code)b));
	}
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_set_fills_and_returns_minus_one),
		cmocka_unit_test(test_err_set_null_field_is_empty),
		cmocka_unit_test(test_err_clear_resets_everything),
		cmocka_unit_test(test_err_set_truncates_long_text_safely),
		cmocka_unit_test(test_code_table),
		cmocka_unit_test(test_every_code_has_distinct_name_and_error_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
