/* export_table.c — the table behind every export, and the cells of registry fields with the
   titles of the records they refer to (one query per referenced type for a whole report). */
#include "export_table.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void export_table_init(struct export_table *t, const char *title, const char *sheet)
{
	memset(t, 0, sizeof *t);
	t->title = title;
	t->sheet = sheet;
	t->columns = json_array();
	t->rows = json_array();
	t->about = json_array();
}

void export_table_release(struct export_table *t)
{
	if (t->free_state)
		t->free_state(t->state);
	t->state = NULL;
	t->free_state = NULL;
	json_decref(t->columns);
	json_decref(t->rows);
	json_decref(t->about);
	t->columns = t->rows = t->about = NULL;
}

void export_table_column(struct export_table *t, const char *label, int width)
{
	json_array_append_new(t->columns, json_build("{s:s, s:i}", "label", label, "width", width));
}

void export_table_about(struct export_table *t, const char *label, const char *value)
{
	json_array_append_new(t->about, json_build("[s, s]", label, value ? value : ""));
}

int export_table_each_row(struct export_table *t, export_emit_fn emit, void *arg,
			  struct err *e)
{
	if (t->produce)
		return t->produce(t, emit, arg, e);
	size_t i;
	json_t *row;
	json_array_foreach(t->rows, i, row) {
		if (emit(arg, row, e) < 0)
			return -1;
	}
	return 0;
}

const char *export_cell_text(const json_t *cell, char tmp[32], bool *number)
{
	*number = false;
	if (json_is_object(cell))
		cell = json_object_get(cell, "text");
	if (json_is_string(cell))
		return json_string_value(cell);
	if (json_is_integer(cell)) {
		*number = true;
		snprintf(tmp, 32, "%lld", (long long)json_integer_value(cell));
		return tmp;
	}
	if (json_is_boolean(cell))
		return json_is_true(cell) ? "yes" : "no";
	return "";
}

void export_table_live(struct export_table *t, const struct ctx *c, const char *name)
{
	/* c->now is "2026-11-28T10:15:00.123Z"; people read "2026-11-28 10:15 UTC". */
	char when[32];
	snprintf(when, sizeof when, "%.10s %.5s UTC", c->now, c->now + 11);
	snprintf(t->subtitle, sizeof t->subtitle, "Current records, exported %s", when);
	snprintf(t->filename, sizeof t->filename, "%s-%.10s", name, c->now);
	export_table_about(t, "Exported at", when);
	export_table_about(t, "Exported by", c->actor.username);
}

void export_titles_init(struct export_titles *t, struct ctx *c)
{
	t->c = c;
	t->cache = json_object();
}

void export_titles_release(struct export_titles *t)
{
	json_decref(t->cache);
	t->cache = NULL;
}

/* The {"<id>": "<title>"} map of a type, loaded on first use. Borrowed. */
static int titles_of(struct export_titles *t, const struct record_type *rt, json_t **out,
		     struct err *e)
{
	json_t *map = json_object_get(t->cache, rt->name);
	*out = map;
	if (map)
		return 0;
	map = json_object();
	/* Like the API, show only the titles of records the actor may read. */
	if (rt->title_field && record_can_read(t->c, rt)) {
		char sql[200];
		struct store_rows *r;
		snprintf(sql, sizeof sql, "SELECT id, \"%s\" FROM \"%s\"", rt->title_field, rt->table);
		if (store_query(t->c->store, sql, NULL, 0, &r, e) < 0) {
			json_decref(map);
			return -1;
		}
		int rc;
		while ((rc = store_next(r, e)) > 0) {
			const char *title = store_text(r, 1);
			if (!title)
				continue;
			char key[24];
			snprintf(key, sizeof key, "%lld", store_int(r, 0));
			json_object_set_new(map, key, json_string(title));
		}
		store_rows_free(r);
		if (rc < 0) {
			json_decref(map);
			return -1;
		}
	}
	json_object_set_new(t->cache, rt->name, map);
	*out = map;
	return 0;
}

/* Appends the title of record id of type rt ("#id" when it has none). */
static void put_title(struct buf *b, const json_t *map, long long id)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	const char *title = json_string_value(json_object_get(map, key));
	if (title)
		buf_puts(b, title);
	else
		buf_printf(b, "#%lld", id);
}

int export_field_width(const struct field *f)
{
	int w;
	switch (f->type) {
	case FT_BOOL:
	case FT_INT: w = 11; break;
	case FT_DATE: w = 12; break;
	case FT_ENUM: w = 16; break;
	case FT_REF: w = 28; break;
	case FT_REFS:
	case FT_MARKDOWN: w = 44; break;
	case FT_JSON: w = 30; break;
	default: w = f->max_len && f->max_len <= 64 ? 18 : 36;
	}
	int label = (int)strlen(f->label) + 2;
	return label > w ? (label < 40 ? label : 40) : w;
}

void export_value_label(const struct registry *reg, bool roles, const char *value, char *out,
			size_t size)
{
	int role = roles && value ? registry_role_parse(reg, value) : -1;
	if (role >= 0) {
		snprintf(out, size, "%s", reg->roles[role].label);
		return;
	}
	snprintf(out, size, "%s", value ? value : "");
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

void export_labels_joined(const struct registry *reg, const json_t *keys, struct buf *out)
{
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k) {
		char label[200];
		export_value_label(reg, false, json_string_value(k), label, sizeof label);
		buf_printf(out, "%s%s", i ? "; " : "", label);
	}
}

int export_user_label(struct ctx *c, const char *username, char *out, size_t size,
		      struct err *e)
{
	struct query q = {.type = "user", .where = {QEQ("username", SVS(username ? username : ""))}};
	json_t *user, *person = NULL;
	snprintf(out, size, "%s", username ? username : "");
	if (!username || query_first(c, &q, &user, e) < 0)
		return username ? -1 : 0;
	if (!user)
		return 0;
	long long pid = json_int(user, "person");
	struct query pq = {.type = "person", .where = {QEQ("id", SVI(pid))}};
	if (pid && query_first(c, &pq, &person, e) < 0) {
		json_decref(user);
		return -1;
	}
	const char *name = person ? json_str(person, "name") : NULL;
	if (!name || !*name)
		name = json_str(user, "name");
	char role[120];
	export_value_label(c->reg, true, json_str(user, "role"), role, sizeof role);
	snprintf(out, size, "%s (%s)", name && *name ? name : username, role);
	json_decref(person);
	json_decref(user);
	return 0;
}

int export_field_cell(struct export_titles *t, const struct field *f, const json_t *rec,
		      json_t **out, struct err *e)
{
	json_t *v = json_object_get(rec, f->name), *map;
	*out = NULL;
	if (!v || json_is_null(v)) {
		*out = json_null();
		return 0;
	}
	if (f->type == FT_REF || f->type == FT_REFS) {
		const struct record_type *target = registry_find(t->c->reg, f->ref);
		if (!target)
			return err_set(e, ERR_INTERNAL, f->name, "no record type \"%s\"", f->ref);
		if (titles_of(t, target, &map, e) < 0)
			return -1;
		struct buf b = BUF_INIT;
		if (f->type == FT_REF) {
			put_title(&b, map, json_integer_value(v));
		} else {
			size_t i;
			json_t *id;
			json_array_foreach(v, i, id) {
				if (i)
					buf_puts(&b, "; ");
				put_title(&b, map, json_integer_value(id));
			}
		}
		*out = json_string(buf_str(&b));
		buf_release(&b);
		return 0;
	}
	if (f->type == FT_ENUM && json_is_string(v)) {
		char label[200];
		bool roles = (f->flags & F_APP_ROLE) || field_values(t->c->reg, f) == t->c->reg->role_names;
		export_value_label(t->c->reg, roles, json_string_value(v), label, sizeof label);
		*out = json_string(label);
		return 0;
	}
	if (f->type == FT_JSON) {
		size_t i;
		json_t *x;
		bool strings = json_is_array(v);
		json_array_foreach(v, i, x) {
			if (!json_is_string(x))
				strings = false;
		}
		struct buf b = BUF_INIT;
		if (strings) {
			json_array_foreach(v, i, x) {
				if (i)
					buf_puts(&b, "; ");
				buf_puts(&b, json_string_value(x));
			}
		} else {
			char *s = json_canonical(v);
			buf_puts(&b, s);
			free(s);
		}
		*out = json_string(buf_str(&b));
		buf_release(&b);
		return 0;
	}
	*out = json_incref(v);
	return 0;
}
