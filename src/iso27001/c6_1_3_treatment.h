/* treatment.h — clauses 6.1.3 e and 8.3: the risk treatment plan, one action per step, with
   its owner, due date and progress; whether an action is overdue is computed. */
#ifndef ISMS_TREATMENT_H
#define ISMS_TREATMENT_H
#include "iso.h"

extern const struct record_type treatment_actions_type;

extern const struct view treatment_plan_view;

#endif
