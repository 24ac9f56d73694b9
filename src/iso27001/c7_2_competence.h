/* c7_2_competence.h — competence (7.2): the catalog of competences, what each organizational
   role requires, training courses, each person's training and qualification records with
   their expiry and the check of their effectiveness, and the matrix of role holders against
   what their roles require. */
#ifndef ISMS_COMPETENCE_H
#define ISMS_COMPETENCE_H
#include "iso.h"
#include "../engine/named_sql.h"

extern const struct record_type competences_type;
extern const struct record_type competence_requirements_type;
extern const struct record_type trainings_type;
extern const struct record_type training_records_type;
extern const struct view competence_matrix_view;
/* The matrix's reads over whole tables (checked by tests/unit/test_query.c). */
extern const struct named_sql competence_sql[];

/* A competence that expires within this many days of the matrix's day is "expiring". */
#define COMPETENCE_EXPIRING_DAYS 60

/* The competence matrix on day `on` (YYYY-MM-DD), for one role (role > 0) or every role:
     {"on", "expiring_days", "requirements": n (every role's, unfiltered),
      "competences": [{id, name, kind}] (the required ones, by name),
      "roles": [{id, name, holders: n, required: [competence ids]}] (by name),
      "rows": [{role, role_name, person, person_name, since, cells: {"<competence id>":
                {status: valid|expiring|expired|missing, requirement, required_since, record?,
                 obtained_on?, expires_on? (absent: does not expire)}}}] (grouped by role,
                 holders by name),
      "totals": {valid, expiring, expired, missing}}
   A cell exists only for the competences the row's role requires. *out (caller owns).
   An unknown role is 400 naming "role". Checks no roles (domain read). */
int competence_matrix(struct ctx *c, long long role, const char *on, json_t **out,
		      struct err *e);

/* The auditor's checks of 7.2, appended to items. */
int competence_checks(struct ctx *c, json_t *items, struct err *e);

/* What is due for 7.2 (module due hook): every gap of a current role holder (a required
   competence missing or expired) and every required one expiring by horizon, as due items
   owned by the holder. */
int competence_due(struct ctx *c, bool mine, const char *today, const char *horizon,
		   json_t *items, struct err *e);

#endif
