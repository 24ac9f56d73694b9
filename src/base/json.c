/* json.c — jansson helpers. */
#include "json.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

char *json_canonical(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (!s)
		return xstrdup("null");
	return s;
}

const char *json_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

long long json_int(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

void json_set_str(json_t *obj, const char *key, const char *s)
{
	json_object_set_new(obj, key, s ? json_string(s) : json_null());
}

const char *json_text(const json_t *obj, const char *key)
{
	const char *s = json_str(obj, key);
	return s ? s : "";
}

json_t *json_build_at(const char *file, int line, const char *fmt, ...)
{
	json_error_t error;
	va_list ap;
	va_start(ap, fmt);
	json_t *v = json_vpack_ex(&error, 0, fmt, ap);
	va_end(ap);
	if (v)
		return v;
	fprintf(stderr, "isms: BUG: %s:%d: JSON \"%s\": %s\n", file, line, fmt, error.text);
	return json_null();
}
