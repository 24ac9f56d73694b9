/* changes.h — the tamper-evident change log: one hash-chained row per write. This file and
   changes.c are the only code that names the changes and chain_head tables: everything else
   appends and reads the log through the functions below.

   Ownership: every function runs inside the caller's transaction. A struct change handed to
   a callback, with its strings and parsed JSON, is borrowed for the duration of the call
   (json_incref what you keep). JSON results returned through json_t **out are new
   references the caller owns. */
#ifndef ISMS_CHANGES_H
#define ISMS_CHANGES_H
#include <jansson.h>
#include <stdbool.h>

#include "store.h"

struct change {
	long long seq, record_id;
	const char *at, *actor, *record_type, *op;
	const json_t *state;  /* the record after the change; NULL for a delete */
	const json_t *detail; /* e.g. an action's body; may be NULL */
	/* Read back only (ignored by changes_append): the stored hash, and whether a stored
	   state or detail is not valid JSON (it is then NULL here). */
	const char *hash;
	bool unreadable;
};

/* Called for each change read; a negative return stops the read and is returned (with e
   set by the callback). */
typedef int (*changes_fn)(void *arg, const struct change *ch, struct err *e);

/* The canonical text a change's hash covers (caller frees). */
char *changes_canonical(const struct change *ch);
/* Appends ch (seq is assigned) in the caller's write transaction. */
int changes_append(struct store *s, struct change *ch, struct err *e);

/* Every change, in sequence order (verify). */
int changes_scan(struct store *s, changes_fn fn, void *arg, struct err *e);
/* The chain head: the sequence of the last change (*found false if the row is missing). */
int changes_head(struct store *s, long long *seq, bool *found, struct err *e);

/* History of one record, oldest first: {"items":[{seq, at, actor, op, state, detail,
   effective_on, reason}], with the day a decision took effect and why it was recorded late
   (both from the detail, null when it took effect when keyed in),
   "total":N} (caller owns). 404 naming label if the record never existed. */
int changes_history(struct store *s, const char *type, long long id, const char *label,
		    json_t **out, struct err *e);
/* The actor of the newest change of record (type, id) whose op is one of ops
   (NULL-terminated, at most 8), into out; "" if there is none. */
int changes_last_actor(struct store *s, const char *type, long long id,
		       const char *const *ops, char *out, size_t size, struct err *e);

/* The state record (type, id) had at time until (canonical RFC 3339 UTC): *out is a new
   reference, or NULL when it did not exist then (not yet created, or deleted). */
int changes_state_at(struct store *s, const char *type, long long id, const char *until,
		     json_t **out, struct err *e);
/* Every record of type that existed at time until, in no particular order: fn gets its id
   and its state then (borrowed: json_incref what you keep; a state that is not a JSON
   object is passed over). */
int changes_states_at(struct store *s, const char *type, const char *until,
		      int (*fn)(void *arg, long long id, json_t *state), void *arg,
		      struct err *e);

/* How many changes were made from since to until (RFC 3339 prefixes compared as text:
   "2026-03-21" ≤ at < "2026-09-25" takes whole UTC days; since NULL: from the start), per
   record type and operation, in one grouped query: fn(arg, type, op, count, a record id of
   the group) for each group, ordered by type then operation. */
int changes_counts(struct store *s, const char *since, const char *until,
		   int (*fn)(void *arg, const char *type, const char *op, long long n,
			     long long some_id, struct err *e),
		   void *arg, struct err *e);

/* The audit trail across record types, newest first. */
struct changes_feed_query {
	const char *const *types; /* record type names; an empty set matches nothing */
	size_t ntypes;
	const char *actor;        /* only this actor's changes, or NULL for anyone's */
	long long limit, offset;  /* a page: limit ≥ 1, offset ≥ 0 (checked by the caller) */
};

/* Counts the changes q matches into *total, then calls fn for the page of them, newest
   first. */
int changes_feed(struct store *s, const struct changes_feed_query *q, long long *total,
		 changes_fn fn, void *arg, struct err *e);

#endif
