/* widget_tally.c — the example view: how many test widgets there are of each kind, or of
   one kind. Declaring it here and listing it in the test module (widget.c) is all it
   takes: the engine derives GET /api/v1/reports/widget-tally, its OpenAPI entry, the
   command `isms-test widget-tally [--kind K] [--json]` and its entry in /api/v1/meta. */
#include "widget.h"
#include "../../src/base/json.h"

#include <stdio.h>
#include <string.h>

static int tally_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	static const char *const kinds[] = {"alpha", "beta", "gamma"};
	const char *only = view_arg_text(a, "kind");
	json_t *counts = json_object();
	long long total = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (only && strcmp(only, kinds[i]) != 0)
			continue;
		struct store_val p[] = {SVS(kinds[i])};
		long long n;
		if (store_query_int(c->store, "SELECT count(*) FROM test_widgets WHERE kind = $1", p,
				    1, &n, NULL, e) < 0) {
			json_decref(counts);
			return -1;
		}
		json_object_set_new(counts, kinds[i], json_integer(n));
		total += n;
	}
	*out = json_build("{s:o, s:I}", "kinds", counts, "total", (json_int_t)total);
	return 0;
}

static void tally_print(const json_t *out, FILE *f)
{
	const char *kind;
	json_t *n;
	json_object_foreach(json_object_get(out, "kinds"), kind, n)
		fprintf(f, "%-6s %lld\n", kind, (long long)json_integer_value(n));
	fprintf(f, "(%lld widgets)\n", json_int(out, "total"));
}

static const char *const kind_values[] = {"alpha", "beta", "gamma", NULL};

static const struct view_param tally_params[] = {
	{.name = "kind", .type = VP_ENUM, .values = kind_values, .help = "Only this kind"},
};

const struct view widget_tally_view = {
	.name = "widget-tally",
	.clause = "test",
	.title = "Widget tally",
	.summary = "How many test widgets there are of each kind",
	.help = "Counts the test widgets of each kind, or of one kind with --kind.",
	.params = tally_params,
	.nparams = COUNT_OF(tally_params),
	.reads = (const char *const[]){"test-widgets", NULL},
	.run = tally_run,
	.schema = "{'type': 'object', 'required': ['kinds', 'total'],"
		  " 'properties': {'kinds': {'type': 'object', 'additionalProperties':"
		  " {'type': 'integer'}}, 'total': {'type': 'integer'}}}",
	.print = tally_print,
};
