/* openapi.c — the OpenAPI 3.0 document, derived from the registry and the route table. */
#include "http.h"
#include "../base/json.h"
#include "../engine/attachments.h"
#include "../engine/describe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *ref(const char *name)
{
	char buf[160];
	snprintf(buf, sizeof buf, "#/components/schemas/%s", name);
	return json_build("{s:s}", "$ref", buf);
}

static json_t *json_content(json_t *schema)
{
	return json_build("{s:{s:o}}", "application/json", "schema", schema);
}

static json_t *responses(int ok, const char *ok_desc, json_t *ok_schema)
{
	char code[8];
	json_t *r = json_object();
	snprintf(code, sizeof code, "%d", ok);
	json_t *okr = json_build("{s:s}", "description", ok_desc);
	if (ok_schema)
		json_object_set_new(okr, "content", json_content(ok_schema));
	json_object_set_new(r, code, okr);
	json_object_set_new(r, "default",
			    json_build("{s:s, s:o}", "description",
				      "An error: 400 invalid, 401 not signed in, 403 forbidden, 404, "
				      "405, 409 conflict, 412 stale version, 413, 415, 429",
				      "content", json_content(ref("error"))));
	return r;
}

static json_t *param(const char *name, const char *in, bool required, json_t *schema,
		     const char *desc)
{
	return json_build("{s:s, s:s, s:b, s:o, s:s}", "name", name, "in", in, "required", required,
			 "schema", schema, "description", desc);
}

static json_t *op(const char *summary, const char *tag, json_t *params, json_t *body,
		  json_t *resp)
{
	json_t *o = json_build("{s:s, s:[s], s:o}", "summary", summary, "tags", tag, "responses",
			      resp);
	if (params)
		json_object_set_new(o, "parameters", params);
	if (body)
		json_object_set_new(o, "requestBody",
				    json_build("{s:b, s:o}", "required", 1, "content",
					      json_content(body)));
	return o;
}

static void type_schemas(json_t *schemas, const struct registry *reg, const struct record_type *rt)
{
	json_t *props = json_object(), *in_props = json_object(), *required = json_array();
	json_object_set_new(props, "id", json_build("{s:s}", "type", "integer"));
	json_object_set_new(props, "version", json_build("{s:s}", "type", "integer"));
	json_object_set_new(props, "created_at", json_build("{s:s, s:s}", "type", "string", "format", "date-time"));
	json_object_set_new(props, "updated_at", json_build("{s:s, s:s}", "type", "string", "format", "date-time"));
	json_object_set_new(props, "actions",
			    json_build("{s:s, s:{s:s}, s:s}", "type", "array", "items", "type",
				      "string", "description",
				      "The workflow actions the signed-in user may take now"));
	for (size_t i = 0; i < rt->nfields; i++) {
		const struct field *f = &rt->fields[i];
		if (!(f->flags & F_WRITEONLY))
			json_object_set_new(props, f->name, describe_field_schema(reg, f));
		if (!(f->flags & (F_READONLY | F_DERIVED))) {
			json_object_set_new(in_props, f->name, describe_field_schema(reg, f));
			if (f->flags & F_REQUIRED)
				json_array_append_new(required, json_string(f->name));
		}
	}
	json_object_set_new(schemas, rt->name,
			    json_build("{s:s, s:s, s:o}", "type", "object", "description",
				      rt->help ? rt->help : rt->label, "properties", props));
	char name[128];
	snprintf(name, sizeof name, "%s_input", rt->name);
	json_t *in = json_build("{s:s, s:o, s:b}", "type", "object", "properties", in_props,
			       "additionalProperties", 0);
	if (json_array_size(required))
		json_object_set_new(in, "required", required);
	else
		json_decref(required);
	json_object_set_new(schemas, name, in);
}

static json_t *list_params(const struct registry *reg, const struct record_type *rt)
{
	json_t *p = json_array();
	json_array_append_new(p, param("q", "query", false, json_build("{s:s}", "type", "string"),
				       "Case-insensitive text search over the searchable fields"));
	json_array_append_new(p, param("sort", "query", false, json_build("{s:s}", "type", "string"),
				       "A field name, or -field for descending order"));
	json_array_append_new(p, param("limit", "query", false,
				       json_build("{s:s, s:i, s:i, s:i}", "type", "integer", "minimum",
						 1, "maximum", 500, "default", 50),
				       "Page size"));
	json_array_append_new(p, param("offset", "query", false,
				       json_build("{s:s, s:i, s:i}", "type", "integer", "minimum", 0,
						 "default", 0),
				       "Records to skip"));
	json_array_append_new(p, param("as_of", "query", false,
				       json_build("{s:s, s:s}", "type", "string", "format", "date-time"),
				       "The list as it stood at this time, rebuilt from the change log"));
	for (size_t i = 0; i < rt->nfields; i++) {
		const struct field *f = &rt->fields[i];
		if (f->flags & (F_WRITEONLY | F_DERIVED) || f->type == FT_JSON)
			continue;
		json_t *s = f->type == FT_REFS ? json_build("{s:s}", "type", "integer")
					       : describe_field_schema(reg, f);
		json_object_del(s, "nullable");
		json_object_del(s, "readOnly");
		json_array_append_new(p, param(f->name, "query", false, s,
					       "Only records whose field equals this value "
					       "(empty: not set)"));
	}
	return p;
}

static json_t *id_param(void)
{
	return json_build("[o]", param("id", "path", true,
				      json_build("{s:s, s:i}", "type", "integer", "minimum", 1),
				      "Record id"));
}

/* An action's body: its own parameters, and for a decision the day it took effect. */
static json_t *action_body(void)
{
	return json_build(
		"{s:s, s:{s:{s:s, s:s, s:s}, s:{s:s, s:i, s:s}, s:{s:s, s:i, s:s}}}", "type",
		"object", "properties",
		"effective_on", "type", "string", "format", "date", "description",
		"Decisions only (meta: effective): the day it was taken, if not today; never in the "
		"future, earlier days only for the roles in meta's backdate_roles",
		"reason", "type", "string", "maxLength", 1000, "description",
		"Why a decision is recorded late; required when effective_on is more than "
		"late_days back",
		"decided_by", "type", "integer", "minimum", 1, "description",
		"Decisions only: the person whose decision this is, when a role in backdate_roles "
		"records it for them (a signature on paper); their authority that day counts");
}

static void type_paths(json_t *paths, const struct registry *reg, const struct record_type *rt)
{
	char path[160], item[64], list[64];
	snprintf(item, sizeof item, "%s", rt->name);
	snprintf(list, sizeof list, "%s_list", rt->name);
	json_t *list_schema = json_build("{s:s, s:{s:{s:s, s:o}, s:{s:s}}}", "type", "object",
					"properties", "items", "type", "array", "items", ref(item),
					"total", "type", "integer");
	char input[128];
	snprintf(input, sizeof input, "%s_input", rt->name);

	snprintf(path, sizeof path, "/api/v1/%s", rt->plural);
	json_t *collection = json_build("{s:o}", "get",
				       op("List", rt->plural, list_params(reg, rt), NULL,
					  responses(200, "A page of records and the total",
						    list_schema)));
	if (!rt->create_hint) /* otherwise made by their own route, e.g. an upload */
		json_object_set_new(collection, "post",
				    op("Create", rt->plural, NULL, ref(input),
				       responses(201, "Created", ref(item))));
	json_object_set_new(paths, path, collection);
	snprintf(path, sizeof path, "/api/v1/%s/{id}", rt->plural);
	json_t *if_match = param("If-Match", "header", false, json_build("{s:s}", "type", "string"),
				 "The version you loaded, as in the ETag; 412 if it changed since");
	json_t *pm = id_param(), *pd = id_param();
	json_array_append(pm, if_match);
	json_array_append_new(pd, if_match);
	json_object_set_new(paths, path,
			    json_build("{s:o, s:o, s:o}", "get",
				      op("Read", rt->plural, id_param(), NULL,
					 responses(200, "The record", ref(item))),
				      "patch",
				      op("Change some fields", rt->plural, pm, ref(input),
					 responses(200, "The changed record", ref(item))),
				      "delete",
				      op("Delete", rt->plural, pd, NULL, responses(204, "Deleted", NULL))));
	snprintf(path, sizeof path, "/api/v1/%s/{id}/history", rt->plural);
	json_object_set_new(paths, path,
			    json_build("{s:o}", "get",
				      op("Change history, oldest first", rt->plural, id_param(), NULL,
					 responses(200, "Changes", ref("history")))));
	if (rt->nactions) {
		json_t *names = json_array();
		for (size_t i = 0; i < rt->nactions; i++)
			json_array_append_new(names, json_string(rt->actions[i].name));
		json_t *p = id_param();
		json_array_append_new(p, param("action", "path", true,
					       json_build("{s:s, s:o}", "type", "string", "enum", names),
					       "The workflow action"));
		snprintf(path, sizeof path, "/api/v1/%s/{id}/actions/{action}", rt->plural);
		json_object_set_new(paths, path,
				    json_build("{s:o}", "post",
					      op("Take a workflow action", rt->plural, p,
						 action_body(),
						 responses(200, "The record after the action",
							   ref(item)))));
	}
}

static void fixed_paths(json_t *paths)
{
	json_t *login = json_build("{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}}}", "type", "object",
				  "required", "username", "password", "properties", "username",
				  "type", "string", "password", "type", "string");
	json_t *pw = json_build("{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}}}", "type", "object",
			       "required", "current_password", "new_password", "properties",
			       "current_password", "type", "string", "new_password", "type",
			       "string");
	json_object_set_new(
		paths, "/api/v1/session",
		json_build("{s:o, s:o, s:o}", "post",
			  op("Sign in; sets the isms_session cookie", "session", NULL, login,
			     responses(200, "Signed in", ref("session"))),
			  "get",
			  op("Who is signed in", "session", NULL, NULL,
			     responses(200, "The session", ref("session"))),
			  "delete",
			  op("Sign out", "session", NULL, NULL, responses(204, "Signed out", NULL))));
	json_object_set_new(paths, "/api/v1/session/password",
			    json_build("{s:o}", "post",
				      op("Change your password", "session", NULL, pw,
					 responses(200, "Changed", ref("session")))));
	json_object_set_new(paths, "/api/v1/meta",
			    json_build("{s:o}", "get",
				      op("Record types, fields, actions and roles", "system", NULL,
					 NULL, responses(200, "The description", json_build("{s:s}", "type", "object")))));
	json_object_set_new(paths, "/api/v1/openapi.json",
			    json_build("{s:o}", "get",
				      op("This document", "system", NULL, NULL,
					 responses(200, "OpenAPI 3.0", json_build("{s:s}", "type", "object")))));
	json_object_set_new(paths, "/healthz",
			    json_build("{s:o}", "get",
				      op("Liveness and store check", "system", NULL, NULL,
					 responses(200, "Healthy", json_build("{s:s}", "type", "object")))));
	json_object_set_new(paths, "/metrics",
			    json_build("{s:o}", "get",
				      op("Prometheus metrics (text)", "system", NULL, NULL,
					 responses(200, "Metrics", NULL))));
}

/* A JSON Schema written with ' for " (view.h), parsed; NULL if it is not JSON. */
static json_t *view_schema(const char *text)
{
	if (!text)
		return json_build("{s:s}", "type", "object");
	char *copy = strdup(text);
	for (char *p = copy; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_t *schema = json_loads(copy, 0, NULL);
	free(copy);
	/* Never the case for a shipped view: test_views parses every schema. */
	return schema ? schema : json_build("{s:s}", "type", "object");
}

/* A path item for a view's JSON, or one of its formats (ext). */
static json_t *view_get(const struct view *v, const char *ext, const char *media)
{
	json_t *params = json_array();
	for (size_t i = 0; i < v->nparams; i++) {
		const struct view_param *p = &v->params[i];
		char pattern[64];
		snprintf(pattern, sizeof pattern, ":%s", p->name);
		bool in_path = v->path && strstr(v->path, pattern);
		json_array_append_new(params, param(p->name, in_path ? "path" : "query",
						    in_path || p->required, view_param_schema(p),
						    p->help));
	}
	json_t *resp;
	if (!ext) {
		resp = responses(200, v->title, view_schema(v->schema));
	} else {
		resp = responses(200, v->title, NULL);
		json_object_set_new(json_object_get(resp, "200"), "content",
				    json_build("{s:{s:{s:s, s:s}}}", media, "schema", "type", "string",
					      "format", "binary"));
	}
	return json_build("{s:o}", "get", op(v->summary, v->clause ? "views" : "system", params, NULL,
					    resp));
}

/* Every view: its JSON at /api/v1/reports/NAME (or its own path), each format at
   /api/v1/reports/NAME.EXT. */
static void view_paths(json_t *paths, const struct registry *reg)
{
	for (size_t i = 0; i < reg->nviews; i++) {
		const struct view *v = reg->views[i];
		char path[160];
		if (v->run) {
			if (v->path) { /* OpenAPI writes path parameters {id} */
				size_t k = 0;
				for (const char *p = v->path; *p && k + 2 < sizeof path; p++) {
					if (*p == ':') {
						path[k++] = '{';
						size_t n = strcspn(p + 1, "/");
						k += (size_t)snprintf(path + k, sizeof path - k, "%.*s}",
								      (int)n, p + 1);
						p += n;
					} else {
						path[k++] = *p;
					}
				}
				path[k] = '\0';
			} else {
				snprintf(path, sizeof path, "/api/v1/reports/%s", v->name);
			}
			json_object_set_new(paths, path, view_get(v, NULL, NULL));
		}
		for (size_t k = 0; k < v->nformats; k++) {
			snprintf(path, sizeof path, "/api/v1/reports/%s.%s", v->name, v->formats[k].ext);
			json_object_set_new(paths, path,
					    view_get(v, v->formats[k].ext, v->formats[k].media_type));
		}
	}
}

/* Uploads to any record whose type takes files, the list of a record's files, and
   downloads. */
static void attachment_paths(json_t *paths, const struct registry *reg)
{
	json_t *plurals = json_array();
	for (size_t t = 0; t < reg->ntypes; t++)
		if (attachments_accepts(reg, reg->types[t]))
			json_array_append_new(plurals, json_string(reg->types[t]->plural));
	json_t *owner = json_build("[o]", param("type", "path", true,
					       json_build("{s:s, s:o}", "type", "string", "enum",
							 plurals),
					       "The record type (plural) the file belongs to"));
	json_t *id = id_param();
	json_array_extend(owner, id);
	json_decref(id);
	json_t *up = json_deep_copy(owner);
	json_array_append_new(up, param("filename", "query", false,
					json_build("{s:s}", "type", "string"),
					"The file name, for a raw body (or the X-Filename header)"));
	json_array_append_new(up, param("X-Filename", "header", false,
					json_build("{s:s}", "type", "string"),
					"The file name, percent-encoded UTF-8, for a raw body"));
	json_array_append_new(up, param("description", "query", false,
					json_build("{s:s}", "type", "string"),
					"What the file shows, for a raw body"));
	json_t *post = op("Upload an evidence file: a raw body with its name, or a multipart form "
			  "with a part named file (and description); 413 beyond the upload limit",
			  "attachments", up, NULL, responses(201, "The new attachment",
							     ref("attachment")));
	json_object_set_new(
		post, "requestBody",
		json_build("{s:b, s:{s:{s:{s:s, s:s}}, s:{s:{s:s, s:{s:{s:s, s:s}, s:{s:s}}}}}}",
			  "required", 1, "content", "application/octet-stream", "schema", "type",
			  "string", "format", "binary", "multipart/form-data", "schema", "type",
			  "object", "properties", "file", "type", "string", "format", "binary",
			  "description", "type", "string"));
	json_t *list = json_build("{s:s, s:{s:{s:s, s:o}, s:{s:s}}}", "type", "object",
				 "properties", "items", "type", "array", "items",
				 ref("attachment"), "total", "type", "integer");
	json_object_set_new(paths, "/api/v1/{type}/{id}/attachments",
			    json_build("{s:o, s:o}", "get",
				      op("The record's evidence files", "attachments", owner, NULL,
					 responses(200, "Its files, newest first", list)),
				      "post", post));
	json_t *resp = responses(200, "The bytes, always as an attachment (never shown inline)",
				 NULL);
	json_object_set_new(json_object_get(resp, "200"), "content",
			    json_build("{s:{s:{s:s, s:s}}}", "application/octet-stream", "schema",
				      "type", "string", "format", "binary"));
	json_object_set_new(paths, "/api/v1/attachments/{id}/content",
			    json_build("{s:o}", "get",
				      op("Download an evidence file", "attachments", id_param(),
					 NULL, resp)));
}

json_t *openapi_document(const struct registry *reg)
{
	json_t *schemas = json_object(), *paths = json_object(), *tags = json_array();
	json_object_set_new(
		schemas, "error",
		json_build("{s:s, s:[s], s:{s:{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}, s:{s:s}}}}}",
			  "type", "object", "required", "error", "properties", "error", "type",
			  "object", "required", "code", "message", "properties", "code", "type",
			  "string", "message", "type", "string", "field", "type", "string"));
	json_object_set_new(
		schemas, "session",
		json_build("{s:s, s:{s:{s:s}, s:{s:s}}}", "type", "object", "properties", "user",
			  "type", "object", "csrf_token", "type", "string"));
	json_object_set_new(
		schemas, "history",
		json_build("{s:s, s:{s:{s:s, s:{s:s}}, s:{s:s}}}", "type", "object", "properties",
			  "items", "type", "array", "items", "type", "object", "total", "type",
			  "integer"));
	for (size_t t = 0; t < reg->ntypes; t++) {
		type_schemas(schemas, reg, reg->types[t]);
		type_paths(paths, reg, reg->types[t]);
		json_array_append_new(tags, json_build("{s:s, s:s}", "name", reg->types[t]->plural,
						      "description",
						      reg->types[t]->help ? reg->types[t]->help : ""));
	}
	fixed_paths(paths);
	view_paths(paths, reg);
	attachment_paths(paths, reg);
	return json_build(
		"{s:s, s:{s:s, s:s, s:s}, s:o, s:o, s:{s:o, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}, "
		"s:[{s:[]}, {s:[]}]}",
		"openapi", "3.0.3", "info", "title", "isms API", "version", "1",
		"description",
		"The JSON API of isms. Sign in with POST /api/v1/session (cookie, plus the "
		"X-CSRF-Token header on writes) or send Authorization: Bearer TOKEN.",
		"tags", tags, "paths", paths, "components", "schemas", schemas, "securitySchemes",
		"cookie", "type", "apiKey", "in", "cookie", "name", "isms_session", "bearer", "type",
		"http", "scheme", "bearer", "security", "cookie", "bearer");
}
