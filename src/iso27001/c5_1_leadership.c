/* c5_1_leadership.c — 5.1: evidence of top management's leadership and commitment. */
#include "c5_leadership.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* ---- Leadership evidence ------------------------------------------------------------- */

static const char *const evidence_kinds[] = {"decision", "resource_approval", "communication",
					     "review_participation", NULL};

static const struct field evidence_fields[] = {
	{.name = "occurred_on", .label = "Date", .type = FT_DATE,
	 .flags = F_REQUIRED | F_INDEX | F_PAST,
	 .help = "When it happened."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = evidence_kinds,
	 .help = "A decision, an approval of resources, a communication to staff or parties, or "
		 "taking part in a management review."},
	{.name = "summary", .label = "Summary", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "One line, e.g. \"Budget for a second security engineer\"."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN,
	 .flags = F_REQUIRED | F_SEARCH,
	 .help = "What was decided, approved or said, and why it matters to the ISMS."},
	{.name = "by_person", .label = "By", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX,
	 .help = "The member of top management who acted: they must hold a role marked as top "
		 "management on that day."},
	{.name = "documents", .label = "Documents", .type = FT_REFS, .ref = "document",
	 .flags = F_SET_NULL, .help = "Documents that show it: minutes, the policy, a memo."},
	{.name = "attachments", .label = "Files", .type = FT_REFS, .ref = "attachment",
	 .flags = F_SET_NULL,
	 .help = "Uploaded files that show it, e.g. the signed budget approval or the slides of "
		 "an all-hands message."},
};

static int evidence_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			     const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	long long person = json_int(rec, "by_person"), held;
	const char *day = json_str(rec, "occurred_on");
	json_t *top;
	struct query top_roles = {.type = "role", .where = {QEQ("top_management", SVI(1))}};
	if (query_ids(c, &top_roles, &top, e) < 0)
		return -1;
	/* A top-management role held that day (an account's application role is a permission,
	   not a place in top management). */
	struct query holds = {.type = "role_assignment",
			      .where = {QEQ("person", SVI(person)), QIN("role", top),
					QLE("starts_on", SVS(day)),
					QGE_OR_NULL("ends_on", SVS(day))}};
	int rc = query_count(c, &holds, &held, e);
	json_decref(top);
	if (rc < 0)
		return -1;
	if (held == 0) {
		char name[200];
		if (record_title_of(c, registry_find(c->reg, "person"), person, name, sizeof name,
				    e) < 0)
			return -1;
		return err_set(e, ERR_INVALID, "by_person",
			       "By: %s held no top-management role on %s; leadership evidence "
			       "shows what top management did (assign them a role marked as top "
			       "management first)",
			       name[0] ? name : "this person", day ? day : "that day");
	}
	return 0;
}

const struct record_type leadership_evidence_type = {
	.name = "leadership_evidence",
	.plural = "leadership-evidence",
	.table = "leadership_evidence",
	.label = "leadership evidence",
	.label_plural = "leadership evidence",
	.clause = "5.1",
	.help = "What top management did for the ISMS: decisions, resources approved, messages "
		"to staff, reviews attended, each with its date, who and the documents that show "
		"it.",
	.section = "5",
	.title_field = "summary",
	.default_sort = "-occurred_on",
	.fields = evidence_fields,
	.nfields = sizeof evidence_fields / sizeof evidence_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_TOP_MANAGEMENT),
	.since = 1,
	.validate = evidence_validate,
};

static const struct record_type *const c5_1_types[] = {
	&leadership_evidence_type,
};

const struct module c5_1_module = {
	.clause = "5.1",
	.title = "Leadership and commitment",
	.file = __FILE__,
	.types = c5_1_types,
	.ntypes = COUNT_OF(c5_1_types),
};
