/* sec.c — thin wrappers over libsodium. */
#include "sec.h"

#include <sodium.h>
#include <string.h>

int sec_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void sec_token(char out[SEC_TOKEN_LEN])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SEC_TOKEN_LEN, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void sec_blake2b_hex(const void *data, size_t len, char out[SEC_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, data, len, NULL, 0);
	sodium_bin2hex(out, SEC_HASH_HEX, h, sizeof h);
}

void sec_chain_hex(const char *prev_hex, const void *data, size_t len,
		      char out[SEC_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)prev_hex, strlen(prev_hex));
	crypto_generichash_update(&st, data, len);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, SEC_HASH_HEX, h, sizeof h);
}

void sec_sha256_hex(const void *data, size_t len, char out[SEC_HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, SEC_HASH_HEX, h, sizeof h);
}

int sec_pwhash(const char *password, char out[SEC_PWHASH_LEN])
{
	return crypto_pwhash_str_alg(out, password, strlen(password),
				     crypto_pwhash_OPSLIMIT_INTERACTIVE,
				     crypto_pwhash_MEMLIMIT_INTERACTIVE,
				     crypto_pwhash_ALG_ARGON2ID13) == 0
		       ? 0
		       : -1;
}

bool sec_pwverify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool sec_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}
