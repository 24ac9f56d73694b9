/* document_diff.c — the line diff between two versions of a document, for the API and the
   CLI (the web app computes the same diff in the browser). */
#include "c7_5_documents.h"
#include "../base/json.h"
#include "../base/textdiff.h"

#include <string.h>

static json_t *version_head(const json_t *v)
{
	return json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(v, "id"), "number",
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
	*out = json_pack("{s:O, s:o, s:o, s:I, s:I, s:O}", "document", json_object_get(a, "document"),
			 "from", version_head(a), "to", version_head(b), "added", (json_int_t)added,
			 "removed", (json_int_t)removed, "lines", lines);
	ret = 0;
cleanup:
	json_decref(a);
	json_decref(b);
	json_decref(lines);
	return ret;
}
