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
#include "../../src/iso27001/people.h"
#include "../../src/engine/record.h"
#include "../../src/engine/schema.h"
#include "../../src/iso27001/iso.h"
#include "../support/fixture.h"
#include "../support/widget.h"
#include "../../src/engine/users.h"
#include "../../src/store/changes.h"

static struct registry reg;

static void registry_load(void)
{
	reg = *widget_registry();
}

struct fx {
	struct fixture x;
	long long ann, bob, cy; /* people */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	*state = f;
	if (!f || fixture_open(&f->x, "record", &reg) < 0)
		return -1;
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	f->ann = fixture_mk(&f->x, &people_type,
			    "{\"name\": \"Ann Lee\", \"email\": \"ann@example.org\"}");
	f->bob = fixture_mk(&f->x, &people_type, "{\"name\": \"Bob Stone\"}");
	f->cy = fixture_mk(&f->x, &people_type, "{\"name\": \"Cy Young\"}");
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->x);
	free(f);
	return 0;
}

/* ---- create, read, update, delete ---------------------------------------------------- */

static void test_create_fills_defaults_and_meta(void **state)
{
	struct fx *f = *state;
	json_t *w, *got;
	struct err e;
	long long before = fixture_changes(&f->x);
	/* Meta keys in the input are ignored, not errors. */
	assert_int_equal(fixture_create(&f->x, &widget_type,
				  "{\"title\": \"First\", \"id\": 999, \"version\": 7, "
				  "\"created_at\": \"x\", \"actions\": []}",
				  &w, &e),
			 0);
	assert_true(fixture_id(w) > 0);
	assert_true(fixture_id(w) != 999);
	assert_int_equal(fixture_version(w), 1);
	assert_string_equal(json_string_value(json_object_get(w, "created_at")), f->x.c.now);
	assert_string_equal(json_string_value(json_object_get(w, "updated_at")), f->x.c.now);
	fixture_assert_field(w, "title", "\"First\"");
	fixture_assert_field(w, "status", "\"draft\"");
	fixture_assert_field(w, "flag", "false");
	fixture_assert_field(w, "members", "[]");
	fixture_assert_field(w, "watchers", "[]");
	fixture_assert_field(w, "kind", "null");
	fixture_assert_field(w, "count", "null");
	fixture_assert_field(w, "owner", "null");
	fixture_assert_field(w, "approval_note", "null");
	assert_null(json_object_get(w, "actions"));
	assert_int_equal(fixture_changes(&f->x), before + 1);
	/* What was returned is what is stored. */
	got = fixture_get(&f->x, &widget_type, fixture_id(w));
	assert_true(json_equal(w, got));
	json_decref(got);
	json_decref(w);
}

static void test_every_field_type_round_trips(void **state)
{
	struct fx *f = *state;
	json_t *w, *got;
	struct err e;
	char json[512];
	snprintf(json, sizeof json,
		 "{\"title\": \"007\", \"body\": \"# Heading\\n\\nsome *text* \\u00e9\", "
		 "\"count\": -9007199254740993, \"flag\": true, \"kind\": \"gamma\", "
		 "\"due\": \"2024-02-29\", \"owner\": %lld, \"members\": [%lld, %lld], "
		 "\"contact\": %lld, \"email\": \"x.y+z@example.co.uk\", \"score\": 5, "
		 "\"watchers\": [%lld]}",
		 f->ann, f->cy, f->bob, f->bob, f->ann);
	assert_int_equal(fixture_create(&f->x, &widget_type, json, &w, &e), 0);
	got = fixture_get(&f->x, &widget_type, fixture_id(w));
	assert_true(json_equal(w, got));
	fixture_assert_field(got, "title", "\"007\""); /* numeric-looking text stays text */
	fixture_assert_field(got, "count", "-9007199254740993");
	fixture_assert_field(got, "flag", "true");
	fixture_assert_field(got, "due", "\"2024-02-29\"");
	char want[64];
	snprintf(want, sizeof want, "[%lld,%lld]", f->bob, f->cy);
	fixture_assert_field(got, "members", want);
	json_decref(got);
	json_decref(w);
}

static void test_update_merges_and_bumps_version(void **state)
{
	struct fx *f = *state;
	json_t *w, *u;
	struct err e;
	char json[256];
	snprintf(json, sizeof json,
		 "{\"title\": \"Merge me\", \"body\": \"old\", \"count\": 3, \"kind\": \"beta\", "
		 "\"owner\": %lld}",
		 f->ann);
	long long id = fixture_mk(&f->x, &widget_type, json);
	w = fixture_get(&f->x, &widget_type, id);
	char created[32];
	snprintf(created, sizeof created, "%s",
		 json_string_value(json_object_get(w, "created_at")));
	snprintf(f->x.c.now, sizeof f->x.c.now, "2099-01-02T03:04:05.678Z");
	long long before = fixture_changes(&f->x);
	assert_int_equal(
		fixture_update_if(&f->x, &widget_type, id, "{\"body\": \"new\", \"kind\": null}", -1, &u, &e),
		0);
	assert_int_equal(fixture_changes(&f->x), before + 1);
	assert_int_equal(fixture_version(u), 2);
	fixture_assert_field(u, "body", "\"new\"");
	fixture_assert_field(u, "kind", "null");
	fixture_assert_field(u, "title", "\"Merge me\"");
	fixture_assert_field(u, "count", "3");
	assert_string_equal(json_string_value(json_object_get(u, "updated_at")),
			    "2099-01-02T03:04:05.678Z");
	assert_string_equal(json_string_value(json_object_get(u, "created_at")), created);
	json_t *again = fixture_get(&f->x, &widget_type, id);
	assert_true(json_equal(u, again));
	json_decref(again);
	json_decref(u);

	/* An empty string clears a field like a blank form input; for a flag it means false. */
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id,
				  "{\"body\": \"\", \"owner\": \"\", \"flag\": \"\"}", 2, &u, &e),
			 0);
	fixture_assert_field(u, "body", "null");
	fixture_assert_field(u, "owner", "null");
	fixture_assert_field(u, "flag", "false");
	assert_int_equal(fixture_version(u), 3);
	json_decref(u);
	json_decref(w);
}

static void test_update_cannot_change_id(void **state)
{
	struct fx *f = *state;
	json_t *u;
	struct err e;
	long long id = fixture_mk(&f->x, &widget_type, "{\"title\": \"Fixed id\"}");
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id, "{\"id\": 4242, \"count\": 1}",
	                                   -1, &u, &e),
	                 0);
	assert_int_equal(fixture_id(u), id);
	json_decref(u);
	assert_int_equal(record_get(&f->x.c, &widget_type, 4242, &u, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
}

static void test_not_found(void **state)
{
	struct fx *f = *state;
	json_t *out;
	struct err e;
	err_clear(&e);
	assert_int_equal(record_get(&f->x.c, &widget_type, 12345, &out, &e), -1);
	assert_null(out);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_int_equal(
		fixture_update_if(&f->x, &widget_type, 12345, "{\"count\": 1}", -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_int_equal(fixture_delete_if(&f->x, &widget_type, 12345, -1, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_int_equal(fixture_act(&f->x, &widget_type, 12345, "submit", NULL, -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
}

static void test_delete_removes_record_and_links(void **state)
{
	struct fx *f = *state;
	json_t *out;
	struct err e;
	char json[128];
	snprintf(json, sizeof json, "{\"title\": \"Doomed\", \"owner\": %lld, \"members\": [%lld]}",
		 f->ann, f->bob);
	long long id = fixture_mk(&f->x, &widget_type, json);
	struct store_val p[] = {SVS("test_widget"), SVI(id)};
	assert_int_equal(
		fixture_sql_int(&f->x,
	                        "SELECT count(*) FROM record_links WHERE from_type = $1 AND "
	                        "from_id = $2",
	                        p, 2),
		2);
	long long before = fixture_changes(&f->x);
	assert_int_equal(fixture_delete_if(&f->x, &widget_type, id, 1, &e), 0);
	assert_int_equal(fixture_changes(&f->x), before + 1);
	assert_int_equal(record_get(&f->x.c, &widget_type, id, &out, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_int_equal(
		fixture_sql_int(&f->x,
	                        "SELECT count(*) FROM record_links WHERE from_type = $1 AND "
	                        "from_id = $2",
	                        p, 2),
		0);
	/* Ann is no longer referred to, so she can go now. */
	assert_int_equal(fixture_delete_if(&f->x, &people_type, f->ann, -1, &e), 0);
}

/* ---- validation ---------------------------------------------------------------------- */

struct bad_input {
	const char *json, *field;
	enum err_code code;
};

static void test_validation_names_the_field(void **state)
{
	struct fx *f = *state;
	char long51[64], json[256];
	memset(long51, 'x', 51);
	long51[51] = '\0';
	snprintf(json, sizeof json, "{\"title\": \"%s\"}", long51);
	const struct bad_input cases[] = {
		{"{}", "title", ERR_INVALID}, /* required */
		{"{\"title\": null}", "title", ERR_INVALID},
		{"{\"title\": \"\"}", "title", ERR_INVALID}, /* empty clears: required */
		{"{\"title\": \"a\", \"nope\": 1}", "nope", ERR_INVALID}, /* unknown field */
		{"{\"title\": \"a\", \"status\": \"approved\"}", "status",
		 ERR_INVALID}, /* read-only */
		{"{\"title\": \"a\", \"approval_note\": \"x\"}", "approval_note", ERR_INVALID},
		{"{\"title\": 5}", "title", ERR_INVALID},
		{"{\"title\": [\"a\"]}", "title", ERR_INVALID},
		{json, "title", ERR_INVALID}, /* longer than 50 */
		{"{\"title\": \"a\", \"body\": 5}", "body", ERR_INVALID},
		{"{\"title\": \"a\", \"body\": {}}", "body", ERR_INVALID},
		{"{\"title\": \"a\", \"count\": \"5\"}", "count", ERR_INVALID},
		{"{\"title\": \"a\", \"count\": 1.5}", "count", ERR_INVALID},
		{"{\"title\": \"a\", \"count\": true}", "count", ERR_INVALID},
		{"{\"title\": \"a\", \"score\": 0}", "score", ERR_INVALID}, /* range 1..5 */
		{"{\"title\": \"a\", \"score\": 6}", "score", ERR_INVALID},
		{"{\"title\": \"a\", \"flag\": \"yes\"}", "flag", ERR_INVALID},
		{"{\"title\": \"a\", \"flag\": 1}", "flag", ERR_INVALID},
		{"{\"title\": \"a\", \"kind\": \"delta\"}", "kind", ERR_INVALID}, /* enum */
		{"{\"title\": \"a\", \"kind\": \"Alpha\"}", "kind", ERR_INVALID},
		{"{\"title\": \"a\", \"kind\": 1}", "kind", ERR_INVALID},
		{"{\"title\": \"a\", \"due\": \"2026-02-30\"}", "due", ERR_INVALID}, /* bad date */
		{"{\"title\": \"a\", \"due\": \"30/01/2026\"}", "due", ERR_INVALID},
		{"{\"title\": \"a\", \"due\": \"2026-01-01T00:00:00Z\"}", "due", ERR_INVALID},
		{"{\"title\": \"a\", \"due\": 20260101}", "due", ERR_INVALID},
		{"{\"title\": \"a\", \"email\": \"nope\"}", "email", ERR_INVALID}, /* bad email */
		{"{\"title\": \"a\", \"email\": \"a@b\"}", "email", ERR_INVALID},
		{"{\"title\": \"a\", \"email\": \"a@b.\"}", "email", ERR_INVALID},
		{"{\"title\": \"a\", \"email\": \"@b.org\"}", "email", ERR_INVALID},
		{"{\"title\": \"a\", \"email\": \"a@@b.org\"}", "email", ERR_INVALID},
		{"{\"title\": \"a\", \"email\": \"a@b@c.org\"}", "email", ERR_INVALID},
		{"{\"title\": \"a\", \"email\": \"a b@c.org\"}", "email", ERR_INVALID},
		{"{\"title\": \"a\", \"email\": \"a@.org\"}", "email", ERR_INVALID},
		{"{\"title\": \"a\", \"owner\": 999}", "owner",
		 ERR_INVALID}, /* missing reference */
		{"{\"title\": \"a\", \"owner\": \"1\"}", "owner", ERR_INVALID},
		{"{\"title\": \"a\", \"owner\": 0}", "owner", ERR_INVALID},
		{"{\"title\": \"a\", \"owner\": -1}", "owner", ERR_INVALID},
		{"{\"title\": \"a\", \"owner\": true}", "owner", ERR_INVALID},
		{"{\"title\": \"a\", \"contact\": 999}", "contact", ERR_INVALID},
		{"{\"title\": \"a\", \"members\": 1}", "members", ERR_INVALID},
		{"{\"title\": \"a\", \"members\": [1, 999]}", "members", ERR_INVALID},
		{"{\"title\": \"a\", \"members\": [\"1\"]}", "members", ERR_INVALID},
		{"{\"title\": \"a\", \"members\": [0]}", "members", ERR_INVALID},
		{"{\"title\": \"a\", \"members\": \"\"}", "members", ERR_INVALID},
		{"{\"title\": \"a\", \"watchers\": [999]}", "watchers", ERR_INVALID},
		{"[]", "", ERR_INVALID}, /* not an object */
		{"\"title\"", "", ERR_INVALID},
	};
	long long before = fixture_changes(&f->x);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err e;
		json_t *out = (json_t *)1;
		int rc = fixture_create(&f->x, &widget_type, cases[i].json, &out, &e);
		if (rc != -1)
			fail_msg("case %zu %s: accepted", i, cases[i].json);
		if (out)
			fail_msg("case %zu: output set on failure", i);
		if (e.code != cases[i].code || strcmp(e.field, cases[i].field) != 0)
			fail_msg("case %zu %s: got %s field \"%s\" (%s), want %s field \"%s\"", i,
				 cases[i].json, err_code_name(e.code), e.field, e.message,
				 err_code_name(cases[i].code), cases[i].field);
		if (e.message[0] == '\0')
			fail_msg("case %zu: no message", i);
	}
	assert_int_equal(fixture_changes(&f->x), before);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM test_widgets", NULL, 0), 0);
}

static void test_validation_messages_are_specific(void **state)
{
	struct fx *f = *state;
	struct err e;
	assert_int_equal(fixture_create(&f->x, &widget_type,
	                                "{\"title\": \"a\", \"kind\": \"delta\"}", NULL, &e),
	                 -1);
	assert_non_null(strstr(e.message, "alpha, beta, gamma"));
	assert_int_equal(
		fixture_create(&f->x, &widget_type, "{\"title\": \"a\", \"owner\": 999}", NULL, &e),
		-1);
	assert_non_null(strstr(e.message, "999"));
	assert_int_equal(fixture_create(&f->x, &widget_type, "{\"title\": \"a\", \"nope\": 1}", NULL, &e),
			 -1);
	assert_non_null(strstr(e.message, "nope"));
}

static void test_boundaries_accepted(void **state)
{
	struct fx *f = *state;
	json_t *w;
	struct err e;
	char json[512], title[256];
	/* 50 characters exactly; then 50 two-byte characters (100 bytes): length counts
	   characters, not bytes. */
	memset(title, 'y', 50);
	title[50] = '\0';
	snprintf(json, sizeof json, "{\"title\": \"%s\", \"score\": 1}", title);
	assert_int_equal(fixture_create(&f->x, &widget_type, json, NULL, &e), 0);
	for (int i = 0; i < 50; i++)
		memcpy(title + 2 * i, "\xc3\xa9", 2);
	title[100] = '\0';
	snprintf(json, sizeof json, "{\"title\": \"%s\", \"score\": 5}", title);
	if (fixture_create(&f->x, &widget_type, json, &w, &e) < 0)
		fail_msg("50 two-byte characters refused: %s", e.message);
	assert_string_equal(json_string_value(json_object_get(w, "title")), title);
	json_decref(w);
	assert_int_equal(fixture_create(&f->x, &widget_type,
				  "{\"title\": \"dates\", \"due\": \"2000-02-29\", "
				  "\"email\": \"first.last@sub.example.org\"}",
				  NULL, &e),
			 0);
}

static void test_markdown_default_limit(void **state)
{
	struct fx *f = *state;
	struct err e;
	size_t n = 200001;
	char *body = malloc(n + 64);
	size_t at = (size_t)snprintf(body, n + 64, "{\"title\": \"big\", \"body\": \"");
	memset(body + at, 'b', n);
	snprintf(body + at + n, 64 - at, "\"}");
	assert_int_equal(fixture_create(&f->x, &widget_type, body, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "body");
	/* One character fewer is fine. */
	memmove(body + at + n - 1, body + at + n, 3);
	assert_int_equal(fixture_create(&f->x, &widget_type, body, NULL, &e), 0);
	free(body);
}

static void test_people_rules(void **state)
{
	struct fx *f = *state;
	struct err e;
	char json[128];
	/* people.email is an email field and unique. */
	assert_int_equal(
		fixture_create(&f->x, &people_type, "{\"name\": \"X\", \"email\": \"x@y\"}", NULL, &e), -1);
	assert_string_equal(e.field, "email");
	assert_int_equal(fixture_create(&f->x, &people_type,
				  "{\"name\": \"Ann Two\", \"email\": \"ann@example.org\"}", NULL,
				  &e),
			 -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.field, "email");
	/* Nobody manages themselves. */
	snprintf(json, sizeof json, "{\"manager\": %lld}", f->bob);
	assert_int_equal(fixture_update_if(&f->x, &people_type, f->bob, json, -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "manager");
	/* active defaults to true. */
	json_t *p = fixture_get(&f->x, &people_type, f->cy);
	fixture_assert_field(p, "active", "true");
	json_decref(p);
}

/* ---- references ---------------------------------------------------------------------- */

static void test_refs_sorted_and_deduplicated(void **state)
{
	struct fx *f = *state;
	json_t *w, *got;
	struct err e;
	char json[160], want[64];
	snprintf(json, sizeof json,
		 "{\"title\": \"Refs\", \"members\": [%lld, %lld, %lld, %lld, %lld]}", f->cy,
		 f->ann, f->cy, f->bob, f->ann);
	assert_int_equal(fixture_create(&f->x, &widget_type, json, &w, &e), 0);
	snprintf(want, sizeof want, "[%lld,%lld,%lld]", f->ann, f->bob, f->cy);
	fixture_assert_field(w, "members", want);
	got = fixture_get(&f->x, &widget_type, fixture_id(w));
	fixture_assert_field(got, "members", want);
	struct store_val p[] = {SVS("test_widget"), SVI(fixture_id(w)), SVS("members")};
	assert_int_equal(
		fixture_sql_int(&f->x,
	                        "SELECT count(*) FROM record_links WHERE from_type = $1 AND "
	                        "from_id = $2 AND field = $3",
	                        p, 3),
		3);
	json_decref(got);

	/* Updating replaces the set and its links. */
	json_t *u;
	snprintf(json, sizeof json, "{\"members\": [%lld, %lld]}", f->bob, f->bob);
	assert_int_equal(fixture_update_if(&f->x, &widget_type, fixture_id(w), json, -1, &u, &e), 0);
	snprintf(want, sizeof want, "[%lld]", f->bob);
	fixture_assert_field(u, "members", want);
	assert_int_equal(
		fixture_sql_int(&f->x,
	                        "SELECT count(*) FROM record_links WHERE from_type = $1 AND "
	                        "from_id = $2 AND field = $3",
	                        p, 3),
		1);
	json_decref(u);
	assert_int_equal(fixture_update_if(&f->x, &widget_type, fixture_id(w),
	                                   "{\"members\": null}", -1, &u, &e),
	                 0);
	fixture_assert_field(u, "members", "[]");
	json_decref(u);
	json_decref(w);
}

static void test_unique_conflict(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long a = fixture_mk(&f->x, &widget_type, "{\"title\": \"Unique\"}");
	long long b = fixture_mk(&f->x, &widget_type, "{\"title\": \"Other\"}");
	long long before = fixture_changes(&f->x);
	assert_int_equal(fixture_create(&f->x, &widget_type, "{\"title\": \"Unique\"}", NULL, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.field, "title");
	assert_int_equal(
		fixture_update_if(&f->x, &widget_type, b, "{\"title\": \"Unique\"}", -1, NULL, &e),
		-1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.field, "title");
	assert_int_equal(fixture_changes(&f->x), before);
	/* Keeping one's own value is no conflict. */
	assert_int_equal(fixture_update_if(&f->x, &widget_type, a,
	                                   "{\"title\": \"Unique\", \"count\": 1}", -1, NULL, &e),
	                 0);
}

static void test_stale_version(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long id = fixture_mk(&f->x, &widget_type, "{\"title\": \"Versioned\"}");
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id, "{\"count\": 1}", 1, NULL, &e), 0);
	long long before = fixture_changes(&f->x);
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id, "{\"count\": 2}", 1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_STALE);
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id, "{\"count\": 2}", 3, NULL, &e), -1);
	assert_int_equal(e.code, ERR_STALE);
	assert_int_equal(fixture_delete_if(&f->x, &widget_type, id, 1, &e), -1);
	assert_int_equal(e.code, ERR_STALE);
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "submit", NULL, 1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_STALE);
	assert_int_equal(fixture_changes(&f->x), before);
	json_t *w = fixture_get(&f->x, &widget_type, id);
	fixture_assert_field(w, "count", "1");
	assert_int_equal(fixture_version(w), 2);
	json_decref(w);
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id, "{\"count\": 2}", 2, NULL, &e), 0);
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "submit", NULL, 3, NULL, &e), 0);
	assert_int_equal(fixture_delete_if(&f->x, &widget_type, id, 4, &e), 0);
}

static void test_delete_referenced_is_in_use(void **state)
{
	struct fx *f = *state;
	struct err e;
	char json[128];
	snprintf(json, sizeof json, "{\"title\": \"Owned\", \"owner\": %lld}", f->ann);
	long long w1 = fixture_mk(&f->x, &widget_type, json);
	snprintf(json, sizeof json, "{\"title\": \"Membered\", \"members\": [%lld]}", f->bob);
	fixture_mk(&f->x, &widget_type, json);
	long long before = fixture_changes(&f->x);
	assert_int_equal(fixture_delete_if(&f->x, &people_type, f->ann, -1, &e), -1);
	assert_int_equal(e.code, ERR_IN_USE);
	assert_int_equal(fixture_delete_if(&f->x, &people_type, f->bob, -1, &e), -1);
	assert_int_equal(e.code, ERR_IN_USE);
	assert_int_equal(fixture_changes(&f->x), before);
	json_t *p = fixture_get(&f->x, &people_type, f->ann);
	json_decref(p);
	/* A person referred to as someone's manager is in use too. */
	snprintf(json, sizeof json, "{\"manager\": %lld}", f->cy);
	assert_int_equal(fixture_update_if(&f->x, &people_type, f->bob, json, -1, NULL, &e), 0);
	assert_int_equal(fixture_delete_if(&f->x, &people_type, f->cy, -1, &e), -1);
	assert_int_equal(e.code, ERR_IN_USE);
	/* Once the reference is gone, the delete works. */
	assert_int_equal(fixture_update_if(&f->x, &widget_type, w1, "{\"owner\": null}", -1, NULL, &e), 0);
	assert_int_equal(fixture_delete_if(&f->x, &people_type, f->ann, -1, &e), 0);
}

static void test_set_null_reference_is_cleared(void **state)
{
	struct fx *f = *state;
	struct err e;
	char json[160], want[64];
	snprintf(json, sizeof json, "{\"title\": \"Contacted\", \"contact\": %lld}", f->cy);
	long long w1 = fixture_mk(&f->x, &widget_type, json);
	snprintf(json, sizeof json, "{\"title\": \"Watched\", \"watchers\": [%lld, %lld]}",
		 f->bob, f->cy);
	long long w2 = fixture_mk(&f->x, &widget_type, json);
	long long before = fixture_changes(&f->x);
	assert_int_equal(fixture_delete_if(&f->x, &people_type, f->cy, -1, &e), 0);
	/* One update per referrer, one delete. */
	assert_int_equal(fixture_changes(&f->x), before + 3);
	json_t *got = fixture_get(&f->x, &widget_type, w1);
	fixture_assert_field(got, "contact", "null");
	assert_int_equal(fixture_version(got), 2);
	json_decref(got);
	got = fixture_get(&f->x, &widget_type, w2);
	snprintf(want, sizeof want, "[%lld]", f->bob);
	fixture_assert_field(got, "watchers", want);
	assert_int_equal(fixture_version(got), 2);
	json_decref(got);
	struct store_val p[] = {SVS("person"), SVI(f->cy)};
	assert_int_equal(
		fixture_sql_int(&f->x, "SELECT count(*) FROM record_links WHERE to_type = $1 AND to_id = $2", p,
			2),
		0);
	/* The referrer's history shows the clearing as an update. */
	json_t *h;
	assert_int_equal(changes_history(f->x.s, "test_widget", w1, "test widget", &h, &e), 0);
	json_t *items = json_object_get(h, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "op")),
			    "update");
	fixture_assert_field(json_object_get(json_array_get(items, 1), "state"), "contact", "null");
	json_decref(h);
}

/* A referrer that names the deleted record in two set-null fields is still one write. */
static void test_set_null_two_fields_of_one_record_is_one_update(void **state)
{
	struct fx *f = *state;
	struct err e;
	char json[160], want[64];
	snprintf(json, sizeof json,
		 "{\"title\": \"Both\", \"contact\": %lld, \"watchers\": [%lld, %lld]}", f->cy,
		 f->bob, f->cy);
	long long w = fixture_mk(&f->x, &widget_type, json);
	long long before = fixture_changes(&f->x);
	assert_int_equal(fixture_delete_if(&f->x, &people_type, f->cy, -1, &e), 0);
	json_t *got = fixture_get(&f->x, &widget_type, w);
	fixture_assert_field(got, "contact", "null");
	snprintf(want, sizeof want, "[%lld]", f->bob);
	fixture_assert_field(got, "watchers", want);
	long long version = fixture_version(got), added = fixture_changes(&f->x) - before;
	json_decref(got);
	if (version != 2 || added != 2)
		fail_msg("deleting the person bumped the widget to version %lld and added %lld "
			 "changes; want version 2 and 2 changes (one update, one delete)",
			 version, added);
}

static void test_set_null_does_not_override_restrict(void **state)
{
	struct fx *f = *state;
	struct err e;
	char json[160];
	snprintf(json, sizeof json, "{\"title\": \"Contact\", \"contact\": %lld}", f->ann);
	long long w1 = fixture_mk(&f->x, &widget_type, json);
	snprintf(json, sizeof json, "{\"title\": \"Owner\", \"owner\": %lld}", f->ann);
	fixture_mk(&f->x, &widget_type, json);
	long long before = fixture_changes(&f->x);
	assert_int_equal(fixture_delete_if(&f->x, &people_type, f->ann, -1, &e), -1);
	assert_int_equal(e.code, ERR_IN_USE);
	assert_int_equal(fixture_changes(&f->x), before);
	json_t *got = fixture_get(&f->x, &widget_type, w1);
	char want[32];
	snprintf(want, sizeof want, "%lld", f->ann);
	fixture_assert_field(got, "contact", want);
	assert_int_equal(fixture_version(got), 1);
	json_decref(got);
}

/* ---- lists --------------------------------------------------------------------------- */

static void seed_list(struct fx *f)
{
	char json[256];
	snprintf(json, sizeof json,
		 "{\"title\": \"Alpha one\", \"body\": \"Contains KEYWORD here\", \"count\": 3, "
		 "\"flag\": true, \"kind\": \"alpha\", \"owner\": %lld, \"members\": [%lld, %lld]}",
		 f->ann, f->ann, f->bob);
	fixture_mk(&f->x, &widget_type, json);
	snprintf(json, sizeof json,
		 "{\"title\": \"Beta two\", \"count\": 1, \"kind\": \"beta\", \"members\": [%lld]}",
		 f->bob);
	fixture_mk(&f->x, &widget_type, json);
	snprintf(json, sizeof json,
		 "{\"title\": \"Gamma three\", \"flag\": true, \"members\": [%lld]}", f->cy);
	fixture_mk(&f->x, &widget_type, json);
	fixture_mk(&f->x, &widget_type,
	   "{\"title\": \"delta four\", \"count\": 2, \"body\": \"nothing\", \"kind\": \"alpha\"}");
	fixture_mk(&f->x, &widget_type, "{\"title\": \"100% sure_thing\", \"count\": 5}");
}

/* Runs a list and returns the titles joined by '|' (caller frees); NULL on error. */
static char *list_titles(struct fx *f, const char *q, const char *sort, long long limit,
			 long long offset, const char *const *names, const char *const *values,
			 size_t n, long long *total, struct err *e)
{
	struct list_query lq = {.q = q, .sort = sort, .limit = limit, .offset = offset,
				.filter_names = names, .filter_values = values, .nfilters = n};
	json_t *out;
	err_clear(e);
	if (record_list(&f->x.c, &widget_type, &lq, &out, e) < 0) {
		assert_null(out);
		return NULL;
	}
	struct buf b = BUF_INIT;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(out, "items"), i, it) buf_printf(
		&b, "%s%s", i ? "|" : "", json_string_value(json_object_get(it, "title")));
	if (total)
		*total = json_integer_value(json_object_get(out, "total"));
	json_decref(out);
	return buf_detach(&b);
}

static void expect_list(struct fx *f, const char *q, const char *sort, const char *name,
			const char *value, const char *want)
{
	struct err e;
	const char *names[] = {name}, *values[] = {value};
	long long total = -1;
	char *got = list_titles(f, q, sort, 100, 0, names, values, name ? 1 : 0, &total, &e);
	if (!got)
		fail_msg("list q=%s sort=%s %s=%s failed: %s", q ? q : "", sort ? sort : "",
			 name ? name : "", value ? value : "", e.message);
	if (strcmp(got, want) != 0) {
		char copy[512];
		snprintf(copy, sizeof copy, "%s", got);
		free(got);
		fail_msg("list q=%s sort=%s %s=%s gave [%s], want [%s]", q ? q : "",
			 sort ? sort : "", name ? name : "", value ? value : "", copy, want);
	}
	/* total counts every match, and here every match fits on one page. */
	size_t n = *want ? 1 : 0;
	for (const char *p = want; *p; p++)
		n += *p == '|';
	assert_int_equal(total, n);
	free(got);
}

static void expect_list_error(struct fx *f, const char *sort, const char *name,
			      const char *value, const char *field)
{
	struct err e;
	const char *names[] = {name}, *values[] = {value};
	char *got = list_titles(f, NULL, sort, 100, 0, names, values, name ? 1 : 0, NULL, &e);
	if (got) {
		char copy[512];
		snprintf(copy, sizeof copy, "%s", got);
		free(got);
		fail_msg("list sort=%s %s=%s should fail, gave [%s]", sort ? sort : "",
			 name ? name : "", value ? value : "", copy);
	}
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, field);
}

static void test_list_default_sort_and_search(void **state)
{
	struct fx *f = *state;
	seed_list(f);
	/* Default sort is the title (byte order). */
	expect_list(f, NULL, NULL, NULL, NULL,
		    "100% sure_thing|Alpha one|Beta two|Gamma three|delta four");
	expect_list(f, "keyword", NULL, NULL, NULL, "Alpha one"); /* body, any case */
	expect_list(f, "TWO", NULL, NULL, NULL, "Beta two");
	expect_list(f, "o", NULL, NULL, NULL, "Alpha one|Beta two|delta four");
	expect_list(f, "nowhere", NULL, NULL, NULL, "");
	expect_list(f, "", NULL, NULL, NULL,
		    "100% sure_thing|Alpha one|Beta two|Gamma three|delta four");
	/* LIKE wildcards in q are literal characters. */
	expect_list(f, "%", NULL, NULL, NULL, "100% sure_thing");
	expect_list(f, "_", NULL, NULL, NULL, "100% sure_thing");
	expect_list(f, "a%e", NULL, NULL, NULL, "");
}

static void test_list_filters(void **state)
{
	struct fx *f = *state;
	char ann[24], bob[24], cy[24];
	seed_list(f);
	snprintf(ann, sizeof ann, "%lld", f->ann);
	snprintf(bob, sizeof bob, "%lld", f->bob);
	snprintf(cy, sizeof cy, "%lld", f->cy);
	expect_list(f, NULL, NULL, "members", bob, "Alpha one|Beta two"); /* membership */
	expect_list(f, NULL, NULL, "members", cy, "Gamma three");
	expect_list(f, NULL, NULL, "members", "999", "");
	expect_list(f, NULL, NULL, "owner", ann, "Alpha one");
	expect_list(f, NULL, NULL, "owner", "", /* empty = NULL */
		    "100% sure_thing|Beta two|Gamma three|delta four");
	expect_list(f, NULL, NULL, "kind", "alpha", "Alpha one|delta four");
	expect_list(f, NULL, NULL, "kind", "", "100% sure_thing|Gamma three");
	expect_list(f, NULL, NULL, "count", "", "Gamma three");
	expect_list(f, NULL, NULL, "count", "2", "delta four");
	expect_list(f, NULL, NULL, "body", "nothing", "delta four");
	expect_list(f, NULL, NULL, "flag", "true", "Alpha one|Gamma three");
	expect_list(f, NULL, NULL, "flag", "1", "Alpha one|Gamma three");
	expect_list(f, NULL, NULL, "flag", "false", "100% sure_thing|Beta two|delta four");
	expect_list(f, NULL, NULL, "flag", "0", "100% sure_thing|Beta two|delta four");
	expect_list(f, NULL, NULL, "status", "draft",
		    "100% sure_thing|Alpha one|Beta two|Gamma three|delta four");
	expect_list(f, NULL, NULL, "status", "review", "");
	expect_list(f, "o", NULL, "kind", "alpha", "Alpha one|delta four");

	/* Several filters together are all applied. */
	struct err e;
	const char *names[] = {"flag", "kind"}, *values[] = {"true", "alpha"};
	long long total;
	char *got = list_titles(f, NULL, NULL, 100, 0, names, values, 2, &total, &e);
	assert_non_null(got);
	assert_string_equal(got, "Alpha one");
	assert_int_equal(total, 1);
	free(got);
}

static void test_list_filter_by_id(void **state)
{
	struct fx *f = *state;
	seed_list(f);
	long long id = fixture_sql_int(
		&f->x, "SELECT id FROM test_widgets WHERE title = 'Beta two'", NULL, 0);
	char v[24];
	snprintf(v, sizeof v, "%lld", id);
	expect_list(f, NULL, NULL, "id", v, "Beta two");
	expect_list_error(f, NULL, "id", "x", "id");
}

static void test_list_bad_filters_name_the_field(void **state)
{
	struct fx *f = *state;
	seed_list(f);
	expect_list_error(f, NULL, "nope", "1", "nope");
	expect_list_error(f, NULL, "count", "abc", "count");
	expect_list_error(f, NULL, "count", "1x", "count");
	expect_list_error(f, NULL, "owner", "ann", "owner");
	expect_list_error(f, NULL, "flag", "maybe", "flag");
	expect_list_error(f, NULL, "flag", "", "flag");
	expect_list_error(f, NULL, "kind", "zzz", "kind");
	expect_list_error(f, NULL, "members", "x", "members");
	expect_list_error(f, NULL, "members", "", "members");
	expect_list_error(f, NULL, "title\" OR 1=1 --", "x", "title\" OR 1=1 --");
}

static void test_list_sort(void **state)
{
	struct fx *f = *state;
	seed_list(f);
	/* Empty values count as the largest: last ascending, first descending. */
	expect_list(f, NULL, "count", NULL, NULL,
		    "Beta two|delta four|Alpha one|100% sure_thing|Gamma three");
	expect_list(f, NULL, "-count", NULL, NULL,
		    "Gamma three|100% sure_thing|Alpha one|delta four|Beta two");
	/* Ties (and nulls) by id, in the same direction. */
	expect_list(f, NULL, "kind", NULL, NULL,
		    "Alpha one|delta four|Beta two|Gamma three|100% sure_thing");
	expect_list(f, NULL, "-kind", NULL, NULL,
		    "100% sure_thing|Gamma three|Beta two|delta four|Alpha one");
	expect_list(f, NULL, "-title", NULL, NULL,
		    "delta four|Gamma three|Beta two|Alpha one|100% sure_thing");
	expect_list(f, NULL, "id", NULL, NULL,
		    "Alpha one|Beta two|Gamma three|delta four|100% sure_thing");
	expect_list(f, NULL, "-id", NULL, NULL,
		    "100% sure_thing|delta four|Gamma three|Beta two|Alpha one");
	expect_list(f, NULL, "-created_at", NULL, NULL, /* all equal: ties by id */
		    "100% sure_thing|delta four|Gamma three|Beta two|Alpha one");
	expect_list_error(f, "nope", NULL, NULL, "sort");
	expect_list_error(f, "-nope", NULL, NULL, "sort");
	expect_list_error(f, "members", NULL, NULL, "sort");
	expect_list_error(f, "--count", NULL, NULL, "sort");
	expect_list_error(f, "count desc", NULL, NULL, "sort");
}

static void test_list_paging(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long total = -1;
	seed_list(f);
	char *got = list_titles(f, NULL, "count", 2, 1, NULL, NULL, 0, &total, &e);
	assert_non_null(got);
	assert_string_equal(got, "delta four|Alpha one");
	assert_int_equal(total, 5);
	free(got);
	got = list_titles(f, NULL, "count", 2, 4, NULL, NULL, 0, &total, &e);
	assert_string_equal(got, "Gamma three");
	assert_int_equal(total, 5);
	free(got);
	got = list_titles(f, NULL, "count", 10, 5, NULL, NULL, 0, &total, &e);
	assert_string_equal(got, "");
	assert_int_equal(total, 5);
	free(got);
	const char *names[] = {"flag"}, *values[] = {"true"};
	got = list_titles(f, NULL, NULL, 1, 0, names, values, 1, &total, &e);
	assert_string_equal(got, "Alpha one");
	assert_int_equal(total, 2);
	free(got);
	assert_null(list_titles(f, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, &e));
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "limit");
	assert_null(list_titles(f, NULL, NULL, 501, 0, NULL, NULL, 0, NULL, &e));
	assert_string_equal(e.field, "limit");
	assert_null(list_titles(f, NULL, NULL, 10, -1, NULL, NULL, 0, NULL, &e));
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "offset");
	got = list_titles(f, NULL, NULL, 500, 0, NULL, NULL, 0, &total, &e);
	assert_non_null(got);
	free(got);
}

static void test_list_items_carry_actions(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *out;
	fixture_mk(&f->x, &widget_type, "{\"title\": \"Acting\"}");
	struct list_query lq = {.limit = 10};
	assert_int_equal(record_list(&f->x.c, &widget_type, &lq, &out, &e), 0);
	json_t *it = json_array_get(json_object_get(out, "items"), 0);
	fixture_assert_field(it, "actions", "[\"submit\"]");
	json_decref(out);
	fixture_as(&f->x, ROLE_STAFF, "sam");
	assert_int_equal(record_list(&f->x.c, &widget_type, &lq, &out, &e), 0);
	it = json_array_get(json_object_get(out, "items"), 0);
	fixture_assert_field(it, "actions", "[]");
	json_decref(out);
}

/* ---- permissions --------------------------------------------------------------------- */

static void test_permissions(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *out;
	long long id = fixture_mk(&f->x, &widget_type, "{\"title\": \"Guarded\"}");
	long long before = fixture_changes(&f->x);
	fixture_as(&f->x, ROLE_STAFF, "sam");
	assert_int_equal(fixture_create(&f->x, &widget_type, "{\"title\": \"Nope\"}", NULL, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id, "{\"count\": 1}", -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_int_equal(fixture_delete_if(&f->x, &widget_type, id, -1, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_int_equal(fixture_create(&f->x, &people_type, "{\"name\": \"Nope\"}", NULL, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	/* Staff may read. */
	assert_int_equal(record_get(&f->x.c, &widget_type, id, &out, &e), 0);
	json_decref(out);
	/* Only admins read user accounts. */
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	struct list_query lq = {.limit = 10};
	assert_int_equal(record_list(&f->x.c, &users_type, &lq, &out, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_int_equal(record_get(&f->x.c, &users_type, 1, &out, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	/* A risk owner may write widgets but not people. */
	fixture_as(&f->x, ROLE_RISK_OWNER, "rita");
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id, "{\"count\": 2}", -1, NULL, &e), 0);
	assert_int_equal(
		fixture_update_if(&f->x, &people_type, f->ann, "{\"department\": \"IT\"}", -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_int_equal(fixture_changes(&f->x), before + 1);
}

/* ---- actions ------------------------------------------------------------------------- */

static char *actions_for(struct fx *f, enum role role, long long id)
{
	enum role saved = f->x.c.actor.role;
	json_t *rec = fixture_get(&f->x, &widget_type, id);
	f->x.c.actor.role = role;
	f->x.c.actor.roles = RB(role);
	record_add_actions(&f->x.c, &widget_type, rec);
	f->x.c.actor.role = saved;
	f->x.c.actor.roles = RB(saved);
	char *s = fixture_field_text(rec, "actions");
	json_decref(rec);
	return s;
}

static void expect_actions(struct fx *f, long long id, const char *const want[ROLE_COUNT])
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		char *got = actions_for(f, (enum role)r, id);
		if (strcmp(got, want[r]) != 0) {
			char copy[256];
			snprintf(copy, sizeof copy, "%s", got);
			free(got);
			fail_msg("actions for %s: %s, want %s", role_names[r], copy, want[r]);
		}
		free(got);
	}
}

static void test_actions_per_role_and_state(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long id = fixture_mk(&f->x, &widget_type, "{\"title\": \"Flow\"}");
	/* admin, isms_manager, top_management, risk_owner, control_owner, auditor, staff */
	static const char *const draft[ROLE_COUNT] = {"[\"submit\"]", "[\"submit\"]", "[]",
						      "[\"submit\"]", "[]", "[]", "[]"};
	static const char *const review[ROLE_COUNT] = {"[]", "[]", "[\"approve\"]", "[]",
						       "[]", "[]", "[]"};
	static const char *const approved[ROLE_COUNT] = {"[]", "[\"reopen\"]", "[]", "[]",
							 "[]", "[]", "[]"};
	expect_actions(f, id, draft);
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "submit", NULL, -1, NULL, &e), 0);
	expect_actions(f, id, review);
	fixture_as(&f->x, ROLE_TOP_MANAGEMENT, "tom");
	assert_int_equal(
		fixture_act(&f->x, &widget_type, id, "approve", "{\"note\": \"ok\"}", -1, NULL, &e),
		0);
	expect_actions(f, id, approved);
}

static void test_action_workflow(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *out;
	long long id = fixture_mk(&f->x, &widget_type, "{\"title\": \"Workflow\"}");
	long long before = fixture_changes(&f->x);

	/* Forbidden role. */
	fixture_as(&f->x, ROLE_STAFF, "sam");
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "submit", NULL, -1, &out, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_null(out);
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	assert_int_equal(
		fixture_act(&f->x, &widget_type, id, "approve", "{\"note\": \"x\"}", -1, NULL, &e),
		-1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	/* Unknown action. */
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "explode", NULL, -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	/* Parameters the action does not take. */
	assert_int_equal(
		fixture_act(&f->x, &widget_type, id, "submit", "{\"note\": \"x\"}", -1, NULL, &e),
		-1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "note");
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "submit", "[1]", -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(fixture_changes(&f->x), before);

	/* Allowed: submit. */
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "submit", NULL, -1, &out, &e), 0);
	fixture_assert_field(out, "status", "\"review\"");
	assert_int_equal(fixture_version(out), 2);
	json_decref(out);
	assert_int_equal(fixture_changes(&f->x), before + 1);
	/* Wrong state. */
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "submit", NULL, -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.field, "status");

	/* Required parameter. */
	fixture_as(&f->x, ROLE_TOP_MANAGEMENT, "tom");
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "approve", NULL, -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "note");
	assert_int_equal(
		fixture_act(&f->x, &widget_type, id, "approve", "{\"note\": \"\"}", -1, NULL, &e),
		-1);
	assert_string_equal(e.field, "note");
	assert_int_equal(
		fixture_act(&f->x, &widget_type, id, "approve", "{\"note\": null}", -1, NULL, &e),
		-1);
	assert_string_equal(e.field, "note");
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "approve",
	                             "{\"note\": \"ok\", \"extra\": 1}", -1, NULL, &e),
	                 -1);
	assert_string_equal(e.field, "extra");
	/* A parameter is validated like the field it fills. */
	assert_int_equal(
		fixture_act(&f->x, &widget_type, id, "approve", "{\"note\": 5}", -1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "approval_note");
	assert_int_equal(fixture_changes(&f->x), before + 1);

	assert_int_equal(fixture_act(&f->x, &widget_type, id, "approve",
	                             "{\"note\": \"Looks good\"}", -1, &out, &e),
	                 0);
	fixture_assert_field(out, "status", "\"approved\"");
	fixture_assert_field(out, "approval_note", "\"Looks good\"");
	assert_int_equal(fixture_version(out), 3);
	json_decref(out);
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "approve", "{\"note\": \"again\"}",
	                             -1, NULL, &e),
	                 -1);
	assert_int_equal(e.code, ERR_CONFLICT);

	/* Read-only fields stay read-only to edits, even after an action set them. */
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	assert_int_equal(
		fixture_update_if(&f->x, &widget_type, id, "{\"status\": \"draft\"}", -1, NULL, &e),
		-1);
	assert_string_equal(e.field, "status");
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "reopen", "{}", -1, &out, &e), 0);
	fixture_assert_field(out, "status", "\"draft\"");
	fixture_assert_field(out, "approval_note", "\"Looks good\"");
	json_decref(out);
	assert_int_equal(fixture_changes(&f->x), before + 3);
	json_t *stored = fixture_get(&f->x, &widget_type, id);
	fixture_assert_field(stored, "status", "\"draft\"");
	assert_int_equal(fixture_version(stored), 4);
	json_decref(stored);
}

/* ---- change log ---------------------------------------------------------------------- */

static void test_every_write_is_one_change_and_history_in_order(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *h;
	long long n0 = fixture_changes(&f->x);
	long long id = fixture_mk(&f->x, &widget_type, "{\"title\": \"Logged\"}");
	assert_int_equal(fixture_changes(&f->x), n0 + 1);
	assert_int_equal(fixture_update_if(&f->x, &widget_type, id, "{\"count\": 7}", -1, NULL, &e), 0);
	assert_int_equal(fixture_changes(&f->x), n0 + 2);
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "submit", NULL, -1, NULL, &e), 0);
	assert_int_equal(fixture_changes(&f->x), n0 + 3);
	fixture_as(&f->x, ROLE_TOP_MANAGEMENT, "tom");
	assert_int_equal(fixture_act(&f->x, &widget_type, id, "approve", "{\"note\": \"fine\"}", -1,
	                             NULL, &e),
	                 0);
	assert_int_equal(fixture_changes(&f->x), n0 + 4);
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	assert_int_equal(fixture_delete_if(&f->x, &widget_type, id, -1, &e), 0);
	assert_int_equal(fixture_changes(&f->x), n0 + 5);

	assert_int_equal(changes_history(f->x.s, "test_widget", id, "test widget", &h, &e), 0);
	json_t *items = json_object_get(h, "items");
	assert_int_equal(json_integer_value(json_object_get(h, "total")), 5);
	assert_int_equal(json_array_size(items), 5);
	static const char *const ops[] = {"create", "update", "submit", "approve", "delete"};
	static const char *const actors[] = {"mia", "mia", "mia", "tom", "mia"};
	static const char *const status[] = {"\"draft\"", "\"draft\"", "\"review\"",
					     "\"approved\""};
	long long prev = 0;
	for (size_t i = 0; i < 5; i++) {
		json_t *it = json_array_get(items, i);
		long long seq = json_integer_value(json_object_get(it, "seq"));
		assert_true(seq > prev);
		prev = seq;
		assert_string_equal(json_string_value(json_object_get(it, "op")), ops[i]);
		assert_string_equal(json_string_value(json_object_get(it, "actor")), actors[i]);
		json_t *st = json_object_get(it, "state");
		if (i < 4) {
			fixture_assert_field(st, "status", status[i]);
			assert_int_equal(fixture_version(st), (long long)i + 1);
		} else {
			assert_true(json_is_null(st));
		}
	}
	fixture_assert_field(json_object_get(json_array_get(items, 1), "state"), "count", "7");
	fixture_assert_field(json_array_get(items, 3), "detail", "{\"note\":\"fine\"}");
	fixture_assert_field(json_array_get(items, 0), "detail", "null");
	/* The last change is the newest sequence number in the log. */
	assert_int_equal(prev, fixture_sql_int(&f->x, "SELECT max(seq) FROM changes", NULL, 0));
	assert_int_equal(prev, fixture_sql_int(&f->x, "SELECT seq FROM chain_head WHERE id = 1", NULL, 0));
	json_decref(h);

	/* History of a record that never existed. */
	assert_int_equal(changes_history(f->x.s, "test_widget", 9999, "test widget", &h, &e), -1);
	assert_null(h);
	assert_int_equal(e.code, ERR_NOT_FOUND);
}

static void test_change_sequence_has_no_gaps(void **state)
{
	struct fx *f = *state;
	struct err e;
	for (int i = 0; i < 10; i++) {
		char json[64];
		snprintf(json, sizeof json, "{\"title\": \"n%d\"}", i);
		fixture_mk(&f->x, &widget_type, json);
		/* Failed writes leave no trace in the sequence. */
		assert_int_equal(fixture_create(&f->x, &widget_type, json, NULL, &e), -1);
	}
	long long n = fixture_changes(&f->x);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT max(seq) FROM changes", NULL, 0), n);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT min(seq) FROM changes", NULL, 0), 1);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(DISTINCT hash) FROM changes", NULL, 0), n);
}

static void test_record_title_and_registry_lookups(void **state)
{
	struct fx *f = *state;
	json_t *p = fixture_get(&f->x, &people_type, f->ann);
	assert_string_equal(record_title(&people_type, p), "Ann Lee");
	json_decref(p);
	json_t *empty = json_object();
	assert_string_equal(record_title(&widget_type, empty), "");
	json_decref(empty);
	assert_ptr_equal(registry_find(&reg, "test-widgets"), &widget_type);
	assert_ptr_equal(registry_find(&reg, "test_widget"), &widget_type);
	assert_ptr_equal(registry_find(&reg, "person"), &people_type);
	assert_null(registry_find(&reg, "widgets"));
	assert_non_null(record_field(&widget_type, "members"));
	assert_null(record_field(&widget_type, "id"));
	assert_int_equal(registry_role_parse(iso_registry(), "auditor"), ROLE_AUDITOR);
	assert_int_equal(registry_role_parse(iso_registry(), "root"), -1);
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	registry_load();
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_fills_defaults_and_meta),
		T(test_every_field_type_round_trips),
		T(test_update_merges_and_bumps_version),
		T(test_update_cannot_change_id),
		T(test_not_found),
		T(test_delete_removes_record_and_links),
		T(test_validation_names_the_field),
		T(test_validation_messages_are_specific),
		T(test_boundaries_accepted),
		T(test_markdown_default_limit),
		T(test_people_rules),
		T(test_refs_sorted_and_deduplicated),
		T(test_unique_conflict),
		T(test_stale_version),
		T(test_delete_referenced_is_in_use),
		T(test_set_null_reference_is_cleared),
		T(test_set_null_two_fields_of_one_record_is_one_update),
		T(test_set_null_does_not_override_restrict),
		T(test_list_default_sort_and_search),
		T(test_list_filters),
		T(test_list_filter_by_id),
		T(test_list_bad_filters_name_the_field),
		T(test_list_sort),
		T(test_list_paging),
		T(test_list_items_carry_actions),
		T(test_permissions),
		T(test_actions_per_role_and_state),
		T(test_action_workflow),
		T(test_every_write_is_one_change_and_history_in_order),
		T(test_change_sequence_has_no_gaps),
		T(test_record_title_and_registry_lookups),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
