/* changes.h — the tamper-evident change log: one hash-chained row per write. */
#ifndef ISMS_CHANGES_H
#define ISMS_CHANGES_H
#include <jansson.h>

#include "store.h"

struct change {
	long long seq, record_id;
	const char *at, *actor, *record_type, *op;
	const json_t *state;  /* the record after the change; NULL for a delete */
	const json_t *detail; /* e.g. an action's body; may be NULL */
};

/* The canonical text a change's hash covers (caller frees). */
char *changes_canonical(const struct change *ch);
/* Appends ch (seq is assigned) in the caller's write transaction. */
int changes_append(struct store *s, struct change *ch, struct err *e);
/* History of one record, oldest first: {"items":[…],"total":N} (caller owns). 404 if the
   record never existed. */
int changes_history(struct store *s, const char *type, long long id, const char *label,
		    json_t **out, struct err *e);

#endif
