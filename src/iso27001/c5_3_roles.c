/* c5_3_roles.c — 5.3: the organization's ISMS roles with their responsibilities and
   authorities, who holds them over time, and the RACI of processes and applied controls. */
#include "c5_leadership.h"
#include "c6_1_2_risks.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* ---- Roles ------------------------------------------------------------------------- */

static const struct field role_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 120,
	 .help = "The role as people know it, e.g. \"ISMS manager\" or \"Risk owner, "
		 "payments\"."},
	{.name = "responsibilities", .label = "Responsibilities", .type = FT_MARKDOWN,
	 .flags = F_REQUIRED | F_SEARCH,
	 .help = "What the holder must see to, in a few plain sentences or a list."},
	{.name = "authorities", .label = "Authorities", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the holder may decide or approve without asking, e.g. accept risks up "
		 "to a level, approve access, stop a release."},
	{.name = "reports_to", .label = "Reports to", .type = FT_REF, .ref = "role",
	 .flags = F_SET_NULL, .help = "The role this one answers to."},
	{.name = "competences", .label = "Required competences", .type = FT_MARKDOWN,
	 .help = "The knowledge, skills and experience a holder needs: education, training, "
		 "certifications, years in a similar job."},
	{.name = "top_management", .label = "Top management", .type = FT_BOOL, .def = "false",
	 .help = "The role is part of top management: its holders direct the organization and "
		 "their commitment is what leadership evidence shows."},
	{.name = "approves_documents", .label = "Approves documents", .type = FT_BOOL,
	 .def = "false", .since = 3,
	 .help = "Holders approve versions of topic-specific policies, procedures and other "
		 "documents that name no approving role of their own. Top management always may."},
	{.name = "approves_scope_soa", .label = "Approves scope and SoA", .type = FT_BOOL,
	 .def = "false", .since = 3,
	 .help = "Holders approve the ISMS scope and versions of the Statement of "
		 "Applicability, besides top management."},
	{.name = "accepts_up_to", .label = "Accepts risks up to", .type = FT_TEXT, .max_len = 40,
	 .since = 3,
	 .help = "The highest risk level (of the approved risk method) a holder may accept, even "
		 "above the method's acceptance threshold. Empty: no such authority."},
	{.name = "ensures_conformity", .label = "Ensures the ISMS conforms", .type = FT_BOOL,
	 .def = "false",
	 .help = "Holders see to it that the ISMS meets the requirements of the standard (one "
		 "of the two duties top management must assign)."},
	{.name = "reports_performance", .label = "Reports ISMS performance", .type = FT_BOOL,
	 .def = "false",
	 .help = "Holders report on how the ISMS performs to top management (the other duty "
		 "that must be assigned)."},
	{.name = "holders", .label = "Held by", .type = FT_REFS, .ref = "person",
	 .flags = F_DERIVED, .help = "The people assigned the role today."},
};

static int role_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			 const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	long long id = json_int(rec, "id");
	const char *up_to = json_str(rec, "accepts_up_to");
	if (up_to && *up_to) {
		json_t *m;
		if (risk_method_current(c, &m, e) < 0)
			return -1;
		int known = !m || risk_level_index(m, up_to) >= 0;
		json_decref(m);
		if (!known)
			return err_set(e, ERR_INVALID, "accepts_up_to",
				       "Accepts risks up to: \"%s\" is not a level of the approved risk "
				       "method",
				       up_to);
	}
	/* Reporting lines end at the top: a role may not end up reporting to itself. */
	for (long long at = json_int(rec, "reports_to"), depth = 0; at && depth < 64; depth++) {
		if (id && at == id)
			return err_set(e, ERR_INVALID, "reports_to",
				       "Reports to: a role cannot report to itself, directly or "
				       "through others");
		struct query up = {.type = "role", .where = {QEQ("id", SVI(at))}};
		json_t *role;
		if (query_first(c, &up, &role, e) < 0)
			return -1;
		at = role ? json_int(role, "reports_to") : 0;
		json_decref(role);
	}
	return 0;
}

/* The people holding a role on a day, as a new array of ids. */
static int holders(struct ctx *c, long long role, const char *day, json_t **out, struct err *e)
{
	struct query q = {.type = "role_assignment",
			  .where = {QEQ("role", SVI(role)), QLE("starts_on", SVS(day)),
				    QGE_OR_NULL("ends_on", SVS(day))}};
	return query_values(c, &q, "person", out, e);
}

static int role_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	(void)rt;
	char today[11];
	json_t *ids;
	ctx_today(c, today);
	if (holders(c, json_int(rec, "id"), today, &ids, e) < 0)
		return -1;
	json_object_set_new(rec, "holders", ids);
	return 0;
}

const struct record_type roles_type = {
	.name = "role",
	.plural = "roles",
	.table = "roles",
	.label = "role",
	.label_plural = "roles",
	.clause = "5.3",
	.help = "The roles that matter to information security, each with responsibilities, "
		"authorities and the competence it needs, and the two duties of 5.3 assigned.",
	.section = "5",
	.title_field = "name",
	.default_sort = "name",
	.fields = role_fields,
	.nfields = sizeof role_fields / sizeof role_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
	.validate = role_validate,
	.decorate = role_decorate,
};

/* ---- Role assignments --------------------------------------------------------------- */

static const struct field assignment_fields[] = {
	{.name = "person", .label = "Person", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX, .help = "Who holds the role."},
	{.name = "role", .label = "Role", .type = FT_REF, .ref = "role",
	 .flags = F_REQUIRED | F_INDEX, .help = "The role they hold."},
	{.name = "starts_on", .label = "From", .type = FT_DATE, .flags = F_REQUIRED,
	 .help = "The first day they hold it."},
	{.name = "ends_on", .label = "Until", .type = FT_DATE,
	 .help = "The last day they hold it; empty while it lasts."},
	{.name = "notes", .label = "Notes", .type = FT_TEXT, .max_len = 1000,
	 .help = "E.g. the decision or letter that appointed them, or a deputy arrangement."},
	{.name = "title", .label = "Assignment", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 600, .help = "The person and the role; set by isms."},
	{.name = "current", .label = "Current", .type = FT_BOOL, .flags = F_DERIVED,
	 .help = "Whether the assignment holds today."},
};

static const char *const assignment_title[] = {"person", "role", NULL};

static int assignment_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			       const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	const char *from = json_str(rec, "starts_on"), *until = json_str(rec, "ends_on");
	if (from && until && strcmp(until, from) < 0)
		return err_set(e, ERR_INVALID, "ends_on", "Until must not be before From");
	struct query q = {.type = "role_assignment",
			  .where = {QEQ("person", SVI(json_int(rec, "person"))),
				    QEQ("role", SVI(json_int(rec, "role"))),
				    QNE("id", SVI(json_int(rec, "id"))),
				    QLE("starts_on", SVS(until ? until : "9999-12-31")),
				    QGE_OR_NULL("ends_on", SVS(from))}};
	long long overlaps;
	if (query_count(c, &q, &overlaps, e) < 0)
		return -1;
	if (overlaps)
		return err_set(e, ERR_CONFLICT, "starts_on",
			       "this person already holds this role during part of that period; "
			       "change that assignment instead");
	return 0;
}

static int assignment_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			       struct err *e)
{
	(void)rt;
	(void)e;
	char today[11];
	ctx_today(c, today);
	const char *from = json_str(rec, "starts_on"), *until = json_str(rec, "ends_on");
	bool current = from && strcmp(from, today) <= 0 && (!until || strcmp(until, today) >= 0);
	json_object_set_new(rec, "current", json_boolean(current));
	return 0;
}

const struct record_type role_assignments_type = {
	.name = "role_assignment",
	.plural = "role-assignments",
	.table = "role_assignments",
	.label = "role assignment",
	.label_plural = "role assignments",
	.clause = "5.3",
	.help = "Who holds which role, from when and until when: the record of who was "
		"responsible at any time.",
	.section = "5",
	.title_field = "title",
	.title_from = assignment_title,
	.default_sort = "-starts_on",
	.fields = assignment_fields,
	.nfields = sizeof assignment_fields / sizeof assignment_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
	.validate = assignment_validate,
	.decorate = assignment_decorate,
};

/* ---- RACI --------------------------------------------------------------------------- */

static const char *const raci_values[] = {"responsible", "accountable", "consulted",
					  "informed", NULL};

static const struct field raci_fields[] = {
	{.name = "process", .label = "Process", .type = FT_REF, .ref = "process",
	 .flags = F_INDEX, .help = "The ISMS process of the row (or give a control)."},
	{.name = "control", .label = "Applied control", .type = FT_REF, .ref = "control",
	 .flags = F_INDEX, .help = "The applied control of the row (or give a process)."},
	{.name = "role", .label = "Role", .type = FT_REF, .ref = "role", .flags = F_REQUIRED,
	 .help = "The role of the column."},
	{.name = "assignment", .label = "RACI", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = raci_values,
	 .help = "Responsible does the work; accountable answers for it and signs it off "
		 "(exactly one role a row); consulted is asked before; informed is told after."},
	{.name = "title", .label = "Entry", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 600, .help = "The row, the role and the letter; set by isms."},
};

/* "Risk assessment — ISMS manager — accountable" */
static const char *const raci_title[] = {"process", "control", "role", "assignment", NULL};

static int raci_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			 const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	long long process = json_int(rec, "process"), control = json_int(rec, "control");
	if (!process == !control)
		return err_set(e, ERR_INVALID, process ? "control" : "process",
			       "a RACI entry belongs to one row: give either a process or an "
			       "applied control, not %s",
			       process ? "both" : "neither");
	const char *column = process ? "process" : "control";
	long long subject = process ? process : control, n;
	struct store_val role = SVI(json_int(rec, "role")), id = SVI(json_int(rec, "id"));
	struct query same_role = {.type = "raci_entry",
				  .where = {QEQ(column, SVI(subject)), QEQ("role", role),
					    QNE("id", id)}};
	if (query_count(c, &same_role, &n, e) < 0)
		return -1;
	if (n)
		return err_set(e, ERR_CONFLICT, "role",
			       "this %s already has a RACI entry for that role; change that entry "
			       "instead",
			       column);
	if (str_eq(json_str(rec, "assignment"), "accountable")) {
		struct query other = {.type = "raci_entry",
				      .where = {QEQ(column, SVI(subject)),
						QEQ("assignment", SVS("accountable")), QNE("id", id),
						QNE("role", role)}};
		if (query_count(c, &other, &n, e) < 0)
			return -1;
		if (n)
			return err_set(e, ERR_CONFLICT, "assignment",
				       "this %s already has an accountable role; a row has exactly "
				       "one, so make the other one responsible first",
				       column);
	}
	return 0;
}

const struct record_type raci_type = {
	.name = "raci_entry",
	.plural = "raci",
	.table = "raci",
	.label = "RACI entry",
	.label_plural = "RACI entries",
	.clause = "5.3",
	.help = "Who is responsible, accountable, consulted and informed for each ISMS process "
		"and applied control, by role; each row has exactly one accountable role.",
	.section = "5",
	.title_field = "title",
	.title_from = raci_title,
	.default_sort = "title",
	.fields = raci_fields,
	.nfields = sizeof raci_fields / sizeof raci_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
	.validate = raci_validate,
};

/* Appends a row per record q finds (id, name), kind "process" or "control". */
static int raci_rows(struct ctx *c, const struct query *q, const char *kind, json_t *rows,
		     json_t *index, struct err *e)
{
	json_t *records, *rec;
	size_t i;
	if (query_records(c, q, &records, e) < 0)
		return -1;
	json_array_foreach(records, i, rec) {
		char key[40];
		long long id = json_int(rec, "id");
		json_t *row = json_build("{s:s, s:I, s:s, s:{}, s:i}", "kind", kind, "id",
					(json_int_t)id, "title",
					json_str(rec, "name") ? json_str(rec, "name") : "", "cells",
					"accountable", 0);
		snprintf(key, sizeof key, "%s:%lld", kind, id);
		json_object_set(index, key, row);
		json_array_append_new(rows, row);
	}
	json_decref(records);
	return 0;
}

int leadership_raci(struct ctx *c, json_t **out, struct err *e)
{
	json_t *roles = json_array(), *rows = json_array(), *index = json_object();
	json_t *records = NULL, *rec;
	struct query role_q = {.type = "role", .order = "name"};
	struct query process_q = {.type = "process", .order = "name"};
	struct query control_q = {.type = "control",
				  .where = {QNE("status", SVS("not_implemented"))},
				  .order = "name"};
	struct query entry_q = {.type = "raci_entry"};
	size_t i;
	int ret = -1;
	*out = NULL;
	if (!record_can_read(c, &raci_type)) {
		err_set(e, ERR_FORBIDDEN, NULL, "your role may not read the RACI");
		goto out;
	}
	if (query_records(c, &role_q, &records, e) < 0)
		goto out;
	json_array_foreach(records, i, rec) {
		json_array_append_new(roles, json_build("{s:I, s:s}", "id",
						       (json_int_t)json_int(rec, "id"), "name",
						       json_str(rec, "name")));
	}
	json_decref(records);
	records = NULL;
	if (raci_rows(c, &process_q, "process", rows, index, e) < 0 ||
	    raci_rows(c, &control_q, "control", rows, index, e) < 0 ||
	    query_records(c, &entry_q, &records, e) < 0)
		goto out;
	json_array_foreach(records, i, rec) {
		char key[40], role[24];
		bool is_process = json_int(rec, "process") != 0;
		snprintf(key, sizeof key, "%s:%lld", is_process ? "process" : "control",
			 json_int(rec, is_process ? "process" : "control"));
		json_t *row = json_object_get(index, key);
		if (!row) /* a control no longer applied */
			continue;
		snprintf(role, sizeof role, "%lld", json_int(rec, "role"));
		const char *value = json_str(rec, "assignment");
		json_object_set_new(json_object_get(row, "cells"), role,
				    json_build("{s:I, s:s}", "entry", (json_int_t)json_int(rec, "id"),
					      "value", value));
		if (str_eq(value, "accountable"))
			json_object_set_new(row, "accountable",
					    json_integer(json_int(row, "accountable") + 1));
	}
	size_t missing = 0;
	json_t *row;
	json_array_foreach(rows, i, row) {
		missing += json_int(row, "accountable") != 1;
	}
	*out = json_build("{s:O, s:O, s:I}", "roles", roles, "rows", rows, "without_accountable",
			 (json_int_t)missing);
	ret = 0;
out:
	json_decref(records);
	json_decref(roles);
	json_decref(rows);
	json_decref(index);
	return ret;
}

static int raci_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	(void)a;
	return leadership_raci(c, out, e);
}

/* One line per row: its entries as "Role=A", and a marker without one accountable. */
static void raci_print(const json_t *out, FILE *f)
{
	size_t i, k;
	json_t *row, *role, *roles = json_object_get(out, "roles");
	json_array_foreach(json_object_get(out, "rows"), i, row) {
		fprintf(f, "%-8s %-40.40s %s", json_text(row, "kind"), json_text(row, "title"),
			json_int(row, "accountable") == 1 ? "" : "[no single accountable] ");
		json_array_foreach(roles, k, role) {
			char key[24];
			snprintf(key, sizeof key, "%lld", json_int(role, "id"));
			json_t *cell = json_object_get(json_object_get(row, "cells"), key);
			if (cell)
				fprintf(f, " %s=%c", json_text(role, "name"),
					(char)(json_text(cell, "value")[0] - 'a' + 'A'));
		}
		fputc('\n', f);
	}
	fprintf(f, "(%lld rows without exactly one accountable role)\n",
		json_int(out, "without_accountable"));
}

const struct view raci_view = {
	.name = "raci",
	.clause = "5.3",
	.title = "RACI matrix",
	.summary = "The RACI matrix: processes and applied controls by role",
	.help = "Every ISMS process and applied control with its RACI entries by role, marking "
		"rows without exactly one accountable role.",
	.reads = (const char *const[]){"raci", NULL},
	.run = raci_run,
	.schema = "{'type': 'object', 'required': ['roles', 'rows', 'without_accountable'],"
		  " 'properties': {"
		  "  'roles': {'type': 'array', 'items': {'type': 'object',"
		  "            'required': ['id', 'name']}},"
		  "  'rows': {'type': 'array', 'items': {'type': 'object',"
		  "           'required': ['kind', 'id', 'title', 'cells', 'accountable'],"
		  "           'properties': {'kind': {'enum': ['process', 'control']},"
		  "                          'cells': {'type': 'object'},"
		  "                          'accountable': {'type': 'integer'}}}},"
		  "  'without_accountable': {'type': 'integer'}}}",
	.print = raci_print,
	.web = "#/raci",
};

static const struct record_type *const c5_3_types[] = {
	&roles_type,
	&role_assignments_type,
	&raci_type,
};

static const struct view *const c5_3_views[] = {
	&raci_view,
};

const struct module c5_3_module = {
	.clause = "5.3",
	.title = "Roles, responsibilities and authorities",
	.file = __FILE__,
	.types = c5_3_types,
	.ntypes = COUNT_OF(c5_3_types),
	.views = c5_3_views,
	.nviews = COUNT_OF(c5_3_views),
};
