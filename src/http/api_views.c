/* api_views.c — every declared view over HTTP: GET /api/v1/reports/NAME (JSON),
   /api/v1/reports/NAME.EXT (a format of it: SVG, XLSX, CSV, printable HTML), and the views
   with paths of their own (/api/v1/reading, /api/v1/due, …). Parameters come from the
   query string or the path; anything the view does not declare is refused. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "api.h"
#include "../base/text.h"

#include <stdio.h>
#include <string.h>

/* A parameter's text: a :name segment of the view's path, else the query string's. */
static const char *param_text(void *arg, const char *name)
{
	struct http_req *r = arg;
	const char *p = r->route->pattern;
	for (int i = 0; i < r->nsegs; i++) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (p[0] == ':' && n - 1 == strlen(name) && strncmp(p + 1, name, n - 1) == 0)
			return r->segs[i];
		p += n;
	}
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct unknown {
	const struct view *v;
	char name[64];
};

static enum MHD_Result find_unknown(void *arg, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	(void)kind;
	(void)value;
	struct unknown *u = arg;
	for (size_t i = 0; i < u->v->nparams; i++)
		if (strcmp(u->v->params[i].name, key) == 0)
			return MHD_YES;
	snprintf(u->name, sizeof u->name, "%s", key);
	return MHD_NO;
}

/* "soa.xlsx" → the view soa and its xlsx format; 404 for anything else. */
static int find_view(struct http_req *r, const struct view **v, const struct view_format **f,
		     struct err *e)
{
	if (r->route->view) {
		*v = r->route->view;
		*f = NULL;
		return 0;
	}
	const char *name = r->segs[3], *dot = strrchr(name, '.');
	char base[64];
	snprintf(base, sizeof base, "%.*s", dot ? (int)(dot - name) : (int)strlen(name), name);
	*v = view_find(r->srv->reg, base);
	*f = *v && dot ? view_format_find(*v, dot + 1) : NULL;
	if (!*v || (*v)->path || (dot && !*f) || (!dot && !(*v)->run))
		return err_set(e, ERR_NOT_FOUND, NULL, "no report \"%s\"", name);
	return 0;
}

int api_view(struct http_req *r, struct err *e)
{
	const struct view *v;
	const struct view_format *f;
	struct view_args a;
	struct unknown u = {0};
	if (find_view(r, &v, &f, e) < 0)
		return -1;
	u.v = v;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, find_unknown, &u);
	if (u.name[0])
		return err_set(e, ERR_INVALID, u.name, "%s takes no parameter \"%s\"", v->name,
			       u.name);
	if (view_check_access(&r->ctx, v, e) < 0 || view_parse_args(v, param_text, r, &a, e) < 0)
		return -1;
	if (!f) {
		json_t *out;
		if (v->run(&r->ctx, &a, &out, e) < 0)
			return -1;
		http_reply_json(r, 200, out);
		return 0;
	}
	char filename[128] = "";
	if (f->write(&r->ctx, &a, f, &r->out, filename, sizeof filename, e) < 0)
		return -1;
	r->status = 200;
	r->content_type = f->media_type;
	if (f->download)
		snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"",
			 filename);
	return 0;
}
