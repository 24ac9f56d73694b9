/* record.c — generic create, read, update and delete for every registered record type,
   each write with its reference links and its change-log entry in the caller's transaction. */
#include "../base/json.h"
#include "query.h"
#include "record_internal.h"
#include "../store/changes.h"
#include "../base/xalloc.h"
#include "../base/text.h"
#include "../base/sec.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

/* Logs a change with the record's stored state: derived values a decorated record may
   carry are shown, never logged. A change made by a decision with an effective date carries
   that date and the reason in its detail, beside the time it was keyed in. */
static int log_change(struct ctx *c, const struct record_type *rt, long long id, const char *op,
		      const json_t *state, const json_t *detail, struct err *e)
{
	json_t *dated = NULL;
	if (c->effective_on[0] || c->decided_by) {
		dated = json_is_object(detail) ? json_copy((json_t *)detail) : json_object();
		if (c->effective_on[0])
			json_object_set_new(dated, "effective_on", json_string(c->effective_on));
		if (c->reason)
			json_object_set_new(dated, "reason", json_string(c->reason));
		if (c->decided_by)
			json_object_set_new(dated, "decided_by", json_string(c->decided_by_name));
		detail = dated;
	}
	json_t *stored = json_copy((json_t *)state);
	for (size_t i = 0; i < rt->nfields; i++)
		if (rt->fields[i].flags & F_DERIVED)
			json_object_del(stored, rt->fields[i].name);
	struct change ch = {.record_id = id,
			    .at = c->now,
			    .actor = c->actor.username,
			    .record_type = rt->name,
			    .op = op,
			    .state = stored,
			    .detail = detail};
	int rc = changes_append(c->store, &ch, e);
	json_decref(stored);
	json_decref(dated);
	return rc;
}

/* Rewrites the reference links of one record from its current field values. */
static int write_links(struct ctx *c, const struct record_type *rt, const json_t *rec,
		       struct err *e)
{
	long long id = json_integer_value(json_object_get(rec, "id"));
	struct store_val del[] = {SVS(rt->name), SVI(id)};
	bool any = false;
	for (size_t i = 0; i < rt->nfields; i++)
		any = any || rt->fields[i].type == FT_REF || rt->fields[i].type == FT_REFS;
	if (!any)
		return 0;
	if (store_exec(c->store, "DELETE FROM record_links WHERE from_type = $1 AND from_id = $2",
		       del, 2, e) < 0)
		return -1;
	for (size_t i = 0; i < rt->nfields; i++) {
		const struct field *f = &rt->fields[i];
		if ((f->type != FT_REF && f->type != FT_REFS) || !field_stored(f))
			continue;
		const struct record_type *target = registry_find(c->reg, f->ref);
		json_t *v = json_object_get(rec, f->name), *one = NULL;
		if (f->type == FT_REF) {
			if (!json_is_integer(v))
				continue;
			one = json_array();
			json_array_append(one, v);
			v = one;
		}
		size_t k;
		json_t *x;
		int rc = 0;
		json_array_foreach(v, k, x) {
			struct store_val p[] = {SVS(rt->name), SVI(id), SVS(f->name),
						SVS(target->name), SVI(json_integer_value(x))};
			rc = store_exec(c->store,
					"INSERT INTO record_links (from_type, from_id, field, to_type, "
					"to_id) VALUES ($1, $2, $3, $4, $5)",
					p, 5, e);
			if (rc < 0)
				break;
		}
		json_decref(one);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int record_check_frozen(const struct record_type *rt, const json_t *rec, struct err *e)
{
	const char *state = rt->state_field ? json_string_value(json_object_get(rec, rt->state_field))
					    : NULL;
	for (int i = 0; state && rt->frozen && rt->frozen[i]; i++)
		if (strcmp(state, rt->frozen[i]) == 0)
			return err_set(e, ERR_CONFLICT, rt->state_field,
				       "this %s is %s: it is kept as evidence and cannot be changed "
				       "or deleted; create a new version instead",
				       rt->label, state);
	return 0;
}

void record_seal(const struct record_type *rt, json_t *rec)
{
	char hash[SEC_HASH_HEX];
	if (!rt->seal.json_field)
		return;
	char *canon = json_canonical(json_object_get(rec, rt->seal.json_field));
	sec_sha256_hex(canon, strlen(canon), hash);
	free(canon);
	json_object_set_new(rec, rt->seal.hash_field, json_string(hash));
}

bool record_seal_holds(const struct record_type *rt, const json_t *rec)
{
	char hash[SEC_HASH_HEX];
	const char *stored = rt->seal.hash_field ? json_str(rec, rt->seal.hash_field) : NULL;
	if (!stored || !*stored)
		return true;
	char *canon = json_canonical(json_object_get(rec, rt->seal.json_field));
	sec_sha256_hex(canon, strlen(canon), hash);
	free(canon);
	return strcmp(hash, stored) == 0;
}

int record_check_seal(const struct record_type *rt, const json_t *old, const json_t *rec,
		      struct err *e)
{
	const char *sealed = rt->seal.hash_field ? json_str(old, rt->seal.hash_field) : NULL;
	if (!sealed || !*sealed)
		return 0;
	if (rec && json_equal(json_object_get(old, rt->seal.json_field),
			      json_object_get(rec, rt->seal.json_field)) &&
	    json_equal(json_object_get(old, rt->seal.hash_field),
		       json_object_get(rec, rt->seal.hash_field)))
		return 0;
	return err_set(e, ERR_CONFLICT, rt->seal.json_field,
		       rec ? "this %s's %s are sealed (their SHA-256 is recorded): they never "
			     "change"
			   : "this %s's %s are sealed (their SHA-256 is recorded): it is kept as "
			     "evidence and cannot be deleted",
		       rt->label, rt->seal.json_field);
}

static int check_append_only(const struct record_type *rt, struct err *e)
{
	if (rt->append_only)
		return err_set(e, ERR_CONFLICT, NULL,
			       "a %s is evidence and cannot be changed; delete it if it was recorded "
			       "in error and record it again",
			       rt->label);
	return 0;
}

int record_decorate(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e)
{
	return rt->decorate ? rt->decorate(c, rt, rec, e) : 0;
}

int record_get_stored(struct ctx *c, const struct record_type *rt, long long id, json_t **out,
		      struct err *e)
{
	if (!record_can_read(c, rt))
		return err_set(e, ERR_FORBIDDEN, NULL, "your role may not read %s",
			       rt->label_plural);
	return record_load(c, rt, id, out, e);
}

int record_get(struct ctx *c, const struct record_type *rt, long long id, json_t **out,
	       struct err *e)
{
	if (record_get_stored(c, rt, id, out, e) < 0)
		return -1;
	if (record_decorate(c, rt, *out, e) < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Binds every stored field of rec, in declaration order, starting at p[*n]. */
static void bind_fields(const struct record_type *rt, const json_t *rec, struct store_val *p,
			int *n, char **holds)
{
	for (size_t i = 0; i < rt->nfields; i++) {
		const struct field *f = &rt->fields[i];
		if (!field_stored(f))
			continue;
		p[*n] = record_field_param(f, json_object_get(rec, f->name), &holds[*n]);
		(*n)++;
	}
}

static void free_holds(char **holds, int n)
{
	for (int i = 0; i < n; i++)
		free(holds[i]);
}

int record_create(struct ctx *c, const struct record_type *rt, const json_t *input, json_t **out,
		  struct err *e)
{
	json_t *rec = NULL;
	struct buf sql = BUF_INIT;
	struct store_rows *r = NULL;
	struct store_val *p = xcalloc(rt->nfields + 8, sizeof *p);
	char **holds = xcalloc(rt->nfields + 8, sizeof *holds);
	char *search = NULL;
	int n = 0, ret = -1;
	*out = NULL;
	if (!record_can_write(c, rt)) {
		err_set(e, ERR_FORBIDDEN, NULL, "your role may not create %s", rt->label_plural);
		goto out;
	}
	if (rt->create_hint && !c->system) {
		err_set(e, ERR_INVALID, NULL, "%s", rt->create_hint);
		goto out;
	}
	if (record_validate_input(c, rt, input, NULL, &rec, e) < 0)
		goto out;
	search = record_search_text(rt, rec);
	p[n++] = SVS(c->now);
	p[n++] = SVS(search);
	bind_fields(rt, rec, p, &n, holds);
	buf_printf(&sql, "INSERT INTO \"%s\" (version, created_at, updated_at, _search", rt->table);
	for (size_t i = 0; i < rt->nfields; i++)
		if (field_stored(&rt->fields[i]))
			buf_printf(&sql, ", \"%s\"", rt->fields[i].name);
	buf_puts(&sql, ") VALUES (1, $1, $1, $2");
	for (int i = 3; i <= n; i++)
		buf_printf(&sql, ", $%d", i);
	buf_puts(&sql, ") RETURNING id");
	if (store_query(c->store, sql.data, p, n, &r, e) < 0 || store_next(r, e) <= 0)
		goto out;
	long long id = store_int(r, 0);
	store_rows_free(r);
	r = NULL;
	json_object_set_new(rec, "id", json_integer(id));
	json_object_set_new(rec, "version", json_integer(1));
	json_object_set_new(rec, "created_at", json_string(c->now));
	json_object_set_new(rec, "updated_at", json_string(c->now));
	if (write_links(c, rt, rec, e) < 0 || log_change(c, rt, id, "create", rec, NULL, e) < 0)
		goto out;
	if ((rt->after_write && rt->after_write(c, rt, rec, input, e) < 0) ||
	    record_decorate(c, rt, rec, e) < 0)
		goto out;
	*out = rec;
	rec = NULL;
	ret = 0;
out:
	if (ret < 0 && e->code == ERR_NONE)
		err_set(e, ERR_STORE, NULL, "the %s could not be stored", rt->label);
	store_rows_free(r);
	free_holds(holds, n);
	free(holds);
	free(p);
	free(search);
	buf_release(&sql);
	json_decref(rec);
	return ret;
}

int record_save(struct ctx *c, const struct record_type *rt, json_t *rec,
			long long expect_version, const char *op, const json_t *detail,
			struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_val *p = xcalloc(rt->nfields + 8, sizeof *p);
	char **holds = xcalloc(rt->nfields + 8, sizeof *holds);
	long long id = json_integer_value(json_object_get(rec, "id"));
	char *search = record_search_text(rt, rec);
	int n = 0, ret = -1;
	p[n++] = SVI(id);
	p[n++] = SVI(expect_version);
	p[n++] = SVS(c->now);
	p[n++] = SVS(search);
	buf_printf(&sql,
		   "UPDATE \"%s\" SET version = version + 1, updated_at = $3, _search = $4",
		   rt->table);
	int first = n;
	bind_fields(rt, rec, p, &n, holds);
	int k = first;
	for (size_t i = 0; i < rt->nfields; i++)
		if (field_stored(&rt->fields[i]))
			buf_printf(&sql, ", \"%s\" = $%d", rt->fields[i].name, ++k);
	buf_puts(&sql, " WHERE id = $1 AND version = $2 RETURNING version");
	long long version;
	bool found;
	if (store_query_int(c->store, sql.data, p, n, &version, &found, e) < 0)
		goto out;
	if (!found) {
		err_set(e, ERR_STALE, NULL,
			"this %s was changed by someone else since you loaded it; reload it and "
			"apply your change again",
			rt->label);
		goto out;
	}
	json_object_set_new(rec, "version", json_integer(version));
	json_object_set_new(rec, "updated_at", json_string(c->now));
	if (write_links(c, rt, rec, e) < 0 || log_change(c, rt, id, op, rec, detail, e) < 0)
		goto out;
	ret = 0;
out:
	free_holds(holds, n);
	free(holds);
	free(p);
	free(search);
	buf_release(&sql);
	return ret;
}

static int check_version(const struct record_type *rt, const json_t *rec, long long if_match,
			 struct err *e)
{
	long long v = json_integer_value(json_object_get(rec, "version"));
	if (if_match >= 0 && if_match != v)
		return err_set(e, ERR_STALE, NULL,
			       "this %s is now at version %lld, not %lld: someone else changed it; "
			       "reload it and apply your change again",
			       rt->label, v, if_match);
	return 0;
}

int record_update(struct ctx *c, const struct record_type *rt, long long id, const json_t *input,
		  long long if_match, json_t **out, struct err *e)
{
	json_t *old = NULL, *rec = NULL;
	int ret = -1;
	*out = NULL;
	if (!record_can_write(c, rt)) {
		err_set(e, ERR_FORBIDDEN, NULL, "your role may not change %s", rt->label_plural);
		goto out;
	}
	if (record_load(c, rt, id, &old, e) < 0 || check_version(rt, old, if_match, e) < 0 ||
	    (rt->can_change && !c->system && rt->can_change(c, rt, old, e) < 0) ||
	    record_check_frozen(rt, old, e) < 0 || check_append_only(rt, e) < 0)
		goto out;
	if (record_validate_input(c, rt, input, old, &rec, e) < 0)
		goto out;
	if (record_save(c, rt, rec, json_integer_value(json_object_get(old, "version")),
				"update", NULL, e) < 0)
		goto out;
	if ((rt->after_write && rt->after_write(c, rt, rec, input, e) < 0) ||
	    record_decorate(c, rt, rec, e) < 0)
		goto out;
	*out = rec;
	rec = NULL;
	ret = 0;
out:
	json_decref(old);
	json_decref(rec);
	return ret;
}

static int save_cleared(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e)
{
	return record_save(c, rt, rec, json_integer_value(json_object_get(rec, "version")), "update",
			   NULL, e);
}

/* Clears references to (target, id) in fields marked F_SET_NULL, as ordinary updates, and
   refuses if any other field still refers to it. */
static int release_references(struct ctx *c, const struct record_type *target, long long id,
			      struct err *e)
{
	struct store_rows *r = NULL;
	struct store_val p[] = {SVS(target->name), SVI(id)};
	json_t *refs = json_array(), *rec = NULL;
	const struct record_type *rec_type = NULL;
	int rc, ret = -1;
	if (store_query(c->store,
			"SELECT from_type, from_id, field FROM record_links WHERE to_type = $1 AND "
			"to_id = $2 ORDER BY from_type, from_id, field",
			p, 2, &r, e) < 0)
		goto out;
	while ((rc = store_next(r, e)) > 0)
		json_array_append_new(refs, json_build("[s,I,s]", store_text(r, 0),
						      (json_int_t)store_int(r, 1),
						      store_text(r, 2)));
	if (rc < 0)
		goto out;
	size_t i;
	json_t *ref;
	json_array_foreach(refs, i, ref) {
		const struct record_type *rt = registry_find(c->reg, json_string_value(json_array_get(ref, 0)));
		const char *fname = json_string_value(json_array_get(ref, 2));
		long long from = json_integer_value(json_array_get(ref, 1));
		const struct field *f = rt ? record_field(rt, fname) : NULL;
		if (!f || !(f->flags & F_SET_NULL)) {
			err_set(e, ERR_IN_USE, NULL,
				"this %s cannot be deleted: %s %lld refers to it in %s; change that "
				"first",
				target->label, rt ? rt->label : "a record", from,
				f ? f->label : fname);
			goto out;
		}
	}
	/* Rows come ordered by referring record: clear all its fields in one update. */
	json_array_foreach(refs, i, ref) {
		const struct record_type *rt = registry_find(c->reg, json_string_value(json_array_get(ref, 0)));
		const struct field *f = record_field(rt, json_string_value(json_array_get(ref, 2)));
		long long from = json_integer_value(json_array_get(ref, 1));
		if (!rec || rec_type != rt || json_integer_value(json_object_get(rec, "id")) != from) {
			if (rec && save_cleared(c, rec_type, rec, e) < 0)
				goto out;
			json_decref(rec);
			rec = NULL;
			rec_type = rt;
			if (record_load(c, rt, from, &rec, e) < 0)
				goto out;
		}
		json_t *v = json_object_get(rec, f->name);
		if (f->type == FT_REF) {
			json_object_set_new(rec, f->name, json_null());
		} else {
			json_t *keep = json_array();
			size_t k;
			json_t *x;
			json_array_foreach(v, k, x) if (json_integer_value(x) != id)
				json_array_append(keep, x);
			json_object_set_new(rec, f->name, keep);
		}
	}
	if (rec && save_cleared(c, rec_type, rec, e) < 0)
		goto out;
	ret = 0;
out:
	store_rows_free(r);
	json_decref(rec);
	json_decref(refs);
	return ret;
}

/* Records that hang on others (attached_type_field) stay with them: a record that has some
   is not deleted (409) until they are, so nothing is left attached to nothing. */
static int refuse_if_attached(struct ctx *c, const struct record_type *rt, long long id,
			      struct err *e)
{
	for (size_t i = 0; i < c->reg->ntypes; i++) {
		const struct record_type *on = c->reg->types[i];
		long long n;
		if (!on->attached_type_field || on == rt)
			continue;
		struct query q = {.type = on->name,
				  .where = {QEQ(on->attached_type_field, SVS(rt->plural)),
					    QEQ(on->attached_id_field, SVI(id))}};
		if (query_count(c, &q, &n, e) < 0)
			return -1;
		if (n)
			return err_set(e, ERR_IN_USE, NULL, "this %s has %lld %s; delete %s first",
				       rt->label, n, n == 1 ? on->label : on->label_plural,
				       n == 1 ? "it" : "them");
	}
	return 0;
}

int record_delete(struct ctx *c, const struct record_type *rt, long long id, long long if_match,
		  struct err *e)
{
	json_t *old = NULL;
	int ret = -1;
	char sql[160];
	if (!record_can_write(c, rt)) {
		err_set(e, ERR_FORBIDDEN, NULL, "your role may not delete %s", rt->label_plural);
		goto out;
	}
	if (record_load(c, rt, id, &old, e) < 0 || check_version(rt, old, if_match, e) < 0 ||
	    (rt->can_change && !c->system && rt->can_change(c, rt, old, e) < 0) ||
	    record_check_frozen(rt, old, e) < 0 || record_check_seal(rt, old, NULL, e) < 0)
		goto out;
	if (rt->before_delete && rt->before_delete(c, rt, old, e) < 0)
		goto out;
	if (refuse_if_attached(c, rt, id, e) < 0 || release_references(c, rt, id, e) < 0)
		goto out;
	struct store_val p[] = {SVI(id), SVS(rt->name)};
	snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE id = $1", rt->table);
	if (store_exec(c->store, sql, p, 1, e) < 0 ||
	    store_exec(c->store, "DELETE FROM record_links WHERE from_id = $1 AND from_type = $2", p,
		       2, e) < 0)
		goto out;
	if (log_change(c, rt, id, "delete", NULL, NULL, e) < 0)
		goto out;
	ret = 0;
out:
	json_decref(old);
	return ret;
}

int record_scan(struct ctx *c, const struct record_type *rt,
		int (*fn)(void *arg, long long id, json_t *state), void *arg, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_rows *r = NULL;
	int rc, ret = -1;
	buf_puts(&sql, "SELECT ");
	record_sql_columns(&sql, rt);
	buf_printf(&sql, " FROM \"%s\" ORDER BY id", rt->table);
	if (store_query(c->store, sql.data, NULL, 0, &r, e) < 0)
		goto out;
	while ((rc = store_next(r, e)) > 0) {
		json_t *rec = record_from_row(rt, r);
		rc = fn(arg, store_int(r, 0), rec);
		json_decref(rec);
		if (rc < 0)
			break;
	}
	ret = rc < 0 ? -1 : 0;
out:
	store_rows_free(r);
	buf_release(&sql);
	return ret;
}

int record_title_of(struct ctx *c, const struct record_type *rt, long long id, char *out,
		    size_t size, struct err *e)
{
	char sql[200];
	struct store_val p[] = {SVI(id)};
	struct store_rows *r;
	out[0] = '\0';
	snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE id = $1", rt->title_field,
		 rt->table);
	if (store_query(c->store, sql, p, 1, &r, e) < 0)
		return -1;
	int rc = store_next(r, e);
	if (rc > 0 && store_text(r, 0))
		snprintf(out, size, "%s", store_text(r, 0));
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int record_ids(struct ctx *c, const char *sql, const struct store_val *p, int n, json_t **out,
	       struct err *e)
{
	struct store_rows *r;
	int rc;
	*out = NULL;
	if (store_query(c->store, sql, p, n, &r, e) < 0)
		return -1;
	json_t *ids = json_array();
	while ((rc = store_next(r, e)) > 0)
		json_array_append_new(ids, json_integer(store_int(r, 0)));
	store_rows_free(r);
	if (rc < 0) {
		json_decref(ids);
		return -1;
	}
	*out = ids;
	return 0;
}

/* ---- After a schema upgrade ---------------------------------------------------------- */

struct upgrade {
	struct ctx *c;
	const struct record_type *rt;
	json_t *logged; /* "<id>" -> the canonical text of its last logged state */
	json_t *detail;
	long long changed;
	struct err *e;
};

static int remember_logged(void *arg, long long id, json_t *state)
{
	struct upgrade *u = arg;
	char key[24], *canon = json_canonical(state);
	snprintf(key, sizeof key, "%lld", id);
	json_object_set_new(u->logged, key, json_string(canon));
	free(canon);
	return 0;
}

static int log_if_changed(void *arg, long long id, json_t *row)
{
	struct upgrade *u = arg;
	char key[24], *canon = json_canonical(row);
	snprintf(key, sizeof key, "%lld", id);
	bool same = str_eq(json_string_value(json_object_get(u->logged, key)), canon);
	free(canon);
	if (same)
		return 0;
	u->changed++;
	return log_change(u->c, u->rt, id, "migrate", row, u->detail, u->e);
}

int record_log_upgrade(struct ctx *c, int version, long long *changed, struct err *e)
{
	struct upgrade u = {.c = c, .detail = json_build("{s:i}", "schema_version", version),
			    .e = e};
	int rc = 0;
	for (size_t t = 0; rc == 0 && t < c->reg->ntypes; t++) {
		u.rt = c->reg->types[t];
		u.logged = json_object();
		rc = changes_states_at(c->store, u.rt->name, "9999-12-31T23:59:59Z", remember_logged,
				       &u, e);
		if (rc == 0)
			rc = record_scan(c, u.rt, log_if_changed, &u, e);
		json_decref(u.logged);
	}
	json_decref(u.detail);
	*changed = u.changed;
	return rc < 0 ? -1 : 0;
}

