/* c9_3_review_changes.c — what changed since the previous management review, read from the
   change log in one grouped query and said in plain words ("3 context issues added, 1
   changed; the climate decision \"Climate change\" reviewed"), and the entries of the
   review inputs that modules build from it. */
#include "c9_3_review.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"
#include "../store/changes.h"

#include <stdio.h>
#include <string.h>

#define ENTRY_ITEMS_MAX 25

void review_entry_add(json_t *inputs, const char *letter, const char *clause,
		      const char *title, const char *summary, json_t *items)
{
	json_t *list = json_object_get(inputs, letter);
	json_t *entry = json_build("{s:s, s:s, s:s, s:o}", "clause", clause, "title", title,
				   "summary", summary, "items", items ? items : json_array());
	if (json_is_array(list))
		json_array_append_new(list, entry);
	else
		json_decref(entry);
}

struct counts {
	struct ctx *c;
	json_t *by_type; /* name -> {created, updated, deleted, actions: {op: n}, one: {op: id}} */
};

static int count_group(void *arg, const char *type, const char *op, long long n,
		       long long some_id, struct err *e)
{
	struct counts *k = arg;
	(void)e;
	const struct record_type *rt = registry_find(k->c->reg, type);
	if (!rt || strcmp(rt->name, type) != 0 || !record_can_read(k->c, rt) ||
	    str_eq(op, "migrate"))
		return 0;
	json_t *t = json_object_get(k->by_type, type);
	if (!t) {
		t = json_build("{s:I, s:I, s:I, s:{}, s:{}}", "created", (json_int_t)0, "updated",
			       (json_int_t)0, "deleted", (json_int_t)0, "actions", "one");
		json_object_set_new(k->by_type, type, t);
	}
	if (str_eq(op, "create") || str_eq(op, "update") || str_eq(op, "delete")) {
		const char *key = op[0] == 'c' ? "created" : op[0] == 'u' ? "updated" : "deleted";
		json_object_set_new(t, key, json_integer(n));
	} else {
		json_object_set_new(json_object_get(t, "actions"), op, json_integer(n));
		if (n == 1)
			json_object_set_new(json_object_get(t, "one"), op, json_integer(some_id));
	}
	return 0;
}

/* "approve" → "approved", "hold" → "held": the past participle of an action's name. */
static void past(const char *op, char *out, size_t size)
{
	static const char *const irregular[][2] = {
		{"hold", "held"},        {"withdraw", "withdrawn"}, {"submit", "submitted"},
		{"cancel", "cancelled"}, {"miss", "missed"},        {"approve_plan", "plan approved"},
		{"return", "returned to draft"}};
	for (size_t i = 0; i < COUNT_OF(irregular); i++)
		if (str_eq(op, irregular[i][0])) {
			snprintf(out, size, "%s", irregular[i][1]);
			return;
		}
	size_t n = strlen(op);
	snprintf(out, size, "%s%s", op, n && op[n - 1] == 'e' ? "d" : "ed");
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
}

/* One type's sentence: counted parts, the first naming the type, then single actions. */
static int type_summary(struct ctx *c, const struct record_type *rt, const json_t *t,
			struct buf *out, struct err *e)
{
	static const char *const keys[] = {"created", "updated", "deleted"};
	static const char *const words[] = {"added", "changed", "deleted"};
	bool named = false;
	char verb[64], title[200];
	const char *op;
	json_t *v;
	for (size_t i = 0; i < COUNT_OF(keys); i++) {
		long long n = json_int(t, keys[i]);
		if (!n)
			continue;
		buf_printf(out, "%s%lld%s%s %s", out->len ? ", " : "", n, named ? "" : " ",
			   named ? "" : (n == 1 ? rt->label : rt->label_plural), words[i]);
		named = true;
	}
	json_object_foreach((json_t *)json_object_get(t, "actions"), op, v) {
		long long n = json_integer_value(v);
		past(op, verb, sizeof verb);
		if (n > 1) {
			buf_printf(out, "%s%lld%s%s %s", out->len ? ", " : "", n, named ? "" : " ",
				   named ? "" : rt->label_plural, verb);
			named = true;
			continue;
		}
		long long id = json_int(json_object_get(t, "one"), op);
		if (record_title_of(c, rt, id, title, sizeof title, e) < 0)
			return -1;
		if (*title)
			buf_printf(out, "%sthe %s \"%.60s\" %s", out->len ? "; " : "", rt->label,
				   title, verb);
		else
			buf_printf(out, "%sa %s %s", out->len ? "; " : "", rt->label, verb);
	}
	return 0;
}

int review_changes(struct ctx *c, const char *since, const char *until, json_t **out,
		   struct err *e)
{
	char end[11];
	struct counts k = {.c = c, .by_type = json_object()};
	json_t *list = json_array();
	struct buf text = BUF_INIT;
	int rc = -1;
	*out = NULL;
	clock_add_days(until, 1, end);
	if (changes_counts(c->store, since, end, count_group, &k, e) < 0)
		goto cleanup;
	for (size_t i = 0; i < c->reg->ntypes; i++) {
		const struct record_type *rt = c->reg->types[i];
		json_t *t = json_object_get(k.by_type, rt->name);
		if (!t)
			continue;
		buf_reset(&text);
		if (type_summary(c, rt, t, &text, e) < 0)
			goto cleanup;
		json_array_append_new(
			list, json_build("{s:s, s:s, s:s, s:O, s:O, s:O, s:O, s:s}", "type",
					 rt->plural, "label", rt->label_plural, "clause",
					 rt->clause ? rt->clause : "", "created",
					 json_object_get(t, "created"), "updated",
					 json_object_get(t, "updated"), "deleted",
					 json_object_get(t, "deleted"), "actions",
					 json_object_get(t, "actions"), "summary", buf_str(&text)));
	}
	*out = list;
	list = NULL;
	rc = 0;
cleanup:
	buf_release(&text);
	json_decref(k.by_type);
	json_decref(list);
	return rc;
}

void review_changes_phrase(const json_t *changes, const char *const *types, char *out,
			   size_t size)
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *t;
	json_array_foreach(changes, i, t) {
		for (size_t k = 0; types[k]; k++) {
			const char *type = json_str(t, "type");
			if (!str_eq(type, types[k]))
				continue;
			buf_printf(&b, "%s%s", b.len ? "; " : "", json_text(t, "summary"));
		}
	}
	snprintf(out, size, "%s", buf_str(&b));
	buf_release(&b);
}

int review_entry_changes(struct ctx *c, json_t *inputs, const char *letter,
			 const char *clause, const char *title, const char *const *types,
			 const char *since, const char *until, struct err *e)
{
	const struct record_type *first = registry_find(c->reg, types[0]);
	json_t *changes = NULL, *recs = NULL, *items = json_array();
	char phrase[1500], summary[1700], end[11];
	long long total = 0;
	int rc = -1;
	if (!first || !record_can_read(c, first)) {
		json_decref(items);
		return 0;
	}
	clock_add_days(until, 1, end);
	struct query changed = {.type = first->name,
				.where = {QGE("updated_at", SVS(since ? since : "")),
					  QLT("updated_at", SVS(end))},
				.order = "-updated_at",
				.limit = ENTRY_ITEMS_MAX};
	struct query all = {.type = first->name};
	/* The compiler reads the log once and leaves it under "changes" for every module. */
	changes = json_incref(json_object_get(inputs, "changes"));
	if ((!changes && review_changes(c, since, until, &changes, e) < 0) ||
	    query_count(c, &all, &total, e) < 0 ||
	    query_records(c, &changed, &recs, e) < 0)
		goto cleanup;
	review_changes_phrase(changes, types, phrase, sizeof phrase);
	if (*phrase)
		snprintf(summary, sizeof summary, "%c%s (%lld %s on record).", phrase[0] == 't' ?
			 'T' : phrase[0], phrase + 1, total, total == 1 ? first->label :
			 first->label_plural);
	else
		snprintf(summary, sizeof summary, "No changes recorded %s %s; %lld %s on record.",
			 since ? "since" : "up to", since ? since : until, total,
			 total == 1 ? first->label : first->label_plural);
	size_t i;
	json_t *r;
	json_array_foreach(recs, i, r) {
		char detail[80];
		snprintf(detail, sizeof detail, "%s on %.10s",
			 str_eq(json_str(r, "created_at"), json_str(r, "updated_at")) ? "added" :
			 "changed", json_text(r, "updated_at"));
		json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s}", "type",
							first->plural, "id",
							(json_int_t)json_int(r, "id"), "title",
							record_title(first, r), "detail", detail));
	}
	review_entry_add(inputs, letter, clause, title, summary, items);
	items = NULL;
	rc = 0;
cleanup:
	json_decref(changes);
	json_decref(recs);
	json_decref(items);
	return rc;
}
