/* c7_2_competence_matrix.c — the competence matrix: who holds each role on a day (the role
   assignments of 5.3), against the competences their role requires, each cell valid,
   expiring (within 60 days), expired or missing from the person's training records. As
   JSON, a text table for the CLI, and XLSX/CSV/printable HTML. */
#include "c7_2_competence.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/named_sql.h"
#include "../engine/query.h"
#include "../report/export.h"
#include "../report/export_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_BATCH 200

struct matrix {
	struct ctx *c;
	const char *on;
	char soon[11];
	json_t *roles;        /* stored roles, by name */
	json_t *required;     /* "<role id>" -> [{competence, requirement, since}] */
	json_t *holders;      /* "<role id>" -> [{person, since, name}] */
	json_t *best;         /* "<person>:<competence>" -> the training record that counts */
	long long nrequirements;
};

static void key_of(char *out, size_t size, long long id)
{
	snprintf(out, size, "%lld", id);
}

/* Appends v to the array under key of obj (made when absent). */
static void push(json_t *obj, const char *key, json_t *v)
{
	json_t *a = json_object_get(obj, key);
	if (!a) {
		a = json_array();
		json_object_set_new(obj, key, a);
	}
	json_array_append_new(a, v);
}

static int load_requirements(struct matrix *m, long long role, struct err *e)
{
	json_t *reqs, *r;
	size_t i;
	struct query q = {.type = "competence_requirement"};
	long long all;
	if (query_count(m->c, &q, &all, e) < 0)
		return -1;
	m->nrequirements = all;
	if (role)
		q.where[0] = (struct query_cond)QEQ("role", SVI(role));
	if (query_records(m->c, &q, &reqs, e) < 0)
		return -1;
	json_array_foreach(reqs, i, r) {
		char key[24], since[11];
		key_of(key, sizeof key, json_int(r, "role"));
		snprintf(since, sizeof since, "%s", json_text(r, "created_at"));
		push(m->required, key,
		     json_build("{s:I, s:I, s:s}", "competence", (json_int_t)json_int(r, "competence"),
				"requirement", (json_int_t)json_int(r, "id"), "since", since));
	}
	json_decref(reqs);
	return 0;
}

/* The two reads the matrix makes over whole tables, as named statements (named_sql.h):
   only the columns it needs, without a JSON record per row, and the holders' names in the
   same pass. */
enum { COMP_HOLDERS, COMP_RECORDS, COMP_SQL_COUNT };

const struct named_sql competence_sql[] = {
	/* (role, person, starts_on, name) of the assignments that hold on $1, of role $2 or
	   of every role when $2 is 0. */
	[COMP_HOLDERS] = {"holders_on",
			  "SELECT a.role, a.person, a.starts_on, p.name FROM role_assignments a "
			  "JOIN people p ON p.id = a.person WHERE a.starts_on <= $1 AND "
			  "(a.ends_on IS NULL OR a.ends_on >= $1) AND ($2 = 0 OR a.role = $2)"},
	/* (person, competence, id, obtained_on, expires_on) of the records obtained by $1. */
	[COMP_RECORDS] = {"records_by",
			  "SELECT person, competence, id, obtained_on, expires_on FROM "
			  "training_records WHERE obtained_on <= $1 AND competence IS NOT NULL"},
	[COMP_SQL_COUNT] = {0},
};

static int load_holders(struct matrix *m, long long role, struct err *e)
{
	struct store_val p[] = {SVS(m->on), SVI(role)};
	struct store_rows *r;
	int rc;
	if (store_query(m->c->store, competence_sql[COMP_HOLDERS].sql, p, 2, &r, e) < 0)
		return -1;
	while ((rc = store_next(r, e)) > 0) {
		char key[24];
		key_of(key, sizeof key, store_int(r, 0));
		push(m->holders, key,
		     json_build("{s:I, s:s, s:s}", "person", (json_int_t)store_int(r, 1), "since",
				store_text(r, 2) ? store_text(r, 2) : "", "name",
				store_text(r, 3) ? store_text(r, 3) : ""));
	}
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

/* Whether a record valid until ea (NULL: it does not expire), obtained on oa, counts for
   longer than one valid until eb, obtained on ob: no expiry beats any, a later expiry beats
   an earlier one, and on a tie the later obtained. */
static bool better(const char *ea, const char *oa, const char *eb, const char *ob)
{
	if (!ea != !eb)
		return !ea;
	int cmp = ea ? strcmp(ea, eb) : 0;
	if (cmp)
		return cmp > 0;
	return strcmp(oa ? oa : "", ob ? ob : "") > 0;
}

/* The best record per holder and required competence, obtained on or before the day. */
static int load_records(struct matrix *m, struct err *e)
{
	json_t *wanted = json_object(), *list, *req;
	const char *role;
	struct store_rows *r = NULL;
	size_t i;
	int rc = 0;
	json_object_foreach(m->required, role, list) {
		json_array_foreach(list, i, req) {
			char key[24];
			key_of(key, sizeof key, json_int(req, "competence"));
			json_object_set_new(wanted, key, json_true());
		}
	}
	if (!json_object_size(wanted) || !json_object_size(m->holders))
		goto out;
	struct store_val p[] = {SVS(m->on)};
	if (store_query(m->c->store, competence_sql[COMP_RECORDS].sql, p, 1, &r, e) < 0) {
		rc = -1;
		goto out;
	}
	while ((rc = store_next(r, e)) > 0) {
		char key[48], competence[24];
		key_of(competence, sizeof competence, store_int(r, 1));
		if (!json_object_get(wanted, competence))
			continue;
		snprintf(key, sizeof key, "%lld:%lld", store_int(r, 0), store_int(r, 1));
		const char *obtained = store_text(r, 3), *expires = store_text(r, 4);
		json_t *now = json_object_get(m->best, key);
		if (now && !better(expires, obtained, json_str(now, "expires_on"),
				   json_str(now, "obtained_on")))
			continue;
		json_t *rec = json_build("{s:I, s:s}", "id", (json_int_t)store_int(r, 2),
					 "obtained_on", obtained ? obtained : "");
		json_set_str(rec, "expires_on", expires);
		json_object_set_new(m->best, key, rec);
	}
	rc = rc < 0 ? -1 : 0;
out:
	store_rows_free(r);
	json_decref(wanted);
	return rc;
}

/* The cell of one holder and one required competence. */
static json_t *cell_of(struct matrix *m, long long person, const json_t *req, json_t *totals)
{
	char key[48];
	long long competence = json_int(req, "competence");
	snprintf(key, sizeof key, "%lld:%lld", person, competence);
	json_t *rec = json_object_get(m->best, key);
	json_t *cell = json_build("{s:I, s:s}", "requirement", (json_int_t)json_int(req, "requirement"),
				  "required_since", json_text(req, "since"));
	const char *status = "missing";
	if (rec) {
		const char *until = json_str(rec, "expires_on");
		status = !until			    ? "valid"
			 : strcmp(until, m->on) < 0   ? "expired"
			 : strcmp(until, m->soon) <= 0 ? "expiring"
						      : "valid";
		json_object_set_new(cell, "record", json_integer(json_int(rec, "id")));
		json_object_set_new(cell, "obtained_on", json_string(json_text(rec, "obtained_on")));
		if (until) /* absent: it does not expire */
			json_object_set_new(cell, "expires_on", json_string(until));
	}
	json_object_set_new(cell, "status", json_string(status));
	json_object_set_new(totals, status, json_integer(json_int(totals, status) + 1));
	return cell;
}

static int by_name(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int cmp = strcmp(json_text(x, "name"), json_text(y, "name"));
	return cmp ? cmp : (json_int(x, "person") > json_int(y, "person")) - (json_int(x, "person") < json_int(y, "person"));
}

/* The holders of a role sorted by name (new array). */
static json_t *sorted_holders(struct matrix *m, const char *role)
{
	json_t *list = json_object_get(m->holders, role), *h, *out = json_array();
	size_t i, n = json_array_size(list);
	json_t **v = n ? calloc(n, sizeof *v) : NULL;
	json_array_foreach(list, i, h)
		v[i] = h;
	if (n > 1)
		qsort(v, n, sizeof *v, by_name);
	for (i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	return out;
}

static int build(struct matrix *m, json_t **out, struct err *e)
{
	json_t *comps = NULL, *columns = json_array(), *roles = json_array(), *rows = json_array();
	json_t *totals = json_build("{s:i, s:i, s:i, s:i}", "valid", 0, "expiring", 0, "expired", 0,
				    "missing", 0);
	json_t *used = json_object(), *role, *comp, *list, *req;
	const char *key;
	size_t i, k;
	struct query cq = {.type = "competence", .order = "name"};
	int ret = -1;
	json_object_foreach(m->required, key, list) {
		json_array_foreach(list, i, req) {
			char ck[24];
			key_of(ck, sizeof ck, json_int(req, "competence"));
			json_object_set_new(used, ck, json_true());
		}
	}
	if (query_records(m->c, &cq, &comps, e) < 0)
		goto out;
	json_array_foreach(comps, i, comp) {
		char ck[24];
		key_of(ck, sizeof ck, json_int(comp, "id"));
		if (json_object_get(used, ck))
			json_array_append_new(columns, json_build("{s:I, s:s, s:s}", "id",
								  (json_int_t)json_int(comp, "id"), "name",
								  json_text(comp, "name"), "kind",
								  json_text(comp, "kind")));
	}
	json_array_foreach(m->roles, i, role) {
		char rk[24];
		key_of(rk, sizeof rk, json_int(role, "id"));
		json_t *required = json_array(), *holders = sorted_holders(m, rk), *h;
		list = json_object_get(m->required, rk);
		json_array_foreach(list, k, req)
			json_array_append_new(required, json_integer(json_int(req, "competence")));
		json_array_append_new(roles, json_build("{s:I, s:s, s:I, s:o}", "id",
							(json_int_t)json_int(role, "id"), "name",
							json_text(role, "name"), "holders",
							(json_int_t)json_array_size(holders), "required",
							required));
		json_array_foreach(holders, k, h) {
			json_t *cells = json_object();
			size_t j;
			json_array_foreach(list, j, req) {
				char ck[24];
				key_of(ck, sizeof ck, json_int(req, "competence"));
				json_object_set_new(cells, ck, cell_of(m, json_int(h, "person"), req, totals));
			}
			json_array_append_new(rows, json_build("{s:I, s:s, s:I, s:s, s:s, s:o}", "role",
							       (json_int_t)json_int(role, "id"),
							       "role_name", json_text(role, "name"),
							       "person", (json_int_t)json_int(h, "person"),
							       "person_name", json_text(h, "name"), "since",
							       json_text(h, "since"), "cells", cells));
		}
		json_decref(holders);
	}
	*out = json_build("{s:s, s:i, s:I, s:O, s:O, s:O, s:O}", "on", m->on, "expiring_days",
			  COMPETENCE_EXPIRING_DAYS, "requirements", (json_int_t)m->nrequirements,
			  "competences", columns, "roles", roles, "rows", rows, "totals", totals);
	ret = 0;
out:
	json_decref(comps);
	json_decref(columns);
	json_decref(roles);
	json_decref(rows);
	json_decref(totals);
	json_decref(used);
	return ret;
}

int competence_matrix(struct ctx *c, long long role, const char *on, json_t **out,
		      struct err *e)
{
	struct matrix m = {.c = c, .on = on, .required = json_object(), 
			   .holders = json_object(), .best = json_object()};
	struct query rq = {.type = "role", .order = "name"};
	int ret = -1;
	*out = NULL;
	clock_add_days(on, COMPETENCE_EXPIRING_DAYS, m.soon);
	if (role)
		rq.where[0] = (struct query_cond)QEQ("id", SVI(role));
	if (query_records(c, &rq, &m.roles, e) < 0)
		goto out;
	if (role && !json_array_size(m.roles)) {
		err_set(e, ERR_INVALID, "role", "role: there is no role with id %lld", role);
		goto out;
	}
	if (load_requirements(&m, role, e) < 0 || load_holders(&m, role, e) < 0 ||
	    load_records(&m, e) < 0 || build(&m, out, e) < 0)
		goto out;
	ret = 0;
out:
	json_decref(m.roles);
	json_decref(m.required);
	json_decref(m.holders);
	json_decref(m.best);
	return ret;
}

/* ---- The view ---------------------------------------------------------------------- */

static int matrix_args(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	char today[11];
	const char *on = view_arg_text(a, "on");
	ctx_today(c, today);
	return competence_matrix(c, view_arg_set(a, "role") ? view_arg_int(a, "role") : 0,
				 on ? on : today, out, e);
}

static const char *cell_label(const json_t *cell, char *out, size_t size)
{
	const char *s = json_str(cell, "status");
	const char *until = json_str(cell, "expires_on");
	if (!s)
		snprintf(out, size, "%s", "");
	else if (str_eq(s, "missing"))
		snprintf(out, size, "Missing");
	else if (str_eq(s, "expired"))
		snprintf(out, size, "Expired %s", until ? until : "");
	else if (str_eq(s, "expiring"))
		snprintf(out, size, "Expiring %s", until ? until : "");
	else if (until)
		snprintf(out, size, "Valid until %s", until);
	else
		snprintf(out, size, "Valid");
	return out;
}

/* One line per holder: role, person, then each required competence and its state. */
static void matrix_print(const json_t *out, FILE *f)
{
	json_t *row, *comp, *t = json_object_get(out, "totals");
	size_t i, k;
	fprintf(f, "Competence matrix on %s\n", json_text(out, "on"));
	json_array_foreach(json_object_get(out, "rows"), i, row) {
		fprintf(f, "%-32.32s %-28.28s", json_text(row, "role_name"),
			json_text(row, "person_name"));
		json_array_foreach(json_object_get(out, "competences"), k, comp) {
			char key[24], label[48];
			key_of(key, sizeof key, json_int(comp, "id"));
			json_t *cell = json_object_get(json_object_get(row, "cells"), key);
			if (cell)
				fprintf(f, "  %s: %s", json_text(comp, "name"),
					cell_label(cell, label, sizeof label));
		}
		fputc('\n', f);
	}
	fprintf(f, "(%lld valid, %lld expiring within %lld days, %lld expired, %lld missing)\n",
		json_int(t, "valid"), json_int(t, "expiring"), json_int(out, "expiring_days"),
		json_int(t, "expired"), json_int(t, "missing"));
}

static const char *fill_of(const char *status)
{
	return str_eq(status, "valid")	    ? "#c6efce"
	       : str_eq(status, "expiring") ? "#ffeb9c"
					    : "#ffc7ce";
}

static int matrix_table(struct ctx *c, const struct view_args *a, struct export_table *t,
			struct err *e)
{
	json_t *m, *comp, *row;
	size_t i, k;
	if (matrix_args(c, a, &m, e) < 0)
		return -1;
	export_table_init(t, "Competence matrix", "Competence matrix");
	export_table_about(t, "Report", "Competence matrix (7.2)");
	export_table_about(t, "On", json_text(m, "on"));
	if (view_arg_set(a, "role") && json_array_size(json_object_get(m, "roles")))
		export_table_about(t, "Role",
				   json_text(json_array_get(json_object_get(m, "roles"), 0), "name"));
	export_table_about(t, "Cells", "Valid (until its expiry), Expiring within 60 days, Expired, "
				       "Missing; — where the role does not require it");
	export_table_live(t, c, "competence-matrix");
	export_table_column(t, "Role", 32);
	export_table_column(t, "Person", 28);
	json_t *comps = json_object_get(m, "competences");
	json_array_foreach(comps, i, comp)
		export_table_column(t, json_text(comp, "name"), 22);
	json_array_foreach(json_object_get(m, "rows"), i, row) {
		json_t *cells = json_build("[s, s]", json_text(row, "role_name"),
					   json_text(row, "person_name"));
		json_array_foreach(comps, k, comp) {
			char key[24], label[48];
			key_of(key, sizeof key, json_int(comp, "id"));
			json_t *cell = json_object_get(json_object_get(row, "cells"), key);
			if (!cell) {
				json_array_append_new(cells, json_string("—")); /* not required */
				continue;
			}
			json_array_append_new(cells,
					      json_build("{s:s, s:s}", "text",
							 cell_label(cell, label, sizeof label), "fill",
							 fill_of(json_str(cell, "status"))));
		}
		json_array_append_new(t->rows, cells);
	}
	json_decref(m);
	return 0;
}

static const struct view_param matrix_params[] = {
	{.name = "role", .type = VP_ID, .help = "Only the holders of this role (a role id)"},
	{.name = "on", .type = VP_DATE,
	 .help = "The day to judge on: who held the roles and what was valid then (default "
		 "today)"},
};

const struct view competence_matrix_view = {
	.name = "competence-matrix",
	.clause = "7.2",
	.title = "Competence matrix",
	.summary = "Role holders against the competences their roles require",
	.help = "Everyone holding an organizational role on the day, against each competence the "
		"role requires: valid, expiring within 60 days, expired, or missing, from their "
		"training and qualification records.",
	.params = matrix_params,
	.nparams = COUNT_OF(matrix_params),
	.reads = (const char *const[]){"competence-requirements", "training-records",
				       "role-assignments", NULL},
	.run = matrix_args,
	.schema = "{'type': 'object',"
		  " 'required': ['on', 'expiring_days', 'requirements', 'competences', 'roles',"
		  "              'rows', 'totals'],"
		  " 'properties': {"
		  "  'on': {'type': 'string'},"
		  "  'expiring_days': {'type': 'integer'},"
		  "  'requirements': {'type': 'integer'},"
		  "  'competences': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['id', 'name', 'kind'],"
		  "    'properties': {'id': {'type': 'integer'}, 'name': {'type': 'string'},"
		  "                   'kind': {'enum': ['skill', 'certification', 'qualification']}}}},"
		  "  'roles': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['id', 'name', 'holders', 'required'],"
		  "    'properties': {'id': {'type': 'integer'}, 'name': {'type': 'string'},"
		  "                   'holders': {'type': 'integer'},"
		  "                   'required': {'type': 'array', 'items': {'type': 'integer'}}}}},"
		  "  'rows': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['role', 'role_name', 'person', 'person_name', 'since', 'cells'],"
		  "    'properties': {'role': {'type': 'integer'}, 'role_name': {'type': 'string'},"
		  "      'person': {'type': 'integer'}, 'person_name': {'type': 'string'},"
		  "      'since': {'type': 'string'},"
		  "      'cells': {'type': 'object', 'additionalProperties': {'type': 'object',"
		  "        'required': ['status', 'requirement', 'required_since'],"
		  "        'properties': {"
		  "          'status': {'enum': ['valid', 'expiring', 'expired', 'missing']},"
		  "          'requirement': {'type': 'integer'},"
		  "          'required_since': {'type': 'string'},"
		  "          'record': {'type': 'integer'},"
		  "          'obtained_on': {'type': 'string'},"
		  "          'expires_on': {'type': 'string'}}}}}}},"
		  "  'totals': {'type': 'object',"
		  "    'required': ['valid', 'expiring', 'expired', 'missing'],"
		  "    'properties': {'valid': {'type': 'integer'}, 'expiring': {'type': 'integer'},"
		  "                   'expired': {'type': 'integer'}, 'missing': {'type': 'integer'}}}}}",
	.print = matrix_print,
	.table = matrix_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.web = "#/competence",
};
