/* leadership.h — leadership and roles (5.1, 5.3): the organization's ISMS roles and who
   holds them, the RACI of processes and applied controls, and evidence of top management's
   commitment. */
#ifndef ISMS_LEADERSHIP_H
#define ISMS_LEADERSHIP_H
#include "iso.h"

extern const struct record_type roles_type;
extern const struct record_type role_assignments_type;
extern const struct record_type raci_type;
extern const struct record_type leadership_evidence_type;

/* The RACI matrix: {"roles": [{id, name}], "rows": [{kind: "process"|"control", id, title,
   cells: {"<role id>": {"entry": id, "value": "responsible"…}}, accountable: n}],
   "without_accountable": n}, every ISMS process and every applied control a row, those
   without entries too. *out (caller owns). Needs read access to the RACI. */
int leadership_raci(struct ctx *c, json_t **out, struct err *e);

extern const struct view raci_view;

/* Authorities a role may carry besides being top management (which holds them all). */
enum authority {
	AUTH_NAMED_ONLY,        /* only top management, or the role the record names */
	AUTH_APPROVE_DOCUMENTS, /* roles flagged "approves documents" */
	AUTH_APPROVE_SCOPE_SOA, /* roles flagged "approves scope and SoA" */
};

/* The organization's roles (records) the actor's person holds on day, as a new array
   (empty when the account is linked to no person). */
int authority_roles_held(struct ctx *c, const char *day, json_t **out, struct err *e);

/* Whether the actor may take a decision on its day (ctx_decision_day): their person holds
   a top-management role, or role (when not 0), or, when role is 0, a role carrying grant.
   ERR_FORBIDDEN naming what ("approve versions of POL-002"), the role needed and the day
   otherwise. Seeding (c->system) always may. */
int authority_check(struct ctx *c, long long role, enum authority grant, const char *what,
		    struct err *e);

#endif
