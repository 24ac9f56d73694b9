/* credentials.c — logging password and API token rows to the change log as digests, and
   reading them back in the same shape for `isms verify`. */
#include "credentials.h"
#include "../base/json.h"
#include "../base/sec.h"
#include "../base/text.h"
#include "../store/changes.h"

#include <string.h>

#define PASSWORD_COLS "user_id, hash, must_change, updated_at"
#define TOKEN_COLS "id, user_id, token_hash, name, created_at"

/* A digest of a secret (itself already a hash): enough to notice any change, useless for
   signing in or guessing. */
static json_t *digest(const char *secret)
{
	char hex[SEC_HASH_HEX];
	sec_blake2b_hex(secret ? secret : "", secret ? strlen(secret) : 0, hex);
	return json_string(hex);
}

static json_t *password_state(struct store_rows *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "user", json_integer(store_int(r, 0)));
	json_object_set_new(o, "digest", digest(store_text(r, 1)));
	json_object_set_new(o, "must_change", json_boolean(store_int(r, 2) != 0));
	json_object_set_new(o, "updated_at", json_string(store_text(r, 3) ? store_text(r, 3) : ""));
	return o;
}

static json_t *token_state(struct store_rows *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "user", json_integer(store_int(r, 1)));
	json_object_set_new(o, "digest", digest(store_text(r, 2)));
	json_object_set_new(o, "name", store_text(r, 3) ? json_string(store_text(r, 3)) : json_null());
	json_object_set_new(o, "created_at", json_string(store_text(r, 4) ? store_text(r, 4) : ""));
	return o;
}

/* Appends the change of (kind, id) whose state is the row sql selects, or a delete. */
static int log_row(struct ctx *c, const char *kind, long long id, const char *sql,
		   json_t *(*state_of)(struct store_rows *), const char *op, struct err *e)
{
	struct store_rows *r;
	struct store_val p[] = {SVI(id)};
	if (store_query(c->store, sql, p, 1, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	json_t *state = rc > 0 ? state_of(r) : NULL;
	store_rows_free(r);
	if (rc < 0)
		return -1;
	struct change ch = {.record_id = id,
			    .at = c->now,
			    .actor = c->actor.username,
			    .record_type = kind,
			    .op = state ? op : "delete",
			    .state = state};
	int ret = changes_append(c->store, &ch, e);
	json_decref(state);
	return ret;
}

int credentials_log_password(struct ctx *c, long long user_id, struct err *e)
{
	return log_row(c, CREDENTIALS_PASSWORD, user_id,
		       "SELECT " PASSWORD_COLS " FROM credentials WHERE user_id = $1", password_state,
		       "set_password", e);
}

int credentials_log_token(struct ctx *c, long long token_id, struct err *e)
{
	return log_row(c, CREDENTIALS_TOKEN, token_id,
		       "SELECT " TOKEN_COLS " FROM api_tokens WHERE id = $1", token_state, "create",
		       e);
}

int credentials_revoke_tokens(struct ctx *c, long long user_id, const char *keep_hash,
			      struct err *e)
{
	struct store_rows *r;
	struct store_val p[] = {SVI(user_id), SVS(keep_hash ? keep_hash : "")};
	long long ids[64];
	int n, rc;
	do { /* in batches, so the ids fit a fixed array whatever the count */
		n = 0;
		if (store_query(c->store,
				"SELECT id FROM api_tokens WHERE user_id = $1 AND token_hash <> $2 "
				"ORDER BY id",
				p, 2, &r, e) < 0)
			return -1;
		while (n < 64 && (rc = store_next(r, e)) > 0)
			ids[n++] = store_int(r, 0);
		store_rows_free(r);
		if (rc < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			struct store_val d[] = {SVI(ids[i])};
			if (store_exec(c->store, "DELETE FROM api_tokens WHERE id = $1", d, 1, e) < 0 ||
			    credentials_log_token(c, ids[i], e) < 0)
				return -1;
		}
	} while (n == 64);
	return 0;
}

static int scan(struct ctx *c, const char *kind, const char *sql,
		json_t *(*state_of)(struct store_rows *),
		int (*fn)(void *, const char *, long long, json_t *), void *arg, struct err *e)
{
	struct store_rows *r;
	int rc;
	if (store_query(c->store, sql, NULL, 0, &r, e) < 0)
		return -1;
	while ((rc = store_next(r, e)) > 0) {
		json_t *state = state_of(r);
		int stop = fn(arg, kind, store_int(r, 0), state);
		json_decref(state);
		if (stop < 0) {
			rc = -1;
			break;
		}
	}
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int credentials_scan(struct ctx *c, int (*fn)(void *arg, const char *kind, long long id,
					      json_t *state),
		     void *arg, struct err *e)
{
	if (scan(c, CREDENTIALS_PASSWORD,
		 "SELECT " PASSWORD_COLS " FROM credentials ORDER BY user_id", password_state, fn,
		 arg, e) < 0)
		return -1;
	return scan(c, CREDENTIALS_TOKEN, "SELECT " TOKEN_COLS " FROM api_tokens ORDER BY id",
		    token_state, fn, arg, e);
}

const char *credentials_label(const char *kind)
{
	if (str_eq(kind, CREDENTIALS_PASSWORD))
		return "password of user";
	if (str_eq(kind, CREDENTIALS_TOKEN))
		return "API token";
	return NULL;
}
