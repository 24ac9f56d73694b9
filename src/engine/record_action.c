/* record_action.c — workflow actions: one transition table per record type; each action
   is checked (role, current state, parameters, required fields, guard) and logged as its
   own change naming the actor. */
#include "query.h"
#include "record_internal.h"
#include "../store/changes.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"

#include <stdio.h>
#include <string.h>

static const struct action *find_action(const struct record_type *rt, const char *name)
{
	for (size_t i = 0; i < rt->nactions; i++)
		if (strcmp(rt->actions[i].name, name) == 0)
			return &rt->actions[i];
	return NULL;
}

static bool from_ok(const struct action *a, const char *state)
{
	if (!a->from)
		return true;
	for (int i = 0; a->from[i]; i++)
		if (state && strcmp(a->from[i], state) == 0)
			return true;
	return false;
}

static const char *state_of(const struct record_type *rt, const json_t *rec)
{
	return rt->state_field ? json_string_value(json_object_get(rec, rt->state_field)) : NULL;
}

void record_add_actions(struct ctx *c, const struct record_type *rt, json_t *rec)
{
	json_t *list = json_array();
	const char *state = state_of(rt, rec);
	struct err ignored;
	for (size_t i = 0; i < rt->nactions; i++) {
		const struct action *a = &rt->actions[i];
		if (actor_has(&c->actor, a->roles) && from_ok(a, state) &&
		    (!a->effective || a->personal ||
		     actor_check_impartial(c, a->name, &ignored) == 0) &&
		    (!a->permit || a->permit(c, rt, rec, &ignored) == 0))
			json_array_append_new(list, json_string(a->name));
	}
	json_object_set_new(rec, "actions", list);
	bool deletable = record_can_write(c, rt) && record_check_frozen(rt, rec, &ignored) == 0 &&
			 (!rt->can_change || c->system || rt->can_change(c, rt, rec, &ignored) == 0);
	json_object_set_new(rec, "can_edit", json_boolean(deletable && !rt->append_only));
	json_object_set_new(rec, "can_delete", json_boolean(deletable));
}

int record_check_effective(const struct ctx *c, const char *field, const char *date,
			   const char *reason_field, const char *reason, struct err *e)
{
	char today[11], late[11];
	ctx_today(c, today);
	if (!clock_sane_date(date))
		return err_set(e, ERR_INVALID, field,
			       "%s must be a date written YYYY-MM-DD, in the years %d to %d", field,
			       CLOCK_YEAR_MIN, CLOCK_YEAR_MAX);
	if (strcmp(date, today) > 0)
		return err_set(e, ERR_INVALID, field,
			       "%s: %s is in the future; a decision is recorded once it has been "
			       "taken (today is %s, UTC)",
			       field, date, today);
	if (strcmp(date, today) == 0 || c->system)
		return 0;
	if (!actor_has(&c->actor, c->reg->backdate_roles))
		return err_set(e, ERR_FORBIDDEN, field,
			       "%s: your role (%s) records decisions on the day they are taken; only "
			       "a role that records on others' behalf may record an earlier day",
			       field, registry_role_name(c->reg, c->actor.role));
	clock_add_days(today, -RECORD_LATE_DAYS, late);
	if (strcmp(date, late) < 0 && (!reason || !*reason))
		return err_set(e, ERR_INVALID, reason_field,
			       "%s: a decision recorded more than %d days after it took effect (%s) "
			       "needs the reason it is recorded late",
			       reason_field, RECORD_LATE_DAYS, date);
	return 0;
}

/* "decided_by": the person whose decision a recorder keys in (their signature on paper):
   only the registry's backdate roles record for someone else; records name that person by
   their account's username, or by name when they have none. */
static int take_decider(struct ctx *c, const json_t *v, struct err *e)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return err_set(e, ERR_INVALID, "decided_by", "decided_by must be a person's id");
	long long person = json_integer_value(v);
	if (person == c->actor.person_id)
		return 0;
	if (!c->system && !actor_has(&c->actor, c->reg->backdate_roles))
		return err_set(e, ERR_FORBIDDEN, "decided_by",
			       "decided_by: your role (%s) records your own decisions; only a role "
			       "that records on others' behalf may record someone else's",
			       registry_role_name(c->reg, c->actor.role));
	const struct record_type *people = registry_find(c->reg, "person");
	struct query account = {.type = "user",
				.where = {QEQ("person", SVI(person)), QEQ("active", SVI(1))}};
	json_t *user;
	if (!people || record_title_of(c, people, person, c->decided_by_name,
				       sizeof c->decided_by_name, e) < 0)
		return -1;
	if (!c->decided_by_name[0])
		return err_set(e, ERR_INVALID, "decided_by", "decided_by: there is no person %lld",
			       person);
	if (query_first(c, &account, &user, e) < 0)
		return -1;
	if (user)
		snprintf(c->decided_by_name, sizeof c->decided_by_name, "%s",
			 json_str(user, "username"));
	json_decref(user);
	c->decided_by = person;
	return 0;
}

/* Takes "effective_on", "reason" and "decided_by" out of a decision's body into c
   (checked), leaving the other parameters in *rest (a new reference, or NULL when there
   was no body). */
static int take_effective(struct ctx *c, const struct action *a, const json_t *body,
			  json_t **rest, struct err *e)
{
	*rest = NULL;
	if (!body)
		return 0;
	if (!json_is_object(body))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	*rest = json_copy((json_t *)body);
	json_t *on = json_object_get(body, "effective_on"), *why = json_object_get(body, "reason");
	if (!a->effective)
		return 0;
	json_object_del(*rest, "effective_on");
	json_object_del(*rest, "reason");
	json_object_del(*rest, "decided_by");
	if (take_decider(c, json_object_get(body, "decided_by"), e) < 0)
		return -1;
	if (why && !json_is_null(why) &&
	    (!json_is_string(why) || json_string_length(why) > 1000))
		return err_set(e, ERR_INVALID, "reason", "reason must be text of at most 1000 "
							  "characters");
	const char *reason = json_string_value(why);
	if (!on || json_is_null(on) || (json_is_string(on) && json_string_length(on) == 0)) {
		if (reason && *reason)
			return err_set(e, ERR_INVALID, "reason",
				       "reason explains a decision recorded late; give effective_on "
				       "too");
		return 0;
	}
	if (!json_is_string(on))
		return err_set(e, ERR_INVALID, "effective_on",
			       "effective_on must be a date written YYYY-MM-DD");
	if (record_check_effective(c, "effective_on", json_string_value(on), "reason", reason, e) <
	    0)
		return -1;
	snprintf(c->effective_on, sizeof c->effective_on, "%s", json_string_value(on));
	c->reason = reason && *reason ? reason : NULL;
	return 0;
}

static int apply_params(const struct action *a, const json_t *body, json_t *rec,
			struct err *e)
{
	const char *key;
	json_t *v;
	if (body && !json_is_object(body))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	json_object_foreach((json_t *)body, key, v) {
		bool known = false;
		for (size_t i = 0; i < a->nparams; i++)
			known = known || strcmp(a->params[i].name, key) == 0;
		if (!known)
			return err_set(e, ERR_INVALID, key, "the %s action takes no \"%s\"", a->name,
				       key);
	}
	for (size_t i = 0; i < a->nparams; i++) {
		const struct action_param *p = &a->params[i];
		json_t *pv = body ? json_object_get(body, p->name) : NULL;
		bool empty = !pv || json_is_null(pv) ||
			     (json_is_string(pv) && json_string_length(pv) == 0);
		if (empty && p->required)
			return err_set(e, ERR_INVALID, p->name, "%s needs \"%s\"", a->label, p->name);
		if (!empty)
			json_object_set(rec, p->field, pv);
	}
	return 0;
}

int record_act(struct ctx *c, const struct record_type *rt, long long id, const char *name,
	       const json_t *body, long long if_match, json_t **out, struct err *e)
{
	json_t *rec = NULL, *orig = NULL, *params = NULL;
	int ret = -1;
	*out = NULL;
	const struct action *a = find_action(rt, name);
	if (!a) {
		err_set(e, ERR_NOT_FOUND, NULL, "%s has no action \"%s\"", rt->label_plural, name);
		goto out;
	}
	if (record_load(c, rt, id, &rec, e) < 0)
		goto out;
	orig = json_deep_copy(rec);
	long long version = json_integer_value(json_object_get(rec, "version"));
	if (!actor_has(&c->actor, a->roles)) {
		err_set(e, ERR_FORBIDDEN, NULL, "your role (%s) may not %s this %s",
			registry_role_name(c->reg, c->actor.role), a->name, rt->label);
		goto out;
	}
	/* The decision's day comes first: authority is judged on the day it took effect. */
	if ((a->effective && !a->personal && actor_check_impartial(c, a->name, e) < 0) ||
	    take_effective(c, a, body, &params, e) < 0)
		goto out;
	if (a->permit && a->permit(c, rt, rec, e) < 0)
		goto out;
	if (if_match >= 0 && if_match != version) {
		err_set(e, ERR_STALE, NULL,
			"this %s was changed by someone else since you loaded it; reload it",
			rt->label);
		goto out;
	}
	const char *state = state_of(rt, rec);
	if (!from_ok(a, state)) {
		err_set(e, ERR_CONFLICT, rt->state_field, "cannot %s a %s whose status is %s",
			a->name, rt->label, state ? state : "not set");
		goto out;
	}
	if (apply_params(a, params, rec, e) < 0)
		goto out;
	for (int i = 0; a->requires && a->requires[i]; i++) {
		json_t *v = json_object_get(rec, a->requires[i]);
		if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)) ||
		    (json_is_array(v) && !json_array_size(v))) {
			const struct field *f = record_field(rt, a->requires[i]);
			err_set(e, ERR_INVALID, a->requires[i], "%s first needs %s", a->label,
				f ? f->label : a->requires[i]);
			goto out;
		}
	}
	if (a->guard && a->guard(c, rt, rec, e) < 0)
		goto out;
	if (rt->state_field && a->to)
		json_object_set_new(rec, rt->state_field, json_string(a->to));
	if (a->apply && a->apply(c, rt, rec, e) < 0)
		goto out;
	/* An action that leaves the record as it was (acknowledging a policy records the
	   acknowledgement elsewhere) is neither saved nor logged here. */
	if (!json_equal(rec, orig) &&
	    (record_check(c, rt, rec, orig, e) < 0 ||
	     record_save(c, rt, rec, version, a->name, params, e) < 0))
		goto out;
	if (record_decorate(c, rt, rec, e) < 0)
		goto out;
	*out = rec;
	rec = NULL;
	ret = 0;
out:
	c->effective_on[0] = '\0';
	c->reason = NULL;
	c->decided_by = 0;
	c->decided_by_name[0] = '\0';
	json_decref(rec);
	json_decref(orig);
	json_decref(params);
	return ret;
}

/* Whether a logged state differs from the one before it in anything but bookkeeping and
   the fields named (comments a reviewer may add). */
static bool content_changed(const json_t *before, const json_t *after,
			    const char *const *ignored)
{
	static const char *const bookkeeping[] = {"version", "updated_at", "created_at", NULL};
	const char *key;
	json_t *v;
	if (!before)
		return true;
	json_object_foreach((json_t *)after, key, v) {
		bool skip = false;
		for (int i = 0; bookkeeping[i]; i++)
			skip = skip || str_eq(key, bookkeeping[i]);
		for (int i = 0; ignored && ignored[i]; i++)
			skip = skip || str_eq(key, ignored[i]);
		if (!skip && !json_equal(v, json_object_get(before, key)))
			return true;
	}
	return false;
}

int record_check_four_eyes(struct ctx *c, const struct record_type *rt, long long id,
			   const char *const *ignored, const char *what, struct err *e)
{
	json_t *hist, *item, *before = NULL;
	size_t i;
	bool wrote = false;
	if (changes_history(c->store, rt->name, id, rt->label, &hist, e) < 0)
		return -1;
	json_array_foreach(json_object_get(hist, "items"), i, item) {
		const char *op = json_string_value(json_object_get(item, "op"));
		json_t *state = json_object_get(item, "state");
		wrote = wrote || ((str_eq(op, "create") || str_eq(op, "update")) &&
				  str_eq(json_string_value(json_object_get(item, "actor")),
					 ctx_decider(c)) &&
				  content_changed(before, state, ignored));
		before = state;
	}
	json_decref(hist);
	if (!wrote)
		return 0;
	return err_set(e, ERR_CONFLICT, NULL,
		       "%s wrote or changed this %s, so someone else must %s (four eyes)",
		       c->decided_by ? ctx_decider(c) : "you", rt->label, what);
}

int record_approve_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
			 struct err *e)
{
	if (str_eq(json_str(rec, "submitted_by"), ctx_decider(c)))
		return err_set(e, ERR_CONFLICT, NULL,
			       "%s submitted this %s, so someone else must approve it (four eyes)",
			       c->decided_by ? ctx_decider(c) : "you", rt->label);
	return record_check_four_eyes(c, rt, json_int(rec, "id"), NULL, "approve it", e);
}

int record_last_editor(struct ctx *c, const struct record_type *rt, long long id, char *out,
		       size_t size, struct err *e)
{
	static const char *const edits[] = {"create", "update", NULL};
	return changes_last_actor(c->store, rt->name, id, edits, out, size, e);
}

int record_supersede_others(struct ctx *c, const struct record_type *rt, const json_t *rec,
			    const char *group, const char *from, const char *to, const char *op,
			    struct err *e)
{
	struct query q = {.type = rt->name,
			  .where = {QEQ(rt->state_field, SVS(from)),
				    QNE("id", SVI(json_integer_value(json_object_get(rec, "id"))))}};
	if (group)
		q.where[2] = (struct query_cond)QEQ(
			group, SVI(json_integer_value(json_object_get(rec, group))));
	json_t *ids, *id;
	int rc = query_ids(c, &q, &ids, e);
	if (rc < 0)
		return -1;
	size_t i;
	json_array_foreach(ids, i, id) {
		json_t *old;
		if (rc < 0 || (rc = record_load(c, rt, json_integer_value(id), &old, e)) < 0)
			break;
		json_object_set_new(old, rt->state_field, json_string(to));
		rc = record_save(c, rt, old, json_integer_value(json_object_get(old, "version")), op,
				 NULL, e);
		json_decref(old);
	}
	json_decref(ids);
	return rc < 0 ? -1 : 0;
}

void record_stamp(const struct ctx *c, json_t *rec, const char *by_field, const char *on_field)
{
	char today[11];
	ctx_decision_day(c, today);
	json_object_set_new(rec, by_field, json_string(ctx_decider(c)));
	if (on_field)
		json_object_set_new(rec, on_field, json_string(today));
}

int record_submit_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "submitted_by", "submitted_on");
	return 0;
}

int record_unsubmit_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			  struct err *e)
{
	(void)c;
	(void)rt;
	(void)e;
	json_object_set_new(rec, "submitted_by", json_null());
	json_object_set_new(rec, "submitted_on", json_null());
	return 0;
}

int record_approve_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "approved_by", "approved_on");
	return 0;
}

int record_approve_superseding(struct ctx *c, const struct record_type *rt, json_t *rec,
			       struct err *e)
{
	record_approve_apply(c, rt, rec, e);
	return record_supersede_others(c, rt, rec, NULL, "approved", "superseded", "supersede", e);
}
