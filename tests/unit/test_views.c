/* test_views.c — the one parser of view parameters (every type, the bounds, the message
   naming the parameter), access by the types a view reads, finding views and formats, and
   that every shipped view is declared soundly: its schema is JSON, its positional
   parameters run 1, 2 …, its name is unique and its formats have writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../support/widget.h"
#include "../../src/iso27001/iso.h"

static const char *const colours[] = {"red", "green", NULL};

static const struct view_param params[] = {
	{.name = "id", .type = VP_ID, .required = true, .help = "an id"},
	{.name = "days", .type = VP_INT, .min = 0, .max = 366, .def = "30", .help = "days"},
	{.name = "mine", .type = VP_BOOL, .help = "mine"},
	{.name = "at", .type = VP_TIME, .help = "a time"},
	{.name = "on", .type = VP_DATE, .help = "a date"},
	{.name = "colour", .type = VP_ENUM, .values = colours, .help = "a colour"},
	{.name = "who", .type = VP_TEXT, .help = "a name"},
};

static const struct view sample = {.name = "sample", .params = params, .nparams = 7};

struct given {
	const char *names[8], *values[8];
};

static const char *lookup(void *arg, const char *name)
{
	struct given *g = arg;
	for (int i = 0; g->names[i]; i++)
		if (strcmp(g->names[i], name) == 0)
			return g->values[i];
	return NULL;
}

static int parse(struct given *g, struct view_args *a, struct err *e)
{
	err_clear(e);
	return view_parse_args(&sample, lookup, g, a, e);
}

static void test_good_values_and_defaults(void **state)
{
	(void)state;
	struct given g = {{"id", "mine", "at", "on", "colour", "who"},
			  {"42", "true", "2026-06-30T23:59:59+02:00", "2026-02-28", "green", "ann"}};
	struct view_args a;
	struct err e;
	assert_int_equal(parse(&g, &a, &e), 0);
	assert_int_equal(view_arg_int(&a, "id"), 42);
	assert_int_equal(view_arg_int(&a, "days"), 30); /* the default */
	assert_true(view_arg_bool(&a, "mine"));
	assert_string_equal(view_arg_text(&a, "at"), "2026-06-30T21:59:59.000Z");
	assert_string_equal(view_arg_text(&a, "on"), "2026-02-28");
	assert_string_equal(view_arg_text(&a, "colour"), "green");
	assert_string_equal(view_arg_text(&a, "who"), "ann");
	struct given only = {{"id"}, {"1"}};
	assert_int_equal(parse(&only, &a, &e), 0);
	assert_false(view_arg_set(&a, "mine"));
	assert_null(view_arg_text(&a, "colour"));
}

static void test_bad_values_name_the_parameter(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"id", "10abc"}, {"id", "0"},	  {"id", "-3"},	     {"id", ""},
		{"id", " 7"},	 {"id", "99999999999999999999"},     {"days", "367"},
		{"days", "-1"},	 {"days", "1.5"}, {"mine", "yes"},    {"at", "yesterday"},
		{"on", "2026-02-30"}, {"colour", "blue"}, {"who", ""},
		{"who", "a name longer than the sixty-four bytes a short text may have, which is a lot"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct given g = {{"id", cases[i][0]}, {"1", cases[i][1]}};
		if (strcmp(cases[i][0], "id") == 0)
			g = (struct given){{"id"}, {cases[i][1]}};
		struct view_args a;
		struct err e;
		if (parse(&g, &a, &e) == 0)
			fail_msg("%s=%s was accepted", cases[i][0], cases[i][1]);
		assert_int_equal(e.code, ERR_INVALID);
		assert_string_equal(e.field, cases[i][0]);
		assert_non_null(strstr(e.message, cases[i][0]));
	}
	struct given none = {{NULL}, {NULL}};
	struct view_args a;
	struct err e;
	assert_int_equal(parse(&none, &a, &e), -1);
	assert_string_equal(e.field, "id");
	assert_non_null(strstr(e.message, "required"));
}

static void test_access_follows_the_types_read(void **state)
{
	(void)state;
	const struct registry *reg = iso_registry();
	const struct view *v = view_find(reg, "raci");
	assert_non_null(v);
	struct ctx c;
	struct err e;
	ctx_init(&c, NULL, reg);
	c.actor.role = ROLE_ISMS_MANAGER;
	c.actor.roles = RB(ROLE_ISMS_MANAGER);
	err_clear(&e);
	assert_int_equal(view_check_access(&c, v, &e), 0);
	const struct view *soa = view_find(reg, "soa");
	c.actor.role = ROLE_STAFF;
	c.actor.roles = RB(ROLE_STAFF);
	assert_int_equal(view_check_access(&c, soa, &e), 0);
	const struct view *plan = view_find(reg, "treatment-plan");
	assert_non_null(plan);
	c.actor.role = ROLE_STAFF;
	c.actor.roles = RB(ROLE_STAFF);
	err_clear(&e);
	int rc = view_check_access(&c, plan, &e);
	const struct record_type *actions = registry_find(reg, "treatment-actions");
	assert_int_equal(rc, record_can_read(&c, actions) ? 0 : -1);
	if (rc < 0) {
		assert_int_equal(e.code, ERR_FORBIDDEN);
		assert_non_null(strstr(e.message, "staff"));
	}
}

static void test_find_views_and_formats(void **state)
{
	(void)state;
	const struct registry *reg = iso_registry();
	assert_null(view_find(reg, "nonsense"));
	assert_null(view_find(reg, NULL));
	const struct view *checks = view_find(reg, "checks"); /* by its command */
	assert_non_null(checks);
	assert_string_equal(checks->name, "policy-checks");
	const struct view *heat = view_find(reg, "heatmap");
	assert_non_null(view_format_find(heat, "svg"));
	assert_null(view_format_find(heat, "xlsx"));
	assert_non_null(view_find_path(reg, "/api/v1/reading"));
	assert_null(view_find_path(reg, "/api/v1/nothing"));
}

/* Every view of the product and of the test module. */
static void test_every_view_is_declared_soundly(void **state)
{
	(void)state;
	const struct registry *reg = widget_registry();
	assert_true(reg->nviews >= 12);
	for (size_t i = 0; i < reg->nviews; i++) {
		const struct view *v = reg->views[i];
		if (!v->name || !v->title || !v->summary || !v->help)
			fail_msg("view %zu lacks a name, title, summary or help", i);
		if (!v->run && !v->nformats)
			fail_msg("%s has neither JSON nor a format", v->name);
		if (v->run) {
			char *copy = strdup(v->schema ? v->schema : "");
			for (char *p = copy; *p; p++)
				if (*p == '\'')
					*p = '"';
			json_error_t je;
			json_t *s = json_loads(copy, 0, &je);
			if (!json_is_object(s))
				fail_msg("%s: its schema is not a JSON object: %s", v->name, je.text);
			json_decref(s);
			free(copy);
		}
		int positions = 0;
		for (size_t k = 0; k < v->nparams; k++) {
			const struct view_param *p = &v->params[k];
			if (!p->help || !*p->help)
				fail_msg("%s: parameter %s has no help", v->name, p->name);
			if (p->type == VP_ENUM && !p->values)
				fail_msg("%s: %s has no values", v->name, p->name);
			if (p->def) { /* a default must itself parse */
				struct view_value out;
				struct err e;
				err_clear(&e);
				if (view_parse_value(p, p->def, &out, &e) < 0)
					fail_msg("%s: default of %s: %s", v->name, p->name, e.message);
			}
			positions += p->position > 0;
		}
		for (int want = 1; want <= positions; want++) {
			bool found = false;
			for (size_t k = 0; k < v->nparams; k++)
				found = found || v->params[k].position == want;
			if (!found)
				fail_msg("%s: no positional parameter %d", v->name, want);
		}
		for (size_t k = 0; k < v->nformats; k++)
			if (!v->formats[k].write || !v->formats[k].media_type)
				fail_msg("%s.%s has no writer or media type", v->name, v->formats[k].ext);
		for (int k = 0; v->reads && v->reads[k]; k++)
			if (!registry_find(reg, v->reads[k]))
				fail_msg("%s reads %s, which is no record type", v->name, v->reads[k]);
	}
}

static void test_duplicate_names_are_refused(void **state)
{
	(void)state;
	const struct module *const twice[] = {&c4_1_module, &c4_1_module};
	struct registry reg = {.modules = twice, .nmodules = 2};
	struct err e;
	err_clear(&e);
	assert_int_equal(registry_build(&reg, &e), -1);
	assert_non_null(strstr(e.message, "declared twice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_values_and_defaults),
		cmocka_unit_test(test_bad_values_name_the_parameter),
		cmocka_unit_test(test_access_follows_the_types_read),
		cmocka_unit_test(test_find_views_and_formats),
		cmocka_unit_test(test_every_view_is_declared_soundly),
		cmocka_unit_test(test_duplicate_names_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
