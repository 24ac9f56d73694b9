/* c8_2_risk_assessment.c — 8.2: the risk assessment runs, at planned intervals or after a
   significant change, and when the next one is due. */
#include "c6_1_2_risks.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const struct field assessment_fields[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "E.g. \"Annual risk assessment 2026\"."},
	{.name = "held_on", .label = "Held on", .type = FT_DATE, .flags = F_REQUIRED | F_PAST,
	 .help = "When the assessment was carried out (or finished)."},
	{.name = "scope", .label = "Scope", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the run covered: the whole ISMS or a part after a significant change."},
	{.name = "participants", .label = "Participants", .type = FT_REFS, .ref = "person",
	 .flags = F_SET_NULL, .help = "Who took part."},
	{.name = "summary", .label = "Summary", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Results: new, changed and closed risks, and decisions."},
	{.name = "method", .label = "Method", .type = FT_REF, .ref = "risk_method",
	 .help = "The risk method used."},
	{.name = "next_due", .label = "Next run due", .type = FT_DATE, .flags = F_DERIVED,
	 .help = "Computed: held on plus the approved method's reassessment interval."},
	{.name = "due", .label = "Due now", .type = FT_BOOL, .flags = F_DERIVED,
	 .help = "Computed: this is the latest run and the interval since it has passed."},
};

static int assessment_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			       struct err *e)
{
	(void)rt;
	json_t *m;
	const char *held = json_str(rec, "held_on");
	if (!held || risk_method_current(c, &m, e) < 0)
		return held ? -1 : 0;
	char next[11], latest[11] = "";
	json_t *months = m ? json_object_get(m, "reassessment_months") : NULL;
	clock_add_months(held, months ? json_integer_value(months) : 12, next);
	json_decref(m);
	struct query all = {.type = "risk_assessment"};
	json_t *max;
	if (query_max(c, &all, "held_on", &max, e) < 0)
		return -1;
	if (json_is_string(max))
		snprintf(latest, sizeof latest, "%s", json_string_value(max));
	json_decref(max);
	json_object_set_new(rec, "next_due", json_string(next));
	json_object_set_new(rec, "due", json_boolean(strcmp(held, latest) >= 0 &&
						      strncmp(next, c->now, 10) <= 0));
	return 0;
}

const struct record_type risk_assessments_type = {
	.name = "risk_assessment",
	.plural = "risk-assessments",
	.table = "risk_assessments",
	.label = "risk assessment",
	.label_plural = "risk assessments",
	.clause = "8.2",
	.section = "8",
	.help = "Dated runs of the risk assessment, at planned intervals and after significant "
		"changes.",
	.title_field = "title",
	.default_sort = "-held_on",
	.fields = assessment_fields,
	.nfields = sizeof assessment_fields / sizeof assessment_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RISK_EDITORS,
	.since = 1,
	.decorate = assessment_decorate,
};

static const struct record_type *const c8_2_types[] = {
	&risk_assessments_type,
};

const struct module c8_2_module = {
	.clause = "8.2",
	.title = "Information security risk assessment, performed",
	.file = __FILE__,
	.types = c8_2_types,
	.ntypes = COUNT_OF(c8_2_types),
};
