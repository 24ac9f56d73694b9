/* server.c — libmicrohttpd glue: request bodies, the central checks every route passes
   before its handler runs, one transaction per request, one place that turns errors into
   JSON, and the security headers every response carries. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include "http.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../base/clock.h"
#include "../base/sec.h"
#include "../base/xalloc.h"
#include "../engine/attachments.h"
#include "../engine/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
			  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static void close_store(void *p)
{
	store_close(p);
}

/* The calling worker thread's store connection, opened on first use. */
static struct store *thread_store(struct http_server *srv, struct err *e)
{
	struct store *s = pthread_getspecific(srv->store_key);
	if (s)
		return s;
	if (store_open_existing(&s, srv->store_target, &srv->stats, e) < 0)
		return NULL;
	pthread_setspecific(srv->store_key, s);
	return s;
}

const char *http_header(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void http_client_address(struct http_req *r, char *out, size_t size)
{
	const char *fwd = r->srv->trust_proxy ? http_header(r, "X-Forwarded-For") : NULL;
	if (fwd && *fwd) {
		const char *last = strrchr(fwd, ',');
		last = last ? last + 1 : fwd;
		while (*last == ' ' || *last == '\t')
			last++;
		size_t n = strcspn(last, " \t");
		snprintf(out, size, "%.*s", (int)(n < 63 ? n : 63), last);
		if (*out)
			return;
	}
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, size, "unknown");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out,
			  (socklen_t)size);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out,
			  (socklen_t)size);
}

bool http_client_tls(struct http_req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_PROTOCOL);
	if (ci && ci->protocol != 0) /* a TLS session (only with an HTTPS daemon) */
		return true;
	const char *proto = r->srv->trust_proxy ? http_header(r, "X-Forwarded-Proto") : NULL;
	return proto && strncasecmp(proto, "https", 5) == 0 && (!proto[5] || proto[5] == ',');
}

void http_reply_json(struct http_req *r, int status, json_t *v)
{
	buf_reset(&r->out);
	r->status = status;
	r->content_type = "application/json";
	if (v) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
		buf_puts(&r->out, s);
		free(s);
		json_decref(v);
	}
}

/* Adds {"html": {"<field>": "<p>…</p>"}}: every Markdown text of the record rendered by the
   server (raw HTML and unsafe links left out), so pages show formatting without parsing
   Markdown themselves. Only single records carry it, never lists. */
static void add_html(const struct record_type *rt, json_t *rec)
{
	json_t *html = json_object();
	for (size_t i = 0; i < rt->nfields; i++) {
		const struct field *f = &rt->fields[i];
		const char *md = json_string_value(json_object_get(rec, f->name));
		if (f->type != FT_MARKDOWN || (f->flags & F_DERIVED) || !md || !*md)
			continue;
		char *out = markdown_to_html(md);
		if (out)
			json_object_set_new(html, f->name, json_string(out));
		free(out);
	}
	json_object_set_new(rec, "html", html);
}

void http_reply_record(struct http_req *r, int status, json_t *rec)
{
	snprintf(r->etag, sizeof r->etag, "\"%lld\"",
		 (long long)json_integer_value(json_object_get(rec, "version")));
	record_add_actions(&r->ctx, r->rt, rec);
	struct err ignored; /* titles are for display; the record stands without them */
	json_t *one = json_build("[O]", rec);
	record_add_ref_titles(&r->ctx, r->rt, one, rec, &ignored);
	json_decref(one);
	add_html(r->rt, rec);
	http_reply_json(r, status, rec);
}

int http_if_match(struct http_req *r, long long *version, struct err *e)
{
	const char *h = http_header(r, "If-Match");
	*version = -1;
	if (!h || strcmp(h, "*") == 0)
		return 0;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	char digits[24];
	size_t n = strlen(h);
	bool quoted = n >= 2 && h[0] == '"' && h[n - 1] == '"';
	snprintf(digits, sizeof digits, "%.*s", quoted ? (int)n - 2 : (int)n, h + quoted);
	if (n > 22 || !text_to_ll(digits, 0, LLONG_MAX, version)) {
		*version = -1;
		return err_set(e, ERR_INVALID, "If-Match", "If-Match must be the record's version, "
							   "as in its ETag");
	}
	return 0;
}

static void reply_error(struct http_req *r, const struct err *e)
{
	json_t *inner = json_build("{s:s, s:s}", "code", err_code_name(e->code), "message",
				  e->message[0] ? e->message : err_code_name(e->code));
	if (e->field[0])
		json_object_set_new(inner, "field", json_string(e->field));
	http_reply_json(r, err_http_status(e->code), json_build("{s:o}", "error", inner));
}

/* Splits the URL path into segments (owned by r). */
static void split_path(struct http_req *r)
{
	const char *p = r->url;
	while (*p && r->nsegs < HTTP_MAX_SEGS) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		r->segs[r->nsegs++] = xstrndup(p, n);
		p += n;
	}
	if (*p) /* deeper than any route */
		r->nsegs = HTTP_MAX_SEGS + 1;
}

static bool pattern_matches(const char *pattern, struct http_req *r)
{
	int i = 0;
	const char *p = pattern;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (i >= r->nsegs || r->nsegs > HTTP_MAX_SEGS)
			return false;
		if (p[0] != ':' && (strlen(r->segs[i]) != n || strncmp(p, r->segs[i], n) != 0))
			return false;
		i++;
		p += n;
	}
	return i == r->nsegs;
}

/* Finds the route: the first pattern that matches the path owns it; then the method
   picks among routes with that pattern (405 with Allow otherwise). */
static int match_route(struct http_req *r, struct err *e)
{
	const char *owner = NULL;
	const struct route *routes = r->srv->routes;
	for (size_t i = 0; i < r->srv->nroutes; i++) {
		if (!pattern_matches(routes[i].pattern, r))
			continue;
		if (!owner) {
			owner = routes[i].pattern;
			r->route_index = (int)i; /* counted here if the method is wrong */
		}
		if (strcmp(owner, routes[i].pattern) != 0)
			continue;
		if (strcmp(routes[i].method, r->method) == 0) {
			r->route = &routes[i];
			r->route_index = (int)i;
			return 0;
		}
		size_t len = strlen(r->allow);
		snprintf(r->allow + len, sizeof r->allow - len, "%s%s", len ? ", " : "",
			 routes[i].method);
	}
	if (!owner)
		return err_set(e, ERR_NOT_FOUND, NULL, "no such resource: %s", r->url);
	return err_set(e, ERR_METHOD, NULL, "%s is not allowed here; use %s", r->method, r->allow);
}

/* Resolves :type and :id in the matched pattern. */
static int resolve_params(struct http_req *r, struct err *e)
{
	const char *p = r->route->pattern;
	for (int i = 0; i < r->nsegs; i++) {
		while (*p == '/')
			p++;
		if (strncmp(p, ":type", 5) == 0) {
			r->rt = registry_find(r->srv->reg, r->segs[i]);
			if (!r->rt || strcmp(r->rt->plural, r->segs[i]) != 0)
				return err_set(e, ERR_NOT_FOUND, NULL, "no record type \"%s\"",
					       r->segs[i]);
		} else if (strncmp(p, ":id", 3) == 0) {
			if (!text_to_ll(r->segs[i], 1, LLONG_MAX, &r->id)) {
				/* All digits yet no id: too large for one, never clamped. */
				bool digits = r->segs[i][0] != '\0';
				for (const char *d = r->segs[i]; *d; d++)
					digits = digits && *d >= '0' && *d <= '9';
				if (digits)
					return err_set(e, ERR_INVALID, "id",
						       "\"%s\" is out of range for a record id",
						       r->segs[i]);
				return err_set(e, ERR_NOT_FOUND, NULL, "\"%s\" is not a record id",
					       r->segs[i]);
			}
		}
		const char *slash = strchr(p, '/');
		p = slash ? slash : p + strlen(p);
	}
	return 0;
}

static int authenticate(struct http_req *r, struct err *e)
{
	const char *auth = http_header(r, "Authorization");
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (users_token_auth(&r->ctx, auth + 7, &r->who, e) < 0)
			return -1;
	} else {
		const char *cookie =
			MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "isms_session");
		if (!cookie)
			return err_set(e, ERR_UNAUTHENTICATED, NULL, "sign in first");
		if (users_session(&r->ctx, cookie, &r->who, e) < 0)
			return -1;
	}
	r->signed_in = true;
	r->ctx.actor = r->who.actor;
	return 0;
}

static bool unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static int parse_body(struct http_req *r, struct err *e)
{
	if (!(r->route->flags & R_BODY))
		return 0;
	if (r->body.len == 0) {
		if (r->route->flags & R_BODY_REQUIRED)
			return err_set(e, ERR_INVALID, NULL, "this request needs a JSON body");
		return 0;
	}
	const char *ct = http_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return err_set(e, ERR_MEDIA_TYPE, NULL, "send JSON with Content-Type: application/json");
	json_error_t je;
	r->json = json_loadb(r->body.data, r->body.len, 0, &je);
	if (!r->json)
		return err_set(e, ERR_INVALID, NULL, "the body is not valid JSON: %s (line %d, column %d)",
			       je.text, je.line, je.column);
	return 0;
}

/* The checks a route declares after it was matched, in order, before its handler. */
static int check_access(struct http_req *r, struct err *e)
{
	if (r->route->perm == P_PUBLIC)
		return parse_body(r, e);
	if (authenticate(r, e) < 0)
		return -1;
	if (r->who.must_change && !(r->route->flags & R_PASSWORD_CHANGE))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "your password was set for one use only; change it first "
			       "(POST /api/v1/session/password)");
	if (r->who.via_cookie && unsafe_method(r->method)) {
		const char *t = http_header(r, "X-CSRF-Token");
		if (!t || !sec_streq(t, r->who.csrf))
			return err_set(e, ERR_CSRF, NULL,
				       "missing or wrong X-CSRF-Token header; reload the page");
	}
	if (r->route->perm == P_TYPE_READ && !record_can_read(&r->ctx, r->rt))
		return err_set(e, ERR_FORBIDDEN, NULL, "your role (%s) may not read %s",
			       registry_role_name(r->ctx.reg, r->ctx.actor.role), r->rt->label_plural);
	if (r->route->perm == P_TYPE_WRITE && !record_can_write(&r->ctx, r->rt))
		return err_set(e, ERR_FORBIDDEN, NULL, "your role (%s) may not change %s",
			       registry_role_name(r->ctx.reg, r->ctx.actor.role), r->rt->label_plural);
	return parse_body(r, e);
}

static int too_large(const struct http_req *r, struct err *e)
{
	if (r->route && (r->route->flags & R_UPLOAD))
		return err_set(e, ERR_TOO_LARGE, NULL,
			       "the file is larger than the upload limit of %zu MiB; nothing was "
			       "stored",
			       r->limit / (1024 * 1024));
	return err_set(e, ERR_TOO_LARGE, NULL, "the body is larger than %zu bytes", r->limit);
}

static void dispatch(struct http_req *r)
{
	struct err e;
	err_clear(&e);
	struct store *s = thread_store(r->srv, &e);
	if (!s) {
		reply_error(r, &e);
		return;
	}
	ctx_init(&r->ctx, s, r->srv->reg);
	if (r->too_large) {
		too_large(r, &e);
		goto fail;
	}
	if (r->route_err.code != ERR_NONE) {
		e = r->route_err;
		goto fail;
	}
	if (resolve_params(r, &e) < 0)
		goto fail;
	/* A read runs entirely in one read transaction, sign-in included; a write signs in
	   first and only then takes the write lock. */
	bool tx = !(r->route->flags & R_NO_TX), write = unsafe_method(r->method);
	if (tx && !write && store_begin(s, false, &e) < 0)
		goto fail;
	if (check_access(r, &e) < 0)
		goto fail;
	if (tx && write && store_begin(s, true, &e) < 0)
		goto fail;
	if (r->route->handler(r, &e) < 0)
		goto fail;
	if (tx && store_commit(s, &e) < 0)
		goto fail;
	return;
fail:
	store_rollback(s);
	reply_error(r, &e);
}

static void add_headers(struct MHD_Response *resp, const struct http_req *r)
{
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control",
				r->cache_control ? r->cache_control : "no-store");
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	if (r->etag[0])
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->cookie);
	if (r->allow[0] && r->status == 405)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, struct http_req *r)
{
	size_t len = r->out.len;
	char *body = buf_detach(&r->out);
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	add_headers(resp, r);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	metrics_count(r->srv->metrics, r->route_index, r->status, clock_mono() - r->started);
	return ret;
}

static void free_req(struct http_req *r)
{
	for (int i = 0; i < r->nsegs && i < HTTP_MAX_SEGS; i++)
		free(r->segs[i]);
	buf_release(&r->body);
	buf_release(&r->out);
	json_decref(r->json);
	free(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct http_server *srv = cls;
	struct http_req *r = *con_cls;
	if (!r) {
		/* First call: headers only. Answer later, or libmicrohttpd drops keep-alive. */
		r = xcalloc(1, sizeof *r);
		r->srv = srv;
		r->conn = conn;
		r->url = url;
		r->method = method;
		r->started = clock_mono();
		r->route_index = -1;
		/* The route decides how large a body may be: uploads take the server's limit. */
		split_path(r);
		err_clear(&r->route_err);
		match_route(r, &r->route_err);
		r->limit = r->route && (r->route->flags & R_UPLOAD) ? srv->max_upload : HTTP_MAX_BODY;
		/* An oversized body is read and dropped so the client sees the 413 (answering
		   before the body arrives makes clients fail writing it); only absurd sizes are
		   refused at once. */
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		long long length = 0;
		if (cl && !text_to_ll(cl, 0, LLONG_MAX, &length))
			length = LLONG_MAX; /* unreadable: refused as too large */
		r->too_large = length > 0 && (unsigned long long)length > r->limit;
		*con_cls = r;
		/* The headers are in: a body (an upload on a slow line) may pause longer. */
		if (length > 0)
			MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
						  srv->client_timeout * HTTP_BODY_TIMEOUT_FACTOR);
		if (length > 0 && (unsigned long long)length > r->limit + HTTP_DRAIN_LIMIT) {
			struct err e;
			too_large(r, &e);
			reply_error(r, &e);
			return send_reply(conn, r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && r->body.len + *upload_size <= r->limit)
			buf_append(&r->body, upload_data, *upload_size);
		else
			r->too_large = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->status) /* already answered */
		return MHD_YES;
	dispatch(r);
	return send_reply(conn, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	/* Between requests a kept-alive connection gets the short timeout again. */
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, srv->client_timeout);
	if (*con_cls)
		free_req(*con_cls);
	*con_cls = NULL;
}

/* How many connections to accept at once: as many as the file descriptor limit allows
   (raised to its hard ceiling) with room left for the store, logs and listening socket, so
   that a flood is refused at accept time instead of breaking the server's own files. */
static unsigned connection_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 900;
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < 65536) {
		rl.rlim_cur = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 20000)
		return 16000;
	return rl.rlim_cur > 256 ? (unsigned)(rl.rlim_cur * 3 / 4) : 64;
}

int http_start(struct http_server *srv, const char *listen, struct err *e)
{
	char host[64];
	unsigned port;
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host || sscanf(colon + 1, "%u", &port) != 1 ||
	    port > 65535)
		return err_set(e, ERR_USAGE, "listen", "--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8080");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return err_set(e, ERR_USAGE, "listen", "\"%s\" is not an IPv4 address", host);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (!srv->client_timeout)
		srv->client_timeout = HTTP_CLIENT_TIMEOUT_DEFAULT;
	if (!srv->per_address_limit && !srv->trust_proxy)
		srv->per_address_limit = HTTP_PER_ADDRESS_DEFAULT;
	pthread_key_create(&srv->store_key, close_store);
	if (!srv->max_upload)
		srv->max_upload = (size_t)ATTACHMENTS_DEFAULT_MIB * 1024 * 1024;
	http_routes_build(srv->reg, &srv->routes, &srv->nroutes);
	srv->metrics = metrics_new(srv->nroutes);
	srv->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cores > 0 ? cores : 2),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT,
		srv->client_timeout, MHD_OPTION_CONNECTION_LIMIT, connection_limit(),
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, srv->per_address_limit, MHD_OPTION_END);
	if (!srv->daemon) {
		metrics_free(srv->metrics);
		free(srv->routes);
		srv->routes = NULL;
		pthread_key_delete(srv->store_key);
		return err_set(e, ERR_INTERNAL, "listen", "cannot listen on %s (in use?)", listen);
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : (unsigned short)port;
	return 0;
}

void http_stop(struct http_server *srv)
{
	if (!srv->daemon)
		return;
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	metrics_free(srv->metrics);
	free(srv->routes);
	srv->routes = NULL;
	pthread_key_delete(srv->store_key);
}
