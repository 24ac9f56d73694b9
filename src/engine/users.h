/* users.h — user accounts (a record type), passwords, sessions, API tokens and login
   throttling. Everything lives in the store, so any number of servers can share it. */
#ifndef ISMS_USERS_H
#define ISMS_USERS_H
#include "record.h"

extern const struct record_type users_type;

#define USERS_SESSION_HOURS 12
/* Sign-in throttling: never a lock-out, a delay that doubles from USERS_DELAY_BASE_SECONDS
   with each failure beyond the free ones, for the addresses the failures came from. */
#define USERS_THROTTLE_USER 5     /* free failures per username per window */
#define USERS_THROTTLE_ADDRESS 20 /* free failures per address per window */
#define USERS_THROTTLE_MINUTES 15 /* the window, and the longest delay */
#define USERS_DELAY_BASE_SECONDS 30

/* The signed-in identity behind a request. */
struct identity {
	struct actor actor;
	char name[201];
	char csrf[48];     /* "" for API tokens */
	bool must_change;  /* the password is one-time and must be changed first */
	bool via_cookie;
};

/* Looks up username; fills c->actor (ERR_INVALID if there is no such active user). */
int users_actor(struct ctx *c, const char *username, struct err *e);
/* Sets a user's password (argon2id) after passwords_check; must_change marks it one-time.
   Logs it (credentials.c) and ends every session and API token of the user but the one the
   actor signed in with when the actor is that user. */
int users_set_password(struct ctx *c, long long user_id, const char *password, bool must_change,
		       struct err *e);
/* Checks a login (own transactions: call outside one); on success creates a session and
   fills token (to send as cookie) and id. Attempts are counted atomically per username and
   address; a throttled address gets ERR_THROTTLED without its password being checked.
   Unknown usernames cost the same argon2id work as known ones. */
int users_login(struct ctx *c, const char *username, const char *password, const char *address,
		char token[48], struct identity *id, struct err *e);
/* Resolves a session cookie or API token to an identity; ERR_UNAUTHENTICATED if unknown,
   expired or the user is disabled. */
int users_session(struct ctx *c, const char *token, struct identity *id, struct err *e);
int users_token_auth(struct ctx *c, const char *token, struct identity *id, struct err *e);
int users_logout(struct ctx *c, const char *token, struct err *e);
/* Creates an API token for username; token receives the secret, shown only once. */
int users_token_create(struct ctx *c, const char *username, const char *name, char token[64],
		       struct err *e);
/* Changes the password of the identity after checking the current one, throttled like a
   sign-in from address (own transactions: call outside one). Ends the user's other
   sessions and API tokens. */
int users_change_password(struct ctx *c, const struct identity *id, const char *address,
			  const char *current, const char *next, struct err *e);
/* The user as the session endpoint shows it (caller owns). */
json_t *users_identity_json(const struct registry *reg, const struct identity *id);

#endif
