/* iso.h — the ISO/IEC 27001:2022 product built on the engine: its application roles, the
   role sets its modules share, and its registry (modules.c). */
#ifndef ISMS_ISO_H
#define ISMS_ISO_H
#include "../engine/module.h"

/* Application roles: what an account may use. Authority to approve or accept comes from
   the organization's roles (5.3, c5_3_roles.c), not from these. */
enum role {
	ROLE_ADMIN = APP_ROLE_ADMIN,
	ROLE_ISMS_MANAGER,
	ROLE_TOP_MANAGEMENT,
	ROLE_RISK_OWNER,
	ROLE_CONTROL_OWNER,
	ROLE_AUDITOR,
	ROLE_STAFF,
	ROLE_COUNT
};
#define ROLES_ALL ((1u << ROLE_COUNT) - 1)
/* Who maintains the ISMS's registers. */
#define EDITORS (RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER))
#define MANAGERS EDITORS
/* Who maintains the risk register. */
#define RISK_EDITORS (EDITORS | RB(ROLE_RISK_OWNER))

/* The role names, NULL-terminated, indexed by enum role (the values of role fields). */
extern const char *const role_names[];

/* The product's registry, built from its modules on first call (before any thread starts);
   NULL only if the module list is inconsistent, which the unit tests rule out. */
const struct registry *iso_registry(void);

/* The modules, one per clause file (modules.c lists them in order). */
extern const struct module people_module, c4_1_module, c4_2_module, c4_3_module, c4_4_module,
	a5_9_module, c5_1_module, c5_2_module, c5_3_module, c6_1_1_module, c6_1_2_module,
	c6_1_3_module, c6_2_module, annex_a_module, c7_1_module, c7_2_module, c7_3_module, c7_4_module, c7_5_module, c8_2_module, c6_3_module, c9_2_module, c9_1_module,
	c10_2_module, c10_1_module, c9_3_module;

#endif
