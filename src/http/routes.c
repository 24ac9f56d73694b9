/* routes.c — every HTTP route, its permission and flags. The server checks these centrally
   before a handler runs; a path's first pattern owns it, so literal routes come first. */
#include "api.h"

const struct route http_routes[] = {
	{"GET", "/", api_static, P_PUBLIC, 0, "The web app"},
	{"GET", "/static/:file", api_static, P_PUBLIC, 0, "The web app's files"},
	{"GET", "/healthz", api_health, P_PUBLIC, 0, "Liveness and store check"},
	{"GET", "/metrics", api_metrics, P_PUBLIC, 0, "Prometheus metrics"},
	{"GET", "/api/v1/openapi.json", api_openapi, P_PUBLIC, 0, "This OpenAPI document"},
	{"GET", "/api/v1/meta", api_meta, P_USER, 0, "Record types, fields and roles"},
	{"GET", "/api/v1/changes", api_changes, P_USER, 0, "The change log, newest first"},
	{"GET", "/api/v1/due", api_due, P_USER, 0, "What is due: reviews and actions by date"},
	{"GET", "/api/v1/reading", api_reading, P_USER, 0,
	 "Policies to read: published documents meant for you, and whether you acknowledged "
	 "them"},
	{"GET", "/api/v1/document-versions/:id/diff", api_version_diff, P_USER, 0,
	 "What changed between two versions of a document, line by line (?against=ID)"},
	{"GET", "/api/v1/reports/:report", api_report, P_USER, 0, "A report"},
	{"POST", "/api/v1/session", api_login, P_PUBLIC, R_BODY | R_BODY_REQUIRED | R_NO_TX,
	 "Sign in"},
	{"GET", "/api/v1/session", api_session_get, P_USER, R_PASSWORD_CHANGE, "Who is signed in"},
	{"DELETE", "/api/v1/session", api_logout, P_USER, R_PASSWORD_CHANGE, "Sign out"},
	{"POST", "/api/v1/session/password", api_password, P_USER,
	 R_BODY | R_BODY_REQUIRED | R_PASSWORD_CHANGE, "Change your password"},
	{"GET", "/api/v1/attachments/:id/content", api_attachment_content, P_USER, 0,
	 "Download an evidence file"},
	{"GET", "/api/v1/:type", api_list, P_TYPE_READ, 0, "List records"},
	{"POST", "/api/v1/:type", api_create, P_TYPE_WRITE, R_BODY | R_BODY_REQUIRED,
	 "Create a record"},
	{"GET", "/api/v1/:type/:id", api_get, P_TYPE_READ, 0, "Read a record"},
	{"PATCH", "/api/v1/:type/:id", api_update, P_TYPE_WRITE, R_BODY | R_BODY_REQUIRED,
	 "Change a record"},
	{"DELETE", "/api/v1/:type/:id", api_delete, P_TYPE_WRITE, 0, "Delete a record"},
	{"GET", "/api/v1/:type/:id/history", api_history, P_TYPE_READ, 0,
	 "A record's change history"},
	{"POST", "/api/v1/:type/:id/actions/:action", api_action, P_TYPE_READ, R_BODY,
	 "Take a workflow action"},
	{"GET", "/api/v1/:type/:id/attachments", api_attachments_of, P_TYPE_READ, 0,
	 "A record's evidence files"},
	{"POST", "/api/v1/:type/:id/attachments", api_attach, P_TYPE_WRITE, R_UPLOAD,
	 "Upload an evidence file to a record"},
};

const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];
