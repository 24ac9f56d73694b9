/* module.c — the registry derived from the product's modules. */
#include "module.h"
#include "named_sql.h"
#include "attachments.h"
#include "users.h"

#include <stdlib.h>
#include <string.h>

#include "../base/xalloc.h"

static bool type_known(const struct record_type **types, size_t n, const struct record_type *rt)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(types[k]->name, rt->name) == 0 || strcmp(types[k]->plural, rt->plural) == 0)
			return true;
	return false;
}

static bool view_known(const struct view **views, size_t n, const struct view *v)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(views[k]->name, v->name) == 0)
			return true;
	return false;
}

int registry_build(struct registry *reg, struct err *e)
{
	size_t nt = 0, nv = 0, ns = 0;
	for (size_t m = 0; m < reg->nmodules; m++) {
		nt += reg->modules[m]->ntypes;
		nv += reg->modules[m]->nviews;
		ns += reg->modules[m]->nseeds;
	}
	const struct record_type **types = xcalloc(nt + 1, sizeof *types);
	const struct view **views = xcalloc(nv + 1, sizeof *views);
	registry_seed_fn *seeds = xcalloc(ns + 1, sizeof *seeds);
	nt = nv = ns = 0;
	for (size_t m = 0; m < reg->nmodules; m++) {
		const struct module *mod = reg->modules[m];
		for (size_t i = 0; i < mod->ntypes; i++) {
			if (type_known(types, nt, mod->types[i])) {
				err_set(e, ERR_INTERNAL, NULL, "record type %s is declared twice",
					mod->types[i]->name);
				goto fail;
			}
			types[nt++] = mod->types[i];
		}
		for (size_t i = 0; i < mod->nviews; i++) {
			if (view_known(views, nv, mod->views[i])) {
				err_set(e, ERR_INTERNAL, NULL, "view %s is declared twice",
					mod->views[i]->name);
				goto fail;
			}
			views[nv++] = mod->views[i];
		}
		for (size_t i = 0; i < mod->nseeds; i++)
			seeds[ns++] = mod->seeds[i];
	}
	reg->types = types;
	reg->ntypes = nt;
	reg->views = views;
	reg->nviews = nv;
	reg->seeds = seeds;
	reg->nseeds = ns;
	for (size_t m = 0; m < reg->nmodules; m++)
		if (reg->modules[m]->sql && named_sql_check_all(reg, reg->modules[m]->sql, e) < 0)
			return -1;
	return 0;
fail:
	free(types);
	free(views);
	free(seeds);
	return -1;
}

const struct module *module_of_type(const struct registry *reg, const struct record_type *rt)
{
	for (size_t m = 0; m < reg->nmodules; m++)
		for (size_t i = 0; i < reg->modules[m]->ntypes; i++)
			if (reg->modules[m]->types[i] == rt)
				return reg->modules[m];
	return NULL;
}

static const struct record_type *const engine_types[] = {&users_type, &attachments_type};
static const struct view *const engine_views[] = {&due_view, &changes_view, &checks_view};

const struct module engine_module = {
	.title = "Accounts, evidence files and views of the whole ISMS",
	.file = __FILE__,
	.types = engine_types,
	.ntypes = COUNT_OF(engine_types),
	.views = engine_views,
	.nviews = COUNT_OF(engine_views),
};
