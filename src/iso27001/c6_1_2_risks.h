/* risk.h — clause 6.1.2 and 8.2: the risk method, the risk register, the threat catalog,
   ISMS risks and opportunities (6.1.1), and risk assessment runs. */
#ifndef ISMS_RISK_H
#define ISMS_RISK_H
#include "iso.h"

extern const struct record_type risk_methods_type;
extern const struct record_type risks_type;
extern const struct record_type threats_type;
extern const struct record_type isms_risks_type;
extern const struct record_type risk_assessments_type;

/* The approved risk method in force (caller owns), or *out = NULL if none is approved. */
int risk_method_current(struct ctx *c, json_t **out, struct err *e);
/* Index (0 = lowest) of a risk level name in a method, or -1. */
int risk_level_index(const json_t *method, const char *level);
/* Seeds the default 5×5 method (a draft) when the store has none, and the threat catalog. */
int risk_seed(struct ctx *c, struct err *e);

extern const struct view heatmap_view, risk_register_view;

#endif
