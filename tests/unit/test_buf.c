/* test_buf.c — the growable buffer: appends, printf, growth, detach, reset and release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/base/buf.h"
#include "../../src/base/sec.h"

static void test_empty_buffer_reads_as_empty_string(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_null(b.data);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.len, 0);
	buf_init(&b);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
	assert_null(b.data);
}

static void test_append_puts_putc(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_append(&b, "abc", 3);
	buf_puts(&b, "def");
	buf_putc(&b, 'g');
	buf_append(&b, "XYZ", 0);
	assert_int_equal(b.len, 7);
	assert_string_equal(buf_str(&b), "abcdefg");
	assert_int_equal(b.data[b.len], '\0');
	assert_true(b.cap > b.len);
	buf_release(&b);
}

static void test_append_zero_bytes_to_empty_buffer_terminates(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_append(&b, "", 0);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void test_append_keeps_embedded_nul_bytes(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_append(&b, "a\0b", 3);
	buf_putc(&b, '\0');
	buf_putc(&b, 'c');
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "a\0b\0c", 6);
	buf_release(&b);
}

static void test_printf_formats_and_appends(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_puts(&b, "n=");
	buf_printf(&b, "%d, s=%s, x=%05.1f", 42, "hi", 3.14159);
	assert_string_equal(buf_str(&b), "n=42, s=hi, x=003.1");
	assert_int_equal(b.len, strlen("n=42, s=hi, x=003.1"));
	buf_printf(&b, "%s", "");
	assert_string_equal(buf_str(&b), "n=42, s=hi, x=003.1");
	buf_release(&b);
}

static void test_printf_longer_than_initial_capacity(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	char big[1000];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_puts(&b, "<");
	buf_printf(&b, "%s|%s", big, big);
	buf_puts(&b, ">");
	assert_int_equal(b.len, 1 + 999 + 1 + 999 + 1);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[1000], '|');
	assert_int_equal(b.data[b.len - 1], '>');
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(strlen(b.data), b.len);
	buf_release(&b);
}

static void test_growth_preserves_contents(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10000);
	assert_true(b.cap >= 10001);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_int_equal(b.data[10000], '\0');
	buf_release(&b);
}

static void test_detach_hands_over_and_empties(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_puts(&b, "hello");
	char *s = buf_detach(&b);
	assert_string_equal(s, "hello");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_string_equal(buf_str(&b), "");
	/* The buffer is reusable and independent of the detached string. */
	buf_puts(&b, "again");
	assert_string_equal(s, "hello");
	assert_string_equal(buf_str(&b), "again");
	free(s);
	buf_release(&b);
}

static void test_detach_of_empty_buffer_gives_owned_empty_string(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	char *s = buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_reset_keeps_capacity_and_clears(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_puts(&b, "some text that is here");
	size_t cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.cap, cap);
	buf_puts(&b, "xy");
	assert_string_equal(buf_str(&b), "xy");
	buf_release(&b);
	/* Resetting a never-used buffer is harmless. */
	buf_reset(&b);
	assert_string_equal(buf_str(&b), "");
}

static void test_release_leaves_reusable_buffer(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_puts(&b, "first");
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_printf(&b, "%s-%d", "second", 2);
	assert_string_equal(buf_str(&b), "second-2");
	buf_release(&b);
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_buffer_reads_as_empty_string),
		cmocka_unit_test(test_append_puts_putc),
		cmocka_unit_test(test_append_zero_bytes_to_empty_buffer_terminates),
		cmocka_unit_test(test_append_keeps_embedded_nul_bytes),
		cmocka_unit_test(test_printf_formats_and_appends),
		cmocka_unit_test(test_printf_longer_than_initial_capacity),
		cmocka_unit_test(test_growth_preserves_contents),
		cmocka_unit_test(test_detach_hands_over_and_empties),
		cmocka_unit_test(test_detach_of_empty_buffer_gives_owned_empty_string),
		cmocka_unit_test(test_reset_keeps_capacity_and_clears),
		cmocka_unit_test(test_release_leaves_reusable_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
