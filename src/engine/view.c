/* view.c — finding views, the one strict parser of their parameters, and access. */
#include "../base/json.h"
#include "view.h"
#include "../base/clock.h"
#include "../base/text.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

const struct view *view_find(const struct registry *reg, const char *name)
{
	for (size_t i = 0; name && i < reg->nviews; i++) {
		const struct view *v = reg->views[i];
		if (strcmp(v->name, name) == 0 || str_eq(v->command, name))
			return v;
	}
	return NULL;
}

const struct view *view_find_path(const struct registry *reg, const char *pattern)
{
	for (size_t i = 0; pattern && i < reg->nviews; i++)
		if (str_eq(reg->views[i]->path, pattern))
			return reg->views[i];
	return NULL;
}

const struct view_format *view_format_find(const struct view *v, const char *ext)
{
	for (size_t i = 0; ext && i < v->nformats; i++)
		if (strcmp(v->formats[i].ext, ext) == 0)
			return &v->formats[i];
	return NULL;
}

static int enum_error(const struct view_param *p, struct err *e)
{
	char list[200] = "";
	size_t len = 0;
	for (int i = 0; p->values[i] && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
					p->values[i]);
	return err_set(e, ERR_INVALID, p->name, "%s must be one of: %s", p->name, list);
}

int view_parse_value(const struct view_param *p, const char *text, struct view_value *out,
		     struct err *e)
{
	memset(out, 0, sizeof *out);
	switch (p->type) {
	case VP_ID:
		if (!text_to_ll(text, 1, LLONG_MAX, &out->n))
			return err_set(e, ERR_INVALID, p->name, "%s must be a record id (a whole "
				       "number from 1)", p->name);
		break;
	case VP_INT:
		if (!text_to_ll(text, p->min, p->max, &out->n))
			return err_set(e, ERR_INVALID, p->name,
				       "%s must be a whole number from %lld to %lld", p->name, p->min,
				       p->max);
		break;
	case VP_BOOL:
		if (str_eq(text, "true") || str_eq(text, "1"))
			out->n = 1;
		else if (!str_eq(text, "false") && !str_eq(text, "0"))
			return err_set(e, ERR_INVALID, p->name, "%s must be true or false", p->name);
		break;
	case VP_TIME:
		if (!text || !clock_parse_rfc3339(text, out->text))
			return err_set(e, ERR_INVALID, p->name,
				       "%s must be a date and time such as 2026-06-30T23:59:59Z",
				       p->name);
		break;
	case VP_DATE:
		if (!text || !clock_sane_date(text))
			return err_set(e, ERR_INVALID, p->name,
				       "%s must be a date written YYYY-MM-DD, in the years %d to %d",
				       p->name, CLOCK_YEAR_MIN, CLOCK_YEAR_MAX);
		snprintf(out->text, sizeof out->text, "%s", text);
		break;
	case VP_TEXT:
		if (!text || !*text || strlen(text) > VIEW_TEXT_MAX)
			return err_set(e, ERR_INVALID, p->name, "%s must be a text of 1 to %d "
				       "bytes", p->name, VIEW_TEXT_MAX);
		snprintf(out->text, sizeof out->text, "%s", text);
		break;
	case VP_ENUM: {
		bool ok = false;
		for (int i = 0; text && p->values[i]; i++)
			ok = ok || strcmp(p->values[i], text) == 0;
		if (!ok)
			return enum_error(p, e);
		snprintf(out->text, sizeof out->text, "%s", text);
		break;
	}
	}
	out->set = true;
	return 0;
}

int view_parse_args(const struct view *v, const char *(*get)(void *arg, const char *name),
		    void *arg, struct view_args *a, struct err *e)
{
	memset(a, 0, sizeof *a);
	a->view = v;
	for (size_t i = 0; i < v->nparams && i < VIEW_MAX_PARAMS; i++) {
		const struct view_param *p = &v->params[i];
		const char *text = get(arg, p->name);
		if (!text)
			text = p->def;
		if (!text) {
			if (p->required)
				return err_set(e, ERR_INVALID, p->name, "%s is required: %s", p->name,
					       p->help);
			continue;
		}
		if (view_parse_value(p, text, &a->v[i], e) < 0)
			return -1;
	}
	return 0;
}

/* The first type v reads that the actor may not, or NULL. */
static const struct record_type *unreadable(const struct ctx *c, const struct view *v)
{
	for (int i = 0; v->reads && v->reads[i]; i++) {
		const struct record_type *rt = registry_find(c->reg, v->reads[i]);
		if (rt && !record_can_read(c, rt))
			return rt;
	}
	return NULL;
}

bool view_readable(const struct ctx *c, const struct view *v)
{
	return !unreadable(c, v);
}

int view_check_access(struct ctx *c, const struct view *v, struct err *e)
{
	const struct record_type *rt = unreadable(c, v);
	if (rt)
		return err_set(e, ERR_FORBIDDEN, NULL, "the %s role may not read %s",
			       registry_role_name(c->reg, c->actor.role), rt->label_plural);
	return 0;
}

static const struct view_value *arg(const struct view_args *a, const char *name)
{
	for (size_t i = 0; a->view && i < a->view->nparams && i < VIEW_MAX_PARAMS; i++)
		if (strcmp(a->view->params[i].name, name) == 0)
			return &a->v[i];
	return NULL;
}

bool view_arg_set(const struct view_args *a, const char *name)
{
	const struct view_value *v = arg(a, name);
	return v && v->set;
}

long long view_arg_int(const struct view_args *a, const char *name)
{
	const struct view_value *v = arg(a, name);
	return v && v->set ? v->n : 0;
}

bool view_arg_bool(const struct view_args *a, const char *name)
{
	return view_arg_int(a, name) != 0;
}

const char *view_arg_text(const struct view_args *a, const char *name)
{
	const struct view_value *v = arg(a, name);
	return v && v->set ? v->text : NULL;
}

json_t *view_param_schema(const struct view_param *p)
{
	switch (p->type) {
	case VP_ID:
		return json_build("{s:s, s:i}", "type", "integer", "minimum", 1);
	case VP_INT:
		return json_build("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)p->min,
				 "maximum", (json_int_t)p->max);
	case VP_BOOL:
		return json_build("{s:s}", "type", "boolean");
	case VP_TIME:
		return json_build("{s:s, s:s}", "type", "string", "format", "date-time");
	case VP_DATE:
		return json_build("{s:s, s:s}", "type", "string", "format", "date");
	case VP_TEXT:
		return json_build("{s:s, s:i}", "type", "string", "maxLength", VIEW_TEXT_MAX);
	case VP_ENUM: {
		json_t *values = json_array();
		for (int i = 0; p->values[i]; i++)
			json_array_append_new(values, json_string(p->values[i]));
		return json_build("{s:s, s:o}", "type", "string", "enum", values);
	}
	}
	return json_object();
}
