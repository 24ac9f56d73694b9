/* due.c — the "what is due" list, from each record type's due rule. */
#include "due.h"
#include "module.h"
#include "../base/json.h"
#include "../base/buf.h"
#include "../base/clock.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#define DUE_MAX_PER_TYPE 500

static int collect(struct ctx *c, const struct record_type *rt, const struct due_rule *d,
		   bool mine, const char *horizon, const char *today, json_t *items, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_val p[16];
	struct store_rows *r = NULL;
	int n = 0, rc, ret = -1;
	buf_printf(&sql, "SELECT id, \"%s\", \"%s\", %s%s%s FROM \"%s\" WHERE \"%s\" IS NOT NULL AND "
			 "\"%s\" <= $1",
		   rt->title_field, d->date_field, d->owner_field ? "\"" : "",
		   d->owner_field ? d->owner_field : "NULL", d->owner_field ? "\"" : "", rt->table,
		   d->date_field, d->date_field);
	p[n++] = SVS(horizon);
	for (int i = 0; d->status_field && d->closed && d->closed[i] && n < 12; i++) {
		p[n++] = SVS(d->closed[i]);
		buf_printf(&sql, " AND \"%s\" <> $%d", d->status_field, n);
	}
	if (mine) {
		if (!d->owner_field || !c->actor.person_id) {
			ret = 0;
			goto out;
		}
		p[n++] = SVI(c->actor.person_id);
		buf_printf(&sql, " AND \"%s\" = $%d", d->owner_field, n);
	}
	buf_printf(&sql, " ORDER BY \"%s\", id LIMIT %d", d->date_field, DUE_MAX_PER_TYPE);
	if (store_query(c->store, sql.data, p, n, &r, e) < 0)
		goto out;
	while ((rc = store_next(r, e)) > 0) {
		const char *date = store_text(r, 2);
		json_t *item = json_pack("{s:s, s:I, s:s, s:s, s:s, s:b}", "type", rt->plural, "id",
					 (json_int_t)store_int(r, 0), "title",
					 store_text(r, 1) ? store_text(r, 1) : "", "what", d->what, "date",
					 date, "overdue", strcmp(date, today) < 0);
		json_object_set_new(item, "owner",
				    store_isnull(r, 3) ? json_null() : json_integer(store_int(r, 3)));
		json_array_append_new(items, item);
	}
	ret = rc < 0 ? -1 : 0;
out:
	store_rows_free(r);
	buf_release(&sql);
	return ret;
}

static int by_date(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return strcmp(json_string_value(json_object_get(x, "date")),
		      json_string_value(json_object_get(y, "date")));
}

int due_list(struct ctx *c, bool mine, int days, json_t **out, struct err *e)
{
	char today[11], horizon[CLOCK_TS_LEN];
	json_t *items = json_array();
	*out = NULL;
	if (days < 0 || days > 366) {
		json_decref(items);
		return err_set(e, ERR_INVALID, "days", "days must be between 0 and 366");
	}
	ctx_today(c, today);
	clock_format(time(NULL) + (time_t)days * 86400, 0, horizon);
	horizon[10] = '\0';
	for (size_t i = 0; i < c->reg->ntypes; i++) {
		const struct record_type *rt = c->reg->types[i];
		if (!rt->due || !record_can_read(c, rt))
			continue;
		for (const struct due_rule *d = rt->due; d->date_field; d++)
			if (collect(c, rt, d, mine, horizon, today, items, e) < 0) {
				json_decref(items);
				return -1;
			}
	}
	/* Sort by date across types (stable enough: each type came sorted already). */
	size_t n = json_array_size(items);
	json_t **v = n ? calloc(n, sizeof *v) : NULL;
	long long overdue = 0;
	for (size_t i = 0; i < n; i++) {
		v[i] = json_incref(json_array_get(items, i));
		overdue += json_is_true(json_object_get(v[i], "overdue"));
	}
	if (n > 1)
		qsort(v, n, sizeof *v, by_date);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(sorted, v[i]);
	free(v);
	json_decref(items);
	*out = json_pack("{s:o, s:I, s:I, s:s, s:s}", "items", sorted, "total", (json_int_t)n,
			 "overdue", (json_int_t)overdue, "today", today, "until", horizon);
	return 0;
}

/* ---- the view ---------------------------------------------------------------------- */

static int due_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return due_list(c, view_arg_bool(a, "mine"), (int)view_arg_int(a, "days"), out, e);
}

static void due_print(const json_t *out, FILE *f)
{
	size_t i;
	json_t *it;
	fprintf(f, "%-10s  %-8s  %-22s  %-6s  %s\n", "DATE", "", "WHAT", "ID", "TITLE");
	json_array_foreach(json_object_get(out, "items"), i, it)
		fprintf(f, "%-10s  %-8s  %-22s  %-6lld  %s\n", json_text(it, "date"),
			json_is_true(json_object_get(it, "overdue")) ? "OVERDUE" : "",
			json_text(it, "what"), json_int(it, "id"), json_text(it, "title"));
	fprintf(f, "(%lld due, %lld overdue)\n", json_int(out, "total"), json_int(out, "overdue"));
}

static const struct view_param due_params[] = {
	{.name = "mine", .type = VP_BOOL, .help = "Only records owned by the signed-in person"},
	{.name = "days", .type = VP_INT, .min = 0, .max = 366, .def = "30",
	 .help = "Also what falls due within this many days (default 30)"},
};

const struct view due_view = {
	.name = "due",
	.title = "What is due",
	.summary = "What is due: reviews and actions by date, overdue first",
	.help = "Reviews and actions whose date has come or comes within N days (default 30), "
		"oldest first; --mine keeps those owned by your person.",
	.path = "/api/v1/due",
	.params = due_params,
	.nparams = COUNT_OF(due_params),
	.run = due_run,
	.schema = "{'type': 'object', 'required': ['items', 'total', 'overdue'],"
		  " 'properties': {'items': {'type': 'array', 'items': {'type': 'object',"
		  "   'required': ['type', 'id', 'title', 'what', 'date', 'overdue'],"
		  "   'properties': {'overdue': {'type': 'boolean'}}}},"
		  "  'total': {'type': 'integer'}, 'overdue': {'type': 'integer'}}}",
	.print = due_print,
	.web = "#/due",
};
