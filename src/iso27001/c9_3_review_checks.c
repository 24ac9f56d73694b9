/* c9_3_review_checks.c — the auditor's checks of 9.3: a review held in the last 12 months,
   with top management present and every input covered, its outputs recorded and the
   actions of earlier reviews followed up. */
#include "c9_3_review.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static void add_check(json_t *items, const char *id, const char *rule, bool ok,
		      const char *detail, const char *link)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", id,
						"clause", "9.3", "rule", rule, "ok", ok, "detail",
						detail, "link", link));
}

int review_checks(struct ctx *c, json_t *items, struct err *e)
{
	char today[11], year_ago[11], detail[1400], link[64];
	json_t *last = NULL, *late = NULL;
	struct buf text = BUF_INIT;
	long long nactions = 0;
	int rc = -1;
	ctx_today(c, today);
	clock_add_days(today, -365, year_ago);
	struct query q = {.type = "management_review", .where = {QEQ("status", SVS("held"))},
			  .order = "-held_on", .limit = 1};
	if (query_first(c, &q, &last, e) < 0)
		goto cleanup;
	if (!last) {
		add_check(items, "review-held", "A management review was held in the last 12 months",
			  false, "No management review has been held yet: plan one, prepare its "
			  "inputs and record it as held.", "/t/management-reviews");
		rc = 0;
		goto cleanup;
	}
	const char *held_on = json_text(last, "held_on");
	long long id = json_int(last, "id");
	snprintf(link, sizeof link, "/t/management-reviews/%lld", id);
	bool recent = strcmp(held_on, year_ago) >= 0;
	snprintf(detail, sizeof detail, "%s: \"%s\" (#%lld) was held on %s%s.",
		 recent ? "Met" : "Not met", json_text(last, "title"), id, held_on,
		 recent ? "" : ", more than 12 months ago");
	add_check(items, "review-held", "A management review was held in the last 12 months",
		  recent, detail, link);

	/* Inputs: every section of the frozen pack, each with entries or a reason. */
	const json_t *sections = json_object_get(json_object_get(last, "inputs"), "sections");
	static const char *const letters[] = {"a", "b", "c", "d", "e", "f", "g", NULL};
	for (int i = 0; letters[i]; i++)
		if (!json_object_get(sections, letters[i]))
			buf_printf(&text, "%s(%s)", text.len ? ", " : "", letters[i]);
	bool sealed = record_seal_holds(&management_reviews_type, last);
	if (text.len || !sealed)
		snprintf(detail, sizeof detail, "Not met: the pack of \"%s\" (#%lld) %s%s.",
			 json_text(last, "title"), id,
			 !sealed ? "no longer matches its recorded SHA-256" :
				   "lacks the inputs ",
			 sealed ? buf_str(&text) : "");
	else
		snprintf(detail, sizeof detail, "Met: the frozen pack of \"%s\" (#%lld) covers every "
			 "input a to g, with top management present (checked when it was held).",
			 json_text(last, "title"), id);
	add_check(items, "review-inputs", "The latest review covers every input of 9.3.2 with "
		  "top management present", !text.len && sealed, detail, link);

	struct query outs = {.type = "review_action", .where = {QEQ("review", SVI(id))}};
	if (query_count(c, &outs, &nactions, e) < 0)
		goto cleanup;
	bool outputs = nactions > 0 || (json_str(last, "notes") && *json_str(last, "notes"));
	if (outputs)
		snprintf(detail, sizeof detail, "Met: \"%s\" recorded %lld action%s%s.",
			 json_text(last, "title"), nactions, nactions == 1 ? "" : "s",
			 json_str(last, "notes") ? " and its decisions in the minutes" : "");
	else
		snprintf(detail, sizeof detail, "Not met: \"%s\" (#%lld) records neither decisions "
			 "(minutes) nor actions.", json_text(last, "title"), id);
	add_check(items, "review-outputs", "The latest review's decisions and actions are "
		  "recorded", outputs, detail, link);

	static const char *const open[] = {"open", "in_progress", NULL};
	struct query ql = {.type = "review_action",
			   .where = {QIN_TEXT("status", open), QLT("due_on", SVS(today))},
			   .order = "due_on"};
	if (query_records(c, &ql, &late, e) < 0)
		goto cleanup;
	buf_reset(&text);
	size_t i;
	json_t *a;
	json_array_foreach(late, i, a) {
		if (i == 5)
			break;
		buf_printf(&text, "%s#%lld %s (due %s)", i ? ", " : "", json_int(a, "id"),
			   json_text(a, "title"), json_text(a, "due_on"));
	}
	if (json_array_size(late) > 5)
		buf_printf(&text, " and %zu more", json_array_size(late) - 5);
	if (json_array_size(late))
		snprintf(detail, sizeof detail, "Not met: %zu review action%s overdue: %s.",
			 json_array_size(late), json_array_size(late) == 1 ? " is" : "s are",
			 buf_str(&text));
	else
		snprintf(detail, sizeof detail, "Met: no review action is overdue.");
	add_check(items, "review-actions", "Actions from management reviews are followed up (none "
		  "overdue)", json_array_size(late) == 0, detail, "/t/review-actions");
	rc = 0;
cleanup:
	buf_release(&text);
	json_decref(last);
	json_decref(late);
	return rc;
}
