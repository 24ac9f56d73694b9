/* query.h — domain code's reads of records without SQL of its own: how many records of a
   type match, whether any does, their ids, the values of one field, a maximum, or the stored
   records themselves, filtered by conditions on the type's fields.

   Every name is checked against the registry before any SQL is built: an unknown type or
   field, a condition the field's type cannot take, a value of the wrong kind or an enum
   value the field does not have is ERR_INTERNAL naming the field (a bug in the caller, not a
   client's mistake). SQL is made from registry names only, and every value is bound.

   These are the domain's own reads: they check no roles (the caller decides what to show),
   run inside the caller's transaction, and return 0, or -1 with e set. JSON results are new
   references the caller owns. */
#ifndef ISMS_QUERY_H
#define ISMS_QUERY_H
#include "record.h"

#define QUERY_MAX_CONDS 8

enum query_op {
	Q_END, /* marks the end of a query's conditions (a zeroed condition) */
	Q_EQ,
	Q_NE, /* SQL's <>: a record without a value matches neither = nor <> */
	Q_LT,
	Q_LE,
	Q_GT,
	Q_GE,
	Q_GE_OR_NULL, /* ≥ the value, or not set: the end of a period that may be open */
	Q_NULL,
	Q_NOT_NULL,
	Q_IN,     /* one of .set (a JSON array) or of .values (NULL-terminated texts) */
	Q_NOT_IN, /* none of them (a record without a value matches neither) */
	Q_HAS,    /* an FT_REFS field that contains the record id .v */
};

/* One condition: field is a stored field of the type, or id, version, created_at or
   updated_at. Values are bound as they are: SVI for integer, reference, boolean (0/1) and
   id fields, SVS for the others (SVS(NULL) is SQL NULL and matches nothing). */
struct query_cond {
	enum query_op op;
	const char *field;
	struct store_val v;
	const json_t *set;         /* Q_IN, Q_NOT_IN: borrowed */
	const char *const *values; /* Q_IN, Q_NOT_IN: borrowed */
};

#define QEQ(f, val) {.op = Q_EQ, .field = (f), .v = (val)}
#define QNE(f, val) {.op = Q_NE, .field = (f), .v = (val)}
#define QLT(f, val) {.op = Q_LT, .field = (f), .v = (val)}
#define QLE(f, val) {.op = Q_LE, .field = (f), .v = (val)}
#define QGT(f, val) {.op = Q_GT, .field = (f), .v = (val)}
#define QGE(f, val) {.op = Q_GE, .field = (f), .v = (val)}
#define QGE_OR_NULL(f, val) {.op = Q_GE_OR_NULL, .field = (f), .v = (val)}
#define QNULL(f) {.op = Q_NULL, .field = (f)}
#define QNOT_NULL(f) {.op = Q_NOT_NULL, .field = (f)}
#define QIN(f, json_array) {.op = Q_IN, .field = (f), .set = (json_array)}
#define QNOT_IN(f, json_array) {.op = Q_NOT_IN, .field = (f), .set = (json_array)}
#define QIN_TEXT(f, texts) {.op = Q_IN, .field = (f), .values = (texts)}
#define QNOT_IN_TEXT(f, texts) {.op = Q_NOT_IN, .field = (f), .values = (texts)}
#define QHAS(f, id) {.op = Q_HAS, .field = (f), .v = SVI(id)}

/* A query over one record type: the records meeting every condition (up to the first
   zeroed one), in order. Written as one initializer:
     struct query q = {.type = "document", .where = {QEQ("status", SVS("published"))},
		       .order = "identifier"}; */
struct query {
	const char *type; /* the record type's name or plural */
	struct query_cond where[QUERY_MAX_CONDS];
	/* "field" or "-field" (descending), then by id; NULL: by id. As in lists, records
	   without a value come last (first when descending). */
	const char *order;
	long long limit; /* at most this many; 0: every match */
};

int query_count(struct ctx *c, const struct query *q, long long *out, struct err *e);
int query_exists(struct ctx *c, const struct query *q, bool *out, struct err *e);
/* The id of the first match in q's order, or 0 when nothing matches. */
int query_id(struct ctx *c, const struct query *q, long long *out, struct err *e);
/* The ids of the matches in q's order, as a new JSON array. */
int query_ids(struct ctx *c, const struct query *q, json_t **out, struct err *e);
/* The distinct values field takes in the matches, without NULL, in ascending order, as a
   new JSON array (integers for integer, reference and boolean fields, strings otherwise).
   q's order is not used. */
int query_values(struct ctx *c, const struct query *q, const char *field, json_t **out,
		 struct err *e);
/* The largest value of field among the matches as a new JSON value (typed as for
   query_values), JSON null when none has one. */
int query_max(struct ctx *c, const struct query *q, const char *field, json_t **out,
	      struct err *e);
/* The matches as stored (record_get_stored's form: no derived values), in q's order, as a
   new JSON array. */
int query_records(struct ctx *c, const struct query *q, json_t **out, struct err *e);
/* The first match as stored, or *out NULL when nothing matches. */
int query_first(struct ctx *c, const struct query *q, json_t **out, struct err *e);

#endif
