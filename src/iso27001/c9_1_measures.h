/* c9_1_measures.h — monitoring and measurement (9.1): measures in the manner of ISO/IEC
   27004 (the information need, what is measured and how, decision criteria, who collects,
   analyses and is told) and their dated measurements. */
#ifndef ISMS_C9_1_MEASURES_H
#define ISMS_C9_1_MEASURES_H
#include "iso.h"

extern const struct record_type measures_type, measurements_type;
extern const struct view measure_trend_view, measure_dashboard_view;

/* The status a value has against a measure's decision criteria: "green" when it reaches
   the green threshold in the measure's direction, "red" when it is at or beyond the red
   threshold, "amber" between; "none" when the measure has no thresholds. Static string. */
const char *measure_status(const json_t *measure, double value);

/* The latest measurement of a measure on or before day (YYYY-MM-DD, NULL for any day)
   into *latest, and the one before it into *previous (either may be NULL when there is
   none; pass previous NULL when not wanted). The caller owns both. */
int measure_latest(struct ctx *c, long long measure, const char *day, json_t **latest,
		   json_t **previous, struct err *e);

/* The day the next measurement of an active measure is due into out: one period of its
   frequency after its latest measurement, or today when it has none yet; "" for an
   inactive measure. */
void measure_next_due(const json_t *measure, const char *latest_on, const char *today,
		      char out[11]);

/* The measurements of a measure, oldest first (a new array into *out). */
int measure_measurements(struct ctx *c, long long measure, json_t **out, struct err *e);

/* What is due (module.h's due hook): active measures whose next collection has come, for
   their collector. */
int measure_due(struct ctx *c, bool mine, const char *today, const char *horizon,
		json_t *items, struct err *e);

/* The auditor's checks of 9.1 and the module's management review inputs (module.h). */
int measure_checks(struct ctx *c, json_t *items, struct err *e);
int measure_review_inputs(struct ctx *c, const char *since, const char *until, json_t *inputs,
			  struct err *e);

#endif
