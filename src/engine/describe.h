/* describe.h — how fields and types describe themselves to clients (meta, OpenAPI, CLI). */
#ifndef ISMS_DESCRIBE_H
#define ISMS_DESCRIBE_H
#include "record.h"

/* "text", "markdown", "email", "integer", "boolean", "date", "enum", "reference",
   "references". */
const char *describe_field_type(enum field_type t);
/* The field as /api/v1/meta shows it (caller owns). */
json_t *describe_field(const struct registry *reg, const struct field *f);
/* The JSON Schema (OpenAPI 3.0 dialect) of one field's value (caller owns). */
json_t *describe_field_schema(const struct registry *reg, const struct field *f);

#endif
