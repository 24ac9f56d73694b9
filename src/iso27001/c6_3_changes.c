/* c6_3_changes.c — 6.3: changes to the ISMS made in a planned way. A change says why it is
   made, what could follow from it, what it touches (scopes, processes, assets, risks,
   controls, documents), what it needs and who carries it; it is submitted by one person and
   approved by another who holds the authority (top management, or the role it names), then
   implemented and reviewed afterwards. The risks it touches are not changed by the approval:
   the impact trace (c6_3_impact.c) marks each one not reassessed since the approval. */
#include "c6_3_changes.h"
#include "c9_3_review.h"
#include "c5_leadership.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const char *const change_states[] = {"draft",       "submitted", "approved",
					    "implemented", "reviewed",  "cancelled", NULL};
static const char *const from_draft[] = {"draft", NULL};
static const char *const from_submitted[] = {"submitted", NULL};
static const char *const from_approved[] = {"approved", NULL};
static const char *const from_implemented[] = {"implemented", NULL};
static const char *const from_open[] = {"draft", "submitted", "approved", NULL};
static const char *const frozen_states[] = {"submitted", "approved", "implemented", "reviewed",
					    "cancelled", NULL};

static const struct field change_fields[] = {
	{.name = "title", .label = "Change", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "Names the change in a few words, e.g. \"Invoice archive to a "
				 "second region\"."},
	{.name = "purpose", .label = "Purpose", .type = FT_MARKDOWN, .flags = F_REQUIRED | F_SEARCH,
	 .help = "Why the ISMS changes: what the change is meant to achieve."},
	{.name = "consequences", .label = "Potential consequences", .type = FT_MARKDOWN,
	 .flags = F_SEARCH,
	 .help = "What could follow from it, good or bad: new exposures, interruptions, work "
		 "for others, and how they are kept in check."},
	{.name = "scopes", .label = "Scopes touched", .type = FT_REFS, .ref = "scope",
	 .flags = F_SET_NULL, .help = "Versions of the ISMS scope the change affects."},
	{.name = "processes", .label = "Processes touched", .type = FT_REFS, .ref = "process",
	 .flags = F_SET_NULL, .help = "ISMS processes the change alters."},
	{.name = "assets", .label = "Assets touched", .type = FT_REFS, .ref = "asset",
	 .flags = F_SET_NULL,
	 .help = "Assets the change moves, replaces or alters; the risks on them appear in the "
		 "impact trace."},
	{.name = "risks", .label = "Risks touched", .type = FT_REFS, .ref = "risk",
	 .flags = F_SET_NULL,
	 .help = "Risks the change affects directly, besides those on the assets it touches."},
	{.name = "controls", .label = "Controls touched", .type = FT_REFS, .ref = "control",
	 .flags = F_SET_NULL,
	 .help = "Applied controls the change alters, besides those treating the risks above."},
	{.name = "documents", .label = "Documents touched", .type = FT_REFS, .ref = "document",
	 .flags = F_SET_NULL, .help = "Policies and procedures that must be updated with it."},
	{.name = "resources", .label = "Resources needed", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "People, time, money and tools the change needs."},
	{.name = "responsible", .label = "Responsible", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL | F_INDEX, .help = "Who carries the change out."},
	{.name = "planned_on", .label = "Planned date", .type = FT_DATE, .flags = F_INDEX,
	 .help = "When the change is to be implemented."},
	{.name = "approval_role", .label = "Approved by role", .type = FT_REF, .ref = "role",
	 .flags = F_SET_NULL,
	 .help = "The role that approves this change; leave empty and top management approves "
		 "it (top management may always approve)."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = change_states, .def = "\"draft\"",
	 .help = "Draft while it is planned, submitted once ready, approved, implemented, then "
		 "reviewed after the fact; or cancelled."},
	{.name = "submitted_by", .label = "Submitted by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The user who submitted it for approval."},
	{.name = "submitted_on", .label = "Submitted on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When it was submitted."},
	{.name = "approved_by", .label = "Approved by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 200, .help = "Who approved it."},
	{.name = "approved_on", .label = "Approved on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When it was approved."},
	{.name = "implemented_on", .label = "Implemented on", .type = FT_DATE,
	 .flags = F_READONLY, .help = "The day the change was put in place."},
	{.name = "review", .label = "Post-change review", .type = FT_MARKDOWN,
	 .flags = F_READONLY | F_SEARCH,
	 .help = "After the change: did it achieve its purpose, what happened that was not "
		 "planned, what follows."},
	{.name = "reviewed_by", .label = "Reviewed by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 200, .help = "Who recorded the review."},
	{.name = "reviewed_on", .label = "Reviewed on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When the review was recorded."},
	{.name = "cancel_reason", .label = "Why cancelled", .type = FT_MARKDOWN,
	 .flags = F_READONLY, .help = "Why the change was dropped."},
};

/* implemented_on: a real day, not in the future, not before the approval. */
static int change_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	char today[11];
	const char *on = json_str(rec, "implemented_on"), *approved = json_str(rec, "approved_on");
	if (!on)
		return 0;
	ctx_today(c, today);
	if (!clock_valid_date(on) || !clock_sane_date(on))
		return err_set(e, ERR_INVALID, "implemented_on",
			       "implemented_on must be a date YYYY-MM-DD");
	if (strcmp(on, today) > 0)
		return err_set(e, ERR_INVALID, "implemented_on",
			       "implemented_on cannot be after today (%s)", today);
	if (approved && strcmp(on, approved) < 0)
		return err_set(e, ERR_INVALID, "implemented_on",
			       "implemented_on cannot be before the approval (%s): a change is "
			       "implemented once approved",
			       approved);
	return 0;
}

static int change_approve_permit(struct ctx *c, const struct record_type *rt,
				 const json_t *rec, struct err *e)
{
	(void)rt;
	return authority_check(c, json_int(rec, "approval_role"), AUTH_NAMED_ONLY,
			       "approve this change", e);
}

/* Sent back by whoever may approve it, or pulled back by an editor. */
static int change_return_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
				struct err *e)
{
	if (actor_has(&c->actor, EDITORS))
		return 0;
	return change_approve_permit(c, rt, rec, e);
}

static int change_review_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			       struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "reviewed_by", "reviewed_on");
	return 0;
}

static const struct action_param implement_params[] = {
	{.name = "implemented_on", .field = "implemented_on", .required = true},
};
static const struct action_param review_params[] = {
	{.name = "review", .field = "review", .required = true},
};
static const struct action_param cancel_params[] = {
	{.name = "reason", .field = "cancel_reason", .required = true},
};

static const struct action change_actions[] = {
	{.name = "submit", .label = "Submit for approval",
	 .help = "The plan is ready: it is fixed until it is approved or returned. Whoever "
		 "submits it cannot approve it.",
	 .from = from_draft, .to = "submitted", .roles = EDITORS, .apply = record_submit_apply},
	{.name = "return", .label = "Return to draft",
	 .help = "Sends the plan back for changes; it can be edited and submitted again.",
	 .from = from_submitted, .to = "draft", .roles = ROLES_ALL,
	 .permit = change_return_permit, .apply = record_unsubmit_apply},
	{.name = "approve", .label = "Approve",
	 .help = "Agrees to the change as planned. Top management approves, or the role the "
		 "change names; never whoever submitted or wrote it. The risks it touches "
		 "should then be reassessed (see the impact trace).",
	 .from = from_submitted, .to = "approved", .roles = ROLES_ALL,
	 .permit = change_approve_permit, .guard = record_approve_guard,
	 .apply = record_approve_apply, .effective = true},
	{.name = "implement", .label = "Mark implemented",
	 .help = "Records the day the change was put in place.",
	 .from = from_approved, .to = "implemented", .roles = EDITORS,
	 .params = implement_params, .nparams = COUNT_OF(implement_params)},
	{.name = "review", .label = "Record post-change review",
	 .help = "Records whether the change achieved its purpose and what followed.",
	 .from = from_implemented, .to = "reviewed", .roles = EDITORS,
	 .params = review_params, .nparams = COUNT_OF(review_params),
	 .apply = change_review_apply, .effective = true},
	{.name = "cancel", .label = "Cancel change",
	 .help = "Drops the change before it is implemented; say why.",
	 .from = from_open, .to = "cancelled", .roles = EDITORS,
	 .params = cancel_params, .nparams = COUNT_OF(cancel_params)},
};

static const char *const change_not_due[] = {"draft", "implemented", "reviewed", "cancelled",
					     NULL};
static const struct due_rule change_due[] = {
	{.date_field = "planned_on",
	 .owner_field = "responsible",
	 .status_field = "status",
	 .closed = change_not_due,
	 .what = "planned change"},
	{0},
};

const struct record_type changes_type = {
	.name = "isms_change",
	.plural = "isms-changes",
	.table = "isms_changes",
	.label = "change",
	.label_plural = "changes",
	.clause = "6.3",
	.help = "Changes to the ISMS, planned, approved, implemented and reviewed.",
	.section = "6",
	.title_field = "title",
	.default_sort = "-id",
	.fields = change_fields,
	.nfields = COUNT_OF(change_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.state_field = "status",
	.frozen = frozen_states,
	.due = change_due,
	.actions = change_actions,
	.nactions = COUNT_OF(change_actions),
	.since = 3,
	.validate = change_validate,
};

/* --- the 6.3 checks ---------------------------------------------------------------- */

#define REVIEW_AFTER_DAYS 90

static void add_check(json_t *items, const char *id, const char *rule, bool ok,
		      const char *detail)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", id,
						"clause", "6.3", "rule", rule, "ok", ok, "detail",
						detail, "link", "/t/isms-changes"));
}

/* "A (planned 2026-05-01), B (…)" for up to 5 records, into out. */
static void list_late(const json_t *recs, const char *date_field, const char *word,
		      struct buf *out)
{
	size_t i, n = json_array_size(recs);
	json_t *r;
	json_array_foreach(recs, i, r) {
		if (i == 5)
			break;
		buf_printf(out, "%s#%lld %s (%s %s)", i ? ", " : "", json_int(r, "id"),
			   json_text(r, "title"), word, json_text(r, date_field));
	}
	if (n > 5)
		buf_printf(out, " and %zu more", n - 5);
}

int changes_checks(struct ctx *c, json_t *items, struct err *e)
{
	char today[11], cutoff[11], detail[1200];
	long long total = 0;
	json_t *late = NULL, *unreviewed = NULL;
	struct buf text = BUF_INIT;
	int rc = -1;
	ctx_today(c, today);
	clock_add_days(today, -REVIEW_AFTER_DAYS, cutoff);
	struct query all = {.type = "isms_change"};
	struct query q_late = {.type = "isms_change",
			       .where = {QEQ("status", SVS("approved")),
					 QLT("planned_on", SVS(today))},
			       .order = "planned_on"};
	struct query q_unrev = {.type = "isms_change",
				.where = {QEQ("status", SVS("implemented")),
					  QLT("implemented_on", SVS(cutoff))},
				.order = "implemented_on"};
	if (query_count(c, &all, &total, e) < 0 || query_records(c, &q_late, &late, e) < 0 ||
	    query_records(c, &q_unrev, &unreviewed, e) < 0)
		goto cleanup;
	if (!total) {
		add_check(items, "changes-implemented", "Approved changes are implemented by their "
			  "planned date", true, "No changes planned.");
		add_check(items, "changes-reviewed", "Implemented changes are reviewed within 90 "
			  "days", true, "No changes planned.");
		rc = 0;
		goto cleanup;
	}
	if (json_array_size(late)) {
		list_late(late, "planned_on", "planned", &text);
		snprintf(detail, sizeof detail,
			 "%zu approved change%s past the planned date and not marked implemented: "
			 "%s. Mark them implemented, or move the date if the plan changed.",
			 json_array_size(late), json_array_size(late) == 1 ? " is" : "s are",
			 buf_str(&text));
	} else {
		snprintf(detail, sizeof detail,
			 "Every approved change is within its planned date (%lld change%s "
			 "recorded).",
			 total, total == 1 ? "" : "s");
	}
	add_check(items, "changes-implemented",
		  "Approved changes are implemented by their planned date",
		  json_array_size(late) == 0, detail);
	buf_release(&text);
	text = (struct buf)BUF_INIT;
	if (json_array_size(unreviewed)) {
		list_late(unreviewed, "implemented_on", "implemented", &text);
		snprintf(detail, sizeof detail,
			 "%zu change%s implemented more than 90 days ago without a post-change "
			 "review: %s.",
			 json_array_size(unreviewed), json_array_size(unreviewed) == 1 ? " was" :
			 "s were", buf_str(&text));
	} else {
		snprintf(detail, sizeof detail,
			 "Every change implemented more than 90 days ago has been reviewed.");
	}
	add_check(items, "changes-reviewed", "Implemented changes are reviewed within 90 days",
		  json_array_size(unreviewed) == 0, detail);
	rc = 0;
cleanup:
	buf_release(&text);
	json_decref(late);
	json_decref(unreviewed);
	return rc;
}

static const struct record_type *const c6_3_types[] = {
	&changes_type,
};

static const struct view *const c6_3_views[] = {
	&impact_trace_view,
};

/* 9.3.2 b: the planned changes to the ISMS in the period (internal issues). */
static int changes_review_inputs(struct ctx *c, const char *since, const char *until,
				 json_t *inputs, struct err *e)
{
	static const char *const types[] = {"isms-changes", NULL};
	return review_entry_changes(c, inputs, "b", "6.3", "Planned changes to the ISMS", types,
				    since, until, e);
}

const struct module c6_3_module = {
	.clause = "6.3",
	.title = "Planning of changes",
	.file = __FILE__,
	.types = c6_3_types,
	.ntypes = COUNT_OF(c6_3_types),
	.views = c6_3_views,
	.nviews = COUNT_OF(c6_3_views),
	.checks = changes_checks,
	.review_inputs = changes_review_inputs,
};
