/* api_records.c — the generic record routes, for every registered type. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "api.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../base/clock.h"
#include "../store/changes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

struct args {
	struct list_query q;
	const char *names[HTTP_MAX_ARGS], *values[HTTP_MAX_ARGS];
	const char *limit, *offset, *as_of;
	bool too_many;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	struct args *a = cls;
	if (!value)
		value = "";
	if (strcmp(key, "q") == 0)
		a->q.q = value;
	else if (strcmp(key, "sort") == 0)
		a->q.sort = value;
	else if (strcmp(key, "limit") == 0)
		a->limit = value;
	else if (strcmp(key, "offset") == 0)
		a->offset = value;
	else if (strcmp(key, "as_of") == 0)
		a->as_of = value;
	else if (a->q.nfilters < HTTP_MAX_ARGS) {
		a->names[a->q.nfilters] = key;
		a->values[a->q.nfilters++] = value;
	} else
		a->too_many = true;
	return MHD_YES;
}

static int number_arg(const char *name, const char *s, long long def, long long *out,
		      struct err *e)
{
	if (!s) {
		*out = def;
		return 0;
	}
	if (!text_to_ll(s, LLONG_MIN, LLONG_MAX, out))
		return err_set(e, ERR_INVALID, name, "%s must be a whole number", name);
	return 0;
}

int api_list(struct http_req *r, struct err *e)
{
	struct args a = {0};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect, &a);
	if (a.too_many)
		return err_set(e, ERR_INVALID, NULL, "too many query parameters");
	if (number_arg("limit", a.limit, 50, &a.q.limit, e) < 0 ||
	    number_arg("offset", a.offset, 0, &a.q.offset, e) < 0)
		return -1;
	a.q.filter_names = a.names;
	a.q.filter_values = a.values;
	char as_of[CLOCK_TS_LEN];
	if (a.as_of) {
		if (!clock_parse_rfc3339(a.as_of, as_of))
			return err_set(e, ERR_INVALID, "as_of",
				       "as_of must be an RFC 3339 time, e.g. 2026-06-30T23:59:59Z");
		a.q.as_of = as_of;
	}
	json_t *out;
	if (record_list(&r->ctx, r->rt, &a.q, &out, e) < 0)
		return -1;
	http_reply_json(r, 200, out);
	return 0;
}

int api_get(struct http_req *r, struct err *e)
{
	json_t *rec;
	const char *as_of = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "as_of");
	if (as_of) {
		char ts[CLOCK_TS_LEN];
		if (!clock_parse_rfc3339(as_of, ts))
			return err_set(e, ERR_INVALID, "as_of",
				       "as_of must be an RFC 3339 time, e.g. 2026-06-30T23:59:59Z");
		if (record_get_as_of(&r->ctx, r->rt, r->id, ts, &rec, e) < 0)
			return -1;
		json_t *one = json_build("[O]", rec);
		int rc = record_add_ref_titles(&r->ctx, r->rt, one, rec, e);
		json_decref(one);
		if (rc < 0) {
			json_decref(rec);
			return -1;
		}
		json_object_set_new(rec, "actions", json_array());
		json_object_set_new(rec, "as_of", json_string(ts));
		http_reply_json(r, 200, rec);
		return 0;
	}
	if (record_get(&r->ctx, r->rt, r->id, &rec, e) < 0)
		return -1;
	http_reply_record(r, 200, rec);
	return 0;
}

int api_create(struct http_req *r, struct err *e)
{
	json_t *rec;
	if (record_create(&r->ctx, r->rt, r->json, &rec, e) < 0)
		return -1;
	snprintf(r->location, sizeof r->location, "/api/v1/%s/%lld", r->rt->plural,
		 (long long)json_integer_value(json_object_get(rec, "id")));
	http_reply_record(r, 201, rec);
	return 0;
}

int api_update(struct http_req *r, struct err *e)
{
	json_t *rec;
	long long if_match;
	if (http_if_match(r, &if_match, e) < 0 ||
	    record_update(&r->ctx, r->rt, r->id, r->json, if_match, &rec, e) < 0)
		return -1;
	http_reply_record(r, 200, rec);
	return 0;
}

int api_delete(struct http_req *r, struct err *e)
{
	long long if_match;
	if (http_if_match(r, &if_match, e) < 0 ||
	    record_delete(&r->ctx, r->rt, r->id, if_match, e) < 0)
		return -1;
	http_reply_json(r, 204, NULL);
	r->content_type = NULL;
	return 0;
}

int api_history(struct http_req *r, struct err *e)
{
	json_t *out;
	if (changes_history(r->ctx.store, r->rt->name, r->id, r->rt->label, &out, e) < 0)
		return -1;
	http_reply_json(r, 200, out);
	return 0;
}

int api_action(struct http_req *r, struct err *e)
{
	json_t *rec;
	long long if_match;
	if (http_if_match(r, &if_match, e) < 0 ||
	    record_act(&r->ctx, r->rt, r->id, r->segs[5], r->json, if_match, &rec, e) < 0)
		return -1;
	http_reply_record(r, 200, rec);
	return 0;
}
