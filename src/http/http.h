/* http.h — the HTTP face of isms: a libmicrohttpd server whose routes are a table checked
   centrally (body size, route, auth, CSRF, role, content type) before a handler runs. */
#ifndef ISMS_HTTP_H
#define ISMS_HTTP_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "../base/buf.h"
#include "../engine/record.h"
#include "../engine/view.h"
#include "../engine/users.h"

#define HTTP_MAX_BODY (1024 * 1024) /* JSON bodies */
/* Bodies up to this much beyond a route's limit are read and dropped, so the client sees the
   413; larger ones are refused before reading. */
#define HTTP_DRAIN_LIMIT (16 * 1024 * 1024)
#define HTTP_MAX_SEGS 8
#define HTTP_MAX_ARGS 32

struct http_server;
struct http_req;

/* Route permission, checked before the handler runs. */
enum perm {
	P_PUBLIC,     /* no sign-in */
	P_USER,       /* any signed-in user */
	P_TYPE_READ,  /* a role that may read the :type in the path */
	P_TYPE_WRITE, /* a role that may write the :type in the path */
};

enum route_flags {
	R_BODY = 1u << 0,       /* takes a JSON body (optional unless R_BODY_REQUIRED) */
	R_BODY_REQUIRED = 1u << 1,
	R_NO_TX = 1u << 2,          /* the handler runs its own transactions */
	R_PASSWORD_CHANGE = 1u << 3, /* allowed while a one-time password must be changed */
	R_UPLOAD = 1u << 4, /* takes a raw or multipart body up to the server's upload limit */
};

struct route {
	const char *method, *pattern;
	int (*handler)(struct http_req *r, struct err *e);
	enum perm perm;
	unsigned flags;
	const char *summary; /* for OpenAPI */
	const struct view *view; /* the view a derived route serves (api_view), or NULL */
};

struct http_metrics;

#define HTTP_PER_ADDRESS_DEFAULT 64
#define HTTP_CLIENT_TIMEOUT_DEFAULT 10
#define HTTP_BODY_TIMEOUT_FACTOR 3 /* a body may pause this many times longer than headers */

struct http_server {
	const struct registry *reg;
	const char *store_target;
	size_t max_upload; /* bytes an R_UPLOAD body may have; 0: ATTACHMENTS_DEFAULT_MIB */
	/* A reverse proxy in front says who the client is (the last X-Forwarded-For entry) and
	   whether it came over TLS (X-Forwarded-Proto: https). Off: both headers are ignored. */
	bool trust_proxy;
	/* Slow or hostile clients: connections one address may hold at once (0: the default,
	   HTTP_PER_ADDRESS_DEFAULT, or no cap behind a trusted proxy, which must limit), and
	   seconds a connection may stay silent while its headers or body arrive, or between
	   requests (0: HTTP_CLIENT_TIMEOUT_DEFAULT). */
	unsigned per_address_limit;
	unsigned client_timeout;
	struct store_stats stats;
	pthread_key_t store_key;
	struct http_metrics *metrics;
	void *daemon;
	unsigned short port;
	/* Every route: the paths of views that have their own (derived at start), then the
	   fixed table http_routes. */
	struct route *routes;
	size_t nroutes;
};

struct http_req {
	struct http_server *srv;
	void *conn; /* struct MHD_Connection */
	const char *method, *url;
	struct buf body;
	size_t limit; /* the most body bytes this request's route takes */
	bool too_large;
	struct err route_err; /* why no route matched, found with the headers */
	double started;
	const struct route *route;
	int route_index;
	char *segs[HTTP_MAX_SEGS];
	int nsegs;
	const struct record_type *rt; /* the :type of the path, if any */
	long long id;                 /* the :id of the path, if any */
	json_t *json;                 /* the parsed body, if any */
	struct ctx ctx;
	struct identity who;
	bool signed_in;
	/* the response */
	int status;
	struct buf out;
	const char *content_type;
	const char *cache_control; /* NULL: no-store */
	char etag[32];
	char location[128];
	char cookie[200];
	char allow[64];
	char disposition[1200]; /* Content-Disposition of a download, or "" */
};

extern const struct route http_routes[];
extern const size_t http_nroutes;

/* Starts serving on listen ("127.0.0.1:8080"; port 0 picks a free one). */
int http_start(struct http_server *srv, const char *listen, struct err *e);
void http_stop(struct http_server *srv);

/* Reply helpers for handlers. http_reply_json steals v. */
void http_reply_json(struct http_req *r, int status, json_t *v);
/* Replies with a record: adds the user's actions and the ETag. Steals rec. */
void http_reply_record(struct http_req *r, int status, json_t *rec);
const char *http_header(struct http_req *r, const char *name);
/* The client's IP address as text into out: the peer, or with trust_proxy the last
   X-Forwarded-For entry the proxy added. */
void http_client_address(struct http_req *r, char *out, size_t size);
/* Whether the client's request came over TLS: the connection itself, or with trust_proxy
   X-Forwarded-Proto: https. Cookies then carry Secure. */
bool http_client_tls(struct http_req *r);
/* Parses If-Match into a version (-1 when absent or "*"). */
int http_if_match(struct http_req *r, long long *version, struct err *e);

/* Metrics (metrics.c). */
struct http_metrics *metrics_new(size_t nroutes);
void metrics_free(struct http_metrics *m);
void metrics_count(struct http_metrics *m, int route, int status, double seconds);
void metrics_render(struct http_metrics *m, const struct route *routes,
		    const struct store_stats *stats, struct buf *out);
/* The routes a server answers: a route per view with a path of its own, then the fixed
   table (caller frees *out). */
void http_routes_build(const struct registry *reg, struct route **out, size_t *n);

/* OpenAPI document (openapi.c); caller owns. */
json_t *openapi_document(const struct registry *reg);
/* /api/v1/meta (meta.c) for the signed-in actor; caller owns. */
json_t *meta_document(const struct ctx *c);

#endif
