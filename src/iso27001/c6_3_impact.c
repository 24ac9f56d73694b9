/* c6_3_impact.c — the impact trace of a planned change (6.3): from what the change names,
   one and two steps out: the assets it touches and the risks on them (plus the risks it
   names), the controls treating those risks (plus the controls it names), the SoA entries of
   those controls' catalog controls, and the documents and scopes and processes it names. A
   risk not reassessed since the change was approved is marked "reassess". */
#include "c6_3_changes.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* Appends id to the array under key of obj (created if absent), once. */
static void add_through(json_t *obj, const char *key, long long id)
{
	json_t *list = json_object_get(obj, key), *v;
	size_t i;
	if (!list) {
		list = json_array();
		json_object_set_new(obj, key, list);
	}
	json_array_foreach(list, i, v) {
		if (json_integer_value(v) == id)
			return;
	}
	json_array_append_new(list, json_integer(id));
}

/* The entry of map for id ({"named": false, "through": []} when new); borrowed. */
static json_t *entry(json_t *map, long long id)
{
	char key[32];
	snprintf(key, sizeof key, "%lld", id);
	json_t *it = json_object_get(map, key);
	if (!it) {
		it = json_build("{s:I, s:b, s:[]}", "id", (json_int_t)id, "named", 0, "through");
		json_object_set_new(map, key, it);
	}
	return it;
}

/* The ids (keys) of map as a new array of integers. */
static json_t *ids_of(const json_t *map)
{
	json_t *ids = json_array(), *v;
	const char *key;
	json_object_foreach((json_t *)map, key, v) {
		json_array_append_new(ids, json_integer(json_int(v, "id")));
	}
	return ids;
}

/* [{id, title}] for the ids in refs (a record's reference list), as a new array. */
static int titled(struct ctx *c, const char *type, const json_t *refs, json_t **out,
		  struct err *e)
{
	const struct record_type *rt = registry_find(c->reg, type);
	json_t *v;
	size_t i;
	char title[300];
	*out = json_array();
	json_array_foreach(refs, i, v) {
		if (record_title_of(c, rt, json_integer_value(v), title, sizeof title, e) < 0) {
			json_decref(*out);
			*out = NULL;
			return -1;
		}
		json_array_append_new(*out, json_build("{s:I, s:s}", "id",
						       (json_int_t)json_integer_value(v), "title",
						       title));
	}
	return 0;
}

/* Moves map's entries into a new array, each with its record's title (from recs, the stored
   records of those ids). */
static json_t *entries(json_t *map, const json_t *recs, const char *title_field)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		char key[32];
		snprintf(key, sizeof key, "%lld", json_int(r, "id"));
		json_t *it = json_object_get(map, key);
		if (!it)
			continue;
		json_object_set_new(it, "title", json_string(json_text(r, title_field)));
		json_array_append(out, it);
	}
	return out;
}

static bool is_approved(const json_t *change)
{
	const char *s = json_str(change, "status");
	return str_eq(s, "approved") || str_eq(s, "implemented") || str_eq(s, "reviewed");
}

int change_impact_trace(struct ctx *c, long long id, json_t **out, struct err *e)
{
	json_t *change = NULL, *risk_map = json_object(), *control_map = json_object(),
	       *soa_map = json_object(), *found = NULL, *ids = NULL, *risks = NULL,
	       *controls = NULL, *soa = NULL, *lists[4] = {NULL, NULL, NULL, NULL}, *v, *r;
	size_t i, j;
	int rc = -1;
	*out = NULL;
	if (record_get_stored(c, &changes_type, id, &change, e) < 0)
		goto cleanup;
	const char *approved_on = is_approved(change) ? json_str(change, "approved_on") : NULL;

	/* Risks: named, and on the assets touched. */
	json_array_foreach(json_object_get(change, "risks"), i, v) {
		json_object_set_new(entry(risk_map, json_integer_value(v)), "named", json_true());
	}
	json_array_foreach(json_object_get(change, "assets"), i, v) {
		struct query q = {.type = "risk", .where = {QHAS("assets", json_integer_value(v))}};
		if (query_ids(c, &q, &found, e) < 0)
			goto cleanup;
		json_array_foreach(found, j, r) {
			add_through(entry(risk_map, json_integer_value(r)), "through",
				    json_integer_value(v));
		}
		json_decref(found);
		found = NULL;
	}
	ids = ids_of(risk_map);
	struct query rq = {.type = "risk", .where = {QIN("id", ids)}};
	if (query_records(c, &rq, &found, e) < 0)
		goto cleanup;
	json_array_foreach(found, i, r) {
		char key[32];
		const char *last = json_str(r, "last_assessed");
		snprintf(key, sizeof key, "%lld", json_int(r, "id"));
		json_t *it = json_object_get(risk_map, key);
		json_object_set_new(it, "last_assessed", last ? json_string(last) : json_null());
		json_object_set_new(it, "reassess",
				    json_boolean(approved_on && !str_eq(json_str(r, "status"),
									"closed") &&
						 (!last || strcmp(last, approved_on) < 0)));
		json_array_foreach(json_object_get(r, "controls"), j, v) {
			add_through(entry(control_map, json_integer_value(v)), "through",
				    json_int(r, "id"));
		}
	}
	risks = entries(risk_map, found, "title");
	json_decref(found);
	found = NULL;
	json_decref(ids);

	/* Controls: named, and treating those risks. */
	json_array_foreach(json_object_get(change, "controls"), i, v) {
		json_object_set_new(entry(control_map, json_integer_value(v)), "named",
				    json_true());
	}
	ids = ids_of(control_map);
	struct query cq = {.type = "control", .where = {QIN("id", ids)}};
	if (query_records(c, &cq, &found, e) < 0)
		goto cleanup;
	json_t *catalog = json_array();
	json_array_foreach(found, i, r) {
		json_array_foreach(json_object_get(r, "catalog_controls"), j, v) {
			json_array_append(catalog, v);
		}
	}
	controls = entries(control_map, found, "name");

	/* SoA entries of those controls' catalog controls. */
	json_t *entries_found = NULL;
	struct query sq = {.type = "soa_entry", .where = {QIN("catalog_control", catalog)},
			   .order = "id"};
	rc = query_records(c, &sq, &entries_found, e);
	json_decref(catalog);
	if (rc < 0)
		goto cleanup;
	rc = -1;
	json_array_foreach(entries_found, i, r) {
		json_t *it = entry(soa_map, json_int(r, "id"));
		json_object_del(it, "named");
		json_t *ctl;
		size_t k;
		json_array_foreach(found, j, ctl) {
			json_array_foreach(json_object_get(ctl, "catalog_controls"), k, v) {
				if (json_integer_value(v) == json_int(r, "catalog_control"))
					add_through(it, "through", json_int(ctl, "id"));
			}
		}
	}
	soa = entries(soa_map, entries_found, "title");
	json_decref(entries_found);

	static const char *const plain[][2] = {{"scopes", "scope"},
					       {"processes", "process"},
					       {"assets", "asset"},
					       {"documents", "document"}};
	for (i = 0; i < 4; i++) {
		if (titled(c, plain[i][1], json_object_get(change, plain[i][0]), &lists[i], e) < 0)
			goto cleanup;
	}
	const char *planned = json_str(change, "planned_on");
	*out = json_build("{s:{s:I, s:s, s:s, s:o, s:o}, s:o, s:o, s:o, s:o, s:O, s:O, s:O}",
			  "change", "id", (json_int_t)id, "title", json_text(change, "title"),
			  "status", json_text(change, "status"), "planned_on",
			  planned ? json_string(planned) : json_null(), "approved_on",
			  json_str(change, "approved_on")
				  ? json_string(json_str(change, "approved_on"))
				  : json_null(),
			  "scopes", lists[0], "processes", lists[1], "assets", lists[2],
			  "documents", lists[3], "risks", risks, "controls", controls, "soa", soa);
	for (i = 0; i < 4; i++)
		lists[i] = NULL;
	rc = 0;
cleanup:
	for (i = 0; i < 4; i++)
		json_decref(lists[i]);
	json_decref(change);
	json_decref(risk_map);
	json_decref(control_map);
	json_decref(soa_map);
	json_decref(found);
	json_decref(ids);
	json_decref(risks);
	json_decref(controls);
	json_decref(soa);
	return rc;
}

static int impact_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return change_impact_trace(c, view_arg_int(a, "change"), out, e);
}

static void print_list(FILE *f, const json_t *out, const char *key, const char *label,
		       const char *through)
{
	json_t *it, *v;
	size_t i, j;
	const json_t *list = json_object_get(out, key);
	fprintf(f, "%s (%zu)\n", label, json_array_size(list));
	json_array_foreach(list, i, it) {
		fprintf(f, "  #%-5lld %s", json_int(it, "id"), json_text(it, "title"));
		if (json_is_true(json_object_get(it, "named")))
			fprintf(f, " [named]");
		if (through && json_array_size(json_object_get(it, "through"))) {
			fprintf(f, " [via %s", through);
			json_array_foreach(json_object_get(it, "through"), j, v) {
				fprintf(f, " #%lld", (long long)json_integer_value(v));
			}
			fprintf(f, "]");
		}
		if (json_is_true(json_object_get(it, "reassess")))
			fprintf(f, " — reassess (last assessed %s)",
				json_str(it, "last_assessed") ? json_str(it, "last_assessed")
							       : "never");
		fprintf(f, "\n");
	}
}

static void impact_print(const json_t *out, FILE *f)
{
	const json_t *ch = json_object_get(out, "change");
	fprintf(f, "Change #%lld %s (%s, planned %s)\n", json_int(ch, "id"),
		json_text(ch, "title"), json_text(ch, "status"),
		json_str(ch, "planned_on") ? json_str(ch, "planned_on") : "—");
	print_list(f, out, "scopes", "Scopes", NULL);
	print_list(f, out, "processes", "Processes", NULL);
	print_list(f, out, "assets", "Assets", NULL);
	print_list(f, out, "risks", "Risks", "asset");
	print_list(f, out, "controls", "Controls", "risk");
	print_list(f, out, "soa", "SoA entries", "control");
	print_list(f, out, "documents", "Documents", NULL);
}

static const struct view_param impact_params[] = {
	{.name = "change", .type = VP_ID, .required = true, .position = 1,
	 .help = "The id of the change to trace."},
};

#define REF_ITEM "{'type': 'object', 'required': ['id', 'title'], 'properties': {" \
		 "'id': {'type': 'integer'}, 'title': {'type': 'string'}}}"
#define TRACED(extra) "{'type': 'array', 'items': {'type': 'object', " \
		      "'required': ['id', 'title', 'through'" extra "], 'properties': {" \
		      "'id': {'type': 'integer'}, 'title': {'type': 'string'}, " \
		      "'named': {'type': 'boolean'}, 'reassess': {'type': 'boolean'}, " \
		      "'last_assessed': {'type': 'string', 'nullable': true}, " \
		      "'through': {'type': 'array', 'items': {'type': 'integer'}}}}}"

const struct view impact_trace_view = {
	.name = "impact-trace",
	.clause = "6.3",
	.title = "Change impact trace",
	.summary = "What a planned change reaches: assets, risks, controls, SoA entries, documents",
	.help = "For one change: the scopes, processes, assets and documents it names; the risks "
		"on those assets and the risks it names, marking those not reassessed since the "
		"change was approved; the controls treating those risks and those it names; and "
		"the SoA entries of those controls.",
	.params = impact_params,
	.nparams = COUNT_OF(impact_params),
	.reads = (const char *const[]){"isms-changes", "assets", "risks", "controls", "soa",
				       "documents", NULL},
	.run = impact_run,
	.schema = "{'type': 'object', 'required': ['change', 'scopes', 'processes', 'assets',"
		  " 'documents', 'risks', 'controls', 'soa'], 'properties': {"
		  " 'change': {'type': 'object', 'required': ['id', 'title', 'status',"
		  "  'planned_on', 'approved_on'], 'properties': {'id': {'type': 'integer'},"
		  "  'title': {'type': 'string'}, 'status': {'type': 'string'},"
		  "  'planned_on': {'type': 'string', 'nullable': true},"
		  "  'approved_on': {'type': 'string', 'nullable': true}}},"
		  " 'scopes': {'type': 'array', 'items': " REF_ITEM "},"
		  " 'processes': {'type': 'array', 'items': " REF_ITEM "},"
		  " 'assets': {'type': 'array', 'items': " REF_ITEM "},"
		  " 'documents': {'type': 'array', 'items': " REF_ITEM "},"
		  " 'risks': " TRACED(", 'named', 'reassess', 'last_assessed'") ","
		  " 'controls': " TRACED(", 'named'") ","
		  " 'soa': " TRACED("") "}}",
	.print = impact_print,
	.web = NULL,
};
