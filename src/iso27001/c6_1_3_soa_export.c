/* export_soa.c — the Statement of Applicability as a table: the current SoA, or an approved
   version exactly as its snapshot froze it. A version's rows depend on nothing but the
   version record, so they render the same every time; its approver is named as the
   directory names them now (person and role), with keys shown by their labels. */
#include "../report/export.h"
#include "../report/export_table.h"
#include "../base/json.h"
#include "../base/text.h"
#include "c6_1_3_controls.h"
#include "c6_1_3_soa.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The columns, with the snapshot key each is read from. */
static const struct {
	const char *key, *label;
	int width;
} soa_columns[] = {
	{"control_id", "Control", 9},
	{"title", "Title", 36},
	{"theme", "Theme", 15},
	{"applicable", "Applicable", 11},
	{"inclusion_reasons", "Reasons for inclusion", 24},
	{"exclusion_justification", "Why excluded", 40},
	{"implementation_status", "Implementation status", 16},
	{"status_override", "Status override", 15},
	{"note", "Note", 40},
	{"controls", "Applied controls", 40},
	{"risks", "Risks", 40},
	{"requirements", "Requirements", 40},
};
#define NCOLUMNS (sizeof soa_columns / sizeof soa_columns[0])

/* Joins a list of keys by their labels ("Risk treatment; Legal"), or the titles of a list
   of {"id", "title"}, with "; ". */
static json_t *joined(const struct registry *reg, const json_t *list)
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) {
		char label[200];
		const char *s = json_str(x, "title");
		if (json_is_string(x)) {
			export_value_label(reg, false, json_string_value(x), label, sizeof label);
			s = label;
		}
		if (i)
			buf_puts(&b, "; ");
		buf_puts(&b, s ? s : "");
	}
	json_t *v = json_string(buf_str(&b));
	buf_release(&b);
	return v;
}

/* The columns whose values are keys shown by their labels. */
static bool keyed(const char *key)
{
	return str_eq(key, "implementation_status") || str_eq(key, "status_override") ||
	       str_eq(key, "theme");
}

static void add_rows(const struct registry *reg, struct export_table *t, const json_t *snapshot)
{
	size_t i;
	json_t *entry;
	json_array_foreach(snapshot, i, entry) {
		json_t *row = json_array();
		for (size_t k = 0; k < NCOLUMNS; k++) {
			json_t *v = json_object_get(entry, soa_columns[k].key);
			char label[200];
			if (json_is_array(v)) {
				json_array_append_new(row, joined(reg, v));
			} else if (json_is_string(v) && keyed(soa_columns[k].key)) {
				export_value_label(reg, false, json_string_value(v), label,
						   sizeof label);
				json_array_append_new(row, json_string(label));
			} else {
				json_array_append_new(row, v ? json_incref(v) : json_null());
			}
		}
		json_array_append_new(t->rows, row);
	}
}

/* Midnight UTC of a YYYY-MM-DD date, for the document time of a version. */
static time_t day_start(const char *date)
{
	struct tm tm = {0};
	if (!date || sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return 86400; /* never 0, which would mean "now" */
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static int load_version(struct ctx *c, long long number, json_t **out, struct err *e)
{
	long long id;
	bool found;
	struct store_val p[] = {SVI(number)};
	*out = NULL;
	if (store_query_int(c->store, "SELECT id FROM soa_versions WHERE number = $1", p, 1, &id,
			    &found, e) < 0)
		return -1;
	if (!found)
		return err_set(e, ERR_NOT_FOUND, "version", "there is no SoA version %lld", number);
	return record_get(c, &soa_versions_type, id, out, e);
}

static int soa_table(struct ctx *c, const struct view_args *a, struct export_table *t,
		     struct err *e)
{
	long long version = view_arg_int(a, "version");
	json_t *v = NULL, *snapshot = NULL;
	int ret = -1;
	if (version > 0 && !record_can_read(c, &soa_versions_type))
		return err_set(e, ERR_FORBIDDEN, NULL, "the %s role may not read %s",
			       registry_role_name(c->reg, c->actor.role),
			       soa_versions_type.label_plural);
	export_table_init(t, "Statement of Applicability", "SoA");
	for (size_t k = 0; k < NCOLUMNS; k++)
		export_table_column(t, soa_columns[k].label, soa_columns[k].width);
	export_table_about(t, "Report", "Statement of Applicability");
	export_table_about(t, "Controls", "ISO/IEC 27001:2022 Annex A");
	if (version > 0) {
		if (load_version(c, version, &v, e) < 0)
			goto out;
		snapshot = json_incref(json_object_get(v, "snapshot"));
		const char *on = json_str(v, "approved_on");
		char number[24];
		snprintf(number, sizeof number, "%lld", version);
		snprintf(t->subtitle, sizeof t->subtitle, "Version %lld, approved on %s", version,
			 on ? on : "?");
		snprintf(t->filename, sizeof t->filename, "soa-v%lld", version);
		t->created = day_start(on);
		export_table_about(t, "Version", number);
		export_table_about(t, "Approved on", on);
		char by[300];
		if (export_user_label(c, json_str(v, "approved_by"), by, sizeof by, e) < 0)
			goto out;
		export_table_about(t, "Approved by", by);
		export_table_about(t, "Content hash (SHA-256)", json_str(v, "content_hash"));
		if (json_str(v, "note"))
			export_table_about(t, "Note", json_str(v, "note"));
	} else {
		if (soa_snapshot(c, &snapshot, e) < 0)
			goto out;
		export_table_about(t, "Version", "current, not an approved version");
		export_table_live(t, c, "soa");
	}
	add_rows(c->reg, t, snapshot);
	ret = 0;
out:
	json_decref(v);
	json_decref(snapshot);
	if (ret < 0)
		export_table_release(t);
	return ret;
}

static const struct view_param soa_params[] = {
	{.name = "version", .type = VP_ID,
	 .help = "An approved SoA version's number: that version exactly as it was frozen (the "
		 "same bytes every time); without it, the current entries."},
};

const struct view soa_export_view = {
	.name = "soa",
	.clause = "6.1.3 d",
	.title = "Statement of Applicability",
	.summary = "The Statement of Applicability; ?version=N: approved version N as frozen",
	.help = "Every Annex A control with whether it applies, why, and how far it is "
		"implemented. --version N exports approved version N exactly as it was frozen.",
	.params = soa_params,
	.nparams = COUNT_OF(soa_params),
	.reads = (const char *const[]){"soa", NULL},
	.table = soa_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.web = "#/reports",
};
