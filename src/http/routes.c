/* routes.c — every HTTP route, its permission and flags. The server checks these centrally
   before a handler runs; a path's first pattern owns it, so literal routes come first, and
   the routes views declare (their own paths) come before all of these. */
#include "api.h"
#include "../base/xalloc.h"

#include <string.h>

const struct route http_routes[] = {
	{"GET", "/", api_static, P_PUBLIC, 0, "The web app", NULL},
	{"GET", "/static/:file", api_static, P_PUBLIC, 0, "The web app's files", NULL},
	{"GET", "/healthz", api_health, P_PUBLIC, 0, "Liveness and store check", NULL},
	{"GET", "/metrics", api_metrics, P_PUBLIC, 0, "Prometheus metrics", NULL},
	{"GET", "/api/v1/openapi.json", api_openapi, P_PUBLIC, 0, "This OpenAPI document", NULL},
	{"GET", "/api/v1/meta", api_meta, P_USER, 0, "Record types, fields and roles", NULL},
	{"GET", "/api/v1/reports/:report", api_view, P_USER, 0, "A view: /reports/NAME, or a "
	 "format of it, /reports/NAME.EXT", NULL},
	{"POST", "/api/v1/session", api_login, P_PUBLIC, R_BODY | R_BODY_REQUIRED | R_NO_TX,
	 "Sign in", NULL},
	{"GET", "/api/v1/session", api_session_get, P_USER, R_PASSWORD_CHANGE, "Who is signed in", NULL},
	{"DELETE", "/api/v1/session", api_logout, P_USER, R_PASSWORD_CHANGE, "Sign out", NULL},
	{"POST", "/api/v1/session/password", api_password, P_USER,
	 R_BODY | R_BODY_REQUIRED | R_PASSWORD_CHANGE | R_NO_TX, "Change your password", NULL},
	{"GET", "/api/v1/attachments/:id/content", api_attachment_content, P_USER, 0,
	 "Download an evidence file", NULL},
	{"GET", "/api/v1/:type", api_list, P_TYPE_READ, 0, "List records", NULL},
	{"POST", "/api/v1/:type", api_create, P_TYPE_WRITE, R_BODY | R_BODY_REQUIRED,
	 "Create a record", NULL},
	{"GET", "/api/v1/:type/:id", api_get, P_TYPE_READ, 0, "Read a record", NULL},
	{"PATCH", "/api/v1/:type/:id", api_update, P_TYPE_WRITE, R_BODY | R_BODY_REQUIRED,
	 "Change a record", NULL},
	{"DELETE", "/api/v1/:type/:id", api_delete, P_TYPE_WRITE, 0, "Delete a record", NULL},
	{"GET", "/api/v1/:type/:id/history", api_history, P_TYPE_READ, 0,
	 "A record's change history", NULL},
	{"POST", "/api/v1/:type/:id/actions/:action", api_action, P_TYPE_READ, R_BODY,
	 "Take a workflow action", NULL},
	{"GET", "/api/v1/:type/:id/attachments", api_attachments_of, P_TYPE_READ, 0,
	 "A record's evidence files", NULL},
	{"POST", "/api/v1/:type/:id/attachments", api_attach, P_TYPE_WRITE, R_UPLOAD,
	 "Upload an evidence file to a record", NULL},
};

const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];

void http_routes_build(const struct registry *reg, struct route **out, size_t *n)
{
	size_t k = 0;
	*out = xcalloc(reg->nviews + http_nroutes, sizeof **out);
	for (size_t i = 0; i < reg->nviews; i++) {
		const struct view *v = reg->views[i];
		if (v->path)
			(*out)[k++] = (struct route){"GET", v->path, api_view, P_USER, 0, v->summary, v};
	}
	memcpy(*out + k, http_routes, http_nroutes * sizeof *http_routes);
	*n = k + http_nroutes;
}
