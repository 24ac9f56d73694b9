/* c10_2_nonconformity.c — 10.2: nonconformities. One records a requirement that was not met
   and where it came to light (an audit finding, an incident, a failed activity, a complaint,
   monitoring, or the organization's own finding), then follows it through: the correction
   and how its consequences were dealt with, the root cause (five whys, a cause category)
   and where else it could occur, corrective actions (c10_2_corrective_actions.c), any change
   to the ISMS it needs (a 6.3 change), and an effectiveness review by someone other than
   those who own it. It closes only after a review found the actions effective.
   States: open → corrected → analysed → acting → verifying → closed; or rejected when it
   turns out not to be a nonconformity (with the reason, kept as evidence). */
#include "c10_2_nonconformity.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const char *const sources[] = {"audit_finding", "incident",   "activity_run",
				      "complaint",     "monitoring", "self_identified",
				      NULL};
static const char *const severities[] = {"major", "minor", NULL};
static const char *const categories[] = {"people",        "process", "technology", "supplier",
					 "documentation", "other",   NULL};
static const char *const results[] = {"effective", "not_effective", NULL};
static const char *const nc_states[] = {"open",      "corrected", "analysed", "acting",
					"verifying", "closed",    "rejected", NULL};
static const char *const frozen_states[] = {"closed", "rejected", NULL};

static const char *const from_open[] = {"open", NULL};
static const char *const from_open_corrected[] = {"open", "corrected", NULL};
static const char *const from_analysed[] = {"analysed", NULL};
static const char *const from_analysed_acting[] = {"analysed", "acting", NULL};
static const char *const from_verifying[] = {"verifying", NULL};
static const char *const from_before_actions[] = {"open", "corrected", "analysed", NULL};

#define MAX_WHYS 5
#define WHY_MAX_LEN 500

static const struct field nc_fields[] = {
	{.name = "title", .label = "Nonconformity", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_SEARCH, .max_len = 200,
	 .help = "Names it in a few words, e.g. \"Threat models missing for sampled epics\"."},
	{.name = "source", .label = "Source", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = sources,
	 .help = "Where it came to light: an audit finding, an incident, an activity that failed "
		 "or was missed, a complaint, monitoring, or the organization's own finding."},
	{.name = "source_detail", .label = "Source detail", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 500,
	 .help = "Which finding, incident, complaint or run, e.g. \"Internal audit 2026, finding "
		 "3\"."},
	{.name = "requirement", .label = "Requirement not met", .type = FT_MARKDOWN,
	 .flags = F_REQUIRED | F_SEARCH,
	 .help = "What was required and what was found instead: the policy, procedure, clause or "
		 "control, and the evidence that it was not met."},
	{.name = "clause", .label = "Clause or control", .type = FT_TEXT, .flags = F_INDEX,
	 .max_len = 20,
	 .help = "The clause of the standard or the Annex A control concerned, if any, e.g. "
		 "\"8.1\" or \"A.8.25\"."},
	{.name = "severity", .label = "Severity", .type = FT_ENUM, .flags = F_INDEX,
	 .values = severities,
	 .help = "Major (a requirement not met at all, or a breakdown that puts the ISMS's "
		 "results in doubt) or minor (a lapse). Needed for audit findings."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL | F_INDEX,
	 .help = "Who sees the nonconformity through to its closure."},
	{.name = "detected_on", .label = "Detected on", .type = FT_DATE,
	 .flags = F_PAST | F_INDEX,
	 .help = "The day it came to light (today when left empty); never after today."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = nc_states, .def = "\"open\"",
	 .help = "Open, corrected, cause analysed, corrective actions under way, effectiveness "
		 "being verified, closed; or rejected when it proved not to be a "
		 "nonconformity."},
	{.name = "correction", .label = "Correction", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What was done at once to contain and correct it."},
	{.name = "consequences", .label = "Consequences dealt with", .type = FT_MARKDOWN,
	 .help = "What followed from it and how that was handled (people told, data restored, "
		 "records fixed)."},
	{.name = "corrected_on", .label = "Corrected on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day the correction was recorded as done."},
	{.name = "root_cause", .label = "Root cause", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Why it happened, at the level where a change stops it happening again."},
	{.name = "cause_category", .label = "Cause category", .type = FT_ENUM, .flags = F_INDEX,
	 .values = categories,
	 .help = "The kind of cause: people, process, technology, supplier, documentation or "
		 "other. Categories that recur point to a weakness of the ISMS."},
	{.name = "five_whys", .label = "Five whys", .type = FT_JSON,
	 .help = "The chain of \"why?\" answers that led to the root cause: a list of up to five "
		 "short texts."},
	{.name = "similar_elsewhere", .label = "Similar cases elsewhere", .type = FT_MARKDOWN,
	 .help = "Whether the same could occur, or has occurred, elsewhere, and what was checked."},
	{.name = "no_action_reason", .label = "Why no corrective action", .type = FT_MARKDOWN,
	 .help = "When the analysis concludes that no corrective action is needed (a one-off "
		 "with no cause left to remove): why. Without it, effectiveness is verified only "
		 "after corrective actions."},
	{.name = "analysed_on", .label = "Analysed on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day the cause analysis was recorded."},
	{.name = "isms_change", .label = "ISMS change", .type = FT_REF, .ref = "isms_change",
	 .flags = F_SET_NULL,
	 .help = "The planned change to the ISMS (6.3) this nonconformity calls for, if any."},
	{.name = "review_result", .label = "Effectiveness", .type = FT_ENUM,
	 .flags = F_READONLY | F_INDEX, .values = results,
	 .help = "The result of the latest effectiveness review: effective, or not effective "
		 "(the nonconformity goes back to corrective action)."},
	{.name = "reviewed_on", .label = "Effectiveness reviewed on", .type = FT_DATE,
	 .flags = F_READONLY, .help = "The day of the latest effectiveness review."},
	{.name = "reviewer", .label = "Effectiveness reviewed by", .type = FT_REF, .ref = "person",
	 .flags = F_READONLY | F_SET_NULL,
	 .help = "Who reviewed the effectiveness: never the nonconformity's owner nor an owner "
		 "of its corrective actions."},
	{.name = "review_evidence", .label = "Effectiveness evidence", .type = FT_MARKDOWN,
	 .flags = F_READONLY,
	 .help = "What the latest review looked at and found (samples, records, results)."},
	{.name = "reviews", .label = "Effectiveness reviews", .type = FT_JSON, .flags = F_READONLY,
	 .help = "Every effectiveness review, oldest first: {on, reviewer, reviewer_name, "
		 "result, evidence, recorded_at}."},
	{.name = "closed_on", .label = "Closed on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day it was closed, or rejected."},
	{.name = "closed_by", .label = "Closed by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 200, .help = "Who closed or rejected it."},
	{.name = "reject_reason", .label = "Why rejected", .type = FT_MARKDOWN,
	 .flags = F_READONLY,
	 .help = "Why it proved not to be a nonconformity."},
};

static bool has_text(const json_t *rec, const char *field)
{
	const char *s = json_str(rec, field);
	return s && *s;
}

/* five_whys: JSON null, or a list of at most five non-empty texts. */
static int check_whys(const json_t *v, struct err *e)
{
	size_t i;
	json_t *w;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > MAX_WHYS)
		return err_set(e, ERR_INVALID, "five_whys",
			       "five_whys must be a list of at most %d texts", MAX_WHYS);
	json_array_foreach(v, i, w) {
		if (!json_is_string(w) || !json_string_length(w) ||
		    json_string_length(w) > WHY_MAX_LEN)
			return err_set(e, ERR_INVALID, "five_whys",
				       "five_whys: answer %zu must be a text of 1 to %d characters",
				       i + 1, WHY_MAX_LEN);
	}
	return 0;
}

static int nc_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
		       const json_t *old, struct err *e)
{
	(void)rt;
	char today[11];
	const char *source = json_str(rec, "source");
	if (check_whys(json_object_get(rec, "five_whys"), e) < 0)
		return -1;
	if (source && strcmp(source, "audit_finding") == 0 && !json_str(rec, "severity"))
		return err_set(e, ERR_INVALID, "severity",
			       "severity: a nonconformity from an audit finding is major or minor");
	if (!json_str(rec, "detected_on")) {
		ctx_today(c, today);
		json_set_str(rec, "detected_on", old && json_str(old, "detected_on")
							 ? json_str(old, "detected_on")
							 : today);
	}
	return 0;
}

int nonconformity_open(struct ctx *c, const json_t *fields, long long *id, struct err *e)
{
	json_t *out = NULL;
	*id = 0;
	if (record_create(c, &nonconformities_type, fields, &out, e) < 0)
		return -1;
	*id = json_int(out, "id");
	json_decref(out);
	return 0;
}

/* --- the workflow --------------------------------------------------------------------- */

static int stamp_day(struct ctx *c, json_t *rec, const char *field)
{
	char day[11];
	ctx_decision_day(c, day);
	json_set_str(rec, field, day);
	return 0;
}

static int correct_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	(void)rt;
	(void)e;
	return stamp_day(c, rec, "corrected_on");
}

static int analyse_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	(void)rt;
	(void)e;
	return stamp_day(c, rec, "analysed_on");
}

/* The corrective actions of nonconformity id that are not cancelled: how many, and how
   many of them are not done yet. */
static int count_actions(struct ctx *c, long long id, long long *live, long long *open,
			 struct err *e)
{
	static const char *const not_cancelled[] = {"cancelled", NULL};
	static const char *const unfinished[] = {"planned", "in_progress", NULL};
	struct query q_live = {.type = "corrective_action",
			       .where = {QEQ("nonconformity", SVI(id)),
					 QNOT_IN_TEXT("status", not_cancelled)}};
	struct query q_open = {.type = "corrective_action",
			       .where = {QEQ("nonconformity", SVI(id)),
					 QIN_TEXT("status", unfinished)}};
	return query_count(c, &q_live, live, e) < 0 || query_count(c, &q_open, open, e) < 0 ? -1
											   : 0;
}

/* Corrective action starts once there is some. */
static int act_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
		     struct err *e)
{
	(void)rt;
	long long live, open;
	if (count_actions(c, json_int(rec, "id"), &live, &open, e) < 0)
		return -1;
	if (!live)
		return err_set(e, ERR_CONFLICT, "status",
			       "corrective action needs at least one corrective action: add one "
			       "first (or record why none is needed and verify effectiveness)");
	return 0;
}

/* Effectiveness is verified after the actions: each one done, at least one of them, unless
   the analysis recorded why none is needed. After a review found them not effective, a new
   action is needed first. */
static int verify_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
			struct err *e)
{
	(void)rt;
	long long id = json_int(rec, "id"), live, open;
	if (count_actions(c, id, &live, &open, e) < 0)
		return -1;
	if (!live && !has_text(rec, "no_action_reason"))
		return err_set(e, ERR_CONFLICT, "status",
			       "a nonconformity with no corrective action cannot move to "
			       "verification: add a corrective action, or record in the analysis "
			       "why none is needed (no_action_reason)");
	if (open)
		return err_set(e, ERR_CONFLICT, "status",
			       "effectiveness is verified once the corrective actions are done: "
			       "%lld of %lld %s not done yet",
			       open, live, open == 1 ? "is" : "are");
	/* After a review that found the actions not effective: one corrective action made
	   since that review (when it was recorded) and done. */
	const char *last = json_str(rec, "review_result");
	json_t *reviews = json_object_get(rec, "reviews");
	const char *at = json_str(json_array_get(reviews, json_array_size(reviews) - 1),
				  "recorded_at");
	if (last && strcmp(last, "not_effective") == 0 && at) {
		struct query q_new = {.type = "corrective_action",
				      .where = {QEQ("nonconformity", SVI(id)),
						QEQ("status", SVS("done")),
						QGT("created_at", SVS(at))}};
		bool any;
		if (query_exists(c, &q_new, &any, e) < 0)
			return -1;
		if (!any)
			return err_set(e, ERR_CONFLICT, "status",
				       "the last effectiveness review (%s) found the corrective action "
				       "not effective: add and complete a new corrective action before "
				       "verifying again",
				       json_text(rec, "reviewed_on"));
	}
	return 0;
}

/* Four eyes: whoever reviews effectiveness owns neither the nonconformity nor any of its
   corrective actions. */
static int review_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
			struct err *e)
{
	(void)rt;
	long long reviewer = ctx_decider_person(c);
	const char *result = json_str(rec, "review_result");
	if (!result || (strcmp(result, "effective") && strcmp(result, "not_effective")))
		return err_set(e, ERR_INVALID, "result", "result must be effective or not_effective");
	if (!reviewer)
		return err_set(e, ERR_INVALID, "decided_by",
			       "an effectiveness review names who made it: your account is linked "
			       "to no person, so give decided_by (the reviewer's person id)");
	if (reviewer == json_int(rec, "owner"))
		return err_set(e, ERR_CONFLICT, "decided_by",
			       "four eyes: the owner of the nonconformity cannot review the "
			       "effectiveness of its own corrective action; someone else must");
	struct query q_own = {.type = "corrective_action",
			      .where = {QEQ("nonconformity", SVI(json_int(rec, "id"))),
					QEQ("owner", SVI(reviewer)), QNE("status", SVS("cancelled"))}};
	bool owns;
	if (query_exists(c, &q_own, &owns, e) < 0)
		return -1;
	if (owns)
		return err_set(e, ERR_CONFLICT, "decided_by",
			       "four eyes: the owner of a corrective action cannot review its "
			       "effectiveness; someone else must");
	return 0;
}

/* Records the review in the history; not effective sends the nonconformity back to
   corrective action. */
static int review_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			struct err *e)
{
	(void)rt;
	(void)e;
	char day[11];
	ctx_decision_day(c, day);
	long long reviewer = ctx_decider_person(c);
	json_set_str(rec, "reviewed_on", day);
	json_object_set_new(rec, "reviewer", json_integer(reviewer));
	json_t *list = json_object_get(rec, "reviews");
	json_t *all = json_is_array(list) ? json_copy(list) : json_array();
	json_array_append_new(all, json_build("{s:s, s:I, s:s, s:s, s:s, s:s}", "on", day,
					      "reviewer", (json_int_t)reviewer, "reviewer_name",
					      ctx_decider(c), "result",
					      json_text(rec, "review_result"), "evidence",
					      json_text(rec, "review_evidence"), "recorded_at",
					      c->now));
	json_object_set_new(rec, "reviews", all);
	if (strcmp(json_text(rec, "review_result"), "effective") != 0)
		json_set_str(rec, "status", "acting");
	return 0;
}

/* Closing requires a verified-effective review. */
static int close_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
		       struct err *e)
{
	(void)c;
	(void)rt;
	const char *result = json_str(rec, "review_result");
	if (!result || strcmp(result, "effective") != 0)
		return err_set(e, ERR_CONFLICT, "review_result",
			       "closing requires a verified-effective review: record an "
			       "effectiveness review that found the corrective action effective "
			       "first");
	return 0;
}

static int close_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
		       struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "closed_by", "closed_on");
	return 0;
}

static const char *const needs_correction[] = {"correction", NULL};
static const char *const needs_root_cause[] = {"root_cause", NULL};

static const struct action_param correct_params[] = {
	{.name = "correction", .field = "correction"},
	{.name = "consequences", .field = "consequences"},
};
static const struct action_param analyse_params[] = {
	{.name = "root_cause", .field = "root_cause"},
	{.name = "cause_category", .field = "cause_category"},
	{.name = "five_whys", .field = "five_whys"},
	{.name = "similar_elsewhere", .field = "similar_elsewhere"},
	{.name = "no_action_reason", .field = "no_action_reason"},
};
static const struct action_param review_params[] = {
	{.name = "result", .field = "review_result", .required = true},
	{.name = "evidence", .field = "review_evidence", .required = true},
};
static const struct action_param reject_params[] = {
	{.name = "reason", .field = "reject_reason", .required = true},
};

static const struct action nc_actions[] = {
	{.name = "correct", .label = "Record correction",
	 .help = "What was done at once to contain and correct it, and how its consequences "
		 "were dealt with.",
	 .from = from_open, .to = "corrected", .roles = EDITORS, .requires = needs_correction,
	 .params = correct_params, .nparams = COUNT_OF(correct_params), .apply = correct_apply,
	 .effective = true},
	{.name = "analyse", .label = "Record cause analysis",
	 .help = "The root cause (five whys, a category) and whether the same could happen "
		 "elsewhere.",
	 .from = from_open_corrected, .to = "analysed", .roles = EDITORS,
	 .requires = needs_root_cause, .params = analyse_params,
	 .nparams = COUNT_OF(analyse_params), .apply = analyse_apply, .effective = true},
	{.name = "act", .label = "Start corrective action",
	 .help = "The corrective actions are planned: they are now under way.",
	 .from = from_analysed, .to = "acting", .roles = EDITORS, .guard = act_guard},
	{.name = "verify", .label = "Ready for effectiveness review",
	 .help = "The corrective actions are done (or the analysis said why none is needed): "
		 "their effectiveness can be reviewed.",
	 .from = from_analysed_acting, .to = "verifying", .roles = EDITORS,
	 .guard = verify_guard},
	/* The reviewer judges evidence in their own name (an auditor may): personal, so
	   impartial roles may take it. */
	{.name = "review_effectiveness", .label = "Review effectiveness",
	 .help = "Whether the corrective action removed the cause, with the evidence looked at. "
		 "Not by the owner of the nonconformity or of its actions. Not effective sends "
		 "it back to corrective action.",
	 .from = from_verifying, .to = "verifying",
	 .roles = EDITORS | RB(ROLE_AUDITOR) | RB(ROLE_TOP_MANAGEMENT),
	 .params = review_params, .nparams = COUNT_OF(review_params), .guard = review_guard,
	 .apply = review_apply, .effective = true, .personal = true},
	{.name = "close", .label = "Close",
	 .help = "Closes the nonconformity: only after an effectiveness review found the "
		 "corrective action effective.",
	 .from = from_verifying, .to = "closed", .roles = EDITORS, .guard = close_guard,
	 .apply = close_apply, .effective = true},
	{.name = "reject", .label = "Not a nonconformity",
	 .help = "It proved not to be a nonconformity: say why. The record stays as evidence.",
	 .from = from_before_actions, .to = "rejected", .roles = EDITORS,
	 .params = reject_params, .nparams = COUNT_OF(reject_params), .apply = close_apply},
};

const struct record_type nonconformities_type = {
	.name = "nonconformity",
	.plural = "nonconformities",
	.table = "nonconformities",
	.label = "nonconformity",
	.label_plural = "nonconformities",
	.clause = "10.2",
	.help = "Requirements not met, from audits, incidents, complaints, monitoring or own "
		"findings: correction, root cause, corrective actions and the review of their "
		"effectiveness.",
	.section = "10",
	.title_field = "title",
	.default_sort = "-id",
	.fields = nc_fields,
	.nfields = COUNT_OF(nc_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_AUDITOR),
	.state_field = "status",
	.frozen = frozen_states,
	.actions = nc_actions,
	.nactions = COUNT_OF(nc_actions),
	.since = 4,
	.validate = nc_validate,
};

static const struct record_type *const c10_2_types[] = {
	&nonconformities_type,
	&corrective_actions_type,
};

static const struct view *const c10_2_views[] = {
	&nonconformity_board_view,
	&nonconformity_register_view,
};

const struct module c10_2_module = {
	.clause = "10.2",
	.title = "Nonconformity and corrective action",
	.file = __FILE__,
	.types = c10_2_types,
	.ntypes = COUNT_OF(c10_2_types),
	.views = c10_2_views,
	.nviews = COUNT_OF(c10_2_views),
	.checks = nonconformity_checks,
	.review_inputs = nonconformity_review_inputs,
};
