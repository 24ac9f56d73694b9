/* demo.c — the demo organization: data/demo.json holds its deliberate gaps ("findings") and
   records in creation order, each keyed in on its day ("on"; tools/demo_dates.py dates them), with
   "@key" values referring to records created earlier, "@@plural:field=value" values
   referring to records isms seeded (the risk method, Annex A, the SoA), updates of such
   records, actions taken by named users, and small evidence files given as text. */
#include "demo.h"
#include "../engine/attachments.h"
#include "../engine/users.h"
#include "../base/embed.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/sec.h"
#include "../engine/query.h"

#include <string.h>

struct loader {
	struct ctx *c;
	json_t *keys; /* key -> id */
	json_t *accounts; /* [[username, role, password]] */
	char manager[65]; /* default actor once an isms_manager account exists */
	char day[11];     /* the day entries are keyed in ("on"), "" for today */
	long tick;        /* seconds after 08:00 UTC on that day, one per entry */
};

/* "on": "YYYY-MM-DD", the day this entry and those after it were keyed in: the demo
   organization's year of history. The clock (and so the change log, approval days and what
   is due) moves to 08:00 UTC that day plus a second per entry; days never go back nor pass
   today. */
static int keyed_on(struct loader *l, const json_t *entry, struct err *e)
{
	const char *on = json_str(entry, "on");
	char today[11];
	clock_now(l->c->now);
	snprintf(today, sizeof today, "%.10s", l->c->now);
	if (on) {
		if (!clock_sane_date(on) || strcmp(on, today) > 0 || strcmp(on, l->day) < 0)
			return err_set(e, ERR_INVALID, "on",
				       "\"on\": %s is not a day between the previous entry's (%s) and "
				       "today",
				       on, l->day[0] ? l->day : "none");
		if (strcmp(on, l->day) != 0)
			l->tick = 0;
		snprintf(l->day, sizeof l->day, "%s", on);
	}
	if (!l->day[0] || strcmp(l->day, today) == 0)
		return 0; /* today: the real clock */
	unsigned t = (unsigned)(l->tick++ % (16 * 3600));
	snprintf(l->c->now, sizeof l->c->now, "%.10sT%02u:%02u:%02u.000Z", l->day, 8 + t / 3600 % 16,
		 t / 60 % 60, t % 60);
	return 0;
}

/* The id of the first record of a type whose field equals a value ("plural:field=value"). */
static int lookup(struct loader *l, const char *spec, json_t **out, struct err *e)
{
	char type[64], field[64];
	const char *value;
	if (sscanf(spec, "%63[^:]:%63[^=]=", type, field) != 2 || !(value = strchr(spec, '=')))
		return err_set(e, ERR_INVALID, NULL, "\"@@%s\" is not @@plural:field=value", spec);
	const struct record_type *rt = registry_find(l->c->reg, type);
	const char *names[] = {field}, *values[] = {value + 1};
	struct list_query q = {.limit = 1, .sort = "id", .filter_names = names,
			       .filter_values = values, .nfilters = 1};
	json_t *list;
	if (!rt)
		return err_set(e, ERR_INVALID, NULL, "@@%s: no record type %s", spec, type);
	if (record_list(l->c, rt, &q, &list, e) < 0)
		return -1;
	json_t *id = json_object_get(json_array_get(json_object_get(list, "items"), 0), "id");
	*out = id ? json_incref(id) : NULL;
	json_decref(list);
	if (!*out)
		return err_set(e, ERR_INVALID, NULL, "@@%s matches no record", spec);
	return 0;
}

/* Replaces "@key" and "@@plural:field=value" strings (alone or in arrays) by the ids they
   name. */
static int resolve(struct loader *l, json_t *v, json_t **out, struct err *e)
{
	const char *s = json_string_value(v);
	if (s && s[0] == '@' && s[1] == '@') {
		bool was = l->c->system; /* look-ups see every type, whoever acts next */
		l->c->system = true;
		struct actor saved = l->c->actor;
		ctx_set_local_admin(l->c);
		int rc = lookup(l, s + 2, out, e);
		l->c->actor = saved;
		l->c->system = was;
		return rc;
	}
	if (s && s[0] == '@') {
		json_t *id = json_object_get(l->keys, s + 1);
		if (!id)
			return err_set(e, ERR_INVALID, NULL, "unknown key %s (define it earlier)", s);
		*out = json_incref(id);
		return 0;
	}
	if (json_is_array(v)) {
		json_t *a = json_array(), *x, *r;
		size_t i;
		json_array_foreach(v, i, x) {
			if (resolve(l, x, &r, e) < 0) {
				json_decref(a);
				return -1;
			}
			json_array_append_new(a, r);
		}
		*out = a;
		return 0;
	}
	*out = json_incref(v);
	return 0;
}

static int act_as(struct loader *l, const char *as, bool local, struct err *e)
{
	if (!as && (local || !l->manager[0])) {
		ctx_set_local_admin(l->c);
		return 0;
	}
	return users_actor(l->c, as ? as : l->manager, e);
}

static int create(struct loader *l, const json_t *entry, struct err *e)
{
	const char *type = json_str(entry, "type"), *key = json_str(entry, "key");
	const struct record_type *rt = type ? registry_find(l->c->reg, type) : NULL;
	if (!rt)
		return err_set(e, ERR_INVALID, NULL, "unknown type \"%s\"", type ? type : "");
	bool is_user = strcmp(rt->name, "user") == 0;
	json_t *input = json_object(), *v, *r, *rec = NULL;
	const char *name;
	int ret = -1;
	json_object_foreach(json_object_get(entry, "fields"), name, v) {
		if (resolve(l, v, &r, e) < 0)
			goto out;
		json_object_set_new(input, name, r);
	}
	if (act_as(l, json_str(entry, "as"), is_user, e) < 0 ||
	    record_create(l->c, rt, input, &rec, e) < 0)
		goto out;
	json_t *id = json_object_get(rec, "id");
	if (key)
		json_object_set(l->keys, key, id);
	if (is_user) {
		char password[SEC_TOKEN_LEN];
		sec_token(password);
		password[16] = '\0';
		if (users_set_password(l->c, json_integer_value(id), password, false, e) < 0)
			goto out;
		const char *role = json_str(rec, "role"), *username = json_str(rec, "username");
		json_array_append_new(l->accounts, json_build("[s,s,s]", username, role, password));
		if (!l->manager[0] && strcmp(role, "isms_manager") == 0)
			snprintf(l->manager, sizeof l->manager, "%s", username);
	}
	ret = 0;
out:
	json_decref(input);
	json_decref(rec);
	return ret;
}

/* {"update": "<plural>", "record": "@key" or "@@…", "as": user, "fields": {…}} */
static int update(struct loader *l, const json_t *entry, struct err *e)
{
	const char *type = json_str(entry, "update");
	const struct record_type *rt = type ? registry_find(l->c->reg, type) : NULL;
	json_t *id = NULL, *input = json_object(), *v, *r, *rec = NULL;
	const char *name;
	int rc = -1;
	if (!rt) {
		err_set(e, ERR_INVALID, NULL, "unknown type \"%s\"", type ? type : "");
		goto out;
	}
	if (resolve(l, json_object_get(entry, "record"), &id, e) < 0)
		goto out;
	json_object_foreach(json_object_get(entry, "fields"), name, v) {
		if (resolve(l, v, &r, e) < 0)
			goto out;
		json_object_set_new(input, name, r);
	}
	if (!json_is_integer(id))
		err_set(e, ERR_INVALID, NULL, "an update needs \"record\": \"@key\" or \"@@…\"");
	else if (act_as(l, json_str(entry, "as"), false, e) == 0)
		rc = record_update(l->c, rt, json_integer_value(id), input, -1, &rec, e);
	if (rc == 0 && json_str(entry, "key"))
		json_object_set(l->keys, json_str(entry, "key"), id);
out:
	json_decref(id);
	json_decref(input);
	json_decref(rec);
	return rc;
}

static int act(struct loader *l, const json_t *entry, struct err *e)
{
	const char *type = json_str(entry, "type"), *action = json_str(entry, "action");
	const struct record_type *rt = type ? registry_find(l->c->reg, type) : NULL;
	json_t *id = NULL, *rec = NULL;
	if (!rt)
		return err_set(e, ERR_INVALID, NULL, "unknown type \"%s\"", type ? type : "");
	if (resolve(l, json_object_get(entry, "record"), &id, e) < 0)
		return -1;
	int rc = -1;
	/* A decision keyed in for someone: "decided_by": "@person" names them by key. */
	json_t *body = json_object_get(entry, "body") ? json_copy(json_object_get(entry, "body"))
						       : NULL,
	       *who = NULL;
	if (json_is_string(json_object_get(body, "decided_by"))) {
		if (resolve(l, json_object_get(body, "decided_by"), &who, e) < 0) {
			json_decref(body);
			json_decref(id);
			return -1;
		}
		json_object_set_new(body, "decided_by", who);
	}
	if (!json_is_integer(id))
		err_set(e, ERR_INVALID, NULL, "an action needs \"record\": \"@key\"");
	else if (act_as(l, json_str(entry, "as"), false, e) == 0)
		rc = record_act(l->c, rt, json_integer_value(id), action, body, -1, &rec, e);
	json_decref(body);
	json_decref(id);
	json_decref(rec);
	return rc;
}

/* {"attach": "<plural>", "record": "@key", "as": user, "filename", "media_type", "text",
   "description", "key"}: an evidence file with the given text as its content. */
static int attach(struct loader *l, const json_t *entry, struct err *e)
{
	const char *type = json_str(entry, "attach"), *text = json_str(entry, "text");
	const struct record_type *rt = type ? registry_find(l->c->reg, type) : NULL;
	json_t *id = NULL, *rec = NULL;
	int rc = -1;
	if (!rt || !text)
		return err_set(e, ERR_INVALID, NULL, "an attach entry needs a known type and \"text\"");
	if (resolve(l, json_object_get(entry, "record"), &id, e) < 0)
		return -1;
	struct attachment_upload up = {.filename = json_str(entry, "filename"),
				       .media_type = json_str(entry, "media_type"),
				       .description = json_str(entry, "description"),
				       .data = text,
				       .len = strlen(text)};
	if (!json_is_integer(id))
		err_set(e, ERR_INVALID, NULL, "an attach entry needs \"record\": \"@key\"");
	else if (act_as(l, json_str(entry, "as"), false, e) == 0)
		rc = attachments_add(l->c, rt, json_integer_value(id), &up, &rec, e);
	if (rc == 0 && json_str(entry, "key"))
		json_object_set(l->keys, json_str(entry, "key"), json_object_get(rec, "id"));
	json_decref(id);
	json_decref(rec);
	return rc;
}

void demo_start_clock(struct ctx *c)
{
	const struct embedded_file *f = embed_find("data/demo.json");
	json_t *doc = f ? json_loadb((const char *)f->data, f->size, 0, NULL) : NULL;
	const char *on = json_str(json_array_get(json_object_get(doc, "records"), 0), "on");
	if (on && clock_sane_date(on))
		snprintf(c->now, sizeof c->now, "%.10sT07:00:00.000Z", on);
	json_decref(doc);
}

int demo_load(struct ctx *c, FILE *out, struct err *e)
{
	const struct embedded_file *f = embed_find("data/demo.json");
	struct loader l = {.c = c, .keys = json_object(), .accounts = json_array()};
	json_t *doc = NULL, *entry;
	json_error_t je;
	size_t i;
	long long people;
	int ret = -1;
	if (!f) {
		err_set(e, ERR_INTERNAL, NULL, "this build has no demo data");
		goto out;
	}
	struct query everyone = {.type = "person"};
	if (query_count(c, &everyone, &people, e) < 0)
		goto out;
	if (people > 0) {
		err_set(e, ERR_CONFLICT, NULL, "the database already holds people; the demo "
					       "organization goes into an empty database only");
		goto out;
	}
	doc = json_loadb((const char *)f->data, f->size, 0, &je);
	if (!doc) {
		err_set(e, ERR_INTERNAL, NULL, "data/demo.json line %d: %s", je.line, je.text);
		goto out;
	}
	json_array_foreach(json_object_get(doc, "records"), i, entry) {
		int rc = keyed_on(&l, entry, e) < 0	     ? -1
			 : json_str(entry, "action") ? act(&l, entry, e)
			 : json_str(entry, "update") ? update(&l, entry, e)
			 : json_str(entry, "attach") ? attach(&l, entry, e)
						     : create(&l, entry, e);
		if (rc < 0) {
			char msg[sizeof e->message];
			snprintf(msg, sizeof msg, "%s", e->message);
			err_set(e, e->code, e->field, "data/demo.json entry %zu (%s %s): %s%s%s", i + 1,
				json_str(entry, "type")	    ? json_str(entry, "type")
				: json_str(entry, "update") ? json_str(entry, "update")
				: json_str(entry, "attach") ? json_str(entry, "attach")
							    : "?",
				json_str(entry, "key") ? json_str(entry, "key") : "", e->field,
				e->field[0] ? ": " : "", msg);
			goto out;
		}
	}
	ctx_set_local_admin(c);
	clock_now(c->now);
	fprintf(out, "demo organization: %s\n", json_str(doc, "organization"));
	if (json_array_size(json_object_get(doc, "findings")))
		fprintf(out, "its deliberate gaps (what an audit of it should find):\n");
	json_array_foreach(json_object_get(doc, "findings"), i, entry)
		fprintf(out, "  - %s\n", json_string_value(entry));
	fprintf(out, "demo accounts (sign in at the address below):\n");
	json_array_foreach(l.accounts, i, entry)
		fprintf(out, "  %-16s %-15s password: %s\n", json_string_value(json_array_get(entry, 0)),
			json_string_value(json_array_get(entry, 1)),
			json_string_value(json_array_get(entry, 2)));
	ret = 0;
out:
	json_decref(doc);
	json_decref(l.keys);
	json_decref(l.accounts);
	return ret;
}
