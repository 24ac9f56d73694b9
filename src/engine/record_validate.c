/* record_validate.c — client input to a complete, checked record: unknown and read-only
   fields, types, required, enums, lengths, ranges, references and uniqueness. */
#include "query.h"
#include "record_internal.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const meta_keys[] = {"id", "version", "created_at", "updated_at", "actions",
					"refs", "can_edit", "can_delete", NULL};

static bool is_meta(const char *key)
{
	for (int i = 0; meta_keys[i]; i++)
		if (strcmp(meta_keys[i], key) == 0)
			return true;
	return false;
}

/* Number of UTF-8 code points in s. */
static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static bool looks_like_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ')
			return false;
	return true;
}

static int default_max(const struct field *f)
{
	if (f->max_len)
		return f->max_len;
	return f->type == FT_MARKDOWN ? 200000 : 10000;
}

static json_t *default_value(const struct field *f)
{
	if (f->def) {
		json_t *v = json_loads(f->def, JSON_DECODE_ANY, NULL);
		if (v)
			return v;
	}
	if (f->type == FT_REFS)
		return json_array();
	if (f->type == FT_BOOL && !(f->flags & F_NULLABLE))
		return json_false();
	return json_null();
}

int record_validate_input(struct ctx *c, const struct record_type *rt, const json_t *input,
			  const json_t *old, json_t **out, struct err *e)
{
	*out = NULL;
	if (!json_is_object(input))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	json_t *rec;
	if (old) {
		rec = json_deep_copy(old);
	} else {
		rec = json_object();
		for (size_t i = 0; i < rt->nfields; i++)
			if (field_stored(&rt->fields[i]))
				json_object_set_new(rec, rt->fields[i].name,
						    default_value(&rt->fields[i]));
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)input, key, v) {
		if (is_meta(key))
			continue;
		const struct field *f = record_field(rt, key);
		if (!f) {
			err_set(e, ERR_INVALID, key, "%s has no field \"%s\"", rt->label, key);
			goto fail;
		}
		if ((f->flags & F_DERIVED) || ((f->flags & F_READONLY) && !c->system)) {
			err_set(e, ERR_INVALID, key, "%s is read-only: it is set by %s", f->label,
				rt->nactions ? "the record's actions or computed by isms"
					     : "isms");
			goto fail;
		}
		if (f->flags & F_WRITEONLY) {
			if (!json_is_string(v)) {
				err_set(e, ERR_INVALID, key, "%s must be text", f->label);
				goto fail;
			}
			continue;
		}
		/* An empty string clears a field, like a blank form input. */
		if (json_is_string(v) && json_string_length(v) == 0 && f->type != FT_REFS)
			json_object_set_new(rec, key,
					    f->type == FT_BOOL && !(f->flags & F_NULLABLE)
						    ? json_false()
						    : json_null());
		else
			json_object_set(rec, key, v);
	}
	if (record_check(c, rt, rec, old, e) < 0)
		goto fail;
	*out = rec;
	return 0;
fail:
	json_decref(rec);
	return -1;
}

static int ref_exists(struct ctx *c, const struct field *f, long long id, struct err *e)
{
	const struct record_type *target = registry_find(c->reg, f->ref);
	if (!target)
		return err_set(e, ERR_INTERNAL, f->name, "unknown reference target %s", f->ref);
	struct query q = {.type = target->name, .where = {QEQ("id", SVI(id))}};
	bool found;
	if (query_exists(c, &q, &found, e) < 0)
		return -1;
	if (!found)
		return err_set(e, ERR_INVALID, f->name, "%s: there is no %s with id %lld", f->label,
			       target->label, id);
	return 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* Sorts and de-duplicates a list of references so equal sets have one canonical form. */
static int check_refs(struct ctx *c, const struct field *f, json_t *rec, json_t *v,
		      struct err *e)
{
	if (!json_is_array(v))
		return err_set(e, ERR_INVALID, f->name, "%s must be a list of record ids", f->label);
	size_t n = json_array_size(v);
	long long *ids = xcalloc(n ? n : 1, sizeof *ids);
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(v, i);
		if (!json_is_integer(x) || json_integer_value(x) <= 0) {
			free(ids);
			return err_set(e, ERR_INVALID, f->name, "%s must be a list of record ids",
				       f->label);
		}
		ids[i] = json_integer_value(x);
	}
	qsort(ids, n, sizeof *ids, cmp_ll);
	json_t *canon = json_array();
	for (size_t i = 0; i < n; i++) {
		if (i && ids[i] == ids[i - 1])
			continue;
		if (ref_exists(c, f, ids[i], e) < 0) {
			free(ids);
			json_decref(canon);
			return -1;
		}
		json_array_append_new(canon, json_integer(ids[i]));
	}
	free(ids);
	json_object_set_new(rec, f->name, canon);
	return 0;
}

/* A JSON list of distinct application role names (F_APP_ROLE on FT_JSON). */
static int check_role_list(const struct registry *reg, const struct field *f, const json_t *v,
			   struct err *e)
{
	size_t i, j;
	json_t *r;
	if (!json_is_array(v))
		return err_set(e, ERR_INVALID, f->name, "%s must be a list of role names", f->label);
	json_array_foreach(v, i, r) {
		if (registry_role_parse(reg, json_string_value(r)) < 0)
			return err_set(e, ERR_INVALID, f->name, "%s: item %zu is not a role (%s%s)",
				       f->label, i + 1, reg->role_names[0],
				       reg->nroles > 1 ? ", …; see /api/v1/meta role_labels" : "");
		for (j = 0; j < i; j++)
			if (json_equal(r, json_array_get(v, j)))
				return err_set(e, ERR_INVALID, f->name, "%s: %s is listed twice",
					       f->label, json_string_value(r));
	}
	return 0;
}

static int check_unique(struct ctx *c, const struct record_type *rt, const struct field *f,
			const json_t *rec, struct err *e)
{
	char *hold;
	json_t *id = json_object_get(rec, "id");
	struct query q = {.type = rt->name,
			  .where = {QEQ(f->name, record_field_param(f, json_object_get(rec, f->name),
								     &hold)),
				    QNE("id", SVI(id ? json_integer_value(id) : 0))}};
	long long other;
	int rc = query_id(c, &q, &other, e);
	free(hold);
	if (rc < 0)
		return -1;
	if (other)
		return err_set(e, ERR_CONFLICT, f->name, "%s must be unique: %s %lld already has it",
			       f->label, rt->label, other);
	return 0;
}

static int check_field(struct ctx *c, const struct record_type *rt, const struct field *f,
		       json_t *rec, struct err *e)
{
	json_t *v = json_object_get(rec, f->name);
	if (f->type == FT_REFS) {
		if (!v || json_is_null(v)) {
			json_object_set_new(rec, f->name, json_array());
			v = json_object_get(rec, f->name);
		}
		if (check_refs(c, f, rec, v, e) < 0)
			return -1;
		if ((f->flags & F_REQUIRED) && json_array_size(json_object_get(rec, f->name)) == 0)
			return err_set(e, ERR_INVALID, f->name, "%s is required", f->label);
		return 0;
	}
	if (!v || json_is_null(v)) {
		if (f->type == FT_BOOL) {
			json_object_set_new(rec, f->name,
					    f->flags & F_NULLABLE ? json_null() : json_false());
			return 0;
		}
		if (f->flags & F_REQUIRED)
			return err_set(e, ERR_INVALID, f->name, "%s is required", f->label);
		json_object_set_new(rec, f->name, json_null());
		return 0;
	}
	switch (f->type) {
	case FT_JSON: /* its shape is the type's validate hook's business */
		if (f->flags & F_APP_ROLE)
			return check_role_list(c->reg, f, v, e);
		break;
	case FT_INT:
		if (!json_is_integer(v))
			return err_set(e, ERR_INVALID, f->name, "%s must be a whole number", f->label);
		if (f->min < f->max &&
		    (json_integer_value(v) < f->min || json_integer_value(v) > f->max))
			return err_set(e, ERR_INVALID, f->name, "%s must be between %lld and %lld",
				       f->label, f->min, f->max);
		break;
	case FT_BOOL:
		if (!json_is_boolean(v))
			return err_set(e, ERR_INVALID, f->name, "%s must be true or false", f->label);
		break;
	case FT_REF:
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return err_set(e, ERR_INVALID, f->name, "%s must be a record id", f->label);
		if (ref_exists(c, f, json_integer_value(v), e) < 0)
			return -1;
		break;
	default: {
		const char *s = json_string_value(v);
		if (!s)
			return err_set(e, ERR_INVALID, f->name, "%s must be text", f->label);
		if (utf8_len(s) > (size_t)default_max(f))
			return err_set(e, ERR_INVALID, f->name, "%s is longer than %d characters",
				       f->label, default_max(f));
		if (f->type == FT_EMAIL && !looks_like_email(s))
			return err_set(e, ERR_INVALID, f->name,
				       "%s must be an email address such as name@example.org",
				       f->label);
		if (f->type == FT_DATE && !clock_sane_date(s))
			return err_set(e, ERR_INVALID, f->name,
				       "%s must be a date written YYYY-MM-DD, in the years %d to %d",
				       f->label, CLOCK_YEAR_MIN, CLOCK_YEAR_MAX);
		if (f->type == FT_DATE && (f->flags & F_PAST)) {
			char today[11];
			ctx_today(c, today);
			if (strcmp(s, today) > 0)
				return err_set(e, ERR_INVALID, f->name,
					       "%s records what has happened: %s is in the future "
					       "(today is %s, UTC)",
					       f->label, s, today);
		}
		if (f->type == FT_ENUM) {
			bool ok = false;
			struct buf list = BUF_INIT;
			const char *const *values = field_values(c->reg, f);
			for (int i = 0; values && values[i]; i++) {
				ok = ok || strcmp(values[i], s) == 0;
				buf_printf(&list, "%s%s", i ? ", " : "", values[i]);
			}
			if (!ok) {
				err_set(e, ERR_INVALID, f->name, "%s must be one of: %s", f->label,
					list.data);
				buf_release(&list);
				return -1;
			}
			buf_release(&list);
		}
	}
	}
	if (f->flags & F_UNIQUE)
		return check_unique(c, rt, f, rec, e);
	return 0;
}

/* Names the record after others (rt->title_from); each part is cut at 280 bytes. */
static int derive_title(struct ctx *c, const struct record_type *rt, json_t *rec,
			struct err *e)
{
	struct buf title = BUF_INIT;
	for (int i = 0; rt->title_from[i]; i++) {
		const struct field *f = record_field(rt, rt->title_from[i]);
		json_t *v = json_object_get(rec, rt->title_from[i]);
		char part[281] = "";
		if (f && f->type == FT_REF && json_is_integer(v)) {
			if (record_title_of(c, registry_find(c->reg, f->ref), json_integer_value(v),
					    part, sizeof part, e) < 0) {
				buf_release(&title);
				return -1;
			}
		} else if (json_is_string(v)) {
			snprintf(part, sizeof part, "%s", json_string_value(v));
		}
		if (part[0])
			buf_printf(&title, "%s%s", title.len ? " — " : "", part);
	}
	json_object_set_new(rec, rt->title_field, json_string(buf_str(&title)));
	buf_release(&title);
	return 0;
}

int record_check(struct ctx *c, const struct record_type *rt, json_t *rec, const json_t *old,
		 struct err *e)
{
	for (size_t i = 0; i < rt->nfields; i++) {
		const struct field *f = &rt->fields[i];
		if (field_stored(f) && check_field(c, rt, f, rec, e) < 0)
			return -1;
	}
	if (old && record_check_seal(rt, old, rec, e) < 0)
		return -1;
	if (rt->validate && rt->validate(c, rt, rec, old, e) < 0)
		return -1;
	return rt->title_from ? derive_title(c, rt, rec, e) : 0;
}
