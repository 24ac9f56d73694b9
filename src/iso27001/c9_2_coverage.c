/* c9_2_coverage.c — 9.2.2: the programme's coverage matrix (every clause 4–10 and every
   applicable Annex A control against the programme's audits, what is not yet covered, and
   beside each row the findings of earlier audits and the highest risk level behind a
   control), and one audit's checklist (a row per clause and control in scope, a question
   and the findings recorded against it). */
#include "c9_2_audit.h"
#include "../report/export.h"
#include "../report/export_table.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"
#include "../engine/named_sql.h"

#include <stdio.h>
#include <string.h>


static bool is_done(const char *status)
{
	return status && (strcmp(status, "reported") == 0 || strcmp(status, "closed") == 0);
}

bool audit_has_id(const json_t *ids, long long id)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
		if (json_integer_value(v) == id)
			return true;
	return false;
}

int audit_catalog_controls(struct ctx *c, const json_t *ids, json_t **out, struct err *e)
{
	json_t *all = NULL, *r;
	size_t i;
	*out = NULL;
	struct query q = {.type = "catalog_control"};
	if (query_records(c, &q, &all, e) < 0)
		return -1;
	*out = json_array();
	json_array_foreach(all, i, r)
		if (audit_has_id(ids, json_int(r, "id")))
			json_array_append(*out, r);
	json_decref(all);
	return 0;
}

int audit_applicable_controls(struct ctx *c, json_t **out, struct err *e)
{
	json_t *ids = NULL;
	*out = NULL;
	struct query q_soa = {.type = "soa_entry", .where = {QEQ("applicable", SVI(1))}};
	if (query_values(c, &q_soa, "catalog_control", &ids, e) < 0)
		return -1;
	int rc = audit_catalog_controls(c, ids, out, e);
	json_decref(ids);
	return rc;
}

/* The statement the query interface cannot express (named_sql.h): for every catalog
   control, the scores and levels of the risks treated by the applied controls implementing
   it, two hops over record_links, reading five columns instead of 10,000 whole risks. */
enum { COVERAGE_RISKS, COVERAGE_SQL_COUNT };

const struct named_sql coverage_sql[] = {
	[COVERAGE_RISKS] = {"risk_levels_of_catalog_controls",
			    "SELECT l.to_id, k.likelihood, k.consequence, k.inherent_level, "
			    "k.residual_likelihood, k.residual_consequence, k.residual_level FROM "
			    "record_links l CROSS JOIN record_links r CROSS JOIN risks k WHERE "
			    "l.from_type = 'control' AND l.field = 'catalog_controls' AND "
			    "l.to_type = 'catalog_control' AND r.to_type = 'control' AND "
			    "r.to_id = l.from_id AND r.from_type = 'risk' AND r.field = 'controls' "
			    "AND k.id = r.from_id AND k.inherent_level IS NOT NULL"},
	[COVERAGE_SQL_COUNT] = {0},
};

/* {"<catalog id>": {"score", "level"}} — the highest level among risks treated by an
   applied control that implements the catalog control: residual when assessed, else
   inherent, weighed by likelihood × consequence. */
static int control_risk_levels(struct ctx *c, json_t **out, struct err *e)
{
	struct store_rows *r;
	int rc;
	*out = NULL;
	if (store_query(c->store, coverage_sql[COVERAGE_RISKS].sql, NULL, 0, &r, e) < 0)
		return -1;
	json_t *best = json_object();
	while ((rc = store_next(r, e)) > 0) {
		char key[24];
		long long l = store_int(r, 4), s = store_int(r, 5);
		const char *level = store_text(r, 6);
		if (!l || !s || !level) {
			l = store_int(r, 1);
			s = store_int(r, 2);
			level = store_text(r, 3);
		}
		if (!level)
			continue;
		snprintf(key, sizeof key, "%lld", store_int(r, 0));
		json_t *have = json_object_get(best, key);
		if (!have || json_int(have, "score") < l * s)
			json_object_set_new(best, key, json_build("{s:I, s:s}", "score",
								  (json_int_t)(l * s), "level",
								  level));
	}
	store_rows_free(r);
	if (rc < 0) {
		json_decref(best);
		return -1;
	}
	*out = best;
	return 0;
}

/* The matrix of programme id into *out (caller owns). */
static int coverage_build(struct ctx *c, long long programme, json_t **out, struct err *e)
{
	json_t *prog = NULL, *audits = NULL, *controls = NULL, *findings = NULL, *kinds = NULL,
	       *levels = NULL, *rows = json_array(), *missing = json_array(), *cols = json_array();
	json_t *r, *v;
	size_t i, j;
	int rc = -1;
	*out = NULL;
	if (record_get_stored(c, &audit_programmes_type, programme, &prog, e) < 0)
		goto cleanup;
	struct query q_a = {.type = "audit", .where = {QEQ("programme", SVI(programme))},
			    .order = "planned_start"};
	struct query q_f = {.type = "audit_finding"};
	struct query q_k = {.type = "finding_kind"};
	if (query_records(c, &q_a, &audits, e) < 0 || audit_applicable_controls(c, &controls, e) < 0 ||
	    query_records(c, &q_f, &findings, e) < 0 || query_records(c, &q_k, &kinds, e) < 0 ||
	    control_risk_levels(c, &levels, e) < 0)
		goto cleanup;
	json_t *kind_names = json_object();
	json_array_foreach(kinds, i, r) {
		char key[24];
		snprintf(key, sizeof key, "%lld", json_int(r, "id"));
		json_object_set_new(kind_names, key, json_string(json_text(r, "name")));
	}
	/* findings per row key ("8.1" or "c<catalog id>") and kind */
	json_t *found = json_object();
	json_array_foreach(findings, i, r) {
		char key[32], kid[24];
		if (json_str(r, "clause"))
			snprintf(key, sizeof key, "%s", json_str(r, "clause"));
		else
			snprintf(key, sizeof key, "c%lld", json_int(r, "control"));
		snprintf(kid, sizeof kid, "%lld", json_int(r, "kind"));
		const char *kn = json_string_value(json_object_get(kind_names, kid));
		json_t *per = json_object_get(found, key);
		if (!per) {
			per = json_object();
			json_object_set_new(found, key, per);
		}
		json_object_set_new(per, kn ? kn : "?",
				    json_integer(json_int(per, kn ? kn : "?") + 1));
	}
	json_decref(kind_names);
	/* cells: row key → {audit id: covered|planned} */
	json_t *cells = json_object();
	json_array_foreach(audits, i, r) {
		char aid[24];
		const char *state = is_done(json_str(r, "status")) ? "covered" : "planned";
		snprintf(aid, sizeof aid, "%lld", json_int(r, "id"));
		json_array_append_new(cols, json_build("{s:I, s:s, s:s, s:s}", "id",
						       (json_int_t)json_int(r, "id"), "title",
						       json_text(r, "title"), "status",
						       json_text(r, "status"), "planned_start",
						       json_text(r, "planned_start")));
		for (int k = 0; k < 2; k++) {
			json_array_foreach(json_object_get(r, k ? "controls" : "clauses"), j, v) {
				char key[32];
				if (k)
					snprintf(key, sizeof key, "c%lld",
						 (long long)json_integer_value(v));
				else
					snprintf(key, sizeof key, "%s",
						 json_string_value(v) ? json_string_value(v) : "");
				json_t *row = json_object_get(cells, key);
				if (!row) {
					row = json_object();
					json_object_set_new(cells, key, row);
				}
				json_object_set_new(row, aid, json_string(state));
			}
		}
	}
	size_t n = c->reg->nclauses + json_array_size(controls);
	for (size_t x = 0; x < n; x++) {
		char key[32], label[40];
		const char *title, *kind;
		long long id = 0;
		const char *level = NULL;
		if (x < c->reg->nclauses) {
			if (!audit_clause_known(c->reg, c->reg->clauses[x].number))
				continue;
			snprintf(key, sizeof key, "%s", c->reg->clauses[x].number);
			snprintf(label, sizeof label, "%s", key);
			title = c->reg->clauses[x].title;
			kind = "clause";
		} else {
			r = json_array_get(controls, x - c->reg->nclauses);
			id = json_int(r, "id");
			snprintf(key, sizeof key, "c%lld", id);
			snprintf(label, sizeof label, "A.%.30s", json_text(r, "control_id"));
			title = json_text(r, "title");
			kind = "control";
			char lk[24];
			snprintf(lk, sizeof lk, "%lld", id);
			level = json_str(json_object_get(levels, lk), "level");
		}
		json_t *row_cells = json_object_get(cells, key);
		const char *status = "not_covered", *val;
		json_object_foreach(row_cells, val, v) {
			(void)val;
			if (str_eq(json_string_value(v), "covered"))
				status = "covered";
			else if (strcmp(status, "not_covered") == 0)
				status = "planned";
		}
		json_t *fk = json_object_get(found, key);
		json_t *row = json_build("{s:s, s:s, s:s, s:s, s:o, s:o}", "kind", kind, "key", label,
					 "title", title, "status", status, "cells",
					 row_cells ? json_incref(row_cells) : json_object(),
					 "findings", fk ? json_incref(fk) : json_object());
		if (id)
			json_object_set_new(row, "id", json_integer(id));
		json_object_set_new(row, "risk_level", level ? json_string(level) : json_null());
		if (strcmp(status, "not_covered") == 0)
			json_array_append_new(missing, json_string(label));
		json_array_append_new(rows, row);
	}
	json_decref(cells);
	json_decref(found);
	*out = json_build("{s:{s:I, s:s, s:s, s:s}, s:O, s:O, s:O}", "programme", "id",
			  (json_int_t)programme, "title", json_text(prog, "title"), "period_start",
			  json_text(prog, "period_start"), "period_end",
			  json_text(prog, "period_end"), "audits", cols, "rows", rows,
			  "not_covered", missing);
	rc = 0;
cleanup:
	json_decref(prog);
	json_decref(audits);
	json_decref(controls);
	json_decref(findings);
	json_decref(kinds);
	json_decref(levels);
	json_decref(rows);
	json_decref(missing);
	json_decref(cols);
	return rc;
}

static const struct view_param programme_params[] = {
	{.name = "programme", .type = VP_ID, .required = true, .position = 1,
	 .help = "The id of the audit programme"},
};

static int coverage_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return coverage_build(c, view_arg_int(a, "programme"), out, e);
}

static const char *status_words(const char *s)
{
	if (strcmp(s, "covered") == 0)
		return "covered";
	if (strcmp(s, "planned") == 0)
		return "planned";
	return "NOT COVERED";
}

static void coverage_print(const json_t *out, FILE *f)
{
	size_t i;
	json_t *r;
	fprintf(f, "%s (%s to %s)\n", json_text(json_object_get(out, "programme"), "title"),
		json_text(json_object_get(out, "programme"), "period_start"),
		json_text(json_object_get(out, "programme"), "period_end"));
	json_array_foreach(json_object_get(out, "rows"), i, r)
		fprintf(f, "%-10s %-12s %s\n", json_text(r, "key"),
			status_words(json_text(r, "status")), json_text(r, "title"));
	fprintf(f, "%zu not yet covered\n", json_array_size(json_object_get(out, "not_covered")));
}

static void findings_text(const json_t *per, struct buf *b)
{
	const char *k;
	json_t *v;
	int n = 0;
	json_object_foreach((json_t *)per, k, v)
		buf_printf(b, "%s%s %lld", n++ ? ", " : "", k, (long long)json_integer_value(v));
}

static int coverage_table(struct ctx *c, const struct view_args *a, struct export_table *t,
			  struct err *e)
{
	json_t *m = NULL, *r, *au;
	size_t i, j;
	if (coverage_build(c, view_arg_int(a, "programme"), &m, e) < 0)
		return -1;
	export_table_init(t, "Audit coverage matrix", "Coverage");
	export_table_live(t, c, "audit-coverage");
	export_table_about(t, "Programme", json_text(json_object_get(m, "programme"), "title"));
	export_table_column(t, "Requirement", 12);
	export_table_column(t, "Title", 40);
	json_array_foreach(json_object_get(m, "audits"), j, au)
		export_table_column(t, json_text(au, "title"), 16);
	export_table_column(t, "Status", 14);
	export_table_column(t, "Earlier findings", 24);
	export_table_column(t, "Highest risk", 14);
	t->rows = json_array();
	json_array_foreach(json_object_get(m, "rows"), i, r) {
		json_t *row = json_array();
		json_array_append_new(row, json_string(json_text(r, "key")));
		json_array_append_new(row, json_string(json_text(r, "title")));
		json_array_foreach(json_object_get(m, "audits"), j, au) {
			char aid[24];
			snprintf(aid, sizeof aid, "%lld", json_int(au, "id"));
			const char *cell = json_str(json_object_get(r, "cells"), aid);
			json_array_append_new(row, json_string(cell ? cell : ""));
		}
		json_array_append_new(row, json_string(status_words(json_text(r, "status"))));
		struct buf b = BUF_INIT;
		findings_text(json_object_get(r, "findings"), &b);
		json_array_append_new(row, json_string(buf_str(&b)));
		buf_release(&b);
		json_array_append_new(row, json_is_string(json_object_get(r, "risk_level"))
						   ? json_string(json_str(r, "risk_level"))
						   : json_null());
		json_array_append_new(t->rows, row);
	}
	json_decref(m);
	return 0;
}

const struct view audit_coverage_view = {
	.name = "audit-coverage",
	.clause = "9.2",
	.title = "Audit coverage matrix",
	.summary = "Which audit of a programme covers each clause and applicable control",
	.help = "Every clause from 4 to 10 and every applicable Annex A control against the "
		"audits of one programme: covered (reported), planned, or not yet covered; beside "
		"each, the findings earlier audits made and, for controls, the highest level of "
		"the risks they treat.",
	.params = programme_params,
	.nparams = COUNT_OF(programme_params),
	.reads = (const char *const[]){"audits", "audit-findings", "risks", NULL},
	.run = coverage_run,
	.schema = "{'type':'object','required':['programme','audits','rows','not_covered'],"
		  "'properties':{'programme':{'type':'object','properties':{'id':{'type':'integer'},"
		  "'title':{'type':'string'},'period_start':{'type':'string'},"
		  "'period_end':{'type':'string'}}},"
		  "'audits':{'type':'array','items':{'type':'object','properties':{"
		  "'id':{'type':'integer'},'title':{'type':'string'},'status':{'type':'string'},"
		  "'planned_start':{'type':'string'}}}},"
		  "'rows':{'type':'array','items':{'type':'object',"
		  "'required':['kind','key','title','status','cells','findings','risk_level'],"
		  "'properties':{'kind':{'type':'string','enum':['clause','control']},"
		  "'key':{'type':'string'},'title':{'type':'string'},'id':{'type':'integer'},"
		  "'status':{'type':'string','enum':['covered','planned','not_covered']},"
		  "'cells':{'type':'object','additionalProperties':{'type':'string',"
		  "'enum':['covered','planned']}},"
		  "'findings':{'type':'object','additionalProperties':{'type':'integer'}},"
		  "'risk_level':{'type':'string','nullable':true}}}},"
		  "'not_covered':{'type':'array','items':{'type':'string'}}}}",
	.table = coverage_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.print = coverage_print,
	.web = "#/audit-coverage",
};

/* --- the checklist ------------------------------------------------------------------ */

static const struct view_param audit_params[] = {
	{.name = "audit", .type = VP_ID, .required = true, .position = 1,
	 .help = "The id of the audit"},
};

static const char *clause_title(const struct registry *reg, const char *number)
{
	for (size_t i = 0; i < reg->nclauses; i++)
		if (strcmp(reg->clauses[i].number, number) == 0)
			return reg->clauses[i].title;
	return "";
}

static int audit_checklist(struct ctx *c, long long audit_id, json_t **out, struct err *e)
{
	json_t *audit = NULL, *findings = NULL, *kinds = NULL, *ctrls = NULL, *rows = json_array();
	json_t *v, *f;
	size_t i, j;
	int rc = -1;
	*out = NULL;
	if (record_get_stored(c, &audits_type, audit_id, &audit, e) < 0)
		goto cleanup;
	struct query q_f = {.type = "audit_finding", .where = {QEQ("audit", SVI(audit_id))}};
	struct query q_k = {.type = "finding_kind"};
	if (query_records(c, &q_f, &findings, e) < 0 || query_records(c, &q_k, &kinds, e) < 0)
		goto cleanup;
	if (audit_catalog_controls(c, json_object_get(audit, "controls"), &ctrls, e) < 0)
		goto cleanup;
	json_array_foreach(json_object_get(audit, "clauses"), i, v) {
		const char *num = json_string_value(v);
		char q[400];
		snprintf(q, sizeof q,
			 "Is there evidence that the organization does what clause %s (%s) asks, "
			 "and that it works as intended?",
			 num, clause_title(c->reg, num));
		json_t *fs = json_array();
		json_array_foreach(findings, j, f)
			if (str_eq(json_str(f, "clause"), num))
				json_array_append(fs, f);
		json_array_append_new(rows, json_build("{s:s, s:s, s:s, s:s, s:o}", "kind", "clause",
						       "key", num, "title",
						       clause_title(c->reg, num), "question", q,
						       "findings", fs));
	}
	json_array_foreach(ctrls, i, v) {
		char q[600], key[40];
		snprintf(key, sizeof key, "A.%.30s", json_text(v, "control_id"));
		snprintf(q, sizeof q,
			 "Is control %s (%s) in place as the SoA says, with dated evidence that it "
			 "operates?",
			 key, json_text(v, "title"));
		json_t *fs = json_array();
		json_array_foreach(findings, j, f)
			if (json_int(f, "control") == json_int(v, "id"))
				json_array_append(fs, f);
		json_array_append_new(rows, json_build("{s:s, s:s, s:I, s:s, s:s, s:o}", "kind",
						       "control", "key", key, "id",
						       (json_int_t)json_int(v, "id"), "title",
						       json_text(v, "title"), "question", q,
						       "findings", fs));
	}
	*out = json_build("{s:I, s:s, s:s, s:O}", "audit", (json_int_t)audit_id, "title",
			  json_text(audit, "title"), "status", json_text(audit, "status"), "rows",
			  rows);
	rc = 0;
cleanup:
	json_decref(audit);
	json_decref(findings);
	json_decref(kinds);
	json_decref(ctrls);
	json_decref(rows);
	return rc;
}

static int checklist_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return audit_checklist(c, view_arg_int(a, "audit"), out, e);
}

static void checklist_print(const json_t *out, FILE *f)
{
	size_t i;
	json_t *r;
	fprintf(f, "%s (%s)\n", json_text(out, "title"), json_text(out, "status"));
	json_array_foreach(json_object_get(out, "rows"), i, r)
		fprintf(f, "[%zu finding%s] %s %s\n    %s\n",
			json_array_size(json_object_get(r, "findings")),
			json_array_size(json_object_get(r, "findings")) == 1 ? "" : "s",
			json_text(r, "key"), json_text(r, "title"), json_text(r, "question"));
}

const struct view audit_checklist_view = {
	.name = "audit-checklist",
	.clause = "9.2",
	.title = "Audit checklist",
	.summary = "A question per clause and control in an audit's scope, with its findings",
	.help = "One row for every clause and Annex A control the audit covers, with a question "
		"to ask and the findings recorded against it.",
	.params = audit_params,
	.nparams = COUNT_OF(audit_params),
	.reads = (const char *const[]){"audits", "audit-findings", NULL},
	.run = checklist_run,
	.schema = "{'type':'object','required':['audit','title','status','rows'],'properties':{"
		  "'audit':{'type':'integer'},'title':{'type':'string'},'status':{'type':'string'},"
		  "'rows':{'type':'array','items':{'type':'object',"
		  "'required':['kind','key','title','question','findings'],'properties':{"
		  "'kind':{'type':'string','enum':['clause','control']},'key':{'type':'string'},"
		  "'id':{'type':'integer'},'title':{'type':'string'},'question':{'type':'string'},"
		  "'findings':{'type':'array','items':{'type':'object'}}}}}}}",
	.print = checklist_print,
	.web = "#/audit-workspace",
};
