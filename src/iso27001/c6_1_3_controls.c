/* c6_1_3_controls.c — 6.1.3 b: the organization's applied controls, each linked to the catalog
   controls it implements and the risks it treats. A control has an owner; one that is
   implemented says since when, and one called effective shows its evidence: a file or a
   dated effectiveness review. */
#include "c6_1_3_controls.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* ---- applied controls --------------------------------------------------------------- */

static const char *const control_states[] = {"planned", "in_progress", "implemented",
					     "not_implemented", NULL};
static const char *const effectiveness_values[] = {"not_assessed", "effective",
						   "partially_effective", "ineffective", NULL};

static const struct field control_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200,
	 .help = "The measure as the organization knows it, e.g. \"Nightly encrypted backups\"."},
	{.name = "description", .label = "Description", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What is done, where, by whom, and how one can tell it works."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person", .flags = F_REQUIRED,
	 .help = "Who is accountable for running the control."},
	{.name = "catalog_controls", .label = "Catalog controls", .type = FT_REFS,
	 .ref = "catalog_control",
	 .help = "The catalog controls (e.g. Annex A) this measure helps to meet; one measure can "
		 "serve several, and several measures can serve one."},
	{.name = "requirements", .label = "Requirements", .type = FT_REFS, .ref = "requirement",
	 .flags = F_SET_NULL,
	 .help = "Legal, regulatory or contractual requirements that call for this control; they "
		 "appear as reasons in the Statement of Applicability."},
	{.name = "status", .label = "Status", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = control_states, .def = "\"planned\"",
	 .help = "Planned, in progress, implemented, or not implemented (decided against or "
		 "abandoned)."},
	{.name = "effectiveness", .label = "Effectiveness", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = effectiveness_values, .def = "\"not_assessed\"",
	 .help = "The result of the latest check that the control does what it should. "
		 "\"Effective\" needs evidence: an uploaded file or the date of that check."},
	{.name = "implemented_on", .label = "Implemented on", .type = FT_DATE, .flags = F_PAST,
	 .help = "When the control went into operation; required once it is implemented."},
	{.name = "next_review", .label = "Next review", .type = FT_DATE,
	 .help = "When the control and its effectiveness should be checked again."},
	{.name = "risks", .label = "Treats risks", .type = FT_REFS, .ref = "risk",
	 .flags = F_DERIVED,
	 .help = "The risks whose treatment uses this control (set on the risks)."},
	{.name = "effectiveness_reviewed_on", .label = "Effectiveness checked on", .type = FT_DATE,
	 .flags = F_PAST, .since = 2,
	 .help = "The day the control's effectiveness was last checked (a review, a test, an "
		 "audit sample); with an uploaded file, the evidence that it is effective."},
};

/* Whether the control has an evidence file. */
static int has_files(struct ctx *c, const json_t *rec, bool *yes, struct err *e)
{
	long long n = 0, id = json_int(rec, "id");
	struct query q = {.type = "attachment",
			  .where = {QEQ("record_type", SVS("controls")), QEQ("record_id", SVI(id))}};
	*yes = false;
	if (id && query_count(c, &q, &n, e) < 0)
		return -1;
	*yes = n > 0;
	return 0;
}

static int control_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			    const json_t *old, struct err *e)
{
	(void)rt;
	const char *on = json_str(rec, "implemented_on"), *next = json_str(rec, "next_review");
	const char *checked = json_str(rec, "effectiveness_reviewed_on");
	if (on && next && strcmp(next, on) < 0)
		return err_set(e, ERR_INVALID, "next_review",
			       "Next review must not be before the date it was implemented");
	if (str_eq(json_str(rec, "status"), "implemented") && !on)
		return err_set(e, ERR_INVALID, "implemented_on",
			       "Implemented on: say since when the control is in operation");
	if (on && checked && strcmp(checked, on) < 0)
		return err_set(e, ERR_INVALID, "effectiveness_reviewed_on",
			       "Effectiveness checked on must not be before the date it was "
			       "implemented");
	/* Judged when the verdict is given or changed, not on every later edit. */
	bool effective = str_eq(json_str(rec, "effectiveness"), "effective");
	bool newly = !old || !str_eq(json_str(old, "effectiveness"), "effective") ||
		     (json_str(old, "effectiveness_reviewed_on") && !checked);
	if (effective && newly && !checked) {
		bool files;
		if (has_files(c, rec, &files, e) < 0)
			return -1;
		if (!files)
			return err_set(e, ERR_INVALID, "effectiveness",
				       "Effectiveness: \"effective\" needs evidence; give the day "
				       "it was checked (Effectiveness checked on) or upload a file "
				       "to the control first");
	}
	return 0;
}

/* The ids a one-column query with one id parameter returns, as a new JSON array. */
int controls_id_list(struct ctx *c, const char *sql, long long id, json_t **out, struct err *e)
{
	struct store_val p[] = {SVI(id)};
	return record_ids(c, sql, p, 1, out, e);
}

static int control_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			    struct err *e)
{
	(void)rt;
	json_t *risks;
	struct query treating = {.type = "risk",
				 .where = {QHAS("controls", json_int(rec, "id"))}};
	if (query_ids(c, &treating, &risks, e) < 0)
		return -1;
	json_object_set_new(rec, "risks", risks);
	return 0;
}

static const struct due_rule control_due[] = {
	{.date_field = "next_review",
	 .owner_field = "owner",
	 .what = "control review"},
	{0},
};

const struct record_type controls_type = {
	.name = "control",
	.plural = "controls",
	.table = "controls",
	.label = "applied control",
	.label_plural = "applied controls",
	.clause = "6.1.3",
	.help = "The organization's own security measures, each linked to the catalog controls it "
		"meets and the requirements behind it; risks link to the controls that treat them.",
	.section = "6",
	.title_field = "name",
	.default_sort = "name",
	.fields = control_fields,
	.nfields = sizeof control_fields / sizeof control_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = MANAGERS | RB(ROLE_CONTROL_OWNER),
	.since = 1,
	.validate = control_validate,
	.decorate = control_decorate,
	.due = control_due,
};
