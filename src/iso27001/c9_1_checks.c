/* c9_1_checks.c — what an auditor checks in 9.1, as rules over the measures: measures are
   defined and active; each has someone who collects and someone who analyses it; no
   collection is overdue. A red result is a performance result to analyse and act on, not a
   gap in the ISMS, so it fails no check: it goes to the management review (9.3.2 d) with
   the amber ones, status now against status at the previous review. */
#include "c9_1_measures.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

static void check(json_t *items, const char *id, const char *rule, bool ok, const char *detail)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", id,
						"clause", "9.1", "rule", rule, "ok", ok, "detail",
						detail, "link", "/measures/dashboard"));
}

/* A rule that holds when faults (names of the measures at fault) is empty; the detail names
   up to five after "N active measure(s) <bad>". Steals faults. */
static void none(json_t *items, const char *id, const char *rule, json_t *faults,
		 const char *good, const char *bad)
{
	struct buf text = BUF_INIT;
	size_t i, n = json_array_size(faults);
	json_t *name;
	json_array_foreach(faults, i, name) {
		if (i == 5)
			break;
		buf_printf(&text, "%s%s", i ? "; " : "", json_string_value(name));
	}
	if (n > 5)
		buf_printf(&text, " and %zu more", n - 5);
	struct buf detail = BUF_INIT;
	if (n)
		buf_printf(&detail, "%zu active %s %s: %s", n, n == 1 ? "measure" : "measures", bad,
			   buf_str(&text));
	else
		buf_puts(&detail, good);
	check(items, id, rule, n == 0, buf_str(&detail));
	json_decref(faults);
	buf_release(&text);
	buf_release(&detail);
}

int measure_checks(struct ctx *c, json_t *items, struct err *e)
{
	struct query q = {.type = "measure", .order = "name"};
	json_t *all, *m, *unassigned = json_array(), *overdue = json_array();
	long long active = 0, red = 0;
	char today[11], next[11], detail[300];
	size_t i;
	ctx_today(c, today);
	if (query_records(c, &q, &all, e) < 0)
		goto fail;
	json_array_foreach(all, i, m) {
		if (!json_is_true(json_object_get(m, "active")))
			continue;
		active++;
		json_t *latest;
		if (measure_latest(c, json_int(m, "id"), NULL, &latest, NULL, e) < 0) {
			json_decref(all);
			goto fail;
		}
		const char *on = latest ? json_str(latest, "measured_on") : NULL;
		json_t *value = latest ? json_object_get(latest, "value") : NULL;
		if (json_is_number(value) &&
		    str_eq(measure_status(m, json_number_value(value)), "red"))
			red++;
		char name[260];
		snprintf(name, sizeof name, "\"%s\"", json_text(m, "name"));
		if (!json_int(m, "collector") || !json_int(m, "analyst"))
			json_array_append_new(unassigned, json_string(name));
		measure_next_due(m, on, today, next);
		if (next[0] && strcmp(next, today) < 0) {
			char late[300];
			snprintf(late, sizeof late, "%s (due %s)", name, next);
			json_array_append_new(overdue, json_string(late));
		}
		json_decref(latest);
	}
	long long total = (long long)json_array_size(all);
	json_decref(all);
	if (active)
		snprintf(detail, sizeof detail, "%lld active measure%s (%lld retired); %lld red at "
						"the latest measurement, for analysis and action",
			 active, active == 1 ? "" : "s", total - active, red);
	else
		snprintf(detail, sizeof detail,
			 "no measure is active (%lld retired): decide what is monitored and "
			 "measured, and how",
			 total);
	check(items, "measures-defined",
	      "What is monitored and measured is decided: measures are defined and active",
	      active > 0, detail);
	none(items, "measures-assigned",
	     "Every active measure says who collects it and who analyses the results", unassigned,
	     "every active measure has a collector and an analyst", "without a collector or analyst");
	none(items, "measures-collected",
	     "Every active measure is collected at its frequency: no collection is overdue",
	     overdue, "no collection is overdue", "overdue for a measurement");
	return 0;
fail:
	json_decref(unassigned);
	json_decref(overdue);
	return -1;
}

/* The status of a measure at the latest measurement on or before day (NULL: any day). */
static int status_on(struct ctx *c, const json_t *m, const char *day, const char **status,
		     json_t **latest, struct err *e)
{
	if (measure_latest(c, json_int(m, "id"), day, latest, NULL, e) < 0)
		return -1;
	json_t *value = *latest ? json_object_get(*latest, "value") : NULL;
	*status = json_is_number(value) ? measure_status(m, json_number_value(value)) : "none";
	return 0;
}

int measure_review_inputs(struct ctx *c, const char *since, const char *until, json_t *inputs,
			  struct err *e)
{
	json_t *d = json_object_get(inputs, "d"), *all, *m, *listed = json_array();
	long long count[4] = {0}; /* green, amber, red, none */
	static const char *const order[] = {"green", "amber", "red", "none"};
	long long changed = 0;
	size_t i;
	if (!d || !record_can_read(c, &measures_type) || !record_can_read(c, &measurements_type)) {
		json_decref(listed);
		return 0;
	}
	struct query q = {.type = "measure", .where = {QEQ("active", SVI(1))}, .order = "name"};
	if (query_records(c, &q, &all, e) < 0) {
		json_decref(listed);
		return -1;
	}
	json_array_foreach(all, i, m) {
		const char *now, *then = "none";
		json_t *latest, *before = NULL;
		if (status_on(c, m, until, &now, &latest, e) < 0 ||
		    (since && status_on(c, m, since, &then, &before, e) < 0)) {
			json_decref(latest);
			json_decref(all);
			json_decref(listed);
			return -1;
		}
		for (int k = 0; k < 4; k++)
			count[k] += str_eq(now, order[k]);
		changed += since && !str_eq(now, then);
		if (str_eq(now, "red") || str_eq(now, "amber")) {
			char detail[400], value[40];
			snprintf(value, sizeof value, "%.10g",
				 json_number_value(json_object_get(latest, "value")));
			int n = snprintf(detail, sizeof detail, "%s at %s%s%s on %s", now, value,
					 json_text(m, "unit")[0] ? " " : "", json_text(m, "unit"),
					 json_text(latest, "measured_on"));
			if (since && n > 0 && (size_t)n < sizeof detail)
				snprintf(detail + n, sizeof detail - (size_t)n,
					 "; %s at the previous review",
					 str_eq(then, "none") ? "not measured"
							      : then);
			json_array_append_new(listed,
					      json_build("{s:s, s:I, s:s, s:s}", "type",
							 measures_type.plural, "id",
							 (json_int_t)json_int(m, "id"), "title",
							 json_text(m, "name"), "detail", detail));
		}
		json_decref(latest);
		json_decref(before);
	}
	size_t n = json_array_size(all);
	json_decref(all);
	char summary[300];
	if (!n)
		snprintf(summary, sizeof summary, "no measure is active, so there are no monitoring "
						  "and measurement results to review");
	else if (since)
		snprintf(summary, sizeof summary,
			 "%zu active measure%s: %lld green, %lld amber, %lld red, %lld not measured; "
			 "%lld changed status since the previous review",
			 n, n == 1 ? "" : "s", count[0], count[1], count[2], count[3], changed);
	else
		snprintf(summary, sizeof summary,
			 "%zu active measure%s: %lld green, %lld amber, %lld red, %lld not measured",
			 n, n == 1 ? "" : "s", count[0], count[1], count[2], count[3]);
	json_array_append_new(d, json_build("{s:s, s:s, s:s, s:o}", "clause", "9.1", "title",
					    "Monitoring and measurement results", "summary",
					    summary, "items", listed));
	return 0;
}
