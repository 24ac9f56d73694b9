/* c4_1_context.c — 4.1: external and internal issues, whose category must fit the issue's
   origin, and the decision on whether climate change is a relevant issue. */
#include "c4_context.h"
#include "c9_3_review.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

static const char *const origins[] = {"internal", "external", NULL};
static const char *const external_categories[] = {"political",     "economic", "social",
						  "technological", "legal",    "environmental",
						  NULL};
static const char *const internal_categories[] = {"governance", "structure", "culture",
						  "resources",  "systems",   "contracts",
						  "standards",  NULL};
static const char *const categories[] = {
	"political", "economic",  "social",  "technological", "legal",     "environmental",
	"governance", "structure", "culture", "resources",     "systems", "contracts",
	"standards", NULL};

static const struct field context_issue_fields[] = {
	{.name = "title", .label = "Issue", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "A short name for the issue, e.g. \"Dependence on one cloud provider\"."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the issue is and where it comes from."},
	{.name = "origin", .label = "Internal or external", .type = FT_ENUM,
	 .flags = F_REQUIRED, .values = origins,
	 .help = "External issues come from the organization's environment; internal ones from "
		 "how it is organized and run."},
	{.name = "category", .label = "Category", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = categories,
	 .help = "External: political, economic, social, technological, legal, environmental. "
		 "Internal: governance, structure, culture, resources, systems, contracts, "
		 "standards."},
	{.name = "effect", .label = "Effect on the ISMS", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "How the issue helps or hinders the ISMS in achieving its intended outcomes."},
	{.name = "climate_related", .label = "Climate-related", .type = FT_BOOL,
	 .help = "Whether the issue concerns climate change (see the climate decision)."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .help = "Who keeps an eye on this issue."},
	{.name = "last_reviewed", .label = "Last reviewed", .type = FT_DATE, .flags = F_PAST,
	 .help = "When the issue was last looked at."},
	{.name = "next_review", .label = "Next review", .type = FT_DATE,
	 .help = "When it should be looked at again; at least yearly is usual."},
};

static bool in_values(const char *const *values, const char *s)
{
	for (int i = 0; s && values[i]; i++)
		if (strcmp(values[i], s) == 0)
			return true;
	return false;
}

static int context_issue_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
				  const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	const char *origin = json_str(rec, "origin"), *category = json_str(rec, "category");
	bool external = origin && strcmp(origin, "external") == 0;
	if (!in_values(external ? external_categories : internal_categories, category))
		return err_set(e, ERR_INVALID, "category",
			       "Category: %s is not a category of %s issues (%s)", category, origin,
			       external ? "political, economic, social, technological, legal, "
					  "environmental"
					: "governance, structure, culture, resources, systems, "
					  "contracts, standards");
	const char *last = json_str(rec, "last_reviewed"), *next = json_str(rec, "next_review");
	if (last && next && strcmp(next, last) < 0)
		return err_set(e, ERR_INVALID, "next_review",
			       "Next review must not be before the last review");
	return 0;
}

static const struct due_rule context_issue_due[] = {
	{.date_field = "next_review",
	 .owner_field = "owner",
	 .what = "review"},
	{0},
};

const struct record_type context_issues_type = {
	.name = "context_issue",
	.plural = "context-issues",
	.table = "context_issues",
	.label = "context issue",
	.label_plural = "context issues",
	.clause = "4.1",
	.help = "Internal and external issues that affect what the ISMS can achieve.",
	.section = "4",
	.title_field = "title",
	.default_sort = "title",
	.fields = context_issue_fields,
	.nfields = sizeof context_issue_fields / sizeof context_issue_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
	.validate = context_issue_validate,
	.due = context_issue_due,
};

static const struct field climate_fields[] = {
	{.name = "decided_on", .label = "Decided on", .type = FT_DATE, .flags = F_REQUIRED | F_PAST,
	 .help = "When the decision was taken; the newest decision is the one in force."},
	{.name = "relevant", .label = "Climate change is relevant", .type = FT_BOOL,
	 .help = "Whether climate change is a relevant issue for this ISMS (required since the "
		 "2024 amendment to be decided explicitly)."},
	{.name = "rationale", .label = "Rationale", .type = FT_MARKDOWN, .flags = F_REQUIRED,
	 .help = "Why it is or is not relevant, e.g. physical risks to sites or data centres, "
		 "customer or regulatory expectations."},
	{.name = "decided_by", .label = "Decided by", .type = FT_REF, .ref = "person",
	 .help = "Who took the decision."},
};

const struct record_type climate_decisions_type = {
	.name = "climate_decision",
	.plural = "climate-decisions",
	.table = "climate_decisions",
	.label = "climate decision",
	.label_plural = "climate decisions",
	.clause = "4.1",
	.help = "The recorded decision whether climate change is a relevant issue.",
	.section = "4",
	.title_field = "decided_on",
	.default_sort = "-decided_on",
	.fields = climate_fields,
	.nfields = sizeof climate_fields / sizeof climate_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_TOP_MANAGEMENT),
	.since = 1,
};

static const struct record_type *const c4_1_types[] = {
	&context_issues_type,
	&climate_decisions_type,
};

/* 9.3.2 b: what changed in the issues, from the change log. */
static int context_review_inputs(struct ctx *c, const char *since, const char *until,
				 json_t *inputs, struct err *e)
{
	static const char *const types[] = {"context-issues", "climate-decisions", NULL};
	return review_entry_changes(c, inputs, "b", "4.1", "External and internal issues", types,
				    since, until, e);
}

const struct module c4_1_module = {
	.clause = "4.1",
	.title = "Understanding the organization and its context",
	.file = __FILE__,
	.types = c4_1_types,
	.ntypes = COUNT_OF(c4_1_types),
	.review_inputs = context_review_inputs,
};
