/* record_list.h — a list query parsed and checked against the registry, shared by the SQL
   list and the "as of" list over the change log. */
#ifndef ISMS_RECORD_LIST_H
#define ISMS_RECORD_LIST_H
#include "record_internal.h"

#define LIST_MAX_FILTERS 12

struct list_filter {
	const struct field *f; /* NULL when filtering by id */
	bool is_id, is_null;
	long long n;      /* integers, references, booleans (0/1), id */
	const char *text; /* the value as given (text, enum, date, email) */
};

struct list_sort {
	const char *col;       /* a meta column or a field name */
	const struct field *f; /* NULL for meta columns */
	bool desc;
};

struct list_parsed {
	struct list_filter filters[LIST_MAX_FILTERS];
	size_t nfilters;
	char *q; /* lower-cased search text or NULL; owned */
	struct list_sort sort;
};

int list_parse(const struct registry *reg, const struct record_type *rt,
	       const struct list_query *q, struct list_parsed *out,
	       struct err *e);
void list_parsed_release(struct list_parsed *p);
/* Checks a sort ("field" or "-field"; NULL or "" for the type's default) against the
   registry: ERR_INVALID naming "sort" when the type cannot be sorted by it. */
int list_parse_sort(const struct record_type *rt, const char *sort, struct list_sort *out,
		    struct err *e);
/* Appends " ORDER BY …": empty values last ascending and first descending (as PostgreSQL
   does) on both stores, then by id. */
void list_order_sql(const struct list_sort *s, struct buf *sql);
/* Builds {"items","total","refs"} from a page of items (items is not stolen). */
int list_respond(struct ctx *c, const struct record_type *rt, json_t *items, long long total,
		 json_t **out, struct err *e);
/* The list as it stood at q->as_of, rebuilt from the change log (record_asof.c). */
int record_list_as_of(struct ctx *c, const struct record_type *rt, const struct list_parsed *lp,
		      const struct list_query *q, json_t **out, struct err *e);

#endif
