/* c7_4_communication.c — 7.4: the communication plan (what is communicated, why, how often,
   with whom, how and by whom) and the log of communications made and received. A plan
   entry's next occurrence follows from its frequency and the communications recorded for
   it; one whose next occurrence has passed is due, and so is an inbound communication
   (a regulator's letter, a customer's questionnaire) not answered by its response date. */
#include "iso.h"
#include "frequency.h"
#include "c9_3_review.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const char *const frequencies[] = {"once",        "monthly", "quarterly",
					  "half_yearly", "yearly",  NULL};
static const char *const channels[] = {"email",  "meeting", "intranet", "training",
				       "letter", "report",  "other",    NULL};
static const char *const directions[] = {"outbound", "inbound", NULL};

/* ---- The plan ---------------------------------------------------------------------- */

static const struct field plan_fields[] = {
	{.name = "subject", .label = "What", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_SEARCH | F_INDEX, .max_len = 200,
	 .help = "What is communicated, e.g. \"ISMS performance report\" or \"Security "
		 "newsletter\"."},
	{.name = "purpose", .label = "Why", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Why it is communicated: the need it answers, the requirement behind it."},
	{.name = "frequency", .label = "How often", .type = FT_ENUM, .values = frequencies,
	 .flags = F_REQUIRED, .help = "Once, or every month, quarter, half year or year."},
	{.name = "first_on", .label = "First on", .type = FT_DATE, .flags = F_REQUIRED,
	 .help = "The day of the first occurrence; the next ones follow from the frequency."},
	{.name = "next_occurrence", .label = "Next occurrence", .type = FT_DATE,
	 .flags = F_DERIVED,
	 .help = "The first occurrence after the latest communication recorded for this entry "
		 "(one made up to half a period early counts for the occurrence it precedes); "
		 "empty when a one-off is done or the entry is inactive."},
	{.name = "interested_parties", .label = "With interested parties", .type = FT_REFS,
	 .ref = "interested_party",
	 .help = "The interested parties it is meant for or comes from (4.2)."},
	{.name = "audience", .label = "With (inside the organization)", .type = FT_TEXT,
	 .flags = F_SEARCH, .max_len = 300,
	 .help = "People inside the organization it is for, e.g. \"all staff\" or \"the "
		 "management team\"."},
	{.name = "channel", .label = "How", .type = FT_ENUM, .values = channels,
	 .flags = F_REQUIRED, .help = "The channel: email, meeting, intranet, training, letter, "
				     "report or other."},
	{.name = "communicator", .label = "Who communicates", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX,
	 .help = "The person who sends it, or who receives and answers it."},
	{.name = "direction", .label = "Direction", .type = FT_ENUM, .values = directions,
	 .def = "\"outbound\"",
	 .help = "Outbound: we tell others; inbound: we expect to hear from them (a regulator's "
		 "reporting, customers' questionnaires)."},
	{.name = "active", .label = "Active", .type = FT_BOOL, .def = "true",
	 .help = "Clear this when the entry is no longer part of the plan; it is then never "
		 "due."},
	{.name = "notes", .label = "Notes", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Anything else: templates, distribution lists, approvals needed."},
};

/* The next occurrence of a plan entry into out ("" when there is none): its first day,
   or the first occurrence after the latest communication recorded for it, where a
   communication made up to half a period early counts for the occurrence it precedes (the
   yearly report sent two days before its date is not late). */
static int next_occurrence(struct ctx *c, const json_t *plan, char out[11], struct err *e)
{
	const char *first = json_str(plan, "first_on");
	json_t *latest;
	char early[11];
	out[0] = '\0';
	if (!first || !json_is_true(json_object_get(plan, "active")))
		return 0;
	struct query q = {.type = "communication_record",
			  .where = {QEQ("communication", SVI(json_int(plan, "id")))}};
	if (query_max(c, &q, "communicated_on", &latest, e) < 0)
		return -1;
	const char *last = json_string_value(latest);
	int step = frequency_months(json_str(plan, "frequency"));
	long long grace = step * 365 / 24; /* half the period, in days */
	snprintf(out, 11, "%s", first);
	if (last && !step)
		out[0] = '\0'; /* a one-off, done */
	/* Counted from the first day each time, so the day of the month does not drift;
	   dates end in 2200, so the loop is bounded. */
	for (long long k = 1; last && step && k < 12 * 400; k++) {
		clock_add_days(out, -grace, early);
		if (strcmp(early, last) > 0)
			break;
		clock_add_months(first, k * step, out);
	}
	json_decref(latest);
	return 0;
}

static int plan_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			 const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	const char *audience = json_str(rec, "audience");
	if (!json_array_size(json_object_get(rec, "interested_parties")) &&
	    !(audience && audience[0]))
		return err_set(e, ERR_INVALID, "interested_parties",
			       "With whom: name the interested parties, or the audience inside the "
			       "organization");
	return 0;
}

static int plan_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	(void)rt;
	char next[11];
	if (next_occurrence(c, rec, next, e) < 0)
		return -1;
	json_set_str(rec, "next_occurrence", next[0] ? next : NULL);
	return 0;
}

static const struct record_type communications_type = {
	.name = "communication",
	.plural = "communications",
	.table = "communications",
	.label = "communication plan entry",
	.label_plural = "communication plan",
	.clause = "7.4",
	.help = "The communication plan: what the ISMS communicates or expects to receive, why, "
		"how often, with whom, how and who does it.",
	.section = "7",
	.title_field = "subject",
	.default_sort = "subject",
	.fields = plan_fields,
	.nfields = sizeof plan_fields / sizeof plan_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 3,
	.validate = plan_validate,
	.decorate = plan_decorate,
};

/* ---- The log ----------------------------------------------------------------------- */

static const struct field record_fields[] = {
	{.name = "communication", .label = "Plan entry", .type = FT_REF, .ref = "communication",
	 .flags = F_INDEX,
	 .help = "The entry of the plan this carries out, if any; an unplanned communication "
		 "has none."},
	{.name = "communicated_on", .label = "Date", .type = FT_DATE,
	 .flags = F_REQUIRED | F_PAST | F_INDEX,
	 .help = "The day it was sent, held or received."},
	{.name = "direction", .label = "Direction", .type = FT_ENUM, .values = directions,
	 .help = "Outbound (we told them) or inbound (they wrote to us); the plan entry's when "
		 "left empty, else outbound."},
	{.name = "summary", .label = "Summary", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 300, .help = "What was communicated, in one line."},
	{.name = "details", .label = "Details", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "More about it; attach the message, slides or letter as evidence files."},
	{.name = "channel", .label = "How", .type = FT_ENUM, .values = channels,
	 .help = "The channel used; the plan entry's when left empty."},
	{.name = "interested_parties", .label = "With interested parties", .type = FT_REFS,
	 .ref = "interested_party", .help = "Who it went to or came from."},
	{.name = "by", .label = "By", .type = FT_REF, .ref = "person",
	 .help = "Who sent it, or who received it."},
	{.name = "response_due_on", .label = "Response due", .type = FT_DATE,
	 .help = "Inbound only: the day an answer is due, e.g. the regulator's deadline."},
	{.name = "response_owner", .label = "Response owner", .type = FT_REF, .ref = "person",
	 .flags = F_INDEX, .help = "Inbound only: who answers it."},
	{.name = "responded_on", .label = "Responded on", .type = FT_DATE, .flags = F_PAST,
	 .help = "Inbound only: the day it was answered."},
	{.name = "response", .label = "Response", .type = FT_MARKDOWN,
	 .help = "Inbound only: what was answered."},
};

static int record_validate_log(struct ctx *c, const struct record_type *rt, json_t *rec,
			       const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	json_t *plan = NULL;
	const char *on = json_str(rec, "communicated_on");
	if (json_int(rec, "communication")) {
		struct query q = {.type = "communication",
				  .where = {QEQ("id", SVI(json_int(rec, "communication")))}};
		if (query_first(c, &q, &plan, e) < 0)
			return -1;
	}
	if (!json_str(rec, "direction"))
		json_set_str(rec, "direction",
			     plan && json_str(plan, "direction") ? json_str(plan, "direction")
								 : "outbound");
	if (!json_str(rec, "channel") && plan)
		json_set_str(rec, "channel", json_str(plan, "channel"));
	bool mismatch = plan && json_str(plan, "direction") &&
			!str_eq(json_str(plan, "direction"), json_str(rec, "direction"));
	json_decref(plan);
	if (mismatch)
		return err_set(e, ERR_INVALID, "direction",
			       "Direction: the plan entry is %s; record it the same way or choose "
			       "another entry",
			       str_eq(json_str(rec, "direction"), "inbound") ? "outbound"
									     : "inbound");
	bool inbound = str_eq(json_str(rec, "direction"), "inbound");
	static const char *const inbound_only[][2] = {{"response_due_on", "Response due"},
						      {"response_owner", "Response owner"},
						      {"responded_on", "Responded on"},
						      {"response", "Response"}};
	for (size_t k = 0; k < COUNT_OF(inbound_only) && !inbound; k++) {
		json_t *v = json_object_get(rec, inbound_only[k][0]);
		if (v && !json_is_null(v))
			return err_set(e, ERR_INVALID, inbound_only[k][0],
				       "%s: only an inbound communication awaits a response",
				       inbound_only[k][1]);
	}
	const char *due = json_str(rec, "response_due_on"), *done = json_str(rec, "responded_on");
	if (due && !json_int(rec, "response_owner"))
		return err_set(e, ERR_INVALID, "response_owner",
			       "Response owner: name who answers it by the response date");
	if (due && on && strcmp(due, on) < 0)
		return err_set(e, ERR_INVALID, "response_due_on",
			       "Response due must not be before the date it was received");
	if (done && on && strcmp(done, on) < 0)
		return err_set(e, ERR_INVALID, "responded_on",
			       "Responded on must not be before the date it was received");
	return 0;
}

static const struct record_type communication_records_type = {
	.name = "communication_record",
	.plural = "communication-records",
	.table = "communication_records",
	.label = "communication",
	.label_plural = "communications log",
	.clause = "7.4",
	.help = "Communications made and received: newsletters sent, briefings held, reports "
		"given, and inbound letters and questionnaires with who answers them by when.",
	.section = "7",
	.title_field = "summary",
	.default_sort = "-communicated_on",
	.fields = record_fields,
	.nfields = sizeof record_fields / sizeof record_fields[0],
	/* Readable by every role, as records with evidence files must be (attachments.h). */
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 3,
	.validate = record_validate_log,
};

/* ---- What is due ------------------------------------------------------------------- */

static int plan_due(struct ctx *c, bool mine, const char *horizon, json_t *items,
		    struct err *e)
{
	json_t *plans, *plan;
	size_t i;
	char next[11];
	struct query q = {.type = "communication", .where = {QEQ("active", SVI(1))}};
	if (mine)
		q.where[1] = (struct query_cond)QEQ("communicator", SVI(c->actor.person_id));
	if (query_records(c, &q, &plans, e) < 0)
		return -1;
	json_array_foreach(plans, i, plan) {
		if (next_occurrence(c, plan, next, e) < 0) {
			json_decref(plans);
			return -1;
		}
		if (next[0] && strcmp(next, horizon) <= 0)
			json_array_append_new(
				items, json_build("{s:s, s:I, s:s, s:s, s:s, s:I}", "type",
						  communications_type.plural, "id",
						  (json_int_t)json_int(plan, "id"), "title",
						  json_text(plan, "subject"), "what", "communication",
						  "date", next, "owner",
						  (json_int_t)json_int(plan, "communicator")));
	}
	json_decref(plans);
	return 0;
}

static int responses_due(struct ctx *c, bool mine, const char *horizon, json_t *items,
			 struct err *e)
{
	json_t *recs, *rec;
	size_t i;
	struct query q = {.type = "communication_record",
			  .where = {QEQ("direction", SVS("inbound")), QNULL("responded_on"),
				    QNOT_NULL("response_due_on"),
				    QLE("response_due_on", SVS(horizon))},
			  .order = "response_due_on"};
	if (mine)
		q.where[4] = (struct query_cond)QEQ("response_owner", SVI(c->actor.person_id));
	if (query_records(c, &q, &recs, e) < 0)
		return -1;
	json_array_foreach(recs, i, rec) {
		json_t *item = json_build("{s:s, s:I, s:s, s:s, s:s}", "type",
					  communication_records_type.plural, "id",
					  (json_int_t)json_int(rec, "id"), "title",
					  json_text(rec, "summary"), "what", "response", "date",
					  json_text(rec, "response_due_on"));
		json_object_set_new(item, "owner", json_int(rec, "response_owner")
							   ? json_integer(json_int(rec, "response_owner"))
							   : json_null());
		json_array_append_new(items, item);
	}
	json_decref(recs);
	return 0;
}

static int communication_due(struct ctx *c, bool mine, const char *today, const char *horizon,
			     json_t *items, struct err *e)
{
	(void)today;
	if (mine && !c->actor.person_id)
		return 0;
	if (record_can_read(c, &communications_type) && plan_due(c, mine, horizon, items, e) < 0)
		return -1;
	if (record_can_read(c, &communication_records_type) &&
	    responses_due(c, mine, horizon, items, e) < 0)
		return -1;
	return 0;
}

/* ---- The checks -------------------------------------------------------------------- */

static void check(json_t *items, const char *id, const char *rule, bool ok, const char *detail,
		  const char *link)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", id,
						"clause", "7.4", "rule", rule, "ok", ok, "detail",
						detail, "link", link));
}

/* Whether the active plan reaches people inside the organization (an audience, or an
   internal interested party) and parties outside it. */
static int plan_reach(struct ctx *c, bool *internal, bool *external, long long *n,
		      struct err *e)
{
	json_t *plans, *plan, *origins = NULL;
	size_t i;
	*internal = *external = false;
	struct query q = {.type = "communication", .where = {QEQ("active", SVI(1))}};
	if (query_records(c, &q, &plans, e) < 0)
		return -1;
	*n = (long long)json_array_size(plans);
	json_array_foreach(plans, i, plan) {
		json_t *parties = json_object_get(plan, "interested_parties");
		const char *audience = json_str(plan, "audience");
		if (audience && audience[0])
			*internal = true;
		if (!json_array_size(parties))
			continue;
		struct query pq = {.type = "interested_party", .where = {QIN("id", parties)}};
		if (query_values(c, &pq, "origin", &origins, e) < 0) {
			json_decref(plans);
			return -1;
		}
		size_t k;
		json_t *o;
		json_array_foreach(origins, k, o) {
			*internal = *internal || str_eq(json_string_value(o), "internal");
			*external = *external || str_eq(json_string_value(o), "external");
		}
		json_decref(origins);
	}
	json_decref(plans);
	return 0;
}

static int communication_checks(struct ctx *c, json_t *items, struct err *e)
{
	bool internal, external;
	long long n;
	char today[11];
	json_t *due = json_array(), *it;
	struct buf detail = BUF_INIT;
	size_t i;
	int ret = -1;
	if (plan_reach(c, &internal, &external, &n, e) < 0)
		goto out;
	if (!n)
		buf_printf(&detail, "no communication is planned");
	else if (!internal || !external)
		buf_printf(&detail, "the plan has %lld entr%s but none for %s", n, n == 1 ? "y" : "ies",
			   !internal && !external ? "anyone"
			   : !internal		  ? "people inside the organization"
						  : "interested parties outside it");
	else
		buf_printf(&detail, "%lld entr%s reach people inside the organization and parties "
				    "outside it",
			   n, n == 1 ? "y" : "ies");
	check(items, "communication-plan",
	      "The communication plan covers internal and external communication",
	      internal && external, buf_str(&detail), "/t/communications");
	buf_reset(&detail);
	/* Overdue means before today: what falls due today is not late yet. */
	ctx_today(c, today);
	char yesterday[11];
	clock_add_days(today, -1, yesterday);
	if (plan_due(c, false, yesterday, due, e) < 0 || responses_due(c, false, yesterday, due, e) < 0)
		goto out;
	json_array_foreach(due, i, it) {
		if (i == 5)
			break;
		buf_printf(&detail, "%s%s\"%s\" since %s", i ? "; " : "",
			   str_eq(json_str(it, "what"), "response") ? "response to " : "",
			   json_text(it, "title"), json_text(it, "date"));
	}
	if (json_array_size(due) > 5)
		buf_printf(&detail, " and %zu more", json_array_size(due) - 5);
	check(items, "communication-kept",
	      "Planned communications happen on schedule and inbound ones are answered in time",
	      json_array_size(due) == 0,
	      json_array_size(due) ? buf_str(&detail) : "nothing is overdue", "/due");
	ret = 0;
out:
	json_decref(due);
	buf_release(&detail);
	return ret;
}

/* ---- The module -------------------------------------------------------------------- */

static const struct record_type *const c7_4_types[] = {
	&communications_type,
	&communication_records_type,
};

/* 9.3.2 e: what interested parties told the organization in the period (inbound
   communication records), and what still awaits a response. */
static int communication_review_inputs(struct ctx *c, const char *since, const char *until,
				       json_t *inputs, struct err *e)
{
	json_t *recs = NULL, *items = json_array();
	char summary[300];
	long long waiting = 0;
	int rc = -1;
	if (!record_can_read(c, &communication_records_type)) {
		json_decref(items);
		return 0;
	}
	struct query q = {.type = "communication_record",
			  .where = {QEQ("direction", SVS("inbound")),
				    QGE("communicated_on", SVS(since ? since : "0000-00-00")),
				    QLE("communicated_on", SVS(until))},
			  .order = "communicated_on"};
	if (query_records(c, &q, &recs, e) < 0)
		goto cleanup;
	size_t i;
	json_t *r;
	json_array_foreach(recs, i, r) {
		char detail[120];
		bool open = json_str(r, "response_due_on") && !json_str(r, "responded_on");
		waiting += open;
		snprintf(detail, sizeof detail, "received %s%s%s", json_text(r, "communicated_on"),
			 open ? ", response due " : "", open ? json_text(r, "response_due_on") : "");
		json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s}", "type",
							communication_records_type.plural, "id",
							(json_int_t)json_int(r, "id"), "title",
							json_text(r, "summary"), "detail", detail));
	}
	if (json_array_size(items))
		snprintf(summary, sizeof summary,
			 "%zu inbound communication%s from interested parties in the period; %lld "
			 "await%s a response.",
			 json_array_size(items), json_array_size(items) == 1 ? "" : "s", waiting,
			 waiting == 1 ? "s" : "");
	else
		snprintf(summary, sizeof summary,
			 "No inbound communication from interested parties was recorded in the "
			 "period.");
	review_entry_add(inputs, "e", "7.4", "Feedback from interested parties", summary, items);
	items = NULL;
	rc = 0;
cleanup:
	json_decref(recs);
	json_decref(items);
	return rc;
}

const struct module c7_4_module = {
	.clause = "7.4",
	.title = "Communication",
	.file = __FILE__,
	.types = c7_4_types,
	.ntypes = COUNT_OF(c7_4_types),
	.checks = communication_checks,
	.due = communication_due,
	.review_inputs = communication_review_inputs,
};
