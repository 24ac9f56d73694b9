/* c4_2_interested_parties.c — 4.2: interested parties and their requirements, each decided:
   addressed (and how), not addressed (and why not), or not decided yet. */
#include "c4_context.h"
#include "c9_3_review.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

static const char *const origins[] = {"internal", "external", NULL};

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
	 .flags = F_NULLABLE,
	 .help = "Whether the ISMS takes this requirement on: yes, no, or empty while it is not "
		 "decided yet."},
	{.name = "how_addressed", .label = "How addressed, or why not", .type = FT_MARKDOWN,
	 .flags = F_SEARCH,
	 .help = "The policies, controls or processes that meet it; or the reason it is not "
		 "addressed. Needed once it is decided either way."},
	{.name = "reference", .label = "Reference", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 300, .help = "The law, article or contract clause, e.g. \"GDPR Art. 32\"."},
	{.name = "climate_related", .label = "Climate-related", .type = FT_BOOL,
	 .help = "Whether the requirement concerns climate change."},
};

static int requirement_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
				const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	json_t *addressed = json_object_get(rec, "addressed");
	const char *how = json_str(rec, "how_addressed");
	if (json_is_boolean(addressed) && (!how || !*how))
		return err_set(e, ERR_INVALID, "how_addressed",
			       json_is_true(addressed)
				       ? "How addressed: say which policies, controls or processes "
					 "meet the requirement"
				       : "How addressed, or why not: a requirement the ISMS does not "
					 "address needs the reason");
	return 0;
}

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
	.validate = requirement_validate,
};

static const struct record_type *const c4_2_types[] = {
	&interested_parties_type,
	&requirements_type,
};

/* 9.3.2 c: what changed in the parties and their requirements, from the change log. */
static int parties_review_inputs(struct ctx *c, const char *since, const char *until,
				 json_t *inputs, struct err *e)
{
	static const char *const parties[] = {"interested-parties", NULL};
	static const char *const reqs[] = {"requirements", NULL};
	return review_entry_changes(c, inputs, "c", "4.2", "Interested parties", parties, since,
				    until, e) < 0 ||
			       review_entry_changes(c, inputs, "c", "4.2",
						    "Needs and expectations (requirements)", reqs,
						    since, until, e) < 0
		       ? -1
		       : 0;
}

const struct module c4_2_module = {
	.clause = "4.2",
	.title = "Needs and expectations of interested parties",
	.file = __FILE__,
	.types = c4_2_types,
	.ntypes = COUNT_OF(c4_2_types),
	.review_inputs = parties_review_inputs,
};
