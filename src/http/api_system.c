/* api_system.c — health, metrics, the meta description and the OpenAPI document. */
#include "api.h"
#include "../base/json.h"
#include "../base/embed.h"

#include <stdio.h>

int api_health(struct http_req *r, struct err *e)
{
	long long one;
	char reason[160];
	if (store_query_int(r->ctx.store, "SELECT 1", NULL, 0, &one, NULL, e) < 0)
		return -1;
	if (store_health(r->ctx.store, reason, sizeof reason) < 0) {
		http_reply_json(r, 503, json_build("{s:s, s:s, s:{s:s, s:s}}", "status", "unavailable",
						  "reason", reason, "error", "code", "unavailable",
						  "message", reason));
		return 0;
	}
	http_reply_json(r, 200, json_build("{s:s}", "status", "ok"));
	return 0;
}

int api_metrics(struct http_req *r, struct err *e)
{
	(void)e;
	r->status = 200;
	metrics_render(r->srv->metrics, r->srv->routes, &r->srv->stats, &r->out);
	r->content_type = "text/plain; version=0.0.4";
	return 0;
}

int api_openapi(struct http_req *r, struct err *e)
{
	(void)e;
	http_reply_json(r, 200, openapi_document(r->srv->reg));
	return 0;
}

int api_meta(struct http_req *r, struct err *e)
{
	(void)e;
	http_reply_json(r, 200, meta_document(&r->ctx));
	return 0;
}

int api_static(struct http_req *r, struct err *e)
{
	char path[160];
	snprintf(path, sizeof path, "web/%s", r->nsegs == 2 ? r->segs[1] : "index.html");
	const struct embedded_file *f = embed_find(path);
	if (!f)
		return err_set(e, ERR_NOT_FOUND, NULL, "no such file: %s", r->url);
	r->status = 200;
	r->content_type = f->media_type;
	r->cache_control = "no-cache";
	buf_append(&r->out, f->data, f->size);
	return 0;
}
