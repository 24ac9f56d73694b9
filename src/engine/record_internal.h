/* record_internal.h — shared by the record_*.c files: row layout and helpers. */
#ifndef ISMS_RECORD_INTERNAL_H
#define ISMS_RECORD_INTERNAL_H
#include "../base/buf.h"
#include "record.h"

/* Columns every record table has before its fields. */
#define RECORD_META_COLS 4 /* id, version, created_at, updated_at */

/* True if the field has a column (everything but write-only fields). */
bool field_stored(const struct field *f);
/* Appends the quoted column list: id, version, created_at, updated_at, fields… */
void record_sql_columns(struct buf *b, const struct record_type *rt);
/* Builds the record object from the current row (laid out by record_sql_columns). */
json_t *record_from_row(const struct record_type *rt, struct store_rows *r);
/* Binds a field's JSON value as a column parameter; text it needs is put in *hold. */
struct store_val record_field_param(const struct field *f, const json_t *v, char **hold);
/* The lower-cased search text of a record (caller frees). */
char *record_search_text(const struct record_type *rt, const json_t *rec);
/* Loads one record; 404 if absent. */
int record_load(struct ctx *c, const struct record_type *rt, long long id, json_t **out,
		struct err *e);
/* Validates client input against the type and merges it over old (NULL on create) into
   a new complete record object *out (caller owns). Write-only values go to *writeonly. */
int record_validate_input(struct ctx *c, const struct record_type *rt, const json_t *input,
			  const json_t *old, json_t **out, struct err *e);
/* Checks every field of a merged record (types, required, enums, lengths, references,
   uniqueness) and runs the type's validate hook. */
int record_check(struct ctx *c, const struct record_type *rt, json_t *rec, const json_t *old,
		 struct err *e);
/* Appends " AND id IN (…)" selecting the records of rt whose FT_REFS field f holds to_id
   (from record_links), binding its four parameters at p[*n…]. */
void record_sql_has(struct buf *sql, const struct registry *reg, const struct record_type *rt,
		    const struct field *f, long long to_id, struct store_val *p, int *n);
/* Lower-cases ASCII letters in place. */
void str_lower_ascii(char *s);

#endif
