/* c9_1_measures.c — 9.1: measures and their measurements. A measure answers an information
   need: what is measured (a process, a control, an objective or something else), by which
   method and formula, in which unit, judged by decision criteria (green and red
   thresholds, amber between), from which data source, how often, collected by whom,
   analysed by whom and reported to whom. Its measurements are dated values with a note and
   evidence files; the latest gives the measure's status, and its frequency when the next
   one is due. (Activities, which ISO/IEC 27004 also measures, are not records yet.) */
#include "c9_1_measures.h"
#include "frequency.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Values and thresholds are numbers with decimals, held as FT_JSON checked here (as 6.2's
   targets are). */
#define NUMBER_LIMIT 1e12

static const char *const kinds[] = {"process", "control", "objective", "other", NULL};
static const char *const directions[] = {"higher_is_better", "lower_is_better", NULL};
static const char *const frequencies[] = {"weekly", "monthly", "quarterly", "half_yearly",
					  "yearly", NULL};
static const char *const statuses[] = {"green", "amber", "red", "none", NULL};

static const struct field measure_fields[] = {
	{.name = "name", .label = "Measure", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "A short name, e.g. \"MFA coverage\" or \"Phishing click rate\"."},
	{.name = "information_need", .label = "Information need", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_SEARCH, .max_len = 2000,
	 .help = "The question the measure answers for those who decide, e.g. \"Are remote "
		 "logins protected by a second factor?\"."},
	{.name = "measured_kind", .label = "What is measured", .type = FT_ENUM,
	 .flags = F_REQUIRED | F_INDEX, .values = kinds, .def = "\"other\"",
	 .help = "A process, a control, an objective, or something else (describe it in the "
		 "method). Activities cannot be linked yet: choose other for them."},
	{.name = "process", .label = "Process", .type = FT_REF, .ref = "process",
	 .flags = F_SET_NULL | F_INDEX, .help = "The process measured, when it is a process."},
	{.name = "control", .label = "Control", .type = FT_REF, .ref = "control",
	 .flags = F_SET_NULL | F_INDEX, .help = "The control measured, when it is a control."},
	{.name = "objective", .label = "Objective", .type = FT_REF, .ref = "objective",
	 .flags = F_SET_NULL | F_INDEX,
	 .help = "The objective measured, when it is an objective."},
	{.name = "method", .label = "Method", .type = FT_TEXT, .max_len = 2000,
	 .help = "How the data is obtained, e.g. \"export of the identity provider's "
		 "enrolment report\"."},
	{.name = "formula", .label = "Formula", .type = FT_TEXT, .max_len = 500,
	 .help = "How the value is computed, e.g. \"accounts with MFA / active accounts × 100\"."},
	{.name = "unit", .label = "Unit", .type = FT_TEXT, .max_len = 30,
	 .help = "The unit of the values and thresholds: %, days, incidents…"},
	{.name = "direction", .label = "Direction", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = directions, .def = "\"higher_is_better\"",
	 .help = "Higher is better (coverage, completion) or lower is better (click rate, days "
		 "to patch)."},
	{.name = "green", .label = "Green threshold", .type = FT_JSON, .flags = F_REQUIRED,
	 .help = "A value at least this good is green: at or above it when higher is better, at "
		 "or below it when lower is better."},
	{.name = "red", .label = "Red threshold", .type = FT_JSON, .flags = F_REQUIRED,
	 .help = "A value this bad or worse is red (unless it also reaches green); between the "
		 "two thresholds it is amber. Below the green one when higher is better, above it "
		 "when lower is better."},
	{.name = "target", .label = "Target", .type = FT_JSON,
	 .help = "The value aimed for; the green threshold when left empty."},
	{.name = "data_source", .label = "Data source", .type = FT_TEXT, .max_len = 500,
	 .help = "Where the data comes from: a system, a report, a register."},
	{.name = "frequency", .label = "Collected", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = frequencies, .def = "\"monthly\"",
	 .help = "How often a measurement is taken: weekly, monthly, quarterly, half-yearly or "
		 "yearly. The next one is due one period after the latest."},
	{.name = "collector", .label = "Collected by", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL | F_INDEX,
	 .help = "Who takes the measurements; their account may record them, and the next one "
		 "is due to them."},
	{.name = "analyst", .label = "Analysed by", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL | F_INDEX, .help = "Who analyses and evaluates the results."},
	{.name = "reported_to_roles", .label = "Reported to roles", .type = FT_REFS, .ref = "role",
	 .flags = F_SET_NULL,
	 .help = "The organization's roles whose holders receive the results."},
	{.name = "reported_to_people", .label = "Reported to people", .type = FT_REFS,
	 .ref = "person", .flags = F_SET_NULL, .help = "People who receive the results."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL | F_INDEX,
	 .help = "Who is accountable for the measure; their account may record measurements."},
	{.name = "active", .label = "Active", .type = FT_BOOL, .def = "true",
	 .help = "Clear this when the measure is retired: it is then never due and takes no "
		 "new measurements; its results stay."},
	{.name = "latest_value", .label = "Latest value", .type = FT_JSON, .flags = F_DERIVED,
	 .help = "The value of the most recent measurement, or null."},
	{.name = "latest_on", .label = "Latest measured on", .type = FT_DATE, .flags = F_DERIVED,
	 .help = "When the most recent measurement was taken."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_DERIVED,
	 .values = statuses,
	 .help = "Green, amber or red: the latest value against the thresholds; none without a "
		 "measurement."},
	{.name = "next_due", .label = "Next measurement due", .type = FT_DATE, .flags = F_DERIVED,
	 .help = "One period after the latest measurement (today when there is none); empty "
		 "when the measure is inactive."},
	{.name = "overdue", .label = "Overdue", .type = FT_BOOL, .flags = F_DERIVED,
	 .help = "The next measurement was due before today and has not been recorded."},
};

static bool is_editor(const struct ctx *c)
{
	return c->system || actor_has(&c->actor, EDITORS);
}

/* A number field: null, or a finite number within ±NUMBER_LIMIT; a whole value is kept as
   an integer so the change log and both stores write it the same way. */
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

const char *measure_status(const json_t *measure, double value)
{
	json_t *g = json_object_get(measure, "green"), *r = json_object_get(measure, "red");
	if (!json_is_number(g) || !json_is_number(r))
		return "none";
	double green = json_number_value(g), red = json_number_value(r);
	if (str_eq(json_str(measure, "direction"), "lower_is_better"))
		return value <= green ? "green" : value >= red ? "red" : "amber";
	return value >= green ? "green" : value <= red ? "red" : "amber";
}

int measure_measurements(struct ctx *c, long long measure, json_t **out, struct err *e)
{
	struct query q = {.type = "measurement",
			  .where = {QEQ("measure", SVI(measure))},
			  .order = "measured_on"};
	return query_records(c, &q, out, e);
}

int measure_latest(struct ctx *c, long long measure, const char *day, json_t **latest,
		   json_t **previous, struct err *e)
{
	json_t *two;
	struct query q = {.type = "measurement",
			  .where = {QEQ("measure", SVI(measure))},
			  .order = "-measured_on",
			  .limit = 2};
	if (day)
		q.where[1] = (struct query_cond)QLE("measured_on", SVS(day));
	*latest = NULL;
	if (previous)
		*previous = NULL;
	if (query_records(c, &q, &two, e) < 0)
		return -1;
	*latest = json_incref(json_array_get(two, 0));
	if (previous)
		*previous = json_incref(json_array_get(two, 1));
	json_decref(two);
	return 0;
}

void measure_next_due(const json_t *measure, const char *latest_on, const char *today,
		      char out[11])
{
	out[0] = '\0';
	if (!json_is_true(json_object_get(measure, "active")))
		return;
	if (!latest_on) {
		snprintf(out, 11, "%s", today);
		return;
	}
	frequency_next(json_str(measure, "frequency"), latest_on, out);
}

static int measure_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			    const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	if (check_number(rec, "green", "Green threshold", e) < 0 ||
	    check_number(rec, "red", "Red threshold", e) < 0 ||
	    check_number(rec, "target", "Target", e) < 0)
		return -1;
	json_t *green = json_object_get(rec, "green");
	if (!json_is_number(green))
		return err_set(e, ERR_INVALID, "green", "Green threshold is required");
	if (!json_is_number(json_object_get(rec, "red")))
		return err_set(e, ERR_INVALID, "red", "Red threshold is required");
	double g = json_number_value(green), r = json_number_value(json_object_get(rec, "red"));
	bool lower = str_eq(json_str(rec, "direction"), "lower_is_better");
	if (lower ? r < g : r > g)
		return err_set(e, ERR_INVALID, "red",
			       "Red threshold: when %s is better it must be %s the green threshold "
			       "(%.10g)",
			       lower ? "lower" : "higher", lower ? "at or above" : "at or below", g);
	json_t *target = json_object_get(rec, "target");
	if (!target || json_is_null(target))
		json_object_set(rec, "target", green);
	/* What is measured names the record measured, and only that one. */
	const char *kind = json_str(rec, "measured_kind");
	static const char *const refs[] = {"process", "control", "objective"};
	static const char *const labels[] = {"Process", "Control", "Objective"};
	for (size_t k = 0; k < COUNT_OF(refs); k++) {
		bool set = json_int(rec, refs[k]) != 0;
		if (str_eq(kind, refs[k]) && !set)
			return err_set(e, ERR_INVALID, refs[k],
				       "%s: name the %s measured, or choose another kind", labels[k],
				       refs[k]);
		if (!str_eq(kind, refs[k]) && set)
			return err_set(e, ERR_INVALID, refs[k],
				       "%s: only a measure of a %s names one; what is measured is %s",
				       labels[k], refs[k], kind ? kind : "not set");
	}
	return 0;
}

static int measure_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			    struct err *e)
{
	(void)rt;
	json_t *latest;
	char today[11], next[11];
	if (measure_latest(c, json_int(rec, "id"), NULL, &latest, NULL, e) < 0)
		return -1;
	json_t *value = latest ? json_object_get(latest, "value") : NULL;
	bool measured = json_is_number(value);
	const char *on = measured ? json_str(latest, "measured_on") : NULL;
	ctx_today(c, today);
	measure_next_due(rec, on, today, next);
	json_object_set_new(rec, "latest_value", measured ? json_incref(value) : json_null());
	json_set_str(rec, "latest_on", on);
	json_set_str(rec, "status",
		     measured ? measure_status(rec, json_number_value(value)) : "none");
	json_set_str(rec, "next_due", next[0] ? next : NULL);
	json_object_set_new(rec, "overdue", json_boolean(next[0] && strcmp(next, today) < 0));
	json_decref(latest);
	return 0;
}

/* A measure with measurements is evidence of what was measured: retire it instead. */
static int measure_before_delete(struct ctx *c, const struct record_type *rt,
				 const json_t *rec, struct err *e)
{
	(void)rt;
	long long n;
	struct query q = {.type = "measurement", .where = {QEQ("measure", SVI(json_int(rec, "id")))}};
	if (query_count(c, &q, &n, e) < 0)
		return -1;
	if (n)
		return err_set(e, ERR_CONFLICT, "active",
			       "this measure has %lld measurement%s: clear Active to retire it "
			       "instead, so its results stay",
			       n, n == 1 ? "" : "s");
	return 0;
}

const struct record_type measures_type = {
	.name = "measure",
	.plural = "measures",
	.table = "measures",
	.label = "measure",
	.label_plural = "measures",
	.clause = "9.1",
	.help = "What the ISMS monitors and measures: for each measure the information need, what "
		"is measured, the method, formula and unit, green and red thresholds, the data "
		"source, how often it is collected, by whom, who analyses it and who is told.",
	.section = "9",
	.title_field = "name",
	.default_sort = "name",
	.fields = measure_fields,
	.nfields = COUNT_OF(measure_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 4,
	.validate = measure_validate,
	.decorate = measure_decorate,
	.before_delete = measure_before_delete,
};

/* ---- Measurements ------------------------------------------------------------------- */

static const struct field measurement_fields[] = {
	{.name = "measure", .label = "Measure", .type = FT_REF, .ref = "measure",
	 .flags = F_REQUIRED | F_INDEX, .help = "The measure this is a result of."},
	{.name = "measured_on", .label = "Measured on", .type = FT_DATE,
	 .flags = F_REQUIRED | F_PAST | F_INDEX,
	 .help = "The day the value was measured (or the last day of the period it covers); "
		 "never in the future."},
	{.name = "value", .label = "Value", .type = FT_JSON, .flags = F_REQUIRED,
	 .help = "The measured value in the measure's unit: a number, e.g. 97 or 99.5."},
	{.name = "note", .label = "Note", .type = FT_TEXT, .flags = F_SEARCH, .max_len = 2000,
	 .help = "What explains the figure, the analysis, or where it comes from."},
	{.name = "attachments", .label = "Evidence files", .type = FT_REFS, .ref = "attachment",
	 .flags = F_SET_NULL,
	 .help = "Uploaded files behind the value: the export, the report, a screenshot."},
	{.name = "title", .label = "Measurement", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 600, .help = "The measure and the day; set by isms."},
};

static const char *const measurement_title[] = {"measure", "measured_on", NULL};

/* Editors record measurements of any measure; others only of the measures they collect or
   own. *active says whether the measure takes new measurements. */
static int measurement_may_change(struct ctx *c, long long measure, bool *active,
				  struct err *e)
{
	json_t *m;
	struct query q = {.type = "measure", .where = {QEQ("id", SVI(measure))}};
	if (query_first(c, &q, &m, e) < 0)
		return -1;
	if (!m)
		return err_set(e, ERR_INVALID, "measure", "Measure: there is no measure %lld",
			       measure);
	long long me = c->actor.person_id;
	bool mine = me && (me == json_int(m, "collector") || me == json_int(m, "owner"));
	*active = json_is_true(json_object_get(m, "active"));
	json_decref(m);
	if (!is_editor(c) && !mine)
		return err_set(e, ERR_FORBIDDEN, "measure",
			       "Measure: only its collector, its owner or an ISMS manager records "
			       "its measurements");
	return 0;
}

static int measurement_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
				const json_t *old, struct err *e)
{
	(void)rt;
	bool active;
	long long measure = json_int(rec, "measure");
	if (old && measure != json_int(old, "measure"))
		return err_set(e, ERR_INVALID, "measure",
			       "Measure: a measurement stays with its measure; record a new one for "
			       "the other measure");
	if (check_number(rec, "value", "Value", e) < 0 ||
	    measurement_may_change(c, measure, &active, e) < 0)
		return -1;
	if (!old && !active)
		return err_set(e, ERR_CONFLICT, "measure",
			       "Measure: it is inactive and takes no new measurements; make it "
			       "active again first");
	long long same;
	struct query q = {.type = "measurement",
			  .where = {QEQ("measure", SVI(measure)),
				    QEQ("measured_on", SVS(json_str(rec, "measured_on"))),
				    QNE("id", SVI(json_int(rec, "id")))}};
	if (query_count(c, &q, &same, e) < 0)
		return -1;
	if (same)
		return err_set(e, ERR_CONFLICT, "measured_on",
			       "Measured on: this measure already has a measurement for that day; "
			       "change that one instead");
	return 0;
}

static int measurement_before_delete(struct ctx *c, const struct record_type *rt,
				     const json_t *rec, struct err *e)
{
	(void)rt;
	bool active;
	return measurement_may_change(c, json_int(rec, "measure"), &active, e);
}

const struct record_type measurements_type = {
	.name = "measurement",
	.plural = "measurements",
	.table = "measurements",
	.label = "measurement",
	.label_plural = "measurements",
	.clause = "9.1",
	.help = "The results of the measures: a dated value with a note and evidence files.",
	.section = "9",
	.title_field = "title",
	.title_from = measurement_title,
	.default_sort = "-measured_on",
	.fields = measurement_fields,
	.nfields = COUNT_OF(measurement_fields),
	/* Readable by every role, as records with evidence files must be (attachments.h). */
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_TOP_MANAGEMENT) | RB(ROLE_RISK_OWNER) |
		       RB(ROLE_CONTROL_OWNER) | RB(ROLE_STAFF),
	.since = 4,
	.validate = measurement_validate,
	.before_delete = measurement_before_delete,
};

/* ---- What is due -------------------------------------------------------------------- */

int measure_due(struct ctx *c, bool mine, const char *today, const char *horizon,
		json_t *items, struct err *e)
{
	json_t *all, *m;
	size_t i;
	char next[11];
	if (!record_can_read(c, &measures_type) || (mine && !c->actor.person_id))
		return 0;
	struct query q = {.type = "measure", .where = {QEQ("active", SVI(1))}, .order = "name"};
	if (mine)
		q.where[1] = (struct query_cond)QEQ("collector", SVI(c->actor.person_id));
	if (query_records(c, &q, &all, e) < 0)
		return -1;
	json_array_foreach(all, i, m) {
		json_t *latest;
		if (measure_latest(c, json_int(m, "id"), NULL, &latest, NULL, e) < 0) {
			json_decref(all);
			return -1;
		}
		measure_next_due(m, latest ? json_str(latest, "measured_on") : NULL, today, next);
		json_decref(latest);
		if (!next[0] || strcmp(next, horizon) > 0)
			continue;
		json_t *item = json_build("{s:s, s:I, s:s, s:s, s:s}", "type", measures_type.plural,
					  "id", (json_int_t)json_int(m, "id"), "title",
					  json_text(m, "name"), "what", "measurement", "date", next);
		json_object_set_new(item, "owner", json_int(m, "collector")
							   ? json_integer(json_int(m, "collector"))
							   : json_null());
		json_array_append_new(items, item);
	}
	json_decref(all);
	return 0;
}

/* ---- The module --------------------------------------------------------------------- */

static const struct record_type *const c9_1_types[] = {
	&measures_type,
	&measurements_type,
};

/* The dashboard first: the navigation's Reports entry takes its title. */
static const struct view *const c9_1_views[] = {
	&measure_dashboard_view,
	&measure_trend_view,
};

const struct module c9_1_module = {
	.clause = "9.1",
	.title = "Monitoring, measurement, analysis and evaluation",
	.file = __FILE__,
	.types = c9_1_types,
	.ntypes = COUNT_OF(c9_1_types),
	.views = c9_1_views,
	.nviews = COUNT_OF(c9_1_views),
	.checks = measure_checks,
	.due = measure_due,
	.review_inputs = measure_review_inputs,
};
