/* c6_2_objective_trend.c — the views of 6.2: one objective's results over time against its
   target (JSON, and a server-drawn SVG line chart), and the objectives register as a table
   export (XLSX, CSV, printable HTML). */
#include "c6_2_objectives.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../report/export.h"
#include "../report/export_table.h"

#include <stdio.h>
#include <string.h>

static int trend_build(struct ctx *c, long long id, json_t **out, struct err *e)
{
	json_t *obj = NULL, *results = NULL, *points = json_array(), *r;
	size_t i;
	int ret = -1;
	*out = NULL;
	if (record_get_stored(c, &objectives_type, id, &obj, e) < 0 ||
	    objective_results(c, id, &results, e) < 0)
		goto out;
	json_t *target = json_object_get(obj, "target");
	bool has_target = json_is_number(target);
	json_array_foreach(results, i, r) {
		json_t *value = json_object_get(r, "value");
		if (!json_is_number(value))
			continue;
		double v = json_number_value(value);
		json_t *meets = has_target ? json_boolean(objective_meets(obj, v)) : json_null();
		json_array_append_new(points,
				      json_build("{s:I, s:s, s:O, s:o, s:s?}", "id",
						 (json_int_t)json_int(r, "id"), "measured_on",
						 json_str(r, "measured_on"), "value", value,
						 "meets", meets, "note", json_str(r, "note")));
	}
	json_t *last = json_array_get(points, json_array_size(points) - 1);
	json_t *summary = json_object();
	static const char *const copied[] = {"id", "statement", "unit", "baseline", "target",
					     "direction", "due_on", "status", "level", NULL};
	for (int k = 0; copied[k]; k++) {
		json_t *v = json_object_get(obj, copied[k]);
		json_object_set(summary, copied[k], v ? v : json_null());
	}
	*out = json_build("{s:o, s:O, s:O}", "objective", summary, "points", points, "on_track",
			 last ? json_object_get(last, "meets") : json_null());
	ret = 0;
out:
	json_decref(obj);
	json_decref(results);
	json_decref(points);
	return ret;
}

static int trend_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return trend_build(c, view_arg_int(a, "objective"), out, e);
}

/* A number as people write it: 7, 99.95, 1200000. */
static void number_text(double d, char *out, size_t size)
{
	snprintf(out, size, "%.10g", d);
}

static void trend_print(const json_t *out, FILE *f)
{
	json_t *obj = json_object_get(out, "objective"), *p;
	json_t *target = json_object_get(obj, "target");
	const char *unit = json_text(obj, "unit");
	char n[40];
	size_t i;
	fprintf(f, "%s\n", json_text(obj, "statement"));
	if (json_is_number(target)) {
		number_text(json_number_value(target), n, sizeof n);
		fprintf(f, "target: %s %s%s%s, due %s\n",
			str_eq(json_str(obj, "direction"), "at_most") ? "at most" : "at least", n,
			*unit ? " " : "", unit, json_text(obj, "due_on"));
	}
	json_array_foreach(json_object_get(out, "points"), i, p) {
		number_text(json_number_value(json_object_get(p, "value")), n, sizeof n);
		json_t *meets = json_object_get(p, "meets");
		fprintf(f, "%s  %12s %-6s %s\n", json_text(p, "measured_on"), n, unit,
			json_is_null(meets) ? "" : json_is_true(meets) ? "meets" : "MISSES");
	}
	json_t *on = json_object_get(out, "on_track");
	fprintf(f, "(%zu results; %s)\n", json_array_size(json_object_get(out, "points")),
		json_is_null(on) ? "not measured against a target yet"
		: json_is_true(on) ? "on track" : "latest result misses the target");
}

/* Days since 1970-01-01 of a YYYY-MM-DD date (Howard Hinnant's days_from_civil). */
static long day_number(const char *date)
{
	int y = 1970, m = 1, d = 1;
	if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void xml_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_putc(b, *s);
		}
	}
}

#define W 640
#define H 320
#define LEFT 70
#define RIGHT 30
#define TOP 50
#define BOTTOM 60

struct scale {
	long d0, d1;
	double v0, v1;
};

static double sx(const struct scale *s, long day)
{
	return LEFT + (double)(day - s->d0) * (W - LEFT - RIGHT) / (double)(s->d1 - s->d0);
}

static double sy(const struct scale *s, double v)
{
	return TOP + (s->v1 - v) * (H - TOP - BOTTOM) / (s->v1 - s->v0);
}

/* The range of the chart: the results, the target and the baseline, with some room. */
static void scale_of(const json_t *obj, const json_t *points, struct scale *s)
{
	json_t *p, *target = json_object_get(obj, "target");
	json_t *base = json_object_get(obj, "baseline");
	size_t i;
	bool any = false;
	s->d0 = s->d1 = 0;
	s->v0 = s->v1 = 0;
	json_array_foreach(points, i, p) {
		long d = day_number(json_str(p, "measured_on"));
		double v = json_number_value(json_object_get(p, "value"));
		if (!any || d < s->d0)
			s->d0 = d;
		if (!any || d > s->d1)
			s->d1 = d;
		if (!any || v < s->v0)
			s->v0 = v;
		if (!any || v > s->v1)
			s->v1 = v;
		any = true;
	}
	const json_t *extra[] = {target, base};
	for (int k = 0; k < 2; k++) {
		if (!json_is_number(extra[k]))
			continue;
		double v = json_number_value(extra[k]);
		if (!any || v < s->v0)
			s->v0 = v;
		if (!any || v > s->v1)
			s->v1 = v;
		any = true;
	}
	if (s->d1 - s->d0 < 1) {
		s->d0 -= 15;
		s->d1 += 15;
	}
	double pad = (s->v1 - s->v0) * 0.1;
	if (pad <= 0)
		pad = s->v1 > 0 ? s->v1 * 0.1 : s->v1 < 0 ? -s->v1 * 0.1 : 1;
	s->v0 -= pad;
	s->v1 += pad;
}

static void trend_svg(const json_t *trend, struct buf *out)
{
	json_t *obj = json_object_get(trend, "objective");
	json_t *points = json_object_get(trend, "points");
	json_t *target = json_object_get(obj, "target"), *p;
	const char *unit = json_text(obj, "unit");
	struct scale s;
	char n[40];
	size_t i, np = json_array_size(points);
	scale_of(obj, points, &s);
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">"
		   "<title>",
		   W, H, W, H);
	xml_text(out, json_text(obj, "statement"));
	buf_puts(out, ": results against the target</title><text x=\"10\" y=\"22\" "
		      "font-size=\"14\" font-weight=\"bold\">");
	xml_text(out, json_text(obj, "statement"));
	buf_puts(out, "</text>");
	/* The plot area and its value axis: the lowest and highest value shown. */
	buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
			"stroke=\"#ccc\"/>",
		   LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
	const double ends[] = {s.v0, s.v1};
	for (int k = 0; k < 2; k++) {
		snprintf(n, sizeof n, "%.4g", ends[k]);
		buf_printf(out,
			   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>",
			   LEFT - 6, sy(&s, ends[k]) + 4, n);
	}
	if (*unit) {
		buf_printf(out, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" "
				"text-anchor=\"middle\" fill=\"#555\">",
			   (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2);
		xml_text(out, unit);
		buf_puts(out, "</text>");
	}
	if (json_is_number(target)) {
		double ty = sy(&s, json_number_value(target));
		number_text(json_number_value(target), n, sizeof n);
		buf_printf(out, "<line class=\"target\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
				"y2=\"%.1f\" stroke=\"#1a7f37\" stroke-width=\"2\" "
				"stroke-dasharray=\"6 4\"/>"
				"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#1a7f37\">"
				"target %s %s",
			   LEFT, ty, W - RIGHT, ty, W - RIGHT - 4, ty - 6,
			   str_eq(json_str(obj, "direction"), "at_most") ? "≤" : "≥", n);
		xml_text(out, unit);
		buf_puts(out, "</text>");
	}
	if (!np) {
		buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">"
				"No results yet</text></svg>\n",
			   (LEFT + W - RIGHT) / 2, (TOP + H - BOTTOM) / 2);
		return;
	}
	buf_puts(out, "<polyline class=\"results\" fill=\"none\" stroke=\"#0b5cad\" "
		      "stroke-width=\"2\" points=\"");
	json_array_foreach(points, i, p) {
		buf_printf(out, "%s%.1f,%.1f", i ? " " : "",
			   sx(&s, day_number(json_str(p, "measured_on"))),
			   sy(&s, json_number_value(json_object_get(p, "value"))));
	}
	buf_puts(out, "\"/>");
	/* Every result as a dot (red when it misses the target) with its date and value; dates
	   under the axis for the first, the last, and enough between to stay legible. */
	size_t every = np > 12 ? (np + 11) / 12 : 1;
	json_array_foreach(points, i, p) {
		double x = sx(&s, day_number(json_str(p, "measured_on")));
		double y = sy(&s, json_number_value(json_object_get(p, "value")));
		bool misses = json_is_false(json_object_get(p, "meets"));
		number_text(json_number_value(json_object_get(p, "value")), n, sizeof n);
		buf_printf(out, "<circle class=\"point%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
				"fill=\"%s\"><title>%s: %s",
			   misses ? " misses" : "", x, y, misses ? "#c62828" : "#0b5cad",
			   json_text(p, "measured_on"), n);
		xml_text(out, *unit ? " " : "");
		xml_text(out, unit);
		buf_puts(out, misses ? " (misses the target)" : "");
		buf_puts(out, "</title></circle>");
		if (i % every == 0 || i == np - 1) {
			char label[8];
			snprintf(label, sizeof label, "%.7s", json_text(p, "measured_on"));
			buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
					"transform=\"rotate(-45 %.1f %d)\" fill=\"#555\">%s</text>",
				   x, H - BOTTOM + 14, x, H - BOTTOM + 14, label);
		}
	}
	buf_puts(out, "</svg>\n");
}

static int trend_write_svg(struct ctx *c, const struct view_args *a, const struct view_format *f,
			   struct buf *out, char *filename, size_t size, struct err *e)
{
	(void)f;
	json_t *trend;
	if (trend_run(c, a, &trend, e) < 0)
		return -1;
	trend_svg(trend, out);
	json_decref(trend);
	snprintf(filename, size, "objective-%lld-trend.svg", view_arg_int(a, "objective"));
	return 0;
}

static const struct view_param trend_params[] = {
	{.name = "objective", .type = VP_ID, .required = true,
	 .help = "The id of the objective whose results to show"},
};

static const struct view_format trend_formats[] = {
	{"svg", "image/svg+xml", false, trend_write_svg},
};

const struct view objective_trend_view = {
	.name = "objective-trend",
	.clause = "6.2",
	.title = "Objective trend",
	.summary = "One objective's results over time against its target",
	.help = "The results of one objective in the order they were measured, each marked as "
		"meeting its target or not, with the target and whether the latest result is on "
		"track; as SVG, a line of the results against the target line.",
	.params = trend_params,
	.nparams = COUNT_OF(trend_params),
	.reads = (const char *const[]){"objectives", "objective-results", NULL},
	.run = trend_run,
	.schema = "{'type': 'object', 'required': ['objective', 'points', 'on_track'],"
		  " 'properties': {"
		  "  'objective': {'type': 'object', 'required': ['id', 'statement', 'target',"
		  "    'direction', 'status'], 'properties': {'id': {'type': 'integer'},"
		  "    'statement': {'type': 'string'},"
		  "    'unit': {'type': 'string', 'nullable': true},"
		  "    'baseline': {'type': 'number', 'nullable': true},"
		  "    'target': {'type': 'number', 'nullable': true},"
		  "    'direction': {'enum': ['at_least', 'at_most']},"
		  "    'due_on': {'type': 'string', 'nullable': true},"
		  "    'status': {'type': 'string'},"
		  "    'level': {'type': 'string'}}},"
		  "  'points': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['id', 'measured_on', 'value', 'meets'],"
		  "    'properties': {'id': {'type': 'integer'}, 'measured_on': {'type': 'string',"
		  "      'format': 'date'}, 'value': {'type': 'number'},"
		  "      'meets': {'type': 'boolean', 'nullable': true},"
		  "      'note': {'type': 'string'}}}},"
		  "  'on_track': {'type': 'boolean', 'nullable': true}}}",
	.formats = trend_formats,
	.nformats = COUNT_OF(trend_formats),
	.print = trend_print,
	.web = "#/objectives",
};

static int register_table(struct ctx *c, const struct view_args *a, struct export_table *t,
			  struct err *e)
{
	(void)a;
	return export_register(c, &objectives_type, "objective-register", "Objectives register",
			       t, e);
}

const struct view objective_register_view = {
	.name = "objective-register",
	.clause = "6.2",
	.title = "Objectives register",
	.summary = "The information security objectives with owner, target, due date and status",
	.help = "Every information security objective with its policy, level, measure, baseline, "
		"target, owner, resources, due date, evaluation, audience and status.",
	.reads = (const char *const[]){"objectives", NULL},
	.table = register_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.web = "#/objectives",
};
