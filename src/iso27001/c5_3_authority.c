/* c5_3_authority.c — who may decide: the authority to approve, accept or sign comes from the
   organization's roles (5.3) that the actor's person holds on the day the decision took
   effect, never from the account's application roles. Top management holds every
   authority; other roles carry named ones (approves documents, approves scope and SoA,
   accepts risks up to a level) or are named by the record being decided. */
#include "c5_leadership.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const char *const grant_fields[] = {
	[AUTH_NAMED_ONLY] = NULL,
	[AUTH_APPROVE_DOCUMENTS] = "approves_documents",
	[AUTH_APPROVE_SCOPE_SOA] = "approves_scope_soa",
};

static const char *const grant_words[] = {
	[AUTH_NAMED_ONLY] = NULL,
	[AUTH_APPROVE_DOCUMENTS] = "a role that approves documents",
	[AUTH_APPROVE_SCOPE_SOA] = "a role that approves the scope and the SoA",
};

/* The roles of the decider: the person a decision is recorded for, or the actor's own. */
int authority_roles_held(struct ctx *c, const char *day, json_t **out, struct err *e)
{
	json_t *ids;
	*out = NULL;
	long long person = ctx_decider_person(c);
	if (!person) {
		*out = json_array();
		return 0;
	}
	struct query held = {.type = "role_assignment",
			     .where = {QEQ("person", SVI(person)),
				       QLE("starts_on", SVS(day)), QGE_OR_NULL("ends_on", SVS(day))}};
	if (query_values(c, &held, "role", &ids, e) < 0)
		return -1;
	struct query roles = {.type = "role", .where = {QIN("id", ids)}};
	int rc = query_records(c, &roles, out, e);
	json_decref(ids);
	return rc;
}

/* Why the actor may not: who they are, what they would need, on which day. */
static int refuse(struct ctx *c, const char *what, const char *needed, const char *day,
		  struct err *e)
{
	if (c->decided_by)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "to %s one must hold %s on %s; %s held no such role that day (see "
			       "Roles and their holders)",
			       what, needed, day, c->decided_by_name);
	if (!c->actor.person_id)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "to %s you must hold %s on %s; your account is linked to no person "
			       "of the organization, so it holds no role (link it under Users)",
			       what, needed, day);
	return err_set(e, ERR_FORBIDDEN, NULL,
		       "to %s you must hold %s on %s; the roles assigned to you that day do "
		       "not include it (see Roles and their holders)",
		       what, needed, day);
}

int authority_check(struct ctx *c, long long role, enum authority grant, const char *what,
		    struct err *e)
{
	char day[11], needed[300];
	json_t *held, *r;
	size_t i;
	bool ok = false;
	if (c->system)
		return 0;
	ctx_decision_day(c, day);
	if (authority_roles_held(c, day, &held, e) < 0)
		return -1;
	json_array_foreach(held, i, r) {
		const char *flag = grant_fields[grant];
		ok = ok || json_is_true(json_object_get(r, "top_management")) ||
		     (role && json_int(r, "id") == role) ||
		     (!role && flag && json_is_true(json_object_get(r, flag)));
	}
	json_decref(held);
	if (ok)
		return 0;
	if (role) {
		char name[200] = "";
		if (record_title_of(c, registry_find(c->reg, "role"), role, name, sizeof name, e) < 0)
			return -1;
		snprintf(needed, sizeof needed, "the role \"%s\" or a top-management role", name);
	} else if (grant_words[grant]) {
		snprintf(needed, sizeof needed, "a top-management role or %s", grant_words[grant]);
	} else {
		snprintf(needed, sizeof needed, "a top-management role");
	}
	return refuse(c, what, needed, day, e);
}
