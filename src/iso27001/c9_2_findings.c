/* c9_2_findings.c — 9.2.2: audit findings. Each is tied to the audit, to one clause or one
   Annex A control in its scope, graded on the finding scale and backed by evidence; a
   finding of a nonconformity kind opens a 10.2 nonconformity by itself and keeps its id. */
#include "c9_2_audit.h"
#include "c10_2_nonconformity.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static const struct field finding_fields[] = {
	{.name = "audit", .label = "Audit", .type = FT_REF, .ref = "audit",
	 .flags = F_REQUIRED | F_INDEX, .help = "The audit that found it."},
	{.name = "clause", .label = "Clause", .type = FT_TEXT, .flags = F_INDEX, .max_len = 10,
	 .help = "The clause it concerns, e.g. \"8.1\" (one of the audit's clauses); or give "
		 "a control instead."},
	{.name = "control", .label = "Annex A control", .type = FT_REF, .ref = "catalog_control",
	 .flags = F_INDEX, .help = "The Annex A control it concerns (one of the audit's)."},
	{.name = "kind", .label = "Kind", .type = FT_REF, .ref = "finding_kind",
	 .flags = F_REQUIRED | F_INDEX,
	 .help = "Where it stands on the finding scale: major or minor nonconformity, "
		 "observation, opportunity for improvement, conformity."},
	{.name = "statement", .label = "Finding", .type = FT_MARKDOWN,
	 .flags = F_REQUIRED | F_SEARCH,
	 .help = "What was found, against which requirement, in plain words."},
	{.name = "evidence", .label = "Evidence", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the finding rests on: records seen, people interviewed, samples (files "
		 "may be attached)."},
	{.name = "nonconformity", .label = "Nonconformity", .type = FT_REF,
	 .ref = "nonconformity", .flags = F_SET_NULL,
	 .help = "The 10.2 record of a nonconformity finding: opened by isms when the finding is "
		 "saved, or named here when it was recorded already (before isms, or from "
		 "another source)."},
};

static int finding_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			    const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	json_t *audit = NULL;
	const char *clause = json_str(rec, "clause");
	long long control = json_int(rec, "control");
	int rc = -1;
	if (clause && !*clause)
		clause = NULL;
	if (!clause && !control)
		return err_set(e, ERR_INVALID, "clause",
			       "clause: a finding concerns a clause or an Annex A control; give one");
	if (clause && control)
		return err_set(e, ERR_INVALID, "control",
			       "control: give either a clause or a control, not both");
	if (clause && !audit_clause_known(c->reg, clause))
		return err_set(e, ERR_INVALID, "clause", "clause: %s is not a clause from 4.1 to 10.2",
			       clause);
	if (record_get_stored(c, &audits_type, json_int(rec, "audit"), &audit, e) < 0)
		return -1;
	const char *status = json_str(audit, "status");
	if (!old && status && strcmp(status, "fieldwork") != 0 && strcmp(status, "reported") != 0) {
		err_set(e, ERR_CONFLICT, "audit",
			"findings are recorded during fieldwork: the audit \"%s\" is %s",
			json_text(audit, "title"), status);
		goto cleanup;
	}
	bool in_scope = false;
	size_t i;
	json_t *v;
	if (clause) {
		json_array_foreach(json_object_get(audit, "clauses"), i, v)
			in_scope = in_scope || str_eq(json_string_value(v), clause);
	} else {
		json_array_foreach(json_object_get(audit, "controls"), i, v)
			in_scope = in_scope || json_integer_value(v) == control;
	}
	if (!in_scope) {
		err_set(e, ERR_INVALID, clause ? "clause" : "control",
			"%s: not in the scope of the audit \"%s\"", clause ? "clause" : "control",
			json_text(audit, "title"));
		goto cleanup;
	}
	rc = 0;
cleanup:
	json_decref(audit);
	return rc;
}

/* A finding of a nonconformity kind opens its 10.2 record once. */
static int finding_after_write(struct ctx *c, const struct record_type *rt, const json_t *rec,
			       const json_t *input, struct err *e)
{
	(void)input;
	json_t *kind = NULL, *audit = NULL, *fields = NULL, *stored = NULL;
	int rc = -1;
	if (json_int(rec, "nonconformity"))
		return 0;
	if (record_get_stored(c, &finding_kinds_type, json_int(rec, "kind"), &kind, e) < 0)
		goto cleanup;
	if (!json_is_true(json_object_get(kind, "is_nonconformity"))) {
		rc = 0;
		goto cleanup;
	}
	if (record_get_stored(c, &audits_type, json_int(rec, "audit"), &audit, e) < 0)
		goto cleanup;
	char where[220] = "", detail[500], title[200], req[12000];
	if (json_str(rec, "clause")) {
		snprintf(where, sizeof where, "%s", json_str(rec, "clause"));
	} else if (record_title_of(c, registry_find(c->reg, "catalog_control"),
				   json_int(rec, "control"), where, sizeof where, e) < 0) {
		goto cleanup;
	}
	snprintf(detail, sizeof detail, "Internal audit \"%s\" (#%lld), finding #%lld",
		 json_text(audit, "title"), json_int(audit, "id"), json_int(rec, "id"));
	snprintf(title, sizeof title, "%s: %s", json_text(kind, "label"),
		 json_text(audit, "title"));
	snprintf(req, sizeof req, "%s — %s", where, json_text(rec, "statement"));
	char clause[21] = "";
	if (json_str(rec, "clause"))
		snprintf(clause, sizeof clause, "%s", json_str(rec, "clause"));
	else
		snprintf(clause, sizeof clause, "A.%.18s", where);
	char *sp = strchr(clause, ' ');
	if (sp)
		*sp = 0;
	fields = json_build("{s:s, s:s, s:s, s:s, s:s}", "title", title, "source", "audit_finding",
			    "source_detail", detail, "requirement", req, "severity",
			    json_text(kind, "severity"));
	json_set_str(fields, "clause", clause);
	long long nc;
	if (nonconformity_open(c, fields, &nc, e) < 0)
		goto cleanup;
	if (record_get_stored(c, rt, json_int(rec, "id"), &stored, e) < 0)
		goto cleanup;
	json_object_set_new(stored, "nonconformity", json_integer(nc));
	if (record_save(c, rt, stored, json_int(stored, "version"), "open_nonconformity", NULL,
			e) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	json_decref(kind);
	json_decref(audit);
	json_decref(fields);
	json_decref(stored);
	return rc;
}

const struct record_type audit_findings_type = {
	.name = "audit_finding",
	.plural = "audit-findings",
	.table = "audit_findings",
	.label = "audit finding",
	.label_plural = "audit findings",
	.clause = "9.2",
	.help = "What internal audits found, graded on the finding scale, with evidence; "
		"nonconformities open a 10.2 record.",
	.section = "9",
	.title_field = "statement",
	.default_sort = "-id",
	.fields = finding_fields,
	.nfields = COUNT_OF(finding_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_AUDITOR),
	.since = 4,
	.validate = finding_validate,
	.after_write = finding_after_write,
};
