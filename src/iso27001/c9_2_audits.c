/* c9_2_audits.c — 9.2.2: one internal audit: its scope (clauses, Annex A controls, applied
   controls, processes, sites), criteria, lead auditor and team, dates, and its course
   planned → fieldwork → reported → closed. The impartiality rule lives here: nobody audits
   a process or control they own, or one a role they hold is responsible for, unless top
   management overrides it with a justification that stays on the audit. */
#include "c9_2_audit.h"
#include "c5_leadership.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const char *const audit_states[] = {"planned", "fieldwork", "reported", "closed", NULL};
static const char *const from_planned[] = {"planned", NULL};
static const char *const from_fieldwork[] = {"fieldwork", NULL};
static const char *const from_reported[] = {"reported", NULL};
static const char *const frozen_states[] = {"closed", NULL};

static const struct field audit_fields[] = {
	{.name = "programme", .label = "Programme", .type = FT_REF, .ref = "audit_programme",
	 .flags = F_REQUIRED | F_INDEX, .help = "The audit programme this audit belongs to."},
	{.name = "title", .label = "Audit", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "Names the audit, e.g. \"Clause 8 operations, 2026\"."},
	{.name = "clauses", .label = "Clauses in scope", .type = FT_JSON,
	 .help = "The clauses of the standard audited, as a list of numbers such as [\"8.1\", "
		 "\"8.2\"] (clauses 4 to 10)."},
	{.name = "controls", .label = "Annex A controls in scope", .type = FT_REFS,
	 .ref = "catalog_control", .flags = F_SET_NULL,
	 .help = "The Annex A controls audited."},
	{.name = "applied_controls", .label = "Applied controls in scope", .type = FT_REFS,
	 .ref = "control", .flags = F_SET_NULL,
	 .help = "The organization's own controls audited, besides those implementing the Annex A "
		 "controls above."},
	{.name = "processes", .label = "Processes in scope", .type = FT_REFS, .ref = "process",
	 .flags = F_SET_NULL, .help = "The ISMS processes audited."},
	{.name = "sites", .label = "Sites", .type = FT_TEXT, .flags = F_SEARCH, .max_len = 500,
	 .help = "Where the audit takes place, e.g. \"Berlin office; remote\"."},
	{.name = "criteria", .label = "Criteria", .type = FT_REFS, .ref = "audit_criterion",
	 .flags = F_SET_NULL, .help = "What the audit measures against."},
	{.name = "lead_auditor", .label = "Lead auditor", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX, .help = "Who leads the audit and signs its report."},
	{.name = "team", .label = "Audit team", .type = FT_REFS, .ref = "person",
	 .flags = F_SET_NULL, .help = "The other auditors."},
	{.name = "planned_start", .label = "Planned start", .type = FT_DATE,
	 .flags = F_REQUIRED | F_INDEX, .help = "The first planned day of fieldwork."},
	{.name = "planned_end", .label = "Planned end", .type = FT_DATE, .flags = F_REQUIRED,
	 .help = "The last planned day of fieldwork."},
	{.name = "actual_start", .label = "Started on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day fieldwork began."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = audit_states, .def = "\"planned\"",
	 .help = "Planned, fieldwork under way, reported, then closed."},
	{.name = "report_summary", .label = "Report summary", .type = FT_MARKDOWN,
	 .flags = F_READONLY | F_SEARCH,
	 .help = "The auditor's conclusion, written when the audit is reported."},
	{.name = "reported_by", .label = "Reported by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 200, .help = "Who issued the report."},
	{.name = "report_date", .label = "Report date", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day the report was issued."},
	{.name = "reported_to", .label = "Results reported to", .type = FT_REFS, .ref = "person",
	 .flags = F_SET_NULL,
	 .help = "The managers the results were presented to (needed to close the audit)."},
	{.name = "reported_to_on", .label = "Results reported on", .type = FT_DATE,
	 .flags = F_PAST, .help = "The day the results were presented to them."},
	{.name = "closed_on", .label = "Closed on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day the audit was closed."},
	{.name = "impartiality_override", .label = "Impartiality override", .type = FT_MARKDOWN,
	 .help = "Only when an auditor must audit a process or control of their own: why top "
		 "management allows it. Stays visible on the audit and in its report."},
	{.name = "override_by", .label = "Override decided by", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL,
	 .help = "The person holding a top-management role who allowed the override."},
	{.name = "override_on", .label = "Override decided on", .type = FT_DATE, .flags = F_PAST,
	 .help = "The day the override was decided (today when left empty)."},
	{.name = "conflicts", .label = "Impartiality conflicts", .type = FT_JSON,
	 .flags = F_READONLY,
	 .help = "The conflicts found when the team or scope was last set (a list of "
		 "sentences); set by isms."},
};

/* --- impartiality ------------------------------------------------------------------- */

static const char *const raci_doers[] = {"responsible", "accountable", NULL};

static void add_conflict(json_t *out, const char *who, const char *what, const char *kind,
			 const char *title)
{
	char line[700];
	snprintf(line, sizeof line, "%s %s %s \"%s\"", who, what, kind, title);
	json_array_append_new(out, json_string(line));
}

/* The conflicts of one person with the processes and controls in scope. */
static int person_conflicts(struct ctx *c, long long person, const char *from,
			    const char *until, const json_t *processes, const json_t *controls,
			    json_t *out, struct err *e)
{
	char who[200];
	json_t *roles = NULL, *owned = NULL, *raci = NULL;
	int rc = -1;
	size_t i;
	json_t *r;
	if (record_title_of(c, registry_find(c->reg, "person"), person, who, sizeof who, e) < 0)
		return -1;
	struct query held = {.type = "role_assignment",
			     .where = {QEQ("person", SVI(person)), QLE("starts_on", SVS(until)),
				       QGE_OR_NULL("ends_on", SVS(from))}};
	if (query_values(c, &held, "role", &roles, e) < 0)
		goto cleanup;
	const char *kinds[] = {"process", "control"};
	const json_t *sets[] = {processes, controls};
	for (int k = 0; k < 2; k++) {
		if (!json_array_size(sets[k]))
			continue;
		struct query q_own = {.type = kinds[k], .where = {QEQ("owner", SVI(person))}};
		if (query_records(c, &q_own, &owned, e) < 0)
			goto cleanup;
		json_array_foreach(owned, i, r)
			if (audit_has_id(sets[k], json_int(r, "id")))
				add_conflict(out, who, "owns the", kinds[k], json_text(r, "name"));
		json_decref(owned);
		owned = NULL;
		if (!json_array_size(roles))
			continue;
		struct query q_raci = {.type = "raci_entry",
				       .where = {QIN("role", roles),
						 QIN_TEXT("assignment", raci_doers)}};
		if (query_records(c, &q_raci, &raci, e) < 0)
			goto cleanup;
		json_array_foreach(raci, i, r) {
			char line[700];
			if (!audit_has_id(sets[k], json_int(r, kinds[k])))
				continue;
			snprintf(line, sizeof line, "%s holds a role in the RACI entry \"%s\"", who,
				 json_text(r, "title"));
			json_array_append_new(out, json_string(line));
		}
		json_decref(raci);
		raci = NULL;
	}
	rc = 0;
cleanup:
	json_decref(roles);
	json_decref(owned);
	json_decref(raci);
	return rc;
}

/* The applied controls in scope: those named, and those implementing an Annex A control in
   scope. New array. */
static int scope_controls(struct ctx *c, const json_t *rec, json_t **out, struct err *e)
{
	size_t i;
	json_t *v;
	*out = json_array();
	json_array_extend(*out, json_object_get(rec, "applied_controls"));
	json_array_foreach(json_object_get(rec, "controls"), i, v) {
		json_t *ids = NULL;
		struct query q = {.type = "control",
				  .where = {QHAS("catalog_controls", json_integer_value(v))}};
		if (query_ids(c, &q, &ids, e) < 0) {
			json_decref(*out);
			*out = NULL;
			return -1;
		}
		json_array_extend(*out, ids);
		json_decref(ids);
	}
	return 0;
}

/* Every conflict of the lead auditor and the team with the scope, as sentences, the lead
   auditor's first (*nlead of them). */
static int audit_conflicts(struct ctx *c, const json_t *rec, json_t **out, size_t *nlead,
			   struct err *e)
{
	json_t *people = json_array(), *controls = NULL, *v;
	size_t i;
	int rc = -1;
	*out = json_array();
	if (json_int(rec, "lead_auditor"))
		json_array_append_new(people, json_integer(json_int(rec, "lead_auditor")));
	json_array_foreach(json_object_get(rec, "team"), i, v)
		json_array_append(people, v);
	if (scope_controls(c, rec, &controls, e) < 0)
		goto cleanup;
	const char *from = json_str(rec, "planned_start"), *until = json_str(rec, "planned_end");
	*nlead = 0;
	json_array_foreach(people, i, v) {
		if (person_conflicts(c, json_integer_value(v), from ? from : "1900-01-01",
				     until ? until : "2200-12-31",
				     json_object_get(rec, "processes"), controls, *out, e) < 0)
			goto cleanup;
		if (i == 0 && json_int(rec, "lead_auditor"))
			*nlead = json_array_size(*out);
	}
	rc = 0;
cleanup:
	json_decref(people);
	json_decref(controls);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Whether person holds a top-management role on day. */
static int holds_top_management(struct ctx *c, long long person, const char *day, bool *out,
				struct err *e)
{
	json_t *ids = NULL;
	*out = false;
	struct query held = {.type = "role_assignment",
			     .where = {QEQ("person", SVI(person)), QLE("starts_on", SVS(day)),
				       QGE_OR_NULL("ends_on", SVS(day))}};
	if (query_values(c, &held, "role", &ids, e) < 0)
		return -1;
	struct query top = {.type = "role",
			    .where = {QIN("id", ids), QEQ("top_management", SVI(1))}};
	int rc = query_exists(c, &top, out, e);
	json_decref(ids);
	return rc;
}

static bool changed(const json_t *rec, const json_t *old, const char *field)
{
	return !old || !json_equal(json_object_get(rec, field), json_object_get(old, field));
}

/* An override is a decision of top management: recorded by that person, or keyed in for
   them by whoever records on others' behalf; never by an auditor. */
static int check_override(struct ctx *c, json_t *rec, struct err *e)
{
	char today[11];
	long long by = json_int(rec, "override_by");
	if (!by)
		return err_set(e, ERR_INVALID, "override_by",
			       "override_by: name the person holding a top-management role who "
			       "allowed the override");
	if (actor_check_impartial(c, "record an impartiality override", e) < 0)
		return -1;
	if (!c->system && by != c->actor.person_id && !actor_has(&c->actor, c->reg->backdate_roles))
		return err_set(e, ERR_FORBIDDEN, "override_by",
			       "only the person who decided the override, or someone who records "
			       "decisions for others, may record it");
	ctx_today(c, today);
	if (!json_str(rec, "override_on"))
		json_set_str(rec, "override_on", today);
	bool top;
	if (holds_top_management(c, by, json_str(rec, "override_on"), &top, e) < 0)
		return -1;
	if (!top)
		return err_set(e, ERR_FORBIDDEN, "override_by",
			       "override_by: an impartiality override is decided by top management; "
			       "that person held no top-management role on %s",
			       json_str(rec, "override_on"));
	return 0;
}

static int audit_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			  const json_t *old, struct err *e)
{
	(void)rt;
	size_t i;
	json_t *v, *conflicts = NULL;
	const json_t *clauses = json_object_get(rec, "clauses");
	if (clauses && !json_is_null(clauses)) {
		if (!json_is_array(clauses))
			return err_set(e, ERR_INVALID, "clauses",
				       "clauses must be a list of clause numbers such as [\"8.1\"]");
		json_array_foreach(clauses, i, v) {
			if (!audit_clause_known(c->reg, json_string_value(v)))
				return err_set(e, ERR_INVALID, "clauses",
					       "clauses: item %zu is not a clause from 4.1 to 10.2",
					       i + 1);
			for (size_t j = 0; j < i; j++)
				if (json_equal(json_array_get(clauses, j), v))
					return err_set(e, ERR_INVALID, "clauses",
						       "clauses: %s is listed twice",
						       json_string_value(v));
		}
	}
	const char *from = json_str(rec, "planned_start"), *until = json_str(rec, "planned_end");
	if (from && until && strcmp(until, from) < 0)
		return err_set(e, ERR_INVALID, "planned_end",
			       "planned_end (%s) cannot be before planned_start (%s)", until, from);
	const char *override = json_str(rec, "impartiality_override");
	if (override && *override &&
	    (changed(rec, old, "impartiality_override") || changed(rec, old, "override_by")) &&
	    check_override(c, rec, e) < 0)
		return -1;
	static const char *const watched[] = {"lead_auditor", "team", "processes", "controls",
					      "applied_controls", "planned_start", "planned_end",
					      NULL};
	bool any = false;
	for (int k = 0; watched[k]; k++)
		any = any || changed(rec, old, watched[k]);
	if (!any)
		return 0;
	size_t nlead;
	if (audit_conflicts(c, rec, &conflicts, &nlead, e) < 0)
		return -1;
	if (json_array_size(conflicts) && !(override && *override)) {
		struct buf b = BUF_INIT;
		json_array_foreach(conflicts, i, v)
			buf_printf(&b, "%s%s", i ? "; " : "", json_string_value(v));
		err_set(e, ERR_CONFLICT, nlead ? "lead_auditor" : "team",
			"impartiality: an auditor may not audit what they own or a process or "
			"control their role is responsible for: %s. Choose another auditor, or "
			"record top management's override with a justification",
			buf_str(&b));
		buf_release(&b);
		json_decref(conflicts);
		return -1;
	}
	json_object_set_new(rec, "conflicts", conflicts);
	return 0;
}

static int stamp(struct ctx *c, json_t *rec, const char *field)
{
	char day[11];
	ctx_decision_day(c, day);
	json_set_str(rec, field, day);
	return 0;
}

static int report_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "reported_by", "report_date");
	return 0;
}

static int close_apply(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e)
{
	(void)rt;
	(void)e;
	return stamp(c, rec, "closed_on");
}

static int close_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
		       struct err *e)
{
	(void)c;
	(void)rt;
	if (!json_array_size(json_object_get(rec, "reported_to")) || !json_str(rec, "reported_to_on"))
		return err_set(e, ERR_CONFLICT, "reported_to",
			       "an audit is closed once its results were reported to the relevant "
			       "managers: set reported_to and reported_to_on first");
	return 0;
}

static const struct action_param fieldwork_params[] = {
	{.name = "actual_start", .field = "actual_start", .required = true},
};
static const struct action_param report_params[] = {
	{.name = "summary", .field = "report_summary", .required = true},
};

static const struct action audit_actions[] = {
	{.name = "start_fieldwork", .label = "Start fieldwork",
	 .help = "Fieldwork begins: findings and samples may be recorded.",
	 .from = from_planned, .to = "fieldwork", .roles = EDITORS | RB(ROLE_AUDITOR),
	 .params = fieldwork_params, .nparams = COUNT_OF(fieldwork_params)},
	{.name = "report", .label = "Issue report",
	 .help = "The lead auditor's conclusion; the report date is the day it is issued.",
	 .from = from_fieldwork, .to = "reported", .roles = EDITORS | RB(ROLE_AUDITOR),
	 .params = report_params, .nparams = COUNT_OF(report_params), .apply = report_apply,
	 .effective = true, .personal = true},
	{.name = "close", .label = "Close audit",
	 .help = "Closes the audit once its results were reported to the managers concerned.",
	 .from = from_reported, .to = "closed", .roles = EDITORS | RB(ROLE_AUDITOR),
	 .guard = close_guard, .apply = close_apply},
};

static const char *const audit_not_due[] = {"reported", "closed", NULL};
static const struct due_rule audit_due[] = {
	{.date_field = "planned_end",
	 .owner_field = "lead_auditor",
	 .status_field = "status",
	 .closed = audit_not_due,
	 .what = "internal audit report"},
	{0},
};

const struct record_type audits_type = {
	.name = "audit",
	.plural = "audits",
	.table = "audits",
	.label = "internal audit",
	.label_plural = "internal audits",
	.clause = "9.2",
	.help = "Internal audits: scope, criteria, auditors and dates, from plan to report.",
	.section = "9",
	.title_field = "title",
	.default_sort = "-planned_start",
	.fields = audit_fields,
	.nfields = COUNT_OF(audit_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_AUDITOR),
	.state_field = "status",
	.frozen = frozen_states,
	.due = audit_due,
	.actions = audit_actions,
	.nactions = COUNT_OF(audit_actions),
	.since = 4,
	.validate = audit_validate,
};
