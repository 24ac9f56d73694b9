/* c9_2_audit_report.c — 9.2.2: an audit's report as printable HTML and XLSX (and CSV): what
   was audited, by whom, when and against what, any impartiality override, to whom the
   results were reported, then every finding with its clause or control and evidence. */
#include "c9_2_audit.h"
#include "../report/export.h"
#include "../report/export_table.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static void about_field(struct ctx *c, struct export_table *t, struct export_titles *titles,
			const json_t *audit, const char *name, struct err *e)
{
	const struct field *f = record_field(&audits_type, name);
	json_t *cell = NULL;
	if (export_field_cell(titles, f, audit, &cell, e) < 0) {
		err_clear(e);
		return;
	}
	char tmp[32];
	bool number;
	const char *text = export_cell_text(cell, tmp, &number);
	export_table_about(t, f->label, text && *text ? text : "—");
	json_decref(cell);
	(void)c;
}

static int report_table(struct ctx *c, const struct view_args *a, struct export_table *t,
			struct err *e)
{
	long long id = view_arg_int(a, "audit");
	json_t *audit = NULL, *findings = NULL, *r;
	struct export_titles titles;
	size_t i;
	int rc = -1;
	export_titles_init(&titles, c);
	if (record_get_stored(c, &audits_type, id, &audit, e) < 0)
		goto cleanup;
	struct query q = {.type = "audit_finding", .where = {QEQ("audit", SVI(id))}};
	if (query_records(c, &q, &findings, e) < 0)
		goto cleanup;
	export_table_init(t, "Internal audit report", "Findings");
	export_table_live(t, c, "audit-report");
	static const char *const about[] = {
		"title",       "programme",     "status",       "clauses",        "controls",
		"applied_controls", "processes", "sites",       "criteria",       "lead_auditor",
		"team",        "planned_start", "planned_end",  "actual_start",   "report_date",
		"reported_by", "report_summary", "reported_to", "reported_to_on", "closed_on",
		NULL};
	for (int k = 0; about[k]; k++)
		about_field(c, t, &titles, audit, about[k], e);
	const char *override = json_str(audit, "impartiality_override");
	if (override && *override) {
		about_field(c, t, &titles, audit, "impartiality_override", e);
		about_field(c, t, &titles, audit, "override_by", e);
		about_field(c, t, &titles, audit, "override_on", e);
		struct buf b = BUF_INIT;
		json_t *v;
		json_array_foreach(json_object_get(audit, "conflicts"), i, v)
			buf_printf(&b, "%s%s", i ? "; " : "", json_string_value(v));
		export_table_about(t, "Conflicts overridden", b.len ? buf_str(&b) : "—");
		buf_release(&b);
	}
	static const char *const cols[] = {"clause", "control", "kind", "statement", "evidence",
					   "nonconformity", NULL};
	for (int k = 0; cols[k]; k++) {
		const struct field *f = record_field(&audit_findings_type, cols[k]);
		export_table_column(t, f->label, export_field_width(f));
	}
	t->rows = json_array();
	json_array_foreach(findings, i, r) {
		json_t *row = json_array();
		for (int k = 0; cols[k]; k++) {
			json_t *cell = NULL;
			if (export_field_cell(&titles, record_field(&audit_findings_type, cols[k]), r,
					      &cell, e) < 0) {
				json_decref(row);
				goto cleanup;
			}
			json_array_append_new(row, cell);
		}
		json_array_append_new(t->rows, row);
	}
	char name[96];
	snprintf(name, sizeof name, "audit-report-%lld", id);
	snprintf(t->filename, sizeof t->filename, "%s", name);
	rc = 0;
cleanup:
	export_titles_release(&titles);
	json_decref(audit);
	json_decref(findings);
	return rc;
}

static const struct view_param report_params[] = {
	{.name = "audit", .type = VP_ID, .required = true, .position = 1,
	 .help = "The id of the audit"},
};

const struct view audit_report_view = {
	.name = "audit-report",
	.clause = "9.2",
	.title = "Internal audit report",
	.summary = "An audit's report: scope, team, dates, override, to whom it was reported, "
		   "findings",
	.help = "The report of one internal audit as a printable page or a spreadsheet: what "
		"was audited, by whom, when and against what; any impartiality override top "
		"management allowed; to whom the results were reported and when; every finding.",
	.params = report_params,
	.nparams = COUNT_OF(report_params),
	.reads = (const char *const[]){"audits", "audit-findings", NULL},
	.table = report_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
};
