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

#endif
