/* registry.c — application roles, registry look-ups, permissions and the domain context. */
#include "record.h"

#include <stdio.h>
#include <string.h>

#include "../base/clock.h"

const char *registry_role_name(const struct registry *reg, int r)
{
	return r >= 0 && r < reg->nroles ? reg->roles[r].name : "?";
}

int registry_role_parse(const struct registry *reg, const char *name)
{
	for (int i = 0; name && i < reg->nroles; i++)
		if (strcmp(reg->roles[i].name, name) == 0)
			return i;
	return -1;
}

const char *const *field_values(const struct registry *reg, const struct field *f)
{
	return (f->flags & F_APP_ROLE) ? reg->role_names : f->values;
}

void ctx_init(struct ctx *c, struct store *s, const struct registry *reg)
{
	memset(c, 0, sizeof *c);
	c->store = s;
	c->reg = reg;
	actor_set_roles(reg, &c->actor, -1, NULL);
	clock_now(c->now);
}

void ctx_today(const struct ctx *c, char out[11])
{
	snprintf(out, 11, "%.10s", c->now);
}

void ctx_decision_day(const struct ctx *c, char out[11])
{
	if (c->effective_on[0])
		snprintf(out, 11, "%s", c->effective_on);
	else
		ctx_today(c, out);
}

long long ctx_decider_person(const struct ctx *c)
{
	return c->decided_by ? c->decided_by : c->actor.person_id;
}

const char *ctx_decider(const struct ctx *c)
{
	return c->decided_by ? c->decided_by_name : c->actor.username;
}

void ctx_set_local_admin(struct ctx *c)
{
	c->actor.user_id = 0;
	snprintf(c->actor.username, sizeof c->actor.username, "%s", ACTOR_LOCAL);
	c->actor.role = APP_ROLE_ADMIN;
	c->actor.roles = RB(APP_ROLE_ADMIN);
}

void actor_set_roles(const struct registry *reg, struct actor *a, int main, const json_t *more)
{
	size_t i;
	json_t *name;
	a->role = main < 0 ? reg->default_role : main;
	a->roles = RB(a->role);
	json_array_foreach(more, i, name) {
		int r = registry_role_parse(reg, json_string_value(name));
		if (r >= 0)
			a->roles |= RB(r);
	}
}

bool actor_has(const struct actor *a, unsigned mask)
{
	return (a->roles & mask) != 0;
}

int actor_check_impartial(const struct ctx *c, const char *what, struct err *e)
{
	if (c->system || !actor_has(&c->actor, c->reg->impartial_roles))
		return 0;
	return err_set(e, ERR_CONFLICT, NULL,
		       "auditors stay impartial: an auditor's account never approves, accepts or "
		       "signs, so it may not %s",
		       what);
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
	return actor_has(&c->actor, rt->read_roles);
}

bool record_can_write(const struct ctx *c, const struct record_type *rt)
{
	return c->system || actor_has(&c->actor, rt->write_roles);
}
