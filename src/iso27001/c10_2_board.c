/* c10_2_board.c — two views of the nonconformities: the board (a column per state, a card per
   nonconformity with its owner, the next corrective action's due day and its age) and the
   register export (XLSX, CSV, printable HTML: every nonconformity with its corrective
   actions, a row per action). */
#include "c10_2_nonconformity.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../engine/query.h"
#include "../report/export.h"
#include "../report/export_table.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct {
	const char *state, *label;
} board_columns[] = {
	{"open", "Open"},
	{"corrected", "Corrected"},
	{"analysed", "Cause analysed"},
	{"acting", "Corrective action"},
	{"verifying", "Verifying effectiveness"},
	{"closed", "Closed"},
	{"rejected", "Rejected"},
};

/* Whole days from a to b (YYYY-MM-DD), 0 when either is unreadable. */
static long long days_between(const char *a, const char *b)
{
	struct tm ta = {0}, tb = {0};
	if (!a || !b || sscanf(a, "%4d-%2d-%2d", &ta.tm_year, &ta.tm_mon, &ta.tm_mday) != 3 ||
	    sscanf(b, "%4d-%2d-%2d", &tb.tm_year, &tb.tm_mon, &tb.tm_mday) != 3)
		return 0;
	ta.tm_year -= 1900, tb.tm_year -= 1900, ta.tm_mon -= 1, tb.tm_mon -= 1;
	return (long long)((timegm(&tb) - timegm(&ta)) / 86400);
}

/* The title of person id, from cache ({"<id>": "<name>"}) or the store; borrowed from
   cache. NULL when id is 0. */
static const char *person_name(struct ctx *c, json_t *cache, long long id, struct err *e)
{
	char key[24], name[201];
	if (!id)
		return NULL;
	snprintf(key, sizeof key, "%lld", id);
	json_t *v = json_object_get(cache, key);
	if (v)
		return json_string_value(v);
	if (record_title_of(c, registry_find(c->reg, "person"), id, name, sizeof name, e) < 0)
		return NULL;
	json_object_set_new(cache, key, json_string(name));
	return json_string_value(json_object_get(cache, key));
}

/* One card: {id, title, source, severity, clause, owner, owner_name, detected_on, age_days
   (until today, or until it was closed), next_due, overdue, actions, actions_open}. */
static int board_card(struct ctx *c, const json_t *nc, const char *today, json_t *names,
		      json_t **out, struct err *e)
{
	static const char *const unfinished[] = {"planned", "in_progress", NULL};
	long long id = json_int(nc, "id"), owner = json_int(nc, "owner"), total = 0;
	json_t *open = NULL;
	struct query q_all = {.type = "corrective_action",
			      .where = {QEQ("nonconformity", SVI(id)),
					QNE("status", SVS("cancelled"))}};
	struct query q_open = {.type = "corrective_action",
			       .where = {QEQ("nonconformity", SVI(id)),
					 QIN_TEXT("status", unfinished)},
			       .order = "due_on"};
	if (query_count(c, &q_all, &total, e) < 0 || query_records(c, &q_open, &open, e) < 0)
		return -1;
	const char *next = json_array_size(open) ? json_str(json_array_get(open, 0), "due_on")
						 : NULL;
	const char *name = person_name(c, names, owner, e);
	if (owner && !name) {
		json_decref(open);
		return -1;
	}
	/* Age: from detection to today, or to the day it was closed or rejected. */
	const char *detected = json_str(nc, "detected_on"),
		   *end = json_str(nc, "closed_on") ? json_str(nc, "closed_on") : today;
	*out = json_build("{s:I, s:s, s:s, s:s?, s:s?, s:o, s:s?, s:s?, s:I, s:s?, s:b, s:I, "
			  "s:I}",
			  "id", (json_int_t)id, "title", json_text(nc, "title"), "source",
			  json_text(nc, "source"), "severity", json_str(nc, "severity"), "clause",
			  json_str(nc, "clause"), "owner",
			  owner ? json_integer(owner) : json_null(), "owner_name", name,
			  "detected_on", detected, "age_days",
			  (json_int_t)(detected ? days_between(detected, end) : 0), "next_due",
			  next, "overdue", next && strcmp(next, today) < 0, "actions",
			  (json_int_t)total, "actions_open", (json_int_t)json_array_size(open));
	json_decref(open);
	return 0;
}

static int board_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	char today[11], since[11];
	json_t *columns = json_array(), *names = json_object(), *recs = NULL;
	int rc = -1;
	ctx_today(c, today);
	clock_add_days(today, -view_arg_int(a, "closed_days"), since);
	for (size_t i = 0; i < COUNT_OF(board_columns); i++) {
		const char *state = board_columns[i].state;
		bool finished = !strcmp(state, "closed") || !strcmp(state, "rejected");
		struct query q = {.type = "nonconformity",
				  .where = {QEQ("status", SVS(state)),
					    finished ? (struct query_cond)QGE("closed_on", SVS(since))
						     : (struct query_cond){0}},
				  .order = "detected_on"};
		json_t *cards = json_array(), *r;
		size_t j;
		if (query_records(c, &q, &recs, e) < 0) {
			json_decref(cards);
			goto cleanup;
		}
		json_array_foreach(recs, j, r) {
			json_t *card;
			if (board_card(c, r, today, names, &card, e) < 0) {
				json_decref(cards);
				goto cleanup;
			}
			json_array_append_new(cards, card);
		}
		json_decref(recs);
		recs = NULL;
		json_array_append_new(columns,
				      json_build("{s:s, s:s, s:I, s:o}", "state", state, "label",
						 board_columns[i].label, "count",
						 (json_int_t)json_array_size(cards), "cards", cards));
	}
	*out = json_build("{s:s, s:I, s:O}", "today", today, "closed_days",
			  (json_int_t)view_arg_int(a, "closed_days"), "columns", columns);
	rc = 0;
cleanup:
	json_decref(recs);
	json_decref(columns);
	json_decref(names);
	return rc;
}

static void board_print(const json_t *out, FILE *f)
{
	size_t i, j;
	json_t *col, *card;
	json_array_foreach(json_object_get(out, "columns"), i, col) {
		fprintf(f, "%s (%lld)\n", json_text(col, "label"), json_int(col, "count"));
		json_array_foreach(json_object_get(col, "cards"), j, card) {
			fprintf(f, "  #%-5lld %-50.50s %-22.22s %4lld d", json_int(card, "id"),
				json_text(card, "title"),
				json_str(card, "owner_name") ? json_text(card, "owner_name") : "—",
				json_int(card, "age_days"));
			if (json_str(card, "next_due"))
				fprintf(f, "  due %s%s", json_text(card, "next_due"),
					json_is_true(json_object_get(card, "overdue")) ? " OVERDUE"
										: "");
			fputc('\n', f);
		}
	}
}

static const struct view_param board_params[] = {
	{.name = "closed_days", .type = VP_INT, .min = 0, .max = 3650, .def = "90",
	 .help = "Show closed and rejected nonconformities of the last this many days"},
};

#define CARD_SCHEMA                                                                          \
	"{'type': 'object', 'required': ['id', 'title', 'source', 'severity', 'clause', "      \
	"'owner', 'owner_name', 'detected_on', 'age_days', 'next_due', 'overdue', 'actions', " \
	"'actions_open'], 'properties': {'id': {'type': 'integer'}, 'title': {'type': "        \
	"'string'}, 'source': {'type': 'string'}, 'severity': {'type': 'string', 'nullable': " \
	"true}, 'clause': {'type': 'string', 'nullable': true}, 'owner': {'type': 'integer', " \
	"'nullable': true}, 'owner_name': {'type': 'string', 'nullable': true}, "              \
	"'detected_on': {'type': 'string', 'nullable': true}, 'age_days': {'type': "           \
	"'integer'}, 'next_due': {'type': 'string', 'nullable': true}, 'overdue': {'type': "   \
	"'boolean'}, 'actions': {'type': 'integer'}, 'actions_open': {'type': 'integer'}}}"

const struct view nonconformity_board_view = {
	.name = "nonconformity-board",
	.clause = "10.2",
	.title = "Nonconformity board",
	.summary = "Nonconformities by state, with owner, next due day and age",
	.help = "A column per state of the nonconformity workflow (open, corrected, cause "
		"analysed, corrective action, verifying effectiveness, closed, rejected); each card "
		"shows the owner, the next corrective action's due day (overdue when past) and how "
		"many days ago it was detected. Closed and rejected ones only for the last "
		"closed_days days.",
	.params = board_params,
	.nparams = COUNT_OF(board_params),
	.reads = (const char *const[]){"nonconformities", "corrective-actions", NULL},
	.run = board_run,
	.schema = "{'type': 'object', 'required': ['today', 'closed_days', 'columns'], "
		  "'properties': {'today': {'type': 'string'}, 'closed_days': {'type': "
		  "'integer'}, 'columns': {'type': 'array', 'items': {'type': 'object', "
		  "'required': ['state', 'label', 'count', 'cards'], 'properties': {'state': "
		  "{'type': 'string'}, 'label': {'type': 'string'}, 'count': {'type': "
		  "'integer'}, 'cards': {'type': 'array', 'items': " CARD_SCHEMA "}}}}}}",
	.print = board_print,
	.web = "#/nonconformities/board",
};

/* --- the register export --------------------------------------------------------------- */

static const char *const nc_columns[] = {"title",  "source",       "source_detail",
					 "clause", "severity",     "owner",
					 "detected_on", "status",  "correction",
					 "root_cause",  "cause_category", "review_result",
					 "reviewed_on", "closed_on", NULL};
static const char *const ca_columns[] = {"description", "owner", "due_on", "status", "done_on",
					 NULL};

static int add_cells(struct export_titles *titles, const struct record_type *rt,
		     const char *const *names, const json_t *rec, json_t *row, struct err *e)
{
	for (int i = 0; names[i]; i++) {
		json_t *cell = json_null();
		if (rec && export_field_cell(titles, record_field(rt, names[i]), rec, &cell, e) < 0)
			return -1;
		json_array_append_new(row, cell);
	}
	return 0;
}

static int register_table(struct ctx *c, const struct view_args *a, struct export_table *t,
			  struct err *e)
{
	(void)a;
	struct export_titles titles;
	json_t *ncs = NULL, *acts = NULL;
	int rc = -1;
	struct query q_nc = {.type = "nonconformity", .order = "id"};
	export_table_init(t, "Nonconformity register", "Nonconformities");
	export_table_live(t, c, "nonconformity-register");
	export_titles_init(&titles, c);
	export_table_column(t, "No.", 6);
	for (int i = 0; nc_columns[i]; i++) {
		const struct field *f = record_field(&nonconformities_type, nc_columns[i]);
		export_table_column(t, f->label, export_field_width(f));
	}
	for (int i = 0; ca_columns[i]; i++) {
		const struct field *f = record_field(&corrective_actions_type, ca_columns[i]);
		char label[80];
		snprintf(label, sizeof label, "Corrective action: %s", f->label);
		export_table_column(t, label, export_field_width(f));
	}
	if (query_records(c, &q_nc, &ncs, e) < 0)
		goto cleanup;
	size_t i, j;
	json_t *nc, *ca;
	json_array_foreach(ncs, i, nc) {
		struct query q_ca = {.type = "corrective_action",
				     .where = {QEQ("nonconformity", SVI(json_int(nc, "id")))},
				     .order = "due_on"};
		if (query_records(c, &q_ca, &acts, e) < 0)
			goto cleanup;
		for (j = 0; j < (json_array_size(acts) ? json_array_size(acts) : 1); j++) {
			ca = json_array_get(acts, j);
			json_t *row = json_array();
			json_array_append_new(row, json_integer(json_int(nc, "id")));
			if (add_cells(&titles, &nonconformities_type, nc_columns, nc, row, e) < 0 ||
			    add_cells(&titles, &corrective_actions_type, ca_columns, ca, row, e) <
				    0) {
				json_decref(row);
				goto cleanup;
			}
			json_array_append_new(t->rows, row);
		}
		json_decref(acts);
		acts = NULL;
	}
	rc = 0;
cleanup:
	if (rc < 0)
		export_table_release(t);
	export_titles_release(&titles);
	json_decref(ncs);
	json_decref(acts);
	return rc;
}

const struct view nonconformity_register_view = {
	.name = "nonconformity-register",
	.clause = "10.2",
	.title = "Nonconformity register",
	.summary = "Every nonconformity with its corrective actions, as a spreadsheet or page",
	.help = "The nonconformities (source, requirement, owner, status, root cause, "
		"effectiveness) with a row per corrective action (owner, due, status, done): the "
		"documented information 10.2 asks for, ready for an auditor.",
	.reads = (const char *const[]){"nonconformities", "corrective-actions", NULL},
	.table = register_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.web = "#/nonconformities/board",
};
