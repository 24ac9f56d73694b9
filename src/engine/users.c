/* users.c — the users record type and everything about credentials: passwords, sessions,
   API tokens and login throttling. */
#include "users.h"
#include "query.h"
#include "credentials.h"
#include "passwords.h"
#include "../base/clock.h"
#include "../base/sec.h"
#include "../base/json.h"
#include "../base/text.h"

#include <ctype.h>
#include <pthread.h>
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
	{.name = "more_roles", .label = "More roles", .type = FT_JSON, .flags = F_APP_ROLE,
	 .since = 3,
	 .help = "Further roles the account holds besides its main one, e.g. a risk owner who "
		 "also owns controls. Each adds what that role may use."},
	{.name = "active", .label = "Active", .type = FT_BOOL, .def = "true",
	 .help = "Inactive accounts cannot sign in and lose their sessions at once."},
	{.name = "person", .label = "Person", .type = FT_REF, .ref = "person", .flags = F_SET_NULL,
	 .help = "The person in the staff directory this account belongs to."},
	{.name = "password", .label = "Password", .type = FT_TEXT, .flags = F_WRITEONLY,
	 .max_len = 200,
	 .help = "Sets a new password: at least 10 characters, not a common password and not "
		 "the username. A password set by an administrator for someone else must be "
		 "changed at first sign-in, and ends that person's sessions and API tokens."},
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
		    credentials_revoke_tokens(c, id, NULL, e) < 0)
			return -1;
	}
	return 0;
}

/* A deleted account's password and tokens go with it (the store cascades); the log says
   so, or verify would miss them. */
static int user_before_delete(struct ctx *c, const struct record_type *rt, const json_t *rec,
			      struct err *e)
{
	(void)rt;
	long long id = json_integer_value(json_object_get(rec, "id"));
	struct store_val p[] = {SVI(id)};
	bool had_password;
	long long ignored;
	if (store_query_int(c->store, "SELECT user_id FROM credentials WHERE user_id = $1", p, 1,
			    &ignored, &had_password, e) < 0 ||
	    store_exec(c->store, "DELETE FROM credentials WHERE user_id = $1", p, 1, e) < 0 ||
	    (had_password && credentials_log_password(c, id, e) < 0))
		return -1;
	return credentials_revoke_tokens(c, id, NULL, e);
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
	.before_delete = user_before_delete,
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
	actor_set_roles(c->reg, &c->actor, registry_role_parse(c->reg, json_str(user, "role")),
			json_object_get(user, "more_roles"));
	c->actor.person_id = json_int(user, "person");
	json_decref(user);
	return 0;
}

/* Ends every session and API token of user_id, except the one the actor signed in with
   when the actor is that user (changing one's own password keeps one signed in there). */
static int end_other_sessions(struct ctx *c, long long user_id, struct err *e)
{
	const char *keep = c->actor.user_id == user_id ? c->actor.signed_in_with : "";
	struct store_val p[] = {SVI(user_id), SVS(keep)};
	if (store_exec(c->store, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", p,
		       2, e) < 0)
		return -1;
	return credentials_revoke_tokens(c, user_id, keep, e);
}

int users_set_password(struct ctx *c, long long user_id, const char *password, bool must_change,
		       struct err *e)
{
	char hash[SEC_PWHASH_LEN];
	json_t *user;
	struct query q = {.type = users_type.name, .where = {QEQ("id", SVI(user_id))}};
	if (query_first(c, &q, &user, e) < 0)
		return -1;
	int weak = passwords_check(user ? json_str(user, "username") : NULL, password, e);
	json_decref(user);
	if (weak < 0)
		return -1;
	if (sec_pwhash(password, hash) < 0)
		return err_set(e, ERR_INTERNAL, "password", "the password could not be hashed");
	struct store_val p[] = {SVI(user_id), SVS(hash), SVI(must_change), SVS(c->now)};
	if (store_exec(c->store, "DELETE FROM credentials WHERE user_id = $1", p, 1, e) < 0 ||
	    store_exec(c->store,
		       "INSERT INTO credentials (user_id, hash, must_change, updated_at) "
		       "VALUES ($1, $2, $3, $4)",
		       p, 4, e) < 0 ||
	    credentials_log_password(c, user_id, e) < 0)
		return -1;
	return end_other_sessions(c, user_id, e);
}

/* A hash of a password nobody knows, verified when the username is unknown so that the
   answer takes as long as for a real account. */
static char dummy_hash[SEC_PWHASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char secret[SEC_TOKEN_LEN];
	sec_token(secret);
	if (sec_pwhash(secret, dummy_hash) < 0)
		dummy_hash[0] = '\0';
}

static const char *unknown_user_hash(void)
{
	pthread_once(&dummy_once, make_dummy_hash);
	return dummy_hash;
}

/* How long a throttled party waits after its last failure: doubling from the base with
   each failure beyond the free ones, up to the window. */
static long long delay_seconds(long long beyond_free)
{
	long long d = USERS_DELAY_BASE_SECONDS;
	for (long long i = 0; i < beyond_free && d < USERS_THROTTLE_MINUTES * 60; i++)
		d *= 2;
	return d < USERS_THROTTLE_MINUTES * 60 ? d : USERS_THROTTLE_MINUTES * 60;
}

/* Failures in the window matching where (username and/or address): how many, and when the
   last one was. */
static int failures(struct ctx *c, const char *where, const struct store_val *p, int n,
		    long long *count, char last[CLOCK_TS_LEN], struct err *e)
{
	char sql[256];
	struct store_rows *r;
	snprintf(sql, sizeof sql, "SELECT count(*), max(at) FROM login_failures WHERE %s AND at > $%d",
		 where, n + 1);
	struct store_val q[3];
	for (int i = 0; i < n; i++)
		q[i] = p[i];
	char since[CLOCK_TS_LEN];
	clock_format(time(NULL) - USERS_THROTTLE_MINUTES * 60, 0, since);
	q[n] = SVS(since);
	if (store_query(c->store, sql, q, n + 1, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	*count = rc > 0 ? store_int(r, 0) : 0;
	snprintf(last, CLOCK_TS_LEN, "%s", rc > 0 && store_text(r, 1) ? store_text(r, 1) : "");
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

/* Whether the last failure (at) is less than seconds ago. */
static bool within(const char *at, long long seconds)
{
	char since[CLOCK_TS_LEN];
	clock_format(time(NULL) - (time_t)seconds, 0, since);
	return at[0] && strcmp(at, since) > 0;
}

/* Decides, in the caller's write transaction, whether this attempt may be checked:
   - an address with USERS_THROTTLE_ADDRESS failures or more (any accounts) waits;
   - once an account has USERS_THROTTLE_USER failures, the addresses that took part in them
     wait, with a delay that doubles with every further failure; an address that never
     failed on the account is not slowed, so nobody can lock the owner out.
   ERR_THROTTLED says how long to wait. */
static int check_throttle(struct ctx *c, const char *username, const char *address,
			  struct err *e)
{
	long long n_addr, n_user, n_pair;
	char last_addr[CLOCK_TS_LEN], last_user[CLOCK_TS_LEN], last_pair[CLOCK_TS_LEN];
	struct store_val pa[] = {SVS(address)}, pu[] = {SVS(username)},
			 pp[] = {SVS(username), SVS(address)};
	if (failures(c, "address = $1", pa, 1, &n_addr, last_addr, e) < 0 ||
	    failures(c, "username = $1", pu, 1, &n_user, last_user, e) < 0 ||
	    failures(c, "username = $1 AND address = $2", pp, 2, &n_pair, last_pair, e) < 0)
		return -1;
	long long wait = 0;
	if (n_addr >= USERS_THROTTLE_ADDRESS &&
	    within(last_addr, delay_seconds(n_addr - USERS_THROTTLE_ADDRESS)))
		wait = delay_seconds(n_addr - USERS_THROTTLE_ADDRESS);
	if (n_pair > 0 && n_user >= USERS_THROTTLE_USER &&
	    within(last_user, delay_seconds(n_user - USERS_THROTTLE_USER)) &&
	    delay_seconds(n_user - USERS_THROTTLE_USER) > wait)
		wait = delay_seconds(n_user - USERS_THROTTLE_USER);
	if (wait)
		return err_set(e, ERR_THROTTLED, NULL,
			       "too many failed sign-ins from your address; wait up to %lld seconds "
			       "and try again",
			       wait);
	return 0;
}

/* Starts an attempt: in one write transaction, checks the throttle and records the attempt
   as a failure, so that concurrent attempts are counted exactly; a success removes it. */
static int attempt_begin(struct ctx *c, const char *username, const char *address,
			 struct err *e)
{
	char old[CLOCK_TS_LEN];
	clock_format(time(NULL) - 24 * 3600, 0, old);
	struct store_val p[] = {SVS(username), SVS(address), SVS(c->now)};
	struct store_val q[] = {SVS(old)};
	if (store_begin(c->store, true, e) < 0)
		return -1;
	if (check_throttle(c, username, address, e) < 0 ||
	    store_exec(c->store, "DELETE FROM login_failures WHERE at < $1", q, 1, e) < 0 ||
	    store_exec(c->store,
		       "INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)", p,
		       3, e) < 0 ||
	    store_commit(c->store, e) < 0) {
		store_rollback(c->store);
		return -1;
	}
	return 0;
}

/* After the right password, in the caller's write transaction: this address's failures on
   the account are forgiven (others' stay, so an attacker's count is not reset). */
static int attempt_succeeded(struct ctx *c, const char *username, const char *address,
			     struct err *e)
{
	struct store_val p[] = {SVS(username), SVS(address)};
	return store_exec(c->store, "DELETE FROM login_failures WHERE username = $1 AND address = $2",
			  p, 2, e);
}

#define IDENTITY_COLS "u.id, u.username, u.name, u.role, c.must_change, u.person, u.more_roles"

static void identity_from_row(const struct registry *reg, struct store_rows *r,
			      struct identity *id)
{
	memset(id, 0, sizeof *id);
	id->actor.user_id = store_int(r, 0);
	snprintf(id->actor.username, sizeof id->actor.username, "%s", store_text(r, 1));
	snprintf(id->name, sizeof id->name, "%s", store_text(r, 2) ? store_text(r, 2) : "");
	const char *more = store_text(r, 6);
	json_t *names = more ? json_loads(more, 0, NULL) : NULL;
	actor_set_roles(reg, &id->actor, registry_role_parse(reg, store_text(r, 3)), names);
	json_decref(names);
	id->must_change = store_int(r, 4) != 0;
	id->actor.person_id = store_int(r, 5);
}

int users_login(struct ctx *c, const char *username, const char *password, const char *address,
		char token[48], struct identity *id, struct err *e)
{
	struct store_rows *r = NULL;
	char hash[SEC_PWHASH_LEN] = "";
	bool found = false;
	if (attempt_begin(c, username, address, e) < 0)
		return -1;
	struct store_val p[] = {SVS(username)};
	if (store_query(c->store,
			"SELECT " IDENTITY_COLS ", c.hash FROM users u JOIN credentials c ON "
			"c.user_id = u.id WHERE u.username = $1 AND u.active = 1",
			p, 1, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	if (rc > 0) {
		identity_from_row(c->reg, r, id);
		snprintf(hash, sizeof hash, "%s", store_text(r, 7));
		found = true;
	}
	store_rows_free(r);
	if (rc < 0)
		return -1;
	/* The same argon2id work whether or not the account exists. */
	bool right = sec_pwverify(found ? hash : unknown_user_hash(), password) && found;
	if (!right)
		return err_set(e, ERR_UNAUTHENTICATED, NULL, "wrong username or password");

	char token_hash[SEC_HASH_HEX], expires[CLOCK_TS_LEN];
	sec_token(token);
	sec_token(id->csrf);
	sec_blake2b_hex(token, strlen(token), token_hash);
	snprintf(id->actor.signed_in_with, sizeof id->actor.signed_in_with, "%s", token_hash);
	clock_format(time(NULL) + USERS_SESSION_HOURS * 3600, 0, expires);
	struct store_val s[] = {SVS(token_hash), SVI(id->actor.user_id), SVS(id->csrf), SVS(c->now),
				SVS(expires)};
	struct store_val now[] = {SVS(c->now)};
	if (store_begin(c->store, true, e) < 0)
		return -1;
	if (attempt_succeeded(c, username, address, e) < 0 ||
	    store_exec(c->store, "DELETE FROM sessions WHERE expires_at < $1", now, 1, e) < 0 ||
	    store_exec(c->store,
		       "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
		       "VALUES ($1, $2, $3, $4, $5)",
		       s, 5, e) < 0 ||
	    store_commit(c->store, e) < 0) {
		store_rollback(c->store);
		return -1;
	}
	id->via_cookie = true;
	return 0;
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
		snprintf(id->csrf, sizeof id->csrf, "%s", store_text(r, 7));
		snprintf(id->actor.signed_in_with, sizeof id->actor.signed_in_with, "%s", token_hash);
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
		snprintf(id->actor.signed_in_with, sizeof id->actor.signed_in_with, "%s", token_hash);
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
	long long token_id;
	if (store_query_int(c->store,
			    "INSERT INTO api_tokens (token_hash, user_id, name, created_at) "
			    "VALUES ($1, $2, $3, $4) RETURNING id",
			    p, 4, &token_id, NULL, e) < 0)
		return -1;
	return credentials_log_token(c, token_id, e);
}

int users_change_password(struct ctx *c, const struct identity *id, const char *address,
			  const char *current, const char *next, struct err *e)
{
	char hash[SEC_PWHASH_LEN] = "";
	struct store_rows *r;
	struct store_val p[] = {SVI(id->actor.user_id)};
	/* The current password is guessed like a sign-in: throttled and counted the same. */
	if (attempt_begin(c, id->actor.username, address, e) < 0)
		return -1;
	if (store_query(c->store, "SELECT hash FROM credentials WHERE user_id = $1", p, 1, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	if (rc > 0)
		snprintf(hash, sizeof hash, "%s", store_text(r, 0));
	store_rows_free(r);
	if (rc < 0)
		return -1;
	bool right = sec_pwverify(rc > 0 ? hash : unknown_user_hash(), current) && rc > 0;
	if (!right)
		return err_set(e, ERR_INVALID, "current_password", "the current password is wrong");
	if (strcmp(current, next) == 0)
		err_set(e, ERR_INVALID, "new_password",
			"the new password must differ from the current one");
	struct err sub;
	err_clear(&sub);
	if (store_begin(c->store, true, e) < 0)
		return -1;
	if (attempt_succeeded(c, id->actor.username, address, e) < 0)
		goto fail;
	if (e->code == ERR_NONE && users_set_password(c, id->actor.user_id, next, false, &sub) < 0) {
		if (sub.code == ERR_INVALID)
			err_set(e, sub.code, "new_password", "%s", sub.message);
		else
			*e = sub;
	}
	if (e->code != ERR_NONE) { /* a refused new password still proved the current one */
		struct err ignored;
		if (store_commit(c->store, &ignored) < 0)
			store_rollback(c->store);
		return -1;
	}
	if (store_commit(c->store, e) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(c->store);
	return -1;
}

json_t *users_identity_json(const struct registry *reg, const struct identity *id)
{
	json_t *o = json_build("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)id->actor.user_id,
			      "username", id->actor.username, "name", id->name, "role",
			      registry_role_name(reg, id->actor.role), "must_change_password", id->must_change);
	json_t *roles = json_array();
	for (int r = 0; r < reg->nroles; r++)
		if (actor_has(&id->actor, RB(r)))
			json_array_append_new(roles, json_string(registry_role_name(reg, r)));
	json_object_set_new(o, "roles", roles);
	json_object_set_new(o, "person", id->actor.person_id ? json_integer(id->actor.person_id)
							     : json_null());
	return o;
}
