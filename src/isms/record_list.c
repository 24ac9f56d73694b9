/* record_list.c — lists with full-text search, equality filters, sorting and paging; every
   client-named field is checked against the registry before it reaches SQL. */
#include "record_internal.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX_PARAMS 48

struct where {
	struct buf sql;
	struct store_val p[LIST_MAX_PARAMS];
	char *holds[LIST_MAX_PARAMS];
	int n;
};

static int add_param(struct where *w, struct store_val v, char *hold, struct err *e)
{
	if (w->n >= LIST_MAX_PARAMS - 2) {
		free(hold);
		return err_set(e, ERR_INVALID, NULL, "too many filters");
	}
	w->holds[w->n] = hold;
	w->p[w->n++] = v;
	return 0;
}

static bool parse_ll(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno)
		return false;
	*out = v;
	return true;
}

static int add_filter(const struct record_type *rt, struct where *w, const char *name,
		      const char *value, struct err *e)
{
	const struct field *f = record_field(rt, name);
	long long n;
	if (strcmp(name, "id") == 0) {
		if (!parse_ll(value, &n))
			return err_set(e, ERR_INVALID, name, "id must be a whole number");
		if (add_param(w, SVI(n), NULL, e) < 0)
			return -1;
		buf_printf(&w->sql, " AND id = $%d", w->n);
		return 0;
	}
	if (!f || !field_stored(f))
		return err_set(e, ERR_INVALID, name, "%s cannot be filtered by \"%s\": no such field",
			       rt->label_plural, name);
	if (f->type == FT_REFS) {
		if (!parse_ll(value, &n))
			return err_set(e, ERR_INVALID, name, "%s: filter by one record id", f->label);
		if (add_param(w, SVS(rt->name), NULL, e) < 0 || add_param(w, SVS(f->name), NULL, e) < 0 ||
		    add_param(w, SVI(n), NULL, e) < 0)
			return -1;
		buf_printf(&w->sql,
			   " AND id IN (SELECT from_id FROM record_links WHERE from_type = $%d AND "
			   "field = $%d AND to_id = $%d)",
			   w->n - 2, w->n - 1, w->n);
		return 0;
	}
	if (!*value && f->type != FT_BOOL) {
		buf_printf(&w->sql, " AND \"%s\" IS NULL", f->name);
		return 0;
	}
	struct store_val v = SVS(value);
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		if (!parse_ll(value, &n))
			return err_set(e, ERR_INVALID, name, "%s must be a whole number", f->label);
		v = SVI(n);
		break;
	case FT_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
			v = SVI(1);
		else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
			v = SVI(0);
		else
			return err_set(e, ERR_INVALID, name, "%s must be true or false", f->label);
		break;
	case FT_ENUM: {
		bool ok = false;
		for (int i = 0; f->values[i]; i++)
			ok = ok || strcmp(f->values[i], value) == 0;
		if (!ok)
			return err_set(e, ERR_INVALID, name, "%s has no value \"%s\"", f->label, value);
		break;
	}
	default:
		break;
	}
	if (add_param(w, v, NULL, e) < 0)
		return -1;
	buf_printf(&w->sql, " AND \"%s\" = $%d", f->name, w->n);
	return 0;
}

/* Escapes LIKE wildcards in q and wraps it in %…%; caller frees. */
static char *like_pattern(const char *q)
{
	struct buf b = BUF_INIT;
	buf_putc(&b, '%');
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *q);
	}
	buf_putc(&b, '%');
	char *s = buf_detach(&b);
	str_lower_ascii(s);
	return s;
}

static int order_by(const struct record_type *rt, const char *sort, struct buf *sql,
		    struct err *e)
{
	if (!sort || !*sort)
		sort = rt->default_sort ? rt->default_sort : "id";
	bool desc = sort[0] == '-';
	const char *name = desc ? sort + 1 : sort;
	const char *col = NULL;
	static const char *const meta[] = {"id", "version", "created_at", "updated_at", NULL};
	for (int i = 0; meta[i]; i++)
		if (strcmp(meta[i], name) == 0)
			col = meta[i];
	const struct field *f = record_field(rt, name);
	if (!col && f && field_stored(f) && f->type != FT_REFS)
		col = f->name;
	if (!col)
		return err_set(e, ERR_INVALID, "sort", "%s cannot be sorted by \"%s\"",
			       rt->label_plural, name);
	if (strcmp(col, "id") == 0)
		buf_printf(sql, " ORDER BY id%s", desc ? " DESC" : "");
	else
		buf_printf(sql, " ORDER BY (\"%s\" IS NULL), \"%s\"%s, id%s", col, col,
			   desc ? " DESC" : "", desc ? " DESC" : "");
	return 0;
}

int record_list(struct ctx *c, const struct record_type *rt, const struct list_query *q,
		json_t **out, struct err *e)
{
	struct where w = {.sql = BUF_INIT};
	struct buf sql = BUF_INIT, order = BUF_INIT;
	struct store_rows *r = NULL;
	json_t *items = NULL;
	long long total = 0;
	int rc, ret = -1;
	*out = NULL;
	if (!record_can_read(c, rt)) {
		err_set(e, ERR_FORBIDDEN, NULL, "your role may not read %s", rt->label_plural);
		goto out;
	}
	if (q->limit < 1 || q->limit > 500) {
		err_set(e, ERR_INVALID, "limit", "limit must be between 1 and 500");
		goto out;
	}
	if (q->offset < 0) {
		err_set(e, ERR_INVALID, "offset", "offset must not be negative");
		goto out;
	}
	buf_puts(&w.sql, " WHERE 1 = 1");
	for (size_t i = 0; i < q->nfilters; i++)
		if (add_filter(rt, &w, q->filter_names[i], q->filter_values[i], e) < 0)
			goto out;
	if (q->q && *q->q) {
		if (add_param(&w, SVNULL, like_pattern(q->q), e) < 0)
			goto out;
		w.p[w.n - 1] = SVS(w.holds[w.n - 1]);
		buf_printf(&w.sql, " AND _search LIKE $%d ESCAPE '\\'", w.n);
	}
	if (order_by(rt, q->sort, &order, e) < 0)
		goto out;

	buf_printf(&sql, "SELECT count(*) FROM \"%s\"%s", rt->table, w.sql.data);
	if (store_query_int(c->store, sql.data, w.p, w.n, &total, NULL, e) < 0)
		goto out;

	buf_reset(&sql);
	buf_puts(&sql, "SELECT ");
	record_sql_columns(&sql, rt);
	buf_printf(&sql, " FROM \"%s\"%s%s LIMIT $%d OFFSET $%d", rt->table, w.sql.data,
		   order.data, w.n + 1, w.n + 2);
	w.p[w.n] = SVI(q->limit);
	w.p[w.n + 1] = SVI(q->offset);
	items = json_array();
	if (total > q->offset) {
		if (store_query(c->store, sql.data, w.p, w.n + 2, &r, e) < 0)
			goto out;
		while ((rc = store_next(r, e)) > 0) {
			json_t *rec = record_from_row(rt, r);
			record_add_actions(c, rt, rec);
			json_array_append_new(items, rec);
		}
		if (rc < 0)
			goto out;
	}
	*out = json_pack("{s:O, s:I}", "items", items, "total", (json_int_t)total);
	if (record_add_ref_titles(c, rt, items, *out, e) < 0) {
		json_decref(*out);
		*out = NULL;
		goto out;
	}
	ret = 0;
out:
	store_rows_free(r);
	for (int i = 0; i < w.n; i++)
		free(w.holds[i]);
	json_decref(items);
	buf_release(&w.sql);
	buf_release(&sql);
	buf_release(&order);
	return ret;
}
