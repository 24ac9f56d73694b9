/* c4_3_scope.c — 4.3: the ISMS scope, as versions prepared and submitted by one person and
   approved by another who holds the authority (top management, or a role that approves the
   scope and the SoA); one approved scope at a time, earlier versions kept as superseded. */
#include "c4_context.h"
#include "c5_leadership.h"
#include "../base/json.h"
#include "../base/text.h"

#include <stdio.h>
#include <string.h>

static const char *const scope_states[] = {"draft", "submitted", "approved", "superseded", NULL};
static const char *const from_draft[] = {"draft", NULL};
static const char *const from_submitted[] = {"submitted", NULL};
static const char *const frozen_states[] = {"submitted", "approved", "superseded", NULL};

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
	 .help = "Draft while it is prepared, submitted once ready, then approved; approving a "
		 "new version supersedes the previous one."},
	{.name = "submitted_by", .label = "Submitted by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .since = 3, .help = "The user who prepared and submitted this version."},
	{.name = "submitted_on", .label = "Submitted on", .type = FT_DATE, .flags = F_READONLY,
	 .since = 3, .help = "When it was submitted for approval."},
	{.name = "approved_by", .label = "Approved by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The user who approved this version."},
	{.name = "approved_on", .label = "Approved on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When it was approved."},
};

static int scope_approve_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
				struct err *e)
{
	(void)rt;
	(void)rec;
	return authority_check(c, 0, AUTH_APPROVE_SCOPE_SOA, "approve the ISMS scope", e);
}

/* Sent back by whoever may approve it, or pulled back by an editor. */
static int scope_return_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
			       struct err *e)
{
	if (actor_has(&c->actor, EDITORS))
		return 0;
	return scope_approve_permit(c, rt, rec, e);
}

static const struct action scope_actions[] = {
	{.name = "submit", .label = "Submit for approval",
	 .help = "The version is ready: it is fixed until it is approved or returned. Whoever "
		 "submits it cannot approve it.",
	 .from = from_draft, .to = "submitted", .roles = EDITORS, .apply = record_submit_apply},
	{.name = "return", .label = "Return to draft",
	 .help = "Sends the version back for changes; it can be edited and submitted again.",
	 .from = from_submitted, .to = "draft", .roles = ROLES_ALL,
	 .permit = scope_return_permit, .apply = record_unsubmit_apply},
	{.name = "approve", .label = "Approve",
	 .help = "Makes this the current scope; the previous approved scope is superseded. Top "
		 "management approves (or a role that approves the scope and the SoA), never the "
		 "person who submitted or last edited it.",
	 .from = from_submitted, .to = "approved", .roles = ROLES_ALL,
	 .permit = scope_approve_permit, .guard = record_approve_guard,
	 .apply = record_approve_superseding,
	 .effective = true},
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

static const struct record_type *const c4_3_types[] = {
	&scopes_type,
};

const struct module c4_3_module = {
	.clause = "4.3",
	.title = "Scope of the ISMS",
	.file = __FILE__,
	.types = c4_3_types,
	.ntypes = COUNT_OF(c4_3_types),
};
