/* context.h — clause 4: context issues, the climate decision, interested parties and their
   requirements, the ISMS scope, ISMS processes, and the asset inventory. */
#ifndef ISMS_CONTEXT_H
#define ISMS_CONTEXT_H
#include "iso.h"

extern const struct record_type context_issues_type;
extern const struct record_type climate_decisions_type;
extern const struct record_type interested_parties_type;
extern const struct record_type requirements_type;
extern const struct record_type scopes_type;
extern const struct record_type processes_type;
extern const struct record_type assets_type;

#endif
