/* a5_9_assets.c — Annex A 5.9: the inventory of information and other associated assets,
   with C/I/A ratings and a parent without cycles. */
#include "c4_context.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

static const char *const asset_kinds[] = {"information", "software", "hardware", "service",
					  "people",      "site",     "supplier", NULL};
static const char *const classifications[] = {"public", "internal", "confidential",
					      "restricted", NULL};

static const struct field asset_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "What the asset is called in the organization."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = asset_kinds, .help = "Information, software, hardware, service, people, site "
				       "or supplier."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person", .flags = F_REQUIRED,
	 .help = "The person accountable for the asset and its protection (Annex A 5.9)."},
	{.name = "classification", .label = "Classification", .type = FT_ENUM,
	 .flags = F_REQUIRED, .values = classifications,
	 .help = "How sensitive it is, by the organization's classification scheme."},
	{.name = "confidentiality", .label = "Confidentiality need", .type = FT_INT, .min = 1,
	 .max = 5, .help = "1 (none) to 5 (very high): harm if disclosed."},
	{.name = "integrity", .label = "Integrity need", .type = FT_INT, .min = 1, .max = 5,
	 .help = "1 (none) to 5 (very high): harm if altered or wrong."},
	{.name = "availability", .label = "Availability need", .type = FT_INT, .min = 1, .max = 5,
	 .help = "1 (none) to 5 (very high): harm if unavailable."},
	{.name = "location", .label = "Location", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 200, .help = "Where it lives: a site, a cloud region, a system."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What it is and what it is used for."},
	{.name = "in_scope", .label = "In scope", .type = FT_BOOL, .def = "true",
	 .help = "Whether the asset falls inside the ISMS scope."},
	{.name = "parent", .label = "Part of", .type = FT_REF, .ref = "asset", .flags = F_SET_NULL,
	 .help = "A larger asset this one belongs to, e.g. a database within a platform."},
};

static int asset_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			  const json_t *old, struct err *e)
{
	(void)old;
	json_t *id = json_object_get(rec, "id"), *parent = json_object_get(rec, "parent");
	if (!id || !json_is_integer(parent))
		return 0;
	/* Walk up the parents: an asset may not end up inside itself. */
	long long at = json_integer_value(parent);
	for (int depth = 0; at && depth < 64; depth++) {
		if (at == json_integer_value(id))
			return err_set(e, ERR_INVALID, "parent",
				       "Part of: an asset cannot be part of itself");
		json_t *up;
		if (record_get(c, rt, at, &up, e) < 0)
			return -1;
		at = json_is_integer(json_object_get(up, "parent"))
			     ? json_integer_value(json_object_get(up, "parent"))
			     : 0;
		json_decref(up);
	}
	return 0;
}

const struct record_type assets_type = {
	.name = "asset",
	.plural = "assets",
	.table = "assets",
	.label = "asset",
	.label_plural = "assets",
	.clause = "A.5.9",
	.help = "The inventory of information and other associated assets, each with an owner.",
	.section = "4",
	.title_field = "name",
	.default_sort = "name",
	.fields = asset_fields,
	.nfields = sizeof asset_fields / sizeof asset_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
	.validate = asset_validate,
};

static const struct record_type *const a5_9_types[] = {
	&assets_type,
};

const struct module a5_9_module = {
	.clause = "A.5.9",
	.title = "Inventory of information and other associated assets",
	.file = __FILE__,
	.types = a5_9_types,
	.ntypes = COUNT_OF(a5_9_types),
};
