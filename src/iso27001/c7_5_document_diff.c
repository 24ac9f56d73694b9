/* document_diff.c — the line diff between two versions of a document, for the API and the
   CLI (the web app computes the same diff in the browser). */
#include "c7_5_documents.h"
#include "../base/json.h"
#include "../base/textdiff.h"

#include <string.h>

static json_t *version_head(const json_t *v)
{
	return json_build("{s:O, s:O, s:O, s:O}", "id", json_object_get(v, "id"), "number",
			 json_object_get(v, "number"), "status", json_object_get(v, "status"),
			 "title", json_object_get(v, "title"));
}

int documents_diff(struct ctx *c, long long from, long long to, json_t **out, struct err *e)
{
	json_t *a = NULL, *b = NULL, *lines = NULL;
	int ret = -1;
	*out = NULL;
	if (record_get_stored(c, &document_versions_type, from, &a, e) < 0 ||
	    record_get_stored(c, &document_versions_type, to, &b, e) < 0)
		goto cleanup;
	if (!json_equal(json_object_get(a, "document"), json_object_get(b, "document"))) {
		err_set(e, ERR_INVALID, "against",
			"%s and %s are versions of different documents; compare versions of one "
			"document",
			json_str(a, "title"), json_str(b, "title"));
		goto cleanup;
	}
	lines = textdiff_lines(json_str(a, "body"), json_str(b, "body"));
	if (!lines) {
		err_set(e, ERR_INTERNAL, NULL, "out of memory comparing the versions");
		goto cleanup;
	}
	long long added = 0, removed = 0;
	size_t i;
	json_t *row;
	json_array_foreach(lines, i, row) {
		const char *op = json_str(row, "op");
		added += strcmp(op, "+") == 0;
		removed += strcmp(op, "-") == 0;
	}
	*out = json_build("{s:O, s:o, s:o, s:I, s:I, s:O}", "document", json_object_get(a, "document"),
			 "from", version_head(a), "to", version_head(b), "added", (json_int_t)added,
			 "removed", (json_int_t)removed, "lines", lines);
	ret = 0;
cleanup:
	json_decref(a);
	json_decref(b);
	json_decref(lines);
	return ret;
}

static int diff_run(struct ctx *c, const struct view_args *a, json_t **out, struct err *e)
{
	return documents_diff(c, view_arg_int(a, "against"), view_arg_int(a, "id"), out, e);
}

static void diff_print(const json_t *out, FILE *f)
{
	size_t i;
	json_t *row;
	fprintf(f, "--- %s\n+++ %s\n", json_text(json_object_get(out, "from"), "title"),
		json_text(json_object_get(out, "to"), "title"));
	json_array_foreach(json_object_get(out, "lines"), i, row)
		fprintf(f, "%s%s\n", json_text(row, "op"), json_text(row, "text"));
	fprintf(f, "(%lld added, %lld removed)\n", json_int(out, "added"), json_int(out, "removed"));
}

static const struct view_param diff_params[] = {
	{.name = "against", .type = VP_ID, .required = true, .position = 1,
	 .help = "The version to compare with (usually the older), of the same document"},
	{.name = "id", .type = VP_ID, .required = true, .position = 2,
	 .help = "The newer version"},
};

const struct view diff_view = {
	.name = "diff",
	.clause = "7.5.3",
	.title = "Changes between versions",
	.summary = "What changed from version ?against=ID to this one, line by line",
	.help = "Prints the lines of the older document version's text that the newer one "
		"removed (-) and added (+); the ids are document version ids.",
	.path = "/api/v1/document-versions/:id/diff",
	.params = diff_params,
	.nparams = COUNT_OF(diff_params),
	.reads = (const char *const[]){"document-versions", NULL},
	.run = diff_run,
	.schema = "{'type': 'object', 'required': ['document', 'from', 'to', 'added', 'removed',"
		  " 'lines'], 'properties': {'added': {'type': 'integer'},"
		  "  'removed': {'type': 'integer'},"
		  "  'lines': {'type': 'array', 'items': {'type': 'object',"
		  "    'required': ['op', 'text']}}}}",
	.print = diff_print,
};
