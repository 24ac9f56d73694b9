/* c7_2_competence.c — 7.2: the competences the organization relies on (skills,
   certifications, qualifications), which of them each organizational role requires (5.3
   roles), the training courses on offer, and each person's records of training and
   qualification: when obtained, until when valid, the evidence file, and how and by whom
   the effect of the training was confirmed. The matrix of holders against requirements is
   in c7_2_competence_matrix.c; the checks and the due items read it. */
#include "c7_2_competence.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* ---- Competences ------------------------------------------------------------------- */

static const char *const competence_kinds[] = {"skill", "certification", "qualification",
					       NULL};

static const struct field competence_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 160,
	 .help = "The competence as people name it, e.g. \"Incident handling\" or \"ISO/IEC "
		 "27001 Lead Auditor\"."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = competence_kinds, .def = "\"skill\"",
	 .help = "A skill learnt by training or practice, a certification issued by an "
		 "outside body (usually for a limited time), or a qualification such as a "
		 "degree."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What someone with this competence can do, and how it is usually shown."},
	{.name = "validity_months", .label = "Valid for (months)", .type = FT_INT, .min = 1,
	 .max = 600,
	 .help = "How long it stays valid after it is obtained, e.g. 36 for a three-year "
		 "certification; empty when it does not expire. A training record's expiry "
		 "defaults from it."},
};

const struct record_type competences_type = {
	.name = "competence",
	.plural = "competences",
	.table = "competences",
	.label = "competence",
	.label_plural = "competences",
	.clause = "7.2",
	.help = "The catalog of competences the ISMS relies on: skills, certifications and "
		"qualifications, with how long each stays valid.",
	.section = "7",
	.title_field = "name",
	.default_sort = "name",
	.fields = competence_fields,
	.nfields = COUNT_OF(competence_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 3,
};

/* ---- Competence requirements ------------------------------------------------------- */

static const struct field requirement_fields[] = {
	{.name = "role", .label = "Role", .type = FT_REF, .ref = "role",
	 .flags = F_REQUIRED | F_INDEX, .help = "The organizational role (5.3) that needs it."},
	{.name = "competence", .label = "Competence", .type = FT_REF, .ref = "competence",
	 .flags = F_REQUIRED | F_INDEX, .help = "What every holder of the role must have."},
	{.name = "note", .label = "Note", .type = FT_TEXT, .max_len = 1000, .flags = F_SEARCH,
	 .help = "Why the role needs it, or what level is expected."},
	{.name = "title", .label = "Requirement", .type = FT_TEXT,
	 .flags = F_READONLY | F_SEARCH, .max_len = 400,
	 .help = "The role and the competence; set by isms."},
};

static const char *const requirement_title[] = {"role", "competence", NULL};

static int requirement_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
				const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	struct query same = {.type = "competence_requirement",
			     .where = {QEQ("role", SVI(json_int(rec, "role"))),
				       QEQ("competence", SVI(json_int(rec, "competence"))),
				       QNE("id", SVI(json_int(rec, "id")))}};
	bool exists;
	if (query_exists(c, &same, &exists, e) < 0)
		return -1;
	if (exists)
		return err_set(e, ERR_CONFLICT, "competence",
			       "this role already requires that competence; change that "
			       "requirement instead");
	return 0;
}

const struct record_type competence_requirements_type = {
	.name = "competence_requirement",
	.plural = "competence-requirements",
	.table = "competence_requirements",
	.label = "competence requirement",
	.label_plural = "competence requirements",
	.clause = "7.2",
	.help = "The competences each organizational role requires of whoever holds it; one "
		"requirement per role and competence.",
	.section = "7",
	.title_field = "title",
	.title_from = requirement_title,
	.default_sort = "title",
	.fields = requirement_fields,
	.nfields = COUNT_OF(requirement_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 3,
	.validate = requirement_validate,
};

/* ---- Training courses -------------------------------------------------------------- */

static const struct field training_fields[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "The course as it is announced, e.g. \"Secure coding for "
				 "payment services\"."},
	{.name = "provider", .label = "Provider", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 200, .help = "Who gives it: an outside trainer, a platform, or a team "
				 "inside the organization."},
	{.name = "competence", .label = "Gives competence", .type = FT_REF, .ref = "competence",
	 .flags = F_SET_NULL | F_INDEX,
	 .help = "The competence attending it gives, if any: a record of the course then "
		 "counts for that competence."},
	{.name = "duration", .label = "Duration", .type = FT_TEXT, .max_len = 60,
	 .help = "How long it takes, e.g. \"2 days\" or \"90 minutes\"."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What it covers and how attendance or success is shown."},
};

const struct record_type trainings_type = {
	.name = "training",
	.plural = "trainings",
	.table = "trainings",
	.label = "training course",
	.label_plural = "training courses",
	.clause = "7.2",
	.help = "The training courses people take to gain or keep a competence.",
	.section = "7",
	.title_field = "title",
	.default_sort = "title",
	.fields = training_fields,
	.nfields = COUNT_OF(training_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 3,
};

/* ---- Training and qualification records -------------------------------------------- */

static const struct field record_fields[] = {
	{.name = "person", .label = "Person", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX, .help = "Who gained the competence or attended."},
	{.name = "competence", .label = "Competence", .type = FT_REF, .ref = "competence",
	 .flags = F_INDEX,
	 .help = "The competence shown. Empty: the one the course gives. Give this, the "
		 "course, or both."},
	{.name = "course", .label = "Course", .type = FT_REF, .ref = "training",
	 .flags = F_INDEX, .help = "The training course attended, if any."},
	{.name = "obtained_on", .label = "Obtained on", .type = FT_DATE,
	 .flags = F_REQUIRED | F_PAST | F_INDEX,
	 .help = "The day the course was completed or the certificate issued."},
	{.name = "expires_on", .label = "Valid until", .type = FT_DATE,
	 .help = "The last day it counts. Empty: from the competence's validity when it has "
		 "one, otherwise it does not expire."},
	{.name = "effectiveness_method", .label = "Effectiveness confirmed by", .type = FT_TEXT,
	 .max_len = 1000, .flags = F_SEARCH,
	 .help = "How it was confirmed that the person can now do the work: an exam passed, "
		 "an observed exercise, a review of their work."},
	{.name = "effectiveness_by", .label = "Confirmed by", .type = FT_REF, .ref = "person",
	 .flags = F_SET_NULL, .help = "Who confirmed it."},
	{.name = "effectiveness_on", .label = "Confirmed on", .type = FT_DATE, .flags = F_PAST,
	 .help = "The day it was confirmed."},
	{.name = "notes", .label = "Notes", .type = FT_TEXT, .max_len = 1000,
	 .help = "E.g. the certificate number; attach the certificate or attendance list as "
		 "an evidence file."},
	{.name = "title", .label = "Record", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 600, .help = "The person, the competence or course, and the day; set by "
				 "isms."},
};

static const char *const record_title_fields[] = {"person", "competence", "course",
						  "obtained_on", NULL};

/* Fills in the competence from the course and the expiry from the competence's validity,
   then checks the dates against each other. */
static int record_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	long long course = json_int(rec, "course"), competence = json_int(rec, "competence");
	if (!course && !competence)
		return err_set(e, ERR_INVALID, "competence",
			       "Competence: give the competence obtained, the course attended, "
			       "or both");
	if (!competence) {
		json_t *t;
		struct query q = {.type = "training", .where = {QEQ("id", SVI(course))}};
		if (query_first(c, &q, &t, e) < 0)
			return -1;
		competence = json_int(t, "competence");
		json_decref(t);
		if (competence)
			json_object_set_new(rec, "competence", json_integer(competence));
	}
	const char *obtained = json_str(rec, "obtained_on");
	if (!json_str(rec, "expires_on") && competence && obtained) {
		json_t *comp;
		struct query q = {.type = "competence", .where = {QEQ("id", SVI(competence))}};
		if (query_first(c, &q, &comp, e) < 0)
			return -1;
		long long months = json_int(comp, "validity_months");
		json_decref(comp);
		if (months > 0) {
			char until[11], next[11];
			clock_add_months(obtained, months, next);
			clock_add_days(next, -1, until);
			json_set_str(rec, "expires_on", until);
		}
	}
	const char *expires = json_str(rec, "expires_on");
	if (obtained && expires && strcmp(expires, obtained) < 0)
		return err_set(e, ERR_INVALID, "expires_on",
			       "Valid until must not be before Obtained on");
	const char *method = json_str(rec, "effectiveness_method");
	const char *checked = json_str(rec, "effectiveness_on");
	bool by = json_int(rec, "effectiveness_by") != 0;
	if ((by || checked) && !(method && *method))
		return err_set(e, ERR_INVALID, "effectiveness_method",
			       "Effectiveness confirmed by: say how it was confirmed");
	if (method && *method && !checked)
		return err_set(e, ERR_INVALID, "effectiveness_on",
			       "Confirmed on: give the day the effectiveness was confirmed");
	if (checked && obtained && strcmp(checked, obtained) < 0)
		return err_set(e, ERR_INVALID, "effectiveness_on",
			       "Confirmed on must not be before Obtained on");
	return 0;
}

const struct record_type training_records_type = {
	.name = "training_record",
	.plural = "training-records",
	.table = "training_records",
	.label = "training record",
	.label_plural = "training records",
	.clause = "7.2",
	.help = "Evidence of competence per person: a course attended or a certification or "
		"qualification obtained, how long it counts, and how its effect was confirmed. "
		"Attach the certificate or attendance list as an evidence file.",
	.section = "7",
	.title_field = "title",
	.title_from = record_title_fields,
	.default_sort = "-obtained_on",
	.fields = record_fields,
	.nfields = COUNT_OF(record_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 3,
	.validate = record_validate,
};

/* ---- Checks ------------------------------------------------------------------------ */

static void check(json_t *items, const char *id, const char *rule, bool ok, const char *detail,
		  const char *link)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s?}", "id", id,
						"clause", "7.2", "rule", rule, "ok", ok, "detail",
						detail, "link", link));
}

/* Appends "Name (Role): what" for up to 5 rows' gaps of the given statuses into out, and
   returns how many there are in all. */
static long long list_cells(const json_t *m, const char *status_a, const char *status_b,
			    char *out, size_t size)
{
	json_t *competences = json_object_get(m, "competences"), *row, *comp;
	long long n = 0;
	size_t len = 0, i, k;
	out[0] = '\0';
	json_array_foreach(json_object_get(m, "rows"), i, row) {
		json_array_foreach(competences, k, comp) {
			char key[24];
			snprintf(key, sizeof key, "%lld", json_int(comp, "id"));
			json_t *cell = json_object_get(json_object_get(row, "cells"), key);
			const char *s = json_str(cell, "status");
			if (!s || !(str_eq(s, status_a) || str_eq(s, status_b)))
				continue;
			if (n++ < 5 && len < size) {
				int w = snprintf(out + len, size - len, "%s%s (%s): %s %s", len ? "; " : "",
						 json_text(row, "person_name"), json_text(row, "role_name"),
						 json_text(comp, "name"), s);
				if (w > 0)
					len += (size_t)w;
				if (str_eq(s, "expired") || str_eq(s, "expiring")) {
					w = len < size ? snprintf(out + len, size - len, " %s",
								  json_text(cell, "expires_on"))
						       : 0;
					if (w > 0)
						len += (size_t)w;
				}
			}
		}
	}
	if (n > 5 && len < size)
		snprintf(out + len, size - len, " and %lld more", n - 5);
	return n;
}

int competence_checks(struct ctx *c, json_t *items, struct err *e)
{
	char today[11], detail[2048], list[1400];
	json_t *m = NULL, *role;
	long long roles;
	struct query all_roles = {.type = "role"};
	int ret = -1;
	ctx_today(c, today);
	if (query_count(c, &all_roles, &roles, e) < 0 || competence_matrix(c, 0, today, &m, e) < 0)
		goto out;
	long long requirements = json_int(m, "requirements");
	/* Roles someone holds that require nothing: worth a look, not a failure by itself. */
	char bare[600] = "";
	size_t i, len = 0, nbare = 0;
	json_array_foreach(json_object_get(m, "roles"), i, role) {
		if (!json_int(role, "holders") || json_array_size(json_object_get(role, "required")))
			continue;
		if (nbare++ < 5 && len < sizeof bare) {
			int w = snprintf(bare + len, sizeof bare - len, "%s%s", len ? ", " : "",
					 json_text(role, "name"));
			if (w > 0)
				len += (size_t)w;
		}
	}
	if (!roles)
		snprintf(detail, sizeof detail,
			 "No organizational roles are recorded yet, so there is no one whose "
			 "competence to determine; record the roles first (5.3 checks that).");
	else if (!requirements)
		snprintf(detail, sizeof detail,
			 "Not met: competence needs are not determined. None of the %lld roles "
			 "has a competence requirement; record what each role needs.",
			 roles);
	else if (nbare)
		snprintf(detail, sizeof detail,
			 "Partly: %lld requirements are recorded, but %zu held role%s require%s "
			 "nothing yet: %s%s. Decide what they need, or note why nothing.",
			 requirements, nbare, nbare == 1 ? "" : "s", nbare == 1 ? "s" : "", bare,
			 nbare > 5 ? " and more" : "");
	else
		snprintf(detail, sizeof detail,
			 "%lld requirements are recorded, and every held role has some.",
			 requirements);
	check(items, "competence-determined",
	      "The competence the ISMS roles need is determined", !roles || requirements > 0,
	      detail, "/competence");

	long long gaps = list_cells(m, "missing", "expired", list, sizeof list);
	char soon[600], unchecked_text[200] = "";
	long long expiring = list_cells(m, "expiring", "", soon, sizeof soon), unchecked;
	/* 7.2 c asks that the effect of training be evaluated: worth saying, not a gap in
	   anyone's competence by itself. */
	struct query no_effect = {.type = "training_record",
				  .where = {QNOT_NULL("course"), QNULL("effectiveness_on")}};
	if (query_count(c, &no_effect, &unchecked, e) < 0)
		goto out;
	if (unchecked)
		snprintf(unchecked_text, sizeof unchecked_text,
			 " %lld record%s of a course attended ha%s no effectiveness check yet.",
			 unchecked, unchecked == 1 ? "" : "s", unchecked == 1 ? "s" : "ve");
	if (!requirements)
		snprintf(detail, sizeof detail,
			 "Nothing to compare yet: no role has a competence requirement.");
	else if (gaps)
		snprintf(detail, sizeof detail,
			 "%lld gap%s among the current role holders: %s.%s", gaps,
			 gaps == 1 ? "" : "s", list, unchecked_text);
	else
		snprintf(detail, sizeof detail,
			 "Every current role holder has what their role requires, valid today.%s%s%s%s",
			 expiring ? " Expiring within 60 days: " : "", expiring ? soon : "",
			 expiring ? "." : "", unchecked_text);
	check(items, "competence-held",
	      "Every role holder has each competence the role requires, valid today", gaps == 0,
	      detail, "/competence");
	ret = 0;
out:
	json_decref(m);
	return ret;
}

/* ---- What is due ------------------------------------------------------------------- */

static void due_item(json_t *items, const char *type, long long id, const json_t *row,
		     const json_t *comp, const char *what, const char *date, const char *today)
{
	char title[600];
	snprintf(title, sizeof title, "%s — %s (%s)", json_text(row, "person_name"),
		 json_text(comp, "name"), json_text(row, "role_name"));
	json_array_append_new(items, json_build("{s:s, s:I, s:s, s:s, s:s, s:b, s:I}", "type", type,
					       "id", (json_int_t)id, "title", title, "what", what,
					       "date", date, "overdue", strcmp(date, today) < 0,
					       "owner", (json_int_t)json_int(row, "person")));
}

int competence_due(struct ctx *c, bool mine, const char *today, const char *horizon,
		   json_t *items, struct err *e)
{
	json_t *m, *row, *comp;
	size_t i, k;
	if (!record_can_read(c, &training_records_type) ||
	    !record_can_read(c, &competence_requirements_type))
		return 0;
	if (mine && !c->actor.person_id)
		return 0;
	if (competence_matrix(c, 0, today, &m, e) < 0)
		return -1;
	json_t *competences = json_object_get(m, "competences");
	json_array_foreach(json_object_get(m, "rows"), i, row) {
		if (mine && json_int(row, "person") != c->actor.person_id)
			continue;
		json_array_foreach(competences, k, comp) {
			char key[24];
			snprintf(key, sizeof key, "%lld", json_int(comp, "id"));
			json_t *cell = json_object_get(json_object_get(row, "cells"), key);
			const char *s = json_str(cell, "status");
			if (!s || str_eq(s, "valid"))
				continue;
			if (str_eq(s, "missing")) {
				/* Due since the later of the day they took the role and the day the
				   role came to require it. */
				const char *since = json_text(row, "since");
				const char *req = json_text(cell, "required_since");
				due_item(items, "competence-requirements", json_int(cell, "requirement"),
					 row, comp, "competence missing",
					 strcmp(req, since) > 0 ? req : since, today);
				continue;
			}
			const char *until = json_text(cell, "expires_on");
			if (str_eq(s, "expiring") && strcmp(until, horizon) > 0)
				continue;
			due_item(items, "training-records", json_int(cell, "record"), row, comp,
				 str_eq(s, "expired") ? "competence expired" : "competence expires",
				 until, today);
		}
	}
	json_decref(m);
	return 0;
}

/* ---- The module -------------------------------------------------------------------- */

static const struct record_type *const c7_2_types[] = {
	&competences_type,
	&competence_requirements_type,
	&trainings_type,
	&training_records_type,
};

static const struct view *const c7_2_views[] = {
	&competence_matrix_view,
};

const struct module c7_2_module = {
	.clause = "7.2",
	.title = "Competence",
	.file = __FILE__,
	.types = c7_2_types,
	.ntypes = COUNT_OF(c7_2_types),
	.views = c7_2_views,
	.nviews = COUNT_OF(c7_2_views),
	.checks = competence_checks,
	.due = competence_due,
	.sql = competence_sql,
};
