/* err.h — the one error value: a code from one table, the field at fault and a message. */
#ifndef ISMS_ERR_H
#define ISMS_ERR_H

/* X(name, wire code, HTTP status, CLI exit status) */
#define ERR_TABLE(X)                                         \
	X(ERR_NONE, "ok", 200, 0)                                \
	X(ERR_INVALID, "invalid", 400, 1)                        \
	X(ERR_USAGE, "usage", 400, 2)                            \
	X(ERR_UNAUTHENTICATED, "unauthenticated", 401, 1)        \
	X(ERR_FORBIDDEN, "forbidden", 403, 1)                    \
	X(ERR_CSRF, "csrf", 403, 1)                              \
	X(ERR_NOT_FOUND, "not_found", 404, 1)                    \
	X(ERR_METHOD, "method_not_allowed", 405, 1)              \
	X(ERR_CONFLICT, "conflict", 409, 1)                      \
	X(ERR_IN_USE, "in_use", 409, 1)                          \
	X(ERR_STALE, "stale_version", 412, 1)                    \
	X(ERR_TOO_LARGE, "too_large", 413, 1)                    \
	X(ERR_MEDIA_TYPE, "unsupported_media_type", 415, 1)      \
	X(ERR_THROTTLED, "throttled", 429, 1)                    \
	X(ERR_STORE, "store_error", 500, 1)                      \
	X(ERR_SCHEMA, "schema_mismatch", 503, 1)                 \
	X(ERR_UNAVAILABLE, "unavailable", 503, 1)                \
	X(ERR_INTERNAL, "internal", 500, 1)

enum err_code {
#define X(name, code, status, exitc) name,
	ERR_TABLE(X)
#undef X
};

struct err {
	enum err_code code;
	char field[64];    /* "" when no single field is at fault */
	char message[512]; /* for people, in plain words */
};

void err_clear(struct err *e);
/* Fills e and returns -1, so callers write `return err_set(e, ...)`. field may be NULL. */
int err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
const char *err_code_name(enum err_code code);
int err_http_status(enum err_code code);
int err_exit_status(enum err_code code);

#endif
