/* catalog.c — loads the ISO/IEC 27001:2022 catalog built into the binary (control ids,
   short titles, themes and ISO/IEC 27002 attribute tags; no text of the standard) and
   creates one Statement of Applicability entry per Annex A control. */
#include "annex_a.h"
#include "c6_1_3_controls.h"
#include "c6_1_3_soa.h"
#include "../base/embed.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <stdio.h>

#define ANNEX_A_PATH "data/annex-a.json"

/* Creates a record of a type clients may not create (catalogs are read-only, SoA entries
   exist only per catalog control), as isms itself (c->system). */
static int system_create(struct ctx *c, const struct record_type *rt, const json_t *input,
			 long long *id, struct err *e)
{
	json_t *rec;
	bool was = c->system;
	c->system = true;
	int rc = record_create(c, rt, input, &rec, e);
	c->system = was;
	if (rc < 0)
		return -1;
	*id = json_integer_value(json_object_get(rec, "id"));
	json_decref(rec);
	return 0;
}

static int ensure_framework(struct ctx *c, long long *id, struct err *e)
{
	struct query q = {.type = "framework", .where = {QEQ("name", SVS(CATALOG_ISO27001))}};
	if (query_id(c, &q, id, e) < 0)
		return -1;
	if (*id)
		return 0;
	json_t *in = json_build(
		"{s:s, s:s, s:s, s:s}", "name", CATALOG_ISO27001, "edition", "2022", "publisher",
		"ISO/IEC", "description",
		"The international standard for information security management systems. Its "
		"Annex A lists 93 reference controls in four themes; the Statement of "
		"Applicability records for each whether it applies, why, and how far it is "
		"implemented. isms ships only the control numbers, short titles and the ISO/IEC "
		"27002:2022 attribute tags.");
	int rc = system_create(c, &frameworks_type, in, id, e);
	json_decref(in);
	return rc;
}

/* Checks one control of the embedded data; the data is ours, so a bad entry is a bug. */
static int check_item(const json_t *item, size_t i, struct err *e)
{
	if (!json_is_object(item) || !json_str(item, "id") || !json_str(item, "title") ||
	    !json_str(item, "theme") || !json_is_object(json_object_get(item, "attributes")) ||
	    !json_is_boolean(json_object_get(item, "new_in_2022")))
		return err_set(e, ERR_INTERNAL, NULL,
			       ANNEX_A_PATH ": control %zu lacks id, title, theme, attributes or "
					    "new_in_2022",
			       i + 1);
	return 0;
}

static int ensure_control(struct ctx *c, long long framework, const json_t *item,
			  long long *id, struct err *e)
{
	const char *cid = json_str(item, "id"), *title = json_str(item, "title");
	struct query q = {.type = "catalog_control",
			  .where = {QEQ("framework", SVI(framework)), QEQ("control_id", SVS(cid))}};
	if (query_id(c, &q, id, e) < 0)
		return -1;
	if (*id)
		return 0;
	char name[256];
	snprintf(name, sizeof name, "%s %s", cid, title);
	json_t *in = json_build("{s:I, s:s, s:s, s:s, s:s, s:O, s:O}", "framework",
			       (json_int_t)framework, "control_id", cid, "title", title, "name",
			       name, "theme", json_str(item, "theme"), "attributes",
			       json_object_get(item, "attributes"), "new_in_2022",
			       json_object_get(item, "new_in_2022"));
	int rc = system_create(c, &catalog_controls_type, in, id, e);
	json_decref(in);
	return rc;
}

static int ensure_soa_entry(struct ctx *c, long long control, const json_t *item,
			    struct err *e)
{
	long long id;
	struct query q = {.type = "soa_entry", .where = {QEQ("catalog_control", SVI(control))}};
	if (query_id(c, &q, &id, e) < 0)
		return -1;
	if (id)
		return 0;
	char title[256];
	snprintf(title, sizeof title, "%s %s", json_str(item, "id"), json_str(item, "title"));
	json_t *in = json_build("{s:I, s:s, s:b, s:[]}", "catalog_control", (json_int_t)control,
			       "title", title, "applicable", 1, "inclusion_reasons");
	int rc = system_create(c, &soa_type, in, &id, e);
	json_decref(in);
	return rc;
}

int catalog_seed(struct ctx *c, struct err *e)
{
	const struct embedded_file *f = embed_find(ANNEX_A_PATH);
	if (!f)
		return err_set(e, ERR_INTERNAL, NULL, ANNEX_A_PATH " is not built into isms");
	json_error_t je;
	json_t *items = json_loadb((const char *)f->data, f->size, 0, &je);
	int ret = -1;
	if (!json_is_array(items)) {
		err_set(e, ERR_INTERNAL, NULL, ANNEX_A_PATH ": not a JSON array (line %d: %s)",
			je.line, je.text);
		goto out;
	}
	long long framework;
	if (ensure_framework(c, &framework, e) < 0)
		goto out;
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) {
		long long control;
		if (check_item(item, i, e) < 0 || ensure_control(c, framework, item, &control, e) < 0 ||
		    ensure_soa_entry(c, control, item, e) < 0)
			goto out;
	}
	ret = 0;
out:
	json_decref(items);
	return ret;
}

static const struct record_type *const annex_a_types[] = {
	&frameworks_type,
	&catalog_controls_type,
};

static const registry_seed_fn annex_a_seeds[] = {catalog_seed};

const struct module annex_a_module = {
	.clause = "A",
	.title = "Annex A: the reference controls",
	.file = __FILE__,
	.types = annex_a_types,
	.ntypes = COUNT_OF(annex_a_types),
	.seeds = annex_a_seeds,
	.nseeds = COUNT_OF(annex_a_seeds),
};
