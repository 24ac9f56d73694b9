/* users.c — the users record type and everything about credentials: passwords, sessions,
   API tokens and login throttling. */
#include "users.h"
#include "query.h"
#include "../base/clock.h"
#include "../base/sec.h"
#include "../base/json.h"
#include "../base/text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct field user_fields[] = {
	{.name = "username", .label = "Username", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 64,
	 .help = "What the person signs in with: lower-case letters, digits, dot, dash or "
		 "underscore. It names them in the change log, so it cannot change later."},
	{.name = "name", .label = "Full name", .type = FT_TEXT, .flags = F_SEARCH, .max_len = 200,
	 .help = "How the account is shown to others."},
	{.name = "role", .label = "Role", .type = FT_ENUM, .flags = F_APP_ROLE,
	 .help = "What the account may use (a permission, not an authority to decide): the "
		 "administrator runs the installation. Left out, the least privileged role."},
	{.name = "active", .label = "Active", .type = FT_BOOL, .def = "true",
	 .help = "Inactive accounts cannot sign in and lose their sessions at once."},
	{.name = "person", .label = "Person", .type = FT_REF, .ref = "person", .flags = F_SET_NULL,
	 .help = "The person in the staff directory this account belongs to."},
	{.name = "password", .label = "Password", .type = FT_TEXT, .flags = F_WRITEONLY,
	 .max_len = 200,
	 .help = "Sets a new password (at least 10 characters). A password set by an "
		 "administrator for someone else must be changed at first sign-in."},
};

static bool username_ok(const char *s)
{
	if (!s || !isalnum((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '.' ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

static int count_other_admins(struct ctx *c, long long id, long long *n, struct err *e)
{
	struct query q = {.type = users_type.name,
			  .where = {QEQ("role", SVS(registry_role_name(c->reg, APP_ROLE_ADMIN))),
				    QEQ("active", SVI(1)), QNE("id", SVI(id))}};
	return query_count(c, &q, n, e);
}

static int user_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			 const json_t *old, struct err *e)
{
	(void)rt;
	if (!json_str(rec, "role"))
		json_set_str(rec, "role", registry_role_name(c->reg, c->reg->default_role));
	const char *username = json_str(rec, "username");
	if (!username_ok(username))
		return err_set(e, ERR_INVALID, "username",
			       "Username may hold only lower-case letters, digits, '.', '-' and "
			       "'_', starting with a letter or digit");
	if (!old)
		return 0;
	if (!str_eq(username, json_str(old, "username")))
		return err_set(e, ERR_INVALID, "username",
			       "Username cannot change: the change log names people by it");
	bool was_admin = str_eq(json_str(old, "role"), registry_role_name(c->reg, APP_ROLE_ADMIN)) &&
			 json_is_true(json_object_get(old, "active"));
	bool is_admin = str_eq(json_str(rec, "role"), registry_role_name(c->reg, APP_ROLE_ADMIN)) &&
			json_is_true(json_object_get(rec, "active"));
	if (was_admin && !is_admin) {
		long long others;
		if (count_other_admins(c, json_integer_value(json_object_get(rec, "id")), &others,
				       e) < 0)
			return -1;
		if (others == 0)
			return err_set(e, ERR_CONFLICT, "role",
				       "this is the last active admin account; make another admin "
				       "first");
	}
	return 0;
}

static int user_after_write(struct ctx *c, const struct record_type *rt, const json_t *rec,
			    const json_t *input, struct err *e)
{
	(void)rt;
	long long id = json_integer_value(json_object_get(rec, "id"));
	const char *password = json_str(input, "password");
	if (password) {
		bool for_someone_else = c->actor.user_id != id && c->actor.user_id != 0;
		if (users_set_password(c, id, password, for_someone_else, e) < 0)
			return -1;
	}
	if (!json_is_true(json_object_get(rec, "active"))) {
		struct store_val p[] = {SVI(id)};
		if (store_exec(c->store, "DELETE FROM sessions WHERE user_id = $1", p, 1, e) < 0 ||
		    store_exec(c->store, "DELETE FROM api_tokens WHERE user_id = $1", p, 1, e) < 0)
			return -1;
	}
	return 0;
}

const struct record_type users_type = {
	.name = "user",
	.plural = "users",
	.table = "users",
	.label = "user account",
	.label_plural = "user accounts",
	.clause = "5.3",
	.help = "Who can sign in, and with which role.",
	.section = "admin",
	.title_field = "username",
	.default_sort = "username",
	.fields = user_fields,
	.nfields = sizeof user_fields / sizeof user_fields[0],
	.read_roles = RB(APP_ROLE_ADMIN),
	.write_roles = RB(APP_ROLE_ADMIN),
	.since = 1,
	.validate = user_validate,
	.after_write = user_after_write,
};

int users_actor(struct ctx *c, const char *username, struct err *e)
{
	struct query q = {.type = users_type.name,
			  .where = {QEQ("username", SVS(username)), QEQ("active", SVI(1))}};
	json_t *user;
	if (query_first(c, &q, &user, e) < 0)
		return -1;
	if (!user)
		return err_set(e, ERR_INVALID, "as",
			       "\"%s\" is not an active isms user; pass --as USERNAME", username);
	c->actor.user_id = json_int(user, "id");
	snprintf(c->actor.username, sizeof c->actor.username, "%s", json_str(user, "username"));
	int role = registry_role_parse(c->reg, json_str(user, "role"));
	c->actor.role = role < 0 ? c->reg->default_role : role;
	c->actor.person_id = json_int(user, "person");
	json_decref(user);
	return 0;
}

int users_set_password(struct ctx *c, long long user_id, const char *password, bool must_change,
		       struct err *e)
{
	char hash[SEC_PWHASH_LEN];
	if (strlen(password) < USERS_MIN_PASSWORD)
		return err_set(e, ERR_INVALID, "password", "Password must have at least %d characters",
			       USERS_MIN_PASSWORD);
	if (sec_pwhash(password, hash) < 0)
		return err_set(e, ERR_INTERNAL, "password", "the password could not be hashed");
	struct store_val p[] = {SVI(user_id), SVS(hash), SVI(must_change), SVS(c->now)};
	if (store_exec(c->store, "DELETE FROM credentials WHERE user_id = $1", p, 1, e) < 0)
		return -1;
	return store_exec(c->store,
			  "INSERT INTO credentials (user_id, hash, must_change, updated_at) "
			  "VALUES ($1, $2, $3, $4)",
			  p, 4, e);
}

static void minutes_ago(int minutes, char out[CLOCK_TS_LEN])
{
	clock_format(time(NULL) - minutes * 60, 0, out);
}

static int throttled(struct ctx *c, const char *username, const char *address, bool *yes,
		     struct err *e)
{
	char since[CLOCK_TS_LEN];
	long long n;
	minutes_ago(USERS_THROTTLE_MINUTES, since);
	struct store_val pu[] = {SVS(username), SVS(since)};
	if (store_query_int(c->store,
			    "SELECT count(*) FROM login_failures WHERE username = $1 AND at > $2", pu,
			    2, &n, NULL, e) < 0)
		return -1;
	*yes = n >= USERS_THROTTLE_USER;
	if (*yes)
		return 0;
	struct store_val pa[] = {SVS(address), SVS(since)};
	if (store_query_int(c->store,
			    "SELECT count(*) FROM login_failures WHERE address = $1 AND at > $2", pa,
			    2, &n, NULL, e) < 0)
		return -1;
	*yes = n >= USERS_THROTTLE_ADDRESS;
	return 0;
}

static int record_failure(struct ctx *c, const char *username, const char *address,
			  struct err *e)
{
	char old[CLOCK_TS_LEN];
	minutes_ago(24 * 60, old);
	struct store_val p[] = {SVS(username), SVS(address), SVS(c->now)};
	struct store_val q[] = {SVS(old)};
	if (store_begin(c->store, true, e) < 0)
		return -1;
	if (store_exec(c->store, "DELETE FROM login_failures WHERE at < $1", q, 1, e) < 0 ||
	    store_exec(c->store,
		       "INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)", p,
		       3, e) < 0 ||
	    store_commit(c->store, e) < 0) {
		store_rollback(c->store);
		return -1;
	}
	return 0;
}

#define IDENTITY_COLS "u.id, u.username, u.name, u.role, c.must_change, u.person"

static void identity_from_row(const struct registry *reg, struct store_rows *r,
			      struct identity *id)
{
	memset(id, 0, sizeof *id);
	id->actor.user_id = store_int(r, 0);
	snprintf(id->actor.username, sizeof id->actor.username, "%s", store_text(r, 1));
	snprintf(id->name, sizeof id->name, "%s", store_text(r, 2) ? store_text(r, 2) : "");
	int role = registry_role_parse(reg, store_text(r, 3));
	id->actor.role = role < 0 ? reg->default_role : role;
	id->must_change = store_int(r, 4) != 0;
	id->actor.person_id = store_int(r, 5);
}

int users_login(struct ctx *c, const char *username, const char *password, const char *address,
		char token[48], struct identity *id, struct err *e)
{
	struct store_rows *r = NULL;
	char hash[SEC_PWHASH_LEN] = "";
	bool blocked, found = false;
	int ret = -1;
	if (store_begin(c->store, false, e) < 0)
		return -1;
	if (throttled(c, username, address, &blocked, e) < 0)
		goto fail;
	if (blocked) {
		err_set(e, ERR_THROTTLED, NULL,
			"too many failed sign-ins; wait %d minutes and try again",
			USERS_THROTTLE_MINUTES);
		goto fail;
	}
	struct store_val p[] = {SVS(username)};
	if (store_query(c->store,
			"SELECT " IDENTITY_COLS ", c.hash FROM users u JOIN credentials c ON "
			"c.user_id = u.id WHERE u.username = $1 AND u.active = 1",
			p, 1, &r, e) < 0)
		goto fail;
	int rc = store_next(r, e);
	if (rc < 0)
		goto fail;
	if (rc > 0) {
		identity_from_row(c->reg, r, id);
		snprintf(hash, sizeof hash, "%s", store_text(r, 6));
		found = true;
	}
	store_rows_free(r);
	r = NULL;
	store_rollback(c->store);
	if (!found || !sec_pwverify(hash, password)) {
		if (record_failure(c, username, address, e) < 0)
			return -1;
		return err_set(e, ERR_UNAUTHENTICATED, NULL, "wrong username or password");
	}

	char token_hash[SEC_HASH_HEX], expires[CLOCK_TS_LEN];
	sec_token(token);
	sec_token(id->csrf);
	sec_blake2b_hex(token, strlen(token), token_hash);
	clock_format(time(NULL) + USERS_SESSION_HOURS * 3600, 0, expires);
	struct store_val s[] = {SVS(token_hash), SVI(id->actor.user_id), SVS(id->csrf), SVS(c->now),
				SVS(expires)};
	struct store_val u[] = {SVS(username)}, now[] = {SVS(c->now)};
	if (store_begin(c->store, true, e) < 0)
		return -1;
	if (store_exec(c->store, "DELETE FROM login_failures WHERE username = $1", u, 1, e) < 0 ||
	    store_exec(c->store, "DELETE FROM sessions WHERE expires_at < $1", now, 1, e) < 0 ||
	    store_exec(c->store,
		       "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
		       "VALUES ($1, $2, $3, $4, $5)",
		       s, 5, e) < 0 ||
	    store_commit(c->store, e) < 0)
		goto fail;
	id->via_cookie = true;
	return 0;
fail:
	store_rows_free(r);
	store_rollback(c->store);
	return ret;
}

int users_session(struct ctx *c, const char *token, struct identity *id, struct err *e)
{
	char token_hash[SEC_HASH_HEX];
	struct store_rows *r;
	sec_blake2b_hex(token, strlen(token), token_hash);
	struct store_val p[] = {SVS(token_hash), SVS(c->now)};
	if (store_query(c->store,
			"SELECT " IDENTITY_COLS ", s.csrf FROM sessions s JOIN users u ON u.id = "
			"s.user_id LEFT JOIN credentials c ON c.user_id = u.id WHERE s.token_hash = "
			"$1 AND s.expires_at > $2 AND u.active = 1",
			p, 2, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	if (rc > 0) {
		identity_from_row(c->reg, r, id);
		snprintf(id->csrf, sizeof id->csrf, "%s", store_text(r, 6));
		id->via_cookie = true;
	}
	store_rows_free(r);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, ERR_UNAUTHENTICATED, NULL,
			       "your session has ended; sign in again");
	return 0;
}

int users_token_auth(struct ctx *c, const char *token, struct identity *id, struct err *e)
{
	char token_hash[SEC_HASH_HEX];
	struct store_rows *r;
	sec_blake2b_hex(token, strlen(token), token_hash);
	struct store_val p[] = {SVS(token_hash)};
	if (store_query(c->store,
			"SELECT " IDENTITY_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id "
			"LEFT JOIN credentials c ON c.user_id = u.id WHERE t.token_hash = $1 AND "
			"u.active = 1",
			p, 1, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	if (rc > 0) {
		identity_from_row(c->reg, r, id);
		id->must_change = false; /* tokens are for automation */
	}
	store_rows_free(r);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, ERR_UNAUTHENTICATED, NULL, "unknown or revoked API token");
	return 0;
}

int users_logout(struct ctx *c, const char *token, struct err *e)
{
	char token_hash[SEC_HASH_HEX];
	sec_blake2b_hex(token, strlen(token), token_hash);
	struct store_val p[] = {SVS(token_hash)};
	return store_exec(c->store, "DELETE FROM sessions WHERE token_hash = $1", p, 1, e);
}

int users_token_create(struct ctx *c, const char *username, const char *name, char token[64],
		       struct err *e)
{
	char raw[SEC_TOKEN_LEN], token_hash[SEC_HASH_HEX];
	long long user_id;
	struct query q = {.type = users_type.name,
			  .where = {QEQ("username", SVS(username)), QEQ("active", SVI(1))}};
	if (query_id(c, &q, &user_id, e) < 0)
		return -1;
	if (!user_id)
		return err_set(e, ERR_INVALID, "username", "no active user \"%s\"", username);
	sec_token(raw);
	snprintf(token, 64, "isms_%s", raw);
	sec_blake2b_hex(token, strlen(token), token_hash);
	struct store_val p[] = {SVS(token_hash), SVI(user_id), SVS(name), SVS(c->now)};
	return store_exec(c->store,
			  "INSERT INTO api_tokens (token_hash, user_id, name, created_at) "
			  "VALUES ($1, $2, $3, $4)",
			  p, 4, e);
}

int users_change_password(struct ctx *c, const struct identity *id, const char *current,
			  const char *next, struct err *e)
{
	char hash[SEC_PWHASH_LEN];
	struct store_rows *r;
	struct store_val p[] = {SVI(id->actor.user_id)};
	if (store_query(c->store, "SELECT hash FROM credentials WHERE user_id = $1", p, 1, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	if (rc > 0)
		snprintf(hash, sizeof hash, "%s", store_text(r, 0));
	store_rows_free(r);
	if (rc < 0)
		return -1;
	if (rc == 0 || !sec_pwverify(hash, current))
		return err_set(e, ERR_INVALID, "current_password", "the current password is wrong");
	if (strcmp(current, next) == 0)
		return err_set(e, ERR_INVALID, "new_password",
			       "the new password must differ from the current one");
	struct err sub;
	err_clear(&sub);
	if (users_set_password(c, id->actor.user_id, next, false, &sub) < 0)
		return err_set(e, sub.code, "new_password", "%s", sub.message);
	return 0;
}

json_t *users_identity_json(const struct registry *reg, const struct identity *id)
{
	json_t *o = json_build("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)id->actor.user_id,
			      "username", id->actor.username, "name", id->name, "role",
			      registry_role_name(reg, id->actor.role), "must_change_password", id->must_change);
	json_object_set_new(o, "person", id->actor.person_id ? json_integer(id->actor.person_id)
							     : json_null());
	return o;
}
