/* c10_2_checks.c — what an auditor checks of 10.2, in plain words with the records at fault
   (a nonconformity older than a month has a root cause, no corrective action is overdue,
   every closed nonconformity has an effective review), and 10.2's input to the management
   review (9.3.2 d): nonconformities opened and closed in the period, those still open by
   state, and the corrective actions overdue. */
#include "c10_2_nonconformity.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* A nonconformity detected longer ago than this has had time for its cause analysis. */
#define ANALYSE_WITHIN_DAYS 30
#define LIST_MAX 5

static const char *const open_states[] = {"open", "corrected", "analysed", "acting", "verifying",
					  NULL};
static const char *const unfinished[] = {"planned", "in_progress", NULL};

static void add_check(json_t *items, const char *id, const char *rule, bool ok,
		      const char *detail, const char *link)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", id,
						"clause", "10.2", "rule", rule, "ok", ok, "detail",
						detail, "link", link));
}

/* "#3 Title (word 2026-05-01), …" for up to LIST_MAX records, into out. */
static void list_records(const json_t *recs, const char *title_field, const char *word,
			 const char *date_field, struct buf *out)
{
	size_t i, n = json_array_size(recs);
	json_t *r;
	json_array_foreach(recs, i, r) {
		if (i == LIST_MAX)
			break;
		buf_printf(out, "%s#%lld %s", i ? ", " : "", json_int(r, "id"),
			   json_text(r, title_field));
		if (json_str(r, date_field))
			buf_printf(out, " (%s %s)", word, json_text(r, date_field));
	}
	if (n > LIST_MAX)
		buf_printf(out, " and %zu more", n - LIST_MAX);
}

int nonconformity_checks(struct ctx *c, json_t *items, struct err *e)
{
	char today[11], cutoff[11], detail[1400];
	long long total = 0, closed = 0;
	json_t *unanalysed = NULL, *late = NULL, *unverified = NULL;
	struct buf text = BUF_INIT;
	int rc = -1;
	ctx_today(c, today);
	clock_add_days(today, -ANALYSE_WITHIN_DAYS, cutoff);
	struct query all = {.type = "nonconformity"};
	struct query q_closed = {.type = "nonconformity", .where = {QEQ("status", SVS("closed"))}};
	struct query q_unanalysed = {.type = "nonconformity",
				     .where = {QIN_TEXT("status", open_states),
					       QLT("detected_on", SVS(cutoff)), QNULL("root_cause")},
				     .order = "detected_on"};
	struct query q_late = {.type = "corrective_action",
			       .where = {QIN_TEXT("status", unfinished), QLT("due_on", SVS(today))},
			       .order = "due_on"};
	struct query q_unverified = {.type = "nonconformity",
				     .where = {QEQ("status", SVS("closed")),
					       QNE("review_result", SVS("effective"))},
				     .order = "id"};
	struct query q_unverified_null = {.type = "nonconformity",
					  .where = {QEQ("status", SVS("closed")),
						    QNULL("review_result")},
					  .order = "id"};
	json_t *more = NULL;
	if (query_count(c, &all, &total, e) < 0 || query_count(c, &q_closed, &closed, e) < 0 ||
	    query_records(c, &q_unanalysed, &unanalysed, e) < 0 ||
	    query_records(c, &q_late, &late, e) < 0 ||
	    query_records(c, &q_unverified, &unverified, e) < 0 ||
	    query_records(c, &q_unverified_null, &more, e) < 0)
		goto cleanup;
	json_array_extend(unverified, more);
	json_decref(more);

	if (json_array_size(unanalysed)) {
		list_records(unanalysed, "title", "detected", "detected_on", &text);
		snprintf(detail, sizeof detail,
			 "%zu nonconformit%s detected more than %d days ago without a root cause: "
			 "%s. Record the cause analysis so the cause can be removed.",
			 json_array_size(unanalysed),
			 json_array_size(unanalysed) == 1 ? "y was" : "ies were",
			 ANALYSE_WITHIN_DAYS, buf_str(&text));
	} else if (!total) {
		snprintf(detail, sizeof detail, "No nonconformities recorded.");
	} else {
		snprintf(detail, sizeof detail,
			 "Every open nonconformity older than %d days has its root cause recorded "
			 "(%lld nonconformit%s recorded).",
			 ANALYSE_WITHIN_DAYS, total, total == 1 ? "y" : "ies");
	}
	add_check(items, "nc-root-cause", "Nonconformities get a root cause analysis",
		  json_array_size(unanalysed) == 0, detail, "/nonconformities/board");

	buf_release(&text);
	text = (struct buf)BUF_INIT;
	if (json_array_size(late)) {
		list_records(late, "description", "due", "due_on", &text);
		snprintf(detail, sizeof detail,
			 "%zu corrective action%s past the due day and not done: %s. Finish them, "
			 "or agree a new day and record it.",
			 json_array_size(late), json_array_size(late) == 1 ? " is" : "s are",
			 buf_str(&text));
	} else {
		snprintf(detail, sizeof detail, "No corrective action is overdue.");
	}
	add_check(items, "nc-actions-on-time", "Corrective actions are done by their due day",
		  json_array_size(late) == 0, detail, "/t/corrective-actions");

	buf_release(&text);
	text = (struct buf)BUF_INIT;
	if (json_array_size(unverified)) {
		list_records(unverified, "title", "closed", "closed_on", &text);
		snprintf(detail, sizeof detail,
			 "%zu closed nonconformit%s no effectiveness review that found the "
			 "corrective action effective: %s.",
			 json_array_size(unverified),
			 json_array_size(unverified) == 1 ? "y has" : "ies have", buf_str(&text));
	} else if (!closed) {
		snprintf(detail, sizeof detail, "No nonconformity has been closed yet.");
	} else {
		snprintf(detail, sizeof detail,
			 "%s %lld closed nonconformit%s closed after a review found its "
			 "corrective action effective.",
			 closed == 1 ? "The" : "All", closed, closed == 1 ? "y was" : "ies were");
	}
	add_check(items, "nc-closed-effective",
		  "Nonconformities are closed only after a verified-effective review",
		  json_array_size(unverified) == 0, detail, "/t/nonconformities");
	rc = 0;
cleanup:
	buf_release(&text);
	json_decref(unanalysed);
	json_decref(late);
	json_decref(unverified);
	return rc;
}

/* --- input to the management review ---------------------------------------------------- */

static json_t *item(const char *type, const json_t *r, const char *title_field,
		    const char *detail)
{
	return json_build("{s:s, s:I, s:s, s:s}", "type", type, "id",
			  (json_int_t)json_int(r, "id"), "title", json_text(r, title_field),
			  "detail", detail);
}

static void add_entry(json_t *d, const char *title, const char *summary, json_t *items)
{
	json_array_append_new(d, json_build("{s:s, s:s, s:s, s:o}", "clause", "10.2", "title",
					    title, "summary", summary, "items", items));
}

int nonconformity_review_inputs(struct ctx *c, const char *since, const char *until,
				json_t *inputs, struct err *e)
{
	json_t *d = json_object_get(inputs, "d"), *opened = NULL, *closed = NULL, *open = NULL,
	       *late = NULL;
	char summary[600], detail[300], today[11];
	size_t i;
	json_t *r;
	int rc = -1;
	if (!json_is_array(d) || !record_can_read(c, &nonconformities_type) ||
	    !record_can_read(c, &corrective_actions_type))
		return 0;
	ctx_today(c, today);
	const char *from = since ? since : "1900-01-01";
	struct query q_opened = {.type = "nonconformity",
				 .where = {QGE("detected_on", SVS(from)),
					   QLE("detected_on", SVS(until))},
				 .order = "detected_on"};
	struct query q_closed = {.type = "nonconformity",
				 .where = {QEQ("status", SVS("closed")),
					   QGE("closed_on", SVS(from)), QLE("closed_on", SVS(until))},
				 .order = "closed_on"};
	struct query q_open = {.type = "nonconformity", .where = {QIN_TEXT("status", open_states)},
			       .order = "detected_on"};
	struct query q_late = {.type = "corrective_action",
			       .where = {QIN_TEXT("status", unfinished), QLT("due_on", SVS(today))},
			       .order = "due_on"};
	if (query_records(c, &q_opened, &opened, e) < 0 ||
	    query_records(c, &q_closed, &closed, e) < 0 || query_records(c, &q_open, &open, e) < 0 ||
	    query_records(c, &q_late, &late, e) < 0)
		goto cleanup;

	json_t *items = json_array();
	json_array_foreach(opened, i, r) {
		snprintf(detail, sizeof detail, "detected %s, %s, now %s", json_text(r, "detected_on"),
			 json_text(r, "source"), json_text(r, "status"));
		json_array_append_new(items, item("nonconformities", r, "title", detail));
	}
	json_array_foreach(closed, i, r) {
		snprintf(detail, sizeof detail, "closed %s after an effective review",
			 json_text(r, "closed_on"));
		json_array_append_new(items, item("nonconformities", r, "title", detail));
	}
	snprintf(summary, sizeof summary, "%zu nonconformit%s opened and %zu closed %s%s to %s.",
		 json_array_size(opened), json_array_size(opened) == 1 ? "y" : "ies",
		 json_array_size(closed), since ? "from " : "up", since ? since : "", until);
	add_entry(d, "Nonconformities opened and closed", summary, items);

	items = json_array();
	long long counts[5] = {0};
	json_array_foreach(open, i, r) {
		for (int s = 0; open_states[s]; s++)
			if (strcmp(json_text(r, "status"), open_states[s]) == 0)
				counts[s]++;
		snprintf(detail, sizeof detail, "%s since %s", json_text(r, "status"),
			 json_text(r, "detected_on"));
		json_array_append_new(items, item("nonconformities", r, "title", detail));
	}
	if (json_array_size(open)) {
		struct buf by = BUF_INIT;
		for (int s = 0; open_states[s]; s++)
			if (counts[s])
				buf_printf(&by, "%s%lld %s", buf_str(&by)[0] ? ", " : "", counts[s],
					   open_states[s]);
		snprintf(summary, sizeof summary, "%zu nonconformit%s still open: %s.",
			 json_array_size(open), json_array_size(open) == 1 ? "y is" : "ies are",
			 buf_str(&by));
		buf_release(&by);
	} else {
		snprintf(summary, sizeof summary, "No nonconformity is open.");
	}
	add_entry(d, "Open nonconformities", summary, items);

	items = json_array();
	json_array_foreach(late, i, r) {
		snprintf(detail, sizeof detail, "due %s, %s", json_text(r, "due_on"),
			 json_text(r, "status"));
		json_array_append_new(items, item("corrective-actions", r, "description", detail));
	}
	if (json_array_size(late))
		snprintf(summary, sizeof summary, "%zu corrective action%s overdue.",
			 json_array_size(late), json_array_size(late) == 1 ? " is" : "s are");
	else
		snprintf(summary, sizeof summary, "No corrective action is overdue.");
	add_entry(d, "Corrective actions overdue", summary, items);
	rc = 0;
cleanup:
	json_decref(opened);
	json_decref(closed);
	json_decref(open);
	json_decref(late);
	return rc;
}
