/* risk.c — the risk register (6.1.2 c–e, 8.2): levels are computed by the server from the
   approved risk method, never sent by clients; the workflow runs identified → analysed →
   evaluated → treated → accepted (or closed), and residual risk is accepted only by the
   risk owner's own account, above the threshold only by the role the method names. Also
   the threat catalog, ISMS risks and opportunities (6.1.1) and assessment runs. */
#include "c6_1_2_risks.h"
#include "../base/buf.h"
#include "c9_3_review.h"
#include "c5_leadership.h"
#include "../base/text.h"
#include "../base/clock.h"
#include "../base/embed.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>


int risk_method_seed(struct ctx *c, struct err *e); /* risk_method.c */

static const char *const approaches[] = {"event_based", "asset_based", NULL};
static const char *const treatments[] = {"modify", "retain", "avoid", "share", NULL};
static const char *const evaluations[] = {"acceptable", "needs_treatment", NULL};
static const char *const risk_states[] = {"identified", "analysed", "evaluated", "treated",
					  "accepted",   "closed",   NULL};

static const struct field risk_fields[] = {
	{.name = "title", .label = "Risk", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "A short name, e.g. \"Customer data exposed through a "
				 "misconfigured storage bucket\"."},
	{.name = "scenario", .label = "Scenario", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What could happen, how, and what it would lead to."},
	{.name = "approach", .label = "Identified by", .type = FT_ENUM, .values = approaches,
	 .def = "\"event_based\"",
	 .help = "Event-based (a risk source and scenario) or asset-based (an asset, a threat "
		 "and a vulnerability); both may live in one register."},
	{.name = "threat", .label = "Threat", .type = FT_REF, .ref = "threat", .flags = F_SET_NULL,
	 .help = "A threat from the catalog, if one fits."},
	{.name = "risk_source", .label = "Risk source", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 300, .help = "Who or what could cause it, e.g. \"organized crime\", "
				 "\"a careless administrator\"."},
	{.name = "vulnerability", .label = "Vulnerability", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 500, .help = "The weakness the threat would exploit."},
	{.name = "assets", .label = "Affected assets", .type = FT_REFS, .ref = "asset",
	 .flags = F_SET_NULL, .help = "Assets that would be harmed."},
	{.name = "confidentiality", .label = "Affects confidentiality", .type = FT_BOOL,
	 .help = "Information could be disclosed to the wrong people."},
	{.name = "integrity", .label = "Affects integrity", .type = FT_BOOL,
	 .help = "Information or systems could be altered or become wrong."},
	{.name = "availability", .label = "Affects availability", .type = FT_BOOL,
	 .help = "Information or systems could become unavailable."},
	{.name = "owner", .label = "Risk owner", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED, .help = "The person accountable for the risk, who approves its "
				      "treatment and accepts what remains."},
	{.name = "likelihood", .label = "Likelihood", .type = FT_INT,
	 .help = "A level of the approved risk method (1 = lowest)."},
	{.name = "consequence", .label = "Consequence", .type = FT_INT,
	 .help = "A level of the approved risk method (1 = lowest)."},
	{.name = "inherent_level", .label = "Inherent risk level", .type = FT_TEXT,
	 .flags = F_READONLY | F_INDEX, .max_len = 60,
	 .help = "Computed from likelihood and consequence with the method's matrix."},
	{.name = "evaluation", .label = "Evaluation", .type = FT_ENUM, .flags = F_READONLY,
	 .values = evaluations,
	 .help = "Computed: acceptable when the level is at or below the method's acceptance "
		 "threshold, otherwise it needs treatment."},
	{.name = "treatment", .label = "Treatment option", .type = FT_ENUM, .values = treatments,
	 .help = "Modify (apply controls), retain (accept as is), avoid (stop the activity) or "
		 "share (insure or outsource)."},
	{.name = "treatment_justification", .label = "Why this treatment", .type = FT_MARKDOWN,
	 .flags = F_SEARCH, .help = "The reasoning behind the chosen option."},
	{.name = "controls", .label = "Applied controls", .type = FT_REFS, .ref = "control",
	 .flags = F_SET_NULL, .help = "The organization's controls that treat this risk."},
	{.name = "residual_likelihood", .label = "Residual likelihood", .type = FT_INT,
	 .help = "Likelihood once the treatment is in place."},
	{.name = "residual_consequence", .label = "Residual consequence", .type = FT_INT,
	 .help = "Consequence once the treatment is in place."},
	{.name = "residual_level", .label = "Residual risk level", .type = FT_TEXT,
	 .flags = F_READONLY | F_INDEX, .max_len = 60,
	 .help = "Computed from the residual likelihood and consequence."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY,
	 .values = risk_states, .def = "\"identified\"",
	 .help = "Moved by the actions: analyse, evaluate, treat, accept, reassess, close."},
	{.name = "last_assessed", .label = "Last assessed", .type = FT_DATE, .flags = F_PAST,
	 .help = "When the risk was last analysed."},
	{.name = "next_review", .label = "Next review", .type = FT_DATE, .flags = F_READONLY,
	 .help = "Computed: last assessed plus the method's reassessment interval."},
	{.name = "method", .label = "Scored with", .type = FT_REF, .ref = "risk_method",
	 .flags = F_READONLY, .help = "The approved risk method the levels were computed with."},
	{.name = "plan_approved_by", .label = "Treatment plan approved by", .type = FT_TEXT,
	 .flags = F_READONLY, .max_len = 64,
	 .help = "The owner's account that approved the treatment plan for this risk (6.1.3 f)."},
	{.name = "plan_approved_on", .label = "Treatment plan approved on", .type = FT_DATE,
	 .flags = F_READONLY, .help = "When the owner approved the treatment plan."},
	{.name = "accepted_by", .label = "Accepted by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The account that accepted the residual risk."},
	{.name = "accepted_on", .label = "Accepted on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When the residual risk was accepted."},
	{.name = "acceptance_expires", .label = "Acceptance expires", .type = FT_DATE,
	 .flags = F_READONLY, .since = 3,
	 .help = "The day the acceptance lapses and the owner decides again; by default the "
		 "method's reassessment interval after the acceptance. It is then due."},
	{.name = "closed_reason", .label = "Why closed", .type = FT_MARKDOWN,
	 .flags = F_READONLY | F_SEARCH, .since = 3,
	 .help = "Why the risk no longer exists, given when it was closed."},
	{.name = "acceptance_justification", .label = "Acceptance justification",
	 .type = FT_MARKDOWN, .flags = F_READONLY,
	 .help = "Why the owner accepted the residual risk."},
};

/* The risk level of a (likelihood, consequence) pair, or NULL if either is unset. */
static const char *cell(const json_t *m, const json_t *l, const json_t *c)
{
	if (!m || !json_is_integer(l) || !json_is_integer(c))
		return NULL;
	json_t *row = json_array_get(json_object_get(m, "matrix"), (size_t)json_integer_value(l) - 1);
	return json_string_value(json_array_get(row, (size_t)json_integer_value(c) - 1));
}

static int check_level(const json_t *m, const json_t *rec, const char *field, const char *scale,
		       struct err *e)
{
	json_t *v = json_object_get(rec, field);
	if (!json_is_integer(v))
		return 0;
	if (!m)
		return err_set(e, ERR_CONFLICT, field,
			       "there is no approved risk method yet to score with; approve one "
			       "first");
	long long n = (long long)json_array_size(json_object_get(m, scale));
	if (json_integer_value(v) < 1 || json_integer_value(v) > n)
		return err_set(e, ERR_INVALID, field, "%s must be a level of the risk method: 1 to %lld",
			       field, n);
	return 0;
}


static bool changed(const json_t *a, const json_t *b, const char *field)
{
	return !json_equal(json_object_get(a, field), json_object_get(b, field));
}

static int risk_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			 const json_t *old, struct err *e)
{
	(void)rt;
	json_t *m;
	int ret = -1;
	if (risk_method_current(c, &m, e) < 0)
		return -1;
	if (check_level(m, rec, "likelihood", "likelihood_levels", e) < 0 ||
	    check_level(m, rec, "consequence", "consequence_levels", e) < 0 ||
	    check_level(m, rec, "residual_likelihood", "likelihood_levels", e) < 0 ||
	    check_level(m, rec, "residual_consequence", "consequence_levels", e) < 0)
		goto out;
	const char *inherent = cell(m, json_object_get(rec, "likelihood"),
				    json_object_get(rec, "consequence"));
	json_set_str(rec, "inherent_level", inherent);
	const char *evaluation = NULL;
	if (inherent)
		evaluation = risk_level_index(m, inherent) <=
					     risk_level_index(m, json_str(m, "acceptance_threshold"))
				     ? "acceptable"
				     : "needs_treatment";
	json_set_str(rec, "evaluation", evaluation);
	json_set_str(rec, "residual_level", cell(m, json_object_get(rec, "residual_likelihood"),
					    json_object_get(rec, "residual_consequence")));
	json_object_set(rec, "method", m ? json_object_get(m, "id") : json_null());
	const char *last = json_str(rec, "last_assessed");
	if (last) {
		char next[11];
		json_t *months = m ? json_object_get(m, "reassessment_months") : NULL;
		clock_add_months(last, months ? json_integer_value(months) : 12, next);
		json_set_str(rec, "next_review", next);
	} else {
		json_set_str(rec, "next_review", NULL);
	}
	/* A plan is approved as it stands: a changed treatment, residual risk or set of
	   controls needs the owner's approval again. */
	if (old && json_str(old, "plan_approved_on")) {
		static const char *const plan[] = {"treatment", "treatment_justification",
						   "residual_likelihood", "residual_consequence",
						   "controls", NULL};
		for (int i = 0; plan[i]; i++)
			if (changed(old, rec, plan[i])) {
				json_set_str(rec, "plan_approved_by", NULL);
				json_set_str(rec, "plan_approved_on", NULL);
				break;
			}
	}
	/* An acceptance holds only for what was accepted: a changed score or treatment
	   sends the risk back to be treated and accepted again. */
	if (old && str_eq(json_str(old, "status"), "accepted") &&
	    str_eq(json_str(rec, "status"), "accepted")) {
		static const char *const watched[] = {"likelihood",          "consequence",
						      "treatment",           "residual_likelihood",
						      "residual_consequence", "controls", NULL};
		for (int i = 0; watched[i]; i++) {
			if (!changed(old, rec, watched[i]))
				continue;
			json_set_str(rec, "status", "treated");
			json_set_str(rec, "accepted_by", NULL);
			json_set_str(rec, "accepted_on", NULL);
			json_set_str(rec, "acceptance_justification", NULL);
			json_set_str(rec, "acceptance_expires", NULL);
			break;
		}
	}
	ret = 0;
out:
	json_decref(m);
	return ret;
}

static const char *const from_identified[] = {"identified", NULL};
static const char *const from_analysed[] = {"analysed", NULL};
static const char *const from_evaluated[] = {"evaluated", NULL};
static const char *const from_acceptable[] = {"evaluated", "treated", NULL};
static const char *const from_assessed[] = {"analysed", "evaluated", "treated", "accepted",
					    NULL};
static const char *const from_open[] = {"identified", "analysed", "evaluated", "treated",
					"accepted",   NULL};
static const char *const from_treated[] = {"treated", "accepted", NULL};
static const char *const plan_requires[] = {"treatment", NULL};
static const char *const analyse_requires[] = {"likelihood", "consequence", NULL};
static const char *const evaluate_requires[] = {"inherent_level", NULL};
static const char *const treat_requires[] = {"treatment", "treatment_justification",
					     "residual_likelihood", "residual_consequence", NULL};

static int stamp_assessed(struct ctx *c, const struct record_type *rt, json_t *rec,
			  struct err *e)
{
	(void)rt;
	(void)e;
	char today[11];
	ctx_decision_day(c, today);
	json_set_str(rec, "last_assessed", today);
	return 0;
}

static int treat_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
		       struct err *e)
{
	(void)c;
	(void)rt;
	if (str_eq(json_str(rec, "treatment"), "modify") &&
	    json_array_size(json_object_get(rec, "controls")) == 0)
		return err_set(e, ERR_INVALID, "controls",
			       "a risk treated by modifying it needs at least one applied control");
	return 0;
}

static int owner_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
			struct err *e)
{
	(void)rt;
	long long owner = json_integer_value(json_object_get(rec, "owner"));
	long long decider = ctx_decider_person(c);
	if (!decider || decider != owner)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only the risk owner may do this: their own account (the account "
			       "linked to the owner in the staff directory), or someone recording "
			       "it for them (decided_by)");
	return 0;
}

static int approve_plan_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			      struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "plan_approved_by", "plan_approved_on");
	return 0;
}

/* Whether the actor's person holds, on the decision's day, a role that may accept a risk
   at level above the method's threshold: top management, the role the method names, or a
   role whose "accepts up to" reaches the level. ERR_FORBIDDEN naming them otherwise. */
static int accept_authority(struct ctx *c, const json_t *m, const char *level, struct err *e)
{
	char day[11], what[160];
	json_t *held, *r;
	size_t i;
	bool ok = c->system;
	long long named = json_int(m, "accepting_role");
	int at = risk_level_index(m, level);
	ctx_decision_day(c, day);
	if (authority_roles_held(c, day, &held, e) < 0)
		return -1;
	json_array_foreach(held, i, r) {
		ok = ok || json_is_true(json_object_get(r, "top_management")) ||
		     (named && json_int(r, "id") == named) ||
		     risk_level_index(m, json_str(r, "accepts_up_to")) >= at;
	}
	json_decref(held);
	if (ok)
		return 0;
	snprintf(what, sizeof what,
		 "accept a risk that stays %s, above the acceptance threshold (%s),", level,
		 json_str(m, "acceptance_threshold"));
	return authority_check(c, named, AUTH_NAMED_ONLY, what, e);
}

/* At or below the threshold the risk owner's own account accepts; above it, someone whose
   organizational role carries that authority on the day (the owner or not). */
static int accept_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
			 struct err *e)
{
	json_t *m;
	if (risk_method_current(c, &m, e) < 0)
		return -1;
	const char *level = json_str(rec, "residual_level");
	if (!level)
		level = json_str(rec, "inherent_level");
	int ret;
	if (m && risk_level_index(m, level) >
			 risk_level_index(m, json_str(m, "acceptance_threshold")))
		ret = accept_authority(c, m, level, e);
	else
		ret = owner_permit(c, rt, rec, e);
	json_decref(m);
	return ret;
}

/* 6.1.3 f: what is accepted is the risk that remains after the chosen treatment, so the
   treatment is decided first and, where it changes the risk, its plan is approved. */
static int accept_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
			struct err *e)
{
	(void)rt;
	char day[11];
	const char *treatment = json_str(rec, "treatment"), *until = json_str(rec, "acceptance_expires");
	if (!json_str(rec, "inherent_level"))
		return err_set(e, ERR_INVALID, "likelihood", "score the risk before accepting it");
	if (!treatment)
		return err_set(e, ERR_INVALID, "treatment",
			       "Treatment option: decide how the risk is treated (retain it, if "
			       "nothing is to be done) before accepting what remains");
	if (!str_eq(treatment, "retain") && !json_str(rec, "plan_approved_on"))
		return err_set(e, ERR_CONFLICT, "plan_approved_on",
			       "the treatment plan is not approved: the owner approves the plan "
			       "before the residual risk is accepted (6.1.3 f)");
	ctx_decision_day(c, day);
	if (until && (!clock_sane_date(until) || strcmp(until, day) <= 0))
		return err_set(e, ERR_INVALID, "expires_on",
			       "expires_on: the acceptance must run beyond the day it is given (%s)",
			       day);
	return 0;
}

static int accept_apply(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e)
{
	(void)rt;
	record_stamp(c, rec, "accepted_by", "accepted_on");
	if (json_str(rec, "acceptance_expires"))
		return 0;
	json_t *m;
	char day[11], until[11];
	if (risk_method_current(c, &m, e) < 0)
		return -1;
	json_t *months = m ? json_object_get(m, "reassessment_months") : NULL;
	ctx_decision_day(c, day);
	clock_add_months(day, months ? json_integer_value(months) : 12, until);
	json_set_str(rec, "acceptance_expires", until);
	json_decref(m);
	return 0;
}

static int reassess_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			  struct err *e)
{
	json_set_str(rec, "accepted_by", NULL);
	json_set_str(rec, "accepted_on", NULL);
	json_set_str(rec, "acceptance_justification", NULL);
	json_set_str(rec, "acceptance_expires", NULL);
	return stamp_assessed(c, rt, rec, e);
}

static const struct action_param accept_params[] = {
	{.name = "justification", .field = "acceptance_justification", .required = true},
	{.name = "expires_on", .field = "acceptance_expires"},
};

static const struct action_param close_params[] = {
	{.name = "reason", .field = "closed_reason", .required = true},
};

static const struct action risk_actions[] = {
	{.name = "analyse", .label = "Mark analysed",
	 .help = "Likelihood and consequence are set; the inherent level is computed.",
	 .from = from_identified, .to = "analysed", .roles = RISK_EDITORS,
	 .requires = analyse_requires, .apply = stamp_assessed,
	 .effective = true},
	{.name = "evaluate", .label = "Mark evaluated",
	 .help = "The level has been compared with the acceptance criteria.",
	 .from = from_analysed, .to = "evaluated", .roles = RISK_EDITORS,
	 .requires = evaluate_requires,
	 .effective = true},
	{.name = "treat", .label = "Treatment decided",
	 .help = "The treatment option, its reasons, its controls and the expected residual "
		 "risk are recorded.",
	 .from = from_evaluated, .to = "treated", .roles = RISK_EDITORS,
	 .requires = treat_requires, .guard = treat_guard,
	 .effective = true},
	{.name = "approve_plan", .label = "Approve treatment plan",
	 .help = "The risk owner approves the treatment chosen for the risk and its actions.",
	 .from = from_treated, .to = NULL, .roles = ROLES_ALL, .requires = plan_requires,
	 .permit = owner_permit, .apply = approve_plan_apply,
	 .effective = true},
	{.name = "accept", .label = "Accept residual risk",
	 .help = "The risk owner accepts the risk that remains, with a justification.",
	 .from = from_acceptable, .to = "accepted", .roles = ROLES_ALL,
	 .params = accept_params, .nparams = COUNT_OF(accept_params), .permit = accept_permit,
	 .guard = accept_guard,
	 .apply = accept_apply,
	 .effective = true},
	{.name = "reassess", .label = "Reassess",
	 .help = "Starts a new assessment of the risk; an earlier acceptance lapses.",
	 .from = from_assessed, .to = "analysed", .roles = RISK_EDITORS,
	 .requires = analyse_requires, .apply = reassess_apply,
	 .effective = true},
	{.name = "close", .label = "Close the risk",
	 .help = "The risk no longer exists (the asset or activity is gone); say why.",
	 .from = from_open, .to = "closed", .roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER),
	 .params = close_params, .nparams = COUNT_OF(close_params)},
};

static const char *const risk_closed[] = {"closed", NULL};
static const char *const not_accepted[] = {"identified", "analysed", "evaluated", "treated",
					   "closed", NULL};
static const struct due_rule risk_due[] = {
	{.date_field = "next_review",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = risk_closed,
	 .what = "reassessment"},
	{.date_field = "acceptance_expires",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = not_accepted,
	 .what = "acceptance expiry"},
	{0},
};

const struct record_type risks_type = {
	.name = "risk",
	.plural = "risks",
	.table = "risks",
	.label = "risk",
	.label_plural = "risks",
	.clause = "6.1.2",
	.section = "6",
	.help = "The information security risk register: scenarios, owners, scores computed by "
		"the risk method, treatment and acceptance.",
	.title_field = "title",
	.default_sort = "title",
	.fields = risk_fields,
	.nfields = sizeof risk_fields / sizeof risk_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RISK_EDITORS,
	.state_field = "status",
	.actions = risk_actions,
	.nactions = sizeof risk_actions / sizeof risk_actions[0],
	.since = 1,
	.validate = risk_validate,
	.due = risk_due,
};

static const char *const threat_categories[] = {"deliberate", "accidental", "environmental",
						"technical", "organizational", NULL};

static const struct field threat_fields[] = {
	{.name = "name", .label = "Threat", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 200,
	 .help = "What could cause harm, e.g. \"Ransomware\"."},
	{.name = "category", .label = "Category", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = threat_categories,
	 .help = "Deliberate (someone means harm), accidental (a mistake), environmental "
		 "(nature, utilities), technical (failure) or organizational."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "How it typically plays out."},
	{.name = "confidentiality", .label = "Threatens confidentiality", .type = FT_BOOL,
	 .help = "It typically leads to disclosure."},
	{.name = "integrity", .label = "Threatens integrity", .type = FT_BOOL,
	 .help = "It typically leads to wrong or altered information."},
	{.name = "availability", .label = "Threatens availability", .type = FT_BOOL,
	 .help = "It typically leads to loss of access or service."},
};

const struct record_type threats_type = {
	.name = "threat",
	.plural = "threats",
	.table = "threats",
	.label = "threat",
	.label_plural = "threats",
	.clause = "6.1.2",
	.section = "6",
	.help = "A catalog of common threats to pick from when identifying risks.",
	.title_field = "name",
	.default_sort = "name",
	.fields = threat_fields,
	.nfields = sizeof threat_fields / sizeof threat_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER),
	.since = 1,
};

/* Loads data/threats.json ({"threats":[{name, category, description, confidentiality,
   integrity, availability}]}), adding the threats the store does not have yet. */
static int threats_seed(struct ctx *c, struct err *e)
{
	const struct embedded_file *f = embed_find("data/threats.json");
	if (!f)
		return 0;
	json_error_t je;
	json_t *doc = json_loadb((const char *)f->data, f->size, 0, &je), *t;
	if (!doc)
		return err_set(e, ERR_INTERNAL, NULL, "data/threats.json line %d: %s", je.line, je.text);
	size_t i;
	int rc = 0;
	json_array_foreach(json_object_get(doc, "threats"), i, t) {
		struct query q = {.type = "threat",
				  .where = {QEQ("name", SVS(json_str(t, "name")))}};
		bool found;
		if ((rc = query_exists(c, &q, &found, e)) < 0)
			break;
		if (found)
			continue;
		json_t *rec;
		if ((rc = record_create(c, &threats_type, t, &rec, e)) < 0)
			break;
		json_decref(rec);
	}
	json_decref(doc);
	return rc;
}

int risk_seed(struct ctx *c, struct err *e)
{
	if (risk_method_seed(c, e) < 0)
		return -1;
	return threats_seed(c, e);
}

static const struct record_type *const c6_1_2_types[] = {
	&risk_methods_type,
	&risks_type,
	&threats_type,
};

static const struct view *const c6_1_2_views[] = {
	&heatmap_view,
	&risk_register_view,
};

static const registry_seed_fn c6_1_2_seeds[] = {risk_seed};

/* 9.3.2 f: the results of risk assessment: open risks by residual (else inherent) level,
   those assessed in the period, and the high ones by name. */
/* Orders high-level risk items by title, then id. */
static int by_title(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int cmp = strcmp(json_text(x, "title"), json_text(y, "title"));
	return cmp ? cmp : (json_int(x, "id") > json_int(y, "id")) - (json_int(x, "id") < json_int(y, "id"));
}

/* The open risks at a high or critical level (the residual level, else the inherent one),
   the first 25 by title, as review items (appended to items). */
static int high_risks(struct ctx *c, json_t *items, struct err *e)
{
	static const char *const high[] = {"high", "critical", NULL};
	struct query q[2] = {
		{.type = "risk", .where = {QNE("status", SVS("closed")), QIN_TEXT("residual_level", high)},
		 .order = "title", .limit = 25},
		{.type = "risk", .where = {QNE("status", SVS("closed")), QNULL("residual_level"),
					   QIN_TEXT("inherent_level", high)},
		 .order = "title", .limit = 25}};
	json_t *found[2] = {NULL, NULL}, *r;
	json_t *all[50];
	size_t n = 0, i;
	int rc = -1;
	for (int k = 0; k < 2; k++) {
		if (query_records(c, &q[k], &found[k], e) < 0)
			goto cleanup;
		json_array_foreach(found[k], i, r) {
			if (n < COUNT_OF(all))
				all[n++] = r;
		}
	}
	qsort(all, n, sizeof *all, by_title);
	for (i = 0; i < n && i < 25; i++) {
		const char *level = json_str(all[i], "residual_level");
		char detail[120];
		snprintf(detail, sizeof detail, "%s, %s", level ? level : json_text(all[i], "inherent_level"),
			 json_text(all[i], "status"));
		json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s}", "type", risks_type.plural,
							"id", (json_int_t)json_int(all[i], "id"),
							"title", json_text(all[i], "title"), "detail",
							detail));
	}
	rc = 0;
cleanup:
	json_decref(found[0]);
	json_decref(found[1]);
	return rc;
}

/* 9.3.2 f: the open risks counted by level (the residual level, else the inherent one) and
   how many were assessed in the period, counted in the store rather than read, with the
   high and critical ones named. */
static int risks_review_inputs(struct ctx *c, const char *since, const char *until,
			       json_t *inputs, struct err *e)
{
	json_t *levels = NULL, *inherent = NULL, *items = json_array(), *v;
	struct buf by = BUF_INIT;
	long long open = 0, assessed = 0, n1, n2;
	char summary[600];
	size_t i;
	int rc = -1;
	if (!record_can_read(c, &risks_type)) {
		rc = 0;
		goto cleanup;
	}
	struct query oq = {.type = "risk", .where = {QNE("status", SVS("closed"))}};
	if (query_count(c, &oq, &open, e) < 0 ||
	    query_values(c, &oq, "residual_level", &levels, e) < 0 ||
	    query_values(c, &oq, "inherent_level", &inherent, e) < 0)
		goto cleanup;
	json_array_foreach(inherent, i, v) {
		bool known = false;
		size_t k;
		json_t *w;
		json_array_foreach(levels, k, w)
			known = known || str_eq(json_string_value(w), json_string_value(v));
		if (!known)
			json_array_append(levels, v);
	}
	json_array_foreach(levels, i, v) {
		const char *level = json_string_value(v);
		struct query r = {.type = "risk", .where = {QNE("status", SVS("closed")),
							    QEQ("residual_level", SVS(level))}};
		struct query h = {.type = "risk", .where = {QNE("status", SVS("closed")),
							    QNULL("residual_level"),
							    QEQ("inherent_level", SVS(level))}};
		if (query_count(c, &r, &n1, e) < 0 || query_count(c, &h, &n2, e) < 0)
			goto cleanup;
		if (n1 + n2)
			buf_printf(&by, "%s%lld %s", by.len ? ", " : "", n1 + n2, level);
	}
	struct query nq = {.type = "risk", .where = {QNE("status", SVS("closed")),
						     QNULL("residual_level"), QNULL("inherent_level")}};
	if (query_count(c, &nq, &n1, e) < 0)
		goto cleanup;
	if (n1)
		buf_printf(&by, "%s%lld not assessed", by.len ? ", " : "", n1);
	struct query aq = {.type = "risk", .where = {QNE("status", SVS("closed")),
						     QLE("last_assessed", SVS(until)),
						     QGE("last_assessed", SVS(since))}};
	if (!since)
		aq.where[2] = (struct query_cond)QNOT_NULL("last_assessed");
	if (query_count(c, &aq, &assessed, e) < 0 || high_risks(c, items, e) < 0)
		goto cleanup;
	if (open)
		snprintf(summary, sizeof summary,
			 "%lld open risk%s (%s); %lld assessed in the period; %zu listed below at "
			 "a high or critical level.",
			 open, open == 1 ? "" : "s", buf_str(&by), assessed, json_array_size(items));
	else
		snprintf(summary, sizeof summary, "No open risk is on the register.");
	review_entry_add(inputs, "f", "6.1.2", "Results of the risk assessment", summary, items);
	items = NULL;
	rc = 0;
cleanup:
	buf_release(&by);
	json_decref(levels);
	json_decref(inherent);
	json_decref(items);
	return rc;
}

const struct module c6_1_2_module = {
	.clause = "6.1.2",
	.title = "Information security risk assessment",
	.file = __FILE__,
	.types = c6_1_2_types,
	.ntypes = COUNT_OF(c6_1_2_types),
	.views = c6_1_2_views,
	.nviews = COUNT_OF(c6_1_2_views),
	.seeds = c6_1_2_seeds,
	.nseeds = COUNT_OF(c6_1_2_seeds),
	.review_inputs = risks_review_inputs,
};
