/* record_row.c — mapping between a record type's JSON and its table row. */
#include "record_internal.h"
#include "../base/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool field_stored(const struct field *f)
{
	return !(f->flags & (F_WRITEONLY | F_DERIVED));
}

void str_lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

void record_sql_columns(struct buf *b, const struct record_type *rt)
{
	buf_puts(b, "id, version, created_at, updated_at");
	for (size_t i = 0; i < rt->nfields; i++)
		if (field_stored(&rt->fields[i]))
			buf_printf(b, ", \"%s\"", rt->fields[i].name);
}

static json_t *value_from_text(const struct field *f, const char *t)
{
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		return t ? json_integer(store_parse_int(t)) : json_null();
	case FT_BOOL:
		if (!t && (f->flags & F_NULLABLE))
			return json_null();
		return json_boolean(t && store_parse_int(t) != 0);
	case FT_JSON: {
		json_t *v = t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
		return v ? v : json_null();
	}
	case FT_REFS: {
		json_t *a = t ? json_loads(t, 0, NULL) : NULL;
		if (!json_is_array(a)) {
			json_decref(a);
			a = json_array();
		}
		return a;
	}
	default:
		return t ? json_string(t) : json_null();
	}
}

json_t *record_from_row(const struct record_type *rt, struct store_rows *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(store_int(r, 0)));
	json_object_set_new(o, "version", json_integer(store_int(r, 1)));
	json_object_set_new(o, "created_at", json_string(store_text(r, 2)));
	json_object_set_new(o, "updated_at", json_string(store_text(r, 3)));
	int col = RECORD_META_COLS;
	for (size_t i = 0; i < rt->nfields; i++) {
		const struct field *f = &rt->fields[i];
		if (!field_stored(f))
			continue;
		json_object_set_new(o, f->name, value_from_text(f, store_text(r, col++)));
	}
	return o;
}

struct store_val record_field_param(const struct field *f, const json_t *v, char **hold)
{
	*hold = NULL;
	if (!v || json_is_null(v))
		return f->type == FT_BOOL && !(f->flags & F_NULLABLE) ? SVI(0) : SVNULL;
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		return SVI(json_integer_value(v));
	case FT_BOOL:
		return SVI(json_is_true(v) ? 1 : 0);
	case FT_REFS:
		*hold = json_dumps(v, JSON_COMPACT);
		return SVS(*hold);
	case FT_JSON:
		*hold = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		return SVS(*hold);
	default:
		return SVS(json_string_value(v));
	}
}

char *record_search_text(const struct record_type *rt, const json_t *rec)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < rt->nfields; i++) {
		const struct field *f = &rt->fields[i];
		const char *s = json_string_value(json_object_get(rec, f->name));
		if (!(f->flags & F_SEARCH) || !s)
			continue;
		if (b.len)
			buf_putc(&b, '\n');
		buf_puts(&b, s);
	}
	char *s = buf_detach(&b);
	str_lower_ascii(s);
	return s;
}

int record_load(struct ctx *c, const struct record_type *rt, long long id, json_t **out,
		struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_rows *r = NULL;
	int ret = -1;
	*out = NULL;
	buf_puts(&sql, "SELECT ");
	record_sql_columns(&sql, rt);
	buf_printf(&sql, " FROM \"%s\" WHERE id = $1", rt->table);
	struct store_val p[] = {SVI(id)};
	if (store_query(c->store, sql.data, p, 1, &r, e) < 0)
		goto out;
	int rc = store_next(r, e);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "no %s with id %lld", rt->label, id);
		goto out;
	}
	*out = record_from_row(rt, r);
	ret = 0;
out:
	store_rows_free(r);
	buf_release(&sql);
	return ret;
}

const char *record_title(const struct record_type *rt, const json_t *rec)
{
	const char *t = rt->title_field ? json_string_value(json_object_get(rec, rt->title_field))
					: NULL;
	return t ? t : "";
}

/* Adds target's title for id to titles (keyed by target plural, then id). */
static int add_title(struct ctx *c, const struct record_type *target, long long id,
		     json_t *titles, struct err *e)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	json_t *bucket = json_object_get(titles, target->plural);
	if (!bucket) {
		bucket = json_object();
		json_object_set_new(titles, target->plural, bucket);
	}
	if (json_object_get(bucket, key) || !target->title_field)
		return 0;
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE id = $1", target->title_field,
		 target->table);
	struct store_rows *r;
	struct store_val p[] = {SVI(id)};
	if (store_query(c->store, sql, p, 1, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	if (rc > 0)
		json_object_set_new(bucket, key, json_string(store_text(r, 0) ? store_text(r, 0) : ""));
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int record_add_ref_titles(struct ctx *c, const struct record_type *rt, const json_t *items,
			  json_t *into, struct err *e)
{
	json_t *titles = json_object();
	size_t i;
	json_t *rec;
	json_array_foreach(items, i, rec) {
		for (size_t k = 0; k < rt->nfields; k++) {
			const struct field *f = &rt->fields[k];
			if (f->type != FT_REF && f->type != FT_REFS)
				continue;
			const struct record_type *target = registry_find(c->reg, f->ref);
			if (!target || !record_can_read(c, target))
				continue;
			json_t *v = json_object_get(rec, f->name), *x;
			size_t j;
			if (json_is_integer(v) && add_title(c, target, json_integer_value(v), titles, e) < 0)
				goto fail;
			if (json_is_array(v))
				json_array_foreach(v, j, x) if (add_title(c, target, json_integer_value(x),
									  titles, e) < 0) goto fail;
		}
	}
	json_object_set_new(into, "refs", titles);
	return 0;
fail:
	json_decref(titles);
	return -1;
}
