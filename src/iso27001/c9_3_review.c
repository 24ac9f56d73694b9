/* c9_3_review.c — 9.3: management reviews and the actions they decide. A review is planned
   (draft), prepared (its inputs compiled from live data, as often as needed), then held:
   on the day it was held the inputs are compiled once more, frozen and sealed with their
   SHA-256 (`isms verify` checks it), and top management must have been there. Its outputs
   are actions with an owner and a due date, which the next review's input (a) follows up. */
#include "c9_3_review.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* ---- Management reviews --------------------------------------------------------------- */

static const char *const review_states[] = {"draft", "prepared", "held", NULL};
static const char *const from_open[] = {"draft", "prepared", NULL};

static const struct field review_fields[] = {
	{.name = "title", .label = "Review", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "Names the meeting, e.g. \"Management review, September 2026\"."},
	{.name = "planned_on", .label = "Planned for", .type = FT_DATE, .flags = F_INDEX,
	 .help = "The day the meeting is planned."},
	{.name = "chair", .label = "Chair", .type = FT_REF, .ref = "person", .flags = F_INDEX,
	 .help = "Who chairs the meeting, usually the chief executive."},
	{.name = "attendees", .label = "Attendees", .type = FT_REFS, .ref = "person",
	 .help = "Who takes part besides the chair. Top management must be present: the chair "
		 "or an attendee holds a top-management role on the day it is held."},
	{.name = "agenda", .label = "Agenda", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the meeting is to cover besides the inputs the product compiles."},
	{.name = "notes", .label = "Minutes and decisions", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What was discussed and decided: on continual improvement and on any change "
		 "the ISMS needs. Record each follow-up as an action with an owner and a date."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = review_states, .def = "\"draft\"",
	 .help = "Draft while planned; prepared once its inputs are compiled; held once the "
		 "meeting took place (its inputs are then frozen)."},
	{.name = "since", .label = "Period from", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day of the previous review held: the inputs cover what happened since. "
		 "Empty for the first review."},
	{.name = "prepared_on", .label = "Prepared on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When the inputs were last compiled."},
	{.name = "held_on", .label = "Held on", .type = FT_DATE, .flags = F_READONLY | F_INDEX,
	 .help = "The day the meeting took place."},
	{.name = "inputs", .label = "Inputs", .type = FT_JSON, .flags = F_READONLY,
	 .help = "The inputs (9.3.2 a–g) compiled from the records; frozen when the review is "
		 "held."},
	{.name = "inputs_sha256", .label = "Inputs SHA-256", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64,
	 .help = "The SHA-256 of the frozen inputs' canonical JSON, checked by `isms verify`."},
};

/* The date of the last review held on or before day (other than id), into since ("" if
   none). */
static int previous_review(struct ctx *c, long long id, const char *day, char since[11],
			   struct err *e)
{
	json_t *prev;
	struct query q = {.type = "management_review",
			  .where = {QEQ("status", SVS("held")), QLE("held_on", SVS(day)),
				    QNE("id", SVI(id))},
			  .order = "-held_on",
			  .limit = 1};
	since[0] = '\0';
	if (query_first(c, &q, &prev, e) < 0)
		return -1;
	if (prev)
		snprintf(since, 11, "%s", json_text(prev, "held_on"));
	json_decref(prev);
	return 0;
}

/* Compiles rec's inputs up to until and stores them with the period's start. */
static int compile_into(struct ctx *c, json_t *rec, const char *until, struct err *e)
{
	char since[11];
	json_t *inputs;
	if (previous_review(c, json_int(rec, "id"), until, since, e) < 0 ||
	    review_inputs_compile(c, *since ? since : NULL, until, &inputs, e) < 0)
		return -1;
	json_object_set_new(rec, "inputs", inputs);
	json_set_str(rec, "since", *since ? since : NULL);
	return 0;
}

/* Whether the chair or an attendee holds a top-management role on day. */
static int top_management_present(struct ctx *c, const json_t *rec, const char *day, bool *ok,
				  struct err *e)
{
	json_t *people = json_array(), *roles = NULL;
	int rc = -1;
	*ok = false;
	if (json_int(rec, "chair"))
		json_array_append_new(people, json_integer(json_int(rec, "chair")));
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(rec, "attendees"), i, p)
		json_array_append(people, p);
	if (!json_array_size(people)) {
		rc = 0;
		goto cleanup;
	}
	struct query held = {.type = "role_assignment",
			     .where = {QIN("person", people), QLE("starts_on", SVS(day)),
				       QGE_OR_NULL("ends_on", SVS(day))}};
	if (query_values(c, &held, "role", &roles, e) < 0)
		goto cleanup;
	struct query top = {.type = "role",
			    .where = {QIN("id", roles), QEQ("top_management", SVI(1))}};
	if (json_array_size(roles) && query_exists(c, &top, ok, e) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	json_decref(people);
	json_decref(roles);
	return rc;
}

static int prepare_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	(void)rt;
	char today[11];
	ctx_today(c, today);
	json_set_str(rec, "prepared_on", today);
	return compile_into(c, rec, today, e);
}

static int hold_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
		      struct err *e)
{
	(void)rt;
	char day[11];
	bool ok;
	ctx_decision_day(c, day);
	if (top_management_present(c, rec, day, &ok, e) < 0)
		return -1;
	if (!ok)
		return err_set(e, ERR_CONFLICT, "attendees",
			       "top management must be present at a management review: neither "
			       "the chair nor any attendee holds a top-management role on %s (see "
			       "Roles and their holders)",
			       day);
	return 0;
}

/* Held: on its day the inputs are compiled once more, frozen and sealed. */
static int hold_apply(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e)
{
	char day[11];
	ctx_decision_day(c, day);
	json_set_str(rec, "held_on", day);
	if (!json_str(rec, "prepared_on"))
		json_set_str(rec, "prepared_on", day);
	if (compile_into(c, rec, day, e) < 0)
		return -1;
	record_seal(rt, rec);
	return 0;
}

static const char *const hold_requires[] = {"chair", NULL};

static const struct action review_actions[] = {
	{.name = "prepare", .label = "Compile inputs",
	 .help = "Compiles the inputs (9.3.2 a–g) from today's records, for the period since "
		 "the previous review. Repeat it as often as needed before the meeting.",
	 .from = from_open, .to = "prepared", .roles = EDITORS, .apply = prepare_apply},
	{.name = "hold", .label = "Record as held",
	 .help = "The meeting took place: the inputs are compiled for that day, frozen and "
		 "sealed. Top management must have been present (the chair or an attendee holds "
		 "a top-management role that day).",
	 .from = from_open, .to = "held", .roles = EDITORS, .requires = hold_requires,
	 .guard = hold_guard, .apply = hold_apply, .effective = true},
};

/* Once held, who took part is evidence: it no longer changes. */
static int review_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	static const char *const kept[] = {"chair", "attendees", "planned_on", NULL};
	if (!old || !str_eq(json_str(old, "status"), "held"))
		return 0;
	for (size_t i = 0; kept[i]; i++)
		if (!json_equal(json_object_get(old, kept[i]), json_object_get(rec, kept[i])))
			return err_set(e, ERR_CONFLICT, kept[i],
				       "a held review is evidence: who took part and when no "
				       "longer change (%s)",
				       kept[i]);
	return 0;
}

static const char *const review_not_due[] = {"held", NULL};
static const struct due_rule review_due[] = {
	{.date_field = "planned_on",
	 .owner_field = "chair",
	 .status_field = "status",
	 .closed = review_not_due,
	 .what = "management review"},
	{0},
};

const struct record_type management_reviews_type = {
	.name = "management_review",
	.plural = "management-reviews",
	.table = "management_reviews",
	.label = "management review",
	.label_plural = "management reviews",
	.clause = "9.3",
	.help = "Top management's reviews of the ISMS: inputs compiled from the records and "
		"frozen when held, who took part, what was decided.",
	.section = "9",
	.title_field = "title",
	.default_sort = "-planned_on",
	.fields = review_fields,
	.nfields = COUNT_OF(review_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.state_field = "status",
	.due = review_due,
	.actions = review_actions,
	.nactions = COUNT_OF(review_actions),
	.seal = {"inputs", "inputs_sha256"},
	.since = 4,
	.validate = review_validate,
};

/* ---- Review actions ------------------------------------------------------------------ */

static const char *const action_kinds[] = {"improvement", "isms_change", "resources", "other",
					   NULL};
static const char *const action_states[] = {"open", "in_progress", "done", "cancelled", NULL};

static const struct field action_fields[] = {
	{.name = "review", .label = "Management review", .type = FT_REF,
	 .ref = "management_review", .flags = F_REQUIRED | F_INDEX,
	 .help = "The review that decided it."},
	{.name = "title", .label = "Action", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "What is to be done, in a few words."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = action_kinds, .def = "\"improvement\"",
	 .help = "An improvement, a change to the ISMS, resources, or something else."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "The decision behind it and what done looks like."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX, .help = "Who sees it through."},
	{.name = "due_on", .label = "Due", .type = FT_DATE, .flags = F_REQUIRED | F_INDEX,
	 .help = "When it is to be done."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = action_states, .def = "\"open\"",
	 .help = "Open, in progress, done or cancelled; the next review follows it up."},
	{.name = "done_on", .label = "Done on", .type = FT_DATE, .flags = F_PAST,
	 .help = "When it was done (or cancelled)."},
	{.name = "result", .label = "Result", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What came of it, for the next review."},
	{.name = "isms_change", .label = "Planned change", .type = FT_REF, .ref = "isms_change",
	 .flags = F_SET_NULL, .help = "The planned change (6.3) the decision made, if any."},
	{.name = "resource", .label = "Resource", .type = FT_REF, .ref = "resource",
	 .flags = F_SET_NULL, .help = "The resource (7.1) the decision provided, if any."},
};

static int action_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   const json_t *old, struct err *e)
{
	(void)rt;
	const char *status = json_str(rec, "status");
	bool closed = str_eq(status, "done") || str_eq(status, "cancelled");
	if (str_eq(status, "done") && !json_str(rec, "done_on"))
		return err_set(e, ERR_INVALID, "done_on", "a done action needs done_on, the day "
			       "it was done");
	if (!closed && json_str(rec, "done_on"))
		return err_set(e, ERR_INVALID, "done_on", "done_on is only for actions done or "
			       "cancelled");
	if (old && json_int(old, "review") == json_int(rec, "review"))
		return 0;
	json_t *review;
	struct query q = {.type = "management_review",
			  .where = {QEQ("id", SVI(json_int(rec, "review")))}};
	if (query_first(c, &q, &review, e) < 0)
		return -1;
	bool held = review && str_eq(json_str(review, "status"), "held");
	char held_on[11] = "";
	if (held)
		snprintf(held_on, sizeof held_on, "%s", json_text(review, "held_on"));
	const char *due = json_str(rec, "due_on");
	json_decref(review);
	if (!held)
		return err_set(e, ERR_CONFLICT, "review",
			       "actions are the outputs of a held management review: record the "
			       "review as held first");
	if (due && *held_on && strcmp(due, held_on) < 0)
		return err_set(e, ERR_INVALID, "due_on",
			       "due_on cannot be before the review that decided it (%s)", held_on);
	return 0;
}

static const char *const action_closed[] = {"done", "cancelled", NULL};
static const struct due_rule action_due[] = {
	{.date_field = "due_on",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = action_closed,
	 .what = "review action"},
	{0},
};

const struct record_type review_actions_type = {
	.name = "review_action",
	.plural = "review-actions",
	.table = "review_actions",
	.label = "review action",
	.label_plural = "review actions",
	.clause = "9.3",
	.help = "What management reviews decided: improvements and changes, each with an owner "
		"and a due date, followed up at the next review.",
	.section = "9",
	.title_field = "title",
	.default_sort = "due_on",
	.fields = action_fields,
	.nfields = COUNT_OF(action_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.due = action_due,
	.since = 4,
	.validate = action_validate,
};

/* ---- Input (a): actions from previous reviews ------------------------------------------ */

int review_inputs_actions(struct ctx *c, const char *since, const char *until, json_t *inputs,
			  struct err *e)
{
	json_t *reviews = NULL, *acts = NULL, *items = json_array();
	long long done = 0, progress = 0, open = 0, overdue = 0, cancelled = 0;
	char summary[400], detail[200];
	int rc = -1;
	if (!record_can_read(c, &review_actions_type)) {
		rc = 0;
		goto cleanup;
	}
	struct query held = {.type = "management_review",
			     .where = {QEQ("status", SVS("held")), QLE("held_on", SVS(until))}};
	if (query_ids(c, &held, &reviews, e) < 0)
		goto cleanup;
	struct query q = {.type = "review_action", .where = {QIN("review", reviews)},
			  .order = "due_on"};
	if (json_array_size(reviews) && query_records(c, &q, &acts, e) < 0)
		goto cleanup;
	size_t i;
	json_t *a;
	json_array_foreach(acts, i, a) {
		const char *st = json_text(a, "status"), *on = json_str(a, "done_on");
		const char *due = json_text(a, "due_on");
		bool closed = str_eq(st, "done") || str_eq(st, "cancelled");
		/* Closed before the previous review: already reported there. */
		if (closed && since && on && strcmp(on, since) < 0)
			continue;
		if (str_eq(st, "done")) {
			done++;
			snprintf(detail, sizeof detail, "done on %s", on ? on : "?");
		} else if (str_eq(st, "cancelled")) {
			cancelled++;
			snprintf(detail, sizeof detail, "cancelled");
		} else {
			bool late = strcmp(due, until) < 0;
			str_eq(st, "open") ? open++ : progress++;
			overdue += late;
			snprintf(detail, sizeof detail, "%s, due %s%s",
				 str_eq(st, "open") ? "open" : "in progress", due,
				 late ? " (overdue)" : "");
		}
		json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s}", "type",
							"review-actions", "id",
							(json_int_t)json_int(a, "id"), "title",
							json_text(a, "title"), "detail", detail));
	}
	if (!json_array_size(items)) {
		if (!json_array_size(reviews)) {
			rc = 0; /* the compiler says this is the first review */
			goto cleanup;
		}
		snprintf(summary, sizeof summary,
			 "The previous reviews decided no actions still to report.");
	} else {
		snprintf(summary, sizeof summary,
			 "%zu action%s from previous reviews: %lld done, %lld in progress, %lld "
			 "open, %lld cancelled; %lld overdue.",
			 json_array_size(items), json_array_size(items) == 1 ? "" : "s", done,
			 progress, open, cancelled, overdue);
	}
	review_entry_add(inputs, "a", "9.3", "Actions from previous management reviews", summary,
			 items);
	items = NULL;
	rc = 0;
cleanup:
	json_decref(reviews);
	json_decref(acts);
	json_decref(items);
	return rc;
}

static const struct record_type *const c9_3_types[] = {
	&management_reviews_type,
	&review_actions_type,
};

static const struct view *const c9_3_views[] = {
	&review_pack_view,
	&review_inputs_view,
};

const struct module c9_3_module = {
	.clause = "9.3",
	.title = "Management review",
	.file = __FILE__,
	.types = c9_3_types,
	.ntypes = COUNT_OF(c9_3_types),
	.views = c9_3_views,
	.nviews = COUNT_OF(c9_3_views),
	.checks = review_checks,
	.review_inputs = review_inputs_actions,
};
