/* c10_1_improvement.c — 10.1: continual improvement. The improvement register holds each
   opportunity to make the ISMS more suitable, adequate or effective, where it came from (a
   management review, an audit observation, a measurement, a suggestion, a nonconformity),
   what it should bring, who owns it and by when, and what it brought in the end. It moves
   proposed → approved → in progress → done (the result is required), or rejected with the
   reason; each step is dated. Its check and its input to the management review are here
   too. */
#include "iso.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const char *const sources[] = {"review_output", "audit_observation", "measurement",
				      "suggestion",    "nonconformity",     "other",
				      NULL};
static const char *const states[] = {"proposed", "approved", "in_progress", "done", "rejected",
				     NULL};
static const char *const frozen_states[] = {"done", "rejected", NULL};
static const char *const from_proposed[] = {"proposed", NULL};
static const char *const from_approved[] = {"approved", NULL};
static const char *const from_started[] = {"approved", "in_progress", NULL};
static const char *const from_undone[] = {"proposed", "approved", "in_progress", NULL};

static const struct field improvement_fields[] = {
	{.name = "title", .label = "Improvement", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200,
	 .help = "Names it in a few words, e.g. \"Automate the quarterly access review\"."},
	{.name = "opportunity", .label = "Opportunity", .type = FT_MARKDOWN,
	 .flags = F_REQUIRED | F_SEARCH,
	 .help = "What could be better and how: the weakness or chance seen, and the idea."},
	{.name = "source", .label = "Source", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = sources,
	 .help = "Where it came from: a management review's output, an audit observation, a "
		 "measurement, someone's suggestion, a nonconformity, or elsewhere."},
	{.name = "source_detail", .label = "Source detail", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 500,
	 .help = "Which review, audit, measure or person, e.g. \"Management review, March "
		 "2026\"."},
	{.name = "nonconformity", .label = "Nonconformity", .type = FT_REF, .ref = "nonconformity",
	 .flags = F_SET_NULL, .help = "The nonconformity it grew out of, if any."},
	{.name = "expected_benefit", .label = "Expected benefit", .type = FT_MARKDOWN,
	 .help = "What it should bring: less effort, fewer incidents, better evidence…"},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL | F_INDEX, .help = "Who carries it forward."},
	{.name = "due_on", .label = "Due", .type = FT_DATE, .flags = F_INDEX,
	 .help = "When it should be done; an approved or started improvement after this day is "
		 "overdue."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = states, .def = "\"proposed\"",
	 .help = "Proposed, approved, in progress, done, or rejected."},
	{.name = "approved_by", .label = "Approved by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 200, .help = "Who decided to pursue it."},
	{.name = "approved_on", .label = "Approved on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When it was approved."},
	{.name = "started_on", .label = "Started on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When work on it began."},
	{.name = "done_on", .label = "Done on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When it was done."},
	{.name = "result", .label = "Result", .type = FT_MARKDOWN, .flags = F_READONLY | F_SEARCH,
	 .help = "What it brought in the end, against the expected benefit: required to mark it "
		 "done."},
	{.name = "reject_reason", .label = "Why rejected", .type = FT_MARKDOWN, .flags = F_READONLY,
	 .help = "Why it is not pursued."},
	{.name = "closed_by", .label = "Closed by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 200, .help = "Who marked it done or rejected it."},
};

static int approve_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "approved_by", "approved_on");
	return 0;
}

static int start_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
		       struct err *e)
{
	(void)rt;
	(void)e;
	char day[11];
	ctx_decision_day(c, day);
	json_set_str(rec, "started_on", day);
	return 0;
}

static int done_apply(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "closed_by", "done_on");
	return 0;
}

static int reject_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			struct err *e)
{
	(void)rt;
	(void)e;
	record_stamp(c, rec, "closed_by", NULL);
	return 0;
}

static const struct action_param done_params[] = {
	{.name = "result", .field = "result", .required = true},
};
static const struct action_param reject_params[] = {
	{.name = "reason", .field = "reject_reason", .required = true},
};

static const struct action improvement_actions[] = {
	{.name = "approve", .label = "Approve",
	 .help = "Decides to pursue the improvement.",
	 .from = from_proposed, .to = "approved", .roles = EDITORS | RB(ROLE_TOP_MANAGEMENT),
	 .apply = approve_apply, .effective = true},
	{.name = "start", .label = "Start", .help = "Work on it has begun.",
	 .from = from_approved, .to = "in_progress", .roles = EDITORS, .apply = start_apply,
	 .effective = true},
	{.name = "complete", .label = "Mark done",
	 .help = "It is done: record what it brought, against the expected benefit.",
	 .from = from_started, .to = "done", .roles = EDITORS, .params = done_params,
	 .nparams = COUNT_OF(done_params), .apply = done_apply, .effective = true},
	{.name = "reject", .label = "Reject", .help = "It will not be pursued: say why.",
	 .from = from_undone, .to = "rejected", .roles = EDITORS | RB(ROLE_TOP_MANAGEMENT),
	 .params = reject_params, .nparams = COUNT_OF(reject_params), .apply = reject_apply},
};

static const char *const not_due[] = {"proposed", "done", "rejected", NULL};
static const struct due_rule improvement_due[] = {
	{.date_field = "due_on",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = not_due,
	 .what = "improvement due"},
	{0},
};

static const struct record_type improvements_type = {
	.name = "improvement",
	.plural = "improvements",
	.table = "improvements",
	.label = "improvement",
	.label_plural = "improvements",
	.clause = "10.1",
	.help = "The improvement register: opportunities to make the ISMS better, where they "
		"came from, who carries them and what they brought.",
	.section = "10",
	.title_field = "title",
	.default_sort = "-id",
	.fields = improvement_fields,
	.nfields = COUNT_OF(improvement_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.state_field = "status",
	.frozen = frozen_states,
	.due = improvement_due,
	.actions = improvement_actions,
	.nactions = COUNT_OF(improvement_actions),
	.since = 4,
};

/* --- the 10.1 check and the management review input ----------------------------------- */

/* An ISMS this old (days since its first record) is expected to have recorded some
   improvement. */
#define IMPROVE_AFTER_DAYS 365

static void add_check(json_t *items, const char *id, const char *rule, bool ok,
		      const char *detail)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", id,
						"clause", "10.1", "rule", rule, "ok", ok, "detail",
						detail, "link", "/t/improvements"));
}

/* The day the ISMS started keeping records here: the oldest record of the people register
   (every organization has people), or today. */
static int ismss_start(struct ctx *c, char out[11], struct err *e)
{
	json_t *first = NULL;
	struct query q = {.type = "person", .order = "created_at", .limit = 1};
	ctx_today(c, out);
	if (query_first(c, &q, &first, e) < 0)
		return -1;
	const char *at = first ? json_str(first, "created_at") : NULL;
	if (at && strlen(at) >= 10)
		snprintf(out, 11, "%.10s", at);
	json_decref(first);
	return 0;
}

static int improvement_checks(struct ctx *c, json_t *items, struct err *e)
{
	static const char *const active[] = {"approved", "in_progress", NULL};
	char today[11], start[11], cutoff[11], detail[1200];
	long long total = 0, done = 0;
	json_t *late = NULL;
	struct buf text = BUF_INIT;
	int rc = -1;
	ctx_today(c, today);
	struct query all = {.type = "improvement"};
	struct query q_done = {.type = "improvement", .where = {QEQ("status", SVS("done"))}};
	struct query q_late = {.type = "improvement",
			       .where = {QIN_TEXT("status", active), QLT("due_on", SVS(today))},
			       .order = "due_on"};
	if (query_count(c, &all, &total, e) < 0 || query_count(c, &q_done, &done, e) < 0 ||
	    query_records(c, &q_late, &late, e) < 0 || ismss_start(c, start, e) < 0)
		goto cleanup;
	clock_add_days(today, -IMPROVE_AFTER_DAYS, cutoff);
	if (!total && strcmp(start, cutoff) >= 0)
		snprintf(detail, sizeof detail,
			 "No improvements recorded yet; the ISMS has kept records here for less "
			 "than a year (since %s), so this is not a gap yet.",
			 start);
	else if (!total)
		snprintf(detail, sizeof detail,
			 "Partly met: no improvement has been recorded in more than a year of "
			 "operation (since %s). Record the opportunities that management reviews, "
			 "audits and measurements bring up.",
			 start);
	else
		snprintf(detail, sizeof detail, "%lld improvement%s recorded, %lld done.", total,
			 total == 1 ? "" : "s", done);
	/* No improvement in a year is a weakness to raise, not a requirement failed: improvement
	   also happens through nonconformities, changes and reviews (partly met, like 7.2). */
	add_check(items, "improvements-recorded", "Improvement opportunities are recorded", true,
		  detail);
	if (json_array_size(late)) {
		size_t i;
		json_t *r;
		json_array_foreach(late, i, r) {
			if (i == 5)
				break;
			buf_printf(&text, "%s#%lld %s (due %s)", i ? ", " : "", json_int(r, "id"),
				   json_text(r, "title"), json_text(r, "due_on"));
		}
		if (json_array_size(late) > 5)
			buf_printf(&text, " and %zu more", json_array_size(late) - 5);
		snprintf(detail, sizeof detail,
			 "%zu approved improvement%s past the due day and not done: %s. Mark them "
			 "done, move the day, or reject them with the reason.",
			 json_array_size(late), json_array_size(late) == 1 ? " is" : "s are",
			 buf_str(&text));
	} else {
		snprintf(detail, sizeof detail, "No approved improvement is past its due day.");
	}
	add_check(items, "improvements-followed", "Approved improvements are followed through",
		  json_array_size(late) == 0, detail);
	rc = 0;
cleanup:
	buf_release(&text);
	json_decref(late);
	return rc;
}

/* 9.3.2 g: the opportunities for improvement still open. */
static int improvement_review_inputs(struct ctx *c, const char *since, const char *until,
				     json_t *inputs, struct err *e)
{
	(void)since;
	(void)until;
	static const char *const open[] = {"proposed", "approved", "in_progress", NULL};
	json_t *recs = NULL, *items = json_array(), *g = json_object_get(inputs, "g");
	char summary[300];
	size_t i;
	json_t *r;
	struct query q = {.type = "improvement", .where = {QIN_TEXT("status", open)},
			  .order = "id"};
	if (!record_can_read(c, &improvements_type)) {
		json_decref(items);
		return 0;
	}
	if (query_records(c, &q, &recs, e) < 0) {
		json_decref(items);
		return -1;
	}
	json_array_foreach(recs, i, r) {
		char detail[300];
		snprintf(detail, sizeof detail, "%s%s%s", json_text(r, "status"),
			 json_str(r, "due_on") ? ", due " : "", json_text(r, "due_on"));
		json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s}", "type",
							"improvements", "id",
							(json_int_t)json_int(r, "id"), "title",
							json_text(r, "title"), "detail", detail));
	}
	if (json_array_size(recs))
		snprintf(summary, sizeof summary, "%zu improvement opportunit%s open.",
			 json_array_size(recs), json_array_size(recs) == 1 ? "y is" : "ies are");
	else
		snprintf(summary, sizeof summary, "No improvement opportunity is open.");
	if (json_is_array(g))
		json_array_append_new(g, json_build("{s:s, s:s, s:s, s:o}", "clause", "10.1",
						    "title", "Opportunities for improvement",
						    "summary", summary, "items", items));
	else
		json_decref(items);
	json_decref(recs);
	return 0;
}

static const struct record_type *const c10_1_types[] = {
	&improvements_type,
};

const struct module c10_1_module = {
	.clause = "10.1",
	.title = "Continual improvement",
	.file = __FILE__,
	.types = c10_1_types,
	.ntypes = COUNT_OF(c10_1_types),
	.checks = improvement_checks,
	.review_inputs = improvement_review_inputs,
};
