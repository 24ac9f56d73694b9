/* test_users.c — accounts, passwords, sign-in with throttling, sessions, API tokens,
   disabling accounts and the last-admin rule, on a fresh SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/sec.h"
#include "../../src/engine/record.h"
#include "../../src/engine/schema.h"
#include "../../src/iso27001/iso.h"
#include "../../src/engine/users.h"
#include "../support/fixture.h"

#define ALICE_PW "alice-password-1"
#define BOB_PW "bob-password-22"

struct fx {
	struct fixture x;
	long long alice, bob; /* alice is the only admin; bob is staff */
};

/* Creates a user: its id into *id, and the password never comes back. */
static int user_create(struct fx *f, const char *json, long long *id, struct err *e)
{
	json_t *out = NULL;
	int rc = fixture_create(&f->x, &users_type, json, &out, e);
	if (rc == 0 && id)
		*id = fixture_id(out);
	if (rc == 0)
		assert_null(json_object_get(out, "password"));
	json_decref(out);
	return rc;
}

static int user_update(struct fx *f, long long id, const char *json, struct err *e)
{
	return fixture_update(&f->x, &users_type, id, json, NULL, e);
}

static int login(struct fx *f, const char *user, const char *pw, const char *addr,
		 char token[48], struct identity *id, struct err *e)
{
	char tok[48];
	struct identity ident;
	err_clear(e);
	int rc = users_login(&f->x.c, user, pw, addr, token ? token : tok, id ? id : &ident, e);
	assert_int_equal(f->x.s->tx_depth, 0); /* it manages its own transactions */
	return rc;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;
	err_clear(&e);
	*state = f;
	if (!f || fixture_open(&f->x, "users", iso_registry()) < 0)
		return -1;
	if (user_create(f,
			"{\"username\": \"alice\", \"name\": \"Alice Admin\", \"role\": \"admin\", "
			"\"password\": \"" ALICE_PW "\"}",
			&f->alice, &e) < 0 ||
	    user_create(f, "{\"username\": \"bob\", \"password\": \"" BOB_PW "\"}", &f->bob, &e) <
		    0) {
		fprintf(stderr, "setup users: %s (%s)\n", e.message, e.field);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->x);
	free(f);
	return 0;
}

static void test_login_success(void **state)
{
	struct fx *f = *state;
	struct err e;
	char token[48];
	struct identity id;
	if (login(f, "alice", ALICE_PW, "10.0.0.1", token, &id, &e) < 0)
		fail_msg("login: %s", e.message);
	assert_int_equal(strlen(token), 43);
	assert_int_equal(id.actor.user_id, f->alice);
	assert_string_equal(id.actor.username, "alice");
	assert_int_equal(id.actor.role, ROLE_ADMIN);
	assert_string_equal(id.name, "Alice Admin");
	assert_true(strlen(id.csrf) >= 43);
	assert_true(id.via_cookie);
	assert_false(id.must_change); /* set by the local administrator */
	/* Only the token's hash is stored. */
	struct store_val p[] = {SVS(token)};
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM sessions WHERE token_hash = $1", p, 1),
			 0);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM sessions", NULL, 0), 1);
	/* Bob, a staff member. */
	assert_int_equal(login(f, "bob", BOB_PW, "10.0.0.1", token, &id, &e), 0);
	assert_int_equal(id.actor.role, ROLE_STAFF);
	assert_string_equal(id.name, "");
}

static void test_login_wrong_password_or_user(void **state)
{
	struct fx *f = *state;
	struct err e;
	assert_int_equal(login(f, "alice", "alice-password-2", "10.0.0.1", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	char wrong_pw[sizeof e.message];
	snprintf(wrong_pw, sizeof wrong_pw, "%s", e.message);
	assert_int_equal(login(f, "nobody", ALICE_PW, "10.0.0.1", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	/* The same answer either way: no hint which usernames exist. */
	assert_string_equal(e.message, wrong_pw);
	assert_int_equal(login(f, "alice", "", "10.0.0.1", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	assert_int_equal(login(f, "ALICE", ALICE_PW, "10.0.0.1", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM login_failures", NULL, 0), 4);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM sessions", NULL, 0), 0);
}

static void test_throttled_after_five_failures(void **state)
{
	struct fx *f = *state;
	struct err e;
	for (int i = 0; i < USERS_THROTTLE_USER; i++) {
		assert_int_equal(login(f, "alice", "wrong-password", "10.0.0.1", NULL, NULL, &e),
				 -1);
		assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	}
	/* The address that failed waits, even with the right password; nothing is stored for
	   a throttled attempt. */
	assert_int_equal(login(f, "alice", ALICE_PW, "10.0.0.1", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_THROTTLED);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM sessions", NULL, 0), 0);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM login_failures", NULL, 0),
			 USERS_THROTTLE_USER);
	/* No lock-out: the owner at another address signs in, and a wrong password from there
	   is only counted. */
	assert_int_equal(login(f, "alice", ALICE_PW, "10.9.9.9", NULL, NULL, &e), 0);
	assert_int_equal(login(f, "alice", "wrong-password", "10.9.9.8", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	assert_int_equal(login(f, "alice", ALICE_PW, "10.9.9.8", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_THROTTLED);
	/* Other users are not affected. */
	assert_int_equal(login(f, "bob", BOB_PW, "10.0.0.1", NULL, NULL, &e), 0);
	/* Failures older than the window no longer count. */
	assert_int_equal(store_script(f->x.s,
				      "UPDATE login_failures SET at = '2000-01-01T00:00:00.000Z'",
				      &e),
			 0);
	assert_int_equal(login(f, "alice", ALICE_PW, "10.0.0.1", NULL, NULL, &e), 0);
}

static void test_success_resets_the_count(void **state)
{
	struct fx *f = *state;
	struct err e;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < USERS_THROTTLE_USER - 1; i++)
			assert_int_equal(login(f, "alice", "wrong-password", "10.0.0.1", NULL, NULL,
					       &e),
					 -1);
		if (login(f, "alice", ALICE_PW, "10.0.0.1", NULL, NULL, &e) < 0)
			fail_msg("round %d: %s", round, e.message);
	}
}

static void test_throttled_per_address(void **state)
{
	struct fx *f = *state;
	struct err e;
	for (int i = 0; i < USERS_THROTTLE_ADDRESS; i++) {
		char user[32];
		snprintf(user, sizeof user, "guess%d", i);
		assert_int_equal(login(f, user, "x", "10.6.6.6", NULL, NULL, &e), -1);
		assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	}
	assert_int_equal(login(f, "alice", ALICE_PW, "10.6.6.6", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_THROTTLED);
	assert_int_equal(login(f, "alice", ALICE_PW, "10.0.0.1", NULL, NULL, &e), 0);
}

static void test_session_and_logout(void **state)
{
	struct fx *f = *state;
	struct err e;
	char token[48];
	struct identity in, id;
	assert_int_equal(login(f, "alice", ALICE_PW, "10.0.0.1", token, &in, &e), 0);
	err_clear(&e);
	if (users_session(&f->x.c, token, &id, &e) < 0)
		fail_msg("session: %s", e.message);
	assert_int_equal(id.actor.user_id, f->alice);
	assert_string_equal(id.actor.username, "alice");
	assert_int_equal(id.actor.role, ROLE_ADMIN);
	assert_string_equal(id.csrf, in.csrf);
	assert_true(id.via_cookie);
	/* A different token is unknown. */
	char other[48];
	snprintf(other, sizeof other, "%s", token);
	other[0] = other[0] == 'A' ? 'B' : 'A';
	assert_int_equal(users_session(&f->x.c, other, &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	assert_int_equal(users_session(&f->x.c, "", &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	/* A session is not an API token. */
	assert_int_equal(users_token_auth(&f->x.c, token, &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	/* Two sessions are independent. */
	char second[48];
	assert_int_equal(login(f, "alice", ALICE_PW, "10.0.0.1", second, NULL, &e), 0);
	assert_string_not_equal(second, token);
	err_clear(&e);
	assert_int_equal(users_logout(&f->x.c, token, &e), 0);
	assert_int_equal(users_session(&f->x.c, token, &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	err_clear(&e);
	assert_int_equal(users_session(&f->x.c, second, &id, &e), 0);
}

static void test_session_expires(void **state)
{
	struct fx *f = *state;
	struct err e;
	char token[48];
	struct identity id;
	assert_int_equal(login(f, "bob", BOB_PW, "10.0.0.1", token, NULL, &e), 0);
	assert_int_equal(users_session(&f->x.c, token, &id, &e), 0);
	assert_int_equal(store_script(f->x.s,
				      "UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'",
				      &e),
			 0);
	assert_int_equal(users_session(&f->x.c, token, &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
}

static void test_api_token(void **state)
{
	struct fx *f = *state;
	struct err e;
	char token[64], second[64];
	struct identity id;
	err_clear(&e);
	if (users_token_create(&f->x.c, "bob", "ci", token, &e) < 0)
		fail_msg("token_create: %s", e.message);
	assert_int_equal(strncmp(token, "isms_", 5), 0);
	assert_int_equal(strlen(token), 5 + 43);
	assert_int_equal(users_token_create(&f->x.c, "bob", NULL, second, &e), 0);
	assert_string_not_equal(token, second);
	struct store_val p[] = {SVS(token)};
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM api_tokens WHERE token_hash = $1", p, 1),
			 0);
	err_clear(&e);
	if (users_token_auth(&f->x.c, token, &id, &e) < 0)
		fail_msg("token_auth: %s", e.message);
	assert_int_equal(id.actor.user_id, f->bob);
	assert_string_equal(id.actor.username, "bob");
	assert_int_equal(id.actor.role, ROLE_STAFF);
	assert_string_equal(id.csrf, "");
	assert_false(id.via_cookie);
	assert_false(id.must_change);
	assert_int_equal(users_token_auth(&f->x.c, second, &id, &e), 0);
	assert_int_equal(users_token_auth(&f->x.c, "isms_nope", &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	/* An API token is not a session. */
	assert_int_equal(users_session(&f->x.c, token, &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	/* Only for existing users. */
	assert_int_equal(users_token_create(&f->x.c, "nobody", "x", second, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "username");
}

static void test_disabled_user_loses_access(void **state)
{
	struct fx *f = *state;
	struct err e;
	char session[48], token[64];
	struct identity id;
	assert_int_equal(login(f, "bob", BOB_PW, "10.0.0.1", session, NULL, &e), 0);
	assert_int_equal(users_token_create(&f->x.c, "bob", "ci", token, &e), 0);
	assert_int_equal(users_session(&f->x.c, session, &id, &e), 0);
	assert_int_equal(users_token_auth(&f->x.c, token, &id, &e), 0);
	if (user_update(f, f->bob, "{\"active\": false}", &e) < 0)
		fail_msg("disable: %s", e.message);
	assert_int_equal(users_session(&f->x.c, session, &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	assert_int_equal(users_token_auth(&f->x.c, token, &id, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	assert_int_equal(login(f, "bob", BOB_PW, "10.0.0.1", NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
	struct ctx c2;
	ctx_init(&c2, f->x.s, iso_registry());
	assert_int_equal(users_actor(&c2, "bob", &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(users_token_create(&f->x.c, "bob", "ci", token, &e), -1);
	/* Their sessions and tokens are gone, not just hidden. */
	struct store_val p[] = {SVI(f->bob)};
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM sessions WHERE user_id = $1", p, 1), 0);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM api_tokens WHERE user_id = $1", p, 1), 0);
	/* Enabled again, the password works; old sessions stay dead. */
	assert_int_equal(user_update(f, f->bob, "{\"active\": true}", &e), 0);
	assert_int_equal(users_session(&f->x.c, session, &id, &e), -1);
	assert_int_equal(login(f, "bob", BOB_PW, "10.0.0.1", NULL, NULL, &e), 0);
}

static void test_password_length(void **state)
{
	struct fx *f = *state;
	struct err e;
	err_clear(&e);
	assert_int_equal(users_set_password(&f->x.c, f->bob, "123456789", false, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "password");
	assert_int_equal(users_set_password(&f->x.c, f->bob, "", false, &e), -1);
	assert_string_equal(e.field, "password");
	/* The old password still works. */
	assert_int_equal(login(f, "bob", BOB_PW, "10.0.0.1", NULL, NULL, &e), 0);
	err_clear(&e);
	assert_int_equal(users_set_password(&f->x.c, f->bob, "1234567890", false, &e), -1);
	assert_string_equal(e.field, "password"); /* long enough, but common */
	err_clear(&e);
	assert_int_equal(users_set_password(&f->x.c, f->bob, "9-tall-Oaks", false, &e), 0);
	assert_int_equal(login(f, "bob", "9-tall-Oaks", "10.0.0.1", NULL, NULL, &e), 0);
	assert_int_equal(login(f, "bob", BOB_PW, "10.0.0.2", NULL, NULL, &e), -1);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM credentials", NULL, 0), 2);
	/* Through the record API too, and then nothing is created. */
	long long before = fixture_sql_int(&f->x, "SELECT count(*) FROM changes", NULL, 0);
	assert_int_equal(user_create(f, "{\"username\": \"carl\", \"password\": \"short\"}", NULL,
				     &e),
			 -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "password");
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM users WHERE username = 'carl'", NULL, 0),
			 0);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM changes", NULL, 0), before);
	assert_int_equal(user_create(f, "{\"username\": \"carl\", \"password\": 1234567890}", NULL,
				     &e),
			 -1);
	assert_string_equal(e.field, "password");
}

static void test_password_never_logged(void **state)
{
	struct fx *f = *state;
	struct err e;
	assert_int_equal(user_update(f, f->bob, "{\"password\": \"brand-new-secret\"}", &e), 0);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM changes WHERE state LIKE '%password%' OR "
				    "state LIKE '%secret%' OR state LIKE '%" BOB_PW "%' OR "
				    "detail LIKE '%secret%'",
				 NULL, 0),
			 0);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM credentials WHERE hash LIKE '%secret%'",
				 NULL, 0),
			 0);
	assert_int_equal(login(f, "bob", "brand-new-secret", "10.0.0.1", NULL, NULL, &e), 0);
}

static void test_username_rules(void **state)
{
	struct fx *f = *state;
	struct err e;
	static const char *const bad[] = {"Alice2", "al ice", "-al", ".al", "al@x", "ál", "al/x",
					  NULL};
	for (int i = 0; bad[i]; i++) {
		char json[128];
		snprintf(json, sizeof json, "{\"username\": \"%s\"}", bad[i]);
		if (user_create(f, json, NULL, &e) == 0)
			fail_msg("username \"%s\" accepted", bad[i]);
		assert_int_equal(e.code, ERR_INVALID);
		assert_string_equal(e.field, "username");
	}
	assert_int_equal(user_create(f, "{\"username\": \"\"}", NULL, &e), -1);
	assert_string_equal(e.field, "username");
	assert_int_equal(user_create(f, "{\"username\": \"alice\"}", NULL, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.field, "username");
	assert_int_equal(user_create(f, "{\"username\": \"a.b-c_1\"}", NULL, &e), 0);
	assert_int_equal(user_create(f, "{\"username\": \"9lives\"}", NULL, &e), 0);
	assert_int_equal(user_create(f, "{\"username\": \"x\", \"role\": \"root\"}", NULL, &e), -1);
	assert_string_equal(e.field, "role");
	/* Usernames never change. */
	assert_int_equal(user_update(f, f->bob, "{\"username\": \"robert\"}", &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "username");
}

static void test_last_admin_protected(void **state)
{
	struct fx *f = *state;
	struct err e;
	assert_int_equal(user_update(f, f->alice, "{\"role\": \"staff\"}", &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.field, "role");
	assert_int_equal(user_update(f, f->alice, "{\"active\": false}", &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	/* An inactive admin does not count as another admin. */
	long long carol;
	assert_int_equal(user_create(f, "{\"username\": \"carol\", \"role\": \"admin\", "
					"\"active\": false}",
				     &carol, &e),
			 0);
	assert_int_equal(user_update(f, f->alice, "{\"role\": \"auditor\"}", &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	/* With a second active admin, the first may step down. */
	assert_int_equal(user_update(f, carol, "{\"active\": true}", &e), 0);
	assert_int_equal(user_update(f, f->alice, "{\"role\": \"auditor\"}", &e), 0);
	/* …and now carol is the last. */
	assert_int_equal(user_update(f, carol, "{\"role\": \"staff\"}", &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	/* Editing the last admin otherwise is fine. */
	assert_int_equal(user_update(f, carol, "{\"name\": \"Carol\"}", &e), 0);
}

static void test_only_admins_manage_users(void **state)
{
	struct fx *f = *state;
	struct err e;
	f->x.c.actor.role = ROLE_ISMS_MANAGER;
	f->x.c.actor.roles = RB(ROLE_ISMS_MANAGER);
	f->x.c.actor.user_id = f->bob;
	assert_int_equal(user_create(f, "{\"username\": \"eve\"}", NULL, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_int_equal(user_update(f, f->bob, "{\"role\": \"admin\"}", &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
}

static void test_password_set_for_someone_else_is_one_time(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct identity id;
	char token[48];
	/* alice (not the local administrator) creates dave with a password. */
	assert_int_equal(users_actor(&f->x.c, "alice", &e), 0);
	assert_int_equal(f->x.c.actor.user_id, f->alice);
	assert_int_equal(f->x.c.actor.role, ROLE_ADMIN);
	long long dave;
	assert_int_equal(user_create(f,
				     "{\"username\": \"dave\", \"password\": \"dave-temp-pass\"}",
				     &dave, &e),
			 0);
	assert_int_equal(login(f, "dave", "dave-temp-pass", "10.0.0.1", token, &id, &e), 0);
	assert_true(id.must_change);
	assert_int_equal(users_session(&f->x.c, token, &id, &e), 0);
	assert_true(id.must_change);
	/* Changing it: wrong current, same again, too short, then right. */
	assert_int_equal(users_change_password(&f->x.c, &id, "10.0.0.1", "nope-nope-nope", "dave-own-pass", &e),
			 -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "current_password");
	assert_int_equal(users_change_password(&f->x.c, &id, "10.0.0.1", "dave-temp-pass", "dave-temp-pass", &e),
			 -1);
	assert_string_equal(e.field, "new_password");
	assert_int_equal(users_change_password(&f->x.c, &id, "10.0.0.1", "dave-temp-pass", "short", &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "new_password");
	err_clear(&e);
	assert_int_equal(users_change_password(&f->x.c, &id, "10.0.0.1", "dave-temp-pass", "dave-own-pass", &e),
			 0);
	assert_int_equal(login(f, "dave", "dave-own-pass", "10.0.0.1", NULL, &id, &e), 0);
	assert_false(id.must_change);
	/* An admin setting their own password is not one-time. */
	assert_int_equal(users_actor(&f->x.c, "alice", &e), 0);
	assert_int_equal(user_update(f, f->alice, "{\"password\": \"alice-new-pass\"}", &e), 0);
	assert_int_equal(login(f, "alice", "alice-new-pass", "10.0.0.1", NULL, &id, &e), 0);
	assert_false(id.must_change);
	/* Reset by another admin, it is one-time again. */
	assert_int_equal(user_update(f, dave, "{\"password\": \"dave-reset-pass\"}", &e), 0);
	assert_int_equal(login(f, "dave", "dave-reset-pass", "10.0.0.1", NULL, &id, &e), 0);
	assert_true(id.must_change);
}

static void test_users_actor(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct ctx c;
	ctx_init(&c, f->x.s, iso_registry());
	assert_int_equal(c.actor.role, ROLE_STAFF);
	err_clear(&e);
	assert_int_equal(users_actor(&c, "alice", &e), 0);
	assert_int_equal(c.actor.user_id, f->alice);
	assert_string_equal(c.actor.username, "alice");
	assert_int_equal(c.actor.role, ROLE_ADMIN);
	assert_int_equal(users_actor(&c, "bob", &e), 0);
	assert_int_equal(c.actor.role, ROLE_STAFF);
	assert_int_equal(users_actor(&c, "nobody", &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "as");
}

static void test_identity_json(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct identity id;
	assert_int_equal(login(f, "alice", ALICE_PW, "10.0.0.1", NULL, &id, &e), 0);
	json_t *j = users_identity_json(iso_registry(), &id);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), f->alice);
	assert_string_equal(json_string_value(json_object_get(j, "username")), "alice");
	assert_string_equal(json_string_value(json_object_get(j, "name")), "Alice Admin");
	assert_string_equal(json_string_value(json_object_get(j, "role")), "admin");
	assert_true(json_is_false(json_object_get(j, "must_change_password")));
	assert_null(json_object_get(j, "csrf"));
	json_decref(j);
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_login_success),
		T(test_login_wrong_password_or_user),
		T(test_throttled_after_five_failures),
		T(test_success_resets_the_count),
		T(test_throttled_per_address),
		T(test_session_and_logout),
		T(test_session_expires),
		T(test_api_token),
		T(test_disabled_user_loses_access),
		T(test_password_length),
		T(test_password_never_logged),
		T(test_username_rules),
		T(test_last_admin_protected),
		T(test_only_admins_manage_users),
		T(test_password_set_for_someone_else_is_one_time),
		T(test_users_actor),
		T(test_identity_json),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
