/* modules.c — the product: its application roles, the clauses it means to cover, and the
   one list of its modules, from which the registry is built. Adding a module is one line
   here. */
#include "iso.h"

#include <stdio.h>

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

/* The modules in the order their types are created, listed and seeded. */
static const struct module *const product_modules[] = {
	&people_module,
	&engine_module,
	&c4_1_module,
	&c4_2_module,
	&c4_3_module,
	&c4_4_module,
	&a5_9_module,
	&c6_1_2_module,
	&c6_1_1_module,
	&c8_2_module,
	&annex_a_module,
	&c6_1_3_module,
	&c7_5_module,
	&c7_3_module,
	&c7_4_module,
	&c5_3_module,
	&c5_1_module,
	&c5_2_module,
	&c7_1_module,
	&c7_2_module,
	&c6_2_module,
	&c6_3_module,
	&c9_1_module,
	&c10_2_module,
	&c10_1_module,
	&c9_2_module,
	&c9_3_module,
};

/* The clauses of ISO/IEC 27001:2022 the product means to cover, for the clause index
   (`isms clauses`, docs/clauses.md). Short titles only. */
static const struct clause product_clauses[] = {
	{"4.1", "Understanding the organization and its context"},
	{"4.2", "Needs and expectations of interested parties"},
	{"4.3", "Scope of the ISMS"},
	{"4.4", "Information security management system"},
	{"5.1", "Leadership and commitment"},
	{"5.2", "Policy"},
	{"5.3", "Roles, responsibilities and authorities"},
	{"6.1.1", "Actions to address risks and opportunities: general"},
	{"6.1.2", "Information security risk assessment"},
	{"6.1.3", "Information security risk treatment"},
	{"6.2", "Information security objectives and planning to achieve them"},
	{"6.3", "Planning of changes"},
	{"7.1", "Resources"},
	{"7.2", "Competence"},
	{"7.3", "Awareness"},
	{"7.4", "Communication"},
	{"7.5", "Documented information"},
	{"8.1", "Operational planning and control"},
	{"8.2", "Information security risk assessment"},
	{"8.3", "Information security risk treatment"},
	{"9.1", "Monitoring, measurement, analysis and evaluation"},
	{"9.2", "Internal audit"},
	{"9.3", "Management review"},
	{"10.1", "Continual improvement"},
	{"10.2", "Nonconformity and corrective action"},
	{"A", "Annex A: information security controls"},
	{"A.5.9", "Inventory of information and other associated assets"},
};

static struct registry product = {
	.name = "ISO/IEC 27001:2022",
	.modules = product_modules,
	.nmodules = COUNT_OF(product_modules),
	.clauses = product_clauses,
	.nclauses = COUNT_OF(product_clauses),
	.schema_version = 4,
	.roles = product_roles,
	.role_names = role_names,
	.nroles = ROLE_COUNT,
	.default_role = ROLE_STAFF,
	/* Those who record acknowledgements and decisions for others may date them back. */
	.backdate_roles = EDITORS,
	/* Auditors judge the ISMS: they never take its decisions. */
	.impartial_roles = RB(ROLE_AUDITOR),
};

const struct registry *iso_registry(void)
{
	if (product.ntypes)
		return &product;
	struct err e;
	err_clear(&e);
	if (registry_build(&product, &e) < 0) {
		fprintf(stderr, "isms: %s\n", e.message);
		return NULL;
	}
	return &product;
}
