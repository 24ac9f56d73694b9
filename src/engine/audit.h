/* audit.h — the audit trail: the change log across every record type the actor may read,
   newest first, filterable by type and actor (what /api/v1/changes shows). */
#ifndef ISMS_AUDIT_H
#define ISMS_AUDIT_H
#include "record.h"

struct audit_query {
	const char *type;  /* a record type's name or plural, or NULL / "" for every type */
	const char *actor; /* a username, or NULL / "" for everyone */
	long long limit;   /* 1 … 500 */
	long long offset;  /* ≥ 0 */
};

/* *out (caller owns): {"items": [{seq, at, actor, type (plural), id, op, title}], "total"}
   where title is the record's title in the state the change recorded ("" for a delete).
   ERR_INVALID naming limit, offset or type (one the actor may not read counts as
   unknown). */
int audit_trail(struct ctx *c, const struct audit_query *q, json_t **out, struct err *e);

#endif
