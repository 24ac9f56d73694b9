/* sec.h — the libsodium calls isms uses: random tokens, hashes, password hashing. */
#ifndef ISMS_SEC_H
#define ISMS_SEC_H
#include <stdbool.h>
#include <stddef.h>

#define SEC_HASH_HEX 65    /* 32-byte digest as hex + NUL */
#define SEC_TOKEN_LEN 44   /* base64url of 32 random bytes (43) + NUL */
#define SEC_PWHASH_LEN 128 /* crypto_pwhash_STRBYTES */

/* Must run once before any other call; returns -1 if libsodium cannot start. */
int sec_init(void);
/* 32 random bytes as unpadded base64url text. */
void sec_token(char out[SEC_TOKEN_LEN]);
/* BLAKE2b-256 of data as lowercase hex. */
void sec_blake2b_hex(const void *data, size_t len, char out[SEC_HASH_HEX]);
/* BLAKE2b-256 of (prev || data), where prev is a hex digest (may be ""), as hex. */
void sec_chain_hex(const char *prev_hex, const void *data, size_t len,
		      char out[SEC_HASH_HEX]);
/* SHA-256 as lowercase hex. */
void sec_sha256_hex(const void *data, size_t len, char out[SEC_HASH_HEX]);
/* argon2id hash string of password; -1 if out of memory for the hash. */
int sec_pwhash(const char *password, char out[SEC_PWHASH_LEN]);
bool sec_pwverify(const char *hash, const char *password);
/* Constant-time equality of two NUL-terminated strings. */
bool sec_streq(const char *a, const char *b);

#endif
