/* api_changes.c — GET /api/v1/changes: the audit trail across every record type the user
   may read, newest first, filterable by type and actor; and GET /api/v1/due. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "api.h"
#include "../base/buf.h"
#include "../engine/due.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TYPES 60

int api_changes(struct http_req *r, struct err *e)
{
	const char *type = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "type");
	const char *actor = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "actor");
	const char *ls = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "limit");
	const char *os = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "offset");
	long long limit = ls ? strtoll(ls, NULL, 10) : 50, offset = os ? strtoll(os, NULL, 10) : 0;
	struct store_val p[MAX_TYPES + 4];
	struct buf where = BUF_INIT, sql = BUF_INIT;
	struct store_rows *rows = NULL;
	json_t *items = NULL;
	int n = 0, ret = -1, rc;
	long long total;
	if (limit < 1 || limit > 500)
		return err_set(e, ERR_INVALID, "limit", "limit must be between 1 and 500");
	if (offset < 0)
		return err_set(e, ERR_INVALID, "offset", "offset must not be negative");
	const struct record_type *only = NULL;
	if (type && *type) {
		only = registry_find(r->srv->reg, type);
		if (!only || !record_can_read(&r->ctx, only))
			return err_set(e, ERR_INVALID, "type", "no record type \"%s\" you may read", type);
	}
	buf_puts(&where, " WHERE record_type IN (");
	for (size_t i = 0; i < r->srv->reg->ntypes && n < MAX_TYPES; i++) {
		const struct record_type *rt = r->srv->reg->types[i];
		if ((only && rt != only) || !record_can_read(&r->ctx, rt))
			continue;
		p[n++] = SVS(rt->name);
		buf_printf(&where, "%s$%d", n > 1 ? ", " : "", n);
	}
	if (n == 0)
		buf_puts(&where, "NULL");
	buf_putc(&where, ')');
	if (actor && *actor) {
		p[n++] = SVS(actor);
		buf_printf(&where, " AND actor = $%d", n);
	}
	buf_printf(&sql, "SELECT count(*) FROM changes%s", where.data);
	if (store_query_int(r->ctx.store, sql.data, p, n, &total, NULL, e) < 0)
		goto out;
	buf_reset(&sql);
	buf_printf(&sql,
		   "SELECT seq, at, actor, record_type, record_id, op, state FROM changes%s "
		   "ORDER BY seq DESC LIMIT $%d OFFSET $%d",
		   where.data, n + 1, n + 2);
	p[n] = SVI(limit);
	p[n + 1] = SVI(offset);
	if (store_query(r->ctx.store, sql.data, p, n + 2, &rows, e) < 0)
		goto out;
	items = json_array();
	while ((rc = store_next(rows, e)) > 0) {
		const struct record_type *rt = registry_find(r->srv->reg, store_text(rows, 3));
		json_t *state = store_text(rows, 6) ? json_loads(store_text(rows, 6), 0, NULL) : NULL;
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "seq",
					 (json_int_t)store_int(rows, 0), "at", store_text(rows, 1),
					 "actor", store_text(rows, 2), "type",
					 rt ? rt->plural : store_text(rows, 3), "id",
					 (json_int_t)store_int(rows, 4), "op", store_text(rows, 5),
					 "title", rt && state ? record_title(rt, state) : ""));
		json_decref(state);
	}
	if (rc < 0)
		goto out;
	http_reply_json(r, 200, json_pack("{s:O, s:I}", "items", items, "total", (json_int_t)total));
	ret = 0;
out:
	store_rows_free(rows);
	json_decref(items);
	buf_release(&where);
	buf_release(&sql);
	return ret;
}

/* GET /api/v1/due?mine=true&days=30 */
