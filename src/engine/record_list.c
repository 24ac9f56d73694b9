/* record_list.c — lists with full-text search, equality filters, sorting and paging; every
   client-named field is checked against the registry before it reaches SQL. The same parsed
   query also runs over the change log for "as of" views (record_asof.c). */
#include "../base/json.h"
#include "record_list.h"
#include "../base/text.h"
#include "../base/xalloc.h"

#include <limits.h>
#include <string.h>

#define LIST_MAX_PARAMS 48

static bool parse_ll(const char *s, long long *out)
{
	return text_to_ll(s, LLONG_MIN, LLONG_MAX, out);
}

static int parse_filter(const struct registry *reg, const struct record_type *rt,
			const char *name, const char *value, struct list_filter *out, struct err *e)
{
	const struct field *f = record_field(rt, name);
	memset(out, 0, sizeof *out);
	out->text = value;
	if (strcmp(name, "id") == 0) {
		if (!parse_ll(value, &out->n))
			return err_set(e, ERR_INVALID, name, "id must be a whole number");
		out->is_id = true;
		return 0;
	}
	if (!f || !field_stored(f))
		return err_set(e, ERR_INVALID, name, "%s cannot be filtered by \"%s\": no such field",
			       rt->label_plural, name);
	out->f = f;
	if (f->type == FT_REFS) {
		if (!parse_ll(value, &out->n))
			return err_set(e, ERR_INVALID, name, "%s: filter by one record id", f->label);
		return 0;
	}
	if (!*value && f->type != FT_BOOL) {
		out->is_null = true;
		return 0;
	}
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		if (!parse_ll(value, &out->n))
			return err_set(e, ERR_INVALID, name, "%s must be a whole number", f->label);
		break;
	case FT_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
			out->n = 1;
		else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
			out->n = 0;
		else
			return err_set(e, ERR_INVALID, name, "%s must be true or false", f->label);
		break;
	case FT_ENUM: {
		bool ok = false;
		const char *const *values = field_values(reg, f);
		for (int i = 0; values && values[i]; i++)
			ok = ok || strcmp(values[i], value) == 0;
		if (!ok)
			return err_set(e, ERR_INVALID, name, "%s has no value \"%s\"", f->label, value);
		break;
	}
	default:
		break;
	}
	return 0;
}

int list_parse_sort(const struct record_type *rt, const char *sort, struct list_sort *out,
		    struct err *e)
{
	static const char *const meta[] = {"id", "version", "created_at", "updated_at", NULL};
	if (!sort || !*sort)
		sort = rt->default_sort ? rt->default_sort : "id";
	out->desc = sort[0] == '-';
	const char *name = out->desc ? sort + 1 : sort;
	out->col = NULL;
	out->f = NULL;
	for (int i = 0; meta[i]; i++)
		if (strcmp(meta[i], name) == 0)
			out->col = meta[i];
	const struct field *f = record_field(rt, name);
	if (!out->col && f && field_stored(f) && f->type != FT_REFS) {
		out->col = f->name;
		out->f = f;
	}
	if (!out->col)
		return err_set(e, ERR_INVALID, "sort", "%s cannot be sorted by \"%s\"",
			       rt->label_plural, name);
	return 0;
}

int list_parse(const struct registry *reg, const struct record_type *rt,
	       const struct list_query *q, struct list_parsed *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (q->limit < 1 || q->limit > 500)
		return err_set(e, ERR_INVALID, "limit", "limit must be between 1 and 500");
	if (q->offset < 0)
		return err_set(e, ERR_INVALID, "offset", "offset must not be negative");
	if (q->nfilters > LIST_MAX_FILTERS)
		return err_set(e, ERR_INVALID, NULL, "too many filters (at most %d)", LIST_MAX_FILTERS);
	for (size_t i = 0; i < q->nfilters; i++)
		if (parse_filter(reg, rt, q->filter_names[i], q->filter_values[i], &out->filters[i], e) < 0)
			return -1;
	out->nfilters = q->nfilters;
	if (q->q && *q->q) {
		out->q = xstrdup(q->q);
		str_lower_ascii(out->q);
	}
	return list_parse_sort(rt, q->sort, &out->sort, e);
}

void list_parsed_release(struct list_parsed *p)
{
	free(p->q);
	p->q = NULL;
}

/* Escapes LIKE wildcards in the lower-cased q and wraps it in %…%; caller frees. */
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
	return buf_detach(&b);
}

void record_sql_has(struct buf *sql, const struct registry *reg, const struct record_type *rt,
		    const struct field *f, long long to_id, struct store_val *p, int *n)
{
	const struct record_type *target = registry_find(reg, f->ref);
	p[(*n)++] = SVS(target ? target->name : f->ref);
	p[(*n)++] = SVI(to_id);
	p[(*n)++] = SVS(rt->name);
	p[(*n)++] = SVS(f->name);
	buf_printf(sql,
		   " AND id IN (SELECT from_id FROM record_links WHERE to_type = $%d AND to_id = "
		   "$%d AND from_type = $%d AND field = $%d)",
		   *n - 3, *n - 2, *n - 1, *n);
}

/* The WHERE clause and its parameters for a parsed query. */
static void where_sql(struct ctx *c, const struct record_type *rt, const struct list_parsed *lp,
		      struct buf *sql,
		      struct store_val *p, int *n, char **pattern)
{
	buf_puts(sql, " WHERE 1 = 1");
	for (size_t i = 0; i < lp->nfilters; i++) {
		const struct list_filter *f = &lp->filters[i];
		if (f->is_id) {
			p[(*n)++] = SVI(f->n);
			buf_printf(sql, " AND id = $%d", *n);
		} else if (f->f->type == FT_REFS) {
			record_sql_has(sql, c->reg, rt, f->f, f->n, p, n);
		} else if (f->is_null) {
			buf_printf(sql, " AND \"%s\" IS NULL", f->f->name);
		} else {
			bool numeric = f->f->type == FT_INT || f->f->type == FT_REF ||
				       f->f->type == FT_BOOL;
			p[(*n)++] = numeric ? SVI(f->n) : SVS(f->text);
			buf_printf(sql, " AND \"%s\" = $%d", f->f->name, *n);
		}
	}
	if (lp->q) {
		*pattern = like_pattern(lp->q);
		p[(*n)++] = SVS(*pattern);
		buf_printf(sql, " AND _search LIKE $%d ESCAPE '\\'", *n);
	}
}

void list_order_sql(const struct list_sort *s, struct buf *sql)
{
	if (strcmp(s->col, "id") == 0)
		buf_printf(sql, " ORDER BY id%s", s->desc ? " DESC" : "");
	else
		/* Empty values count as the largest (last ascending, first descending, as
		   PostgreSQL does), so a descending page reads the same index backwards. */
		buf_printf(sql, " ORDER BY (\"%s\" IS NULL)%s, \"%s\"%s, id%s", s->col,
			   s->desc ? " DESC" : "", s->col, s->desc ? " DESC" : "",
			   s->desc ? " DESC" : "");
}

/* Wraps a page of items into the list response, with reference titles. */
int list_respond(struct ctx *c, const struct record_type *rt, json_t *items, long long total,
		 json_t **out, struct err *e)
{
	*out = json_build("{s:O, s:I}", "items", items, "total", (json_int_t)total);
	if (record_add_ref_titles(c, rt, items, *out, e) < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int record_list(struct ctx *c, const struct record_type *rt, const struct list_query *q,
		json_t **out, struct err *e)
{
	struct list_parsed lp;
	struct buf where = BUF_INIT, sql = BUF_INIT;
	struct store_val p[LIST_MAX_PARAMS];
	struct store_rows *r = NULL;
	char *pattern = NULL;
	json_t *items = NULL;
	long long total = 0;
	int n = 0, rc, ret = -1;
	*out = NULL;
	if (!record_can_read(c, rt))
		return err_set(e, ERR_FORBIDDEN, NULL, "your role may not read %s", rt->label_plural);
	if (list_parse(c->reg, rt, q, &lp, e) < 0)
		goto out;
	if (q->as_of) {
		ret = record_list_as_of(c, rt, &lp, q, out, e);
		goto out;
	}
	where_sql(c, rt, &lp, &where, p, &n, &pattern);
	buf_printf(&sql, "SELECT count(*) FROM \"%s\"%s", rt->table, where.data);
	if (store_query_int(c->store, sql.data, p, n, &total, NULL, e) < 0)
		goto out;

	buf_reset(&sql);
	buf_puts(&sql, "SELECT ");
	record_sql_columns(&sql, rt);
	buf_printf(&sql, " FROM \"%s\"%s", rt->table, where.data);
	list_order_sql(&lp.sort, &sql);
	buf_printf(&sql, " LIMIT $%d OFFSET $%d", n + 1, n + 2);
	p[n] = SVI(q->limit);
	p[n + 1] = SVI(q->offset);
	items = json_array();
	if (total > q->offset) {
		if (store_query(c->store, sql.data, p, n + 2, &r, e) < 0)
			goto out;
		while ((rc = store_next(r, e)) > 0) {
			json_t *rec = record_from_row(rt, r);
			record_add_actions(c, rt, rec);
			json_array_append_new(items, rec);
		}
		if (rc < 0)
			goto out;
		store_rows_free(r);
		r = NULL;
		size_t i;
		json_t *rec;
		json_array_foreach(items, i, rec) if (record_decorate(c, rt, rec, e) < 0) goto out;
	}
	ret = list_respond(c, rt, items, total, out, e);
out:
	store_rows_free(r);
	list_parsed_release(&lp);
	free(pattern);
	json_decref(items);
	buf_release(&where);
	buf_release(&sql);
	return ret;
}
