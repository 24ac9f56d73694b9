/* api.h — route handlers. Each parses, calls the domain and replies; errors go back
   through e and are rendered in one place (server.c). */
#ifndef ISMS_API_H
#define ISMS_API_H
#include "http.h"

int api_static(struct http_req *r, struct err *e);
int api_health(struct http_req *r, struct err *e);
int api_metrics(struct http_req *r, struct err *e);
int api_openapi(struct http_req *r, struct err *e);
int api_meta(struct http_req *r, struct err *e);
int api_login(struct http_req *r, struct err *e);
int api_session_get(struct http_req *r, struct err *e);
int api_logout(struct http_req *r, struct err *e);
int api_password(struct http_req *r, struct err *e);
int api_view(struct http_req *r, struct err *e);
int api_list(struct http_req *r, struct err *e);
int api_create(struct http_req *r, struct err *e);
int api_get(struct http_req *r, struct err *e);
int api_update(struct http_req *r, struct err *e);
int api_delete(struct http_req *r, struct err *e);
int api_history(struct http_req *r, struct err *e);
int api_action(struct http_req *r, struct err *e);
int api_attach(struct http_req *r, struct err *e);
int api_attachments_of(struct http_req *r, struct err *e);
int api_attachment_content(struct http_req *r, struct err *e);

#endif
