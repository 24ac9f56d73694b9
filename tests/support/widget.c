/* widget.c — the test-only widget record type and its registry. */
#include "widget.h"
#include "../../src/iso27001/iso.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const kinds[] = {"alpha", "beta", "gamma", NULL};
static const char *const states[] = {"draft", "review", "approved", NULL};
static const char *const from_draft[] = {"draft", NULL};
static const char *const from_review[] = {"review", NULL};
static const char *const from_approved[] = {"approved", NULL};
static const char *const submit_requires[] = {"title", NULL};

static const struct field widget_fields[] = {
	{.name = "title", .label = "Title", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 50, .help = "A unique title."},
	{.name = "body", .label = "Body", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "Free text."},
	{.name = "count", .label = "Count", .type = FT_INT, .help = "A whole number."},
	{.name = "flag", .label = "Flag", .type = FT_BOOL, .help = "Yes or no."},
	{.name = "kind", .label = "Kind", .type = FT_ENUM, .values = kinds, .help = "One of three."},
	{.name = "due", .label = "Due", .type = FT_DATE, .help = "A date."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .help = "A person; people who own widgets cannot be deleted."},
	{.name = "members", .label = "Members", .type = FT_REFS, .ref = "person",
	 .help = "Several people."},
	{.name = "contact", .label = "Contact", .type = FT_REF, .ref = "person", .flags = F_SET_NULL,
	 .help = "A person; cleared when that person is deleted."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .values = states,
	 .flags = F_READONLY, .def = "\"draft\"", .help = "Moved by the actions."},
	{.name = "approval_note", .label = "Approval note", .type = FT_TEXT, .flags = F_READONLY,
	 .help = "Set by the approve action."},
	{.name = "email", .label = "Email", .type = FT_EMAIL, .help = "An address."},
	{.name = "score", .label = "Score", .type = FT_INT, .min = 1, .max = 5,
	 .help = "1 to 5."},
	{.name = "watchers", .label = "Watchers", .type = FT_REFS, .ref = "person",
	 .flags = F_SET_NULL, .help = "Several people; a deleted person drops out."},
};

static const struct action_param approve_params[] = {
	{.name = "note", .field = "approval_note", .required = true},
};

static const struct action widget_actions[] = {
	{.name = "submit", .label = "Submit for review", .from = from_draft, .to = "review",
	 .roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER) | RB(ROLE_RISK_OWNER),
	 .requires = submit_requires},
	{.name = "approve", .label = "Approve", .from = from_review, .to = "approved",
	 .roles = RB(ROLE_TOP_MANAGEMENT), .params = approve_params, .nparams = 1},
	{.name = "reopen", .label = "Reopen", .from = from_approved, .to = "draft",
	 .roles = RB(ROLE_ISMS_MANAGER)},
};

const struct record_type widget_type = {
	.name = "test_widget",
	.plural = "test-widgets",
	.table = "test_widgets",
	.label = "test widget",
	.label_plural = "test widgets",
	.clause = "test",
	.help = "A test-only record type.",
	.section = "test",
	.title_field = "title",
	.default_sort = "title",
	.fields = widget_fields,
	.nfields = sizeof widget_fields / sizeof widget_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER) | RB(ROLE_RISK_OWNER),
	.state_field = "status",
	.actions = widget_actions,
	.nactions = sizeof widget_actions / sizeof widget_actions[0],
	.since = 1,
};

/* The test module: the widget type and the example view (widget_tally.c). Adding a view
   to a module is its file plus one line in the module's list. */
static const struct record_type *const widget_types[] = {&widget_type};
static const struct view *const widget_views[] = {&widget_tally_view};

static const struct module widget_module = {
	.clause = "test",
	.title = "Test widgets",
	.file = __FILE__,
	.types = widget_types,
	.ntypes = COUNT_OF(widget_types),
	.views = widget_views,
	.nviews = COUNT_OF(widget_views),
};

const struct registry *widget_registry(void)
{
	static const struct module *modules[64];
	static struct registry reg;
	if (reg.ntypes)
		return &reg;
	const struct registry *product = iso_registry();
	size_t n = 0;
	for (size_t i = 0; i < product->nmodules && n < 63; i++)
		modules[n++] = product->modules[i];
	modules[n++] = &widget_module;
	reg = *product;
	reg.modules = modules;
	reg.nmodules = n;
	struct err e;
	err_clear(&e);
	if (registry_build(&reg, &e) < 0) {
		fprintf(stderr, "widget_registry: %s\n", e.message);
		abort();
	}
	return &reg;
}
