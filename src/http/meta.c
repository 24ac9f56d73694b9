/* meta.c — /api/v1/meta: what the web app and scripts need to know about every record
   type, from the registry, for the signed-in user. */
#include "http.h"
#include "../base/json.h"
#include "../engine/attachments.h"
#include "../engine/describe.h"

#include <stdio.h>

json_t *meta_document(const struct ctx *c)
{
	json_t *types = json_array(), *roles = json_array();
	for (size_t t = 0; t < c->reg->ntypes; t++) {
		const struct record_type *rt = c->reg->types[t];
		json_t *fields = json_array(), *actions = json_array();
		for (size_t i = 0; i < rt->nfields; i++)
			json_array_append_new(fields, describe_field(c->reg, &rt->fields[i]));
		for (size_t i = 0; i < rt->nactions; i++) {
			const struct action *a = &rt->actions[i];
			json_t *from = json_array(), *who = json_array(), *params = json_array();
			for (int k = 0; a->from && a->from[k]; k++)
				json_array_append_new(from, json_string(a->from[k]));
			for (int k = 0; k < c->reg->nroles; k++)
				if (a->roles & RB(k))
					json_array_append_new(who, json_string(c->reg->roles[k].name));
			for (size_t k = 0; k < a->nparams; k++)
				json_array_append_new(params,
						      json_build("{s:s, s:s, s:b}", "name",
								a->params[k].name, "field",
								a->params[k].field, "required",
								a->params[k].required));
			json_array_append_new(actions,
					      json_build("{s:s, s:s, s:s, s:o, s:s?, s:o, s:o, s:b}",
							"name", a->name, "label", a->label, "help",
							a->help ? a->help : "", "from", from, "to",
							a->to, "roles", who, "params", params,
							"effective", a->effective));
		}
		json_array_append_new(
			types,
			json_build("{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:b, s:b, s:b, s:b}",
				  "name", rt->name, "section", rt->section, "plural", rt->plural, "label", rt->label,
				  "label_plural", rt->label_plural, "clause", rt->clause, "help",
				  rt->help ? rt->help : "", "title_field", rt->title_field,
				  "default_sort", rt->default_sort, "state_field", rt->state_field,
				  "fields", fields, "actions", actions, "can_read",
				  record_can_read(c, rt), "can_write", record_can_write(c, rt),
				  "can_create", record_can_write(c, rt) && !rt->create_hint,
				  "takes_files", attachments_accepts(c->reg, rt)));
	}
	json_t *views = json_array();
	for (size_t i = 0; i < c->reg->nviews; i++) {
		const struct view *v = c->reg->views[i];
		json_t *params = json_array(), *formats = json_array();
		char path[96];
		for (size_t k = 0; k < v->nparams; k++) {
			json_t *p = view_param_schema(&v->params[k]);
			json_object_set_new(p, "name", json_string(v->params[k].name));
			json_object_set_new(p, "required", json_boolean(v->params[k].required));
			json_object_set_new(p, "help", json_string(v->params[k].help));
			json_array_append_new(params, p);
		}
		for (size_t k = 0; k < v->nformats; k++)
			json_array_append_new(formats, json_string(v->formats[k].ext));
		snprintf(path, sizeof path, "/api/v1/reports/%s", v->name);
		json_array_append_new(
			views, json_build("{s:s, s:s?, s:s, s:s, s:s, s:b, s:o, s:o, s:s?, s:b}",
					  "name", v->name, "clause", v->clause, "title", v->title,
					  "summary", v->summary, "path", v->path ? v->path : path,
					  "json", v->run != NULL, "params", params, "formats", formats,
					  "web", v->web, "can_read", view_readable(c, v)));
	}
	json_t *labels = json_object();
	for (int k = 0; k < c->reg->nroles; k++) {
		json_array_append_new(roles, json_string(c->reg->roles[k].name));
		json_object_set_new(labels, c->reg->roles[k].name, json_string(c->reg->roles[k].label));
	}
	json_t *backdate = json_array();
	for (int k = 0; k < c->reg->nroles; k++)
		if (c->reg->backdate_roles & RB(k))
			json_array_append_new(backdate, json_string(c->reg->roles[k].name));
	return json_build("{s:o, s:o, s:o, s:o, s:i, s:o, s:i}", "types", types, "views", views,
			 "roles", roles, "role_labels", labels, "schema_version",
			 c->reg->schema_version, "backdate_roles", backdate, "late_days",
			 RECORD_LATE_DAYS);
}
