/* heatmap.c — risk heat maps from the approved method and the risk register. */
#include "c6_1_2_heatmap.h"
#include "../base/text.h"
#include "../base/json.h"
#include "c6_1_2_risks.h"

#include <stdio.h>
#include <string.h>

int heatmap_build(struct ctx *c, const char *kind, json_t **out, struct err *e)
{
	bool residual = strcmp(kind, "residual") == 0;
	json_t *m = NULL, *like = json_array(), *cons = json_array(), *cells = json_array();
	struct store_rows *r = NULL;
	long long total = 0;
	int rc, ret = -1;
	*out = NULL;
	if (!residual && strcmp(kind, "inherent") != 0) {
		err_set(e, ERR_INVALID, "kind", "kind must be inherent or residual");
		goto out;
	}
	if (risk_method_current(c, &m, e) < 0)
		goto out;
	if (!m) {
		err_set(e, ERR_CONFLICT, NULL, "no risk method is approved yet");
		goto out;
	}
	size_t i, k;
	json_t *x, *row;
	json_array_foreach(json_object_get(m, "likelihood_levels"), i, x)
		json_array_append_new(like, json_string(json_str(x, "label")));
	json_array_foreach(json_object_get(m, "consequence_levels"), i, x)
		json_array_append_new(cons, json_string(json_str(x, "label")));
	json_array_foreach(json_object_get(m, "matrix"), i, row) {
		json_t *cells_row = json_array();
		json_array_foreach(row, k, x) {
			const char *level = json_string_value(x);
			int idx = risk_level_index(m, level);
			json_t *def = json_array_get(json_object_get(m, "risk_levels"), (size_t)idx);
			json_array_append_new(cells_row, json_build("{s:s, s:s, s:i}", "level", level,
								   "colour", json_str(def, "colour"),
								   "count", 0));
		}
		json_array_append_new(cells, cells_row);
	}
	if (store_query(c->store,
			residual ? "SELECT residual_likelihood, residual_consequence, count(*) FROM "
				   "risks WHERE status <> 'closed' AND residual_likelihood IS NOT NULL "
				   "AND residual_consequence IS NOT NULL GROUP BY residual_likelihood, "
				   "residual_consequence"
				 : "SELECT likelihood, consequence, count(*) FROM risks WHERE status <> "
				   "'closed' AND likelihood IS NOT NULL AND consequence IS NOT NULL "
				   "GROUP BY likelihood, consequence",
			NULL, 0, &r, e) < 0)
		goto out;
	while ((rc = store_next(r, e)) > 0) {
		json_t *cell = json_array_get(json_array_get(cells, (size_t)store_int(r, 0) - 1),
					      (size_t)store_int(r, 1) - 1);
		if (!cell) /* scored with an older method that had more levels */
			continue;
		json_object_set_new(cell, "count", json_integer(store_int(r, 2)));
		total += store_int(r, 2);
	}
	if (rc < 0)
		goto out;
	*out = json_build("{s:s, s:O, s:O, s:O, s:I, s:O}", "kind", kind, "likelihood", like,
			 "consequence", cons, "cells", cells, "total", (json_int_t)total, "method",
			 json_object_get(m, "id"));
	ret = 0;
out:
	store_rows_free(r);
	json_decref(m);
	json_decref(like);
	json_decref(cons);
	json_decref(cells);
	return ret;
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

/* Black or white, whichever reads better on a "#rrggbb" fill. */
static const char *text_colour(const char *fill)
{
	unsigned rgb = 0;
	if (!fill || sscanf(fill, "#%6x", &rgb) != 1)
		return "#000";
	double lum = 0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) +
		     0.0722 * (rgb & 0xff);
	return lum > 140 ? "#000" : "#fff";
}

#define CELL 64
#define LEFT 130
#define TOP 40

void heatmap_svg(const json_t *map, struct buf *out)
{
	json_t *like = json_object_get(map, "likelihood"), *cons = json_object_get(map, "consequence");
	json_t *cells = json_object_get(map, "cells");
	size_t nl = json_array_size(like), nc = json_array_size(cons);
	int width = LEFT + (int)nc * CELL + 20, height = TOP + (int)nl * CELL + 70;
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">"
		   "<title>%s risk heat map</title>"
		   "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s risk</text>",
		   width, height, width, height,
		   str_eq(json_str(map, "kind"), "residual") ? "Residual" : "Inherent", LEFT,
		   str_eq(json_str(map, "kind"), "residual") ? "Residual" : "Inherent");
	for (size_t l = 0; l < nl; l++) {
		int y = TOP + (int)(nl - 1 - l) * CELL; /* highest likelihood on top */
		buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LEFT - 8, y + CELL / 2 + 4);
		xml_text(out, json_string_value(json_array_get(like, l)));
		buf_puts(out, "</text>");
		for (size_t k = 0; k < nc; k++) {
			json_t *cell = json_array_get(json_array_get(cells, l), k);
			int x = LEFT + (int)k * CELL;
			buf_printf(out, "<a href=\"/#/t/risks?%s=%zu&amp;%s=%zu\">",
				   str_eq(json_str(map, "kind"), "residual") ? "residual_likelihood"
										  : "likelihood",
				   l + 1,
				   str_eq(json_str(map, "kind"), "residual") ? "residual_consequence"
										  : "consequence",
				   k + 1);
			buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"", x, y,
				   CELL - 2, CELL - 2);
			xml_text(out, json_str(cell, "colour"));
			buf_puts(out, "\"><title>");
			xml_text(out, json_str(cell, "level"));
			buf_printf(out, "</title></rect><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
					"font-size=\"16\" fill=\"%s\">%lld</text></a>",
				   x + CELL / 2 - 1, y + CELL / 2 + 5, text_colour(json_str(cell, "colour")),
				   (long long)json_integer_value(json_object_get(cell, "count")));
		}
	}
	int base = TOP + (int)nl * CELL;
	for (size_t k = 0; k < nc; k++) {
		buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			   LEFT + (int)k * CELL + CELL / 2, base + 16);
		xml_text(out, json_string_value(json_array_get(cons, k)));
		buf_puts(out, "</text>");
	}
	buf_printf(out,
		   "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">Consequence</text>"
		   "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
		   "text-anchor=\"middle\">Likelihood</text></svg>\n",
		   LEFT + (int)nc * CELL / 2, base + 40, TOP + (int)nl * CELL / 2,
		   TOP + (int)nl * CELL / 2);
}

static int heatmap_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return heatmap_build(c, view_arg_text(a, "kind"), out, e);
}

static int heatmap_write_svg(struct ctx *c, const struct view_args *a, const struct view_format *f,
			     struct buf *out, char *filename, size_t size, struct err *e)
{
	(void)f;
	json_t *map;
	if (heatmap_run(c, a, &map, e) < 0)
		return -1;
	heatmap_svg(map, out);
	json_decref(map);
	snprintf(filename, size, "heatmap-%s.svg", view_arg_text(a, "kind"));
	return 0;
}

static const char *const kinds[] = {"inherent", "residual", NULL};

static const struct view_param heatmap_params[] = {
	{.name = "kind", .type = VP_ENUM, .values = kinds, .def = "inherent",
	 .help = "inherent (before treatment, the default) or residual (after)"},
};

static const struct view_format heatmap_formats[] = {
	{"svg", "image/svg+xml", false, heatmap_write_svg},
};

const struct view heatmap_view = {
	.name = "heatmap",
	.clause = "6.1.2 d",
	.title = "Risk heat map",
	.summary = "Risk heat map: open risks per likelihood and consequence",
	.help = "Open risks counted per likelihood and consequence cell of the approved risk "
		"method, each cell with its level and colour; as SVG, each cell links to its "
		"risks.",
	.params = heatmap_params,
	.nparams = COUNT_OF(heatmap_params),
	.reads = (const char *const[]){"risks", NULL},
	.run = heatmap_run,
	.schema = "{'type': 'object',"
		  " 'required': ['kind', 'likelihood', 'consequence', 'cells', 'total'],"
		  " 'properties': {'kind': {'enum': ['inherent', 'residual']},"
		  "  'likelihood': {'type': 'array', 'items': {'type': 'string'}},"
		  "  'consequence': {'type': 'array', 'items': {'type': 'string'}},"
		  "  'cells': {'type': 'array', 'items': {'type': 'array', 'items': {"
		  "    'type': 'object', 'required': ['count']}}},"
		  "  'total': {'type': 'integer'}}}",
	.formats = heatmap_formats,
	.nformats = COUNT_OF(heatmap_formats),
	.web = "#/reports",
};
