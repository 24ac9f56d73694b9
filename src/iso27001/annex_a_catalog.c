/* annex_a_catalog.c — frameworks and their catalog controls: reference data that only the
   catalog seed (annex_a.c) writes. */
#include "c6_1_3_controls.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* ---- frameworks and catalog controls ------------------------------------------------ */

static const struct field framework_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 200,
	 .help = "The framework and its edition, e.g. \"ISO/IEC 27001:2022\"."},
	{.name = "edition", .label = "Edition", .type = FT_TEXT, .max_len = 50,
	 .help = "The edition or revision of the framework, e.g. \"2022\"."},
	{.name = "publisher", .label = "Publisher", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 200, .help = "Who publishes the framework."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the framework covers and how the ISMS uses it."},
};

const struct record_type frameworks_type = {
	.name = "framework",
	.plural = "frameworks",
	.table = "frameworks",
	.label = "framework",
	.label_plural = "frameworks",
	.clause = "6.1.3",
	.help = "Control catalogs that the ISMS compares its own controls with. Shipped with isms "
		"and read-only.",
	.section = "6",
	.title_field = "name",
	.default_sort = "name",
	.fields = framework_fields,
	.nfields = sizeof framework_fields / sizeof framework_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = 0, /* only the catalog seed writes, through its own copy of the type */
	.since = 1,
};

static const char *const themes[] = {"organizational", "people", "physical", "technological",
				     NULL};

static const struct field catalog_control_fields[] = {
	{.name = "framework", .label = "Framework", .type = FT_REF, .ref = "framework",
	 .flags = F_REQUIRED, .help = "The catalog this control belongs to."},
	{.name = "control_id", .label = "Control", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_SEARCH | F_INDEX, .max_len = 20,
	 .help = "The control's number in its framework, e.g. \"5.15\" for Annex A control "
		 "5.15; unique within the framework."},
	{.name = "title", .label = "Title", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "The control's short title."},
	{.name = "name", .label = "Number and title", .type = FT_TEXT, .flags = F_REQUIRED,
	 .max_len = 230, .help = "Number and title together, as shown in lists and references."},
	{.name = "theme", .label = "Theme", .type = FT_ENUM, .values = themes,
	 .help = "Annex A sorts its controls into four themes: organizational (5.x), people "
		 "(6.x), physical (7.x) and technological (8.x)."},
	{.name = "attributes", .label = "Attributes", .type = FT_JSON,
	 .help = "Classification tags from ISO/IEC 27002:2022, useful for filtering: "
		 "{\"control_types\": […], \"information_security_properties\": […], "
		 "\"cybersecurity_concepts\": […], \"operational_capabilities\": […], "
		 "\"security_domains\": […]}."},
	{.name = "new_in_2022", .label = "New in 2022", .type = FT_BOOL,
	 .help = "Whether the control first appeared in the 2022 edition."},
};

/* Attributes are an object whose values are lists of tags. */
static int check_attributes(const json_t *v, struct err *e)
{
	if (json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return err_set(e, ERR_INVALID, "attributes",
			       "Attributes must be an object of lists of tags");
	const char *key;
	json_t *list;
	json_object_foreach((json_t *)v, key, list) {
		size_t i;
		json_t *tag;
		if (!json_is_array(list))
			return err_set(e, ERR_INVALID, "attributes",
				       "Attributes: %s must be a list of tags", key);
		json_array_foreach(list, i, tag) if (!json_is_string(tag))
			return err_set(e, ERR_INVALID, "attributes",
				       "Attributes: %s must be a list of tags", key);
	}
	return 0;
}

static int catalog_control_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
				    const json_t *old, struct err *e)
{
	(void)rt;
	(void)old;
	if (check_attributes(json_object_get(rec, "attributes"), e) < 0)
		return -1;
	struct query q = {.type = "catalog_control",
			  .where = {QEQ("framework", SVI(json_int(rec, "framework"))),
				    QEQ("control_id", SVS(json_str(rec, "control_id"))),
				    QNE("id", SVI(json_int(rec, "id")))}};
	long long other;
	if (query_id(c, &q, &other, e) < 0)
		return -1;
	if (other)
		return err_set(e, ERR_CONFLICT, "control_id",
			       "Control: catalog control %lld already has this number in the "
			       "framework",
			       other);
	return 0;
}

const struct record_type catalog_controls_type = {
	.name = "catalog_control",
	.plural = "catalog-controls",
	.table = "catalog_controls",
	.label = "catalog control",
	.label_plural = "catalog controls",
	.clause = "6.1.3",
	.help = "The reference controls of each framework, e.g. the 93 controls of ISO/IEC "
		"27001:2022 Annex A, with their themes and attributes. Read-only.",
	.section = "6",
	.title_field = "name",
	.default_sort = "id", /* the catalog's own order: 5.1, 5.2, … 5.10 */
	.fields = catalog_control_fields,
	.nfields = sizeof catalog_control_fields / sizeof catalog_control_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = 0, /* only the catalog seed writes, through its own copy of the type */
	.since = 1,
	.validate = catalog_control_validate,
};
