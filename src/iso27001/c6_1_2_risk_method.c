/* risk_method.c — the risk method (6.1.2 a–b): scales, impact areas, a matrix from
   likelihood and consequence to ordered risk levels, the acceptance threshold and who may
   accept above it, and the reassessment interval. Checked field by field; frozen once
   approved; approving a new version supersedes the old one. */
#include "c6_1_2_risks.h"
#include "c5_leadership.h"
#include "../base/text.h"
#include "../base/json.h"
#include "../engine/query.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const method_states[] = {"draft", "approved", "superseded", NULL};
static const char *const from_draft[] = {"draft", NULL};
static const char *const frozen_states[] = {"approved", "superseded", NULL};

static const struct field method_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "Names this version of the method, e.g. \"Risk method 2026\"."},
	{.name = "likelihood_levels", .label = "Likelihood levels", .type = FT_JSON,
	 .flags = F_REQUIRED,
	 .help = "3 to 7 levels, lowest first, each {\"label\": …, \"description\": …}: how "
		 "often the event may happen."},
	{.name = "impact_areas", .label = "Impact areas", .type = FT_JSON, .flags = F_REQUIRED,
	 .help = "1 to 8 areas in which consequences are judged, e.g. [\"financial\", \"legal\", "
		 "\"reputation\", \"operations\"]."},
	{.name = "consequence_levels", .label = "Consequence levels", .type = FT_JSON,
	 .flags = F_REQUIRED,
	 .help = "3 to 7 levels, lowest first, each {\"label\": …, \"descriptions\": {area: …}} "
		 "with a description for every impact area."},
	{.name = "risk_levels", .label = "Risk levels", .type = FT_JSON, .flags = F_REQUIRED,
	 .help = "2 to 6 levels, lowest first, each {\"name\": …, \"colour\": \"#rrggbb\"}."},
	{.name = "matrix", .label = "Risk matrix", .type = FT_JSON, .flags = F_REQUIRED,
	 .help = "One row per likelihood level (lowest first), one risk level name per "
		 "consequence level (lowest first)."},
	{.name = "acceptance_threshold", .label = "Acceptance threshold", .type = FT_TEXT,
	 .flags = F_REQUIRED, .max_len = 60,
	 .help = "The highest risk level that is acceptable without treatment; above it a risk "
		 "needs treatment, or acceptance by the role below."},
	{.name = "accepting_role", .label = "Role that accepts above the threshold",
	 .type = FT_REF, .ref = "role", .flags = F_SET_NULL, .since = 3,
	 .help = "The organization's role whose holders may accept a residual risk that stays "
		 "above the threshold. Top management always may, and so may a role whose "
		 "\"accepts risks up to\" reaches the risk's level. Empty: top management only."},
	{.name = "reassessment_months", .label = "Reassess every (months)", .type = FT_INT,
	 .flags = F_REQUIRED, .min = 1, .max = 36, .def = "12",
	 .help = "How often each risk, and the register as a whole, must be assessed again."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_READONLY,
	 .values = method_states, .def = "\"draft\"",
	 .help = "Only an approved method scores risks; a changed method is a new version."},
	{.name = "approved_by", .label = "Approved by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "Who approved this version."},
	{.name = "approved_on", .label = "Approved on", .type = FT_DATE, .flags = F_READONLY,
	 .help = "When."},
};

static bool nonempty_string(const json_t *v)
{
	return json_is_string(v) && json_string_length(v) > 0;
}

static int check_scale(const json_t *v, const char *field, const char *what, struct err *e)
{
	size_t n = json_array_size(v);
	if (!json_is_array(v) || n < 3 || n > 7)
		return err_set(e, ERR_INVALID, field, "%s: give 3 to 7 levels, lowest first", what);
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x) if (!json_is_object(x) || !nonempty_string(json_object_get(x, "label")))
		return err_set(e, ERR_INVALID, field, "%s: level %zu needs a \"label\"", what, i + 1);
	return 0;
}

static bool colour_ok(const char *s)
{
	if (!s || strlen(s) != 7 || s[0] != '#')
		return false;
	for (int i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

int risk_level_index(const json_t *method, const char *level)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(method, "risk_levels"), i, x) {
		const char *name = json_str(x, "name");
		if (level && name && strcmp(name, level) == 0)
			return (int)i;
	}
	return -1;
}

static int method_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	json_t *like = json_object_get(rec, "likelihood_levels");
	json_t *cons = json_object_get(rec, "consequence_levels");
	json_t *areas = json_object_get(rec, "impact_areas");
	json_t *levels = json_object_get(rec, "risk_levels");
	json_t *matrix = json_object_get(rec, "matrix");
	size_t i, k;
	json_t *x, *y;
	if (check_scale(like, "likelihood_levels", "Likelihood levels", e) < 0)
		return -1;
	if (!json_is_array(areas) || json_array_size(areas) < 1 || json_array_size(areas) > 8)
		return err_set(e, ERR_INVALID, "impact_areas", "Impact areas: give 1 to 8 names");
	json_array_foreach(areas, i, x) if (!nonempty_string(x))
		return err_set(e, ERR_INVALID, "impact_areas", "Impact areas: area %zu needs a name",
			       i + 1);
	if (check_scale(cons, "consequence_levels", "Consequence levels", e) < 0)
		return -1;
	json_array_foreach(cons, i, x) {
		json_t *d = json_object_get(x, "descriptions");
		json_array_foreach(areas, k, y) if (!json_is_object(d) ||
						    !nonempty_string(json_object_get(d, json_string_value(y))))
			return err_set(e, ERR_INVALID, "consequence_levels",
				       "Consequence levels: level %zu (%s) needs a description for "
				       "the impact area \"%s\"",
				       i + 1, json_str(x, "label"), json_string_value(y));
	}
	size_t nlevels = json_array_size(levels);
	if (!json_is_array(levels) || nlevels < 2 || nlevels > 6)
		return err_set(e, ERR_INVALID, "risk_levels", "Risk levels: give 2 to 6, lowest first");
	json_array_foreach(levels, i, x) {
		if (!json_is_object(x) || !nonempty_string(json_object_get(x, "name")))
			return err_set(e, ERR_INVALID, "risk_levels",
				       "Risk levels: level %zu needs a \"name\"", i + 1);
		if (!colour_ok(json_str(x, "colour")))
			return err_set(e, ERR_INVALID, "risk_levels",
				       "Risk levels: level %zu needs a \"colour\" like \"#c0392b\"",
				       i + 1);
		for (k = 0; k < i; k++)
			if (str_eq(json_str(json_array_get(levels, k), "name"), json_str(x, "name")))
				return err_set(e, ERR_INVALID, "risk_levels",
					       "Risk levels: \"%s\" appears twice", json_str(x, "name"));
	}
	if (!json_is_array(matrix) || json_array_size(matrix) != json_array_size(like))
		return err_set(e, ERR_INVALID, "matrix",
			       "Risk matrix: give one row per likelihood level (%zu rows)",
			       json_array_size(like));
	json_array_foreach(matrix, i, x) {
		if (!json_is_array(x) || json_array_size(x) != json_array_size(cons))
			return err_set(e, ERR_INVALID, "matrix",
				       "Risk matrix: row %zu needs one cell per consequence level "
				       "(%zu cells)",
				       i + 1, json_array_size(cons));
		json_array_foreach(x, k, y) if (risk_level_index(rec, json_string_value(y)) < 0)
			return err_set(e, ERR_INVALID, "matrix",
				       "Risk matrix: the cell for likelihood %zu, consequence %zu is "
				       "not one of the risk levels",
				       i + 1, k + 1);
	}
	if (risk_level_index(rec, json_str(rec, "acceptance_threshold")) < 0)
		return err_set(e, ERR_INVALID, "acceptance_threshold",
			       "Acceptance threshold must be one of the risk levels");
	return 0;
}

/* The criteria for accepting risk are top management's to set. */
static int method_approve_permit(struct ctx *c, const struct record_type *rt,
				 const json_t *rec, struct err *e)
{
	(void)rt;
	(void)rec;
	return authority_check(c, 0, AUTH_NAMED_ONLY, "approve a risk method", e);
}

static int method_approve_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
				struct err *e)
{
	return record_check_four_eyes(c, rt, json_int(rec, "id"), NULL, "approve it", e);
}

static const struct action method_actions[] = {
	{.name = "approve", .label = "Approve",
	 .help = "Puts this method in force; risks are scored with it from now on and the "
		 "previous method is superseded.",
	 .from = from_draft, .to = "approved", .roles = ROLES_ALL, .permit = method_approve_permit,
	 .guard = method_approve_guard, .apply = record_approve_superseding,
	 .effective = true},
};

const struct record_type risk_methods_type = {
	.name = "risk_method",
	.plural = "risk-methods",
	.table = "risk_methods",
	.label = "risk method",
	.label_plural = "risk methods",
	.clause = "6.1.2",
	.section = "6",
	.help = "How risks are identified, analysed and evaluated: scales, matrix, acceptance "
		"criteria and when to reassess.",
	.title_field = "name",
	.default_sort = "-id",
	.fields = method_fields,
	.nfields = sizeof method_fields / sizeof method_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER),
	.state_field = "status",
	.actions = method_actions,
	.nactions = sizeof method_actions / sizeof method_actions[0],
	.since = 1,
	.frozen = frozen_states,
	.validate = method_validate,
};

int risk_method_current(struct ctx *c, json_t **out, struct err *e)
{
	struct query q = {.type = "risk_method", .where = {QEQ("status", SVS("approved"))},
			  .order = "-id"};
	long long id;
	*out = NULL;
	if (query_id(c, &q, &id, e) < 0)
		return -1;
	if (!id)
		return 0;
	return record_get(c, &risk_methods_type, id, out, e);
}

/* The default: a 5×5 method in the style of ISO/IEC 27005, written in our own words. */
static const char default_method[] =
	"{\"name\": \"Risk method (default 5x5)\","
	" \"impact_areas\": [\"financial\", \"legal and regulatory\", \"reputation\", \"operations\"],"
	" \"likelihood_levels\": ["
	"  {\"label\": \"Rare\", \"description\": \"Not expected in the next ten years.\"},"
	"  {\"label\": \"Unlikely\", \"description\": \"Could happen once in five to ten years.\"},"
	"  {\"label\": \"Possible\", \"description\": \"Could happen once in one to five years.\"},"
	"  {\"label\": \"Likely\", \"description\": \"Expected about once a year.\"},"
	"  {\"label\": \"Almost certain\", \"description\": \"Expected several times a year.\"}],"
	" \"consequence_levels\": ["
	"  {\"label\": \"Negligible\", \"descriptions\": {\"financial\": \"Under 10k EUR.\","
	"   \"legal and regulatory\": \"No breach of obligations.\", \"reputation\": \"Not noticed "
	"outside the team.\", \"operations\": \"Minutes of disruption.\"}},"
	"  {\"label\": \"Minor\", \"descriptions\": {\"financial\": \"10k to 100k EUR.\","
	"   \"legal and regulatory\": \"A minor breach, settled without authorities.\","
	"   \"reputation\": \"Complaints from a few customers.\", \"operations\": \"Hours of "
	"disruption to one service.\"}},"
	"  {\"label\": \"Moderate\", \"descriptions\": {\"financial\": \"100k to 1M EUR.\","
	"   \"legal and regulatory\": \"A breach that must be reported.\", \"reputation\": "
	"\"Local press or social media attention.\", \"operations\": \"A day of disruption to key "
	"services.\"}},"
	"  {\"label\": \"Major\", \"descriptions\": {\"financial\": \"1M to 10M EUR.\","
	"   \"legal and regulatory\": \"Fines or an investigation by an authority.\","
	"   \"reputation\": \"National attention; customers leave.\", \"operations\": \"Several "
	"days without key services.\"}},"
	"  {\"label\": \"Severe\", \"descriptions\": {\"financial\": \"Over 10M EUR.\","
	"   \"legal and regulatory\": \"Loss of a licence or criminal liability.\","
	"   \"reputation\": \"Lasting loss of trust in the company.\", \"operations\": \"The "
	"business cannot continue.\"}}],"
	" \"risk_levels\": [{\"name\": \"low\", \"colour\": \"#2e7d32\"},"
	"  {\"name\": \"medium\", \"colour\": \"#f9a825\"}, {\"name\": \"high\", \"colour\": "
	"\"#ef6c00\"}, {\"name\": \"critical\", \"colour\": \"#c62828\"}],"
	" \"matrix\": ["
	"  [\"low\", \"low\", \"low\", \"medium\", \"medium\"],"
	"  [\"low\", \"low\", \"medium\", \"medium\", \"high\"],"
	"  [\"low\", \"medium\", \"medium\", \"high\", \"high\"],"
	"  [\"medium\", \"medium\", \"high\", \"high\", \"critical\"],"
	"  [\"medium\", \"high\", \"high\", \"critical\", \"critical\"]],"
	" \"acceptance_threshold\": \"medium\","
	" \"reassessment_months\": 12}";

int risk_method_seed(struct ctx *c, struct err *e)
{
	struct query q = {.type = "risk_method"};
	long long n;
	if (query_count(c, &q, &n, e) < 0)
		return -1;
	if (n > 0)
		return 0;
	json_t *input = json_loads(default_method, 0, NULL), *rec;
	if (!input)
		return err_set(e, ERR_INTERNAL, NULL, "the default risk method does not parse");
	int rc = record_create(c, &risk_methods_type, input, &rec, e);
	json_decref(input);
	json_decref(rec);
	return rc;
}
