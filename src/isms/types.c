/* types.c — the product's registry: every record type isms ships, and the newest schema
   version. Adding a record type means adding its table here and bumping the version if it
   needs a migration. */
#include "types.h"
#include "attachments.h"
#include "catalog.h"
#include "context.h"
#include "controls.h"
#include "acknowledgements.h"
#include "documents.h"
#include "leadership.h"
#include "soa.h"
#include "people.h"
#include "risk.h"
#include "treatment.h"
#include "users.h"

static const struct record_type *const product_types[] = {
	&people_type,
	&users_type,
	&context_issues_type,
	&climate_decisions_type,
	&interested_parties_type,
	&requirements_type,
	&scopes_type,
	&processes_type,
	&assets_type,
	&risk_methods_type,
	&risks_type,
	&threats_type,
	&isms_risks_type,
	&risk_assessments_type,
	&frameworks_type,
	&catalog_controls_type,
	&controls_type,
	&soa_type,
	&soa_versions_type,
	&treatment_actions_type,
	&documents_type,
	&document_versions_type,
	&acknowledgements_type,
	&roles_type,
	&role_assignments_type,
	&raci_type,
	&leadership_evidence_type,
	&attachments_type,
};

/* Shipped data loaded by `isms init`, in order. */
static const registry_seed_fn product_seeds[] = {
	risk_seed,
	catalog_seed,
};

const struct registry isms_registry = {
	.types = product_types,
	.ntypes = sizeof product_types / sizeof product_types[0],
	.schema_version = 1,
	.seeds = product_seeds,
	.nseeds = sizeof product_seeds / sizeof product_seeds[0],
};
