/* treatment.c — the risk treatment plan (6.1.3 e, 8.3): actions that carry out the chosen
   treatment of a risk, usually by putting an applied control in place. An action that is
   done needs the day it was done; an open action past its due date is overdue. */
#include "c6_1_3_treatment.h"
#include "../engine/query.h"
#include "c9_3_review.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

static const char *const action_states[] = {"planned", "in_progress", "done", "cancelled",
					    NULL};

static const struct field treatment_action_fields[] = {
	{.name = "risk", .label = "Risk", .type = FT_REF, .ref = "risk", .flags = F_REQUIRED,
	 .help = "The risk this action treats."},
	{.name = "control", .label = "Applied control", .type = FT_REF, .ref = "control",
	 .flags = F_SET_NULL,
	 .help = "The applied control the action puts in place or improves, if any."},
	{.name = "action", .label = "Action", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 500,
	 .help = "What will be done, e.g. \"Enable MFA for all administrator accounts\"."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .help = "Who sees to it that the action gets done."},
	{.name = "due_date", .label = "Due date", .type = FT_DATE, .flags = F_INDEX,
	 .help = "When the action should be done; an open action after this day is overdue."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = action_states, .def = "\"planned\"",
	 .help = "Planned, in progress, done or cancelled."},
	{.name = "done_on", .label = "Done on", .type = FT_DATE, .flags = F_PAST,
	 .help = "The day the action was completed; required once it is done, and only then."},
	{.name = "overdue", .label = "Overdue", .type = FT_BOOL, .flags = F_DERIVED,
	 .help = "Past its due date (UTC) and neither done nor cancelled."},
};

static bool is_state(const json_t *rec, const char *state)
{
	const char *s = json_str(rec, "status");
	return s && strcmp(s, state) == 0;
}

static int treatment_action_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
				     const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	if (is_state(rec, "done") && !json_str(rec, "done_on"))
		return err_set(e, ERR_INVALID, "done_on",
			       "Done on: say when the action was done");
	if (!is_state(rec, "done") && json_str(rec, "done_on"))
		return err_set(e, ERR_INVALID, "done_on",
			       "Done on: an action that is not done has no day it was done; clear it "
			       "or mark the action done");
	return 0;
}

static int treatment_action_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
				     struct err *e)
{
	(void)rt;
	(void)e;
	char today[11];
	ctx_today(c, today);
	const char *due = json_str(rec, "due_date");
	bool open = !is_state(rec, "done") && !is_state(rec, "cancelled");
	json_object_set_new(rec, "overdue", json_boolean(open && due && strcmp(due, today) < 0));
	return 0;
}

/* The plan the owner approved is the risk's treatment with its actions: an action added,
   removed, or changed in what, by whom, by when or for which risk or control (not its
   progress) needs the owner's approval again. */
static int reset_plan(struct ctx *c, long long risk_id, struct err *e)
{
	const struct record_type *risks = registry_find(c->reg, "risk");
	json_t *risk;
	if (!risks || !risk_id || record_get_stored(c, risks, risk_id, &risk, e) < 0)
		return risks && risk_id ? -1 : 0;
	int rc = 0;
	if (json_str(risk, "plan_approved_on")) {
		json_object_set_new(risk, "plan_approved_by", json_null());
		json_object_set_new(risk, "plan_approved_on", json_null());
		rc = record_save(c, risks, risk, json_int(risk, "version"), "plan_changed", NULL, e);
	}
	json_decref(risk);
	return rc;
}

static int treatment_action_after_write(struct ctx *c, const struct record_type *rt,
					const json_t *rec, const json_t *input, struct err *e)
{
	(void)rt;
	static const char *const plan[] = {"risk", "control", "action", "owner", "due_date", NULL};
	bool touched = false;
	for (int i = 0; plan[i]; i++)
		touched = touched || json_object_get(input, plan[i]) != NULL;
	if (!touched)
		return 0;
	return reset_plan(c, json_int(rec, "risk"), e);
}

static int treatment_action_before_delete(struct ctx *c, const struct record_type *rt,
					  const json_t *rec, struct err *e)
{
	(void)rt;
	return reset_plan(c, json_int(rec, "risk"), e);
}

static const char *const treatment_closed[] = {"done", "cancelled", NULL};
static const struct due_rule treatment_due[] = {
	{.date_field = "due_date",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = treatment_closed,
	 .what = "treatment action due"},
	{0},
};

const struct record_type treatment_actions_type = {
	.name = "treatment_action",
	.plural = "treatment-actions",
	.table = "treatment_actions",
	.label = "treatment action",
	.label_plural = "treatment plan",
	.clause = "6.1.3 e, 8.3",
	.help = "The risk treatment plan: who does what by when to treat each risk, and how far "
		"it has got.",
	.section = "6",
	.title_field = "action",
	.default_sort = "due_date",
	.fields = treatment_action_fields,
	.nfields = sizeof treatment_action_fields / sizeof treatment_action_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER) | RB(ROLE_RISK_OWNER) |
		       RB(ROLE_CONTROL_OWNER),
	.since = 1,
	.validate = treatment_action_validate,
	.decorate = treatment_action_decorate,
	.after_write = treatment_action_after_write,
	.before_delete = treatment_action_before_delete,
	.due = treatment_due,
};

/* 9.3.2 f: the status of the risk treatment plan: actions by status, the overdue ones by
   name. */
int treatment_review_inputs(struct ctx *c, const char *since, const char *until,
			    json_t *inputs, struct err *e)
{
	(void)since;
	json_t *recs = NULL, *items = json_array();
	long long n[4] = {0}, late = 0;
	static const char *const states[] = {"planned", "in_progress", "done", "cancelled"};
	char summary[400];
	int rc = -1;
	if (!record_can_read(c, &treatment_actions_type)) {
		rc = 0;
		goto cleanup;
	}
	struct query q = {.type = "treatment_action", .order = "due_date"};
	if (query_records(c, &q, &recs, e) < 0)
		goto cleanup;
	size_t i;
	json_t *r;
	json_array_foreach(recs, i, r) {
		const char *st = json_text(r, "status"), *due = json_str(r, "due_date");
		for (int k = 0; k < 4; k++)
			n[k] += strcmp(st, states[k]) == 0;
		if ((strcmp(st, "planned") == 0 || strcmp(st, "in_progress") == 0) && due &&
		    strcmp(due, until) < 0) {
			late++;
			if (json_array_size(items) < 25) {
				char detail[80];
				snprintf(detail, sizeof detail, "overdue since %s", due);
				json_array_append_new(
					items, json_build("{s:s, s:I, s:s, s:s}", "type",
							  treatment_actions_type.plural, "id",
							  (json_int_t)json_int(r, "id"), "title",
							  json_text(r, "action"), "detail", detail));
			}
		}
	}
	if (json_array_size(recs))
		snprintf(summary, sizeof summary,
			 "%zu treatment action%s: %lld planned, %lld in progress, %lld done, %lld "
			 "cancelled; %lld overdue.",
			 json_array_size(recs), json_array_size(recs) == 1 ? "" : "s", n[0], n[1],
			 n[2], n[3], late);
	else
		snprintf(summary, sizeof summary, "The risk treatment plan holds no actions.");
	review_entry_add(inputs, "f", "6.1.3", "Status of the risk treatment plan", summary, items);
	items = NULL;
	rc = 0;
cleanup:
	json_decref(recs);
	json_decref(items);
	return rc;
}
