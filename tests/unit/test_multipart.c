/* test_multipart.c — the upload parsers, which read untrusted bytes: multipart/form-data
   bodies (parts, names, filenames incl. filename*, content types, bodies holding NULs and
   boundary-like lines), header parameters, percent-decoding, media type sniffing; and a
   deterministic mutation run that cuts and garbles a valid body thousands of ways, which
   must only ever parse or fail cleanly (run under AddressSanitizer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/http/multipart.h"
#include "../../src/engine/sniff.h"

#define CT "multipart/form-data; boundary=----b0und"

static const char body_two_parts[] =
	"------b0und\r\n"
	"Content-Disposition: form-data; name=\"description\"\r\n"
	"\r\n"
	"Q3 restore test\r\n"
	"------b0und\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\evidence\\\\r%22t.pdf\"\r\n"
	"Content-Type: application/pdf\r\n"
	"\r\n"
	"%PDF-1.7\0\r\n------b0und-not-a-boundary\r\nend\r\n"
	"------b0und--\r\n";

static void test_two_parts(void **state)
{
	(void)state;
	struct multipart_part parts[MULTIPART_MAX_PARTS];
	int n;
	struct err e;
	err_clear(&e);
	assert_int_equal(multipart_parse(CT, body_two_parts, sizeof body_two_parts - 1, parts, &n, &e),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(parts[0].name, "description");
	assert_false(parts[0].has_filename);
	assert_int_equal(parts[0].len, strlen("Q3 restore test"));
	assert_memory_equal(parts[0].data, "Q3 restore test", parts[0].len);
	assert_string_equal(parts[1].name, "file");
	assert_true(parts[1].has_filename);
	/* Backslashes are kept (not escapes), %22 is a quote. */
	assert_string_equal(parts[1].filename, "C:\\\\evidence\\\\r\"t.pdf");
	assert_string_equal(parts[1].content_type, "application/pdf");
	/* The data holds a NUL and a line that only starts like the boundary. */
	const char want[] = "%PDF-1.7\0\r\n------b0und-not-a-boundary\r\nend";
	assert_int_equal(parts[1].len, sizeof want - 1);
	assert_memory_equal(parts[1].data, want, sizeof want - 1);
}

static void test_filename_star_wins(void **state)
{
	(void)state;
	static const char body[] = "------b0und\r\n"
				   "Content-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"; "
				   "filename*=UTF-8''%E2%82%AC%20plan.pdf\r\n"
				   "\r\n"
				   "abc\r\n"
				   "------b0und--";
	struct multipart_part parts[MULTIPART_MAX_PARTS];
	int n;
	struct err e;
	assert_int_equal(multipart_parse(CT, body, sizeof body - 1, parts, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(parts[0].filename, "\xE2\x82\xAC plan.pdf");
	assert_int_equal(parts[0].len, 3);
}

static void test_malformed_bodies_fail_with_a_message(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"no boundary anywhere",
		"------b0und\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nunterminated",
		"------b0und\r\nContent-Disposition: form-data; name=\"f\"", /* no blank line */
		"------b0undX\r\n\r\n\r\n------b0und--",
	};
	struct multipart_part parts[MULTIPART_MAX_PARTS];
	int n;
	struct err e;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		assert_int_equal(multipart_parse(CT, bad[i], strlen(bad[i]), parts, &n, &e), -1);
		assert_int_equal(e.code, ERR_INVALID);
		assert_true(e.message[0] != '\0');
	}
	err_clear(&e);
	assert_int_equal(multipart_parse("multipart/form-data", body_two_parts,
					 sizeof body_two_parts - 1, parts, &n, &e),
			 -1);
	assert_non_null(strstr(e.message, "boundary"));
}

static void test_too_many_parts(void **state)
{
	(void)state;
	char body[4096];
	size_t len = 0;
	for (int i = 0; i < MULTIPART_MAX_PARTS + 1; i++)
		len += (size_t)snprintf(body + len, sizeof body - len,
					"------b0und\r\nContent-Disposition: form-data; "
					"name=\"p%d\"\r\n\r\nx\r\n",
					i);
	len += (size_t)snprintf(body + len, sizeof body - len, "------b0und--\r\n");
	struct multipart_part parts[MULTIPART_MAX_PARTS];
	int n;
	struct err e;
	assert_int_equal(multipart_parse(CT, body, len, parts, &n, &e), -1);
	assert_non_null(strstr(e.message, "more than"));
	assert_true(n <= MULTIPART_MAX_PARTS);
}

static void test_param_and_unescape(void **state)
{
	(void)state;
	char out[16];
	const char h[] = "form-data; name=\"a;b\"; filename=plain.txt";
	assert_true(multipart_param(h, strlen(h), "name", out, sizeof out));
	assert_string_equal(out, "a;b");
	assert_true(multipart_param(h, strlen(h), "FILENAME", out, sizeof out));
	assert_string_equal(out, "plain.txt");
	assert_false(multipart_param(h, strlen(h), "size", out, sizeof out));
	/* Too long for out: refused, not cut. */
	const char longer[] = "x; name=\"0123456789abcdefghij\"";
	assert_false(multipart_param(longer, strlen(longer), "name", out, sizeof out));
	/* A quoted value that never ends stops at the end of the header. */
	const char open[] = "x; name=\"abc";
	assert_true(multipart_param(open, strlen(open), "name", out, sizeof out));
	assert_string_equal(out, "abc");

	assert_true(multipart_unescape("a%20b%2Fc", out, sizeof out));
	assert_string_equal(out, "a b/c");
	assert_true(multipart_unescape("100%", out, sizeof out)); /* a lone % stays */
	assert_string_equal(out, "100%");
	assert_false(multipart_unescape("nul%00here", out, sizeof out));
	assert_false(multipart_unescape("0123456789abcdefghij", out, sizeof out));
}

static void test_sniff(void **state)
{
	(void)state;
	assert_string_equal(sniff_media_type("%PDF-1.4\n", 9), "application/pdf");
	assert_string_equal(sniff_media_type("\x89PNG\r\n\x1a\n\0\0", 10), "image/png");
	assert_string_equal(sniff_media_type("\xFF\xD8\xFF\xE0", 4), "image/jpeg");
	assert_string_equal(sniff_media_type("GIF89a", 6), "image/gif");
	assert_string_equal(sniff_media_type("plain text, ünïcode\n", 21),
			    "text/plain; charset=utf-8");
	assert_string_equal(sniff_media_type("\0\1\2\3binary", 10), "application/octet-stream");
	assert_string_equal(sniff_media_type("\xC3", 1), "application/octet-stream");
	/* An HTML file is text, never text/html: nothing is ever served as a page. */
	assert_string_equal(sniff_media_type("<html><script>x</script>", 24),
			    "text/plain; charset=utf-8");
	(void)sniff_media_type("", 0);
}

/* xorshift: the same mutations on every run. */
static uint32_t next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_mutations_never_crash(void **state)
{
	(void)state;
	const size_t len = sizeof body_two_parts - 1;
	uint32_t seed = 2026;
	struct multipart_part parts[MULTIPART_MAX_PARTS];
	int n, ok = 0;
	struct err e;
	for (int round = 0; round < 20000; round++) {
		/* An exact-size heap copy, so ASan sees any read past the end. */
		size_t cut = next(&seed) % (len + 1);
		char *b = malloc(cut ? cut : 1);
		memcpy(b, body_two_parts, cut);
		for (int k = (int)(next(&seed) % 4); k > 0 && cut; k--)
			b[next(&seed) % cut] = (char)"\r\n-\"; =%\0xb"[next(&seed) % 11];
		err_clear(&e);
		int rc = multipart_parse(CT, b, cut, parts, &n, &e);
		if (rc == 0) {
			ok++;
			assert_true(n >= 0 && n <= MULTIPART_MAX_PARTS);
			for (int i = 0; i < n; i++)
				assert_true(parts[i].data >= b && parts[i].data + parts[i].len <= b + cut);
		} else {
			assert_int_equal(e.code, ERR_INVALID);
		}
		(void)sniff_media_type(b, cut);
		free(b);
	}
	assert_true(ok > 0); /* some rounds leave the body intact enough to parse */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_parts),
		cmocka_unit_test(test_filename_star_wins),
		cmocka_unit_test(test_malformed_bodies_fail_with_a_message),
		cmocka_unit_test(test_too_many_parts),
		cmocka_unit_test(test_param_and_unescape),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_mutations_never_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
