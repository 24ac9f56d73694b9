/* test_record.c — the generic record engine on a fresh SQLite store: create, read, update,
   delete, validation, references, lists, permissions, workflow actions and the change log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/buf.h"
#include "../../src/base/sec.h"
#include "../../src/isms/people.h"
#include "../../src/isms/record.h"
#include "../../src/isms/schema.h"
#include "../../src/isms/types.h"
#include "../../src/isms/users.h"
#include "../../src/store/changes.h"

/* A private copy of the test-only widget type (tests/support/test_types.c), plus an email,
   a ranged integer and a set-null list of references. */
static const char *const kinds[] = {"alpha", "beta", "gamma", NULL};
static const char *const states[] = {"draft", "review", "approved", NULL};
static const char *const from_draft[] = {"draft", NULL};
static const char *const from_review[] = {"review", NULL};
static const char *const from_approved[] = {"approved", NULL};
static const char *const submit_requires[] = {"title", NULL};

static const struct field widget_fields[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 50},
	{.name = "body", .label = "Body", .type = FT_MARKDOWN, .flags = F_SEARCH},
	{.name = "count", .label = "Count", .type = FT_INT},
	{.name = "flag", .label = "Flag", .type = FT_BOOL},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .values = kinds},
	{.name = "due", .label = "Due", .type = FT_DATE},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person"},
	{.name = "members", .label = "Members", .type = FT_REFS, .ref = "person"},
	{.name = "contact", .label = "Contact", .type = FT_REF, .ref = "person", .flags = F_SET_NULL},
	{.name = "status", .label = "Status", .type = FT_ENUM, .values = states,
	 .flags = F_READONLY, .def = "\"draft\""},
	{.name = "approval_note", .label = "Approval note", .type = FT_TEXT, .flags = F_READONLY},
	{.name = "email", .label = "Email", .type = FT_EMAIL},
	{.name = "score", .label = "Score", .type = FT_INT, .min = 1, .max = 5},
	{.name = "watchers", .label = "Watchers", .type = FT_REFS, .ref = "person",
	 .flags = F_SET_NULL},
};

static const struct action_param approve_params[] = {
	{.name = "note", .field = "approval_note", .required = true},
};

static const struct action widget_actions[] = {
	{.name = "submit", .label = "Submit for review", .from = from_draft, .to = "review",
	 .roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER) | RB(ROLE_RISK_OWNER),
	 .requires = submit_requires},
	{.name = "approve", .label = "Approve", .from = from_review, .to = "approved",
	 .roles = RB(ROLE_TOP_MANAGEMENT), .params = approve_params, .nparams = 1},
	{.name = "reopen", .label = "Reopen", .from = from_approved, .to = "draft",
	 .roles = RB(ROLE_ISMS_MANAGER)},
};

static const struct record_type widget_type = {
	.name = "test_widget",
	.plural = "test-widgets",
	.table = "test_widgets",
	.label = "test widget",
	.label_plural = "test widgets",
	.clause = "test",
	.help = "A test-only record type.",
	.title_field = "title",
	.default_sort = "title",
	.fields = widget_fields,
	.nfields = sizeof widget_fields / sizeof widget_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER) | RB(ROLE_RISK_OWNER),
	.state_field = "status",
	.actions = widget_actions,
	.nactions = sizeof widget_actions / sizeof widget_actions[0],
	.since = 1,
};

static const struct record_type *types[128];
static struct registry reg;

static void registry_build(void)
{
	size_t n = 0;
	for (size_t i = 0; i < isms_registry.ntypes && n < 127; i++)
		types[n++] = isms_registry.types[i];
	types[n++] = &widget_type;
	reg.types = types;
	reg.ntypes = n;
	reg.schema_version = isms_registry.schema_version;
}

struct fx {
	char dir[64], path[128];
	struct store *s;
	struct ctx c;
	long long ann, bob, cy; /* people */
};

static json_t *js(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
	if (!v)
		fail_msg("bad JSON in test: %s: %s", text, je.text);
	return v;
}

static void as_role(struct fx *f, enum role role, const char *username)
{
	f->c.actor.role = role;
	f->c.actor.user_id = 0;
	snprintf(f->c.actor.username, sizeof f->c.actor.username, "%s", username);
}

/* Each write runs in its own transaction, committed on success and rolled back on error. */
static int w_create(struct fx *f, const struct record_type *rt, const char *json, json_t **out,
		    struct err *e)
{
	json_t *in = js(json), *rec = NULL;
	err_clear(e);
	assert_int_equal(store_begin(f->s, true, e), 0);
	int rc = record_create(&f->c, rt, in, &rec, e);
	if (rc == 0)
		rc = store_commit(f->s, e);
	else
		store_rollback(f->s);
	json_decref(in);
	if (out)
		*out = rec;
	else
		json_decref(rec);
	return rc;
}

static int w_update(struct fx *f, const struct record_type *rt, long long id, const char *json,
		    long long if_match, json_t **out, struct err *e)
{
	json_t *in = js(json), *rec = NULL;
	err_clear(e);
	assert_int_equal(store_begin(f->s, true, e), 0);
	int rc = record_update(&f->c, rt, id, in, if_match, &rec, e);
	if (rc == 0)
		rc = store_commit(f->s, e);
	else
		store_rollback(f->s);
	json_decref(in);
	if (out)
		*out = rec;
	else
		json_decref(rec);
	return rc;
}

static int w_delete(struct fx *f, const struct record_type *rt, long long id, long long if_match,
		    struct err *e)
{
	err_clear(e);
	assert_int_equal(store_begin(f->s, true, e), 0);
	int rc = record_delete(&f->c, rt, id, if_match, e);
	if (rc == 0)
		rc = store_commit(f->s, e);
	else
		store_rollback(f->s);
	return rc;
}

static int w_act(struct fx *f, long long id, const char *action, const char *body,
		 long long if_match, json_t **out, struct err *e)
{
	json_t *in = body ? js(body) : NULL, *rec = NULL;
	err_clear(e);
	assert_int_equal(store_begin(f->s, true, e), 0);
	int rc = record_act(&f->c, &widget_type, id, action, in, if_match, &rec, e);
	if (rc == 0)
		rc = store_commit(f->s, e);
	else
		store_rollback(f->s);
	json_decref(in);
	if (out)
		*out = rec;
	else
		json_decref(rec);
	return rc;
}

static long long id_of(const json_t *rec)
{
	return json_integer_value(json_object_get(rec, "id"));
}

static long long version_of(const json_t *rec)
{
	return json_integer_value(json_object_get(rec, "version"));
}

static long long mk(struct fx *f, const struct record_type *rt, const char *json)
{
	json_t *rec;
	struct err e;
	if (w_create(f, rt, json, &rec, &e) < 0)
		fail_msg("create %s %s failed: %s (%s)", rt->name, json, e.message, e.field);
	long long id = id_of(rec);
	json_decref(rec);
	return id;
}

static json_t *get(struct fx *f, const struct record_type *rt, long long id)
{
	json_t *rec;
	struct err e;
	err_clear(&e);
	if (record_get(&f->c, rt, id, &rec, &e) < 0)
		fail_msg("get %s %lld failed: %s", rt->name, id, e.message);
	return rec;
}

static long long sql_int(struct fx *f, const char *sql, const struct store_val *p, int n)
{
	struct err e;
	long long v = -1;
	err_clear(&e);
	if (store_query_int(f->s, sql, p, n, &v, NULL, &e) < 0)
		fail_msg("%s: %s", sql, e.message);
	return v;
}

static long long changes_count(struct fx *f)
{
	return sql_int(f, "SELECT count(*) FROM changes", NULL, 0);
}

/* The JSON text of rec[key], for compact assertions (caller frees). */
static char *field_text(const json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);
	return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("(absent)");
}

static void assert_field(const json_t *rec, const char *key, const char *want)
{
	char *got = field_text(rec, key);
	if (strcmp(got, want) != 0) {
		char copy[512];
		snprintf(copy, sizeof copy, "%s", got);
		free(got);
		fail_msg("%s is %s, want %s", key, copy, want);
	}
	free(got);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;
	err_clear(&e);
	snprintf(f->dir, sizeof f->dir, "/tmp/isms-test-record-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/isms.db", f->dir);
	if (store_open(&f->s, f->path, NULL, &e) < 0 || schema_migrate(f->s, &reg, NULL, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		return -1;
	}
	ctx_init(&f->c, f->s, &reg);
	as_role(f, ROLE_ISMS_MANAGER, "mia");
	*state = f;
	f->ann = mk(f, &people_type, "{\"name\": \"Ann Lee\", \"email\": \"ann@example.org\"}");
	f->bob = mk(f, &people_type, "{\"name\": \"Bob Stone\"}");
	f->cy = mk(f, &people_type, "{\"name\": \"Cy Young\"}");
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	static const char *const suffixes[] = {"", "-wal", "-shm", NULL};
	store_close(f->s);
	for (int i = 0; suffixes[i]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

