/* c9_1_measure_trend.c — one measure's measurements over time against its decision
   criteria: JSON (the points with their status, the green / amber / red bands), a text
   table for the CLI, and a server-drawn SVG line chart over the coloured bands. */
#include "c9_1_measures.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../base/text.h"

#include <stdio.h>
#include <string.h>

static json_t *band(const char *status, double *from, double *to)
{
	return json_build("{s:s, s:o, s:o}", "status", status, "from",
			  from ? json_real(*from) : json_null(), "to",
			  to ? json_real(*to) : json_null());
}

/* The bands of the decision criteria, from the lowest values up. */
static json_t *bands_of(const json_t *m)
{
	double g = json_number_value(json_object_get(m, "green"));
	double r = json_number_value(json_object_get(m, "red"));
	json_t *bands = json_array();
	bool lower = str_eq(json_str(m, "direction"), "lower_is_better");
	json_array_append_new(bands, lower ? band("green", NULL, &g) : band("red", NULL, &r));
	if (g != r)
		json_array_append_new(bands, lower ? band("amber", &g, &r) : band("amber", &r, &g));
	json_array_append_new(bands, lower ? band("red", &r, NULL) : band("green", &g, NULL));
	return bands;
}

static int trend_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	long long id = view_arg_int(a, "measure");
	json_t *m = NULL, *all = NULL, *points = json_array(), *r;
	size_t i;
	int ret = -1;
	*out = NULL;
	if (record_get_stored(c, &measures_type, id, &m, e) < 0 ||
	    measure_measurements(c, id, &all, e) < 0)
		goto out;
	json_array_foreach(all, i, r) {
		json_t *value = json_object_get(r, "value");
		if (!json_is_number(value))
			continue;
		json_array_append_new(
			points, json_build("{s:I, s:s, s:O, s:s, s:s?}", "id",
					   (json_int_t)json_int(r, "id"), "measured_on",
					   json_str(r, "measured_on"), "value", value, "status",
					   measure_status(m, json_number_value(value)), "note",
					   json_str(r, "note")));
	}
	json_t *summary = json_object();
	static const char *const copied[] = {"id",     "name",   "unit",      "direction",
					     "green",  "red",    "target",    "frequency",
					     "active", NULL};
	for (int k = 0; copied[k]; k++) {
		json_t *v = json_object_get(m, copied[k]);
		json_object_set(summary, copied[k], v ? v : json_null());
	}
	json_t *last = json_array_get(points, json_array_size(points) - 1);
	*out = json_build("{s:o, s:O, s:o, s:s}", "measure", summary, "points", points, "bands",
			  bands_of(m), "status", last ? json_str(last, "status") : "none");
	ret = 0;
out:
	json_decref(m);
	json_decref(all);
	json_decref(points);
	return ret;
}

static void trend_print(const json_t *out, FILE *f)
{
	json_t *m = json_object_get(out, "measure"), *p;
	const char *unit = json_text(m, "unit");
	size_t i;
	fprintf(f, "%s\n", json_text(m, "name"));
	fprintf(f, "green %s %.10g %s, red %s %.10g %s\n",
		str_eq(json_str(m, "direction"), "lower_is_better") ? "≤" : "≥",
		json_number_value(json_object_get(m, "green")), unit,
		str_eq(json_str(m, "direction"), "lower_is_better") ? "≥" : "≤",
		json_number_value(json_object_get(m, "red")), unit);
	json_array_foreach(json_object_get(out, "points"), i, p) {
		fprintf(f, "%s  %12.10g %-6s %s\n", json_text(p, "measured_on"),
			json_number_value(json_object_get(p, "value")), unit,
			json_text(p, "status"));
	}
	fprintf(f, "(%zu measurements; status %s)\n",
		json_array_size(json_object_get(out, "points")), json_text(out, "status"));
}

/* Days since 1970-01-01 of a YYYY-MM-DD date (Howard Hinnant's days_from_civil). */
static long day_number(const char *date)
{
	int y = 1970, mo = 1, d = 1;
	if (!date || sscanf(date, "%4d-%2d-%2d", &y, &mo, &d) != 3)
		return 0;
	y -= mo <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
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

/* Clamped to the plot area, so an unbounded band ends at its edge. */
static double sy(const struct scale *s, double v)
{
	double y = TOP + (s->v1 - v) * (H - TOP - BOTTOM) / (s->v1 - s->v0);
	return y < TOP ? TOP : y > H - BOTTOM ? H - BOTTOM : y;
}

static void widen(struct scale *s, double v, bool *any)
{
	if (!*any || v < s->v0)
		s->v0 = v;
	if (!*any || v > s->v1)
		s->v1 = v;
	*any = true;
}

/* The range of the chart: the values and both thresholds, with some room. */
static void scale_of(const json_t *m, const json_t *points, struct scale *s)
{
	json_t *p;
	size_t i;
	bool any = false, dated = false;
	s->d0 = s->d1 = 0;
	s->v0 = s->v1 = 0;
	json_array_foreach(points, i, p) {
		long d = day_number(json_str(p, "measured_on"));
		if (!dated || d < s->d0)
			s->d0 = d;
		if (!dated || d > s->d1)
			s->d1 = d;
		dated = true;
		widen(s, json_number_value(json_object_get(p, "value")), &any);
	}
	widen(s, json_number_value(json_object_get(m, "green")), &any);
	widen(s, json_number_value(json_object_get(m, "red")), &any);
	if (s->d1 - s->d0 < 1) {
		s->d0 -= 15;
		s->d1 += 15;
	}
	double pad = (s->v1 - s->v0) * 0.15;
	if (pad <= 0)
		pad = s->v1 > 0 ? s->v1 * 0.1 : s->v1 < 0 ? -s->v1 * 0.1 : 1;
	s->v0 -= pad;
	s->v1 += pad;
}

static const char *fill_of(const char *status)
{
	return str_eq(status, "green") ? "#e3f4e6" : str_eq(status, "amber") ? "#fdf0d5"
									      : "#fbe3e3";
}

static const char *dot_of(const char *status)
{
	return str_eq(status, "green") ? "#1a7f37" : str_eq(status, "amber") ? "#9a6700"
									      : "#c62828";
}

static void trend_svg(const json_t *trend, struct buf *out)
{
	json_t *m = json_object_get(trend, "measure");
	json_t *points = json_object_get(trend, "points"), *p, *b;
	const char *unit = json_text(m, "unit");
	struct scale s;
	size_t i, np = json_array_size(points);
	scale_of(m, points, &s);
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">"
		   "<title>",
		   W, H, W, H);
	xml_text(out, json_text(m, "name"));
	buf_puts(out, ": measurements against the thresholds</title><text x=\"10\" y=\"22\" "
		      "font-size=\"14\" font-weight=\"bold\">");
	xml_text(out, json_text(m, "name"));
	buf_puts(out, "</text>");
	/* The bands, each labelled with its status in words (colour is not the only cue). */
	json_array_foreach(json_object_get(trend, "bands"), i, b) {
		json_t *from = json_object_get(b, "from"), *to = json_object_get(b, "to");
		double y1 = json_is_number(to) ? sy(&s, json_number_value(to)) : TOP;
		double y0 = json_is_number(from) ? sy(&s, json_number_value(from)) : H - BOTTOM;
		const char *st = json_text(b, "status");
		buf_printf(out, "<rect class=\"band %s\" x=\"%d\" y=\"%.1f\" width=\"%d\" "
				"height=\"%.1f\" fill=\"%s\"/>",
			   st, LEFT, y1, W - LEFT - RIGHT, y0 - y1, fill_of(st));
		if (y0 - y1 >= 14)
			buf_printf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
					"fill=\"%s\">%s</text>",
				   W - RIGHT - 4, y1 + 13, dot_of(st), st);
	}
	buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
			"stroke=\"#ccc\"/>",
		   LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
	static const char *const thresholds[] = {"green", "red"};
	for (int k = 0; k < 2; k++) {
		double v = json_number_value(json_object_get(m, thresholds[k]));
		buf_printf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">"
				"%.6g</text>",
			   LEFT - 6, sy(&s, v) + 4, v);
	}
	if (*unit) {
		buf_printf(out, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" "
				"text-anchor=\"middle\" fill=\"#555\">",
			   (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2);
		xml_text(out, unit);
		buf_puts(out, "</text>");
	}
	if (!np) {
		buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">"
				"No measurements yet</text></svg>\n",
			   (LEFT + W - RIGHT) / 2, (TOP + H - BOTTOM) / 2);
		return;
	}
	buf_puts(out, "<polyline class=\"values\" fill=\"none\" stroke=\"#0b5cad\" "
		      "stroke-width=\"2\" points=\"");
	json_array_foreach(points, i, p) {
		buf_printf(out, "%s%.1f,%.1f", i ? " " : "",
			   sx(&s, day_number(json_str(p, "measured_on"))),
			   sy(&s, json_number_value(json_object_get(p, "value"))));
	}
	buf_puts(out, "\"/>");
	size_t every = np > 12 ? (np + 11) / 12 : 1;
	json_array_foreach(points, i, p) {
		double x = sx(&s, day_number(json_str(p, "measured_on")));
		double v = json_number_value(json_object_get(p, "value"));
		const char *st = json_text(p, "status");
		buf_printf(out, "<circle class=\"point %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
				"fill=\"%s\"><title>%s: %.10g",
			   st, x, sy(&s, v), dot_of(st), json_text(p, "measured_on"), v);
		if (*unit) {
			buf_putc(out, ' ');
			xml_text(out, unit);
		}
		buf_printf(out, " (%s)</title></circle>", st);
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
	snprintf(filename, size, "measure-%lld-trend.svg", view_arg_int(a, "measure"));
	return 0;
}

static const struct view_param trend_params[] = {
	{.name = "measure", .type = VP_ID, .required = true,
	 .help = "The id of the measure whose measurements to show"},
};

static const struct view_format trend_formats[] = {
	{"svg", "image/svg+xml", false, trend_write_svg},
};

const struct view measure_trend_view = {
	.name = "measure-trend",
	.clause = "9.1",
	.title = "Measure trend",
	.summary = "One measure's measurements over time against its thresholds",
	.help = "The measurements of one measure in date order, each green, amber or red against "
		"the measure's thresholds, with the bands of its decision criteria and its status "
		"now; as SVG, a line of the values over the coloured, labelled bands.",
	.params = trend_params,
	.nparams = COUNT_OF(trend_params),
	.reads = (const char *const[]){"measures", "measurements", NULL},
	.run = trend_run,
	.schema = "{'type': 'object', 'required': ['measure', 'points', 'bands', 'status'],"
		  " 'properties': {"
		  "  'measure': {'type': 'object', 'required': ['id', 'name', 'direction', 'green',"
		  "    'red', 'frequency'], 'properties': {'id': {'type': 'integer'},"
		  "    'name': {'type': 'string'},"
		  "    'unit': {'type': 'string', 'nullable': true},"
		  "    'direction': {'enum': ['higher_is_better', 'lower_is_better']},"
		  "    'green': {'type': 'number'}, 'red': {'type': 'number'},"
		  "    'target': {'type': 'number', 'nullable': true},"
		  "    'frequency': {'type': 'string'},"
		  "    'active': {'type': 'boolean'}}},"
		  "  'points': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['id', 'measured_on', 'value', 'status'],"
		  "    'properties': {'id': {'type': 'integer'}, 'measured_on': {'type': 'string',"
		  "      'format': 'date'}, 'value': {'type': 'number'},"
		  "      'status': {'enum': ['green', 'amber', 'red', 'none']},"
		  "      'note': {'type': 'string'}}}},"
		  "  'bands': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['status', 'from', 'to'],"
		  "    'properties': {'status': {'enum': ['green', 'amber', 'red']},"
		  "      'from': {'type': 'number', 'nullable': true},"
		  "      'to': {'type': 'number', 'nullable': true}}}},"
		  "  'status': {'enum': ['green', 'amber', 'red', 'none']}}}",
	.formats = trend_formats,
	.nformats = COUNT_OF(trend_formats),
	.print = trend_print,
	.web = "#/measures/dashboard",
};
