/* query.c — the query interface (query.h): a query is checked against the registry and
   turned into one WHERE clause with bound values, which each function wraps in the SELECT
   it needs. */
#include "query.h"
#include "record_list.h"
#include "../base/text.h"
#include "../base/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A column a condition may name: a stored field, or a meta column (f NULL). */
struct column {
	const char *name;
	const struct field *f;
	bool integer; /* bound and read as a whole number */
};

/* A query checked and turned into SQL: " FROM "t" WHERE …" with its parameters. */
struct built {
	const struct record_type *rt;
	struct buf from; /* " FROM … WHERE …" */
	struct store_val *p;
	int n;
};

static int bad(const struct record_type *rt, const char *field, const char *what,
	       struct err *e)
{
	return err_set(e, ERR_INTERNAL, field, "query on %s: %s: %s", rt->name,
		       field ? field : "(null)", what);
}

static int find_column(const struct record_type *rt, const char *name, struct column *out,
		       struct err *e)
{
	static const char *const meta[] = {"id", "version", "created_at", "updated_at", NULL};
	memset(out, 0, sizeof *out);
	for (int i = 0; name && meta[i]; i++)
		if (strcmp(meta[i], name) == 0) {
			out->name = meta[i];
			out->integer = i < 2;
			return 0;
		}
	const struct field *f = name ? record_field(rt, name) : NULL;
	if (!f || !field_stored(f)) {
		err_set(e, ERR_INTERNAL, name, "query on %s: no stored field \"%s\"", rt->name,
			name ? name : "(null)");
		return -1;
	}
	out->name = f->name;
	out->f = f;
	out->integer = f->type == FT_INT || f->type == FT_REF || f->type == FT_BOOL;
	return 0;
}

/* Checks that v is the kind of value col holds (and one of an enum's values). */
static int check_value(struct ctx *c, const struct record_type *rt, const struct column *col,
		       struct store_val v, struct err *e)
{
	if (v.type == SV_NULL)
		return 0;
	if (col->integer != (v.type == SV_INT) || v.type == SV_BLOB)
		return bad(rt, col->name,
			   col->integer ? "this field takes a whole number (SVI)"
					: "this field takes text (SVS)",
			   e);
	if (col->f && col->f->type == FT_ENUM) {
		const char *const *values = field_values(c->reg, col->f);
		for (int i = 0; values && values[i]; i++)
			if (str_eq(values[i], v.s))
				return 0;
		return err_set(e, ERR_INTERNAL, col->name, "query on %s: %s has no value \"%s\"",
			       rt->name, col->name, v.s);
	}
	return 0;
}

/* A JSON set member as a bound value: integers and strings only. */
static struct store_val set_value(const json_t *x)
{
	if (json_is_integer(x))
		return SVI(json_integer_value(x));
	if (json_is_string(x))
		return SVS(json_string_value(x));
	return (struct store_val){.type = SV_BLOB}; /* refused by check_value */
}

/* Appends " AND col [NOT] IN (…)" for a set of values. */
static int add_set(struct ctx *c, struct built *b, const struct column *col,
		   const struct query_cond *w, struct err *e)
{
	size_t count = 0;
	if (w->set) {
		if (!json_is_array(w->set))
			return bad(b->rt, col->name, "a set must be a JSON array", e);
		count = json_array_size(w->set);
	} else {
		while (w->values && w->values[count])
			count++;
	}
	if (count == 0) {
		if (w->op == Q_IN)
			buf_puts(&b->from, " AND 1 = 0");
		return 0;
	}
	buf_printf(&b->from, " AND \"%s\" %sIN (", col->name, w->op == Q_NOT_IN ? "NOT " : "");
	for (size_t i = 0; i < count; i++) {
		struct store_val v = w->set ? set_value(json_array_get(w->set, i))
					    : SVS(w->values[i]);
		if (check_value(c, b->rt, col, v, e) < 0)
			return -1;
		b->p[b->n++] = v;
		buf_printf(&b->from, "%s$%d", i ? ", " : "", b->n);
	}
	buf_putc(&b->from, ')');
	return 0;
}

static const char *compare_sql(enum query_op op)
{
	switch (op) {
	case Q_EQ:
		return "=";
	case Q_NE:
		return "<>";
	case Q_LT:
		return "<";
	case Q_LE:
		return "<=";
	case Q_GT:
		return ">";
	case Q_GE:
		return ">=";
	default:
		return NULL;
	}
}

static int add_cond(struct ctx *c, struct built *b, const struct query_cond *w, struct err *e)
{
	struct column col;
	if (find_column(b->rt, w->field, &col, e) < 0)
		return -1;
	enum field_type type = col.f ? col.f->type : FT_INT;
	if (w->op == Q_HAS) {
		if (type != FT_REFS || w->v.type != SV_INT)
			return bad(b->rt, col.name,
				   "Q_HAS takes a list of references and a record id", e);
		record_sql_has(&b->from, c->reg, b->rt, col.f, w->v.i, b->p, &b->n);
		return 0;
	}
	if (w->op == Q_NULL || w->op == Q_NOT_NULL) {
		buf_printf(&b->from, " AND \"%s\" IS %sNULL", col.name,
			   w->op == Q_NULL ? "" : "NOT ");
		return 0;
	}
	if (type == FT_REFS || type == FT_JSON)
		return bad(b->rt, col.name, "lists and JSON fields take only Q_HAS, Q_NULL or "
					    "Q_NOT_NULL", e);
	if (w->op == Q_IN || w->op == Q_NOT_IN)
		return add_set(c, b, &col, w, e);
	if (check_value(c, b->rt, &col, w->v, e) < 0)
		return -1;
	b->p[b->n++] = w->v;
	if (w->op == Q_GE_OR_NULL)
		buf_printf(&b->from, " AND (\"%s\" IS NULL OR \"%s\" >= $%d)", col.name, col.name,
			   b->n);
	else if (compare_sql(w->op))
		buf_printf(&b->from, " AND \"%s\" %s $%d", col.name, compare_sql(w->op), b->n);
	else
		return bad(b->rt, col.name, "unknown condition", e);
	return 0;
}

static void built_release(struct built *b)
{
	buf_release(&b->from);
	free(b->p);
	b->p = NULL;
}

/* Checks q and builds its FROM and WHERE; the caller releases b (also on error). */
static int build(struct ctx *c, const struct query *q, struct built *b, struct err *e)
{
	size_t cap = 1; /* the limit */
	memset(b, 0, sizeof *b);
	b->rt = q->type ? registry_find(c->reg, q->type) : NULL;
	if (!b->rt)
		return err_set(e, ERR_INTERNAL, NULL, "query: no record type \"%s\"",
			       q->type ? q->type : "(null)");
	for (size_t i = 0; i < QUERY_MAX_CONDS && q->where[i].op != Q_END; i++) {
		const struct query_cond *w = &q->where[i];
		cap += 4; /* Q_HAS binds four */
		if (w->set)
			cap += json_array_size(w->set);
		for (size_t k = 0; w->values && w->values[k]; k++)
			cap++;
	}
	b->p = xcalloc(cap, sizeof *b->p);
	buf_printf(&b->from, " FROM \"%s\" WHERE 1 = 1", b->rt->table);
	for (size_t i = 0; i < QUERY_MAX_CONDS && q->where[i].op != Q_END; i++)
		if (add_cond(c, b, &q->where[i], e) < 0)
			return -1;
	return 0;
}

/* Appends q's order and limit to sql. */
static int order_and_limit(const struct query *q, struct built *b, struct buf *sql,
			   struct err *e)
{
	struct list_sort sort;
	if (list_parse_sort(b->rt, q->order ? q->order : "id", &sort, e) < 0)
		return bad(b->rt, q->order, "cannot be ordered by this", e);
	list_order_sql(&sort, sql);
	if (q->limit > 0) {
		b->p[b->n++] = SVI(q->limit);
		buf_printf(sql, " LIMIT $%d", b->n);
	}
	return 0;
}

/* What follows the WHERE clause in run: q's order and limit. */
static const char ordered[] = "";

/* Runs "SELECT what FROM … WHERE …" then tail (ordered for q's order and limit, or text
   this file made from registry names, or NULL) and calls fn for each row. */
static int run(struct ctx *c, const struct query *q, const char *what, const char *tail,
	       int (*fn)(void *arg, struct store_rows *r), void *arg, struct err *e)
{
	struct built b;
	struct buf sql = BUF_INIT;
	struct store_rows *r = NULL;
	int rc, ret = -1;
	if (build(c, q, &b, e) < 0)
		goto out;
	buf_printf(&sql, "SELECT %s%s", what, b.from.data);
	if (tail == ordered) {
		if (order_and_limit(q, &b, &sql, e) < 0)
			goto out;
	} else if (tail) {
		buf_puts(&sql, tail);
	}
	if (store_query(c->store, sql.data, b.p, b.n, &r, e) < 0)
		goto out;
	while ((rc = store_next(r, e)) > 0)
		if (fn(arg, r) < 0)
			break;
	ret = rc < 0 ? -1 : 0;
out:
	store_rows_free(r);
	built_release(&b);
	buf_release(&sql);
	return ret;
}

static int read_int(void *arg, struct store_rows *r)
{
	*(long long *)arg = store_int(r, 0);
	return 0;
}

static int add_int(void *arg, struct store_rows *r)
{
	json_array_append_new(arg, json_integer(store_int(r, 0)));
	return 0;
}

int query_count(struct ctx *c, const struct query *q, long long *out, struct err *e)
{
	*out = 0;
	return run(c, q, "count(*)", NULL, read_int, out, e);
}

int query_id(struct ctx *c, const struct query *q, long long *out, struct err *e)
{
	struct query one = *q;
	*out = 0;
	one.limit = 1;
	return run(c, &one, "id", ordered, read_int, out, e);
}

int query_exists(struct ctx *c, const struct query *q, bool *out, struct err *e)
{
	long long id = 0;
	int rc = query_id(c, q, &id, e);
	*out = rc == 0 && id != 0;
	return rc;
}

/* Hands a new JSON value filled by run to *out, or drops it on error. */
static int hand_out(int rc, json_t *v, json_t **out)
{
	if (rc < 0)
		json_decref(v);
	else
		*out = v;
	return rc;
}

int query_ids(struct ctx *c, const struct query *q, json_t **out, struct err *e)
{
	json_t *ids = json_array();
	*out = NULL;
	int rc = run(c, q, "id", ordered, add_int, ids, e);
	return hand_out(rc, ids, out);
}

/* One column's values, typed by the column (query_values, query_max). */
struct typed_rows {
	struct column col;
	json_t *out; /* the array appended to, or the one value read */
};

static json_t *typed(const struct column *col, struct store_rows *r)
{
	if (store_isnull(r, 0))
		return json_null();
	if (col->integer)
		return json_integer(store_int(r, 0));
	return json_string(store_text(r, 0));
}

static int add_typed(void *arg, struct store_rows *r)
{
	struct typed_rows *t = arg;
	json_array_append_new(t->out, typed(&t->col, r));
	return 0;
}

static int read_typed(void *arg, struct store_rows *r)
{
	struct typed_rows *t = arg;
	json_decref(t->out);
	t->out = typed(&t->col, r);
	return 0;
}

/* Checks that field is a column with single values, of q's type. */
static int value_column(struct ctx *c, const struct query *q, const char *field,
			struct column *col, struct err *e)
{
	const struct record_type *rt = q->type ? registry_find(c->reg, q->type) : NULL;
	if (!rt)
		return err_set(e, ERR_INTERNAL, NULL, "query: no record type \"%s\"",
			       q->type ? q->type : "(null)");
	if (find_column(rt, field, col, e) < 0)
		return -1;
	if (col->f && (col->f->type == FT_REFS || col->f->type == FT_JSON))
		return bad(rt, field, "lists and JSON fields have no single value to read", e);
	return 0;
}

int query_values(struct ctx *c, const struct query *q, const char *field, json_t **out,
		 struct err *e)
{
	struct typed_rows t = {.out = json_array()};
	char what[96], tail[160];
	*out = NULL;
	if (value_column(c, q, field, &t.col, e) < 0)
		return hand_out(-1, t.out, out);
	snprintf(what, sizeof what, "DISTINCT \"%s\"", t.col.name);
	snprintf(tail, sizeof tail, " AND \"%s\" IS NOT NULL ORDER BY \"%s\"", t.col.name,
		 t.col.name);
	int rc = run(c, q, what, tail, add_typed, &t, e);
	return hand_out(rc, t.out, out);
}

int query_max(struct ctx *c, const struct query *q, const char *field, json_t **out,
	      struct err *e)
{
	struct typed_rows t = {.out = json_null()};
	char what[96];
	*out = NULL;
	if (value_column(c, q, field, &t.col, e) < 0)
		return hand_out(-1, t.out, out);
	snprintf(what, sizeof what, "max(\"%s\")", t.col.name);
	int rc = run(c, q, what, NULL, read_typed, &t, e);
	return hand_out(rc, t.out, out);
}

struct records {
	const struct record_type *rt;
	json_t *list;
};

static int add_record(void *arg, struct store_rows *r)
{
	struct records *rs = arg;
	json_array_append_new(rs->list, record_from_row(rs->rt, r));
	return 0;
}

int query_records(struct ctx *c, const struct query *q, json_t **out, struct err *e)
{
	struct records rs = {.rt = q->type ? registry_find(c->reg, q->type) : NULL,
			     .list = json_array()};
	struct buf what = BUF_INIT;
	*out = NULL;
	if (rs.rt)
		record_sql_columns(&what, rs.rt);
	int rc = run(c, q, buf_str(&what), ordered, add_record, &rs, e);
	buf_release(&what);
	return hand_out(rc, rs.list, out);
}

int query_first(struct ctx *c, const struct query *q, json_t **out, struct err *e)
{
	struct query one = *q;
	json_t *list;
	*out = NULL;
	one.limit = 1;
	if (query_records(c, &one, &list, e) < 0)
		return -1;
	*out = json_incref(json_array_get(list, 0));
	json_decref(list);
	return 0;
}
