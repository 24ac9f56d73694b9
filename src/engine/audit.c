/* audit.c — the audit trail over the change log (changes_feed), limited to the record types
   the actor may read, with each change's record type and title for people. */
#include "audit.h"
#include "../base/xalloc.h"
#include "../store/changes.h"

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
		json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "seq", (json_int_t)ch->seq, "at",
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
	*out = json_pack("{s:o, s:I}", "items", f.items, "total", (json_int_t)total);
	return 0;
}
