/* treatment.h — clauses 6.1.3 e and 8.3: the risk treatment plan, one action per step, with
   its owner, due date and progress; whether an action is overdue is computed. */
#ifndef ISMS_TREATMENT_H
#define ISMS_TREATMENT_H
#include "iso.h"

extern const struct record_type treatment_actions_type;

extern const struct view treatment_plan_view;

/* 9.3.2 f: the status of the risk treatment plan, for management reviews. */
int treatment_review_inputs(struct ctx *c, const char *since, const char *until,
			    json_t *inputs, struct err *e);

#endif
