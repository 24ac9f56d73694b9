/* c10_2_nonconformity.h — nonconformity and corrective action (10.2): the nonconformities,
   their corrective actions, the board and register views, and their checks. */
#ifndef ISMS_C10_2_NONCONFORMITY_H
#define ISMS_C10_2_NONCONFORMITY_H
#include "iso.h"

extern const struct record_type nonconformities_type, corrective_actions_type;
extern const struct view nonconformity_board_view, nonconformity_register_view;

/* Opens a nonconformity from fields (a JSON object of the type's fields: title, source,
   requirement … as a client would send them) through record_create, so validation, the
   actor's roles and the change log apply; *id gets the new record's id. 400 naming the
   field on bad input, nothing stored. For other modules (an audit finding of kind
   nonconformity opens one). */
int nonconformity_open(struct ctx *c, const json_t *fields, long long *id, struct err *e);

/* The 10.2 checks appended to items ({id, clause, rule, ok, detail, link}). */
int nonconformity_checks(struct ctx *c, json_t *items, struct err *e);

/* 10.2's input to a management review (module.h review_inputs), into 9.3.2 (d). */
int nonconformity_review_inputs(struct ctx *c, const char *since, const char *until,
				json_t *inputs, struct err *e);

#endif
