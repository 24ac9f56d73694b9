/* test_sec.c — random tokens, BLAKE2b and SHA-256 digests, the change-log chain hash,
   argon2id passwords and constant-time comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../src/base/sec.h"

static void test_token_length_and_alphabet(void **state)
{
	(void)state;
	char t[SEC_TOKEN_LEN];
	sec_token(t);
	assert_int_equal(strlen(t), 43);
	for (const char *p = t; *p; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
		if (!ok)
			fail_msg("token %s has a character outside base64url: %c", t, *p);
	}
}

static void test_tokens_are_unique(void **state)
{
	(void)state;
	enum { N = 200 };
	static char t[N][SEC_TOKEN_LEN];
	for (int i = 0; i < N; i++)
		sec_token(t[i]);
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			assert_string_not_equal(t[i], t[j]);
}

static void test_blake2b_known_vectors(void **state)
{
	(void)state;
	char h[SEC_HASH_HEX];
	sec_blake2b_hex("", 0, h);
	assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	sec_blake2b_hex("abc", 3, h);
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	assert_int_equal(strlen(h), 64);
}

static void test_sha256_known_vectors(void **state)
{
	(void)state;
	char h[SEC_HASH_HEX];
	sec_sha256_hex("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sec_sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_chain_is_hash_of_prev_then_data(void **state)
{
	(void)state;
	char h[SEC_HASH_HEX], direct[SEC_HASH_HEX];
	/* An empty previous link hashes just the data. */
	sec_chain_hex("", "abc", 3, h);
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	/* prev || data: "a" then "bc" is BLAKE2b("abc"). */
	sec_chain_hex("a", "bc", 2, h);
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	const char *prev = "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8";
	char joined[200];
	snprintf(joined, sizeof joined, "%s%s", prev, "{\"seq\":1}");
	sec_blake2b_hex(joined, strlen(joined), direct);
	sec_chain_hex(prev, "{\"seq\":1}", 9, h);
	assert_string_equal(h, direct);
}

static void test_chain_depends_on_prev_and_data(void **state)
{
	(void)state;
	char a[SEC_HASH_HEX], b[SEC_HASH_HEX], c[SEC_HASH_HEX], d[SEC_HASH_HEX];
	const char *data = "{\"op\":\"create\"}";
	sec_chain_hex("", data, strlen(data), a);
	sec_chain_hex(a, data, strlen(data), b);
	sec_chain_hex(b, data, strlen(data), c);
	sec_chain_hex(a, "{\"op\":\"update\"}", strlen(data), d);
	assert_string_not_equal(a, b);
	assert_string_not_equal(b, c);
	assert_string_not_equal(a, c);
	assert_string_not_equal(b, d);
	/* Deterministic. */
	char again[SEC_HASH_HEX];
	sec_chain_hex(a, data, strlen(data), again);
	assert_string_equal(again, b);
}

static void test_chain_output_may_alias_prev(void **state)
{
	(void)state;
	/* verify.c chains in place: sec_chain_hex(hash, …, hash). */
	char h[SEC_HASH_HEX] = "", want[SEC_HASH_HEX];
	sec_chain_hex("", "x", 1, want);
	sec_chain_hex(want, "y", 1, want);
	sec_chain_hex(h, "x", 1, h);
	sec_chain_hex(h, "y", 1, h);
	assert_string_equal(h, want);
}

static void test_pwhash_verifies_and_rejects(void **state)
{
	(void)state;
	char h1[SEC_PWHASH_LEN], h2[SEC_PWHASH_LEN];
	assert_int_equal(sec_pwhash("correct horse battery", h1), 0);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_true(sec_pwverify(h1, "correct horse battery"));
	assert_false(sec_pwverify(h1, "correct horse batter"));
	assert_false(sec_pwverify(h1, "Correct horse battery"));
	assert_false(sec_pwverify(h1, ""));
	/* Salted: the same password hashes differently, and both verify. */
	assert_int_equal(sec_pwhash("correct horse battery", h2), 0);
	assert_string_not_equal(h1, h2);
	assert_true(sec_pwverify(h2, "correct horse battery"));
	/* A malformed hash never verifies. */
	assert_false(sec_pwverify("not a hash", "correct horse battery"));
	assert_false(sec_pwverify("", ""));
}

static void test_streq(void **state)
{
	(void)state;
	assert_true(sec_streq("", ""));
	assert_true(sec_streq("token-abc", "token-abc"));
	assert_false(sec_streq("token-abc", "token-abd"));
	assert_false(sec_streq("token-abc", "token-ab"));
	assert_false(sec_streq("token-ab", "token-abc"));
	assert_false(sec_streq("", "x"));
	assert_false(sec_streq("Token", "token"));
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_length_and_alphabet),
		cmocka_unit_test(test_tokens_are_unique),
		cmocka_unit_test(test_blake2b_known_vectors),
		cmocka_unit_test(test_sha256_known_vectors),
		cmocka_unit_test(test_chain_is_hash_of_prev_then_data),
		cmocka_unit_test(test_chain_depends_on_prev_and_data),
		cmocka_unit_test(test_chain_output_may_alias_prev),
		cmocka_unit_test(test_pwhash_verifies_and_rejects),
		cmocka_unit_test(test_streq),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
