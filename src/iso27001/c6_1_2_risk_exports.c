/* export_risks.c — registers of records: any type's (every field of every record, with the
   names of what it refers to), the risk register (with the colours of its levels in the
   approved risk method) and the risk treatment plan (every treatment action, by due date),
   as tables. Columns follow the
   registry, so a field added to a type shows up in its export. */
#include "../report/export.h"
#include "../report/export_table.h"
#include "../base/json.h"
#include "../base/xalloc.h"
#include "c6_1_2_risks.h"
#include "c6_1_3_treatment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The producer's state: the type whose rows are made, with a cell for every shown field
   after the id. */
struct walk {
	struct ctx *c;
	const struct record_type *rt;
	struct export_titles titles;
	json_t *colours; /* risk level name → "#rrggbb" (risk register only) */
	json_t *records; /* the treatment plan's actions, sorted once read */
	export_emit_fn emit;
	void *emit_arg;
	struct err *e;
};

static void walk_free(void *state)
{
	struct walk *w = state;
	export_titles_release(&w->titles);
	json_decref(w->colours);
	json_decref(w->records);
	free(w);
}

/* Gives the table a new walk over rt as its state. */
static struct walk *walk_new(struct export_table *t, struct ctx *c, const struct record_type *rt)
{
	struct walk *w = xcalloc(1, sizeof *w);
	w->c = c;
	w->rt = rt;
	export_titles_init(&w->titles, c);
	t->state = w;
	t->free_state = walk_free;
	return w;
}

static bool shown(const struct field *f)
{
	return !(f->flags & F_WRITEONLY);
}

static bool level_field(const struct walk *w, const struct field *f)
{
	return w->colours && (strcmp(f->name, "inherent_level") == 0 ||
			      strcmp(f->name, "residual_level") == 0);
}

static void add_columns(struct export_table *t, const struct walk *w)
{
	export_table_column(t, "ID", 8);
	for (size_t i = 0; i < w->rt->nfields; i++) {
		const struct field *f = &w->rt->fields[i];
		if (!shown(f))
			continue;
		export_table_column(t, f->label, export_field_width(f));
		if (level_field(w, f)) {
			char label[80];
			snprintf(label, sizeof label, "%s colour", f->label);
			export_table_column(t, label, 14);
		}
	}
}

/* Makes the row of one (decorated) record and hands it to the renderer. */
static int emit_row(struct walk *w, const json_t *rec)
{
	json_t *row = json_array();
	int ret = -1;
	json_array_append(row, json_object_get(rec, "id"));
	for (size_t i = 0; i < w->rt->nfields; i++) {
		const struct field *f = &w->rt->fields[i];
		json_t *cell;
		if (!shown(f))
			continue;
		if (export_field_cell(&w->titles, f, rec, &cell, w->e) < 0)
			goto out;
		if (level_field(w, f)) {
			const char *level = json_str(rec, f->name);
			const char *colour = level ? json_str(w->colours, level) : NULL;
			if (colour)
				cell = json_build("{s:o, s:s}", "text", cell, "fill", colour);
			json_array_append_new(row, cell);
			cell = colour ? json_string(colour) : json_null();
		}
		json_array_append_new(row, cell);
	}
	ret = w->emit(w->emit_arg, row, w->e);
out:
	json_decref(row);
	return ret;
}

/* record_scan callback: decorates the record (derived fields such as overdue), then emits
   its row, or keeps it for sorting. */
static int each(void *arg, long long id, json_t *rec)
{
	(void)id;
	struct walk *w = arg;
	if (record_decorate(w->c, w->rt, rec, w->e) < 0)
		return -1;
	if (w->records) {
		json_array_append(w->records, rec);
		return 0;
	}
	return emit_row(w, rec);
}

/* ---- registers ---------------------------------------------------------------------- */

static int register_rows(struct export_table *t, export_emit_fn emit, void *arg, struct err *e)
{
	struct walk *w = t->state;
	w->emit = emit;
	w->emit_arg = arg;
	w->e = e;
	return record_scan(w->c, w->rt, each, w, e);
}

/* The approved method in the About lines, and its level colours into w->colours. */
static void describe_method(struct export_table *t, struct walk *w, const json_t *m)
{
	if (!m) {
		export_table_about(t, "Risk method", "none approved yet: levels are not computed");
		return;
	}
	struct buf b = BUF_INIT;
	size_t i;
	json_t *level;
	json_array_foreach(json_object_get(m, "risk_levels"), i, level) {
		const char *name = json_str(level, "name"), *colour = json_str(level, "colour");
		if (!name || !colour)
			continue;
		json_object_set_new(w->colours, name, json_string(colour));
		buf_printf(&b, "%s%s %s", i ? "; " : "", name, colour);
	}
	const char *threshold = json_str(m, "acceptance_threshold");
	buf_printf(&b, " (acceptable up to %s)", threshold ? threshold : "?");
	char method[300];
	snprintf(method, sizeof method, "%s, approved on %s",
		 json_str(m, "name") ? json_str(m, "name") : "?",
		 json_str(m, "approved_on") ? json_str(m, "approved_on") : "?");
	export_table_about(t, "Risk method", method);
	export_table_about(t, "Risk levels", buf_str(&b));
	buf_release(&b);
}

int export_register(struct ctx *c, const struct record_type *rt, const char *name,
		    const char *title, struct export_table *t, struct err *e)
{
	(void)e;
	export_table_init(t, title, title);
	struct walk *w = walk_new(t, c, rt);
	export_table_about(t, "Report", title);
	export_table_live(t, c, name);
	add_columns(t, w);
	t->produce = register_rows;
	return 0;
}

static int risk_register_table(struct ctx *c, const struct view_args *a, struct export_table *t,
			       struct err *e)
{
	(void)a;
	json_t *m;
	export_table_init(t, "Risk register", "Risk register");
	struct walk *w = walk_new(t, c, &risks_type);
	w->colours = json_object();
	if (risk_method_current(c, &m, e) < 0) {
		export_table_release(t);
		return -1;
	}
	export_table_about(t, "Report", "Risk register");
	describe_method(t, w, m);
	json_decref(m);
	export_table_live(t, c, "risk-register");
	add_columns(t, w);
	t->produce = register_rows;
	return 0;
}

/* ---- the treatment plan ----------------------------------------------------------- */

/* By due date, undated actions last, then by id. */
static int by_due(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	const char *dx = json_str(x, "due_date"), *dy = json_str(y, "due_date");
	int d = dx && dy ? strcmp(dx, dy) : (dx ? -1 : 0) - (dy ? -1 : 0);
	if (d)
		return d;
	json_int_t ix = json_integer_value(json_object_get(x, "id")),
		   iy = json_integer_value(json_object_get(y, "id"));
	return (ix > iy) - (ix < iy);
}

static int plan_rows(struct export_table *t, export_emit_fn emit, void *arg, struct err *e)
{
	struct walk *w = t->state;
	w->emit = emit;
	w->emit_arg = arg;
	w->e = e;
	json_decref(w->records);
	w->records = json_array();
	if (record_scan(w->c, w->rt, each, w, e) < 0)
		return -1;
	size_t n = json_array_size(w->records);
	json_t **sorted = xcalloc(n ? n : 1, sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = json_array_get(w->records, i);
	qsort(sorted, n, sizeof *sorted, by_due);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = emit_row(w, sorted[i]);
	free(sorted);
	return rc;
}

static int treatment_plan_table(struct ctx *c, const struct view_args *a, struct export_table *t,
				struct err *e)
{
	(void)a;
	(void)e;
	export_table_init(t, "Risk treatment plan", "Treatment plan");
	struct walk *w = walk_new(t, c, &treatment_actions_type);
	export_table_about(t, "Report", "Risk treatment plan");
	export_table_live(t, c, "treatment-plan");
	add_columns(t, w);
	t->produce = plan_rows;
	return 0;
}

const struct view risk_register_view = {
	.name = "risk-register",
	.clause = "6.1.2",
	.title = "Risk register",
	.summary = "The risk register with names, levels and level colours",
	.help = "Every risk with every field, the names of what it refers to, and its levels in "
		"the colours of the approved risk method.",
	.reads = (const char *const[]){"risks", NULL},
	.table = risk_register_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.web = "#/reports",
};

const struct view treatment_plan_view = {
	.name = "treatment-plan",
	.clause = "6.1.3 e",
	.title = "Risk treatment plan",
	.summary = "The risk treatment plan, by due date",
	.help = "Every treatment action by due date (undated ones last), with its risk, owner "
		"and status.",
	.reads = (const char *const[]){"treatment-actions", NULL},
	.table = treatment_plan_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.web = "#/reports",
};
