/* c9_1_dashboard.c — the measure dashboard: every active measure with its status, latest
   value, the direction of change since the previous measurement and when the next is due;
   as JSON, a text table for the CLI, and XLSX/CSV/printable HTML. */
#include "c9_1_measures.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"
#include "../report/export.h"
#include "../report/export_table.h"

#include <stdio.h>
#include <string.h>

/* up / down / flat between the previous and the latest value, and whether that is better
   in the measure's direction (null when flat or with fewer than two values). */
static void trend_of(const json_t *m, const json_t *latest, const json_t *previous,
		     json_t *row)
{
	json_t *a = previous ? json_object_get(previous, "value") : NULL;
	json_t *b = latest ? json_object_get(latest, "value") : NULL;
	if (!json_is_number(a) || !json_is_number(b)) {
		json_set_str(row, "trend", "none");
		json_object_set_new(row, "improving", json_null());
		return;
	}
	double d = json_number_value(b) - json_number_value(a);
	bool lower = str_eq(json_str(m, "direction"), "lower_is_better");
	json_set_str(row, "trend", d > 0 ? "up" : d < 0 ? "down" : "flat");
	json_object_set_new(row, "improving",
			    d == 0 ? json_null() : json_boolean(lower ? d < 0 : d > 0));
}

static int dashboard_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	(void)a;
	json_t *all, *m, *rows = json_array();
	long long totals[5] = {0}; /* green, amber, red, none, overdue */
	static const char *const order[] = {"green", "amber", "red", "none"};
	char today[11], next[11];
	size_t i;
	struct query q = {.type = "measure", .where = {QEQ("active", SVI(1))}, .order = "name"};
	*out = NULL;
	ctx_today(c, today);
	if (query_records(c, &q, &all, e) < 0) {
		json_decref(rows);
		return -1;
	}
	json_array_foreach(all, i, m) {
		json_t *latest, *previous;
		if (measure_latest(c, json_int(m, "id"), NULL, &latest, &previous, e) < 0) {
			json_decref(all);
			json_decref(rows);
			return -1;
		}
		json_t *value = latest ? json_object_get(latest, "value") : NULL;
		bool measured = json_is_number(value);
		const char *on = measured ? json_str(latest, "measured_on") : NULL;
		const char *status = measured ? measure_status(m, json_number_value(value)) : "none";
		measure_next_due(m, on, today, next);
		bool overdue = next[0] && strcmp(next, today) < 0;
		json_t *row = json_build("{s:I, s:s, s:s, s:s, s:O, s:O, s:O, s:s, s:b}", "id",
					 (json_int_t)json_int(m, "id"), "name",
					 json_text(m, "name"), "unit", json_text(m, "unit"),
					 "direction", json_text(m, "direction"), "green",
					 json_object_get(m, "green"), "red",
					 json_object_get(m, "red"), "target",
					 json_object_get(m, "target"), "status", status, "overdue",
					 overdue);
		json_object_set_new(row, "latest_value", measured ? json_incref(value) : json_null());
		json_set_str(row, "latest_on", on);
		json_set_str(row, "next_due", next[0] ? next : NULL);
		json_object_set_new(row, "collector", json_int(m, "collector")
							  ? json_integer(json_int(m, "collector"))
							  : json_null());
		trend_of(m, latest, previous, row);
		for (int k = 0; k < 4; k++)
			totals[k] += str_eq(status, order[k]);
		totals[4] += overdue;
		json_array_append_new(rows, row);
		json_decref(latest);
		json_decref(previous);
	}
	json_decref(all);
	*out = json_build("{s:s, s:o, s:{s:I, s:I, s:I, s:I, s:I}}", "on", today, "measures",
			  rows, "totals", "green", (json_int_t)totals[0], "amber",
			  (json_int_t)totals[1], "red", (json_int_t)totals[2], "none",
			  (json_int_t)totals[3], "overdue", (json_int_t)totals[4]);
	return 0;
}

static const char *arrow_of(const json_t *row)
{
	const char *t = json_str(row, "trend");
	return str_eq(t, "up") ? "↑" : str_eq(t, "down") ? "↓" : str_eq(t, "flat") ? "→" : "";
}

static void value_text(const json_t *row, char *out, size_t size)
{
	json_t *v = json_object_get(row, "latest_value");
	if (json_is_number(v))
		snprintf(out, size, "%.10g%s%s", json_number_value(v),
			 json_text(row, "unit")[0] ? " " : "", json_text(row, "unit"));
	else
		snprintf(out, size, "—");
}

static void dashboard_print(const json_t *out, FILE *f)
{
	json_t *row, *t = json_object_get(out, "totals");
	size_t i;
	char v[64];
	json_array_foreach(json_object_get(out, "measures"), i, row) {
		value_text(row, v, sizeof v);
		fprintf(f, "%-6s %-40.40s %16s %-2s %-10s next %s%s\n", json_text(row, "status"),
			json_text(row, "name"), v, arrow_of(row), json_text(row, "latest_on"),
			json_text(row, "next_due"),
			json_is_true(json_object_get(row, "overdue")) ? " OVERDUE" : "");
	}
	fprintf(f, "(%lld green, %lld amber, %lld red, %lld not measured; %lld overdue)\n",
		json_int(t, "green"), json_int(t, "amber"), json_int(t, "red"),
		json_int(t, "none"), json_int(t, "overdue"));
}

static const char *fill_of(const char *status)
{
	return str_eq(status, "green") ? "#c6efce" : str_eq(status, "amber") ? "#ffeb9c"
						 : str_eq(status, "red")     ? "#ffc7ce"
									     : "#eeeeee";
}

static int dashboard_table(struct ctx *c, const struct view_args *a, struct export_table *t,
			   struct err *e)
{
	json_t *d, *row;
	size_t i;
	if (dashboard_run(c, a, &d, e) < 0)
		return -1;
	export_table_init(t, "Measure dashboard", "Measures");
	export_table_about(t, "Report", "Measure dashboard (9.1)");
	export_table_about(t, "On", json_text(d, "on"));
	export_table_live(t, c, "measure-dashboard");
	static const struct {
		const char *label;
		int width;
	} cols[] = {{"Measure", 36}, {"Status", 10},	  {"Latest value", 16}, {"Measured on", 12},
		    {"Trend", 8},    {"Green at", 10}, {"Red at", 10},       {"Next due", 12},
		    {"Overdue", 9}};
	for (size_t k = 0; k < COUNT_OF(cols); k++)
		export_table_column(t, cols[k].label, cols[k].width);
	json_array_foreach(json_object_get(d, "measures"), i, row) {
		char v[64];
		value_text(row, v, sizeof v);
		const char *st = json_text(row, "status");
		json_array_append_new(
			t->rows,
			json_build("[s, {s:s, s:s}, s, s, s, O, O, s, b]", json_text(row, "name"),
				   "text", st, "fill", fill_of(st), v, json_text(row, "latest_on"),
				   json_text(row, "trend"), json_object_get(row, "green"),
				   json_object_get(row, "red"), json_text(row, "next_due"),
				   json_is_true(json_object_get(row, "overdue"))));
	}
	json_decref(d);
	return 0;
}

const struct view measure_dashboard_view = {
	.name = "measure-dashboard",
	.clause = "9.1",
	.title = "Measure dashboard",
	.summary = "Every active measure with its status, latest value, trend and next collection",
	.help = "Every active measure: green, amber or red at its latest measurement (none before "
		"the first), the latest value and day, whether it went up or down since the "
		"previous measurement and whether that is better, and when the next measurement is "
		"due (overdue when that day has passed).",
	.reads = (const char *const[]){"measures", "measurements", NULL},
	.run = dashboard_run,
	.schema = "{'type': 'object', 'required': ['on', 'measures', 'totals'],"
		  " 'properties': {"
		  "  'on': {'type': 'string', 'format': 'date'},"
		  "  'measures': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['id', 'name', 'status', 'latest_value', 'latest_on', 'next_due',"
		  "      'overdue', 'trend', 'improving'],"
		  "    'properties': {'id': {'type': 'integer'}, 'name': {'type': 'string'},"
		  "      'unit': {'type': 'string'},"
		  "      'direction': {'enum': ['higher_is_better', 'lower_is_better']},"
		  "      'green': {'type': 'number'}, 'red': {'type': 'number'},"
		  "      'target': {'type': 'number', 'nullable': true},"
		  "      'status': {'enum': ['green', 'amber', 'red', 'none']},"
		  "      'latest_value': {'type': 'number', 'nullable': true},"
		  "      'latest_on': {'type': 'string', 'nullable': true},"
		  "      'next_due': {'type': 'string', 'nullable': true},"
		  "      'overdue': {'type': 'boolean'},"
		  "      'collector': {'type': 'integer', 'nullable': true},"
		  "      'trend': {'enum': ['up', 'down', 'flat', 'none']},"
		  "      'improving': {'type': 'boolean', 'nullable': true}}}},"
		  "  'totals': {'type': 'object',"
		  "    'required': ['green', 'amber', 'red', 'none', 'overdue'],"
		  "    'properties': {'green': {'type': 'integer'}, 'amber': {'type': 'integer'},"
		  "      'red': {'type': 'integer'}, 'none': {'type': 'integer'},"
		  "      'overdue': {'type': 'integer'}}}}}",
	.print = dashboard_print,
	.table = dashboard_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.web = "#/measures/dashboard",
};
