/* audit.c — the audit trail over the change log (changes_feed), limited to the record types
   the actor may read, with each change's record type and title for people. */
#include "audit.h"
#include "module.h"
#include "../base/json.h"
#include "../base/xalloc.h"
#include "../store/changes.h"

#include <stdio.h>
#include <stdlib.h>

struct feed {
	const struct registry *reg;
	json_t *items;
};

static int add_item(void *arg, const struct change *ch, struct err *e)
{
	struct feed *f = arg;
	const struct record_type *rt = registry_find(f->reg, ch->record_type);
	(void)e;
	json_array_append_new(
		f->items,
		json_build("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "seq", (json_int_t)ch->seq, "at",
			  ch->at, "actor", ch->actor, "type", rt ? rt->plural : ch->record_type,
			  "id", (json_int_t)ch->record_id, "op", ch->op, "title",
			  rt && ch->state ? record_title(rt, ch->state) : ""));
	return 0;
}

int audit_trail(struct ctx *c, const struct audit_query *q, json_t **out, struct err *e)
{
	const struct record_type *only = NULL;
	struct feed f = {.reg = c->reg};
	long long total;
	*out = NULL;
	if (q->limit < 1 || q->limit > 500)
		return err_set(e, ERR_INVALID, "limit", "limit must be between 1 and 500");
	if (q->offset < 0)
		return err_set(e, ERR_INVALID, "offset", "offset must not be negative");
	if (q->type && *q->type) {
		only = registry_find(c->reg, q->type);
		if (!only || !record_can_read(c, only))
			return err_set(e, ERR_INVALID, "type", "no record type \"%s\" you may read",
				       q->type);
	}
	const char **types = xcalloc(c->reg->ntypes + 1, sizeof *types);
	size_t n = 0;
	for (size_t i = 0; i < c->reg->ntypes; i++) {
		const struct record_type *rt = c->reg->types[i];
		if ((!only || rt == only) && record_can_read(c, rt))
			types[n++] = rt->name;
	}
	struct changes_feed_query fq = {.types = types,
					.ntypes = n,
					.actor = q->actor && *q->actor ? q->actor : NULL,
					.limit = q->limit,
					.offset = q->offset};
	f.items = json_array();
	int rc = changes_feed(c->store, &fq, &total, add_item, &f, e);
	free(types);
	if (rc < 0) {
		json_decref(f.items);
		return -1;
	}
	*out = json_build("{s:o, s:I}", "items", f.items, "total", (json_int_t)total);
	return 0;
}

/* ---- the view ---------------------------------------------------------------------- */

static int changes_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	struct audit_query q = {.type = view_arg_text(a, "type"),
				.actor = view_arg_text(a, "actor"),
				.limit = view_arg_int(a, "limit"),
				.offset = view_arg_int(a, "offset")};
	return audit_trail(c, &q, out, e);
}

static void changes_print(const json_t *out, FILE *f)
{
	size_t i;
	json_t *it;
	fprintf(f, "%-7s  %-24s  %-16s  %-20s  %s\n", "SEQ", "AT", "ACTOR", "CHANGE", "RECORD");
	json_array_foreach(json_object_get(out, "items"), i, it) {
		char change[96];
		snprintf(change, sizeof change, "%s %s/%lld", json_text(it, "op"), json_text(it, "type"),
			 json_int(it, "id"));
		fprintf(f, "%-7lld  %-24s  %-16s  %-20s  %s\n", json_int(it, "seq"),
			json_text(it, "at"), json_text(it, "actor"), change, json_text(it, "title"));
	}
	fprintf(f, "(%zu of %lld changes)\n", json_array_size(json_object_get(out, "items")),
		json_int(out, "total"));
}

static const struct view_param changes_params[] = {
	{.name = "type", .type = VP_TEXT, .help = "Only changes to this record type (plural)"},
	{.name = "actor", .type = VP_TEXT, .help = "Only changes by this username"},
	{.name = "limit", .type = VP_INT, .min = 1, .max = 500, .def = "50",
	 .help = "How many changes (default 50)"},
	{.name = "offset", .type = VP_INT, .min = 0, .max = 1000000000000LL, .def = "0",
	 .help = "How many of the newest to skip"},
};

const struct view changes_view = {
	.name = "changes",
	.title = "Change log",
	.summary = "The change log across readable types, newest first",
	.help = "Every change to the record types you may read, newest first: when, by whom, "
		"what, and the record's title as the change left it.",
	.path = "/api/v1/changes",
	.params = changes_params,
	.nparams = COUNT_OF(changes_params),
	.run = changes_run,
	.schema = "{'type': 'object', 'required': ['items', 'total'],"
		  " 'properties': {'items': {'type': 'array', 'items': {'type': 'object',"
		  "   'required': ['seq', 'at', 'actor', 'type', 'id', 'op', 'title']}},"
		  "  'total': {'type': 'integer'}}}",
	.print = changes_print,
};
