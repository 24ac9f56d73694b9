/* c6_2_objective_checks.c — what an auditor checks in 6.2, as rules over the objectives:
   objectives are set and active; each active one is planned (owner, target, due date), is
   measured within its reporting period, meets its target at the latest result, and is not
   past its due date without a closing evaluation. Each check names the objectives at fault. */
#include "c6_2_objectives.h"
#include "c9_1_measures.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <string.h>

/* A result recorded this many days after its period ended still counts for that period. */
#define GRACE_DAYS 7

static void check(json_t *items, const char *id, const char *rule, bool ok, const char *detail)
{
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", id,
						"clause", "6.2", "rule", rule, "ok", ok, "detail",
						detail, "link", "/objectives"));
}

/* A rule that holds when faults (the statements of the objectives that break it) is empty;
   the detail names up to five after "N objective(s) <bad>". Steals faults. */
static void none(json_t *items, const char *id, const char *rule, json_t *faults,
		 const char *good, const char *bad)
{
	struct buf text = BUF_INIT;
	size_t i, n = json_array_size(faults);
	json_t *name;
	json_array_foreach(faults, i, name) {
		if (i == 5)
			break;
		buf_printf(&text, "%s\"%s\"", i ? "; " : "", json_string_value(name));
	}
	if (n > 5)
		buf_printf(&text, " and %zu more", n - 5);
	char detail[1200];
	if (n)
		snprintf(detail, sizeof detail, "%zu active %s %s: %s", n,
			 n == 1 ? "objective" : "objectives", bad, buf_str(&text));
	else
		snprintf(detail, sizeof detail, "%s", good);
	check(items, id, rule, n == 0, detail);
	json_decref(faults);
	buf_release(&text);
}

static int period_months(const char *frequency)
{
	if (str_eq(frequency, "quarterly"))
		return 3;
	if (str_eq(frequency, "half_yearly"))
		return 6;
	if (str_eq(frequency, "yearly"))
		return 12;
	return 1;
}

struct faults {
	json_t *planned, *unmeasured, *off_track, *overdue;
};

/* Sorts one active objective into the faults it has. */
static int judge(struct ctx *c, const json_t *obj, const char *today, struct faults *f,
		 struct err *e)
{
	json_t *name = json_string(json_text(obj, "statement"));
	json_t *target = json_object_get(obj, "target");
	if (!json_int(obj, "owner") || !json_is_number(target) || !json_str(obj, "due_on"))
		json_array_append(f->planned, name);
	const char *due = json_str(obj, "due_on");
	if (due && strcmp(due, today) < 0)
		json_array_append(f->overdue, name);
	struct query q = {.type = "objective_result",
			  .where = {QEQ("objective", SVI(json_int(obj, "id")))},
			  .order = "-measured_on"};
	json_t *latest;
	/* Without results of its own, its measure's latest measurement (9.1) counts. */
	if (query_first(c, &q, &latest, e) < 0 ||
	    (!latest && json_int(obj, "measure") &&
	     measure_latest(c, json_int(obj, "measure"), NULL, &latest, NULL, e) < 0)) {
		json_decref(name);
		return -1;
	}
	/* A result is owed once a whole period (and the grace) has passed since activation. */
	char since[11], back[11];
	clock_add_months(today, -period_months(json_str(obj, "frequency")), back);
	clock_add_days(back, -GRACE_DAYS, since);
	const char *on = latest ? json_str(latest, "measured_on") : NULL;
	const char *active = json_str(obj, "activated_on");
	bool recent = on && strcmp(on, since) >= 0;
	bool new_one = active && strcmp(active, since) >= 0;
	if (!recent && !new_one)
		json_array_append(f->unmeasured, name);
	json_t *value = latest ? json_object_get(latest, "value") : NULL;
	if (json_is_number(value) && json_is_number(target) &&
	    !objective_meets(obj, json_number_value(value)))
		json_array_append(f->off_track, name);
	json_decref(latest);
	json_decref(name);
	return 0;
}

int objective_checks(struct ctx *c, json_t *items, struct err *e)
{
	struct query q = {.type = "objective", .order = "statement"};
	struct faults f = {json_array(), json_array(), json_array(), json_array()};
	json_t *all, *obj;
	char today[11];
	size_t i;
	long long count[5] = {0}; /* draft, active, achieved, not achieved, withdrawn */
	static const char *const order[] = {"draft", "active", "achieved", "not_achieved",
					    "withdrawn"};
	ctx_today(c, today);
	if (query_records(c, &q, &all, e) < 0)
		goto fail;
	json_array_foreach(all, i, obj) {
		for (int s = 0; s < 5; s++)
			count[s] += str_eq(json_str(obj, "status"), order[s]);
		if (str_eq(json_str(obj, "status"), "active") && judge(c, obj, today, &f, e) < 0) {
			json_decref(all);
			goto fail;
		}
	}
	json_decref(all);
	char detail[300];
	if (count[1])
		snprintf(detail, sizeof detail,
			 "%lld active; %lld achieved, %lld not achieved, %lld withdrawn, %lld in "
			 "draft",
			 count[1], count[2], count[3], count[4], count[0]);
	else
		snprintf(detail, sizeof detail,
			 "no objective is active (%lld in draft, %lld closed): set objectives and "
			 "make them active",
			 count[0], count[2] + count[3] + count[4]);
	check(items, "objectives-set", "Information security objectives are set and active",
	      count[1] > 0, detail);
	none(items, "objectives-planned",
	     "Every active objective has an owner, a target and a due date", f.planned,
	     "every active objective has them", "missing one");
	none(items, "objectives-measured",
	     "Every active objective has a result within its reporting period", f.unmeasured,
	     "every active objective is measured on time", "without a recent result");
	none(items, "objectives-on-track",
	     "Every active objective meets its target at its latest result", f.off_track,
	     "every latest result meets its target", "whose latest result misses the target");
	none(items, "objectives-evaluated",
	     "No objective is past its due date without a closing evaluation", f.overdue,
	     "none is overdue", "past the due date");
	return 0;
fail:
	json_decref(f.planned);
	json_decref(f.unmeasured);
	json_decref(f.off_track);
	json_decref(f.overdue);
	return -1;
}
