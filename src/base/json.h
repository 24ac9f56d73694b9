/* json.h — jansson helpers: canonical text, safe getters. */
#ifndef ISMS_JSON_H
#define ISMS_JSON_H
#include <jansson.h>

/* json_pack that is never NULL: a format that does not fit its arguments (a NULL where a
   string must be) is a bug, reported on stderr as "isms: BUG: …" with the place (the test
   suites fail on that line) and answered with JSON null instead of vanishing silently.
   Every JSON value isms builds goes through it: scripts/lint.sh refuses json_pack. */
#define json_build(...) json_build_at(__FILE__, __LINE__, __VA_ARGS__)
json_t *json_build_at(const char *file, int line, const char *fmt, ...);

/* Canonical JSON (compact, keys sorted, UTF-8): the form the change log hashes.
   Caller frees the result with free(). */
char *json_canonical(const json_t *v);
/* The string value of obj[key], or NULL if absent or not a string. Borrowed. */
const char *json_str(const json_t *obj, const char *key);
/* The same, or "" when absent: for text meant for people. Borrowed. */
const char *json_text(const json_t *obj, const char *key);
/* The integer value of obj[key], or 0 if absent or not an integer (ids: 0 is "none"). */
long long json_int(const json_t *obj, const char *key);
/* Sets obj[key] to the string s (copied), or to JSON null when s is NULL. */
void json_set_str(json_t *obj, const char *key, const char *s);

#endif
