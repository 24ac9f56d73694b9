/* acknowledgements.c — who must read a document, who did, and who has not yet. An
   acknowledgement ties a person to a published version; people make their own through the
   version's "acknowledge" action ("in_app"), and an ISMS manager may record one made
   elsewhere (on paper, in a training, by email). They are evidence: never changed, only
   deleted when recorded in error (and that deletion is logged like every change). */
#include "c7_3_acknowledgements.h"
#include "c7_5_documents.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>


static const char *const methods[] = {"in_app", "on_paper", "in_training", "by_email", NULL};

static const struct field ack_fields[] = {
	{.name = "document_version", .label = "Version", .type = FT_REF, .ref = "document_version",
	 .flags = F_REQUIRED | F_INDEX,
	 .help = "The published version that was read; only the version in force can be "
		 "acknowledged."},
	{.name = "document", .label = "Document", .type = FT_REF, .ref = "document",
	 .flags = F_READONLY | F_INDEX, .help = "The document of that version; set by isms."},
	{.name = "person", .label = "Person", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX,
	 .help = "Who read and understood it; they must belong to the document's audience."},
	{.name = "method", .label = "How", .type = FT_ENUM, .values = methods,
	 .def = "\"in_app\"",
	 .help = "In isms by the person themselves, or recorded for them from a signed paper, "
		 "a training session or an email."},
	{.name = "acknowledged_at", .label = "Recorded at", .type = FT_TEXT,
	 .flags = F_READONLY, .max_len = 40, .help = "When it was keyed in (UTC)."},
	{.name = "acknowledged_on", .label = "Acknowledged on", .type = FT_DATE, .flags = F_PAST,
	 .since = 2,
	 .help = "The day the person read and understood it: the day signed on paper, at the "
		 "training or in the email; today when left empty. Acknowledging in isms takes the "
		 "day of the action. More than a few days back needs a note saying where the "
		 "evidence is."},
	{.name = "recorded_by", .label = "Recorded by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The account that recorded it: the person's own for \"in_app\"."},
	{.name = "note", .label = "Note", .type = FT_TEXT, .max_len = 500,
	 .help = "Where the evidence is, e.g. \"signed form in HR file\"."},
	{.name = "title", .label = "Acknowledgement", .type = FT_TEXT,
	 .flags = F_READONLY | F_SEARCH, .max_len = 300,
	 .help = "The version and the person, e.g. \"POL-001 v2 — Ann Lee\"; set by isms."},
};

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/* Appends {"person", "name"} for every row of a (id, name) query. */
static int collect_people(struct ctx *c, const char *sql, const struct store_val *p, int n,
			  json_t *into, struct err *e)
{
	struct store_rows *r;
	int rc;
	if (store_query(c->store, sql, p, n, &r, e) < 0)
		return -1;
	while ((rc = store_next(r, e)) > 0)
		json_array_append_new(into, json_build("{s:I, s:s}", "person",
						      (json_int_t)store_int(r, 0), "name",
						      store_text(r, 1) ? store_text(r, 1) : ""));
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

/* The statements over a document's audience (people, their accounts and the document's
   references) that the query interface cannot express: named_sql.h. The audience_* ones
   select (id, name) of the active people a document is meant for, with their parameters
   numbered from a first one; the others read an audience put in place of %s. */
enum {
	ACK_AUDIENCE_NONE,
	ACK_AUDIENCE_NAMED,
	ACK_AUDIENCE_ROLES,
	ACK_AUDIENCE_ALL,
	ACK_LIST,
	ACK_MEMBER,
	ACK_SIZE,
	ACK_ACKED,
	ACK_DONE,
	ACK_PENDING,
	ACK_SQL_COUNT
};

const struct named_sql ack_sql[] = {
	[ACK_AUDIENCE_NONE] = {"audience_none", "SELECT id, name FROM people WHERE 1 = 0"},
	[ACK_AUDIENCE_NAMED] = {"audience_named",
				"SELECT p.id AS id, p.name AS name FROM people p JOIN record_links l "
				"ON l.to_type = 'person' AND l.to_id = p.id WHERE l.from_type = "
				"'document' AND l.from_id = $%d AND l.field = 'audience_people' AND "
				"p.active = 1"},
	/* Active people holding, on a day, any of the organization's roles the document
	   names (the document, then the day). */
	[ACK_AUDIENCE_ROLES] = {"audience_roles",
				"SELECT DISTINCT p.id AS id, p.name AS name FROM people p JOIN "
				"role_assignments a ON a.person = p.id JOIN record_links l ON "
				"l.to_type = 'role' AND l.to_id = a.role WHERE l.from_type = "
				"'document' AND l.from_id = $%d AND l.field = 'audience_roles' AND "
				"p.active = 1 AND a.starts_on <= $%d AND (a.ends_on IS NULL OR "
				"a.ends_on >= $%d)"},
	[ACK_AUDIENCE_ALL] = {"audience_all", "SELECT id, name FROM people WHERE active = 1"},
	[ACK_LIST] = {"audience_list", "SELECT id, name FROM (%s) a ORDER BY name, id"},
	[ACK_MEMBER] = {"audience_member", "SELECT count(*) FROM (%s) a WHERE a.id = $1"},
	[ACK_SIZE] = {"audience_size", "SELECT count(*) FROM (%s) a"},
	/* EXISTS lets the store look each reader up in the audience by key, rather than
	   building the whole audience for every document. */
	[ACK_ACKED] = {"audience_acknowledged",
		       "SELECT count(*) FROM acknowledgements k WHERE k.document_version = $1 AND "
		       "EXISTS (SELECT 1 FROM (%s) a WHERE a.id = k.person)"},
	[ACK_DONE] = {"acknowledged_by",
		      "SELECT k.person, p.name, k.acknowledged_at, k.method, CASE WHEN k.person IN "
		      "(SELECT id FROM (%s) a) THEN 1 ELSE 0 END, k.acknowledged_on FROM "
		      "acknowledgements k JOIN "
		      "people p ON p.id = k.person WHERE k.document_version = $1 ORDER BY p.name, "
		      "p.id"},
	[ACK_PENDING] = {"audience_pending",
			 "SELECT id, name FROM (%s) a WHERE a.id NOT IN (SELECT person FROM "
			 "acknowledgements WHERE document_version = $1) ORDER BY name, id"},
	[ACK_SQL_COUNT] = {0},
};

/* A document's audience as SQL selecting (id, name) of active people, its parameters
   numbered from $first (borrowed from the document). */
struct audience_sql {
	char sql[600];
	char today[11];
	struct store_val p[2];
	int n;
	bool outside; /* external parties: no one inside the organization */
};

static void audience_sql(const struct ctx *c, const json_t *doc, int first,
			 struct audience_sql *a)
{
	const char *audience = json_str(doc, "audience");
	a->n = 0;
	a->outside = str_eq(audience, "external_parties");
	if (a->outside) {
		snprintf(a->sql, sizeof a->sql, "%s", ack_sql[ACK_AUDIENCE_NONE].sql);
	} else if (str_eq(audience, "named_people")) {
		a->p[a->n++] = SVI(json_int(doc, "id"));
		snprintf(a->sql, sizeof a->sql, ack_sql[ACK_AUDIENCE_NAMED].sql, first);
	} else if (str_eq(audience, "roles")) {
		ctx_today(c, a->today);
		a->p[a->n++] = SVI(json_int(doc, "id"));
		a->p[a->n++] = SVS(a->today);
		snprintf(a->sql, sizeof a->sql, ack_sql[ACK_AUDIENCE_ROLES].sql, first, first + 1,
			 first + 1);
	} else {
		snprintf(a->sql, sizeof a->sql, "%s", ack_sql[ACK_AUDIENCE_ALL].sql);
	}
}

/* Runs sql (which uses $1..$nfirst from first[], then the audience's parameters) and reads
   one count. */
static int audience_count(struct ctx *c, const char *sql, const struct store_val *first,
			  int nfirst, const struct audience_sql *a, long long *out, struct err *e)
{
	struct store_val p[4];
	for (int i = 0; i < nfirst; i++)
		p[i] = first[i];
	for (int i = 0; i < a->n; i++)
		p[nfirst + i] = a->p[i];
	return store_query_int(c->store, sql, p, nfirst + a->n, out, NULL, e);
}

int ack_audience(struct ctx *c, const json_t *doc, json_t **out, struct err *e)
{
	struct audience_sql a;
	char sql[700];
	*out = NULL;
	audience_sql(c, doc, 1, &a);
	if (a.outside) {
		*out = json_null();
		return 0;
	}
	snprintf(sql, sizeof sql, ack_sql[ACK_LIST].sql, a.sql);
	json_t *people = json_array();
	if (collect_people(c, sql, a.p, a.n, people, e) < 0) {
		json_decref(people);
		return -1;
	}
	*out = people;
	return 0;
}

/* Whether person belongs to the document's audience. */
static int in_audience(struct ctx *c, const json_t *doc, long long person, bool *yes,
		       struct err *e)
{
	struct audience_sql a;
	char sql[700];
	long long n;
	struct store_val p[] = {SVI(person)};
	audience_sql(c, doc, 2, &a);
	snprintf(sql, sizeof sql, ack_sql[ACK_MEMBER].sql, a.sql);
	if (audience_count(c, sql, p, 1, &a, &n, e) < 0)
		return -1;
	*yes = n > 0;
	return 0;
}

/* When a person acknowledged a version, into *at (a new JSON string, or JSON null if they
   have not). */
static int find_ack(struct ctx *c, long long version, long long person, json_t **at,
		    struct err *e)
{
	struct query q = {.type = "acknowledgement",
			  .where = {QEQ("document_version", SVI(version)),
				    QEQ("person", SVI(person))}};
	json_t *ack;
	*at = NULL;
	if (query_first(c, &q, &ack, e) < 0)
		return -1;
	*at = ack ? json_incref(json_object_get(ack, "acknowledged_at")) : json_null();
	json_decref(ack);
	return 0;
}

/* A person's name (empty if there is no such person), into name. */
static int person_name(struct ctx *c, long long person, char *name, size_t size, struct err *e)
{
	return record_title_of(c, registry_find(c->reg, "person"), person, name, size, e);
}

/* Checks that person may acknowledge version (published, in the audience, not yet done);
   fills *doc with the version's document (caller owns) when it returns 0. */
static int check_ack(struct ctx *c, const json_t *version, long long person, json_t **doc,
		     struct err *e)
{
	json_t *existing = NULL;
	char name[200];
	int ret = -1;
	*doc = NULL;
	if (!is(json_str(version, "status"), "published")) {
		err_set(e, ERR_CONFLICT, "document_version",
			"%s is %s: only the published version in force can be acknowledged",
			json_str(version, "title"), json_str(version, "status"));
		goto out;
	}
	if (record_get_stored(c, &documents_type, json_int(version, "document"), doc, e) < 0)
		goto out;
	bool member;
	if (in_audience(c, *doc, person, &member, e) < 0)
		goto out;
	if (!member) {
		if (person_name(c, person, name, sizeof name, e) < 0)
			goto out;
		err_set(e, ERR_FORBIDDEN, "person",
			"%s is not in the audience of %s (%s), so there is nothing for them to "
			"acknowledge",
			name[0] ? name : "this person", json_str(*doc, "identifier"),
			json_str(*doc, "audience"));
		goto out;
	}
	if (find_ack(c, json_int(version, "id"), person, &existing, e) < 0)
		goto out;
	if (!json_is_null(existing)) {
		err_set(e, ERR_CONFLICT, "person", "%s has already been acknowledged by this person",
			json_str(version, "title"));
		goto out;
	}
	ret = 0;
out:
	if (ret < 0) {
		json_decref(*doc);
		*doc = NULL;
	}
	json_decref(existing);
	return ret;
}

/* The day it was acknowledged: in isms, the day of the action (its effective date); for an
   acknowledgement recorded for someone, the day they signed, checked like a decision's
   effective date, with the note as the reason when it is more than a few days back. */
static int set_acknowledged_on(struct ctx *c, json_t *rec, struct err *e)
{
	char day[11];
	const char *given = json_str(rec, "acknowledged_on");
	if (c->system || !given) {
		ctx_decision_day(c, day);
		json_set_str(rec, "acknowledged_on", day);
		return 0;
	}
	return record_check_effective(c, "acknowledged_on", given, "note", json_str(rec, "note"),
				      e);
}

static int ack_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			const json_t *old, struct err *e)
{
	(void)rt;
	(void)old; /* append-only: validated on creation */
	json_t *version = NULL, *doc = NULL;
	long long person_id = json_int(rec, "person");
	int ret = -1;
	if (is(json_str(rec, "method"), "in_app") && !c->system &&
	    c->actor.person_id != person_id)
		return err_set(e, ERR_INVALID, "method",
			       "How: \"in_app\" is for people acknowledging in isms themselves; "
			       "record someone else's acknowledgement as on_paper, in_training or "
			       "by_email");
	if (record_get_stored(c, &document_versions_type, json_int(rec, "document_version"),
			      &version, e) < 0 ||
	    check_ack(c, version, person_id, &doc, e) < 0)
		goto out;
	json_object_set_new(rec, "document", json_integer(json_int(version, "document")));
	json_object_set_new(rec, "acknowledged_at", json_string(c->now));
	if (set_acknowledged_on(c, rec, e) < 0)
		goto out;
	record_stamp(c, rec, "recorded_by", NULL);
	ret = 0;
out:
	json_decref(version);
	json_decref(doc);
	return ret;
}

static const char *const ack_title[] = {"document_version", "person", NULL};

const struct record_type acknowledgements_type = {
	.name = "acknowledgement",
	.plural = "acknowledgements",
	.table = "acknowledgements",
	.label = "acknowledgement",
	.label_plural = "acknowledgements",
	.clause = "7.3",
	.help = "Who read and understood which version of a policy, and when: made by people "
		"themselves from \"Policies to read\", or recorded for them by an ISMS manager.",
	.section = "7",
	.title_field = "title",
	.title_from = ack_title,
	.default_sort = "-id",
	.fields = ack_fields,
	.nfields = sizeof ack_fields / sizeof ack_fields[0],
	.read_roles = ROLES_ALL & ~RB(ROLE_STAFF),
	.write_roles = EDITORS,
	.since = 1,
	.append_only = true,
	.validate = ack_validate,
};

int ack_permit(struct ctx *c, const json_t *version, struct err *e)
{
	json_t *doc;
	if (!c->actor.person_id)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "your account is not linked to a person, so isms cannot record who "
			       "read this; ask an administrator to link it");
	if (check_ack(c, version, c->actor.person_id, &doc, e) < 0)
		return -1;
	json_decref(doc);
	return 0;
}

int ack_record_self(struct ctx *c, const json_t *version, struct err *e)
{
	json_t *input = json_build("{s:I, s:I, s:s}", "document_version",
				  (json_int_t)json_int(version, "id"), "person",
				  (json_int_t)c->actor.person_id, "method", "in_app"),
	       *rec = NULL;
	/* Staff may not write acknowledgements directly; this one is their own, made by
	   isms on their behalf under their name. */
	bool was = c->system;
	c->system = true;
	int rc = record_create(c, &acknowledgements_type, input, &rec, e);
	c->system = was;
	json_decref(input);
	json_decref(rec);
	return rc;
}

/* ---- Reading lists and progress ----------------------------------------------------- */

/* Every published document, in identifier order; or only document `only` (404 unless it
   is published). */
static int published_documents(struct ctx *c, long long only, json_t **out, struct err *e)
{
	json_t *doc;
	*out = NULL;
	if (only) {
		if (record_get_stored(c, &documents_type, only, &doc, e) < 0)
			return -1;
		if (!is(json_str(doc, "status"), "published")) {
			err_set(e, ERR_NOT_FOUND, "document",
				"%s has no published version, so nobody acknowledges it yet",
				json_str(doc, "identifier"));
			json_decref(doc);
			return -1;
		}
		*out = json_build("[o]", doc);
		return 0;
	}
	struct query q = {.type = "document", .where = {QEQ("status", SVS("published"))},
			  .order = "identifier"};
	return query_records(c, &q, out, e);
}

/* The version in force of a published document as {id, number, approved_on,
   change_summary} (caller owns). */
static int version_in_force(struct ctx *c, const json_t *doc, json_t **out, struct err *e)
{
	struct query q = {.type = "document_version",
			  .where = {QEQ("id", SVI(json_int(doc, "current_version")))}};
	json_t *v;
	*out = NULL;
	if (query_first(c, &q, &v, e) < 0)
		return -1;
	if (!v)
		return err_set(e, ERR_NOT_FOUND, "current_version", "%s has no version in force",
			       json_str(doc, "identifier"));
	*out = json_build("{s:I, s:I, s:O?, s:O?}", "id", (json_int_t)json_int(v, "id"), "number",
			 (json_int_t)json_int(v, "number"), "approved_on",
			 json_object_get(v, "approved_on"), "change_summary",
			 json_object_get(v, "change_summary"));
	json_decref(v);
	return 0;
}

int ack_reading(struct ctx *c, long long person_id, bool pending_only, json_t **out,
		struct err *e)
{
	json_t *docs = NULL, *items = json_array(), *doc;
	long long pending = 0;
	size_t i;
	int ret = -1;
	*out = NULL;
	if (!person_id) {
		err_set(e, ERR_INVALID, NULL,
			"your account is not linked to a person, so there is no reading list for "
			"it; ask an administrator to link it");
		goto out;
	}
	if (published_documents(c, 0, &docs, e) < 0)
		goto out;
	json_array_foreach(docs, i, doc) {
		json_t *version, *at;
		bool mine;
		if (in_audience(c, doc, person_id, &mine, e) < 0)
			goto out;
		if (!mine)
			continue;
		if (version_in_force(c, doc, &version, e) < 0)
			goto out;
		if (find_ack(c, json_int(version, "id"), person_id, &at, e) < 0) {
			json_decref(version);
			goto out;
		}
		bool read = !json_is_null(at);
		pending += !read;
		if (!read || !pending_only)
			json_array_append_new(
				items,
				json_build("{s:I, s:s, s:s, s:s, s:I, s:I, s:O, s:O, s:o}", "document",
					  (json_int_t)json_int(doc, "id"), "identifier",
					  json_str(doc, "identifier"), "title", json_str(doc, "title"),
					  "kind", json_str(doc, "kind"), "version",
					  (json_int_t)json_int(version, "id"), "number",
					  (json_int_t)json_int(version, "number"), "approved_on",
					  json_object_get(version, "approved_on"), "change_summary",
					  json_object_get(version, "change_summary"), "acknowledged_at",
					  json_incref(at)));
		json_decref(at);
		json_decref(version);
	}
	*out = json_build("{s:o, s:I, s:I}", "items", items, "total",
			 (json_int_t)json_array_size(items), "pending", (json_int_t)pending);
	items = NULL;
	ret = 0;
out:
	json_decref(docs);
	json_decref(items);
	return ret;
}

/* The size of a published document's audience, and how many of them acknowledged the
   version in force (counted in SQL: the audience may be every employee). */
static int ack_counts(struct ctx *c, const json_t *doc, long long *size, long long *acked,
		      struct err *e)
{
	struct audience_sql a;
	char sql[800];
	struct store_val v[] = {SVI(json_int(doc, "current_version"))};
	audience_sql(c, doc, 1, &a);
	snprintf(sql, sizeof sql, ack_sql[ACK_SIZE].sql, a.sql);
	if (audience_count(c, sql, NULL, 0, &a, size, e) < 0)
		return -1;
	audience_sql(c, doc, 2, &a);
	snprintf(sql, sizeof sql, ack_sql[ACK_ACKED].sql, a.sql);
	return audience_count(c, sql, v, 1, &a, acked, e);
}

/* With detail: who acknowledged the version in force (also people since left out of the
   audience, marked) and who in the audience has not. */
static int progress_detail(struct ctx *c, const json_t *doc, json_t *line, struct err *e)
{
	struct audience_sql a;
	char sql[900];
	struct store_val p[ROLE_COUNT + 1] = {SVI(json_int(doc, "current_version"))};
	struct store_rows *r;
	json_t *done = json_array(), *pending = json_array();
	int rc;
	audience_sql(c, doc, 2, &a);
	for (int i = 0; i < a.n; i++)
		p[1 + i] = a.p[i];
	snprintf(sql, sizeof sql, ack_sql[ACK_DONE].sql, a.sql);
	if (store_query(c->store, sql, p, 1 + a.n, &r, e) < 0)
		goto fail;
	while ((rc = store_next(r, e)) > 0)
		json_array_append_new(done, json_build("{s:I, s:s, s:s, s:s, s:b, s:s?}", "person",
						      (json_int_t)store_int(r, 0), "name",
						      store_text(r, 1), "at", store_text(r, 2),
						      "method", store_text(r, 3), "in_audience",
						      store_int(r, 4) != 0, "on",
						      store_text(r, 5)));
	store_rows_free(r);
	if (rc < 0)
		goto fail;
	snprintf(sql, sizeof sql, ack_sql[ACK_PENDING].sql, a.sql);
	if (collect_people(c, sql, p, 1 + a.n, pending, e) < 0)
		goto fail;
	json_object_set_new(line, "acknowledgements", done);
	json_object_set_new(line, "pending", pending);
	return 0;
fail:
	json_decref(done);
	json_decref(pending);
	return -1;
}

/* One document's line of the progress report; with detail, who did and who did not. */
static int progress_line(struct ctx *c, const json_t *doc, bool detail, json_t **out,
			 struct err *e)
{
	json_t *version = NULL;
	long long size, acked;
	*out = NULL;
	if (version_in_force(c, doc, &version, e) < 0 || ack_counts(c, doc, &size, &acked, e) < 0) {
		json_decref(version);
		return -1;
	}
	json_t *line = json_build(
		"{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:I, s:I}", "document",
		(json_int_t)json_int(doc, "id"), "identifier", json_str(doc, "identifier"), "title",
		json_str(doc, "title"), "audience", json_str(doc, "audience"), "version",
		(json_int_t)json_int(version, "id"), "number", (json_int_t)json_int(version, "number"),
		"approved_on", json_str(version, "approved_on") ? json_str(version, "approved_on") : "",
		"audience_size", (json_int_t)size, "acknowledged", (json_int_t)acked, "not_yet",
		(json_int_t)(size - acked));
	json_decref(version);
	/* Whole percent, rounded down: 99.6 % is not everyone. */
	json_object_set_new(line, "percent",
			    size ? json_integer((json_int_t)(acked * 100 / size)) : json_null());
	json_object_set_new(line, "target", json_integer(ack_target(doc)));
	json_object_set_new(line, "met", size ? json_boolean(acked * 100 / size >= ack_target(doc))
					      : json_null());
	if (detail && progress_detail(c, doc, line, e) < 0) {
		json_decref(line);
		return -1;
	}
	*out = line;
	return 0;
}

int ack_target(const json_t *doc)
{
	json_t *t = json_object_get(doc, "ack_target");
	return json_is_integer(t) ? (int)json_integer_value(t) : ACK_TARGET_DEFAULT;
}

int ack_percent(struct ctx *c, const json_t *doc, json_t **out, struct err *e)
{
	long long size, acked;
	*out = NULL;
	if (ack_counts(c, doc, &size, &acked, e) < 0)
		return -1;
	*out = size ? json_integer((json_int_t)(acked * 100 / size)) : json_null();
	return 0;
}

int ack_progress(struct ctx *c, long long document_id, json_t **out, struct err *e)
{
	json_t *docs = NULL, *items = json_array(), *doc, *line;
	size_t i;
	int ret = -1;
	*out = NULL;
	if (!record_can_read(c, &documents_type) || !record_can_read(c, &acknowledgements_type)) {
		err_set(e, ERR_FORBIDDEN, NULL, "your role (%s) may not read acknowledgements",
			registry_role_name(c->reg, c->actor.role));
		goto out;
	}
	if (published_documents(c, document_id, &docs, e) < 0)
		goto out;
	if (document_id) {
		ret = progress_line(c, json_array_get(docs, 0), true, out, e);
		goto out;
	}
	json_array_foreach(docs, i, doc) {
		if (progress_line(c, doc, false, &line, e) < 0)
			goto out;
		json_array_append_new(items, line);
	}
	*out = json_build("{s:O, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	ret = 0;
out:
	json_decref(docs);
	json_decref(items);
	return ret;
}

/* ---- views ------------------------------------------------------------------------- */

static int reading_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return ack_reading(c, c->actor.person_id, view_arg_bool(a, "pending"), out, e);
}

static void reading_print(const json_t *out, FILE *f)
{
	size_t i;
	json_t *it;
	fprintf(f, "%-12s  %-4s  %-20s  %s\n", "DOCUMENT", "VER", "ACKNOWLEDGED", "TITLE");
	json_array_foreach(json_object_get(out, "items"), i, it)
		fprintf(f, "%-12s  v%-3lld  %-20.20s  %s\n", json_text(it, "identifier"),
			json_int(it, "number"),
			json_str(it, "acknowledged_at") ? json_str(it, "acknowledged_at") : "not yet",
			json_text(it, "title"));
	fprintf(f, "(%lld to read)\n", json_int(out, "pending"));
}

static const struct view_param reading_params[] = {
	{.name = "pending", .type = VP_BOOL, .help = "Only what you have not acknowledged yet"},
};

const struct view reading_view = {
	.name = "reading",
	.clause = "7.3",
	.title = "Policies to read",
	.summary = "Policies to read: published documents meant for you and whether you "
		   "acknowledged them",
	.help = "The published documents whose audience includes you, with the version in force "
		"and when you acknowledged it. Acknowledge one with\n"
		"'isms act document-versions ID acknowledge'.",
	.path = "/api/v1/reading",
	.params = reading_params,
	.nparams = COUNT_OF(reading_params),
	.run = reading_run,
	.schema = "{'type': 'object', 'required': ['items', 'total', 'pending'],"
		  " 'properties': {'items': {'type': 'array', 'items': {'type': 'object',"
		  "   'required': ['document', 'identifier', 'title', 'version', 'number',"
		  "                'acknowledged_at']}},"
		  "  'total': {'type': 'integer'}, 'pending': {'type': 'integer'}}}",
	.print = reading_print,
	.web = "#/reading",
};

static int progress_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return ack_progress(c, view_arg_int(a, "document"), out, e);
}

/* The table of every document; one document's who-did and who-did-not stays JSON. */
static void progress_print(const json_t *out, FILE *f)
{
	if (!json_object_get(out, "items")) {
		char *text = json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS);
		fprintf(f, "%s\n", text ? text : "");
		free(text);
		return;
	}
	size_t i;
	json_t *it;
	fprintf(f, "%-12s  %-4s  %8s  %9s  %s\n", "DOCUMENT", "VER", "AUDIENCE", "READ", "TITLE");
	json_array_foreach(json_object_get(out, "items"), i, it) {
		json_t *pct = json_object_get(it, "percent");
		char read[16] = "n/a";
		if (json_is_integer(pct))
			snprintf(read, sizeof read, "%lld%%", (long long)json_integer_value(pct));
		fprintf(f, "%-12s  v%-3lld  %8lld  %9s  %s\n", json_text(it, "identifier"),
			json_int(it, "number"), json_int(it, "audience_size"), read,
			json_text(it, "title"));
	}
}

static const struct view_param progress_params[] = {
	{.name = "document", .type = VP_ID,
	 .help = "One document: who did and who did not acknowledge its version in force"},
};

const struct view acknowledgements_view = {
	.name = "acknowledgements",
	.clause = "7.3",
	.title = "Acknowledgement progress",
	.summary = "Acknowledgement progress of every published document, or with ?document=ID "
		   "who did and who did not",
	.help = "Per published document: the audience and the share that acknowledged the "
		"version in force. --document ID lists who did and who did not.",
	.params = progress_params,
	.nparams = COUNT_OF(progress_params),
	.reads = (const char *const[]){"documents", "acknowledgements", NULL},
	.run = progress_run,
	.schema = "{'oneOf': ["
		  " {'type': 'object', 'required': ['items', 'total'],"
		  "  'properties': {'items': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['document', 'identifier', 'title', 'audience_size',"
		  "                 'acknowledged', 'percent']}},"
		  "   'total': {'type': 'integer'}}},"
		  " {'type': 'object', 'required': ['document', 'identifier', 'title', 'pending'],"
		  "  'properties': {'pending': {'type': 'array'}}}]}",
	.print = progress_print,
	.web = "#/acknowledgements",
};
