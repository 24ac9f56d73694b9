/* c9_2_audit_programme.c — 9.2.2: the audit programme (its period, objectives, manager and
   cycle), reusable audit criteria, and the finding scale (finding kinds, seeded with the
   usual five and open to the organization's own). The module declaration is here too. */
#include "c9_2_audit.h"
#include "../base/json.h"
#include "../engine/query.h"
#include "../engine/named_sql.h"

#include <string.h>

static const struct field programme_fields[] = {
	{.name = "title", .label = "Programme", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "Names the programme, e.g. \"Internal audit programme "
				 "2026–2028\"."},
	{.name = "period_start", .label = "From", .type = FT_DATE, .flags = F_REQUIRED | F_INDEX,
	 .help = "The first day the programme covers."},
	{.name = "period_end", .label = "Until", .type = FT_DATE, .flags = F_REQUIRED,
	 .help = "The last day it covers; every clause and applicable control is to be audited "
		 "within it."},
	{.name = "cycle_years", .label = "Cycle (years)", .type = FT_INT, .min = 1, .max = 10,
	 .help = "How many years one full round of the programme takes, often three, like a "
		 "certificate."},
	{.name = "objectives", .label = "Objectives", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the programme is meant to establish, and how the importance of processes "
		 "and earlier results shaped it."},
	{.name = "manager", .label = "Managed by", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL | F_INDEX, .help = "Who plans and runs the programme."},
};

static int programme_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			      const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	const char *from = json_str(rec, "period_start"), *until = json_str(rec, "period_end");
	if (from && until && strcmp(until, from) < 0)
		return err_set(e, ERR_INVALID, "period_end",
			       "period_end (%s) cannot be before period_start (%s)", until, from);
	return 0;
}

const struct record_type audit_programmes_type = {
	.name = "audit_programme",
	.plural = "audit-programmes",
	.table = "audit_programmes",
	.label = "audit programme",
	.label_plural = "audit programmes",
	.clause = "9.2",
	.help = "The internal audit programme: its period, objectives, manager and cycle; the "
		"audits in it say what each covers (see its coverage matrix).",
	.section = "9",
	.title_field = "title",
	.default_sort = "-period_start",
	.fields = programme_fields,
	.nfields = COUNT_OF(programme_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 4,
	.validate = programme_validate,
};

static const struct field criteria_fields[] = {
	{.name = "name", .label = "Criterion", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 200,
	 .help = "Names the criterion, e.g. \"The standard's requirements\"."},
	{.name = "reference", .label = "Reference", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 200,
	 .help = "The text audited against, e.g. \"ISO/IEC 27001:2022\" or \"POL-001\"."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What conformity to it means, in a few lines."},
};

const struct record_type audit_criteria_type = {
	.name = "audit_criterion",
	.plural = "audit-criteria",
	.table = "audit_criteria",
	.label = "audit criterion",
	.label_plural = "audit criteria",
	.clause = "9.2",
	.help = "Requirements audits are measured against: the standard, the organization's "
		"policies, contracts; reused by audits.",
	.section = "9",
	.title_field = "name",
	.default_sort = "name",
	.fields = criteria_fields,
	.nfields = COUNT_OF(criteria_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_AUDITOR),
	.since = 4,
};

static const char *const severities[] = {"major", "minor", NULL};

static const struct field kind_fields[] = {
	{.name = "name", .label = "Key", .type = FT_TEXT, .flags = F_REQUIRED | F_UNIQUE,
	 .max_len = 40, .help = "A short key, e.g. \"minor_nc\"."},
	{.name = "label", .label = "Kind", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 100, .help = "What people read, e.g. \"Minor nonconformity\"."},
	{.name = "is_nonconformity", .label = "Is a nonconformity", .type = FT_BOOL,
	 .def = "false",
	 .help = "A finding of this kind opens a nonconformity (10.2) by itself."},
	{.name = "severity", .label = "Severity", .type = FT_ENUM, .values = severities,
	 .help = "For nonconformities: major or minor, carried to the nonconformity."},
	{.name = "rank", .label = "Order", .type = FT_INT, .min = 0, .max = 100, .def = "50",
	 .help = "Where the kind stands on the scale, the most serious first."},
};

static int kind_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			 const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	if (json_is_true(json_object_get(rec, "is_nonconformity")) && !json_str(rec, "severity"))
		return err_set(e, ERR_INVALID, "severity",
			       "severity: a kind that is a nonconformity is major or minor");
	return 0;
}

const struct record_type finding_kinds_type = {
	.name = "finding_kind",
	.plural = "finding-kinds",
	.table = "finding_kinds",
	.label = "finding kind",
	.label_plural = "finding kinds",
	.clause = "9.2",
	.help = "The scale audit findings are graded on; kinds that are nonconformities open a "
		"10.2 record.",
	.section = "9",
	.title_field = "label",
	.default_sort = "rank",
	.fields = kind_fields,
	.nfields = COUNT_OF(kind_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 4,
	.validate = kind_validate,
};

int finding_kinds_seed(struct ctx *c, struct err *e)
{
	static const struct {
		const char *name, *label, *severity;
		int rank;
	} kinds[] = {
		{"major_nc", "Major nonconformity", "major", 10},
		{"minor_nc", "Minor nonconformity", "minor", 20},
		{"observation", "Observation", NULL, 30},
		{"ofi", "Opportunity for improvement", NULL, 40},
		{"conformity", "Conformity", NULL, 50},
	};
	for (size_t i = 0; i < COUNT_OF(kinds); i++) {
		bool have;
		struct query q = {.type = "finding_kind",
				  .where = {QEQ("name", SVS(kinds[i].name))}};
		if (query_exists(c, &q, &have, e) < 0)
			return -1;
		if (have)
			continue;
		json_t *in = json_build("{s:s, s:s, s:b, s:I}", "name", kinds[i].name, "label",
					kinds[i].label, "is_nonconformity",
					kinds[i].severity != NULL, "rank",
					(json_int_t)kinds[i].rank), *out = NULL;
		if (kinds[i].severity)
			json_object_set_new(in, "severity", json_string(kinds[i].severity));
		int rc = record_create(c, &finding_kinds_type, in, &out, e);
		json_decref(in);
		json_decref(out);
		if (rc < 0)
			return -1;
	}
	return 0;
}

bool audit_clause_known(const struct registry *reg, const char *number)
{
	if (!number || !(number[0] >= '1' && number[0] <= '9'))
		return false;
	for (size_t i = 0; i < reg->nclauses; i++)
		if (strcmp(reg->clauses[i].number, number) == 0)
			return true;
	return false;
}

static const struct record_type *const c9_2_types[] = {
	&finding_kinds_type, &audit_criteria_type, &audit_programmes_type,
	&audits_type,        &audit_samples_type,  &audit_findings_type,
};

static const struct view *const c9_2_views[] = {
	&audit_coverage_view,
	&audit_checklist_view,
	&audit_report_view,
};

static const registry_seed_fn c9_2_seeds[] = {finding_kinds_seed};

const struct module c9_2_module = {
	.clause = "9.2",
	.title = "Internal audit",
	.file = __FILE__,
	.types = c9_2_types,
	.ntypes = COUNT_OF(c9_2_types),
	.views = c9_2_views,
	.nviews = COUNT_OF(c9_2_views),
	.checks = audit_checks,
	.review_inputs = audit_review_inputs,
	.sql = coverage_sql,
	.seeds = c9_2_seeds,
	.nseeds = COUNT_OF(c9_2_seeds),
};
