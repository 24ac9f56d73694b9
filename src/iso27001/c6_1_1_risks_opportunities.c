/* c6_1_1_risks_opportunities.c — 6.1.1: risks and opportunities of the ISMS itself, with
   the actions planned to address them. */
#include "c6_1_2_risks.h"
#include "../engine/query.h"
#include "c9_3_review.h"
#include "../base/text.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

static const char *const isms_risk_kinds[] = {"risk", "opportunity", NULL};
static const char *const action_states[] = {"open", "in_progress", "done", "cancelled", NULL};

static const struct field isms_risk_fields[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "The risk or opportunity for the ISMS itself."},
	{.name = "kind", .label = "Risk or opportunity", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = isms_risk_kinds, .help = "Something that could stop the ISMS achieving its "
					     "outcomes, or a chance to do better."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What it is and why it matters."},
	{.name = "context_issue", .label = "Related issue", .type = FT_REF, .ref = "context_issue",
	 .flags = F_SET_NULL, .help = "The internal or external issue (4.1) it comes from."},
	{.name = "requirement", .label = "Related requirement", .type = FT_REF,
	 .ref = "requirement", .flags = F_SET_NULL,
	 .help = "The interested party's requirement (4.2) it comes from."},
	{.name = "planned_action", .label = "Planned action", .type = FT_MARKDOWN,
	 .flags = F_SEARCH, .help = "What will be done about it."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .help = "Who carries the action."},
	{.name = "due_date", .label = "Due", .type = FT_DATE, .help = "When the action is due."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .values = action_states,
	 .def = "\"open\"", .help = "Where the action stands."},
	{.name = "effectiveness", .label = "How effectiveness was evaluated", .type = FT_MARKDOWN,
	 .help = "Once done: how you checked that the action worked (6.1.1 e)."},
};

static int isms_risk_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			      const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	if (str_eq(json_str(rec, "status"), "done") && !json_str(rec, "effectiveness"))
		return err_set(e, ERR_INVALID, "effectiveness",
			       "say how the action's effectiveness was evaluated before marking it "
			       "done");
	return 0;
}

static const char *const action_closed[] = {"done", "cancelled", NULL};
static const struct due_rule isms_risk_due[] = {
	{.date_field = "due_date",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = action_closed,
	 .what = "action due"},
	{0},
};

const struct record_type isms_risks_type = {
	.name = "isms_risk",
	.plural = "isms-risks",
	.table = "isms_risks",
	.label = "ISMS risk or opportunity",
	.label_plural = "ISMS risks and opportunities",
	.clause = "6.1.1",
	.section = "6",
	.help = "Risks and opportunities for the ISMS itself, and the actions planned for them.",
	.title_field = "title",
	.default_sort = "title",
	.fields = isms_risk_fields,
	.nfields = sizeof isms_risk_fields / sizeof isms_risk_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER),
	.since = 1,
	.validate = isms_risk_validate,
	.due = isms_risk_due,
};

static const struct record_type *const c6_1_1_types[] = {
	&isms_risks_type,
};

/* 9.3.2 g: the opportunities for improvement on the ISMS's own register (6.1.1). */
static int opportunities_review_inputs(struct ctx *c, const char *since, const char *until,
				       json_t *inputs, struct err *e)
{
	(void)since;
	(void)until;
	json_t *recs = NULL, *items = json_array();
	char summary[300];
	long long open = 0;
	int rc = -1;
	if (!record_can_read(c, &isms_risks_type)) {
		json_decref(items);
		return 0;
	}
	struct query q = {.type = "isms_risk", .where = {QEQ("kind", SVS("opportunity"))},
			  .order = "due_date"};
	if (query_records(c, &q, &recs, e) < 0)
		goto cleanup;
	size_t i;
	json_t *r;
	json_array_foreach(recs, i, r) {
		char detail[120];
		const char *st = json_str(r, "status");
		bool closed = str_eq(st, "done") || str_eq(st, "cancelled");
		open += !closed;
		snprintf(detail, sizeof detail, "%s%s%s", st ? st : "no action planned",
			 json_str(r, "due_date") ? ", due " : "", json_text(r, "due_date"));
		json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s}", "type",
							isms_risks_type.plural, "id",
							(json_int_t)json_int(r, "id"), "title",
							json_text(r, "title"), "detail", detail));
	}
	if (json_array_size(items))
		snprintf(summary, sizeof summary, "%zu opportunit%s for the ISMS on record, %lld "
			 "still open.", json_array_size(items),
			 json_array_size(items) == 1 ? "y" : "ies", open);
	else
		snprintf(summary, sizeof summary, "No opportunity for the ISMS is on record.");
	review_entry_add(inputs, "g", "6.1.1", "Opportunities on the ISMS's register", summary,
			 items);
	items = NULL;
	rc = 0;
cleanup:
	json_decref(recs);
	json_decref(items);
	return rc;
}

const struct module c6_1_1_module = {
	.clause = "6.1.1",
	.title = "Actions to address risks and opportunities",
	.file = __FILE__,
	.types = c6_1_1_types,
	.ntypes = COUNT_OF(c6_1_1_types),
	.review_inputs = opportunities_review_inputs,
};
