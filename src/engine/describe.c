/* describe.c — field and type descriptions derived from the registry. */
#include "../base/json.h"
#include "describe.h"

const char *describe_field_type(enum field_type t)
{
	static const char *const names[] = {
		[FT_TEXT] = "text",       [FT_MARKDOWN] = "markdown", [FT_EMAIL] = "email",
		[FT_INT] = "integer",     [FT_BOOL] = "boolean",      [FT_DATE] = "date",
		[FT_ENUM] = "enum",       [FT_REF] = "reference",     [FT_REFS] = "references",
		[FT_JSON] = "json",
	};
	return names[t];
}

json_t *describe_field(const struct registry *reg, const struct field *f)
{
	json_t *o = json_build("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b}", "name", f->name,
			      "label", f->label, "help", f->help ? f->help : "", "type",
			      describe_field_type(f->type), "required", (f->flags & F_REQUIRED) != 0,
			      "unique", (f->flags & F_UNIQUE) != 0, "readonly",
			      (f->flags & (F_READONLY | F_DERIVED)) != 0, "writeonly", (f->flags & F_WRITEONLY) != 0,
			      "search", (f->flags & F_SEARCH) != 0);
	if (f->flags & F_DERIVED)
		json_object_set_new(o, "derived", json_true());
	if (f->flags & F_NULLABLE)
		json_object_set_new(o, "nullable", json_true());
	if (f->flags & F_PAST)
		json_object_set_new(o, "past", json_true());
	const char *const *values = field_values(reg, f);
	if (values) {
		json_t *v = json_array();
		for (int i = 0; values[i]; i++)
			json_array_append_new(v, json_string(values[i]));
		json_object_set_new(o, "values", v);
	}
	if (f->ref) {
		const struct record_type *t = registry_find(reg, f->ref);
		json_object_set_new(o, "ref", json_string(t ? t->plural : f->ref));
	}
	if (f->max_len)
		json_object_set_new(o, "max_len", json_integer(f->max_len));
	if (f->min < f->max) {
		json_object_set_new(o, "min", json_integer(f->min));
		json_object_set_new(o, "max", json_integer(f->max));
	}
	if (f->def)
		json_object_set_new(o, "default", json_loads(f->def, JSON_DECODE_ANY, NULL));
	return o;
}

json_t *describe_field_schema(const struct registry *reg, const struct field *f)
{
	json_t *s;
	switch (f->type) {
	case FT_INT:
		s = json_build("{s:s}", "type", "integer");
		if (f->min < f->max) {
			json_object_set_new(s, "minimum", json_integer(f->min));
			json_object_set_new(s, "maximum", json_integer(f->max));
		}
		break;
	case FT_REF:
		s = json_build("{s:s, s:i}", "type", "integer", "minimum", 1);
		break;
	case FT_BOOL:
		s = json_build("{s:s}", "type", "boolean");
		break;
	case FT_REFS:
		s = json_build("{s:s, s:{s:s}}", "type", "array", "items", "type", "integer");
		break;
	case FT_ENUM: {
		json_t *v = json_array();
		const char *const *values = field_values(reg, f);
		for (int i = 0; values && values[i]; i++)
			json_array_append_new(v, json_string(values[i]));
		s = json_build("{s:s, s:o}", "type", "string", "enum", v);
		break;
	}
	case FT_DATE:
		s = json_build("{s:s, s:s}", "type", "string", "format", "date");
		break;
	case FT_JSON:
		if (f->flags & F_APP_ROLE) { /* a list of application role names */
			json_t *v = json_array();
			for (int i = 0; i < reg->nroles; i++)
				json_array_append_new(v, json_string(reg->role_names[i]));
			s = json_build("{s:s, s:{s:s, s:o}, s:b}", "type", "array", "items", "type",
				       "string", "enum", v, "nullable", 1);
			break;
		}
		s = json_object(); /* any JSON; its shape is described in the help */
		break;
	case FT_EMAIL:
		s = json_build("{s:s, s:s}", "type", "string", "format", "email");
		break;
	default:
		s = json_build("{s:s}", "type", "string");
	}
	if (f->max_len && f->type != FT_ENUM)
		json_object_set_new(s, "maxLength", json_integer(f->max_len));
	if (!(f->flags & F_REQUIRED) && f->type != FT_REFS &&
	    (f->type != FT_BOOL || (f->flags & F_NULLABLE)) && f->type != FT_JSON)
		json_object_set_new(s, "nullable", json_true());
	json_object_set_new(s, "description", json_string(f->help ? f->help : f->label));
	if (f->flags & (F_READONLY | F_DERIVED))
		json_object_set_new(s, "readOnly", json_true());
	if (f->flags & F_WRITEONLY)
		json_object_set_new(s, "writeOnly", json_true());
	return s;
}
