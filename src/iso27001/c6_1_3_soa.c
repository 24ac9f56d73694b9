/* soa.c — the Statement of Applicability (6.1.3 d): one entry per Annex A control, with
   the implementation status, risks and requirements it derives from the links between
   applied controls, risks and requirements; and SoA versions that freeze the whole SoA with
   a content hash. */
#include "c6_1_3_soa.h"
#include "c6_1_3_treatment.h"
#include "c6_1_3_controls.h"
#include "c5_leadership.h"
#include "../base/text.h"
#include "../base/json.h"
#include "../engine/query.h"
#include "../base/sec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- Statement of Applicability ---------------------------------------------------- */

static const char *const inclusion_reasons[] = {"risk_treatment", "legal", "contractual",
						"business_requirement", "good_practice", NULL};
static const char *const implementation_states[] = {"not_started", "partial", "implemented",
						    NULL};

static const struct field soa_fields[] = {
	{.name = "catalog_control", .label = "Catalog control", .type = FT_REF,
	 .ref = "catalog_control", .flags = F_READONLY,
	 .help = "The Annex A control this entry decides on; set when isms creates the entry."},
	{.name = "title", .label = "Control", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 230, .help = "The control's number and title."},
	{.name = "applicable", .label = "Applicable", .type = FT_BOOL, .def = "true",
	 .help = "Whether the control applies to this ISMS. Every control starts as applicable; "
		 "excluding one needs a justification."},
	{.name = "inclusion_reasons", .label = "Reasons for inclusion", .type = FT_JSON,
	 .def = "[]",
	 .help = "Why an applicable control is included: any of \"risk_treatment\", \"legal\", "
		 "\"contractual\", \"business_requirement\", \"good_practice\"."},
	{.name = "exclusion_justification", .label = "Why excluded", .type = FT_MARKDOWN,
	 .flags = F_SEARCH,
	 .help = "Required when the control is not applicable: why the organization does not "
		 "need it (e.g. no premises of its own for some physical controls)."},
	{.name = "status_override", .label = "Status override", .type = FT_ENUM,
	 .values = implementation_states,
	 .help = "Leave empty to use the status derived from the applied controls; set it when "
		 "the derived status does not tell the truth, and say why in the note."},
	{.name = "note", .label = "Note", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Anything an auditor should know about this entry."},
	{.name = "implementation_status", .label = "Implementation status", .type = FT_ENUM,
	 .values = implementation_states, .flags = F_DERIVED,
	 .help = "From the linked applied controls: not started when there are none or none has "
		 "started, implemented when all are implemented, partial otherwise. The override "
		 "wins when set."},
	{.name = "controls", .label = "Applied controls", .type = FT_REFS, .ref = "control",
	 .flags = F_DERIVED, .help = "The applied controls linked to this catalog control."},
	{.name = "risks", .label = "Risks", .type = FT_REFS, .ref = "risk", .flags = F_DERIVED,
	 .help = "Risks treated by those applied controls."},
	{.name = "requirements", .label = "Requirements", .type = FT_REFS, .ref = "requirement",
	 .flags = F_DERIVED, .help = "Requirements that those applied controls answer."},
};

/* Checks the list of reasons and rewrites it in the order of inclusion_reasons without
   duplicates, so the same choice always has the same stored (and hashed) form. */
static int check_reasons(json_t *rec, struct err *e)
{
	json_t *v = json_object_get(rec, "inclusion_reasons");
	if (!v || json_is_null(v)) {
		json_object_set_new(rec, "inclusion_reasons", json_array());
		return 0;
	}
	if (!json_is_array(v))
		return err_set(e, ERR_INVALID, "inclusion_reasons",
			       "Reasons for inclusion must be a list, e.g. [\"risk_treatment\"]");
	bool seen[sizeof inclusion_reasons / sizeof inclusion_reasons[0]] = {false};
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x) {
		const char *s = json_string_value(x);
		int k = 0;
		while (s && inclusion_reasons[k] && strcmp(inclusion_reasons[k], s) != 0)
			k++;
		if (!s || !inclusion_reasons[k])
			return err_set(e, ERR_INVALID, "inclusion_reasons",
				       "Reasons for inclusion: each must be one of risk_treatment, "
				       "legal, contractual, business_requirement, good_practice");
		seen[k] = true;
	}
	json_t *canon = json_array();
	for (int k = 0; inclusion_reasons[k]; k++)
		if (seen[k])
			json_array_append_new(canon, json_string(inclusion_reasons[k]));
	json_object_set_new(rec, "inclusion_reasons", canon);
	return 0;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Only isms itself (the catalog seed, c->system) creates SoA entries; deletes are refused
   by soa_before_delete. */
static int soa_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			const json_t *old, struct err *e)
{
	(void)rt;
	if (!old && !c->system)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "SoA entries are created by isms, one for each Annex A control; they "
			       "cannot be added or removed, only changed");
	if (check_reasons(rec, e) < 0)
		return -1;
	bool applicable = json_is_true(json_object_get(rec, "applicable"));
	if (!applicable && blank(json_str(rec, "exclusion_justification")))
		return err_set(e, ERR_INVALID, "exclusion_justification",
			       "Why excluded: a control that is not applicable needs a "
			       "justification");
	if (json_str(rec, "status_override") && blank(json_str(rec, "note")))
		return err_set(e, ERR_INVALID, "note",
			       "Note: say why the status is overridden (the derived status is what "
			       "the applied controls show)");
	if (!applicable) {
		static const char *const active[] = {"planned", "in_progress", "implemented", NULL};
		struct query linked = {
			.type = "control",
			.where = {QHAS("catalog_controls", json_int(rec, "catalog_control")),
				  QIN_TEXT("status", active)}};
		long long n;
		if (query_count(c, &linked, &n, e) < 0)
			return -1;
		if (n > 0)
			return err_set(e, ERR_INVALID, "applicable",
				       "Applicable: %lld applied control%s still implement%s %s; mark "
				       "them not implemented or unlink them before excluding it",
				       n, n == 1 ? "" : "s", n == 1 ? "s" : "",
				       json_str(rec, "title") ? json_str(rec, "title") : "this control");
	}
	return 0;
}

/* Whether an entry is decided (applicable with a reason, or excluded with a justification)
   and sound; if not, appends "<control id>: <what is missing>" to problems. */
static void soa_entry_problem(const json_t *entry, json_t *problems)
{
	const char *id = json_str(entry, "control_id"), *what = NULL;
	if (json_is_true(json_object_get(entry, "applicable"))) {
		if (json_array_size(json_object_get(entry, "inclusion_reasons")) == 0)
			what = "applicable but no reason for inclusion given";
	} else if (blank(json_str(entry, "exclusion_justification"))) {
		what = "excluded without a justification";
	}
	if (!what && json_str(entry, "status_override") && blank(json_str(entry, "note")))
		what = "status overridden without a note";
	if (what)
		json_array_append_new(problems, json_sprintf("%s: %s", id ? id : "?", what));
}

static int soa_before_delete(struct ctx *c, const struct record_type *rt, const json_t *rec,
			     struct err *e)
{
	(void)c;
	(void)rt;
	return err_set(e, ERR_CONFLICT, NULL,
		       "the SoA has an entry for every Annex A control, so %s cannot be deleted; "
		       "mark it not applicable with a justification instead",
		       json_str(rec, "title") ? json_str(rec, "title") : "this entry");
}

/* From the statuses of the linked applied controls. */
static const char *implementation_of(const json_t *statuses)
{
	size_t i, n = json_array_size(statuses), done = 0, started = 0;
	json_t *s;
	json_array_foreach(statuses, i, s) {
		const char *v = json_string_value(s);
		if (v && strcmp(v, "implemented") == 0)
			done++;
		else if (v && strcmp(v, "in_progress") == 0)
			started++;
	}
	if (n > 0 && done == n)
		return "implemented";
	if (done || started)
		return "partial";
	return "not_started";
}

/* The statement the query interface cannot express (named_sql.h): the risks treated by the
   applied controls that implement a catalog control, two hops over record_links. */
enum { SOA_RISKS, SOA_SQL_COUNT };

const struct named_sql soa_sql[] = {
	/* CROSS JOIN keeps SQLite from starting at every risk link (from_type = 'risk'):
	   40 ms instead of 2 ms per entry with 10,000 risks. */
	[SOA_RISKS] = {"risks_of_catalog_control",
		       "SELECT DISTINCT r.from_id FROM record_links l CROSS JOIN record_links r "
		       "WHERE r.to_type = 'control' AND r.to_id = l.from_id AND l.to_type = "
		       "'catalog_control' AND l.to_id = $1 AND l.from_type = 'control' AND "
		       "l.field = 'catalog_controls' AND r.from_type = 'risk' AND r.field = "
		       "'controls' ORDER BY r.from_id"},
	[SOA_SQL_COUNT] = {0},
};

static int soa_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			struct err *e)
{
	(void)rt;
	long long cc = json_integer_value(json_object_get(rec, "catalog_control"));
	struct query linked = {.type = "control", .where = {QHAS("catalog_controls", cc)}};
	json_t *records, *control, *risks, *requirements;
	if (query_records(c, &linked, &records, e) < 0)
		return -1;
	json_t *controls = json_array(), *statuses = json_array(), *wanted = json_array();
	size_t i;
	json_array_foreach(records, i, control) {
		json_array_append_new(controls, json_integer(json_int(control, "id")));
		json_array_append_new(statuses, json_string(json_str(control, "status")
								    ? json_str(control, "status")
								    : ""));
		json_array_extend(wanted, json_object_get(control, "requirements"));
	}
	json_decref(records);
	const char *derived = implementation_of(statuses);
	const char *override = json_str(rec, "status_override");
	/* An excluded control is not implemented for this ISMS, whatever links remain. */
	json_object_set_new(rec, "implementation_status",
			    !json_is_true(json_object_get(rec, "applicable")) ? json_null()
			    : json_string(override ? override : derived));
	json_decref(statuses);
	json_object_set_new(rec, "controls", controls);
	/* The requirements those controls answer, each once, in id order. */
	struct query answered = {.type = "requirement", .where = {QIN("id", wanted)}};
	int rc = query_ids(c, &answered, &requirements, e);
	json_decref(wanted);
	if (rc < 0 || controls_id_list(c, soa_sql[SOA_RISKS].sql, cc, &risks, e) < 0)
		return -1;
	json_object_set_new(rec, "risks", risks);
	json_object_set_new(rec, "requirements", requirements);
	return 0;
}

const struct record_type soa_type = {
	.name = "soa_entry",
	.plural = "soa",
	.table = "soa_entries",
	.label = "SoA entry",
	.label_plural = "Statement of Applicability",
	.clause = "6.1.3 d",
	.help = "One entry per Annex A control: whether it applies and why, or why it is "
		"excluded, with its implementation status and the risks and requirements behind it. "
		"Entries are created by isms; approve the SoA by creating an SoA version.",
	.section = "6",
	.title_field = "title",
	.default_sort = "id", /* Annex A order */
	.fields = soa_fields,
	.nfields = sizeof soa_fields / sizeof soa_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = MANAGERS,
	.since = 1,
	.validate = soa_validate,
	.decorate = soa_decorate,
	.before_delete = soa_before_delete,
};

/* ---- SoA versions ------------------------------------------------------------------- */

/* Titles of referenced records, cached per type and id for one snapshot. */
struct titles {
	struct ctx *c;
	json_t *cache; /* {"<type>": {"<id>": "<title>"}} */
};

/* A new array of {"id", "title"} for the ids, in their order. */
static int titled(struct titles *t, const char *type, const json_t *ids, json_t **out,
		  struct err *e)
{
	const struct record_type *rt = registry_find(t->c->reg, type);
	json_t *list = json_array();
	json_t *bucket = json_object_get(t->cache, type);
	if (!bucket) {
		bucket = json_object();
		json_object_set_new(t->cache, type, bucket);
	}
	size_t i;
	json_t *id;
	*out = NULL;
	json_array_foreach(ids, i, id) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
		json_t *title = json_object_get(bucket, key);
		if (!title && rt && rt->title_field) {
			struct query q = {.type = type,
					  .where = {QEQ("id", SVI(json_integer_value(id)))}};
			json_t *rec;
			if (query_first(t->c, &q, &rec, e) < 0) {
				json_decref(list);
				return -1;
			}
			title = json_string(rec ? record_title(rt, rec) : "");
			json_decref(rec);
			json_object_set_new(bucket, key, title);
		}
		json_array_append_new(list, json_build("{s:O, s:s}", "id", id, "title",
						      title ? json_string_value(title) : ""));
	}
	*out = list;
	return 0;
}

/* The catalog facts of every catalog control: {"<id>": {control_id, title, theme}}. */
static int catalog_facts(struct ctx *c, json_t **out, struct err *e)
{
	struct query all = {.type = "catalog_control"};
	json_t *records, *rec;
	size_t i;
	*out = NULL;
	if (query_records(c, &all, &records, e) < 0)
		return -1;
	json_t *facts = json_object();
	json_array_foreach(records, i, rec) {
		char key[24];
		snprintf(key, sizeof key, "%lld", json_int(rec, "id"));
		json_object_set_new(facts, key,
				    json_build("{s:s?, s:s?, s:s?}", "control_id",
					      json_str(rec, "control_id"), "title",
					      json_str(rec, "title"), "theme", json_str(rec, "theme")));
	}
	json_decref(records);
	*out = facts;
	return 0;
}

/* One entry of the snapshot from a decorated SoA entry. */
static int snapshot_entry(struct titles *t, const json_t *facts, const json_t *rec,
			  json_t **out, struct err *e)
{
	static const char *const copied[] = {"applicable", "inclusion_reasons",
					     "exclusion_justification", "status_override",
					     "implementation_status", "note", NULL};
	static const struct {
		const char *field, *type;
	} linked[] = {{"controls", "control"}, {"risks", "risk"}, {"requirements", "requirement"}};
	char key[24];
	snprintf(key, sizeof key, "%lld",
		 (long long)json_integer_value(json_object_get(rec, "catalog_control")));
	const json_t *fact = json_object_get(facts, key);
	json_t *o = json_build("{s:O, s:s?, s:s?, s:s?}", "entry", json_object_get(rec, "id"),
			      "control_id", json_str(fact, "control_id"), "title",
			      json_str(fact, "title"), "theme", json_str(fact, "theme"));
	for (int i = 0; copied[i]; i++) {
		json_t *v = json_object_get(rec, copied[i]);
		json_object_set_new(o, copied[i], v ? json_incref(v) : json_null());
	}
	for (size_t i = 0; i < sizeof linked / sizeof linked[0]; i++) {
		json_t *list;
		if (titled(t, linked[i].type, json_object_get(rec, linked[i].field), &list, e) < 0) {
			json_decref(o);
			return -1;
		}
		json_object_set_new(o, linked[i].field, list);
	}
	*out = o;
	return 0;
}

int soa_snapshot(struct ctx *c, json_t **out, struct err *e)
{
	struct titles t = {.c = c, .cache = json_object()};
	json_t *ids = NULL, *facts = NULL, *entries = json_array();
	int ret = -1;
	*out = NULL;
	struct query every_entry = {.type = "soa_entry"};
	if (query_ids(c, &every_entry, &ids, e) < 0 ||
	    catalog_facts(c, &facts, e) < 0)
		goto out;
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id) {
		json_t *rec, *entry;
		if (record_get(c, &soa_type, json_integer_value(id), &rec, e) < 0)
			goto out;
		int rc = snapshot_entry(&t, facts, rec, &entry, e);
		json_decref(rec);
		if (rc < 0)
			goto out;
		json_array_append_new(entries, entry);
	}
	*out = entries;
	entries = NULL;
	ret = 0;
out:
	json_decref(entries);
	json_decref(ids);
	json_decref(facts);
	json_decref(t.cache);
	return ret;
}

static const char *const version_states[] = {"prepared", "approved", NULL};
static const char *const from_prepared[] = {"prepared", NULL};
static const char *const version_frozen[] = {"approved", NULL};

static const struct field soa_version_fields[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 80, .since = 3,
	 .help = "\"SoA version 3\" once approved; \"SoA prepared on …\" before; set by isms."},
	{.name = "number", .label = "Version", .type = FT_INT, .flags = F_UNIQUE | F_READONLY,
	 .help = "1 for the first approved SoA, then 2, 3…; assigned by isms on approval."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = version_states, .def = "\"prepared\"", .since = 3,
	 .help = "Prepared (frozen, waiting for approval), then approved. A prepared version "
		 "that will not be approved is deleted."},
	{.name = "prepared_by", .label = "Prepared by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .since = 3, .help = "The user who froze the SoA into this version."},
	{.name = "prepared_on", .label = "Prepared on", .type = FT_DATE, .flags = F_READONLY,
	 .since = 3, .help = "The day it was frozen (UTC)."},
	{.name = "approved_by", .label = "Approved by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The user who approved this version."},
	{.name = "approved_on", .label = "Approved on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day it was approved."},
	{.name = "content_hash", .label = "Content hash", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64,
	 .help = "SHA-256 of the snapshot as canonical JSON (compact, keys sorted): equal "
		 "content gives an equal hash, and any change gives another."},
	{.name = "snapshot", .label = "Snapshot", .type = FT_JSON, .flags = F_READONLY,
	 .help = "Every SoA entry as it stood when the version was prepared, with its derived "
		 "status and the applied controls, risks and requirements behind it."},
	{.name = "note", .label = "Note", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What changed since the previous version, or the occasion of the approval."},
};

/* Creating a version freezes the SoA as it is now, once every entry is decided and sound
   (409 listing those that are not); clients send at most a note. */
static int soa_version_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
				const json_t *old, struct err *e)
{
	(void)rt;
	if (old && str_eq(json_str(old, "status"), json_str(rec, "status")))
		return err_set(e, ERR_CONFLICT, NULL,
			       "an SoA version is frozen when it is prepared; prepare a new "
			       "version instead");
	if (old)
		return 0; /* approval (its action) */
	json_t *snapshot, *problems = json_array(), *entry;
	size_t i;
	if (soa_snapshot(c, &snapshot, e) < 0) {
		json_decref(problems);
		return -1;
	}
	json_array_foreach(snapshot, i, entry)
		soa_entry_problem(entry, problems);
	if (json_array_size(problems) > 0) {
		char list[600] = "";
		size_t len = 0;
		json_t *p;
		json_array_foreach(problems, i, p) {
			if (i == 5) {
				snprintf(list + len, sizeof list - len, "; and %zu more",
					 json_array_size(problems) - 5);
				break;
			}
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "; " : "",
						json_string_value(p));
			if (len >= sizeof list)
				break;
		}
		err_set(e, ERR_CONFLICT, "entries",
			"the SoA can be frozen once every entry is decided: %zu %s not (%s)",
			json_array_size(problems), json_array_size(problems) == 1 ? "is" : "are",
			list);
		json_decref(problems);
		json_decref(snapshot);
		return -1;
	}
	json_decref(problems);
	char *canon = json_canonical(snapshot), hash[SEC_HASH_HEX], today[11], title[80];
	sec_sha256_hex(canon, strlen(canon), hash);
	free(canon);
	ctx_today(c, today);
	snprintf(title, sizeof title, "SoA prepared on %s", today);
	json_set_str(rec, "title", title);
	json_set_str(rec, "status", "prepared");
	record_stamp(c, rec, "prepared_by", "prepared_on");
	json_object_set_new(rec, "content_hash", json_string(hash));
	json_object_set_new(rec, "snapshot", snapshot);
	return 0;
}

static int soa_version_approve_permit(struct ctx *c, const struct record_type *rt,
				      const json_t *rec, struct err *e)
{
	(void)rt;
	(void)rec;
	return authority_check(c, 0, AUTH_APPROVE_SCOPE_SOA,
			       "approve the Statement of Applicability", e);
}

static int soa_version_approve_guard(struct ctx *c, const struct record_type *rt,
				     const json_t *rec, struct err *e)
{
	(void)rt;
	if (str_eq(json_str(rec, "prepared_by"), ctx_decider(c)))
		return err_set(e, ERR_CONFLICT, NULL,
			       "%s prepared this SoA version, so someone else must approve it "
			       "(four eyes)",
			       c->decided_by ? ctx_decider(c) : "you");
	return 0;
}

static int soa_version_approve_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
				     struct err *e)
{
	struct query versions = {.type = rt->name};
	json_t *max;
	char title[80];
	if (query_max(c, &versions, "number", &max, e) < 0)
		return -1;
	long long number = json_integer_value(max) + 1; /* 1 when there is none */
	json_decref(max);
	json_object_set_new(rec, "number", json_integer(number));
	snprintf(title, sizeof title, "SoA version %lld", number);
	json_set_str(rec, "title", title);
	record_stamp(c, rec, "approved_by", "approved_on");
	return 0;
}

static int soa_version_before_delete(struct ctx *c, const struct record_type *rt,
				     const json_t *rec, struct err *e)
{
	(void)c;
	(void)rt;
	if (!str_eq(json_str(rec, "status"), "approved"))
		return 0;
	return err_set(e, ERR_CONFLICT, NULL,
		       "SoA version %lld is approved and kept as evidence; it cannot be deleted",
		       (long long)json_integer_value(json_object_get(rec, "number")));
}

static const struct action soa_version_actions[] = {
	{.name = "approve", .label = "Approve",
	 .help = "Approves the SoA as frozen in this version: top management (or a role that "
		 "approves the scope and the SoA), never the person who prepared it.",
	 .from = from_prepared, .to = "approved", .roles = ROLES_ALL,
	 .permit = soa_version_approve_permit, .guard = soa_version_approve_guard,
	 .apply = soa_version_approve_apply,
	 .effective = true},
};

const struct record_type soa_versions_type = {
	.name = "soa_version",
	.plural = "soa-versions",
	.table = "soa_versions",
	.label = "SoA version",
	.label_plural = "SoA versions",
	.clause = "6.1.3 d",
	.help = "Versions of the Statement of Applicability. Preparing one freezes the SoA as it "
		"stands, once every entry is decided, with a content hash; someone else with the "
		"authority approves it, and it is numbered. Approved versions cannot be changed or "
		"deleted.",
	.section = "6",
	.title_field = "title",
	.default_sort = "-id",
	.fields = soa_version_fields,
	.nfields = COUNT_OF(soa_version_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.state_field = "status",
	.frozen = version_frozen,
	.actions = soa_version_actions,
	.nactions = COUNT_OF(soa_version_actions),
	.since = 1,
	.validate = soa_version_validate,
	.before_delete = soa_version_before_delete,
};

static const struct record_type *const c6_1_3_types[] = {
	&controls_type,
	&soa_type,
	&soa_versions_type,
	&treatment_actions_type,
};

static const struct view *const c6_1_3_views[] = {
	&soa_export_view,
	&treatment_plan_view,
};

const struct module c6_1_3_module = {
	.clause = "6.1.3",
	.title = "Information security risk treatment",
	.file = __FILE__,
	.types = c6_1_3_types,
	.ntypes = COUNT_OF(c6_1_3_types),
	.views = c6_1_3_views,
	.nviews = COUNT_OF(c6_1_3_views),
	.sql = soa_sql,
	.review_inputs = treatment_review_inputs,
};
