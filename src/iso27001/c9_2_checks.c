/* c9_2_checks.c — what a certification auditor checks in 9.2, and 9.2's input to the
   management review (9.3.2 d): a programme in force that covers every clause and applicable
   control, an audit reported in the last twelve months, completed audits reported to the
   managers concerned; impartiality overrides are listed, not failed. */
#include "c9_2_audit.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static void add_check(json_t *items, const char *id, const char *rule, bool ok,
		      const char *detail, const char *link)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", id,
						"clause", "9.2", "rule", rule, "ok", ok, "detail",
						detail, "link", link));
}

static void list_titles(const json_t *recs, const char *field, struct buf *out)
{
	size_t i, n = json_array_size(recs);
	json_t *r;
	json_array_foreach(recs, i, r) {
		if (i == 5)
			break;
		buf_printf(out, "%s#%lld %s", i ? ", " : "", json_int(r, "id"), json_text(r, field));
	}
	if (n > 5)
		buf_printf(out, " and %zu more", n - 5);
}

/* The coverage of the programme's audits: which clauses and applicable controls none
   covers, and how many rows only a planned audit covers. */
static int programme_gaps(struct ctx *c, long long programme, struct buf *missing,
			  long long *nmissing, long long *nplanned, struct err *e)
{
	json_t *audits = NULL, *ids = NULL, *ctrls = NULL, *covered = json_object(), *r, *v;
	size_t i, j;
	int rc = -1;
	*nmissing = *nplanned = 0;
	struct query q_a = {.type = "audit", .where = {QEQ("programme", SVI(programme))}};
	if (query_records(c, &q_a, &audits, e) < 0 || audit_applicable_controls(c, &ctrls, e) < 0)
		goto cleanup;
	json_array_foreach(audits, i, r) {
		const char *st = json_text(r, "status");
		bool done = strcmp(st, "reported") == 0 || strcmp(st, "closed") == 0;
		for (int k = 0; k < 2; k++)
			json_array_foreach(json_object_get(r, k ? "controls" : "clauses"), j, v) {
				char key[32];
				if (k)
					snprintf(key, sizeof key, "c%lld",
						 (long long)json_integer_value(v));
				else
					snprintf(key, sizeof key, "%s", json_string_value(v));
				if (done || !json_object_get(covered, key))
					json_object_set_new(covered, key, json_boolean(done));
			}
	}
	int shown = 0;
	size_t n = c->reg->nclauses + json_array_size(ctrls);
	for (size_t x = 0; x < n; x++) {
		char key[32], label[40];
		if (x < c->reg->nclauses) {
			if (!audit_clause_known(c->reg, c->reg->clauses[x].number))
				continue;
			snprintf(key, sizeof key, "%s", c->reg->clauses[x].number);
			snprintf(label, sizeof label, "clause %s", key);
		} else {
			r = json_array_get(ctrls, x - c->reg->nclauses);
			snprintf(key, sizeof key, "c%lld", json_int(r, "id"));
			snprintf(label, sizeof label, "A.%.30s", json_text(r, "control_id"));
		}
		json_t *have = json_object_get(covered, key);
		if (!have) {
			(*nmissing)++;
			if (shown++ < 12)
				buf_printf(missing, "%s%s", shown > 1 ? ", " : "", label);
		} else if (!json_is_true(have)) {
			(*nplanned)++;
		}
	}
	if (*nmissing > 12)
		buf_printf(missing, " and %lld more", *nmissing - 12);
	rc = 0;
cleanup:
	json_decref(audits);
	json_decref(ids);
	json_decref(ctrls);
	json_decref(covered);
	return rc;
}

int audit_checks(struct ctx *c, json_t *items, struct err *e)
{
	char today[11], year_ago[11], month_ago[11], detail[2400];
	json_t *prog = NULL, *recent = NULL, *unreported = NULL, *overrides = NULL;
	struct buf b = BUF_INIT;
	int rc = -1;
	ctx_today(c, today);
	clock_add_days(today, -365, year_ago);
	clock_add_days(today, -30, month_ago);
	struct query q_p = {.type = "audit_programme",
			    .where = {QLE("period_start", SVS(today)), QGE("period_end", SVS(today))},
			    .order = "-period_start"};
	static const char *const done[] = {"reported", "closed", NULL};
	struct query q_recent = {.type = "audit",
				 .where = {QIN_TEXT("status", done), QGE("report_date", SVS(year_ago))},
				 .order = "-report_date"};
	struct query q_unrep = {.type = "audit",
				.where = {QEQ("status", SVS("reported")),
					  QLT("report_date", SVS(month_ago)), QNULL("reported_to_on")},
				.order = "report_date"};
	struct query q_over = {.type = "audit", .where = {QNOT_NULL("override_by")}};
	if (query_first(c, &q_p, &prog, e) < 0 || query_records(c, &q_recent, &recent, e) < 0 ||
	    query_records(c, &q_unrep, &unreported, e) < 0 ||
	    query_records(c, &q_over, &overrides, e) < 0)
		goto cleanup;

	if (!prog) {
		add_check(items, "audit-programme", "An internal audit programme covers today", false,
			  "No audit programme's period includes today: plan the internal audits for "
			  "the coming cycle (period, objectives, who manages it).",
			  "/t/audit-programmes");
		add_check(items, "audit-coverage",
			  "The programme audits every clause 4–10 and every applicable control within "
			  "its cycle", false, "There is no programme in force to cover them.",
			  "/t/audit-programmes");
	} else {
		snprintf(detail, sizeof detail, "\"%s\" runs from %s to %s.", json_text(prog, "title"),
			 json_text(prog, "period_start"), json_text(prog, "period_end"));
		add_check(items, "audit-programme", "An internal audit programme covers today", true,
			  detail, "/t/audit-programmes");
		long long nmissing, nplanned;
		if (programme_gaps(c, json_int(prog, "id"), &b, &nmissing, &nplanned, e) < 0)
			goto cleanup;
		char link[80];
		snprintf(link, sizeof link, "/r/audit-coverage?programme=%lld", json_int(prog, "id"));
		if (nmissing)
			snprintf(detail, sizeof detail,
				 "%lld clause%s or applicable control%s not in the scope of any audit "
				 "of \"%s\": %s. Add them to a planned audit.",
				 nmissing, nmissing == 1 ? "" : "s", nmissing == 1 ? " is" : "s are",
				 json_text(prog, "title"), buf_str(&b));
		else
			snprintf(detail, sizeof detail,
				 "Every clause and applicable control is in the scope of an audit of "
				 "\"%s\"%s%lld of them only by a planned audit (covered by plan, not yet "
				 "audited).",
				 json_text(prog, "title"), nplanned ? "; " : ", ", nplanned);
		add_check(items, "audit-coverage",
			  "The programme audits every clause 4–10 and every applicable control within "
			  "its cycle", nmissing == 0, detail, link);
	}
	buf_release(&b);
	b = (struct buf)BUF_INIT;

	if (json_array_size(recent))
		snprintf(detail, sizeof detail, "\"%s\" was reported on %s.",
			 json_text(json_array_get(recent, 0), "title"),
			 json_text(json_array_get(recent, 0), "report_date"));
	else
		snprintf(detail, sizeof detail,
			 "No internal audit was reported since %s: certification and surveillance "
			 "audits expect one in the last twelve months.",
			 year_ago);
	add_check(items, "audit-recent", "An internal audit was reported in the last 12 months",
		  json_array_size(recent) > 0, detail, "/t/audits");

	if (json_array_size(unreported)) {
		list_titles(unreported, "title", &b);
		snprintf(detail, sizeof detail,
			 "%zu audit%s reported more than 30 days ago without a record of the results "
			 "reaching the managers concerned: %s. Record whom they were reported to, "
			 "and when.",
			 json_array_size(unreported), json_array_size(unreported) == 1 ? "" : "s",
			 buf_str(&b));
	} else {
		snprintf(detail, sizeof detail,
			 "Every completed audit has a report date, and its results were reported to "
			 "the managers concerned (or it was reported less than 30 days ago).");
	}
	add_check(items, "audit-reported-to",
		  "Completed audits are reported to the relevant managers",
		  json_array_size(unreported) == 0, detail, "/t/audits");
	buf_release(&b);
	b = (struct buf)BUF_INIT;

	if (json_array_size(overrides)) {
		list_titles(overrides, "title", &b);
		snprintf(detail, sizeof detail,
			 "No auditor audits their own area without a decision; %zu audit%s carr%s an "
			 "impartiality override by top management, shown on the audit and its report: "
			 "%s.",
			 json_array_size(overrides), json_array_size(overrides) == 1 ? "" : "s",
			 json_array_size(overrides) == 1 ? "ies" : "y", buf_str(&b));
	} else {
		snprintf(detail, sizeof detail,
			 "No auditor audits a process or control they own or are responsible for; no "
			 "override was needed.");
	}
	add_check(items, "audit-impartiality", "Auditors do not audit their own work", true,
		  detail, "/t/audits");
	rc = 0;
cleanup:
	buf_release(&b);
	json_decref(prog);
	json_decref(recent);
	json_decref(unreported);
	json_decref(overrides);
	return rc;
}

static void add_entry(json_t *d, const char *title, const char *summary, json_t *items)
{
	json_array_append_new(d, json_build("{s:s, s:s, s:s, s:o}", "clause", "9.2", "title", title,
					    "summary", summary, "items", items));
}

int audit_review_inputs(struct ctx *c, const char *since, const char *until, json_t *inputs,
			struct err *e)
{
	json_t *d = json_object_get(inputs, "d"), *audits = NULL, *findings = NULL, *kinds = NULL;
	json_t *r;
	size_t i;
	char summary[800], detail[300];
	int rc = -1;
	if (!json_is_array(d) || !record_can_read(c, &audits_type) ||
	    !record_can_read(c, &audit_findings_type))
		return 0;
	const char *from = since ? since : "1900-01-01";
	static const char *const done[] = {"reported", "closed", NULL};
	struct query q_a = {.type = "audit",
			    .where = {QIN_TEXT("status", done), QGE("report_date", SVS(from)),
				      QLE("report_date", SVS(until))},
			    .order = "report_date"};
	struct query q_k = {.type = "finding_kind", .order = "rank"};
	if (query_records(c, &q_a, &audits, e) < 0 || query_records(c, &q_k, &kinds, e) < 0)
		goto cleanup;
	json_t *ids = json_array();
	json_t *items = json_array();
	json_array_foreach(audits, i, r) {
		json_array_append_new(ids, json_integer(json_int(r, "id")));
		snprintf(detail, sizeof detail, "reported %s%s", json_text(r, "report_date"),
			 json_str(r, "impartiality_override") ? ", with an impartiality override" : "");
		json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s}", "type", "audits",
							"id", (json_int_t)json_int(r, "id"), "title",
							json_text(r, "title"), "detail", detail));
	}
	struct query q_f = {.type = "audit_finding"};
	json_t *all = NULL;
	int qrc = query_records(c, &q_f, &all, e);
	findings = json_array();
	json_array_foreach(all, i, r)
		if (audit_has_id(ids, json_int(r, "audit")))
			json_array_append(findings, r);
	json_decref(all);
	json_decref(ids);
	if (qrc < 0) {
		json_decref(items);
		goto cleanup;
	}
	struct buf b = BUF_INIT;
	size_t k;
	json_t *kind;
	long long open_ncs = 0;
	json_array_foreach(kinds, k, kind) {
		long long n = 0;
		json_array_foreach(findings, i, r)
			n += json_int(r, "kind") == json_int(kind, "id");
		if (n)
			buf_printf(&b, "%s%lld %s", b.len ? ", " : "", n, json_text(kind, "label"));
	}
	json_array_foreach(findings, i, r) {
		if (!json_int(r, "nonconformity"))
			continue;
		json_t *nc = NULL;
		if (record_get_stored(c, registry_find(c->reg, "nonconformity"),
				      json_int(r, "nonconformity"), &nc, e) < 0) {
			buf_release(&b);
			json_decref(items);
			goto cleanup;
		}
		const char *st = json_text(nc, "status");
		open_ncs += strcmp(st, "closed") != 0 && strcmp(st, "rejected") != 0;
		json_decref(nc);
	}
	snprintf(summary, sizeof summary,
		 "%zu internal audit%s reported %s%s to %s; findings: %s; %lld nonconformit%s from "
		 "them still open.",
		 json_array_size(audits), json_array_size(audits) == 1 ? "" : "s",
		 since ? "from " : "up", since ? since : "", until, b.len ? buf_str(&b) : "none",
		 open_ncs, open_ncs == 1 ? "y" : "ies");
	buf_release(&b);
	add_entry(d, "Internal audit results", summary, items);
	rc = 0;
cleanup:
	json_decref(audits);
	json_decref(findings);
	json_decref(kinds);
	return rc;
}
