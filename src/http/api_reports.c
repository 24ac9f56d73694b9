/* api_reports.c — GET /api/v1/reports/<name>: heat maps (JSON and SVG) and the exports of
   the SoA, the risk register and the treatment plan (<report>.xlsx|csv|html, the SoA also
   ?version=N). */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "api.h"
#include "../iso27001/c7_3_acknowledgements.h"
#include "../iso27001/c5_leadership.h"
#include "../iso27001/c5_policy_checks.h"
#include "../iso27001/c6_1_2_risks.h"
#include "../report/export.h"
#include "../report/heatmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *query(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static int heatmap_reply(struct http_req *r, bool svg, struct err *e)
{
	const char *kind = query(r, "kind");
	if (!record_can_read(&r->ctx, &risks_type))
		return err_set(e, ERR_FORBIDDEN, NULL, "your role may not read risks");
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

/* "soa.xlsx" → report "soa", format XLSX; 404 for anything else. */
static int export_reply(struct http_req *r, const char *name, struct err *e)
{
	const char *dot = strrchr(name, '.'), *v = query(r, "version");
	enum export_format f;
	char report[64], filename[128];
	long long version = 0;
	if (!dot || (size_t)(dot - name) >= sizeof report || !export_format_parse(dot + 1, &f))
		return err_set(e, ERR_NOT_FOUND, NULL,
			       "no report \"%s\"; there are heatmap, acknowledgements, raci, policy-checks "
			       "and the "
			       "exports %s as .xlsx, .csv or .html",
			       name, EXPORT_REPORTS);
	snprintf(report, sizeof report, "%.*s", (int)(dot - name), name);
	if (v) {
		char *end;
		errno = 0;
		version = strtoll(v, &end, 10);
		if (!*v || *end || errno || version <= 0)
			return err_set(e, ERR_INVALID, "version",
				       "version must be an approved SoA version's number or a "
				       "document version's id");
	}
	if (export_report(&r->ctx, report, f, version, &r->out, filename, sizeof filename, e) < 0)
		return -1;
	r->status = 200;
	r->content_type = export_media_type(f);
	if (f != EXPORT_HTML)
		snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"",
			 filename);
	return 0;
}

/* Acknowledgement progress of every published document, or with ?document=ID who did and
   who did not acknowledge that one. */
static int acknowledgements_reply(struct http_req *r, struct err *e)
{
	const char *d = query(r, "document");
	long long id = 0;
	if (d) {
		char *end;
		errno = 0;
		id = strtoll(d, &end, 10);
		if (!*d || *end || errno || id <= 0)
			return err_set(e, ERR_INVALID, "document", "document must be a document id");
	}
	json_t *out;
	if (ack_progress(&r->ctx, id, &out, e) < 0)
		return -1;
	http_reply_json(r, 200, out);
	return 0;
}

static int raci_reply(struct http_req *r, struct err *e)
{
	json_t *out;
	if (leadership_raci(&r->ctx, &out, e) < 0)
		return -1;
	http_reply_json(r, 200, out);
	return 0;
}

int api_report(struct http_req *r, struct err *e)
{
	const char *name = r->segs[3];
	if (strcmp(name, "heatmap") == 0 || strcmp(name, "heatmap.svg") == 0)
		return heatmap_reply(r, strcmp(name, "heatmap.svg") == 0, e);
	if (strcmp(name, "acknowledgements") == 0)
		return acknowledgements_reply(r, e);
	if (strcmp(name, "raci") == 0)
		return raci_reply(r, e);
	if (strcmp(name, "policy-checks") == 0) {
		json_t *out;
		if (policy_checks(&r->ctx, &out, e) < 0)
			return -1;
		http_reply_json(r, 200, out);
		return 0;
	}
	return export_reply(r, name, e);
}
