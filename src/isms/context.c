/* context.c — clause 4 record types and their real behaviour: categories that fit the
   issue's origin, and scope approval (never by its last editor; one approved scope at a
   time, earlier versions kept as superseded). */
#include "context.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

#define EDITORS (RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER))

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
	{.name = "last_reviewed", .label = "Last reviewed", .type = FT_DATE,
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
	{.name = "decided_on", .label = "Decided on", .type = FT_DATE, .flags = F_REQUIRED,
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

static const char *const party_kinds[] = {"customer", "regulator", "supplier", "staff", "owner",
					  "partner",  "authority", "other",   NULL};

static const struct field party_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 200,
	 .help = "The party or group of parties, e.g. \"Enterprise customers\"."},
	{.name = "origin", .label = "Internal or external", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = origins, .help = "Inside the organization or outside it."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = party_kinds, .help = "What sort of party this is."},
	{.name = "contact", .label = "Contact", .type = FT_TEXT, .flags = F_SEARCH, .max_len = 300,
	 .help = "How to reach them, or who in the organization handles the relationship."},
	{.name = "notes", .label = "Notes", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Why the party is relevant to information security."},
};

const struct record_type interested_parties_type = {
	.name = "interested_party",
	.plural = "interested-parties",
	.table = "interested_parties",
	.label = "interested party",
	.label_plural = "interested parties",
	.clause = "4.2",
	.help = "People and organizations whose needs the ISMS must know.",
	.section = "4",
	.title_field = "name",
	.default_sort = "name",
	.fields = party_fields,
	.nfields = sizeof party_fields / sizeof party_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
};

static const char *const requirement_sources[] = {"legal", "regulatory", "contractual",
						  "expectation", NULL};

static const struct field requirement_fields[] = {
	{.name = "description", .label = "Requirement", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_SEARCH, .max_len = 500,
	 .help = "What the party needs or expects, in one sentence."},
	{.name = "party", .label = "Interested party", .type = FT_REF, .ref = "interested_party",
	 .flags = F_REQUIRED, .help = "Whose requirement this is."},
	{.name = "source", .label = "Source", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = requirement_sources,
	 .help = "Law, regulation, contract, or an expectation without legal force."},
	{.name = "addressed", .label = "Addressed by the ISMS", .type = FT_BOOL,
	 .help = "Whether the ISMS takes this requirement on."},
	{.name = "how_addressed", .label = "How addressed, or why not", .type = FT_MARKDOWN,
	 .flags = F_REQUIRED | F_SEARCH,
	 .help = "The policies, controls or processes that meet it; or the reason it is not "
		 "addressed."},
	{.name = "reference", .label = "Reference", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 300, .help = "The law, article or contract clause, e.g. \"GDPR Art. 32\"."},
	{.name = "climate_related", .label = "Climate-related", .type = FT_BOOL,
	 .help = "Whether the requirement concerns climate change."},
};

const struct record_type requirements_type = {
	.name = "requirement",
	.plural = "requirements",
	.table = "requirements",
	.label = "requirement",
	.label_plural = "requirements",
	.clause = "4.2",
	.help = "Requirements of interested parties, and whether and how the ISMS addresses them.",
	.section = "4",
	.title_field = "description",
	.default_sort = "description",
	.fields = requirement_fields,
	.nfields = sizeof requirement_fields / sizeof requirement_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
};

static const char *const scope_states[] = {"draft", "approved", "superseded", NULL};
static const char *const from_draft[] = {"draft", NULL};
static const char *const frozen_states[] = {"approved", "superseded", NULL};

static const struct field scope_fields[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "Names this version, e.g. \"ISMS scope 2026\"."},
	{.name = "statement", .label = "Scope statement", .type = FT_MARKDOWN,
	 .flags = F_REQUIRED | F_SEARCH,
	 .help = "The scope in a few sentences, as it would appear on a certificate."},
	{.name = "units", .label = "Organizational units", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Departments, teams or legal entities inside the scope."},
	{.name = "locations", .label = "Locations", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Offices, data centres and remote working covered."},
	{.name = "processes", .label = "Processes", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Business processes and activities covered."},
	{.name = "information", .label = "Information", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "The information the ISMS protects."},
	{.name = "systems", .label = "Systems", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Applications, infrastructure and services covered."},
	{.name = "interfaces", .label = "Interfaces and dependencies", .type = FT_MARKDOWN,
	 .flags = F_SEARCH,
	 .help = "Where the scope meets other organizations or parts of this one, and what it "
		 "depends on (cloud providers, group services…)."},
	{.name = "exclusions", .label = "Exclusions and justification", .type = FT_MARKDOWN,
	 .flags = F_SEARCH,
	 .help = "What is left out and why; each exclusion needs a reason that holds up."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY,
	 .values = scope_states, .def = "\"draft\"",
	 .help = "Draft until approved; approving a new version supersedes the previous one."},
	{.name = "approved_by", .label = "Approved by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The user who approved this version."},
	{.name = "approved_on", .label = "Approved on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When it was approved."},
};

static int scope_approve_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
			       struct err *e)
{
	char editor[65];
	long long id = json_integer_value(json_object_get(rec, "id"));
	if (record_last_editor(c, rt, id, editor, sizeof editor, e) < 0)
		return -1;
	if (strcmp(editor, c->actor.username) == 0)
		return err_set(e, ERR_CONFLICT, NULL,
			       "you edited this scope last, so someone else must approve it (four "
			       "eyes)");
	return 0;
}

static const struct action scope_actions[] = {
	{.name = "approve", .label = "Approve",
	 .help = "Makes this the current scope; the previous approved scope is superseded. The "
		 "last editor cannot approve.",
	 .from = from_draft, .to = "approved",
	 .roles = RB(ROLE_TOP_MANAGEMENT) | RB(ROLE_ISMS_MANAGER),
	 .guard = scope_approve_guard, .apply = record_approve_superseding},
};

const struct record_type scopes_type = {
	.name = "scope",
	.plural = "scopes",
	.table = "scopes",
	.label = "scope",
	.label_plural = "scopes",
	.clause = "4.3",
	.help = "The boundaries and applicability of the ISMS, versioned and approved.",
	.section = "4",
	.title_field = "title",
	.default_sort = "-id",
	.fields = scope_fields,
	.nfields = sizeof scope_fields / sizeof scope_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.state_field = "status",
	.actions = scope_actions,
	.nactions = sizeof scope_actions / sizeof scope_actions[0],
	.since = 1,
	.frozen = frozen_states,
};

static const struct field process_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 200,
	 .help = "The process, e.g. \"Risk management\" or \"Internal audit\"."},
	{.name = "purpose", .label = "Purpose", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the process achieves for the ISMS."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .help = "Who is accountable for the process."},
	{.name = "inputs", .label = "Inputs", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What it takes in, and from where."},
	{.name = "outputs", .label = "Outputs", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What it produces, and for whom."},
	{.name = "related", .label = "Related processes", .type = FT_REFS, .ref = "process",
	 .flags = F_SET_NULL, .help = "Processes this one feeds or depends on."},
};

const struct record_type processes_type = {
	.name = "process",
	.plural = "processes",
	.table = "processes",
	.label = "ISMS process",
	.label_plural = "ISMS processes",
	.clause = "4.4",
	.help = "The processes that make up the ISMS and how they interact.",
	.section = "4",
	.title_field = "name",
	.default_sort = "name",
	.fields = process_fields,
	.nfields = sizeof process_fields / sizeof process_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
};

static const char *const asset_kinds[] = {"information", "software", "hardware", "service",
					  "people",      "site",     "supplier", NULL};
static const char *const classifications[] = {"public", "internal", "confidential",
					      "restricted", NULL};

static const struct field asset_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "What the asset is called in the organization."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = asset_kinds, .help = "Information, software, hardware, service, people, site "
				       "or supplier."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person", .flags = F_REQUIRED,
	 .help = "The person accountable for the asset and its protection (Annex A 5.9)."},
	{.name = "classification", .label = "Classification", .type = FT_ENUM,
	 .flags = F_REQUIRED, .values = classifications,
	 .help = "How sensitive it is, by the organization's classification scheme."},
	{.name = "confidentiality", .label = "Confidentiality need", .type = FT_INT, .min = 1,
	 .max = 5, .help = "1 (none) to 5 (very high): harm if disclosed."},
	{.name = "integrity", .label = "Integrity need", .type = FT_INT, .min = 1, .max = 5,
	 .help = "1 (none) to 5 (very high): harm if altered or wrong."},
	{.name = "availability", .label = "Availability need", .type = FT_INT, .min = 1, .max = 5,
	 .help = "1 (none) to 5 (very high): harm if unavailable."},
	{.name = "location", .label = "Location", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 200, .help = "Where it lives: a site, a cloud region, a system."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What it is and what it is used for."},
	{.name = "in_scope", .label = "In scope", .type = FT_BOOL, .def = "true",
	 .help = "Whether the asset falls inside the ISMS scope."},
	{.name = "parent", .label = "Part of", .type = FT_REF, .ref = "asset", .flags = F_SET_NULL,
	 .help = "A larger asset this one belongs to, e.g. a database within a platform."},
};

static int asset_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			  const json_t *old, struct err *e)
{
	(void)old;
	json_t *id = json_object_get(rec, "id"), *parent = json_object_get(rec, "parent");
	if (!id || !json_is_integer(parent))
		return 0;
	/* Walk up the parents: an asset may not end up inside itself. */
	long long at = json_integer_value(parent);
	for (int depth = 0; at && depth < 64; depth++) {
		if (at == json_integer_value(id))
			return err_set(e, ERR_INVALID, "parent",
				       "Part of: an asset cannot be part of itself");
		json_t *up;
		if (record_get(c, rt, at, &up, e) < 0)
			return -1;
		at = json_is_integer(json_object_get(up, "parent"))
			     ? json_integer_value(json_object_get(up, "parent"))
			     : 0;
		json_decref(up);
	}
	return 0;
}

const struct record_type assets_type = {
	.name = "asset",
	.plural = "assets",
	.table = "assets",
	.label = "asset",
	.label_plural = "assets",
	.clause = "A.5.9",
	.help = "The inventory of information and other associated assets, each with an owner.",
	.section = "4",
	.title_field = "name",
	.default_sort = "name",
	.fields = asset_fields,
	.nfields = sizeof asset_fields / sizeof asset_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
	.validate = asset_validate,
};
