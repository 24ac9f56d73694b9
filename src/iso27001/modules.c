/* modules.c — the product's registry: its application roles, every record type it ships,
   and the newest schema version. */
#include "iso.h"
#include "../engine/attachments.h"
#include "annex_a.h"
#include "c4_context.h"
#include "c6_1_3_controls.h"
#include "c7_3_acknowledgements.h"
#include "c7_5_documents.h"
#include "c5_leadership.h"
#include "c6_1_3_soa.h"
#include "people.h"
#include "c6_1_2_risks.h"
#include "c6_1_3_treatment.h"
#include "../engine/users.h"

static const struct app_role product_roles[] = {
	[ROLE_ADMIN] = {"admin", "Administrator"},
	[ROLE_ISMS_MANAGER] = {"isms_manager", "ISMS manager"},
	[ROLE_TOP_MANAGEMENT] = {"top_management", "Top management"},
	[ROLE_RISK_OWNER] = {"risk_owner", "Risk owner"},
	[ROLE_CONTROL_OWNER] = {"control_owner", "Control owner"},
	[ROLE_AUDITOR] = {"auditor", "Auditor"},
	[ROLE_STAFF] = {"staff", "Staff"},
};

const char *const role_names[] = {"admin",         "isms_manager", "top_management", "risk_owner",
				  "control_owner", "auditor",      "staff",          NULL};

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
	.roles = product_roles,
	.role_names = role_names,
	.nroles = ROLE_COUNT,
	.default_role = ROLE_STAFF,
};
