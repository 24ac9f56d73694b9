/* fixture.c — the unit tests' shared store, context, writes and assertions (fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "../../src/base/sec.h"
#include "../../src/engine/schema.h"

int fixture_open(struct fixture *f, const char *name, const struct registry *reg)
{
	struct err e;
	err_clear(&e);
	memset(f, 0, sizeof *f);
	if (sec_init() < 0)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/isms-test-%.20s-XXXXXX", name);
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/isms.db", f->dir);
	if (store_open(&f->s, f->path, NULL, &e) < 0 || schema_migrate(f->s, reg, NULL, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		return -1;
	}
	ctx_init(&f->c, f->s, reg);
	ctx_set_local_admin(&f->c);
	return 0;
}

void fixture_close(struct fixture *f)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", NULL};
	store_close(f->s);
	f->s = NULL;
	for (int i = 0; suffixes[i]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	rmdir(f->dir);
}

json_t *fixture_json(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
	if (!v)
		fail_msg("bad JSON in test: %s: %s", text, je.text);
	return v;
}

void fixture_as(struct fixture *f, enum role role, const char *username)
{
	f->c.actor.role = role;
	f->c.actor.roles = RB(role);
	f->c.actor.user_id = 7;
	snprintf(f->c.actor.username, sizeof f->c.actor.username, "%s", username);
}

/* Commits after a successful write, rolls back after a failed one. */
static int finish(struct fixture *f, int rc, struct err *e)
{
	if (rc == 0)
		return store_commit(f->s, e);
	store_rollback(f->s);
	return rc;
}

static void hand_out(json_t *rec, json_t **out)
{
	if (out)
		*out = rec;
	else
		json_decref(rec);
}

int fixture_create(struct fixture *f, const struct record_type *rt, const char *json,
		   json_t **out, struct err *e)
{
	json_t *in = fixture_json(json), *rec = NULL;
	err_clear(e);
	assert_int_equal(store_begin(f->s, true, e), 0);
	int rc = finish(f, record_create(&f->c, rt, in, &rec, e), e);
	json_decref(in);
	hand_out(rec, out);
	return rc;
}

int fixture_update_if(struct fixture *f, const struct record_type *rt, long long id,
		      const char *json, long long if_match, json_t **out, struct err *e)
{
	json_t *in = fixture_json(json), *rec = NULL;
	err_clear(e);
	assert_int_equal(store_begin(f->s, true, e), 0);
	int rc = finish(f, record_update(&f->c, rt, id, in, if_match, &rec, e), e);
	json_decref(in);
	hand_out(rec, out);
	return rc;
}

int fixture_update(struct fixture *f, const struct record_type *rt, long long id,
		   const char *json, json_t **out, struct err *e)
{
	return fixture_update_if(f, rt, id, json, -1, out, e);
}

int fixture_delete_if(struct fixture *f, const struct record_type *rt, long long id,
		      long long if_match, struct err *e)
{
	err_clear(e);
	assert_int_equal(store_begin(f->s, true, e), 0);
	return finish(f, record_delete(&f->c, rt, id, if_match, e), e);
}

int fixture_delete(struct fixture *f, const struct record_type *rt, long long id, struct err *e)
{
	return fixture_delete_if(f, rt, id, -1, e);
}

int fixture_act(struct fixture *f, const struct record_type *rt, long long id, const char *action,
		const char *body, long long if_match, json_t **out, struct err *e)
{
	json_t *in = body ? fixture_json(body) : NULL, *rec = NULL;
	err_clear(e);
	assert_int_equal(store_begin(f->s, true, e), 0);
	int rc = finish(f, record_act(&f->c, rt, id, action, in, if_match, &rec, e), e);
	json_decref(in);
	hand_out(rec, out);
	return rc;
}

long long fixture_mk(struct fixture *f, const struct record_type *rt, const char *json)
{
	json_t *rec;
	struct err e;
	if (fixture_create(f, rt, json, &rec, &e) < 0)
		fail_msg("create %s %s failed: %s (%s)", rt->name, json, e.message, e.field);
	long long id = fixture_id(rec);
	json_decref(rec);
	return id;
}

void fixture_upd(struct fixture *f, const struct record_type *rt, long long id, const char *json)
{
	struct err e;
	if (fixture_update(f, rt, id, json, NULL, &e) < 0)
		fail_msg("update %s %lld %s failed: %s (%s)", rt->name, id, json, e.message,
			 e.field);
}

json_t *fixture_get(struct fixture *f, const struct record_type *rt, long long id)
{
	json_t *rec;
	struct err e;
	err_clear(&e);
	if (record_get(&f->c, rt, id, &rec, &e) < 0)
		fail_msg("get %s %lld failed: %s", rt->name, id, e.message);
	return rec;
}

long long fixture_sql_int(struct fixture *f, const char *sql, const struct store_val *p, int n)
{
	struct err e;
	long long v = -1;
	err_clear(&e);
	if (store_query_int(f->s, sql, p, n, &v, NULL, &e) < 0)
		fail_msg("%s: %s", sql, e.message);
	return v;
}

long long fixture_changes(struct fixture *f)
{
	return fixture_sql_int(f, "SELECT count(*) FROM changes", NULL, 0);
}

long long fixture_id(const json_t *rec)
{
	return json_integer_value(json_object_get(rec, "id"));
}

long long fixture_version(const json_t *rec)
{
	return json_integer_value(json_object_get(rec, "version"));
}

char *fixture_field_text(const json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);
	return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("(absent)");
}

void fixture_assert_field(const json_t *rec, const char *key, const char *want)
{
	char *got = fixture_field_text(rec, key);
	if (strcmp(got, want) != 0) {
		char copy[512];
		snprintf(copy, sizeof copy, "%s", got);
		free(got);
		fail_msg("%s is %s, want %s", key, copy, want);
	}
	free(got);
}

void fixture_assert_err(int rc, const struct err *e, enum err_code code, const char *field)
{
	assert_int_equal(rc, -1);
	if (e->code != code)
		fail_msg("error %s (%s: %s), want %s", err_code_name(e->code), e->field, e->message,
			 err_code_name(code));
	if (field)
		assert_string_equal(e->field, field);
}
