/* record_asof.c — "as of" views for every record type: the state each record had at a given
   time, rebuilt from the change log, then filtered, searched, sorted and paged with the same
   parsed query as the live list. */
#include "record_list.h"
#include "../base/text.h"
#include "../base/xalloc.h"
#include "../store/changes.h"

#include <stdlib.h>
#include <string.h>

static bool matches(const struct record_type *rt, const struct list_parsed *lp, json_t *rec)
{
	for (size_t i = 0; i < lp->nfilters; i++) {
		const struct list_filter *f = &lp->filters[i];
		if (f->is_id) {
			if (json_integer_value(json_object_get(rec, "id")) != f->n)
				return false;
			continue;
		}
		json_t *v = json_object_get(rec, f->f->name);
		if (f->f->type == FT_REFS) {
			bool found = false;
			size_t k;
			json_t *x;
			json_array_foreach(v, k, x) found = found || json_integer_value(x) == f->n;
			if (!found)
				return false;
		} else if (f->is_null) {
			if (v && !json_is_null(v))
				return false;
		} else if (f->f->type == FT_BOOL) {
			if (((f->f->flags & F_NULLABLE) && !json_is_boolean(v)) ||
			    json_is_true(v) != (f->n != 0))
				return false;
		} else if (f->f->type == FT_INT || f->f->type == FT_REF) {
			if (!json_is_integer(v) || json_integer_value(v) != f->n)
				return false;
		} else if (!str_eq(json_string_value(v), f->text)) {
			return false;
		}
	}
	if (lp->q) {
		char *text = record_search_text(rt, rec);
		bool hit = strstr(text, lp->q) != NULL;
		free(text);
		return hit;
	}
	return true;
}

static int compare(const void *a, const void *b, void *arg)
{
	const struct list_sort *s = arg;
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_t *vx = json_object_get(x, s->col), *vy = json_object_get(y, s->col);
	bool nx = !vx || json_is_null(vx), ny = !vy || json_is_null(vy);
	int c = 0;
	if (nx != ny)
		c = nx ? 1 : -1; /* empty values count as the largest, as in the SQL order */
	else if (!nx) {
		if (json_is_integer(vx) && json_is_integer(vy))
			c = (json_integer_value(vx) > json_integer_value(vy)) -
			    (json_integer_value(vx) < json_integer_value(vy));
		else if (json_is_boolean(vx))
			c = json_is_true(vx) - json_is_true(vy);
		else if (json_is_string(vx) && json_is_string(vy))
			c = strcmp(json_string_value(vx), json_string_value(vy)); /* lint: allow */
	}
	if (c == 0) {
		long long ix = json_integer_value(json_object_get(x, "id")),
			  iy = json_integer_value(json_object_get(y, "id"));
		c = (ix > iy) - (ix < iy);
	}
	return s->desc ? -c : c;
}

/* The records of one as-of list: those that matched, each a reference it owns. */
struct asof_page {
	const struct record_type *rt;
	const struct list_parsed *lp;
	json_t **all;
	size_t n, cap;
};

static int keep_match(void *arg, long long id, json_t *rec)
{
	struct asof_page *pg = arg;
	(void)id;
	if (!matches(pg->rt, pg->lp, rec))
		return 0;
	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 64;
		pg->all = xrealloc(pg->all, pg->cap * sizeof *pg->all);
	}
	pg->all[pg->n++] = json_incref(rec);
	json_object_set_new(rec, "actions", json_array()); /* the past cannot be acted on */
	return 0;
}

int record_list_as_of(struct ctx *c, const struct record_type *rt, const struct list_parsed *lp,
		      const struct list_query *q, json_t **out, struct err *e)
{
	struct asof_page pg = {.rt = rt, .lp = lp};
	json_t *items = json_array();
	int ret = -1;
	if (changes_states_at(c->store, rt->name, q->as_of, keep_match, &pg, e) < 0)
		goto out;
	if (pg.n > 1)
		qsort_r(pg.all, pg.n, sizeof *pg.all, compare, (void *)&lp->sort);
	for (size_t i = (size_t)q->offset; i < pg.n && i < (size_t)(q->offset + q->limit); i++)
		json_array_append(items, pg.all[i]);
	ret = list_respond(c, rt, items, (long long)pg.n, out, e);
	if (ret == 0)
		json_object_set_new(*out, "as_of", json_string(q->as_of));
out:
	for (size_t i = 0; i < pg.n; i++)
		json_decref(pg.all[i]);
	free(pg.all);
	json_decref(items);
	return ret;
}

int record_get_as_of(struct ctx *c, const struct record_type *rt, long long id, const char *as_of,
		     json_t **out, struct err *e)
{
	*out = NULL;
	if (!record_can_read(c, rt))
		return err_set(e, ERR_FORBIDDEN, NULL, "your role may not read %s", rt->label_plural);
	if (changes_state_at(c->store, rt->name, id, as_of, out, e) < 0)
		return -1;
	if (!*out)
		return err_set(e, ERR_NOT_FOUND, NULL, "no %s with id %lld existed at %s", rt->label,
			       id, as_of);
	return 0;
}
