/* c10_2_corrective_actions.c — 10.2 d: the corrective actions of a nonconformity, each with
   an owner and a due day; evidence hangs on them as attachments. An open action past its
   due day is overdue and due to its owner. Editors record actions; an action's owner, whatever
   their account's role, records its progress (status, done on) and nothing else. Once the nonconformity is closed or rejected its
   actions are evidence: no more adding, changing or deleting them. */
#include "c10_2_nonconformity.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

static const char *const action_states[] = {"planned", "in_progress", "done", "cancelled",
					    NULL};

static const struct field ca_fields[] = {
	{.name = "nonconformity", .label = "Nonconformity", .type = FT_REF,
	 .ref = "nonconformity", .flags = F_REQUIRED | F_INDEX,
	 .help = "The nonconformity whose cause this action removes."},
	{.name = "description", .label = "Action", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_SEARCH, .max_len = 1000,
	 .help = "What will be done to remove the cause, e.g. \"Add a threat-model gate to the "
		 "epic definition of done\"."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX, .help = "Who sees to it that the action gets done."},
	{.name = "due_on", .label = "Due", .type = FT_DATE, .flags = F_REQUIRED | F_INDEX,
	 .help = "When it should be done; an open action after this day is overdue."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = action_states, .def = "\"planned\"",
	 .help = "Planned, in progress, done or cancelled."},
	{.name = "done_on", .label = "Done on", .type = FT_DATE, .flags = F_PAST,
	 .help = "The day it was completed: required once it is done, and only then. Attach the "
		 "evidence to the action."},
	{.name = "overdue", .label = "Overdue", .type = FT_BOOL, .flags = F_DERIVED,
	 .help = "Past its due day (UTC) and neither done nor cancelled."},
};

static bool is_state(const json_t *rec, const char *state)
{
	const char *s = json_str(rec, "status");
	return s && strcmp(s, state) == 0;
}

/* 409 when the nonconformity id is closed or rejected: its actions are evidence now. */
static int check_nc_open(struct ctx *c, long long id, struct err *e)
{
	json_t *nc = NULL;
	if (!id)
		return 0;
	if (record_get_stored(c, &nonconformities_type, id, &nc, e) < 0) {
		if (e->code != ERR_NOT_FOUND)
			return -1;
		err_clear(e); /* the reference check names a missing nonconformity */
		return 0;
	}
	const char *s = json_str(nc, "status");
	int rc = 0;
	if (s && (strcmp(s, "closed") == 0 || strcmp(s, "rejected") == 0))
		rc = err_set(e, ERR_CONFLICT, "nonconformity",
			     "nonconformity #%lld is %s: its corrective actions are evidence now and "
			     "no longer change",
			     id, s);
	json_decref(nc);
	return rc;
}

static bool is_editor(const struct ctx *c)
{
	return c->system || actor_has(&c->actor, EDITORS);
}

static bool owns(const struct ctx *c, const json_t *rec)
{
	return c->actor.person_id && c->actor.person_id == json_int(rec, "owner");
}

/* Editors change any action; its owner may open it for progress. */
static int ca_can_change(struct ctx *c, const struct record_type *rt, const json_t *rec,
			 struct err *e)
{
	(void)rt;
	if (is_editor(c) || owns(c, rec))
		return 0;
	return err_set(e, ERR_FORBIDDEN, NULL,
		       "only an ISMS manager, an administrator or the action's owner may change "
		       "a corrective action");
}

/* What an owner who is not an editor may change: the progress. */
static int check_owner_change(const struct ctx *c, const json_t *rec, const json_t *old,
			      struct err *e)
{
	static const char *const fixed[] = {"nonconformity", "description", "owner", "due_on",
					    NULL};
	if (is_editor(c))
		return 0;
	if (!old)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "your role (%s) may not record corrective actions; an ISMS manager "
			       "does",
			       registry_role_name(c->reg, c->actor.role));
	for (int i = 0; fixed[i]; i++)
		if (!json_equal(json_object_get(rec, fixed[i]), json_object_get(old, fixed[i])))
			return err_set(e, ERR_FORBIDDEN, fixed[i],
				       "%s: as the action's owner you record its progress (status, "
				       "done on); an ISMS manager changes the rest",
				       fixed[i]);
	return 0;
}

static int ca_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
		       const json_t *old, struct err *e)
{
	(void)rt;
	if (check_owner_change(c, rec, old, e) < 0)
		return -1;
	if (is_state(rec, "done") && !json_str(rec, "done_on"))
		return err_set(e, ERR_INVALID, "done_on", "done_on: say when the action was done");
	if (!is_state(rec, "done") && json_str(rec, "done_on"))
		return err_set(e, ERR_INVALID, "done_on",
			       "done_on: an action that is not done has no day it was done; clear "
			       "it or mark the action done");
	if (old && json_int(old, "nonconformity") != json_int(rec, "nonconformity") &&
	    check_nc_open(c, json_int(old, "nonconformity"), e) < 0)
		return -1;
	return check_nc_open(c, json_int(rec, "nonconformity"), e);
}

static int ca_before_delete(struct ctx *c, const struct record_type *rt, const json_t *rec,
			    struct err *e)
{
	(void)rt;
	if (!is_editor(c))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only an ISMS manager or an administrator deletes a corrective "
			       "action");
	return check_nc_open(c, json_int(rec, "nonconformity"), e);
}

static int ca_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
		       struct err *e)
{
	(void)rt;
	(void)e;
	char today[11];
	ctx_today(c, today);
	const char *due = json_str(rec, "due_on");
	bool open = !is_state(rec, "done") && !is_state(rec, "cancelled");
	json_object_set_new(rec, "overdue", json_boolean(open && due && strcmp(due, today) < 0));
	return 0;
}

static const char *const ca_closed[] = {"done", "cancelled", NULL};
static const struct due_rule ca_due[] = {
	{.date_field = "due_on",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = ca_closed,
	 .what = "corrective action due"},
	{0},
};

const struct record_type corrective_actions_type = {
	.name = "corrective_action",
	.plural = "corrective-actions",
	.table = "corrective_actions",
	.label = "corrective action",
	.label_plural = "corrective actions",
	.clause = "10.2",
	.help = "What is done to remove the cause of each nonconformity, by whom and by when.",
	.section = "10",
	.title_field = "description",
	.default_sort = "due_on",
	.fields = ca_fields,
	.nfields = COUNT_OF(ca_fields),
	.read_roles = ROLES_ALL,
	.write_roles = ROLES_ALL, /* editors, and owners for progress (ca_can_change) */
	.due = ca_due,
	.since = 4,
	.validate = ca_validate,
	.decorate = ca_decorate,
	.before_delete = ca_before_delete,
	.can_change = ca_can_change,
};
