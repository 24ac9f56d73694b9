/* c7_3_awareness_coverage.c — how far each awareness campaign reached its audience: the
   coverage view (every campaign, or one with who did and who did not), the people overdue
   on a running campaign as items of "what is due", and the 7.3 check that ended campaigns
   reached their targets. */
#include "c7_3_awareness.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int target_of(const json_t *campaign)
{
	json_t *t = json_object_get(campaign, "target");
	return json_is_integer(t) ? (int)json_integer_value(t) : AWARENESS_TARGET_DEFAULT;
}

int awareness_coverage_line(struct ctx *c, const json_t *campaign, bool detail, json_t **out,
			    struct err *e)
{
	json_t *audience = NULL, *done = NULL, *p;
	json_t *done_list = json_array(), *pending = json_array();
	long long completed = 0;
	size_t i, size;
	char key[24], today[11];
	*out = NULL;
	if (awareness_audience(c, campaign, &audience, e) < 0 ||
	    awareness_completed(c, campaign, &done, e) < 0)
		goto fail;
	json_array_foreach(audience, i, p) {
		snprintf(key, sizeof key, "%lld", json_int(p, "person"));
		json_t *d = json_object_get(done, key);
		if (!d) {
			json_array_append(pending, p);
			continue;
		}
		completed++;
		json_array_append_new(done_list,
				      json_build("{s:I, s:s, s:O?, s:O?, s:O?}", "person",
						 (json_int_t)json_int(p, "person"), "name",
						 json_text(p, "name"), "on", json_object_get(d, "on"),
						 "score", json_object_get(d, "score"), "via",
						 json_object_get(d, "via")));
	}
	size = json_array_size(audience);
	ctx_today(c, today);
	int target = target_of(campaign);
	const char *status = json_text(campaign, "status"), *due = json_text(campaign, "due_on");
	/* Whole percent, rounded down: 99.6 % is not everyone. */
	long long pct = size ? completed * 100 / (long long)size : 0;
	json_t *line = json_build(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:O?}", "campaign",
		(json_int_t)json_int(campaign, "id"), "topic", json_text(campaign, "topic"), "status",
		status, "starts_on", json_text(campaign, "starts_on"), "ends_on",
		json_text(campaign, "ends_on"), "due_on", due, "target", (json_int_t)target,
		"audience_size", (json_int_t)size, "completed", (json_int_t)completed,
		"not_completed", (json_int_t)(size - (size_t)completed), "document",
		json_object_get(campaign, "document"));
	json_object_set_new(line, "percent", size ? json_integer(pct) : json_null());
	json_object_set_new(line, "met", size ? json_boolean(pct >= target) : json_null());
	json_object_set_new(line, "overdue",
			    json_integer(strcmp(status, "running") == 0 && strcmp(due, today) < 0
						 ? (json_int_t)(size - (size_t)completed)
						 : 0));
	if (detail) {
		json_object_set_new(line, "done", done_list);
		json_object_set_new(line, "pending", pending);
		done_list = pending = NULL;
	}
	*out = line;
fail:
	json_decref(audience);
	json_decref(done);
	json_decref(done_list);
	json_decref(pending);
	return *out ? 0 : -1;
}

/* ---- The view ---------------------------------------------------------------------- */

static int coverage_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	long long only = view_arg_int(a, "campaign");
	json_t *campaigns = NULL, *items = json_array(), *it, *line;
	size_t i;
	int ret = -1;
	*out = NULL;
	if (only) {
		if (record_get_stored(c, &awareness_campaigns_type, only, &it, e) < 0)
			goto out;
		ret = awareness_coverage_line(c, it, true, out, e);
		json_decref(it);
		goto out;
	}
	struct query q = {.type = "awareness_campaign", .order = "-starts_on"};
	if (query_records(c, &q, &campaigns, e) < 0)
		goto out;
	json_array_foreach(campaigns, i, it) {
		if (awareness_coverage_line(c, it, false, &line, e) < 0)
			goto out;
		json_array_append_new(items, line);
	}
	*out = json_build("{s:O, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	ret = 0;
out:
	json_decref(campaigns);
	json_decref(items);
	return ret;
}

static void print_line(const json_t *it, FILE *f)
{
	json_t *pct = json_object_get(it, "percent");
	char cov[16] = "n/a";
	if (json_is_integer(pct))
		snprintf(cov, sizeof cov, "%lld%%", (long long)json_integer_value(pct));
	fprintf(f, "%-6lld  %-10s  %-10s  %8lld  %9s  %6lld%%  %s\n", json_int(it, "campaign"),
		json_text(it, "status"), json_text(it, "due_on"), json_int(it, "audience_size"), cov,
		json_int(it, "target"), json_text(it, "topic"));
}

static void coverage_print(const json_t *out, FILE *f)
{
	size_t i;
	json_t *it;
	fprintf(f, "%-6s  %-10s  %-10s  %8s  %9s  %7s  %s\n", "ID", "STATUS", "DUE", "AUDIENCE",
		"COMPLETED", "TARGET", "TOPIC");
	if (!json_object_get(out, "items")) {
		print_line(out, f);
		fprintf(f, "\nNot completed (%zu):\n", json_array_size(json_object_get(out, "pending")));
		json_array_foreach(json_object_get(out, "pending"), i, it)
			fprintf(f, "  %s\n", json_text(it, "name"));
		return;
	}
	json_array_foreach(json_object_get(out, "items"), i, it)
		print_line(it, f);
	fprintf(f, "(%lld campaigns)\n", json_int(out, "total"));
}

static const struct view_param coverage_params[] = {
	{.name = "campaign", .type = VP_ID,
	 .help = "One campaign: who completed it and who has not"},
};

#define LINE_PROPS                                                                           \
	"'campaign': {'type': 'integer'}, 'topic': {'type': 'string'},"                      \
	" 'status': {'type': 'string'}, 'starts_on': {'type': 'string'},"                    \
	" 'ends_on': {'type': 'string'}, 'due_on': {'type': 'string'},"                      \
	" 'document': {'description': 'the document id, or null'}, 'target': {'type': 'integer'},"          \
	" 'audience_size': {'type': 'integer'}, 'completed': {'type': 'integer'},"            \
	" 'not_completed': {'type': 'integer'}, 'percent': {'description': 'whole percent, null for an empty audience'},"   \
	" 'met': {'description': 'true, false, or null for an empty audience'}, 'overdue': {'type': 'integer'}"
#define LINE_REQUIRED                                                                        \
	"'campaign', 'topic', 'status', 'due_on', 'target', 'audience_size', 'completed',"    \
	" 'not_completed', 'percent', 'met', 'overdue'"

const struct view awareness_coverage_view = {
	.name = "awareness-coverage",
	.clause = "7.3",
	.title = "Awareness coverage",
	.summary = "Awareness coverage of every campaign, or with ?campaign=ID who completed it "
		   "and who has not",
	.help = "Per awareness campaign: its audience, how many completed it (recorded, or by "
		"acknowledging the policy it names) and the share against its target.\n"
		"--campaign ID lists who completed it and who has not.",
	.params = coverage_params,
	.nparams = COUNT_OF(coverage_params),
	.reads = (const char *const[]){"awareness-campaigns", "awareness-completions", NULL},
	.run = coverage_run,
	.schema = "{'oneOf': ["
		  " {'type': 'object', 'required': ['items', 'total'], 'additionalProperties': false,"
		  "  'properties': {'items': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': [" LINE_REQUIRED "], 'additionalProperties': false,"
		  "    'properties': {" LINE_PROPS "}}},"
		  "   'total': {'type': 'integer'}}},"
		  " {'type': 'object', 'required': [" LINE_REQUIRED ", 'done', 'pending'],"
		  "  'additionalProperties': false,"
		  "  'properties': {" LINE_PROPS ","
		  "   'done': {'type': 'array', 'items': {'type': 'object',"
		  "     'required': ['person', 'name', 'on', 'via'],"
		  "     'properties': {'person': {'type': 'integer'}, 'name': {'type': 'string'},"
		  "      'on': {'type': 'string'}, 'score': {'description': 'percent, or null'},"
		  "      'via': {'enum': ['completion', 'acknowledgement']}}}},"
		  "   'pending': {'type': 'array', 'items': {'type': 'object',"
		  "     'required': ['person', 'name'],"
		  "     'properties': {'person': {'type': 'integer'}, 'name': {'type': 'string'}}}}}}]}",
	.print = coverage_print,
	.web = "#/awareness",
};

/* ---- What is due ------------------------------------------------------------------- */

int awareness_due(struct ctx *c, bool mine, const char *today, const char *horizon,
		  json_t *items, struct err *e)
{
	(void)today;
	json_t *campaigns = NULL, *camp, *line = NULL, *p;
	size_t i, k;
	int ret = -1;
	if (!record_can_read(c, &awareness_campaigns_type))
		return 0;
	/* Whoever may not see others' completions sees only their own overdue campaigns. */
	if (!record_can_read(c, &awareness_completions_type))
		mine = true;
	if (mine && !c->actor.person_id)
		return 0;
	struct query q = {.type = "awareness_campaign",
			  .where = {QEQ("status", SVS("running")), QLE("due_on", SVS(horizon))},
			  .order = "due_on"};
	if (query_records(c, &q, &campaigns, e) < 0)
		return -1;
	json_array_foreach(campaigns, i, camp) {
		if (awareness_coverage_line(c, camp, true, &line, e) < 0)
			goto out;
		json_array_foreach(json_object_get(line, "pending"), k, p) {
			long long person = json_int(p, "person");
			if (mine && person != c->actor.person_id)
				continue;
			struct buf title = BUF_INIT;
			buf_printf(&title, "%s — %s", json_text(camp, "topic"), json_text(p, "name"));
			json_array_append_new(
				items, json_build("{s:s, s:I, s:s, s:s, s:s, s:I}", "type",
						  awareness_campaigns_type.plural, "id",
						  (json_int_t)json_int(camp, "id"), "title",
						  buf_str(&title), "what", "awareness", "date",
						  json_text(camp, "due_on"), "owner", (json_int_t)person));
			buf_release(&title);
		}
		json_decref(line);
		line = NULL;
	}
	ret = 0;
out:
	json_decref(line);
	json_decref(campaigns);
	return ret;
}

/* ---- The check --------------------------------------------------------------------- */

int awareness_checks(struct ctx *c, json_t *items, struct err *e)
{
	json_t *campaigns = NULL, *camp, *line;
	size_t i;
	long long ended = 0, below = 0;
	char today[11];
	struct buf detail = BUF_INIT, faults = BUF_INIT;
	int ret = -1;
	ctx_today(c, today);
	struct query q = {.type = "awareness_campaign",
			  .where = {QNE("status", SVS("cancelled"))},
			  .order = "starts_on"};
	if (query_records(c, &q, &campaigns, e) < 0)
		goto out;
	json_array_foreach(campaigns, i, camp) {
		bool over = str_eq(json_str(camp, "status"), "closed") ||
			    strcmp(json_text(camp, "ends_on"), today) < 0;
		if (!over)
			continue;
		if (awareness_coverage_line(c, camp, false, &line, e) < 0)
			goto out;
		ended++;
		if (json_is_false(json_object_get(line, "met"))) {
			buf_printf(&faults, "%s\"%s\" (%lld %% of %lld %%)", below ? ", " : "",
				   json_text(camp, "topic"), json_int(line, "percent"),
				   json_int(line, "target"));
			below++;
		}
		json_decref(line);
	}
	size_t n = json_array_size(campaigns);
	if (!n)
		buf_printf(&detail, "no awareness campaign is recorded");
	else if (below)
		buf_printf(&detail, "ended below target: %s", buf_str(&faults));
	else if (!ended)
		buf_printf(&detail, "%zu campaign%s, none ended yet", n, n == 1 ? "" : "s");
	else
		buf_printf(&detail, "%lld ended campaign%s reached %s target", ended,
			   ended == 1 ? "" : "s", ended == 1 ? "its" : "their");
	json_array_append_new(items, json_build("{s:s, s:s, s:s, s:b, s:s, s:s}", "id",
						"awareness-coverage", "clause", "7.3", "rule",
						"Awareness campaigns reach their audience: every "
						"ended campaign met its completion target",
						"ok", n > 0 && below == 0, "detail",
						buf_str(&detail), "link", "/awareness"));
	ret = 0;
out:
	json_decref(campaigns);
	buf_release(&detail);
	buf_release(&faults);
	return ret;
}
