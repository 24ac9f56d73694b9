/* c9_3_review_pack.c — the review pack: a management review with its inputs (frozen when
   held, compiled live before), who took part and what it decided; as JSON and as a
   printable HTML page an auditor reads on its own. Also review-inputs: the inputs compiled
   live for any period. */
#include "c9_3_review.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"
#include "../report/export_table.h"

#include <stdio.h>
#include <string.h>

static json_t *person_ref(struct ctx *c, long long id, struct err *e, int *rc)
{
	char name[201];
	if (!id)
		return json_null();
	if (record_title_of(c, registry_find(c->reg, "person"), id, name, sizeof name, e) < 0)
		*rc = -1;
	return json_build("{s:I, s:s}", "id", (json_int_t)id, "name", name);
}

int review_pack_build(struct ctx *c, long long id, json_t **out, struct err *e);

int review_pack_build(struct ctx *c, long long id, json_t **out, struct err *e)
{
	json_t *rec = NULL, *pack = NULL, *acts = NULL, *actions = json_array(), *att = json_array();
	char today[11], since[11] = "";
	int rc = -1, bad = 0;
	*out = NULL;
	if (record_get_stored(c, &management_reviews_type, id, &rec, e) < 0)
		goto cleanup;
	bool frozen = str_eq(json_str(rec, "status"), "held");
	if (frozen) {
		pack = json_incref(json_object_get(rec, "inputs"));
	} else {
		ctx_today(c, today);
		json_t *prev;
		struct query q = {.type = "management_review",
				  .where = {QEQ("status", SVS("held")), QLE("held_on", SVS(today))},
				  .order = "-held_on",
				  .limit = 1};
		if (query_first(c, &q, &prev, e) < 0)
			goto cleanup;
		if (prev)
			snprintf(since, sizeof since, "%s", json_text(prev, "held_on"));
		json_decref(prev);
		if (review_inputs_compile(c, *since ? since : NULL, today, &pack, e) < 0)
			goto cleanup;
	}
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(rec, "attendees"), i, v)
		json_array_append_new(att, person_ref(c, json_integer_value(v), e, &bad));
	struct query q = {.type = "review_action", .where = {QEQ("review", SVI(id))},
			  .order = "due_on"};
	if (query_records(c, &q, &acts, e) < 0)
		goto cleanup;
	json_array_foreach(acts, i, v)
		json_array_append_new(
			actions,
			json_build("{s:I, s:s, s:s, s:o, s:s, s:s, s:s?}", "id",
				   (json_int_t)json_int(v, "id"), "title", json_text(v, "title"),
				   "kind", json_text(v, "kind"), "owner",
				   person_ref(c, json_int(v, "owner"), e, &bad), "due_on",
				   json_text(v, "due_on"), "status", json_text(v, "status"),
				   "done_on", json_str(v, "done_on")));
	json_t *chair = person_ref(c, json_int(rec, "chair"), e, &bad);
	if (bad) {
		json_decref(chair);
		goto cleanup;
	}
	*out = json_build(
		"{s:{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:o, s:O, s:s?, s:s?}, s:b, s:s?, s:b, s:O, "
		"s:O}",
		"review", "id", (json_int_t)id, "title", json_text(rec, "title"), "status",
		json_text(rec, "status"), "planned_on", json_str(rec, "planned_on"), "held_on",
		json_str(rec, "held_on"), "since",
		frozen ? json_str(rec, "since") : (*since ? since : NULL), "chair", chair,
		"attendees", att, "agenda", json_str(rec, "agenda"), "notes",
		json_str(rec, "notes"), "frozen", frozen, "inputs_sha256",
		json_str(rec, "inputs_sha256"), "seal_holds",
		record_seal_holds(&management_reviews_type, rec), "pack",
		pack ? pack : json_null(), "actions", actions);
	rc = 0;
cleanup:
	json_decref(rec);
	json_decref(pack);
	json_decref(acts);
	json_decref(actions);
	json_decref(att);
	return rc;
}

static int pack_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return review_pack_build(c, view_arg_int(a, "id"), out, e);
}

/* ---- The printable page ---------------------------------------------------------------- */

static void h(struct buf *b, const char *s)
{
	export_html_text(b, s ? s : "");
}

static void about(struct buf *b, const char *term, const char *value)
{
	buf_puts(b, "<dt>");
	h(b, term);
	buf_puts(b, "</dt><dd>");
	h(b, value && *value ? value : "—");
	buf_puts(b, "</dd>\n");
}

static void pack_sections(const json_t *pack, struct buf *b)
{
	static const char *const letters[] = {"a", "b", "c", "d", "e", "f", "g", NULL};
	const json_t *sections = json_object_get(pack, "sections");
	for (size_t k = 0; letters[k]; k++) {
		const json_t *sec = json_object_get(sections, letters[k]);
		size_t i, j;
		json_t *en, *it;
		buf_printf(b, "<section class=\"input\" id=\"input-%s\">\n<h2>(%s) ", letters[k],
			   letters[k]);
		h(b, json_str(sec, "title"));
		buf_puts(b, "</h2>\n");
		if (json_str(sec, "note")) {
			buf_puts(b, "<p class=\"empty\">");
			h(b, json_str(sec, "note"));
			buf_puts(b, "</p>\n");
		}
		json_array_foreach(json_object_get(sec, "entries"), i, en) {
			buf_puts(b, "<h3>");
			h(b, json_str(en, "title"));
			buf_puts(b, " <small>");
			h(b, json_str(en, "clause"));
			buf_puts(b, "</small></h3>\n<p>");
			h(b, json_str(en, "summary"));
			buf_puts(b, "</p>\n");
			if (!json_array_size(json_object_get(en, "items")))
				continue;
			buf_puts(b, "<ul>\n");
			json_array_foreach(json_object_get(en, "items"), j, it) {
				buf_puts(b, "<li>");
				h(b, json_str(it, "title"));
				if (json_str(it, "detail") && *json_str(it, "detail")) {
					buf_puts(b, " — ");
					h(b, json_str(it, "detail"));
				}
				buf_puts(b, "</li>\n");
			}
			buf_puts(b, "</ul>\n");
		}
		buf_puts(b, "</section>\n");
	}
}

static void pack_changes(const json_t *pack, struct buf *b)
{
	size_t i;
	json_t *ch;
	buf_puts(b, "<section id=\"changes\">\n<h2>Changes recorded in the period</h2>\n");
	if (!json_array_size(json_object_get(pack, "changes"))) {
		buf_puts(b, "<p class=\"empty\">No changes were recorded in the period.</p>\n"
			    "</section>\n");
		return;
	}
	buf_puts(b, "<table>\n<thead><tr><th scope=\"col\">Records</th><th scope=\"col\">Clause"
		    "</th><th scope=\"col\">What changed</th></tr></thead>\n<tbody>\n");
	json_array_foreach(json_object_get(pack, "changes"), i, ch) {
		buf_puts(b, "<tr><td>");
		h(b, json_str(ch, "label"));
		buf_puts(b, "</td><td>");
		h(b, json_str(ch, "clause"));
		buf_puts(b, "</td><td>");
		h(b, json_str(ch, "summary"));
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

static void pack_outputs(const json_t *p, struct buf *b)
{
	size_t i;
	json_t *a;
	const json_t *rev = json_object_get(p, "review");
	buf_puts(b, "<section id=\"outputs\">\n<h2>Outputs: decisions and actions</h2>\n");
	if (json_str(rev, "notes")) {
		buf_puts(b, "<div class=\"notes\">");
		h(b, json_str(rev, "notes"));
		buf_puts(b, "</div>\n");
	}
	if (!json_array_size(json_object_get(p, "actions"))) {
		buf_puts(b, "<p class=\"empty\">No actions recorded for this review yet.</p>\n"
			    "</section>\n");
		return;
	}
	buf_puts(b, "<table>\n<thead><tr><th scope=\"col\">Action</th><th scope=\"col\">Kind"
		    "</th><th scope=\"col\">Owner</th><th scope=\"col\">Due</th><th scope=\"col\">"
		    "Status</th></tr></thead>\n<tbody>\n");
	json_array_foreach(json_object_get(p, "actions"), i, a) {
		buf_puts(b, "<tr><td>");
		h(b, json_str(a, "title"));
		buf_puts(b, "</td><td>");
		h(b, json_str(a, "kind"));
		buf_puts(b, "</td><td>");
		h(b, json_str(json_object_get(a, "owner"), "name"));
		buf_puts(b, "</td><td>");
		h(b, json_str(a, "due_on"));
		buf_puts(b, "</td><td>");
		h(b, json_str(a, "status"));
		if (json_str(a, "done_on")) {
			buf_puts(b, " on ");
			h(b, json_str(a, "done_on"));
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

/* The whole page from a pack (review_pack_build's answer). */
static void pack_html(const json_t *p, struct buf *b)
{
	const json_t *rev = json_object_get(p, "review");
	const json_t *pack = json_object_get(p, "pack");
	struct buf people = BUF_INIT;
	char period[80], seal[200];
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(rev, "attendees"), i, a)
		buf_printf(&people, "%s%s", i ? ", " : "", json_text(a, "name"));
	const json_t *per = json_object_get(pack, "period");
	snprintf(period, sizeof period, "%s to %s",
		 json_str(per, "since") ? json_str(per, "since") : "the beginning (first review)",
		 json_text(per, "until"));
	if (json_is_true(json_object_get(p, "frozen")))
		snprintf(seal, sizeof seal, "Frozen when held; SHA-256 %s (%s)",
			 json_text(p, "inputs_sha256"),
			 json_is_true(json_object_get(p, "seal_holds")) ? "verified" :
			 "DOES NOT MATCH");
	else
		snprintf(seal, sizeof seal, "Not held yet: compiled live from today's records");
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>");
	h(b, json_str(rev, "title"));
	buf_puts(b, " — review pack</title>\n<link rel=\"stylesheet\" href=\"/static/print.css\">\n"
		    "</head>\n<body class=\"report pack\">\n<header>\n<h1>");
	h(b, json_str(rev, "title"));
	buf_puts(b, "</h1>\n<p class=\"subtitle\">Management review pack (ISO/IEC 27001:2022, "
		    "9.3)</p>\n<dl class=\"about\">\n");
	about(b, "Status", json_str(rev, "status"));
	about(b, "Planned for", json_str(rev, "planned_on"));
	about(b, "Held on", json_str(rev, "held_on"));
	about(b, "Chair", json_str(json_object_get(rev, "chair"), "name"));
	about(b, "Attendees", buf_str(&people));
	about(b, "Period reviewed", period);
	about(b, "Inputs", seal);
	buf_puts(b, "</dl>\n</header>\n<main>\n");
	if (json_str(rev, "agenda")) {
		buf_puts(b, "<section id=\"agenda\">\n<h2>Agenda</h2>\n<div class=\"notes\">");
		h(b, json_str(rev, "agenda"));
		buf_puts(b, "</div>\n</section>\n");
	}
	pack_sections(pack, b);
	pack_changes(pack, b);
	pack_outputs(p, b);
	buf_puts(b, "</main>\n<footer>\n<p>");
	h(b, json_str(rev, "title"));
	buf_puts(b, ": review pack.</p>\n</footer>\n</body>\n</html>\n");
	buf_release(&people);
}

static int pack_write_html(struct ctx *c, const struct view_args *a, const struct view_format *f,
			   struct buf *out, char *filename, size_t size, struct err *e)
{
	(void)f;
	json_t *p;
	if (pack_run(c, a, &p, e) < 0)
		return -1;
	pack_html(p, out);
	json_decref(p);
	snprintf(filename, size, "review-pack-%lld.html", view_arg_int(a, "id"));
	return 0;
}

/* ---- CLI text ------------------------------------------------------------------------------ */

static void print_inputs(const json_t *pack, FILE *f)
{
	static const char *const letters[] = {"a", "b", "c", "d", "e", "f", "g", NULL};
	const json_t *per = json_object_get(pack, "period");
	fprintf(f, "Period: %s to %s\n", json_str(per, "since") ? json_str(per, "since") :
		"the beginning", json_text(per, "until"));
	for (size_t k = 0; letters[k]; k++) {
		const json_t *sec = json_object_get(json_object_get(pack, "sections"), letters[k]);
		size_t i;
		json_t *en;
		fprintf(f, "\n(%s) %s\n", letters[k], json_text(sec, "title"));
		if (json_str(sec, "note"))
			fprintf(f, "  %s\n", json_str(sec, "note"));
		json_array_foreach(json_object_get(sec, "entries"), i, en)
			fprintf(f, "  %-6s %s: %s\n", json_text(en, "clause"), json_text(en, "title"),
				json_text(en, "summary"));
	}
}

static void print_pack(const json_t *out, FILE *f)
{
	const json_t *rev = json_object_get(out, "review");
	size_t i;
	json_t *a;
	fprintf(f, "%s (%s)\n", json_text(rev, "title"), json_text(rev, "status"));
	if (json_is_true(json_object_get(out, "frozen")))
		fprintf(f, "Held on %s; inputs frozen, SHA-256 %s (%s)\n", json_text(rev, "held_on"),
			json_text(out, "inputs_sha256"),
			json_is_true(json_object_get(out, "seal_holds")) ? "verified" : "DOES NOT MATCH");
	else
		fputs("Not held yet: inputs compiled from today's records\n", f);
	print_inputs(json_object_get(out, "pack"), f);
	fputs("\nActions\n", f);
	if (!json_array_size(json_object_get(out, "actions")))
		fputs("  none recorded\n", f);
	json_array_foreach(json_object_get(out, "actions"), i, a)
		fprintf(f, "  #%lld %s — %s, due %s, %s\n", json_int(a, "id"), json_text(a, "title"),
			json_text(json_object_get(a, "owner"), "name"), json_text(a, "due_on"),
			json_text(a, "status"));
}

static const struct view_param pack_params[] = {
	{.name = "id", .type = VP_ID, .required = true, .position = 1,
	 .help = "the management review"},
};

static const struct view_format pack_formats[] = {
	{"html", "text/html; charset=utf-8", false, pack_write_html},
};

#define ITEM_SCHEMA                                                                        \
	"{'type': 'object', 'required': ['type', 'id', 'title'], 'properties': {"          \
	"'type': {'type': 'string'}, 'id': {'type': 'integer'}, 'title': {'type': 'string'}," \
	"'detail': {'type': 'string'}}}"
#define ENTRY_SCHEMA                                                                       \
	"{'type': 'object', 'required': ['clause', 'title', 'summary', 'items'], "         \
	"'properties': {'clause': {'type': 'string'}, 'title': {'type': 'string'}, "       \
	"'summary': {'type': 'string'}, 'items': {'type': 'array', 'items': " ITEM_SCHEMA  \
	"}}}"
#define SECTION_SCHEMA                                                                     \
	"{'type': 'object', 'required': ['letter', 'title', 'entries'], 'properties': {"    \
	"'letter': {'type': 'string'}, 'title': {'type': 'string'}, 'note': {'type': "     \
	"'string'}, 'entries': {'type': 'array', 'items': " ENTRY_SCHEMA "}}}"
#define INPUTS_SCHEMA                                                                      \
	"{'type': 'object', 'required': ['period', 'sections', 'changes'], 'properties': {" \
	"'period': {'type': 'object', 'required': ['until'], 'properties': {'since': "     \
	"{'type': 'string', 'nullable': true}, 'until': {'type': 'string'}}}, "                    \
	"'sections': {'type': 'object', 'required': ['a', 'b', 'c', 'd', 'e', 'f', 'g'], " \
	"'additionalProperties': " SECTION_SCHEMA "}, "                                    \
	"'changes': {'type': 'array', 'items': {'type': 'object', 'required': ['type', "   \
	"'label', 'created', 'updated', 'deleted', 'actions', 'summary'], 'properties': {" \
	"'type': {'type': 'string'}, 'label': {'type': 'string'}, 'clause': {'type': "     \
	"'string'}, 'created': {'type': 'integer'}, 'updated': {'type': 'integer'}, "      \
	"'deleted': {'type': 'integer'}, 'actions': {'type': 'object', "                   \
	"'additionalProperties': {'type': 'integer'}}, 'summary': {'type': 'string'}}}}}}"
#define PERSON_SCHEMA                                                                      \
	"{'type': 'object', 'nullable': true, 'properties': {'id': {'type': 'integer'}, 'name': "  \
	"{'type': 'string'}}}"

const struct view review_pack_view = {
	.name = "review-pack",
	.clause = "9.3",
	.title = "Management review pack",
	.summary = "A management review's pack: its inputs (9.3.2 a–g), who took part, its "
		   "outputs",
	.help = "Everything an auditor needs to read one management review on its own: the "
		"inputs a to g (frozen and sealed when the review was held, compiled from "
		"today's records before), what changed in the period, who took part, and the "
		"decisions and actions. As JSON, or as a printable page (--format html).",
	.params = pack_params,
	.nparams = COUNT_OF(pack_params),
	.reads = (const char *const[]){"management-reviews", "review-actions", NULL},
	.run = pack_run,
	.schema = "{'type': 'object', 'required': ['review', 'frozen', 'seal_holds', 'pack', "
		  "'actions'], 'properties': {"
		  "'review': {'type': 'object', 'required': ['id', 'title', 'status', 'chair', "
		  "'attendees'], 'properties': {'id': {'type': 'integer'}, 'title': {'type': "
		  "'string'}, 'status': {'type': 'string'}, 'planned_on': {'type': 'string', "
		  "'nullable': true}, 'held_on': {'type': 'string', 'nullable': true}, 'since': {'type': "
		  "'string', 'nullable': true}, 'chair': " PERSON_SCHEMA ", 'attendees': {'type': "
		  "'array', 'items': " PERSON_SCHEMA "}, 'agenda': {'type': 'string', 'nullable': true}, "
		  "'notes': {'type': 'string', 'nullable': true}}}, "
		  "'frozen': {'type': 'boolean'}, 'inputs_sha256': {'type': 'string', 'nullable': true}, "
		  "'seal_holds': {'type': 'boolean'}, 'pack': " INPUTS_SCHEMA ", "
		  "'actions': {'type': 'array', 'items': {'type': 'object', 'required': ['id', "
		  "'title', 'kind', 'owner', 'due_on', 'status'], 'properties': {'id': {'type': "
		  "'integer'}, 'title': {'type': 'string'}, 'kind': {'type': 'string'}, 'owner': "
		  PERSON_SCHEMA ", 'due_on': {'type': 'string'}, 'status': {'type': 'string'}, "
		  "'done_on': {'type': 'string', 'nullable': true}}}}}}",
	.formats = pack_formats,
	.nformats = COUNT_OF(pack_formats),
	.print = print_pack,
	.web = "#/t/management-reviews",
};

/* ---- review-inputs: compiled live for any period --------------------------------------- */

static int inputs_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	char today[11];
	const char *since = view_arg_text(a, "since"), *until = view_arg_text(a, "until");
	ctx_today(c, today);
	if (!until)
		until = today;
	if (since && strcmp(since, until) > 0)
		return err_set(e, ERR_INVALID, "since", "since (%s) cannot be after until (%s)",
			       since, until);
	return review_inputs_compile(c, since, until, out, e);
}

static const struct view_param inputs_params[] = {
	{.name = "since", .type = VP_DATE,
	 .help = "the start of the period (the previous review's date); none: the first review"},
	{.name = "until", .type = VP_DATE, .help = "the end of the period (default today)"},
};

const struct view review_inputs_view = {
	.name = "review-inputs",
	.clause = "9.3",
	.title = "Management review inputs",
	.summary = "The inputs of a management review (9.3.2 a–g) compiled now for a period",
	.help = "Compiles the inputs of a management review from today's records for the "
		"period since a date: actions from earlier reviews, changes in issues and in "
		"interested parties' needs, performance feedback, parties' feedback, risk "
		"assessment and treatment, opportunities for improvement; each section says "
		"why when it is empty.",
	.params = inputs_params,
	.nparams = COUNT_OF(inputs_params),
	.reads = (const char *const[]){"management-reviews", NULL},
	.run = inputs_run,
	.schema = INPUTS_SCHEMA,
	.print = print_inputs,
};
