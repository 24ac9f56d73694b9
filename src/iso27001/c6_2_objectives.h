/* c6_2_objectives.h — information security objectives (6.2): what the organization means to
   achieve, measured against a target by a due date, and the results measured on the way. */
#ifndef ISMS_C6_2_OBJECTIVES_H
#define ISMS_C6_2_OBJECTIVES_H
#include "iso.h"

extern const struct record_type objectives_type, objective_results_type;
extern const struct view objective_trend_view, objective_register_view;

/* Whether value meets target in the objective's direction ("at_least" or "at_most"). */
bool objective_meets(const json_t *objective, double value);

/* The results of an objective, oldest first, as stored (a new array into *out). */
int objective_results(struct ctx *c, long long objective, json_t **out, struct err *e);

/* The auditor's checks of 6.2, appended to items as {id, clause, rule, ok, detail, link}. */
int objective_checks(struct ctx *c, json_t *items, struct err *e);

#endif
