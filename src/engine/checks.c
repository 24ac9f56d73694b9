/* checks.c — the auditor's checks of every module that declares some, as one view
   (/api/v1/reports/policy-checks, `isms checks`): each check with its clause, the rule,
   whether it holds and why. The CLI exits 1 while any fails, so it can gate a script. */
#include "module.h"
#include "../base/json.h"

static int checks_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	(void)a;
	json_t *items = json_array();
	*out = NULL;
	for (size_t m = 0; m < c->reg->nmodules; m++) {
		const struct module *mod = c->reg->modules[m];
		if (mod->checks && mod->checks(c, items, e) < 0) {
			json_decref(items);
			return -1;
		}
	}
	size_t i, passed = 0;
	json_t *it;
	json_array_foreach(items, i, it)
		passed += json_is_true(json_object_get(it, "ok"));
	*out = json_build("{s:o, s:I, s:I}", "checks", items, "passed", (json_int_t)passed, "total",
			 (json_int_t)json_array_size(items));
	return 0;
}

static void checks_print(const json_t *out, FILE *f)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(out, "checks"), i, it)
		fprintf(f, "%-4s  %-4s  %s — %s\n", json_is_true(json_object_get(it, "ok")) ? "ok" : "FAIL",
			json_text(it, "clause"), json_text(it, "rule"), json_text(it, "detail"));
	fprintf(f, "(%lld of %lld checks pass)\n", json_int(out, "passed"), json_int(out, "total"));
}

static int checks_verdict(const json_t *out, struct err *e)
{
	long long passed = json_int(out, "passed"), total = json_int(out, "total");
	if (passed < total)
		return err_set(e, ERR_INVALID, NULL, "%lld of %lld checks fail", total - passed, total);
	return 0;
}

const struct view checks_view = {
	.name = "policy-checks",
	.command = "checks",
	.title = "Auditor's checks",
	.summary = "An auditor's checks of the clauses that have them, each with its reason",
	.help = "Each check the modules declare, with its clause, the rule, and why it passes or "
		"fails. Exit 0 when all pass, 1 otherwise.",
	.run = checks_run,
	.schema = "{'type': 'object', 'required': ['checks', 'passed', 'total'],"
		  " 'properties': {'checks': {'type': 'array', 'items': {'type': 'object',"
		  "   'required': ['id', 'clause', 'rule', 'ok', 'detail'],"
		  "   'properties': {'ok': {'type': 'boolean'}, 'link': {'type': 'string'}}}},"
		  "  'passed': {'type': 'integer'}, 'total': {'type': 'integer'}}}",
	.print = checks_print,
	.verdict = checks_verdict,
	.web = "#/framework",
};
