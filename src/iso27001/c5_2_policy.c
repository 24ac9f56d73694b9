/* policy_checks.c — what a certification auditor checks first in clauses 5 and 7.5, as
   rules over the records: the top-level policy approved by top management, published,
   reviewed in time and acknowledged; the two 5.3 duties assigned to roles someone holds;
   every role held; leadership evidence in the last year; every document owned, published,
   reviewed in time and acknowledged to its own target; every process with an owner or one
   accountable role. Each check passes or says why not. */
#include "c5_2_policy.h"
#include "../base/clock.h"
#include "c7_3_acknowledgements.h"
#include "c5_leadership.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct checks {
	struct ctx *c;
	json_t *items;
	char today[11];
};

static void check(struct checks *k, const char *id, const char *clause, const char *rule,
		  bool ok, const char *detail, const char *link)
{
	json_array_append_new(k->items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s?}", "id", id,
						  "clause", clause, "rule", rule, "ok", ok,
						  "detail", detail, "link", link));
}

/* Joins up to 5 of the names into out ("A, B and 3 more"). */
static void join_names(const json_t *names, struct buf *out)
{
	size_t i, n = json_array_size(names);
	json_t *name;
	json_array_foreach(names, i, name) {
		if (i == 5)
			break;
		buf_printf(out, "%s%s", i ? ", " : "", json_string_value(name));
	}
	if (n > 5)
		buf_printf(out, " and %zu more", n - 5);
}

/* The text of field in each record, as a new array. */
static json_t *names_of(const json_t *records, const char *field)
{
	json_t *names = json_array(), *rec;
	size_t i;
	json_array_foreach(records, i, rec) {
		json_array_append_new(names, json_string(json_str(rec, field) ? json_str(rec, field)
									       : ""));
	}
	return names;
}

/* The records q finds, as a new array of their field's text. */
static int query_names(struct checks *k, const struct query *q, const char *field,
		       json_t **out, struct err *e)
{
	json_t *records;
	*out = NULL;
	if (query_records(k->c, q, &records, e) < 0)
		return -1;
	*out = names_of(records, field);
	json_decref(records);
	return 0;
}

/* The top-level policy: the first published one, else the first of any status (new
   reference, or NULL when there is none). */
static int find_top_policy(struct checks *k, json_t **doc, struct err *e)
{
	struct query q = {.type = "document",
			  .where = {QEQ("kind", SVS("information_security_policy")),
				    QEQ("status", SVS("published"))}};
	if (query_first(k->c, &q, doc, e) < 0)
		return -1;
	if (*doc)
		return 0;
	q.where[1] = (struct query_cond){0};
	return query_first(k->c, &q, doc, e);
}

static int top_policy(struct checks *k, struct err *e)
{
	json_t *doc;
	long long id = 0;
	char identifier[64] = "", status[24] = "", review[11] = "";
	if (find_top_policy(k, &doc, e) < 0)
		return -1;
	if (doc) {
		id = json_int(doc, "id");
		snprintf(identifier, sizeof identifier, "%s", json_str(doc, "identifier"));
		const char *st = json_str(doc, "status"), *next = json_str(doc, "next_review");
		snprintf(status, sizeof status, "%s", st ? st : "");
		snprintf(review, sizeof review, "%s", next ? next : "");
	}
	char detail[300], link[64];
	bool published = str_eq(status, "published");
	snprintf(link, sizeof link, "/t/documents/%lld", id);
	if (!id)
		snprintf(detail, sizeof detail, "there is no top-level information security policy");
	else if (!published)
		snprintf(detail, sizeof detail, "%s is %s, not published", identifier, status);
	else
		snprintf(detail, sizeof detail, "%s is published, approved by top management",
			 identifier);
	check(k, "policy-published", "5.2",
	      "A top-level information security policy, approved by top management, is published",
	      id && published, detail, id ? link : NULL);
	bool in_time = published && review[0] && strcmp(review, k->today) >= 0;
	snprintf(detail, sizeof detail, "%s", !published ? "nothing published to review"
			 : in_time ? "next review on " : "review was due on ");
	if (published)
		strncat(detail, review, sizeof detail - strlen(detail) - 1);
	check(k, "policy-reviewed", "5.2", "The top-level policy is within its review date", in_time,
	      detail, id ? link : NULL);
	json_t *percent = json_null();
	int rc = published ? ack_percent(k->c, doc, &percent, e) : 0;
	int target = doc ? ack_target(doc) : ACK_TARGET_DEFAULT;
	json_decref(doc);
	if (rc < 0)
		return -1;
	bool acked = json_is_integer(percent) && json_integer_value(percent) >= target;
	if (json_is_integer(percent))
		snprintf(detail, sizeof detail, "%lld %% of its audience acknowledged the version in "
						"force (target %d %%)",
			 (long long)json_integer_value(percent), target);
	else
		snprintf(detail, sizeof detail, "nothing published to acknowledge");
	json_decref(percent);
	check(k, "policy-acknowledged", "5.2",
	      "Staff acknowledged the top-level policy (it was communicated)", acked, detail,
	      "/acknowledgements");
	long long topics;
	struct query q = {.type = "document",
			  .where = {QEQ("parent", SVI(id)),
				    QEQ("kind", SVS("topic_specific_policy")),
				    QEQ("status", SVS("published"))}};
	if (query_count(k->c, &q, &topics, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "%lld topic-specific policies published under it", topics);
	check(k, "framework", "5.2", "Topic-specific policies sit under the top-level policy",
	      topics > 0, detail, "/framework");
	return 0;
}

/* The roles someone holds today, as a new array of ids. */
static int held_roles(struct checks *k, json_t **out, struct err *e)
{
	struct query q = {.type = "role_assignment",
			  .where = {QLE("starts_on", SVS(k->today)),
				    QGE_OR_NULL("ends_on", SVS(k->today))}};
	return query_values(k->c, &q, "role", out, e);
}

/* A role carrying a 5.3 duty (column) that someone holds today. */
static int duty(struct checks *k, const json_t *held, const char *column, const char *id,
		const char *rule, struct err *e)
{
	struct buf text = BUF_INIT;
	json_t *names;
	struct query q = {.type = "role",
			  .where = {QEQ(column, SVI(1)), QIN("id", held)},
			  .order = "name"};
	if (query_names(k, &q, "name", &names, e) < 0)
		return -1;
	join_names(names, &text);
	char detail[400];
	snprintf(detail, sizeof detail,
		 json_array_size(names) ? "held: %s" : "no role with this duty has a holder today",
		 buf_str(&text));
	check(k, id, "5.3", rule, json_array_size(names) > 0, detail, "/roles");
	json_decref(names);
	buf_release(&text);
	return 0;
}

/* A rule that holds when names (what breaks it) is empty; the detail names them. Steals
   names. */
static void none(struct checks *k, const char *id, const char *clause, const char *rule,
		 json_t *names, const char *good, const char *bad, const char *link)
{
	struct buf text = BUF_INIT;
	char detail[600];
	size_t count = json_array_size(names);
	join_names(names, &text);
	if (count)
		snprintf(detail, sizeof detail, "%zu %s: %s", count, bad, buf_str(&text));
	else
		snprintf(detail, sizeof detail, "%s", good);
	check(k, id, clause, rule, count == 0, detail, link);
	json_decref(names);
	buf_release(&text);
}

/* The names of the processes that have neither an owner nor one accountable role (or more
   than one accountable role, which leaves it unclear), as a new array: 5.3 asks that
   responsibility is assigned, and an owner assigns it without a RACI. */
static int processes_without_accountability(struct checks *k, json_t **out, struct err *e)
{
	struct query entries = {.type = "raci_entry",
				.where = {QEQ("assignment", SVS("accountable")),
					  QNOT_NULL("process")}};
	struct query processes = {.type = "process", .order = "name"};
	json_t *raci = NULL, *all = NULL, *per = json_object(), *x;
	size_t i;
	int ret = -1;
	*out = NULL;
	if (query_records(k->c, &entries, &raci, e) < 0 ||
	    query_records(k->c, &processes, &all, e) < 0)
		goto out;
	json_array_foreach(raci, i, x) {
		char key[24];
		snprintf(key, sizeof key, "%lld", json_int(x, "process"));
		json_object_set_new(per, key, json_integer(json_int(per, key) + 1));
	}
	*out = json_array();
	json_array_foreach(all, i, x) {
		char key[24];
		snprintf(key, sizeof key, "%lld", json_int(x, "id"));
		long long accountable = json_int(per, key);
		bool owned = json_int(x, "owner") != 0;
		if (accountable > 1 || (accountable == 0 && !owned))
			json_array_append_new(*out, json_string(json_str(x, "name")));
	}
	ret = 0;
out:
	json_decref(raci);
	json_decref(all);
	json_decref(per);
	return ret;
}

/* The identifiers of the documents q finds (ordered by identifier), as a new array. */
static int documents_where(struct checks *k, struct query *q, json_t **out, struct err *e)
{
	q->type = "document";
	q->order = "identifier";
	return query_names(k, q, "identifier", out, e);
}

/* The identifiers of the published documents whose audience inside the organization has
   acknowledged the version in force below the document's own target, as a new array. The
   top-level policy is judged once, by the 5.2 check "policy-acknowledged", not twice. */
static int documents_unacknowledged(struct checks *k, json_t **out, struct err *e)
{
	struct query q = {.type = "document",
			  .where = {QEQ("status", SVS("published")),
				    QNE("kind", SVS("information_security_policy"))},
			  .order = "identifier"};
	json_t *docs, *doc;
	size_t i;
	*out = NULL;
	if (query_records(k->c, &q, &docs, e) < 0)
		return -1;
	json_t *names = json_array();
	json_array_foreach(docs, i, doc) {
		json_t *percent;
		if (ack_percent(k->c, doc, &percent, e) < 0) {
			json_decref(names);
			json_decref(docs);
			return -1;
		}
		if (json_is_integer(percent) && json_integer_value(percent) < ack_target(doc))
			json_array_append_new(names, json_string(json_str(doc, "identifier")));
		json_decref(percent);
	}
	json_decref(docs);
	*out = names;
	return 0;
}

int policy_checks(struct ctx *c, json_t **out, struct err *e)
{
	static const char *const in_force[] = {"published", "withdrawn", NULL};
	struct checks k = {.c = c, .items = json_array()};
	char year_ago[16];
	json_t *held = NULL, *names;
	*out = NULL;
	ctx_today(c, k.today);
	clock_add_months(k.today, -12, year_ago);
	struct query roles_unheld = {.type = "role", .order = "name"};
	struct query evidence_q = {.type = "leadership_evidence",
				   .where = {QGE("occurred_on", SVS(year_ago))}};
	long long evidence;
	if (top_policy(&k, e) < 0 || held_roles(&k, &held, e) < 0 ||
	    duty(&k, held, "ensures_conformity", "duty-conformity",
		 "A role that ensures the ISMS conforms is assigned", e) < 0 ||
	    duty(&k, held, "reports_performance", "duty-reporting",
		 "A role that reports ISMS performance to top management is assigned", e) < 0)
		goto fail;
	roles_unheld.where[0] = (struct query_cond)QNOT_IN("id", held);
	if (query_names(&k, &roles_unheld, "name", &names, e) < 0)
		goto fail;
	none(&k, "roles-held", "5.3", "Every role has a holder today", names, "every role is held",
	     "roles without a holder", "/roles");
	if (query_count(c, &evidence_q, &evidence, e) < 0)
		goto fail;
	char detail[120];
	snprintf(detail, sizeof detail, "%lld items since %s", evidence, year_ago);
	check(&k, "leadership-evidence", "5.1",
	      "Top management's commitment is evidenced in the last 12 months", evidence > 0, detail,
	      "/t/leadership-evidence");
	if (processes_without_accountability(&k, &names, e) < 0)
		goto fail;
	none(&k, "raci-accountable", "5.3",
	     "Every ISMS process has an owner or one accountable role", names,
	     "every process has one", "processes with neither an owner nor one accountable role",
	     "/raci");
	struct query unowned = {.where = {QNULL("owner"), QNE("status", SVS("withdrawn"))}};
	if (documents_where(&k, &unowned, &names, e) < 0)
		goto fail;
	none(&k, "documents-owned", "7.5", "Every document has an owner", names,
	     "every document has an owner", "documents without an owner", "/framework");
	struct query unpublished = {.where = {QNOT_IN_TEXT("status", in_force)}};
	if (documents_where(&k, &unpublished, &names, e) < 0)
		goto fail;
	none(&k, "documents-approved", "7.5", "Every document has an approved version in force",
	     names, "every document is published", "documents with nothing in force", "/framework");
	struct query overdue = {.where = {QLT("next_review", SVS(k.today)),
					  QEQ("status", SVS("published"))}};
	if (documents_where(&k, &overdue, &names, e) < 0)
		goto fail;
	none(&k, "documents-reviewed", "7.5", "Every document is within its review date", names,
	     "no review is overdue", "documents past their review date", "/framework");
	if (documents_unacknowledged(&k, &names, e) < 0)
		goto fail;
	none(&k, "documents-acknowledged", "7.3",
	     "Every published document is acknowledged by its audience to its target", names,
	     "every target is met", "documents below their acknowledgement target",
	     "/acknowledgements");
	json_decref(held);
	size_t i, passed = 0;
	json_t *it;
	json_array_foreach(k.items, i, it) {
		passed += json_is_true(json_object_get(it, "ok"));
	}
	*out = json_build("{s:o, s:I, s:I}", "checks", k.items, "passed", (json_int_t)passed,
			 "total", (json_int_t)json_array_size(k.items));
	return 0;
fail:
	json_decref(held);
	json_decref(k.items);
	return -1;
}

int policy_checks_append(struct ctx *c, json_t *items, struct err *e)
{
	json_t *out;
	if (policy_checks(c, &out, e) < 0)
		return -1;
	json_array_extend(items, json_object_get(out, "checks"));
	json_decref(out);
	return 0;
}

const struct module c5_2_module = {
	.clause = "5.2",
	.title = "Information security policy",
	.file = __FILE__,
	.checks = policy_checks_append,
};
