/* c7_5_document_exports.c — the document register (every controlled document with its owner,
   audience, review and retention) and the printable page of one document version: the
   administrative block an auditor looks for first (identifier, version, owner, approver,
   dates, classification, content hash), then the approved text. */
#include "../report/export.h"
#include "../report/export_table.h"
#include "../base/json.h"
#include "c7_5_documents.h"
#include "../engine/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int register_table(struct ctx *c, const struct view_args *a, struct export_table *t,
			  struct err *e)
{
	(void)a;
	return export_register(c, &documents_type, "document-register", "Document register", t,
			       e);
}

static void admin_row(struct buf *out, const char *label, const char *value)
{
	buf_puts(out, "<tr><th scope=\"row\">");
	export_html_text(out, label);
	buf_puts(out, "</th><td>");
	export_html_text(out, value && *value ? value : "—");
	buf_puts(out, "</td></tr>\n");
}

/* "information_security_policy" → "information security policy". */
static void words(const char *s, char *out, size_t size)
{
	snprintf(out, size, "%s", s ? s : "");
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
}

static int version_html(struct ctx *c, const struct view_args *a, const struct view_format *f,
			struct buf *out, char *filename, size_t size, struct err *e)
{
	(void)f;
	long long version_id = view_arg_int(a, "version");
	json_t *v = NULL, *doc = NULL;
	int ret = -1;
	if (record_get_stored(c, &document_versions_type, version_id, &v, e) < 0)
		goto out;
	const char *status = json_str(v, "status");
	if (!status || strcmp(status, "draft") == 0 || strcmp(status, "in_review") == 0) {
		err_set(e, ERR_CONFLICT, "version",
			"%s is %s: only approved, published or withdrawn versions have a printable "
			"page",
			json_str(v, "title"), status ? status : "without status");
		goto out;
	}
	if (record_get_stored(c, &documents_type,
			      json_integer_value(json_object_get(v, "document")), &doc, e) < 0)
		goto out;
	char owner[200], number[24], kind[64], audience[64], state[32], author[300], approver[300];
	if (export_user_label(c, json_str(v, "author"), author, sizeof author, e) < 0 ||
	    export_user_label(c, json_str(v, "approver"), approver, sizeof approver, e) < 0)
		goto out;
	if (record_title_of(c, registry_find(c->reg, "person"),
			    json_integer_value(json_object_get(doc, "owner")), owner, sizeof owner,
			    e) < 0)
		goto out;
	snprintf(number, sizeof number, "%lld",
		 (long long)json_integer_value(json_object_get(v, "number")));
	words(json_str(doc, "kind"), kind, sizeof kind);
	words(json_str(doc, "audience"), audience, sizeof audience);
	words(status, state, sizeof state);
	const char *identifier = json_str(doc, "identifier"), *title = json_str(doc, "title");

	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>");
	export_html_text(out, identifier);
	buf_printf(out, " v%s — ", number);
	export_html_text(out, title);
	buf_puts(out, "</title>\n<link rel=\"stylesheet\" href=\"/static/print.css\">\n</head>\n"
		      "<body class=\"report document\">\n<header>\n<h1>");
	export_html_text(out, title);
	buf_puts(out, "</h1>\n<p class=\"subtitle\">");
	export_html_text(out, identifier);
	buf_printf(out, " · version %s · ", number);
	export_html_text(out, state);
	buf_puts(out, "</p>\n");
	if (strcmp(status, "published") != 0)
		buf_puts(out, "<p class=\"not-in-force\"><strong>Not the version in force.</strong> "
			      "Check isms for the published version.</p>\n");
	buf_puts(out, "<table class=\"admin\">\n<caption>Administrative data</caption>\n");
	admin_row(out, "Identifier", identifier);
	admin_row(out, "Title", title);
	admin_row(out, "Kind", kind);
	admin_row(out, "Version", number);
	admin_row(out, "Status", state);
	admin_row(out, "Owner", owner);
	admin_row(out, "Author", author);
	admin_row(out, "Approved by", approver);
	admin_row(out, "Approved on", json_str(v, "approved_on"));
	admin_row(out, "Next review", json_str(doc, "next_review"));
	admin_row(out, "Classification", json_str(doc, "classification"));
	admin_row(out, "Audience", audience);
	admin_row(out, "What changed", json_str(v, "change_summary"));
	admin_row(out, "Content hash (SHA-256)", json_str(v, "content_hash"));
	buf_puts(out, "</table>\n</header>\n<main class=\"document-body\">\n");
	/* Rendered by libcmark with raw HTML and unsafe links left out (markdown.c). */
	char *html = markdown_to_html(json_str(v, "body"));
	if (!html) {
		err_set(e, ERR_INTERNAL, NULL, "out of memory rendering Markdown");
		goto out;
	}
	buf_puts(out, html);
	free(html);
	buf_puts(out, "</main>\n<footer>\n<p>Printed ");
	char when[32];
	snprintf(when, sizeof when, "%.10s %.5s UTC", c->now, c->now + 11);
	export_html_text(out, when);
	buf_puts(out, " by ");
	export_html_text(out, c->actor.username);
	buf_puts(out, ". A printed copy is uncontrolled: the version in force is the one "
		      "published in isms.</p>\n</footer>\n</body>\n</html>\n");
	snprintf(filename, size, "%.60s-v%s.html", identifier ? identifier : "document", number);
	ret = 0;
out:
	json_decref(v);
	json_decref(doc);
	return ret;
}

const struct view document_register_view = {
	.name = "document-register",
	.clause = "7.5.3",
	.title = "Document register",
	.summary = "The register of controlled documents",
	.help = "Every controlled document with its owner, audience, version in force, review "
		"and retention dates.",
	.reads = (const char *const[]){"documents", NULL},
	.table = register_table,
	.formats = export_table_formats,
	.nformats = EXPORT_TABLE_NFORMATS,
	.web = "#/framework",
};

static const struct view_param version_params[] = {
	{.name = "version", .type = VP_ID, .required = true,
	 .help = "The id of an approved, published or withdrawn document version"},
};

static const struct view_format version_formats[] = {
	{"html", "text/html; charset=utf-8", false, version_html},
};

const struct view document_version_view = {
	.name = "document-version",
	.clause = "7.5.3",
	.title = "Printable document version",
	.summary = "A document version as a printable page with its administrative data",
	.help = "The approved text of one document version under its administrative block: "
		"identifier, version, owner, approver, dates, classification and content hash.",
	.params = version_params,
	.nparams = COUNT_OF(version_params),
	.reads = (const char *const[]){"document-versions", NULL},
	.formats = version_formats,
	.nformats = COUNT_OF(version_formats),
};
