/* json.h — jansson helpers: canonical text, safe getters. */
#ifndef ISMS_JSON_H
#define ISMS_JSON_H
#include <jansson.h>

/* Canonical JSON (compact, keys sorted, UTF-8): the form the change log hashes.
   Caller frees the result with free(). */
char *json_canonical(const json_t *v);
/* The string value of obj[key], or NULL if absent or not a string. Borrowed. */
const char *json_str(const json_t *obj, const char *key);

#endif
