/* c9_2_audit.h — internal audit (9.2): the programme, reusable criteria, the finding scale,
   audits with their scope and team, findings, reproducible samples, the coverage matrix,
   the checklist and the report, and the 9.2 checks. */
#ifndef ISMS_C9_2_AUDIT_H
#define ISMS_C9_2_AUDIT_H
#include "iso.h"
#include "../engine/named_sql.h"

extern const struct record_type audit_programmes_type, audit_criteria_type, finding_kinds_type,
	audits_type, audit_findings_type, audit_samples_type;
extern const struct view audit_coverage_view, audit_checklist_view, audit_report_view;

/* Seeds the default finding scale (major/minor nonconformity, observation, opportunity for
   improvement, conformity); idempotent. */
int finding_kinds_seed(struct ctx *c, struct err *e);

/* Whether number ("4.1" … "10.2") is one of the product's clauses 4–10. */
bool audit_clause_known(const struct registry *reg, const char *number);

/* The sample drawn from population (a JSON array) of size items with seed: the same
   (population, size, seed) always gives the same items in the same order, on every
   machine (libsodium's deterministic generator, then Fisher–Yates). New array, caller
   owns; size above the population draws all of it. method "systematic" takes every
   n-th item from a drawn start; anything else a random draw. */
json_t *audit_sample_draw(const json_t *population, long long size, long long seed,
			  const char *method);

/* Whether the JSON array ids holds the integer id. */
bool audit_has_id(const json_t *ids, long long id);

/* The applicable Annex A controls (catalog controls with an applicable SoA entry), as
   stored, in the catalog's order. New array. Reads the catalog whole rather than binding
   a long list of ids. */
int audit_applicable_controls(struct ctx *c, json_t **out, struct err *e);

/* The catalog controls whose ids are in ids, in the catalog's order. New array. */
int audit_catalog_controls(struct ctx *c, const json_t *ids, json_t **out, struct err *e);


/* The coverage matrix's hand-written statement (named_sql.h). */
extern const struct named_sql coverage_sql[];

int audit_checks(struct ctx *c, json_t *items, struct err *e);
int audit_review_inputs(struct ctx *c, const char *since, const char *until, json_t *inputs,
			struct err *e);

#endif
