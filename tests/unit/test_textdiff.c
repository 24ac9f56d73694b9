/* test_textdiff.c — the line diff behind GET /api/v1/document-versions/:id/diff and
   `isms diff`: edit scripts with line numbers, line ends, empty texts, and the fallback to
   "all removed, all added" when the differing part is too large to compare line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/buf.h"
#include "../../src/base/textdiff.h"

/* The script as "op text" lines joined by '|', e.g. " a|-b|+c". Caller frees. */
static char *script(const char *a, const char *b)
{
	json_t *d = textdiff_lines(a, b), *row;
	struct buf out = BUF_INIT;
	size_t i;
	assert_non_null(d);
	json_array_foreach(d, i, row) {
		buf_printf(&out, "%s%s%s", i ? "|" : "", json_string_value(json_object_get(row, "op")),
			   json_string_value(json_object_get(row, "text")));
	}
	json_decref(d);
	char *s = strdup(buf_str(&out));
	buf_release(&out);
	return s;
}

static void expect(const char *a, const char *b, const char *want)
{
	char *got = script(a, b);
	assert_string_equal(got, want);
	free(got);
}

static void test_scripts(void **state)
{
	(void)state;
	expect("a\nb\nc\n", "a\nc\nd\n", " a|-b| c|+d");
	expect("same\n", "same", " same");           /* a last line end makes no line */
	expect("x\r\ny\r\n", "x\ny\n", " x| y");     /* CRLF is LF */
	expect("x\ry", "x\ny", " x| y");             /* so is CR */
	expect(NULL, "new\n", "+new");
	expect("old", "", "-old");
	expect("", NULL, "");
	expect("a\nb\na\nb\n", "b\na\nb\na\n", "-a| b| a| b|+a");
}

static void test_line_numbers(void **state)
{
	(void)state;
	json_t *d = textdiff_lines("one\ntwo\nthree", "zero\none\nthree");
	/* +zero(new 1), one(1,2), -two(old 2), three(3,3) */
	assert_int_equal(json_array_size(d), 4);
	json_t *r0 = json_array_get(d, 0), *r2 = json_array_get(d, 2), *r3 = json_array_get(d, 3);
	assert_string_equal(json_string_value(json_object_get(r0, "op")), "+");
	assert_null(json_object_get(r0, "old"));
	assert_int_equal(json_integer_value(json_object_get(r0, "new")), 1);
	assert_string_equal(json_string_value(json_object_get(r2, "op")), "-");
	assert_int_equal(json_integer_value(json_object_get(r2, "old")), 2);
	assert_null(json_object_get(r2, "new"));
	assert_int_equal(json_integer_value(json_object_get(r3, "old")), 3);
	assert_int_equal(json_integer_value(json_object_get(r3, "new")), 3);
	json_decref(d);
}

/* 2,100 different lines each side: 4.4 million cells, past the limit. */
static void test_too_large_falls_back(void **state)
{
	(void)state;
	struct buf a = BUF_INIT, b = BUF_INIT;
	buf_puts(&a, "head\n");
	buf_puts(&b, "head\n");
	for (int i = 0; i < 2100; i++) {
		buf_printf(&a, "a%d\n", i);
		buf_printf(&b, "b%d\n", i);
	}
	buf_puts(&a, "tail\n");
	buf_puts(&b, "tail\n");
	json_t *d = textdiff_lines(buf_str(&a), buf_str(&b));
	assert_non_null(d);
	assert_int_equal(json_array_size(d), 2 + 2 * 2100);
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, 1), "op")), "-");
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, 2101), "op")), "+");
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, 4201), "text")), "tail");
	json_decref(d);
	buf_release(&a);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_too_large_falls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
