/* test_export.c — the exports: CSV fields (RFC 4180 quoting, formula neutralization), the
   CSV of a whole table, the HTML escaping, and the checks export_report makes before it
   reads anything (unknown report, versions, roles). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/iso27001/c6_1_2_risks.h"
#include "../../src/base/json.h"
#include "../../src/report/export.h"
#include "../../src/report/export_table.h"

static void expect_field(const char *in, bool text, const char *want)
{
	struct buf b = BUF_INIT;
	export_csv_field(&b, in, text);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void test_plain_fields_are_written_as_they_are(void **state)
{
	(void)state;
	expect_field("", true, "");
	expect_field("Backups", true, "Backups");
	expect_field("a b\tc", true, "a b\tc");
	expect_field("Zoë’s café — ok", true, "Zoë’s café — ok");
	expect_field("x=1+2", true, "x=1+2"); /* only a leading sign is a formula */
}

static void test_comma_quote_and_line_breaks_are_quoted(void **state)
{
	(void)state;
	expect_field("a,b", true, "\"a,b\"");
	expect_field("say \"hi\"", true, "\"say \"\"hi\"\"\"");
	expect_field("\"", true, "\"\"\"\"");
	expect_field("one\ntwo", true, "\"one\ntwo\"");
	expect_field("one\r\ntwo", true, "\"one\r\ntwo\"");
	expect_field("cr\r", true, "\"cr\r\"");
}

static void test_formula_starts_are_neutralized(void **state)
{
	(void)state;
	expect_field("=1+2", true, "'=1+2");
	expect_field("+31 20 123", true, "'+31 20 123");
	expect_field("-5", true, "'-5");
	expect_field("@SUM(A1)", true, "'@SUM(A1)");
	expect_field("\tx", true, "'\tx");
	/* quoting and the guard together: the quote goes inside the quotes */
	expect_field("=HYPERLINK(\"http://x\",\"y\")", true,
		     "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	expect_field("\rx", true, "\"'\rx\"");
	/* numbers are numbers */
	expect_field("-5", false, "-5");
	expect_field("42", false, "42");
}

static void test_table_as_csv(void **state)
{
	(void)state;
	struct export_table t;
	export_table_init(&t, "Test", "Test");
	export_table_column(&t, "ID", 8);
	export_table_column(&t, "Name, full", 20);
	export_table_column(&t, "Done", 8);
	export_table_column(&t, "Level", 8);
	export_table_column(&t, "Note", 8);
	json_array_append_new(t.rows, json_build("[i, s, b, {s:s, s:s}, n]", 7, "=cmd", 1, "text",
						"High", "fill", "#ff0000"));
	json_array_append_new(t.rows, json_build("[i, s, b, n, s]", -3, "a\"b", 0, "x\ny"));
	struct buf b = BUF_INIT;
	struct err e;
	err_clear(&e);
	assert_int_equal(export_csv_render(&t, &b, &e), 0);
	assert_string_equal(buf_str(&b), "ID,\"Name, full\",Done,Level,Note\r\n"
					 "7,'=cmd,yes,High,\r\n"
					 "-3,\"a\"\"b\",no,,\"x\ny\"\r\n");
	buf_reset(&b);
	assert_int_equal(export_html_render(&t, &b, &e), 0);
	const char *html = buf_str(&b);
	assert_non_null(strstr(html, "<td>a&quot;b</td>"));
	assert_non_null(strstr(html, "<td class=\"num\">-3</td>"));
	assert_non_null(strstr(html, "<td>=cmd</td>"));
	assert_non_null(strstr(html, "<th scope=\"col\">Name, full</th>"));
	assert_non_null(strstr(html, "fill=\"#ff0000\"")); /* the level's colour swatch */
	assert_null(strstr(html, "<script"));
	buf_release(&b);
	export_table_release(&t);
}

/* A producer that makes one row and then fails, as a store error mid-way would. */
static int failing_rows(struct export_table *t, export_emit_fn emit, void *arg, struct err *e)
{
	(void)t;
	json_t *row = json_build("[i, s]", 1, "first");
	int rc = emit(arg, row, e);
	json_decref(row);
	if (rc < 0)
		return -1;
	return err_set(e, ERR_STORE, NULL, "the store went away");
}

static void test_producer_failure_fails_the_render(void **state)
{
	(void)state;
	struct export_table t;
	export_table_init(&t, "Test", "Test");
	export_table_column(&t, "ID", 8);
	export_table_column(&t, "Name", 20);
	t.produce = failing_rows;
	struct buf b = BUF_INIT;
	struct err e;
	err_clear(&e);
	assert_int_equal(export_csv_render(&t, &b, &e), -1);
	assert_int_equal(e.code, ERR_STORE);
	err_clear(&e);
	assert_int_equal(export_html_render(&t, &b, &e), -1);
	assert_int_equal(e.code, ERR_STORE);
	err_clear(&e);
	assert_int_equal(export_xlsx_render(&t, &b, &e), -1);
	assert_int_equal(e.code, ERR_STORE);
	buf_release(&b);
	export_table_release(&t);
}

static void test_formats(void **state)
{
	(void)state;
	enum export_format f;
	assert_true(export_format_parse("xlsx", &f));
	assert_int_equal(f, EXPORT_XLSX);
	assert_true(export_format_parse("csv", &f));
	assert_string_equal(export_media_type(f), "text/csv; charset=utf-8");
	assert_true(export_format_parse("html", &f));
	assert_string_equal(export_format_ext(f), "html");
	assert_false(export_format_parse("pdf", &f));
	assert_false(export_format_parse("XLSX", &f));
	assert_false(export_format_parse(NULL, &f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fields_are_written_as_they_are),
		cmocka_unit_test(test_comma_quote_and_line_breaks_are_quoted),
		cmocka_unit_test(test_formula_starts_are_neutralized),
		cmocka_unit_test(test_table_as_csv),
		cmocka_unit_test(test_producer_failure_fails_the_render),
		cmocka_unit_test(test_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
