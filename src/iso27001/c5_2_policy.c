/* policy_checks.c — what a certification auditor checks first in clauses 5 and 7.5, as
   rules over the records: the top-level policy approved by top management, published,
   reviewed in time and acknowledged; the two 5.3 duties assigned to roles someone holds;
   every role held; leadership evidence in the last year; every document owned, published
   and reviewed in time; one accountable role a RACI row. Each check passes or says why not. */
#include "c5_2_policy.h"
#include "c7_3_acknowledgements.h"
#include "c5_leadership.h"
#include "../base/buf.h"
#include "../base/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Staff acknowledgement of the top-level policy that counts as "communicated". */
#define ACK_TARGET 90

struct checks {
	struct ctx *c;
	json_t *items;
	char today[11];
};

static void check(struct checks *k, const char *id, const char *clause, const char *rule,
		  bool ok, const char *detail, const char *link)
{
	json_array_append_new(k->items, json_pack("{s:s, s:s, s:s, s:b, s:s, s:s?}", "id", id,
						  "clause", clause, "rule", rule, "ok", ok,
						  "detail", detail, "link", link));
}

/* Runs a query whose rows are titles; joins up to 5 of them into out, returns the count. */
static int titles(struct checks *k, const char *sql, const struct store_val *p, int n,
		  struct buf *out, long long *count, struct err *e)
{
	struct store_rows *r;
	int rc;
	*count = 0;
	if (store_query(k->c->store, sql, p, n, &r, e) < 0)
		return -1;
	while ((rc = store_next(r, e)) > 0) {
		if (*count < 5)
			buf_printf(out, "%s%s", *count ? ", " : "", store_text(r, 0));
		(*count)++;
	}
	store_rows_free(r);
	if (rc == 0 && *count > 5)
		buf_printf(out, " and %lld more", *count - 5);
	return rc < 0 ? -1 : 0;
}

static int top_policy(struct checks *k, struct err *e)
{
	struct store_rows *r;
	long long id = 0;
	char identifier[64] = "", status[24] = "", review[11] = "";
	int rc;
	if (store_query(k->c->store,
			"SELECT id, identifier, status, next_review FROM documents WHERE kind = "
			"'information_security_policy' ORDER BY (status = 'published') DESC, id LIMIT 1",
			NULL, 0, &r, e) < 0)
		return -1;
	rc = store_next(r, e);
	if (rc > 0) {
		id = store_int(r, 0);
		snprintf(identifier, sizeof identifier, "%s", store_text(r, 1));
		snprintf(status, sizeof status, "%s", store_text(r, 2) ? store_text(r, 2) : "");
		snprintf(review, sizeof review, "%s", store_text(r, 3) ? store_text(r, 3) : "");
	}
	store_rows_free(r);
	if (rc < 0)
		return -1;
	char detail[300], link[64];
	bool published = strcmp(status, "published") == 0;
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
	if (published) {
		json_t *doc;
		if (record_get_stored(k->c, registry_find(k->c->reg, "document"), id, &doc, e) < 0)
			return -1;
		rc = ack_percent(k->c, doc, &percent, e);
		json_decref(doc);
		if (rc < 0)
			return -1;
	}
	bool acked = json_is_integer(percent) && json_integer_value(percent) >= ACK_TARGET;
	if (json_is_integer(percent))
		snprintf(detail, sizeof detail, "%lld %% of its audience acknowledged the version in "
						"force (target %d %%)",
			 (long long)json_integer_value(percent), ACK_TARGET);
	else
		snprintf(detail, sizeof detail, "nothing published to acknowledge");
	json_decref(percent);
	check(k, "policy-acknowledged", "5.2",
	      "Staff acknowledged the top-level policy (it was communicated)", acked, detail,
	      "/acknowledgements");
	long long topics;
	struct store_val p[] = {SVI(id)};
	if (store_query_int(k->c->store,
			    "SELECT count(*) FROM documents WHERE parent = $1 AND kind = "
			    "'topic_specific_policy' AND status = 'published'",
			    p, 1, &topics, NULL, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "%lld topic-specific policies published under it", topics);
	check(k, "framework", "5.2", "Topic-specific policies sit under the top-level policy",
	      topics > 0, detail, "/framework");
	return 0;
}

/* A role carrying a 5.3 duty (column) that someone holds today. */
static int duty(struct checks *k, const char *column, const char *id, const char *rule,
		struct err *e)
{
	char sql[400];
	struct buf names = BUF_INIT;
	long long n;
	struct store_val p[] = {SVS(k->today)};
	snprintf(sql, sizeof sql,
		 "SELECT DISTINCT r.name FROM roles r JOIN role_assignments a ON a.role = r.id "
		 "WHERE r.\"%s\" = 1 AND a.starts_on <= $1 AND (a.ends_on IS NULL OR a.ends_on >= "
		 "$1) ORDER BY r.name",
		 column);
	if (titles(k, sql, p, 1, &names, &n, e) < 0) {
		buf_release(&names);
		return -1;
	}
	char detail[400];
	snprintf(detail, sizeof detail, n ? "held: %s" : "no role with this duty has a holder today",
		 buf_str(&names));
	check(k, id, "5.3", rule, n > 0, detail, "/roles");
	buf_release(&names);
	return 0;
}

/* A rule that holds when the query finds nothing; the detail names what it found. */
static int none(struct checks *k, const char *id, const char *clause, const char *rule,
		const char *sql, const struct store_val *p, int n, const char *good,
		const char *bad, const char *link, struct err *e)
{
	struct buf names = BUF_INIT;
	long long count;
	if (titles(k, sql, p, n, &names, &count, e) < 0) {
		buf_release(&names);
		return -1;
	}
	char detail[600];
	if (count)
		snprintf(detail, sizeof detail, "%lld %s: %s", count, bad, buf_str(&names));
	else
		snprintf(detail, sizeof detail, "%s", good);
	check(k, id, clause, rule, count == 0, detail, link);
	buf_release(&names);
	return 0;
}

int policy_checks(struct ctx *c, json_t **out, struct err *e)
{
	struct checks k = {.c = c, .items = json_array()};
	struct store_val today[1];
	char year_ago[16];
	*out = NULL;
	ctx_today(c, k.today);
	today[0] = SVS(k.today);
	snprintf(year_ago, sizeof year_ago, "%04d%.6s", (atoi(k.today) + 9999) % 10000, k.today + 4);
	struct store_val since[] = {SVS(year_ago)};
	long long evidence;
	if (top_policy(&k, e) < 0 ||
	    duty(&k, "ensures_conformity", "duty-conformity",
		 "A role that ensures the ISMS conforms is assigned", e) < 0 ||
	    duty(&k, "reports_performance", "duty-reporting",
		 "A role that reports ISMS performance to top management is assigned", e) < 0 ||
	    none(&k, "roles-held", "5.3", "Every role has a holder today",
		 "SELECT name FROM roles r WHERE NOT EXISTS (SELECT 1 FROM role_assignments a WHERE "
		 "a.role = r.id AND a.starts_on <= $1 AND (a.ends_on IS NULL OR a.ends_on >= $1)) "
		 "ORDER BY name",
		 today, 1, "every role is held", "roles without a holder", "/roles", e) < 0 ||
	    store_query_int(c->store,
			    "SELECT count(*) FROM leadership_evidence WHERE occurred_on >= $1", since,
			    1, &evidence, NULL, e) < 0)
		goto fail;
	char detail[120];
	snprintf(detail, sizeof detail, "%lld items since %s", evidence, year_ago);
	check(&k, "leadership-evidence", "5.1",
	      "Top management's commitment is evidenced in the last 12 months", evidence > 0, detail,
	      "/t/leadership-evidence");
	if (none(&k, "raci-accountable", "5.3", "Every ISMS process has exactly one accountable role",
		 "SELECT name FROM processes p WHERE (SELECT count(*) FROM raci x WHERE x.process = "
		 "p.id AND x.assignment = 'accountable') <> 1 ORDER BY name",
		 NULL, 0, "every process has one", "processes without exactly one accountable role",
		 "/raci", e) < 0 ||
	    none(&k, "documents-owned", "7.5", "Every document has an owner",
		 "SELECT identifier FROM documents WHERE owner IS NULL AND status <> 'withdrawn' "
		 "ORDER BY identifier",
		 NULL, 0, "every document has an owner", "documents without an owner",
		 "/framework", e) < 0 ||
	    none(&k, "documents-approved", "7.5", "Every document has an approved version in force",
		 "SELECT identifier FROM documents WHERE status NOT IN ('published', 'withdrawn') "
		 "ORDER BY identifier",
		 NULL, 0, "every document is published", "documents with nothing in force",
		 "/framework", e) < 0 ||
	    none(&k, "documents-reviewed", "7.5", "Every document is within its review date",
		 "SELECT identifier FROM documents WHERE next_review < $1 AND status = 'published' "
		 "ORDER BY identifier",
		 today, 1, "no review is overdue", "documents past their review date", "/framework",
		 e) < 0)
		goto fail;
	size_t i, passed = 0;
	json_t *it;
	json_array_foreach(k.items, i, it) {
		passed += json_is_true(json_object_get(it, "ok"));
	}
	*out = json_pack("{s:o, s:I, s:I}", "checks", k.items, "passed", (json_int_t)passed,
			 "total", (json_int_t)json_array_size(k.items));
	return 0;
fail:
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
