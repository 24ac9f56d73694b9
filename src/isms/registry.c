/* registry.c — roles, registry look-ups, permissions and the domain context. */
#include "record.h"

#include <stdio.h>
#include <string.h>

#include "../base/clock.h"

const char *const role_names[] = {"admin",         "isms_manager", "top_management", "risk_owner",
				  "control_owner", "auditor",      "staff",          NULL};

int role_parse(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

void ctx_init(struct ctx *c, struct store *s, const struct registry *reg)
{
	memset(c, 0, sizeof *c);
	c->store = s;
	c->reg = reg;
	c->actor.role = ROLE_STAFF;
	clock_now(c->now);
}

void ctx_today(const struct ctx *c, char out[11])
{
	snprintf(out, 11, "%.10s", c->now);
}

void ctx_set_local_admin(struct ctx *c)
{
	c->actor.user_id = 0;
	snprintf(c->actor.username, sizeof c->actor.username, "%s", ACTOR_LOCAL);
	c->actor.role = ROLE_ADMIN;
}

const struct record_type *registry_find(const struct registry *reg, const char *name)
{
	for (size_t i = 0; i < reg->ntypes; i++) {
		const struct record_type *rt = reg->types[i];
		if (strcmp(rt->plural, name) == 0 || strcmp(rt->name, name) == 0)
			return rt;
	}
	return NULL;
}

const struct field *record_field(const struct record_type *rt, const char *name)
{
	for (size_t i = 0; i < rt->nfields; i++)
		if (strcmp(rt->fields[i].name, name) == 0)
			return &rt->fields[i];
	return NULL;
}

bool record_can_read(const struct ctx *c, const struct record_type *rt)
{
	return (rt->read_roles & RB(c->actor.role)) != 0;
}

bool record_can_write(const struct ctx *c, const struct record_type *rt)
{
	return c->system || (rt->write_roles & RB(c->actor.role)) != 0;
}
