/* credentials.h — accounts' secrets under the change log. Every change to a password hash
   (table credentials) or an API token (table api_tokens) appends a change of the pseudo
   record type "credential" (id: the user's id) or "api_token" (id: the token's id) whose
   state is a digest of the row, never the secret itself, so `isms verify` notices a hash
   copied onto another account or a token row written outside isms. Sessions are short-lived
   and not logged.

   Every function runs inside the caller's write transaction. */
#ifndef ISMS_CREDENTIALS_H
#define ISMS_CREDENTIALS_H
#include "record.h"

#define CREDENTIALS_PASSWORD "credential"
#define CREDENTIALS_TOKEN "api_token"

/* Logs the user's password row as it is now, or its deletion when there is none. */
int credentials_log_password(struct ctx *c, long long user_id, struct err *e);
/* Logs token id as it is now (op "create"), or its deletion when the row is gone. */
int credentials_log_token(struct ctx *c, long long token_id, struct err *e);
/* Deletes the user's API tokens, logging each; keep_hash (may be NULL) names one to keep. */
int credentials_revoke_tokens(struct ctx *c, long long user_id, const char *keep_hash,
			      struct err *e);

/* Calls fn for every stored password row and token, with its kind (one of the names
   above), id and the state its log entry must hold (borrowed). */
int credentials_scan(struct ctx *c, int (*fn)(void *arg, const char *kind, long long id,
					      json_t *state),
		     void *arg, struct err *e);
/* What a kind is called in verify's report ("password of user"), or NULL if kind is no
   credential kind. */
const char *credentials_label(const char *kind);

#endif
