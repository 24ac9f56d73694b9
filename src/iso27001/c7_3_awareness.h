/* c7_3_awareness.h — awareness campaigns (7.3): what people must know, for whom, by when,
   and who completed it; a campaign that names a policy also counts the acknowledgements of
   its version in force. The coverage view, the due items and the 7.3 check live in
   c7_3_awareness_coverage.c. */
#ifndef ISMS_AWARENESS_H
#define ISMS_AWARENESS_H
#include "iso.h"

extern const struct record_type awareness_campaigns_type, awareness_completions_type;
extern const struct view awareness_coverage_view;

/* The share of a campaign's audience that must complete it when none is stored. */
#define AWARENESS_TARGET_DEFAULT 90

/* The active people a campaign (stored record) is meant for: everyone, the people of its
   departments, the holders of its roles during its period, the people it names. *out
   (caller owns): an array of {"person": id, "name": "…"} sorted by name. */
int awareness_audience(struct ctx *c, const json_t *campaign, json_t **out, struct err *e);

/* Who completed a campaign, recorded or through an acknowledgement of the version in force
   of the policy it names: *out (caller owns) maps "<person id>" to {"on": date, "score":
   n|null, "via": "completion"|"acknowledgement"}. */
int awareness_completed(struct ctx *c, const json_t *campaign, json_t **out, struct err *e);

/* One campaign's coverage: {campaign, topic, status, starts_on, ends_on, due_on, target,
   audience_size, completed, not_completed, percent (whole, rounded down; null for an empty
   audience), met, overdue}; with detail also "done" [{person, name, on, score, via}] and
   "pending" [{person, name}]. *out (caller owns). */
int awareness_coverage_line(struct ctx *c, const json_t *campaign, bool detail, json_t **out,
			    struct err *e);

/* The module's due items and checks (c7_3_awareness_coverage.c). */
int awareness_due(struct ctx *c, bool mine, const char *today, const char *horizon,
		  json_t *items, struct err *e);
int awareness_checks(struct ctx *c, json_t *items, struct err *e);

#endif
