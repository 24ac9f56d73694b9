/* api_session.c — signing in and out, the current session, changing one's password. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include "api.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

static json_t *session_body(const struct http_req *r, const struct identity *who)
{
	return json_build("{s:o, s:s}", "user", users_identity_json(r->ctx.reg, who), "csrf_token",
			 who->csrf);
}

int api_login(struct http_req *r, struct err *e)
{
	const char *username = json_str(r->json, "username");
	const char *password = json_str(r->json, "password");
	char address[64], token[48];
	if (!username || !*username)
		return err_set(e, ERR_INVALID, "username", "username is required");
	if (!password)
		return err_set(e, ERR_INVALID, "password", "password is required");
	http_client_address(r, address, sizeof address);
	if (users_login(&r->ctx, username, password, address, token, &r->who, e) < 0)
		return -1;
	snprintf(r->cookie, sizeof r->cookie,
		 "isms_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
		 USERS_SESSION_HOURS * 3600, http_client_tls(r) ? "; Secure" : "");
	http_reply_json(r, 200, session_body(r, &r->who));
	return 0;
}

int api_session_get(struct http_req *r, struct err *e)
{
	(void)e;
	if (!r->who.via_cookie)
		r->who.csrf[0] = '\0';
	http_reply_json(r, 200, session_body(r, &r->who));
	return 0;
}

int api_logout(struct http_req *r, struct err *e)
{
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "isms_session");
	if (r->who.via_cookie && cookie && users_logout(&r->ctx, cookie, e) < 0)
		return -1;
	snprintf(r->cookie, sizeof r->cookie, "isms_session=; Path=/; HttpOnly; SameSite=Strict; "
		 "Max-Age=0%s", http_client_tls(r) ? "; Secure" : "");
	http_reply_json(r, 204, NULL);
	r->content_type = NULL;
	return 0;
}

int api_password(struct http_req *r, struct err *e)
{
	const char *current = json_str(r->json, "current_password");
	const char *next = json_str(r->json, "new_password");
	if (!current)
		return err_set(e, ERR_INVALID, "current_password", "current_password is required");
	if (!next)
		return err_set(e, ERR_INVALID, "new_password", "new_password is required");
	char address[64];
	http_client_address(r, address, sizeof address);
	if (users_change_password(&r->ctx, &r->who, address, current, next, e) < 0)
		return -1;
	r->who.must_change = false;
	http_reply_json(r, 200, session_body(r, &r->who));
	return 0;
}
