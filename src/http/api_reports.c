/* api_reports.c — GET /api/v1/reports/<name>: heat maps (JSON and SVG). */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "api.h"
#include "../isms/risk.h"
#include "../report/heatmap.h"

#include <string.h>

int api_report(struct http_req *r, struct err *e)
{
	const char *name = r->segs[3];
	const char *kind = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "kind");
	if (!record_can_read(&r->ctx, &risks_type))
		return err_set(e, ERR_FORBIDDEN, NULL, "your role may not read risks");
	bool svg = strcmp(name, "heatmap.svg") == 0;
	if (!svg && strcmp(name, "heatmap") != 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "no report \"%s\"", name);
	json_t *map;
	if (heatmap_build(&r->ctx, kind ? kind : "inherent", &map, e) < 0)
		return -1;
	if (!svg) {
		http_reply_json(r, 200, map);
		return 0;
	}
	r->status = 200;
	r->content_type = "image/svg+xml";
	heatmap_svg(map, &r->out);
	json_decref(map);
	return 0;
}
