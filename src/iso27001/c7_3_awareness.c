/* c7_3_awareness.c — 7.3: awareness campaigns (a topic, its material or the policy it asks
   people to read, its audience, its period, due date and target) and the completions of the
   people in its audience, recorded by them or for them. Completions are evidence: never
   changed, only deleted when recorded in error. Also the 7.3 module, which holds the policy
   acknowledgements (c7_3_acknowledgements.c) too. */
#include "c7_3_awareness.h"
#include "c7_3_acknowledgements.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- Campaigns --------------------------------------------------------------------- */

static const char *const campaign_states[] = {"planned", "running", "closed", "cancelled", NULL};

static const struct field campaign_fields[] = {
	{.name = "topic", .label = "Topic", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_SEARCH | F_INDEX, .max_len = 200,
	 .help = "What people should know or do, e.g. \"Spotting phishing\" or \"Read the "
		 "acceptable use policy\"."},
	{.name = "document", .label = "Policy or document", .type = FT_REF, .ref = "document",
	 .flags = F_INDEX,
	 .help = "The document people are asked to read, if the campaign is about one. Whoever "
		 "acknowledged its version in force counts as having completed the campaign."},
	{.name = "content", .label = "Content", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "The message or material: what is taught, where the e-learning or the slides "
		 "are. Needed when no document is named."},
	{.name = "audience_all", .label = "Everyone", .type = FT_BOOL, .def = "false",
	 .help = "Meant for every active person in the staff directory."},
	{.name = "audience_departments", .label = "Departments", .type = FT_JSON,
	 .help = "Meant for the people of these departments, as a list of department names as "
		 "the staff directory writes them, e.g. [\"Engineering\", \"Sales\"]."},
	{.name = "audience_roles", .label = "Roles", .type = FT_REFS, .ref = "role",
	 .help = "Meant for whoever holds one of these organizational roles during the "
		 "campaign."},
	{.name = "audience_people", .label = "People", .type = FT_REFS, .ref = "person",
	 .help = "Meant for these people by name."},
	{.name = "owner", .label = "Run by", .type = FT_REF, .ref = "person", .flags = F_INDEX,
	 .help = "Who organizes the campaign and follows up those who have not completed it."},
	{.name = "starts_on", .label = "Starts", .type = FT_DATE, .flags = F_REQUIRED | F_INDEX,
	 .help = "The first day of the campaign."},
	{.name = "ends_on", .label = "Ends", .type = FT_DATE, .flags = F_REQUIRED,
	 .help = "The last day of the campaign; its coverage is judged once it has ended."},
	{.name = "due_on", .label = "Complete by", .type = FT_DATE, .flags = F_REQUIRED,
	 .help = "The day by which people should have completed it; after it, those who have "
		 "not are overdue while the campaign runs."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .values = campaign_states,
	 .flags = F_INDEX, .def = "\"planned\"",
	 .help = "Planned, running, closed once it is over, or cancelled (then it counts for "
		 "nothing)."},
	{.name = "target", .label = "Target (%)", .type = FT_INT, .min = 1, .max = 100,
	 .def = "90",
	 .help = "The share of the audience that must complete it, in whole percent."},
	{.name = "audience_size", .label = "Audience", .type = FT_INT, .flags = F_DERIVED,
	 .help = "How many active people the campaign is meant for."},
	{.name = "completed", .label = "Completed", .type = FT_INT, .flags = F_DERIVED,
	 .help = "How many of them completed it, recorded or by acknowledging the document."},
	{.name = "coverage", .label = "Coverage (%)", .type = FT_INT, .flags = F_DERIVED,
	 .help = "The share of the audience that completed it; empty for an empty audience."},
};

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/* Department names must be a list of names someone in the directory has. */
static int check_departments(struct ctx *c, const json_t *list, struct err *e)
{
	size_t i;
	json_t *d;
	if (json_is_null(list) || !list)
		return 0;
	if (!json_is_array(list) || json_array_size(list) > 50)
		return err_set(e, ERR_INVALID, "audience_departments",
			       "Departments: give a list of at most 50 department names, e.g. "
			       "[\"Engineering\"]");
	json_array_foreach(list, i, d) {
		const char *name = json_string_value(d);
		if (!name || !name[0] || strlen(name) > 200)
			return err_set(e, ERR_INVALID, "audience_departments",
				       "Departments: each must be a department name (text of at most "
				       "200 characters)");
		struct query q = {.type = "person", .where = {QEQ("department", SVS(name))}};
		bool known;
		if (query_exists(c, &q, &known, e) < 0)
			return -1;
		if (!known)
			return err_set(e, ERR_INVALID, "audience_departments",
				       "Departments: nobody in the staff directory is in \"%s\"", name);
	}
	return 0;
}

static int campaign_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			     const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	const char *from = json_str(rec, "starts_on"), *until = json_str(rec, "ends_on"),
		   *due = json_str(rec, "due_on");
	char today[11];
	if (!json_int(rec, "document") && !(json_str(rec, "content") && json_str(rec, "content")[0]))
		return err_set(e, ERR_INVALID, "content",
			       "Content: describe the material, or name the document people must "
			       "read");
	json_t *depts = json_object_get(rec, "audience_departments");
	if (check_departments(c, depts, e) < 0)
		return -1;
	if (!json_is_true(json_object_get(rec, "audience_all")) && !json_array_size(depts) &&
	    !json_array_size(json_object_get(rec, "audience_roles")) &&
	    !json_array_size(json_object_get(rec, "audience_people")))
		return err_set(e, ERR_INVALID, "audience_all",
			       "Audience: choose everyone, or name departments, roles or people");
	if (from && until && strcmp(until, from) < 0)
		return err_set(e, ERR_INVALID, "ends_on", "Ends must not be before Starts");
	if (from && due && strcmp(due, from) < 0)
		return err_set(e, ERR_INVALID, "due_on", "Complete by must not be before Starts");
	ctx_today(c, today);
	if (is(json_str(rec, "status"), "running") && from && strcmp(from, today) > 0)
		return err_set(e, ERR_INVALID, "status",
			       "Status: a campaign that starts on %s cannot be running yet", from);
	return 0;
}

/* Audience size, completions and coverage, shown with every campaign. */
static int campaign_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			     struct err *e)
{
	(void)rt;
	json_t *line;
	if (awareness_coverage_line(c, rec, false, &line, e) < 0)
		return -1;
	json_object_set(rec, "audience_size", json_object_get(line, "audience_size"));
	json_object_set(rec, "completed", json_object_get(line, "completed"));
	json_object_set(rec, "coverage", json_object_get(line, "percent"));
	json_decref(line);
	return 0;
}

/* The "complete" action: a person in the audience of a running campaign says they have
   completed it, and isms records the completion under their name. */
static int complete_permit(struct ctx *c, const struct record_type *rt, const json_t *rec,
			   struct err *e)
{
	(void)rt;
	json_t *audience = NULL, *done = NULL, *p;
	size_t i;
	bool member = false;
	char key[24];
	int ret = -1;
	if (!c->actor.person_id)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "your account is not linked to a person, so isms cannot record who "
			       "completed this; ask an administrator to link it");
	if (!is(json_str(rec, "status"), "running"))
		return err_set(e, ERR_CONFLICT, "status",
			       "\"%s\" is %s: only a running campaign can be completed",
			       json_text(rec, "topic"), json_text(rec, "status"));
	if (awareness_audience(c, rec, &audience, e) < 0 ||
	    awareness_completed(c, rec, &done, e) < 0)
		goto out;
	json_array_foreach(audience, i, p)
		member = member || json_int(p, "person") == c->actor.person_id;
	snprintf(key, sizeof key, "%lld", c->actor.person_id);
	if (!member)
		err_set(e, ERR_FORBIDDEN, "person", "you are not in the audience of \"%s\"",
			json_text(rec, "topic"));
	else if (json_object_get(done, key))
		err_set(e, ERR_CONFLICT, "person", "your completion of \"%s\" is already recorded",
			json_text(rec, "topic"));
	else
		ret = 0;
out:
	json_decref(audience);
	json_decref(done);
	return ret;
}

static int complete_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			  struct err *e)
{
	(void)rt;
	json_t *input = json_build("{s:I, s:I}", "campaign", (json_int_t)json_int(rec, "id"),
				   "person", (json_int_t)c->actor.person_id),
	       *made = NULL;
	/* Staff may not write completions directly; this one is their own, made by isms under
	   their name. */
	bool was = c->system;
	c->system = true;
	int rc = record_create(c, &awareness_completions_type, input, &made, e);
	c->system = was;
	json_decref(input);
	json_decref(made);
	return rc;
}

static const struct action campaign_actions[] = {
	{.name = "complete", .label = "I have completed this",
	 .help = "Records that you completed this campaign today; only people in its audience, "
		 "once, while it runs.",
	 .roles = ROLES_ALL, .permit = complete_permit, .apply = complete_apply},
};

const struct record_type awareness_campaigns_type = {
	.name = "awareness_campaign",
	.plural = "awareness-campaigns",
	.table = "awareness_campaigns",
	.label = "awareness campaign",
	.label_plural = "awareness campaigns",
	.clause = "7.3",
	.help = "What people must know about information security, for whom and by when: "
		"training, e-learning, briefings, phishing exercises, policy reading.",
	.section = "7",
	.title_field = "topic",
	.default_sort = "-starts_on",
	.fields = campaign_fields,
	.nfields = sizeof campaign_fields / sizeof campaign_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 3,
	.actions = campaign_actions,
	.nactions = COUNT_OF(campaign_actions),
	.validate = campaign_validate,
	.decorate = campaign_decorate,
};

/* ---- Audience ---------------------------------------------------------------------- */

/* Adds the ids of the active people q finds to ids (an object used as a set). */
static int add_people(struct ctx *c, struct query *q, json_t *ids, struct err *e)
{
	json_t *found, *id;
	size_t i;
	if (query_ids(c, q, &found, e) < 0)
		return -1;
	json_array_foreach(found, i, id) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
		json_object_set_new(ids, key, json_true());
	}
	json_decref(found);
	return 0;
}

int awareness_audience(struct ctx *c, const json_t *campaign, json_t **out, struct err *e)
{
	json_t *ids = json_object(), *list = json_array(), *holders = NULL, *people = NULL;
	json_t *depts = json_object_get(campaign, "audience_departments"),
	       *roles = json_object_get(campaign, "audience_roles"),
	       *named = json_object_get(campaign, "audience_people");
	const char *from = json_text(campaign, "starts_on"), *until = json_text(campaign, "ends_on");
	int ret = -1;
	*out = NULL;
	if (json_is_true(json_object_get(campaign, "audience_all"))) {
		struct query q = {.type = "person", .where = {QEQ("active", SVI(1))}};
		if (add_people(c, &q, ids, e) < 0)
			goto out;
	}
	if (json_array_size(depts)) {
		struct query q = {.type = "person",
				  .where = {QEQ("active", SVI(1)), QIN("department", depts)}};
		if (add_people(c, &q, ids, e) < 0)
			goto out;
	}
	if (json_array_size(roles)) {
		/* Holders at any time during the campaign. */
		struct query held = {.type = "role_assignment",
				     .where = {QIN("role", roles), QLE("starts_on", SVS(until)),
					       QGE_OR_NULL("ends_on", SVS(from))}};
		if (query_values(c, &held, "person", &holders, e) < 0)
			goto out;
		struct query q = {.type = "person",
				  .where = {QEQ("active", SVI(1)), QIN("id", holders)}};
		if (json_array_size(holders) && add_people(c, &q, ids, e) < 0)
			goto out;
	}
	if (json_array_size(named)) {
		struct query q = {.type = "person",
				  .where = {QEQ("active", SVI(1)), QIN("id", named)}};
		if (add_people(c, &q, ids, e) < 0)
			goto out;
	}
	if (json_object_size(ids)) {
		json_t *set = json_array(), *v;
		const char *key;
		json_object_foreach(ids, key, v) {
			long long id;
			if (text_to_ll(key, 1, LLONG_MAX, &id))
				json_array_append_new(set, json_integer(id));
		}
		struct query q = {.type = "person", .where = {QIN("id", set)}, .order = "name"};
		int rc = query_records(c, &q, &people, e);
		json_decref(set);
		if (rc < 0)
			goto out;
		size_t i;
		json_t *p;
		json_array_foreach(people, i, p)
			json_array_append_new(list, json_build("{s:I, s:s}", "person",
							      (json_int_t)json_int(p, "id"), "name",
							      json_text(p, "name")));
	}
	*out = list;
	list = NULL;
	ret = 0;
out:
	json_decref(ids);
	json_decref(list);
	json_decref(holders);
	json_decref(people);
	return ret;
}

/* ---- Who completed ----------------------------------------------------------------- */

int awareness_completed(struct ctx *c, const json_t *campaign, json_t **out, struct err *e)
{
	json_t *done = json_object(), *rows = NULL, *row, *doc = NULL;
	size_t i;
	char key[24];
	*out = NULL;
	struct query q = {.type = "awareness_completion",
			  .where = {QEQ("campaign", SVI(json_int(campaign, "id")))}};
	if (query_records(c, &q, &rows, e) < 0)
		goto fail;
	json_array_foreach(rows, i, row) {
		snprintf(key, sizeof key, "%lld", json_int(row, "person"));
		json_object_set_new(done, key,
				    json_build("{s:s?, s:O?, s:s}", "on", json_str(row, "completed_on"),
					       "score", json_object_get(row, "score"), "via",
					       "completion"));
	}
	json_decref(rows);
	rows = NULL;
	/* Reading the policy the campaign names: the acknowledgements of its version in
	   force, derived here rather than copied into completions. */
	long long doc_id = json_int(campaign, "document");
	if (doc_id) {
		struct query dq = {.type = "document", .where = {QEQ("id", SVI(doc_id))}};
		if (query_first(c, &dq, &doc, e) < 0)
			goto fail;
		long long version = doc && is(json_str(doc, "status"), "published")
					    ? json_int(doc, "current_version")
					    : 0;
		struct query aq = {.type = "acknowledgement",
				   .where = {QEQ("document_version", SVI(version))}};
		if (version && query_records(c, &aq, &rows, e) < 0)
			goto fail;
		json_array_foreach(rows, i, row) {
			snprintf(key, sizeof key, "%lld", json_int(row, "person"));
			if (json_object_get(done, key))
				continue;
			const char *on = json_str(row, "acknowledged_on");
			char day[11] = "";
			if (!on && json_str(row, "acknowledged_at"))
				snprintf(day, sizeof day, "%s", json_str(row, "acknowledged_at"));
			json_object_set_new(done, key,
					    json_build("{s:s, s:n, s:s}", "on", on ? on : day, "score",
						       "via", "acknowledgement"));
		}
	}
	json_decref(rows);
	json_decref(doc);
	*out = done;
	return 0;
fail:
	json_decref(rows);
	json_decref(doc);
	json_decref(done);
	return -1;
}

/* ---- Completions ------------------------------------------------------------------- */

static const struct field completion_fields[] = {
	{.name = "campaign", .label = "Campaign", .type = FT_REF, .ref = "awareness_campaign",
	 .flags = F_REQUIRED | F_INDEX, .help = "The campaign completed."},
	{.name = "person", .label = "Person", .type = FT_REF, .ref = "person",
	 .flags = F_REQUIRED | F_INDEX,
	 .help = "Who completed it; they must belong to the campaign's audience."},
	{.name = "completed_on", .label = "Completed on", .type = FT_DATE, .flags = F_PAST | F_INDEX,
	 .help = "The day they completed it (attended, passed the e-learning); today when left "
		 "empty. More than a few days back needs a note saying where the evidence is."},
	{.name = "score", .label = "Score (%)", .type = FT_INT, .min = 0, .max = 100,
	 .help = "The result of a quiz or test, in percent, if there was one."},
	{.name = "note", .label = "Note", .type = FT_TEXT, .max_len = 500,
	 .help = "Where the evidence is, e.g. \"attendance list of the session of 12 March\"."},
	{.name = "recorded_by", .label = "Recorded by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The account that recorded it."},
	{.name = "title", .label = "Completion", .type = FT_TEXT, .flags = F_READONLY | F_SEARCH,
	 .max_len = 500, .help = "The campaign and the person; set by isms."},
};

static int completion_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			       const json_t *old, struct err *e)
{
	(void)rt;
	(void)old; /* append-only: validated on creation */
	json_t *campaign = NULL, *audience = NULL, *p;
	long long person = json_int(rec, "person");
	const char *on = json_str(rec, "completed_on");
	char today[11], name[200] = "";
	size_t i;
	bool member = false;
	int ret = -1;
	if (record_get_stored(c, &awareness_campaigns_type, json_int(rec, "campaign"), &campaign,
			      e) < 0)
		goto out;
	if (is(json_str(campaign, "status"), "cancelled")) {
		err_set(e, ERR_CONFLICT, "campaign",
			"\"%s\" was cancelled, so nobody completes it",
			json_text(campaign, "topic"));
		goto out;
	}
	if (awareness_audience(c, campaign, &audience, e) < 0)
		goto out;
	json_array_foreach(audience, i, p)
		member = member || json_int(p, "person") == person;
	if (!member) {
		if (record_title_of(c, registry_find(c->reg, "person"), person, name, sizeof name,
				    e) < 0)
			goto out;
		err_set(e, ERR_CONFLICT, "person",
			"%s is not in the audience of \"%s\", so there is nothing for them to "
			"complete",
			name[0] ? name : "this person", json_text(campaign, "topic"));
		goto out;
	}
	struct query dup = {.type = "awareness_completion",
			    .where = {QEQ("campaign", SVI(json_int(campaign, "id"))),
				      QEQ("person", SVI(person))}};
	bool exists;
	if (query_exists(c, &dup, &exists, e) < 0)
		goto out;
	if (exists) {
		err_set(e, ERR_CONFLICT, "person",
			"this person's completion of \"%s\" is already recorded",
			json_text(campaign, "topic"));
		goto out;
	}
	if (!on) {
		ctx_today(c, today);
		json_set_str(rec, "completed_on", today);
		on = json_str(rec, "completed_on");
	} else if (record_check_effective(c, "completed_on", on, "note", json_str(rec, "note"), e) <
		   0) {
		goto out;
	}
	if (strcmp(on, json_text(campaign, "starts_on")) < 0) {
		err_set(e, ERR_INVALID, "completed_on",
			"Completed on: \"%s\" starts on %s; a completion cannot come before it",
			json_text(campaign, "topic"), json_text(campaign, "starts_on"));
		goto out;
	}
	record_stamp(c, rec, "recorded_by", NULL);
	ret = 0;
out:
	json_decref(campaign);
	json_decref(audience);
	return ret;
}

static const char *const completion_title[] = {"campaign", "person", NULL};

const struct record_type awareness_completions_type = {
	.name = "awareness_completion",
	.plural = "awareness-completions",
	.table = "awareness_completions",
	.label = "awareness completion",
	.label_plural = "awareness completions",
	.clause = "7.3",
	.help = "Who completed which awareness campaign and when, with the score of a quiz if "
		"there was one; recorded by an ISMS manager, also on someone's behalf.",
	.section = "7",
	.title_field = "title",
	.title_from = completion_title,
	.default_sort = "-id",
	.fields = completion_fields,
	.nfields = sizeof completion_fields / sizeof completion_fields[0],
	.read_roles = ROLES_ALL & ~RB(ROLE_STAFF),
	.write_roles = EDITORS,
	.since = 3,
	.append_only = true,
	.validate = completion_validate,
};

/* ---- The module -------------------------------------------------------------------- */

static const struct record_type *const c7_3_types[] = {
	&acknowledgements_type,
	&awareness_campaigns_type,
	&awareness_completions_type,
};

static const struct view *const c7_3_views[] = {
	&reading_view,
	&acknowledgements_view,
	&awareness_coverage_view,
};

const struct module c7_3_module = {
	.clause = "7.3",
	.title = "Awareness",
	.file = __FILE__,
	.types = c7_3_types,
	.ntypes = COUNT_OF(c7_3_types),
	.views = c7_3_views,
	.nviews = COUNT_OF(c7_3_views),
	.checks = awareness_checks,
	.due = awareness_due,
	.sql = ack_sql,
};
