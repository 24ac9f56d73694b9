/* iso.h — the ISO/IEC 27001:2022 product built on the engine: its application roles, the
   role sets its modules share, and its registry (modules.c). */
#ifndef ISMS_ISO_H
#define ISMS_ISO_H
#include "../engine/record.h"

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

extern const struct registry isms_registry;

#endif
