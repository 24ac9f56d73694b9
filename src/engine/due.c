/* due.c — the "what is due" list, from each record type's due rule. */
#include "due.h"
#include "module.h"
#include "query.h"
#include "../base/clock.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#define DUE_MAX_PER_TYPE 500

static int collect(struct ctx *c, const struct record_type *rt, const struct due_rule *d,
		   bool mine, const char *horizon, const char *today, json_t *items, struct err *e)
{
	struct query q = {.type = rt->name,
			  .where = {QNOT_NULL(d->date_field), QLE(d->date_field, SVS(horizon))},
			  .order = d->date_field,
			  .limit = DUE_MAX_PER_TYPE};
	size_t n = 2;
	json_t *records, *rec;
	if (d->status_field && d->closed)
		q.where[n++] = (struct query_cond)QNOT_IN_TEXT(d->status_field, d->closed);
	if (mine) {
		if (!d->owner_field || !c->actor.person_id)
			return 0;
		q.where[n++] = (struct query_cond)QEQ(d->owner_field, SVI(c->actor.person_id));
	}
	if (query_records(c, &q, &records, e) < 0)
		return -1;
	size_t i;
	json_array_foreach(records, i, rec) {
		const char *date = json_str(rec, d->date_field);
		json_t *owner = d->owner_field ? json_object_get(rec, d->owner_field) : NULL;
		json_t *item = json_build("{s:s, s:I, s:s, s:s, s:s, s:b}", "type", rt->plural, "id",
					 (json_int_t)json_int(rec, "id"), "title",
					 record_title(rt, rec), "what", d->what, "date", date,
					 "overdue", strcmp(date, today) < 0);
		json_object_set_new(item, "owner", json_is_integer(owner) ? json_incref(owner)
									   : json_null());
		json_array_append_new(items, item);
	}
	json_decref(records);
	return 0;
}

static int by_date(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return strcmp(json_text(x, "date"), json_text(y, "date"));
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
	for (size_t i = 0; i < c->reg->nmodules; i++) {
		const struct module *mod = c->reg->modules[i];
		if (mod->due && mod->due(c, mine, today, horizon, items, e) < 0) {
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
		if (!json_object_get(v[i], "overdue"))
			json_object_set_new(v[i], "overdue",
					    json_boolean(strcmp(json_text(v[i], "date"), today) < 0));
		overdue += json_is_true(json_object_get(v[i], "overdue"));
	}
	if (n > 1)
		qsort(v, n, sizeof *v, by_date);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(sorted, v[i]);
	free(v);
	json_decref(items);
	*out = json_build("{s:o, s:I, s:I, s:s, s:s}", "items", sorted, "total", (json_int_t)n,
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
