/* c6_2_objectives.c — 6.2: information security objectives and the results measured against
   them. An objective states what is to be achieved, the policy it serves, how it is measured
   (an inline metric and unit until 9.1 measures exist), baseline, target and direction, who
   owns it, what it needs, when it is due, how results are judged and who is told. It moves
   draft → active → achieved / not achieved / withdrawn; closing takes an evaluation. Its
   results are dated measurements; the latest one says whether it is on track. */
#include "c6_2_objectives.h"
#include "c9_1_measures.h"
#include "c9_3_review.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Measured values, targets and baselines are numbers with decimals (99.9 %), which no
   column type of the registry holds yet: they are FT_JSON values this file checks to be
   finite numbers (a whole value is kept as an integer). */
#define NUMBER_LIMIT 1e12

static const char *const levels[] = {"strategic", "tactical", "operational", NULL};
static const char *const directions[] = {"at_least", "at_most", NULL};
static const char *const frequencies[] = {"monthly", "quarterly", "half_yearly", "yearly", NULL};
static const char *const audiences[] = {"all_staff", "named", NULL};
static const char *const states[] = {"draft", "active", "achieved", "not_achieved", "withdrawn",
				     NULL};

static const struct field objective_fields[] = {
	{.name = "statement", .label = "Objective", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_SEARCH, .max_len = 300,
	 .help = "What is to be achieved, in one sentence a reader can check, e.g. \"Cut the "
		 "phishing click rate to 5 % or less by the end of 2026\"."},
	{.name = "policy", .label = "Consistent with policy", .type = FT_REF, .ref = "document",
	 .flags = F_INDEX,
	 .help = "The information security policy, or the topic-specific policy, this objective "
		 "serves."},
	{.name = "level", .label = "Level", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = levels, .def = "\"tactical\"",
	 .help = "Strategic (the organization's direction, set by top management), tactical (a "
		 "programme or a year's plan) or operational (day-to-day performance)."},
	{.name = "metric", .label = "Measure", .type = FT_TEXT, .flags = F_SEARCH, .max_len = 300,
	 .help = "What is measured and how, e.g. \"share of staff who clicked in the monthly "
		 "phishing exercise\". Until measures (9.1) are kept in isms, describe it here."},
	{.name = "measure", .label = "Measured by", .type = FT_REF, .ref = "measure",
	 .flags = F_SET_NULL | F_INDEX, .since = 4,
	 .help = "The measure (9.1) whose measurements track this objective, if any: while the "
		 "objective has no result of its own, the measure's latest measurement tells "
		 "whether it is on track."},
	{.name = "unit", .label = "Unit", .type = FT_TEXT, .max_len = 30,
	 .help = "The unit of the measure and of the target: %, days, incidents…"},
	{.name = "baseline", .label = "Baseline", .type = FT_JSON,
	 .help = "Where the measure stood when the objective was set: a number, e.g. 12.5."},
	{.name = "target", .label = "Target", .type = FT_JSON,
	 .help = "The value to reach: a number, e.g. 5 or 99.9. Needed before the objective "
		 "becomes active."},
	{.name = "direction", .label = "Direction", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = directions, .def = "\"at_least\"",
	 .help = "At least: a result meets the target when it is as high or higher (training "
		 "completion). At most: when it is as low or lower (click rate, days to patch)."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL | F_INDEX,
	 .help = "Who is responsible for achieving it; needed before it becomes active. Their "
		 "account may record its results."},
	{.name = "resources", .label = "Resources needed", .type = FT_TEXT, .max_len = 2000,
	 .help = "What it takes: people, budget, tools, time."},
	{.name = "due_on", .label = "Due", .type = FT_DATE, .flags = F_INDEX,
	 .help = "When it is to be achieved and evaluated; needed before it becomes active. "
		 "Once the day has come an active objective is due for its closing evaluation."},
	{.name = "evaluation_method", .label = "How results are evaluated", .type = FT_TEXT,
	 .max_len = 2000,
	 .help = "Who looks at the results, when and how, e.g. \"the Head of Security reviews "
		 "the monthly figure; the management review looks at the trend\"."},
	{.name = "frequency", .label = "Measured", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = frequencies, .def = "\"monthly\"",
	 .help = "How often a result is recorded: each active objective should have one within "
		 "its last period."},
	{.name = "audience", .label = "Communicated to", .type = FT_ENUM, .values = audiences,
	 .def = "\"all_staff\"",
	 .help = "Who is told about the objective and its progress: all staff, or the roles and "
		 "people named below."},
	{.name = "audience_roles", .label = "Audience roles", .type = FT_REFS, .ref = "role",
	 .flags = F_SET_NULL,
	 .help = "For the audience \"named\": the organization's roles whose holders are told."},
	{.name = "audience_people", .label = "Audience people", .type = FT_REFS, .ref = "person",
	 .flags = F_SET_NULL, .help = "For the audience \"named\": the people who are told."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = states, .def = "\"draft\"",
	 .help = "Draft, active (being pursued), achieved, not achieved or withdrawn; the last "
		 "three close it and keep it as it was."},
	{.name = "activated_on", .label = "Active since", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day it was made active."},
	{.name = "activated_by", .label = "Activated by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The account that made it active."},
	{.name = "evaluation", .label = "Closing evaluation", .type = FT_MARKDOWN,
	 .flags = F_READONLY,
	 .help = "Why it was judged achieved, not achieved or withdrawn, and what follows."},
	{.name = "closed_on", .label = "Closed on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day of the closing evaluation."},
	{.name = "closed_by", .label = "Closed by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The account that recorded the closing evaluation."},
	{.name = "latest_value", .label = "Latest result", .type = FT_JSON, .flags = F_DERIVED,
	 .help = "The value of the most recent result, or null."},
	{.name = "latest_on", .label = "Latest result on", .type = FT_DATE, .flags = F_DERIVED,
	 .help = "When the most recent result was measured."},
	{.name = "on_track", .label = "On track", .type = FT_BOOL, .flags = F_DERIVED | F_NULLABLE,
	 .help = "Whether the latest result meets the target in its direction; null without a "
		 "result or a target. Without results of its own, the latest measurement of its "
		 "measure counts."},
	{.name = "measure_status", .label = "Measure status", .type = FT_ENUM,
	 .flags = F_DERIVED, .values = (const char *const[]){"green", "amber", "red", "none", NULL},
	 .help = "Green, amber or red: the latest measurement of its measure against the "
		 "measure's thresholds; null without a measure."},
};

static bool is_editor(const struct ctx *c)
{
	return c->system || c->actor.role == ROLE_ADMIN || c->actor.role == ROLE_ISMS_MANAGER;
}

/* A number field: null, or a finite number within ±NUMBER_LIMIT; a whole value is kept as an
   integer so the change log and both stores write it the same way. */
static int check_number(json_t *rec, const char *field, const char *label, struct err *e)
{
	json_t *v = json_object_get(rec, field);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return err_set(e, ERR_INVALID, field, "%s must be a number, e.g. 95 or 99.9",
			       label);
	double d = json_number_value(v);
	if (!isfinite(d) || d > NUMBER_LIMIT || d < -NUMBER_LIMIT)
		return err_set(e, ERR_INVALID, field, "%s must be a number between -%.0f and %.0f",
			       label, NUMBER_LIMIT, NUMBER_LIMIT);
	if (json_is_real(v) && d == (double)(long long)d)
		json_object_set_new(rec, field, json_integer((json_int_t)d));
	return 0;
}

bool objective_meets(const json_t *objective, double value)
{
	double target = json_number_value(json_object_get(objective, "target"));
	return str_eq(json_str(objective, "direction"), "at_most") ? value <= target
								    : value >= target;
}

int objective_results(struct ctx *c, long long objective, json_t **out, struct err *e)
{
	struct query q = {.type = "objective_result",
			  .where = {QEQ("objective", SVI(objective))},
			  .order = "measured_on"};
	return query_records(c, &q, out, e);
}

static int objective_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			      const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	if (check_number(rec, "baseline", "Baseline", e) < 0 ||
	    check_number(rec, "target", "Target", e) < 0)
		return -1;
	long long policy = json_int(rec, "policy");
	if (policy) {
		json_t *doc;
		struct query q = {.type = "document", .where = {QEQ("id", SVI(policy))}};
		if (query_first(c, &q, &doc, e) < 0)
			return -1;
		const char *kind = doc ? json_str(doc, "kind") : NULL;
		bool ok = str_eq(kind, "information_security_policy") ||
			  str_eq(kind, "topic_specific_policy");
		json_decref(doc);
		if (!ok)
			return err_set(e, ERR_INVALID, "policy",
				       "Consistent with policy: name the information security "
				       "policy or a topic-specific policy, not another kind of "
				       "document");
	}
	if (str_eq(json_str(rec, "audience"), "named") &&
	    !json_array_size(json_object_get(rec, "audience_roles")) &&
	    !json_array_size(json_object_get(rec, "audience_people")))
		return err_set(e, ERR_INVALID, "audience_roles",
			       "Audience roles: name at least one role or person when the "
			       "objective is communicated to named roles and people");
	/* An active objective keeps what made it active. */
	if (str_eq(json_str(rec, "status"), "active")) {
		static const char *const kept[] = {"target", "owner", "due_on", NULL};
		static const char *const labels[] = {"Target", "Owner", "Due", NULL};
		for (int i = 0; kept[i]; i++) {
			json_t *v = json_object_get(rec, kept[i]);
			if (!v || json_is_null(v))
				return err_set(e, ERR_INVALID, kept[i],
					       "%s: an active objective needs one", labels[i]);
		}
	}
	return 0;
}

/* The latest result of an objective: its own, or else its measure's latest measurement
   (9.1). The caller owns *latest. */
static int objective_latest(struct ctx *c, const json_t *obj, json_t **latest, struct err *e)
{
	struct query q = {.type = "objective_result",
			  .where = {QEQ("objective", SVI(json_int(obj, "id")))},
			  .order = "-measured_on"};
	if (query_first(c, &q, latest, e) < 0)
		return -1;
	if (*latest || !json_int(obj, "measure"))
		return 0;
	return measure_latest(c, json_int(obj, "measure"), NULL, latest, NULL, e);
}

static int objective_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			      struct err *e)
{
	(void)rt;
	json_t *latest;
	if (objective_latest(c, rec, &latest, e) < 0)
		return -1;
	json_t *value = latest ? json_object_get(latest, "value") : NULL;
	bool measured = json_is_number(value);
	json_object_set_new(rec, "latest_value", measured ? json_incref(value) : json_null());
	json_object_set_new(rec, "latest_on",
			    measured ? json_string(json_str(latest, "measured_on")) : json_null());
	json_object_set_new(rec, "on_track",
			    measured && json_is_number(json_object_get(rec, "target"))
				    ? json_boolean(objective_meets(rec, json_number_value(value)))
				    : json_null());
	json_decref(latest);
	json_object_set_new(rec, "measure_status", json_null());
	long long measure = json_int(rec, "measure");
	if (measure && record_can_read(c, &measures_type)) {
		json_t *m, *ml;
		struct query mq = {.type = "measure", .where = {QEQ("id", SVI(measure))}};
		if (query_first(c, &mq, &m, e) < 0)
			return -1;
		if (measure_latest(c, measure, NULL, &ml, NULL, e) < 0) {
			json_decref(m);
			return -1;
		}
		json_t *mv = ml ? json_object_get(ml, "value") : NULL;
		json_set_str(rec, "measure_status",
			     m && json_is_number(mv) ? measure_status(m, json_number_value(mv))
						     : "none");
		json_decref(m);
		json_decref(ml);
	}
	return 0;
}

static int objective_before_delete(struct ctx *c, const struct record_type *rt,
				   const json_t *rec, struct err *e)
{
	(void)c;
	(void)rt;
	if (!str_eq(json_str(rec, "status"), "draft"))
		return err_set(e, ERR_CONFLICT, "status",
			       "only a draft objective can be deleted; withdraw this one instead, "
			       "with the reason");
	return 0;
}

static int stamp_activated(struct ctx *c, const struct record_type *rt, json_t *rec,
			   struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "activated_by", "activated_on");
	return 0;
}

static int stamp_closed(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "closed_by", "closed_on");
	return 0;
}

/* Achieved means the latest result says so: a result that misses the target is answered by
   a result that meets it, or by closing the objective as not achieved. */
static int achieve_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
			 struct err *e)
{
	(void)rt;
	struct query q = {.type = "objective_result",
			  .where = {QEQ("objective", SVI(json_int(rec, "id")))},
			  .order = "-measured_on"};
	json_t *latest;
	if (query_first(c, &q, &latest, e) < 0)
		return -1;
	json_t *value = latest ? json_object_get(latest, "value") : NULL;
	bool meets = json_is_number(value) && objective_meets(rec, json_number_value(value));
	json_decref(latest);
	if (!meets)
		return err_set(e, ERR_CONFLICT, "status",
			       "the latest result does not meet the target (or there is none yet); "
			       "record a result that meets it, or close the objective as not "
			       "achieved");
	return 0;
}

static const char *const from_draft[] = {"draft", NULL};
static const char *const from_active[] = {"active", NULL};
static const char *const from_open[] = {"draft", "active", NULL};
static const char *const activate_requires[] = {"target", "owner", "due_on", NULL};
static const struct action_param closing_params[] = {
	{.name = "evaluation", .field = "evaluation", .required = true},
};

#define DECIDERS (EDITORS | RB(ROLE_TOP_MANAGEMENT))

static const struct action objective_actions[] = {
	{.name = "activate", .label = "Activate",
	 .help = "The objective is agreed and pursued from now on; it needs a target, an owner "
		 "and a due date.",
	 .from = from_draft, .to = "active", .roles = DECIDERS, .requires = activate_requires,
	 .apply = stamp_activated, .effective = true},
	{.name = "achieve", .label = "Achieved",
	 .help = "The target is met: record the closing evaluation.",
	 .from = from_active, .to = "achieved", .roles = DECIDERS, .params = closing_params,
	 .nparams = COUNT_OF(closing_params), .guard = achieve_guard, .apply = stamp_closed,
	 .effective = true},
	{.name = "miss", .label = "Not achieved",
	 .help = "The objective closes without reaching its target: record the closing "
		 "evaluation, why it fell short and what follows.",
	 .from = from_active, .to = "not_achieved", .roles = DECIDERS, .params = closing_params,
	 .nparams = COUNT_OF(closing_params), .apply = stamp_closed, .effective = true},
	{.name = "withdraw", .label = "Withdraw",
	 .help = "The objective is no longer pursued (the business changed): record why.",
	 .from = from_open, .to = "withdrawn", .roles = DECIDERS, .params = closing_params,
	 .nparams = COUNT_OF(closing_params), .apply = stamp_closed, .effective = true},
};

static const char *const closed_states[] = {"achieved", "not_achieved", "withdrawn", NULL};
static const char *const not_due[] = {"draft", "achieved", "not_achieved", "withdrawn", NULL};
static const struct due_rule objective_due[] = {
	{.date_field = "due_on",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = not_due,
	 .what = "objective evaluation"},
	{0},
};

const struct record_type objectives_type = {
	.name = "objective",
	.plural = "objectives",
	.table = "objectives",
	.label = "objective",
	.label_plural = "objectives",
	.clause = "6.2",
	.help = "Information security objectives: what is to be achieved, consistent with the "
		"policy, measured against a target by a due date, owned, resourced, evaluated "
		"and communicated, with the results measured on the way.",
	.section = "6",
	.title_field = "statement",
	.default_sort = "due_on",
	.fields = objective_fields,
	.nfields = COUNT_OF(objective_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.state_field = "status",
	.frozen = closed_states,
	.due = objective_due,
	.actions = objective_actions,
	.nactions = COUNT_OF(objective_actions),
	.since = 3,
	.validate = objective_validate,
	.decorate = objective_decorate,
	.before_delete = objective_before_delete,
};

/* ---- Results ---------------------------------------------------------------------- */

static const struct field result_fields[] = {
	{.name = "objective", .label = "Objective", .type = FT_REF, .ref = "objective",
	 .flags = F_REQUIRED | F_INDEX, .help = "The objective measured."},
	{.name = "measured_on", .label = "Measured on", .type = FT_DATE,
	 .flags = F_REQUIRED | F_PAST | F_INDEX,
	 .help = "The day the value was measured (or the last day of the period it covers)."},
	{.name = "value", .label = "Value", .type = FT_JSON, .flags = F_REQUIRED,
	 .help = "The measured value in the objective's unit: a number, e.g. 7 or 99.95."},
	{.name = "note", .label = "Note", .type = FT_TEXT, .max_len = 2000,
	 .help = "What explains the figure, or where it comes from (a report, a ticket)."},
	{.name = "title", .label = "Result", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 600, .help = "The objective and the day; set by isms."},
};

static const char *const result_title[] = {"objective", "measured_on", NULL};

/* Editors record results of any objective; others only of the objectives they own, and no
   result of a closed objective changes. */
static int result_may_change(struct ctx *c, long long objective, struct err *e)
{
	json_t *obj;
	struct query q = {.type = "objective", .where = {QEQ("id", SVI(objective))}};
	if (query_first(c, &q, &obj, e) < 0)
		return -1;
	if (!obj)
		return err_set(e, ERR_INVALID, "objective", "Objective: there is no objective %lld",
			       objective);
	bool closed = !str_eq(json_str(obj, "status"), "draft") &&
		      !str_eq(json_str(obj, "status"), "active");
	bool owner = c->actor.person_id && c->actor.person_id == json_int(obj, "owner");
	json_decref(obj);
	if (closed)
		return err_set(e, ERR_CONFLICT, "objective",
			       "Objective: it is closed, and its results stay as they were "
			       "evaluated");
	if (!is_editor(c) && !owner)
		return err_set(e, ERR_FORBIDDEN, "objective",
			       "Objective: only its owner or an ISMS manager records its results");
	return 0;
}

static int result_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   const json_t *old, struct err *e)
{
	(void)rt;
	long long objective = json_int(rec, "objective");
	if (old && objective != json_int(old, "objective"))
		return err_set(e, ERR_INVALID, "objective",
			       "Objective: a result stays with its objective; record a new one for "
			       "the other objective");
	if (check_number(rec, "value", "Value", e) < 0 || result_may_change(c, objective, e) < 0)
		return -1;
	long long same;
	struct query q = {.type = "objective_result",
			  .where = {QEQ("objective", SVI(objective)),
				    QEQ("measured_on", SVS(json_str(rec, "measured_on"))),
				    QNE("id", SVI(json_int(rec, "id")))}};
	if (query_count(c, &q, &same, e) < 0)
		return -1;
	if (same)
		return err_set(e, ERR_CONFLICT, "measured_on",
			       "Measured on: this objective already has a result for that day; "
			       "change that one instead");
	return 0;
}

static int result_before_delete(struct ctx *c, const struct record_type *rt, const json_t *rec,
				struct err *e)
{
	(void)rt;
	return result_may_change(c, json_int(rec, "objective"), e);
}

const struct record_type objective_results_type = {
	.name = "objective_result",
	.plural = "objective-results",
	.table = "objective_results",
	.label = "objective result",
	.label_plural = "objective results",
	.clause = "6.2",
	.help = "Dated measurements of an objective against its target: the progress evaluated "
		"on the way to the due date.",
	.section = "6",
	.title_field = "title",
	.title_from = result_title,
	.default_sort = "-measured_on",
	.fields = result_fields,
	.nfields = COUNT_OF(result_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_TOP_MANAGEMENT) | RB(ROLE_RISK_OWNER) |
		       RB(ROLE_CONTROL_OWNER),
	.since = 3,
	.validate = result_validate,
	.before_delete = result_before_delete,
};

static const struct record_type *const c6_2_types[] = {
	&objectives_type,
	&objective_results_type,
};

/* The register first: the navigation's Reports entry for the objectives page takes its
   title. */
static const struct view *const c6_2_views[] = {
	&objective_register_view,
	&objective_trend_view,
};

/* 9.3.2 d: the fulfilment of the objectives: each one's status, and for active ones
   whether they are on track. */
static int objectives_review_inputs(struct ctx *c, const char *since, const char *until,
				    json_t *inputs, struct err *e)
{
	(void)since;
	(void)until;
	json_t *recs = NULL, *items = json_array();
	long long achieved = 0, missed = 0, active = 0;
	char summary[300];
	int rc = -1;
	if (!record_can_read(c, &objectives_type)) {
		rc = 0;
		goto cleanup;
	}
	static const char *const shown[] = {"active", "achieved", "not_achieved", NULL};
	struct query q = {.type = "objective", .where = {QIN_TEXT("status", shown)},
			  .order = "due_on"};
	if (query_records(c, &q, &recs, e) < 0)
		goto cleanup;
	size_t i;
	json_t *r;
	json_array_foreach(recs, i, r) {
		const char *st = json_text(r, "status");
		char detail[120];
		achieved += str_eq(st, "achieved");
		missed += str_eq(st, "not_achieved");
		active += str_eq(st, "active");
		snprintf(detail, sizeof detail, "%s%s%s",
			 str_eq(st, "not_achieved") ? "not achieved" : st,
			 json_str(r, "due_on") ? ", due " : "", json_text(r, "due_on"));
		json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s}", "type",
							objectives_type.plural, "id",
							(json_int_t)json_int(r, "id"), "title",
							json_text(r, "statement"), "detail", detail));
	}
	if (json_array_size(recs))
		snprintf(summary, sizeof summary,
			 "%lld of %lld closed objectives achieved, %lld missed; %lld active.",
			 achieved, achieved + missed, missed, active);
	else
		snprintf(summary, sizeof summary, "No objective is active or closed yet.");
	review_entry_add(inputs, "d", "6.2", "Fulfilment of information security objectives",
			 summary, items);
	items = NULL;
	rc = 0;
cleanup:
	json_decref(recs);
	json_decref(items);
	return rc;
}

const struct module c6_2_module = {
	.clause = "6.2",
	.title = "Information security objectives and planning to achieve them",
	.file = __FILE__,
	.types = c6_2_types,
	.ntypes = COUNT_OF(c6_2_types),
	.views = c6_2_views,
	.nviews = COUNT_OF(c6_2_views),
	.checks = objective_checks,
	.review_inputs = objectives_review_inputs,
};
