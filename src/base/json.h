/* json.h — jansson helpers: canonical text, safe getters. */
#ifndef ISMS_JSON_H
#define ISMS_JSON_H
#include <jansson.h>

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
