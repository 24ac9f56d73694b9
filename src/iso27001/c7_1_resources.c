/* c7_1_resources.c — 7.1: the resources the ISMS needs, determined and provided: budget
   lines, effort, tools and external services, each for a period, saying what it serves
   (objectives, controls, processes) and approved by top management on a day. */
#include "c5_leadership.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const char *const kinds[] = {"budget", "effort", "tool", "external_service", NULL};
static const char *const states[] = {"draft", "approved", "withdrawn", NULL};
static const char *const from_draft[] = {"draft", NULL};
static const char *const from_approved[] = {"approved", NULL};
static const char *const frozen[] = {"approved", "withdrawn", NULL};

static const struct field resource_fields[] = {
	{.name = "name", .label = "Resource", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200,
	 .help = "What is provided, e.g. \"Security budget 2027\" or \"Managed detection and "
		 "response service\"."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = kinds,
	 .help = "A budget line, effort of people (in FTE), a tool, or an external service."},
	{.name = "amount", .label = "Amount", .type = FT_INT, .min = 0, .max = 1000000000000LL,
	 .help = "How much, in the unit below: euros for a budget, hundredths of an FTE for "
		 "effort (150 = 1.5 FTE), seats or licences for a tool."},
	{.name = "unit", .label = "Unit", .type = FT_TEXT, .max_len = 30,
	 .help = "The unit of the amount, e.g. EUR, FTE/100, seats."},
	{.name = "period_start", .label = "From", .type = FT_DATE, .flags = F_REQUIRED,
	 .help = "The first day the resource is provided for."},
	{.name = "period_end", .label = "Until", .type = FT_DATE, .flags = F_INDEX,
	 .help = "The last day; empty while it lasts."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person", .flags = F_SET_NULL,
	 .help = "Who manages the resource and answers for its use."},
	{.name = "objectives", .label = "Serves objectives", .type = FT_REFS, .ref = "objective",
	 .flags = F_SET_NULL, .help = "The information security objectives (6.2) it helps reach."},
	{.name = "controls", .label = "Serves controls", .type = FT_REFS, .ref = "control",
	 .flags = F_SET_NULL, .help = "The applied controls this resource pays for or runs."},
	{.name = "processes", .label = "Serves processes", .type = FT_REFS, .ref = "process",
	 .flags = F_SET_NULL, .help = "The ISMS processes this resource serves."},
	{.name = "justification", .label = "Why it is needed", .type = FT_MARKDOWN,
	 .flags = F_SEARCH,
	 .help = "How the need was determined: the risks, objectives or obligations behind it."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = states, .def = "\"draft\"",
	 .help = "Draft until top management approves it; withdrawn when it is no longer "
		 "provided."},
	{.name = "approved_by", .label = "Approved by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 200, .help = "Who approved it for top management."},
	{.name = "approved_on", .label = "Approved on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day it was approved (its effective date)."},
};

static int resource_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			     const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	const char *from = json_str(rec, "period_start"), *until = json_str(rec, "period_end");
	if (from && until && strcmp(until, from) < 0)
		return err_set(e, ERR_INVALID, "period_end", "Until must not be before From");
	if (json_object_get(rec, "amount") && !json_is_null(json_object_get(rec, "amount")) &&
	    !json_str(rec, "unit"))
		return err_set(e, ERR_INVALID, "unit", "Unit: say what the amount counts (EUR, "
						       "FTE/100, seats…)");
	return 0;
}

/* Resources are provided by top management (5.1 c, 7.1): its approval, on its day. */
static int approve_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
			  struct err *e)
{
	(void)rt;
	(void)rec;
	return authority_check(c, 0, AUTH_NAMED_ONLY, "approve resources for the ISMS", e);
}

static const struct action resource_actions[] = {
	{.name = "approve", .label = "Approve",
	 .help = "Top management provides the resource for its period.",
	 .from = from_draft, .to = "approved", .roles = ROLES_ALL, .permit = approve_permit,
	 .apply = record_approve_apply, .effective = true},
	{.name = "withdraw", .label = "Withdraw",
	 .help = "The resource is no longer provided (the budget was cut, the service ended).",
	 .from = from_approved, .to = "withdrawn", .roles = EDITORS},
};

static const struct record_type resources_type = {
	.name = "resource",
	.plural = "resources",
	.table = "resources",
	.label = "resource",
	.label_plural = "resources",
	.clause = "7.1",
	.help = "What the ISMS needs and is given: budget, people's time, tools and services, "
		"each for a period, approved by top management.",
	.section = "7",
	.title_field = "name",
	.default_sort = "-period_start",
	.fields = resource_fields,
	.nfields = COUNT_OF(resource_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.state_field = "status",
	.frozen = frozen,
	.actions = resource_actions,
	.nactions = COUNT_OF(resource_actions),
	.since = 3,
	.validate = resource_validate,
};

/* 7.1: resources are determined (some are recorded) and provided (approved, in force
   today); drafts waiting for approval are named. */
static int resource_checks(struct ctx *c, json_t *items, struct err *e)
{
	char today[11], detail[400];
	long long all, current, waiting;
	ctx_today(c, today);
	struct query any = {.type = "resource"};
	struct query in_force = {.type = "resource",
				 .where = {QEQ("status", SVS("approved")),
					   QLE("period_start", SVS(today)),
					   QGE_OR_NULL("period_end", SVS(today))}};
	struct query drafts = {.type = "resource", .where = {QEQ("status", SVS("draft"))}};
	if (query_count(c, &any, &all, e) < 0 || query_count(c, &in_force, &current, e) < 0 ||
	    query_count(c, &drafts, &waiting, e) < 0)
		return -1;
	if (!all)
		snprintf(detail, sizeof detail,
			 "no resources are recorded: say what budget, effort, tools and services "
			 "the ISMS has");
	else if (!current)
		snprintf(detail, sizeof detail,
			 "none of the %lld resources recorded is approved for today", all);
	else
		snprintf(detail, sizeof detail, "%lld approved for today%s", current,
			 waiting ? ", and some drafts wait for approval" : "");
	json_array_append_new(items,
			      json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", "resources-provided",
					 "clause", "7.1", "rule",
					 "The resources the ISMS needs are determined and approved by "
					 "top management",
					 "ok", current > 0, "detail", detail, "link", "#/t/resources"));
	return 0;
}

static const struct record_type *const c7_1_types[] = {
	&resources_type,
};

const struct module c7_1_module = {
	.clause = "7.1",
	.title = "Resources",
	.file = __FILE__,
	.types = c7_1_types,
	.ntypes = COUNT_OF(c7_1_types),
	.checks = resource_checks,
};
