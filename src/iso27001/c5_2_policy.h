/* policy_checks.h — the auditor's first questions about clauses 5 and 7.5, answered from
   the records: each check with its clause, the rule, whether it holds and why. */
#ifndef ISMS_POLICY_CHECKS_H
#define ISMS_POLICY_CHECKS_H
#include "iso.h"

/* *out (caller owns): {"checks": [{id, clause, rule, ok, detail, link}], "passed",
   "total"}; link is the web app's address of what to look at, when there is one. */
int policy_checks(struct ctx *c, json_t **out, struct err *e);
/* The same checks, appended to items (the module's checks). */
int policy_checks_append(struct ctx *c, json_t *items, struct err *e);

#endif
