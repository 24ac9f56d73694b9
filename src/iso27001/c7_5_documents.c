/* documents.c — controlled documents (7.5) and the policy framework (5.2). A document holds
   the metadata (identifier, kind, place in the framework, owner, audience, review and
   retention); its text lives in numbered versions that move draft → in_review → approved →
   published → withdrawn. One draft at a time per document; the approver may not be the
   version's author; the top-level policy is approved by top management, other documents by
   the role they name. Publishing a version withdraws the one published before, and the
   document's status, current version and next review follow its versions. */
#include "c7_5_documents.h"
#include "c7_3_acknowledgements.h"
#include "c5_leadership.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../engine/query.h"
#include "../base/sec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *const doc_kinds[] = {"information_security_policy",
					"topic_specific_policy",
					"procedure",
					"standard",
					"guideline",
					"plan",
					"record",
					"form",
					"external",
					NULL};
static const char *const classifications[] = {"public", "internal", "confidential",
					      "restricted", NULL};
static const char *const audiences[] = {"all_staff", "roles", "named_people", "external_parties",
					NULL};
static const char *const version_states[] = {"draft",     "in_review", "approved",
					     "published", "withdrawn", NULL};

static const struct field document_fields[] = {
	{.name = "identifier", .label = "Identifier", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 40,
	 .help = "A short, stable reference such as POL-001 or PRO-012, unique in the register."},
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "What the document is called, e.g. \"Access control policy\"."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .flags = F_REQUIRED | F_INDEX,
	 .values = doc_kinds,
	 .help = "The top-level information security policy, a topic-specific policy beneath it, "
		 "or a procedure, standard, guideline, plan, record, form, or a document from "
		 "outside the organization."},
	{.name = "parent", .label = "Sits under", .type = FT_REF, .ref = "document",
	 .help = "Where the document hangs in the policy framework. A topic-specific policy "
		 "must sit under the top-level information security policy."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person", .flags = F_SET_NULL,
	 .help = "Who keeps the document current; their account may also submit its versions "
		 "for review."},
	{.name = "classification", .label = "Classification", .type = FT_ENUM,
	 .values = classifications, .def = "\"internal\"",
	 .help = "Who may see the document, by the organization's classification scheme."},
	{.name = "audience", .label = "Audience", .type = FT_ENUM, .values = audiences,
	 .def = "\"all_staff\"",
	 .help = "Who needs to know the document: all staff, holders of some roles, named "
		 "people, or parties outside the organization."},
	{.name = "audience_roles", .label = "Audience roles", .type = FT_REFS, .ref = "role",
	 .flags = F_SET_NULL,
	 .help = "For the audience \"roles\": the organization's roles whose holders must know "
		 "it, e.g. \"Risk owner\" and \"System administrator\"."},
	{.name = "audience_people", .label = "Audience people", .type = FT_REFS, .ref = "person",
	 .flags = F_SET_NULL,
	 .help = "For the audience \"named people\": the people who must know it."},
	{.name = "review_months", .label = "Review every (months)", .type = FT_INT, .min = 1,
	 .max = 60, .def = "12",
	 .help = "How often the document is looked at again, counted from the approval of the "
		 "published version."},
	{.name = "next_review", .label = "Next review", .type = FT_DATE, .flags = F_READONLY,
	 .help = "Computed: the approval date of the published version plus the review "
		 "interval; empty while nothing is published."},
	{.name = "retention_months", .label = "Keep for (months)", .type = FT_INT, .min = 1,
	 .max = 1200, .help = "How long the document, or a record made with it, is kept."},
	{.name = "disposal_method", .label = "Disposal", .type = FT_TEXT, .max_len = 300,
	 .help = "How it is disposed of at the end of retention, e.g. \"secure deletion\"."},
	{.name = "retain_until", .label = "Keep until", .type = FT_DATE, .flags = F_READONLY,
	 .help = "Computed for records and withdrawn documents: the latest approval plus the "
		 "retention period. After it the document is due for disposal."},
	{.name = "disposed_on", .label = "Disposed of on", .type = FT_DATE, .flags = F_PAST,
	 .help = "When it was disposed of at the end of retention; it is then no longer due."},
	{.name = "origin", .label = "Origin", .type = FT_TEXT, .flags = F_SEARCH, .max_len = 300,
	 .help = "For external documents: who issued it (a standard body, a supplier, a "
		 "regulator)."},
	{.name = "origin_version", .label = "Origin version", .type = FT_TEXT, .max_len = 100,
	 .help = "For external documents: the edition or version held."},
	{.name = "approval_role", .label = "Approved by role", .type = FT_REF, .ref = "role",
	 .flags = F_SET_NULL, .since = 3,
	 .help = "The organization's role whose holders approve versions of this document. "
		 "Empty: holders of a role that approves documents. Top management may always "
		 "approve, and alone approves the top-level information security policy."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = version_states, .def = "\"draft\"",
	 .help = "The status of the current version: the published one if there is one, "
		 "otherwise the newest."},
	{.name = "current_version", .label = "Current version", .type = FT_REF,
	 .ref = "document_version", .flags = F_READONLY | F_SET_NULL,
	 .help = "The published version, or while none is published the newest one."},
	{.name = "acknowledged_percent", .label = "Acknowledged (%)", .type = FT_INT,
	 .flags = F_DERIVED,
	 .help = "The share of the audience that acknowledged the published version; empty "
		 "while nothing is published or the audience is outside the organization."},
	{.name = "can_version", .label = "You may write versions", .type = FT_BOOL,
	 .flags = F_DERIVED,
	 .help = "Whether your account may write a new version of this document: ISMS managers, "
		 "administrators and the owner's own account may."},
	{.name = "ack_target", .label = "Acknowledgement target (%)", .type = FT_INT, .min = 1,
	 .max = 100, .def = "90", .since = 2,
	 .help = "The share of the audience that must acknowledge the version in force for the "
		 "document to count as communicated (7.3); 90 unless set."},
};

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

static bool blank(const char *s)
{
	return !s || !*s;
}


/* Recomputes a document's status, current_version and next_review from its versions.
   self, if not NULL, is a version being changed whose new state is not stored yet. */
static int doc_compute(struct ctx *c, json_t *doc, const json_t *self, struct err *e)
{
	long long doc_id = json_int(doc, "id");
	long long self_id = self ? json_int(self, "id") : 0;
	long long cur = 0, cur_num = 0, pub = 0, pub_num = 0;
	char cur_state[16] = "draft", pub_approved[11] = "", last_approved[11] = "";
	if (doc_id) {
		struct query q = {.type = "document_version",
				  .where = {QEQ("document", SVI(doc_id))},
				  .order = "number"};
		json_t *versions, *v;
		size_t i;
		if (query_records(c, &q, &versions, e) < 0)
			return -1;
		json_array_foreach(versions, i, v) {
			long long id = json_int(v, "id"), num = json_int(v, "number");
			const json_t *now = id == self_id ? self : v;
			const char *st = json_str(now, "status"), *ap = json_str(now, "approved_on");
			if (num >= cur_num) {
				cur = id;
				cur_num = num;
				snprintf(cur_state, sizeof cur_state, "%s", st ? st : "draft");
			}
			if (ap && strcmp(ap, last_approved) > 0)
				snprintf(last_approved, sizeof last_approved, "%s", ap);
			if (is(st, "published") && num >= pub_num) {
				pub = id;
				pub_num = num;
				snprintf(pub_approved, sizeof pub_approved, "%s", ap ? ap : "");
			}
		}
		json_decref(versions);
	}
	if (pub) {
		json_object_set_new(doc, "current_version", json_integer(pub));
		json_set_str(doc, "status", "published");
	} else {
		json_object_set_new(doc, "current_version", cur ? json_integer(cur) : json_null());
		json_set_str(doc, "status", cur_state);
	}
	if (pub && pub_approved[0]) {
		char next[11];
		json_t *months = json_object_get(doc, "review_months");
		clock_add_months(pub_approved, json_is_integer(months) ? json_integer_value(months) : 12,
			   next);
		json_set_str(doc, "next_review", next);
	} else {
		json_set_str(doc, "next_review", NULL);
	}
	/* Records are kept from their approval, other documents once withdrawn. */
	json_t *keep = json_object_get(doc, "retention_months");
	bool kept = is(json_str(doc, "kind"), "record") || is(json_str(doc, "status"), "withdrawn");
	if (json_is_integer(keep) && kept && last_approved[0] &&
	    blank(json_str(doc, "disposed_on"))) {
		char until[11];
		clock_add_months(last_approved, json_integer_value(keep), until);
		json_set_str(doc, "retain_until", until);
	} else {
		json_set_str(doc, "retain_until", NULL);
	}
	return 0;
}

/* Brings the stored document of a version up to date with its versions (logged as its own
   change when anything moved). */
static int doc_sync(struct ctx *c, long long doc_id, const json_t *self, struct err *e)
{
	json_t *doc;
	if (record_get_stored(c, &documents_type, doc_id, &doc, e) < 0)
		return -1;
	json_t *before = json_deep_copy(doc);
	int rc = doc_compute(c, doc, self, e);
	static const char *const watched[] = {"status", "current_version", "next_review",
					      "retain_until", NULL};
	bool moved = false;
	for (int i = 0; watched[i]; i++)
		moved = moved || !json_equal(json_object_get(before, watched[i]),
					     json_object_get(doc, watched[i]));
	if (rc == 0 && moved)
		rc = record_save(c, &documents_type, doc, json_int(doc, "version"), "follow_version",
				 NULL, e);
	json_decref(before);
	json_decref(doc);
	return rc;
}

static int check_audience_roles(const json_t *rec, struct err *e)
{
	json_t *roles = json_object_get(rec, "audience_roles");
	if (is(json_str(rec, "audience"), "roles") && json_array_size(roles) == 0)
		return err_set(e, ERR_INVALID, "audience_roles",
			       "Audience roles: name at least one role when the audience is "
			       "\"roles\"");
	return 0;
}

static int document_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			     const json_t *old, struct err *e)
{
	const char *kind = json_str(rec, "kind");
	long long id = json_int(rec, "id"), parent = json_int(rec, "parent");
	if (is(kind, "information_security_policy")) {
		if (parent)
			return err_set(e, ERR_INVALID, "parent",
				       "Sits under: the top-level information security policy heads "
				       "the framework and sits under no other document");
		json_object_set_new(rec, "approval_role", json_null());
	}
	if (is(kind, "topic_specific_policy")) {
		json_t *p;
		if (!parent)
			return err_set(e, ERR_INVALID, "parent",
				       "Sits under: a topic-specific policy must sit under the "
				       "top-level information security policy");
		if (record_get_stored(c, rt, parent, &p, e) < 0)
			return -1;
		bool ok = is(json_str(p, "kind"), "information_security_policy");
		json_decref(p);
		if (!ok)
			return err_set(e, ERR_INVALID, "parent",
				       "Sits under: a topic-specific policy must sit under an "
				       "information security policy, not under another kind of "
				       "document");
	}
	/* Walk up the parents: a document may not end up under itself. */
	for (long long at = parent, depth = 0; id && at && depth < 64; depth++) {
		if (at == id)
			return err_set(e, ERR_INVALID, "parent",
				       "Sits under: a document cannot sit under itself");
		json_t *up;
		if (record_get_stored(c, rt, at, &up, e) < 0)
			return -1;
		at = json_int(up, "parent");
		json_decref(up);
	}
	/* A top-level policy with topic-specific policies beneath it keeps its kind. */
	if (old && is(json_str(old, "kind"), "information_security_policy") &&
	    !is(kind, "information_security_policy")) {
		long long n;
		struct query q = {.type = "document",
				  .where = {QEQ("parent", SVI(id)),
					    QEQ("kind", SVS("topic_specific_policy"))}};
		if (query_count(c, &q, &n, e) < 0)
			return -1;
		if (n > 0)
			return err_set(e, ERR_CONFLICT, "kind",
				       "%lld topic-specific policies sit under this policy; move them "
				       "first",
				       n);
	}
	if (is(kind, "external")) {
		if (blank(json_str(rec, "origin")))
			return err_set(e, ERR_INVALID, "origin",
				       "Origin: say who issued this external document");
		if (blank(json_str(rec, "origin_version")))
			return err_set(e, ERR_INVALID, "origin_version",
				       "Origin version: say which edition of the external document "
				       "is held");
	}
	if (check_audience_roles(rec, e) < 0)
		return -1;
	json_t *named = json_object_get(rec, "audience_people");
	if (is(json_str(rec, "audience"), "named_people") &&
	    (!json_is_array(named) || json_array_size(named) == 0))
		return err_set(e, ERR_INVALID, "audience_people",
			       "Audience people: name at least one person when the audience is "
			       "\"named people\"");
	return doc_compute(c, rec, NULL, e);
}

static bool is_editor(const struct ctx *c)
{
	return c->system || actor_has(&c->actor, EDITORS);
}

/* Editors, and the document owner's own account, may write a document's versions. */
static bool owns(const struct ctx *c, const json_t *doc)
{
	return c->actor.person_id && c->actor.person_id == json_int(doc, "owner");
}

static int document_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			     struct err *e)
{
	(void)rt;
	json_t *percent = json_null();
	if (is(json_str(rec, "status"), "published") && ack_percent(c, rec, &percent, e) < 0)
		return -1;
	json_object_set_new(rec, "acknowledged_percent", percent);
	json_object_set_new(rec, "can_version", json_boolean(is_editor(c) || owns(c, rec)));
	return 0;
}

static const char *const document_closed[] = {"withdrawn", NULL};
static const struct due_rule document_due[] = {
	{.date_field = "next_review",
	 .owner_field = "owner",
	 .status_field = "status",
	 .closed = document_closed,
	 .what = "document review"},
	{.date_field = "retain_until", .owner_field = "owner", .what = "disposal"},
	{0},
};

const struct record_type documents_type = {
	.name = "document",
	.plural = "documents",
	.table = "documents",
	.label = "document",
	.label_plural = "documents",
	.clause = "7.5",
	.help = "The register of controlled documents: policies, procedures and other documented "
		"information, with owner, audience, review and retention. Their text lives in "
		"versions.",
	.section = "7",
	.title_field = "title",
	.default_sort = "identifier",
	.fields = document_fields,
	.nfields = sizeof document_fields / sizeof document_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
	.validate = document_validate,
	.decorate = document_decorate,
	.due = document_due,
};

/* ---- Versions ---------------------------------------------------------------------- */

static const char *const frozen_states[] = {"approved", "published", "withdrawn", NULL};

static const struct field version_fields[] = {
	{.name = "document", .label = "Document", .type = FT_REF, .ref = "document",
	 .flags = F_REQUIRED | F_INDEX, .help = "The document this is a version of."},
	{.name = "number", .label = "Version", .type = FT_INT, .flags = F_READONLY,
	 .help = "1, 2, 3… per document; assigned by isms."},
	{.name = "title", .label = "Name", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 60, .help = "The document's identifier and the version number, e.g. "
			       "\"POL-001 v2\"; set by isms."},
	{.name = "body", .label = "Text", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .max_len = 200000,
	 .help = "The document's text in Markdown. A new policy version starts from a template "
		 "of the usual sections."},
	{.name = "change_summary", .label = "What changed", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 1000, .help = "What is new in this version, for readers and reviewers."},
	{.name = "author", .label = "Author", .type = FT_TEXT, .flags = F_READONLY, .max_len = 64,
	 .help = "The account that created this version; it may not approve it."},
	{.name = "reviewer_comments", .label = "Reviewer comments", .type = FT_MARKDOWN,
	 .help = "Remarks from the review."},
	{.name = "approver", .label = "Approved by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The account that approved this version."},
	{.name = "approved_on", .label = "Approved on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "The day it was approved (UTC)."},
	{.name = "content_hash", .label = "Content hash", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64,
	 .help = "SHA-256 of the text as approved: anyone can check that what is shown is what "
		 "was approved."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY | F_INDEX,
	 .values = version_states, .def = "\"draft\"",
	 .help = "Draft, in review, approved, published, or withdrawn. Approved, published and "
		 "withdrawn versions cannot be changed."},
	{.name = "attachments", .label = "Evidence files", .type = FT_REFS, .ref = "attachment",
	 .flags = F_SET_NULL,
	 .help = "Uploaded files that belong to this version, such as a signed copy or its "
		 "appendices; once the version is approved they are kept with it and cannot be "
		 "deleted."},
};

/* A policy version's starting text: the usual sections with a hint each, in our words. */
static const char policy_template[] =
	"# Administrative data\n\n"
	"_Identifier, owner, approver, classification, audience and the date of the next "
	"review. Filled in from the document register._\n\n"
	"# Summary\n\n"
	"_Two or three sentences a busy reader can take away._\n\n"
	"# Introduction\n\n"
	"_Why the organization has this policy and what prompted it._\n\n"
	"# Scope\n\n"
	"_Which people, sites, systems and information it covers, and anything it leaves "
	"out._\n\n"
	"# Objectives and principles\n\n"
	"_What the policy aims to achieve, and the principles that guide decisions under "
	"it._\n\n"
	"# Responsibilities\n\n"
	"_Who does what: owners, managers, staff, suppliers._\n\n"
	"# Key outcomes\n\n"
	"_What will be true when the policy works, and how that can be seen._\n\n"
	"# Related policies\n\n"
	"_The policies above, beside and below this one in the framework._\n\n"
	"# Requirements\n\n"
	"_The rules themselves, each one short and checkable._\n\n"
	"# References\n\n"
	"_Laws, contracts, standards and other documents this policy relies on._\n\n"
	"# Glossary\n\n"
	"_Terms a reader might not know, with their meaning here._\n";

static int version_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			    const json_t *old, struct err *e)
{
	(void)rt;
	long long doc_id = json_int(rec, "document");
	if (old && doc_id != json_int(old, "document"))
		return err_set(e, ERR_INVALID, "document",
			       "Document: a version stays with its document; start a version of "
			       "the other document instead");
	json_t *doc;
	if (record_get_stored(c, &documents_type, doc_id, &doc, e) < 0)
		return -1;
	int ret = -1;
	bool text_changed = !old || !json_equal(json_object_get(old, "body"),
						json_object_get(rec, "body")) ||
			    !json_equal(json_object_get(old, "change_summary"),
					json_object_get(rec, "change_summary"));
	if (text_changed && !is_editor(c) && !owns(c, doc)) {
		err_set(e, ERR_FORBIDDEN, NULL,
			"only an ISMS manager, an administrator or the document owner's own "
			"account may write versions of %s",
			json_str(doc, "identifier"));
		goto out;
	}
	if (!old) {
		static const char *const unfinished[] = {"draft", "in_review", NULL};
		struct query open_q = {.type = "document_version",
				       .where = {QEQ("document", SVI(doc_id)),
						 QIN_TEXT("status", unfinished)}};
		struct query all_q = {.type = "document_version",
				      .where = {QEQ("document", SVI(doc_id))}};
		long long open, last;
		json_t *max;
		if (query_count(c, &open_q, &open, e) < 0 ||
		    query_max(c, &all_q, "number", &max, e) < 0)
			goto out;
		last = json_integer_value(max); /* 0 when there is none */
		json_decref(max);
		if (open > 0) {
			err_set(e, ERR_CONFLICT, "document",
				"%s already has a version in draft or in review; finish or delete "
				"it before starting another",
				json_str(doc, "identifier"));
			goto out;
		}
		char title[64];
		snprintf(title, sizeof title, "%.40s v%lld", json_str(doc, "identifier"), last + 1);
		json_object_set_new(rec, "number", json_integer(last + 1));
		json_set_str(rec, "title", title);
		json_set_str(rec, "author", c->actor.username);
		const char *kind = json_str(doc, "kind");
		if (blank(json_str(rec, "body")) &&
		    (is(kind, "information_security_policy") || is(kind, "topic_specific_policy")))
			json_set_str(rec, "body", policy_template);
	}
	ret = 0;
out:
	json_decref(doc);
	return ret;
}

static int version_after_write(struct ctx *c, const struct record_type *rt, const json_t *rec,
			       const json_t *input, struct err *e)
{
	(void)rt;
	(void)input;
	return doc_sync(c, json_int(rec, "document"), NULL, e);
}

static int load_doc(struct ctx *c, const json_t *rec, json_t **doc, struct err *e)
{
	return record_get_stored(c, &documents_type, json_int(rec, "document"), doc, e);
}

static int submit_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
			 struct err *e)
{
	(void)rt;
	if (is_editor(c))
		return 0;
	json_t *doc;
	if (load_doc(c, rec, &doc, e) < 0)
		return -1;
	bool ok = owns(c, doc);
	json_decref(doc);
	if (!ok)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only an ISMS manager, an administrator or the document owner's own "
			       "account may submit a version for review");
	return 0;
}

/* Authority to approve comes from the organization's roles held on the decision's day:
   top management always; otherwise the role the document names, or when it names none a
   role that approves documents. The top-level policy is top management's alone. */
static int approve_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
			  struct err *e)
{
	(void)rt;
	json_t *doc;
	char what[120];
	if (load_doc(c, rec, &doc, e) < 0)
		return -1;
	bool top = is(json_str(doc, "kind"), "information_security_policy");
	snprintf(what, sizeof what, "approve versions of %s", json_str(doc, "identifier"));
	int ret = authority_check(c, top ? 0 : json_int(doc, "approval_role"),
				  top ? AUTH_NAMED_ONLY : AUTH_APPROVE_DOCUMENTS, what, e);
	json_decref(doc);
	return ret;
}

/* Versions are written by editors and by the document owner's own account, whatever
   application role that account has; while in review, whoever may approve it may add
   reviewer comments (version_validate keeps the text to the others). */
static int version_can_change(struct ctx *c, const struct record_type *rt, const json_t *rec,
			      struct err *e)
{
	json_t *doc;
	if (is_editor(c))
		return 0;
	if (load_doc(c, rec, &doc, e) < 0)
		return -1;
	int ret = 0;
	if (!owns(c, doc) &&
	    (!is(json_str(rec, "status"), "in_review") || approve_permit(c, rt, rec, e) < 0))
		ret = err_set(e, ERR_FORBIDDEN, NULL,
			      "only an ISMS manager, an administrator or the owner of %s may change "
			      "its versions (and, while one is in review, whoever may approve it)",
			      json_str(doc, "identifier"));
	json_decref(doc);
	return ret;
}

static int approve_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
			 struct err *e)
{
	if (is(json_str(rec, "author"), ctx_decider(c)))
		return err_set(e, ERR_CONFLICT, NULL,
			       "you wrote this version, so someone else must approve it: the "
			       "approver may not be the author (four eyes)");
	/* Whoever changed its text, even while it was in review, does not approve it either. */
	static const char *const comments[] = {"reviewer_comments", NULL};
	return record_check_four_eyes(c, rt, json_int(rec, "id"), comments, "approve it", e);
}

static int follow_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			struct err *e)
{
	(void)rt;
	return doc_sync(c, json_int(rec, "document"), rec, e);
}

static int approve_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	char hash[SEC_HASH_HEX];
	const char *body = json_str(rec, "body");
	sec_sha256_hex(body ? body : "", body ? strlen(body) : 0, hash);
	record_stamp(c, rec, "approver", "approved_on");
	json_set_str(rec, "content_hash", hash);
	return follow_apply(c, rt, rec, e);
}

/* The version published before this one of the same document is withdrawn. */
static int publish_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e)
{
	if (record_supersede_others(c, rt, rec, "document", "published", "withdrawn", "withdraw",
				    e) < 0)
		return -1;
	return follow_apply(c, rt, rec, e);
}

static const char *const from_draft[] = {"draft", NULL};
static const char *const from_review[] = {"in_review", NULL};
static const char *const from_approved[] = {"approved", NULL};
static const char *const from_published[] = {"published", NULL};
static const char *const submit_requires[] = {"body", NULL};

static int acknowledge_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
			      struct err *e)
{
	(void)rt;
	return ack_permit(c, rec, e);
}

static int acknowledge_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			     struct err *e)
{
	(void)rt;
	return ack_record_self(c, rec, e);
}

static const struct action version_actions[] = {
	{.name = "submit", .label = "Submit for review",
	 .help = "The draft is ready for review and approval.",
	 .from = from_draft, .to = "in_review", .roles = ROLES_ALL, .requires = submit_requires,
	 .permit = submit_permit, .apply = follow_apply},
	{.name = "approve", .label = "Approve",
	 .help = "Approves the version as reviewed (7.5.2 c); its text is fixed and hashed. Only "
		 "the role the document names may approve, and never the version's author.",
	 .from = from_review, .to = "approved", .roles = ROLES_ALL, .permit = approve_permit,
	 .guard = approve_guard, .apply = approve_apply,
	 .effective = true},
	{.name = "publish", .label = "Publish",
	 .help = "Makes the approved version the one in force; the version published before it "
		 "is withdrawn.",
	 .from = from_approved, .to = "published", .roles = EDITORS, .apply = publish_apply,
	 .effective = true},
	{.name = "withdraw", .label = "Withdraw",
	 .help = "Takes the published version out of force without a successor.",
	 .from = from_published, .to = "withdrawn", .roles = EDITORS, .apply = follow_apply},
	{.name = "acknowledge", .label = "I have read and understood",
	 .help = "Records that you read and understood this published version; only people in "
		 "the document's audience acknowledge, once per version.",
	 .from = from_published, .roles = ROLES_ALL, .permit = acknowledge_permit,
	 .apply = acknowledge_apply,
	 .effective = true, .personal = true},
};

const struct record_type document_versions_type = {
	.name = "document_version",
	.plural = "document-versions",
	.table = "document_versions",
	.label = "document version",
	.label_plural = "document versions",
	.clause = "7.5.2 c, 7.5.3",
	.help = "The texts of controlled documents, one numbered version after another, each "
		"reviewed, approved by someone other than its author, and published.",
	.section = "7",
	.title_field = "title",
	.default_sort = "-id",
	.fields = version_fields,
	.nfields = sizeof version_fields / sizeof version_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = ROLES_ALL,
	.state_field = "status",
	.frozen = frozen_states,
	.actions = version_actions,
	.nactions = sizeof version_actions / sizeof version_actions[0],
	.since = 1,
	.validate = version_validate,
	.can_change = version_can_change,
	.after_write = version_after_write,
};

static const struct record_type *const c7_5_types[] = {
	&documents_type,
	&document_versions_type,
};

static const struct view *const c7_5_views[] = {
	&diff_view,
	&document_register_view,
	&document_version_view,
};

const struct module c7_5_module = {
	.clause = "7.5",
	.title = "Documented information",
	.file = __FILE__,
	.types = c7_5_types,
	.ntypes = COUNT_OF(c7_5_types),
	.views = c7_5_views,
	.nviews = COUNT_OF(c7_5_views),
};
