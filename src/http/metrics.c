/* metrics.c — Prometheus counters: requests by route, method and status, a latency
   histogram, store errors. Per process, lock-free. */
#include "http.h"
#include "../base/xalloc.h"

#include <stdlib.h>

static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 405, 409, 412, 413, 415, 429, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0])
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

struct http_metrics {
	size_t nroutes; /* slot nroutes counts requests that matched no route */
	atomic_ulong *counts; /* [(nroutes + 1) * (NSTATUS + 1)] — last column: other statuses */
	atomic_ulong buckets[NBOUNDS + 1];
	atomic_ulong micros, total;
};

struct http_metrics *metrics_new(size_t nroutes)
{
	struct http_metrics *m = xcalloc(1, sizeof *m);
	m->nroutes = nroutes;
	m->counts = xcalloc((nroutes + 1) * (NSTATUS + 1), sizeof *m->counts);
	return m;
}

void metrics_free(struct http_metrics *m)
{
	if (!m)
		return;
	free(m->counts);
	free(m);
}

void metrics_count(struct http_metrics *m, int route, int status, double seconds)
{
	size_t ri = route < 0 ? m->nroutes : (size_t)route, si = NSTATUS;
	for (size_t i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			si = i;
	atomic_fetch_add(&m->counts[ri * (NSTATUS + 1) + si], 1);
	size_t b = 0;
	while (b < NBOUNDS && seconds > bounds[b])
		b++;
	atomic_fetch_add(&m->buckets[b], 1);
	atomic_fetch_add(&m->micros, (unsigned long)(seconds * 1e6));
	atomic_fetch_add(&m->total, 1);
}

void metrics_render(struct http_metrics *m, const struct route *routes,
		    const struct store_stats *stats, struct buf *out)
{
	buf_puts(out, "# HELP isms_http_requests_total HTTP requests by route, method and status.\n"
		      "# TYPE isms_http_requests_total counter\n");
	for (size_t ri = 0; ri <= m->nroutes; ri++) {
		for (size_t si = 0; si <= NSTATUS; si++) {
			unsigned long n = atomic_load(&m->counts[ri * (NSTATUS + 1) + si]);
			if (!n)
				continue;
			const char *route = ri < m->nroutes ? routes[ri].pattern : "unmatched";
			const char *method = ri < m->nroutes ? routes[ri].method : "any";
			if (si < NSTATUS)
				buf_printf(out,
					   "isms_http_requests_total{route=\"%s\",method=\"%s\","
					   "status=\"%d\"} %lu\n",
					   route, method, statuses[si], n);
			else
				buf_printf(out,
					   "isms_http_requests_total{route=\"%s\",method=\"%s\","
					   "status=\"other\"} %lu\n",
					   route, method, n);
		}
	}
	buf_puts(out, "# HELP isms_http_request_duration_seconds Time to answer a request.\n"
		      "# TYPE isms_http_request_duration_seconds histogram\n");
	unsigned long cumulative = 0;
	for (size_t b = 0; b <= NBOUNDS; b++) {
		cumulative += atomic_load(&m->buckets[b]);
		if (b < NBOUNDS)
			buf_printf(out, "isms_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n",
				   bounds[b], cumulative);
		else
			buf_printf(out, "isms_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n",
				   cumulative);
	}
	buf_printf(out, "isms_http_request_duration_seconds_sum %.6f\n",
		   (double)atomic_load(&m->micros) / 1e6);
	buf_printf(out, "isms_http_request_duration_seconds_count %lu\n", atomic_load(&m->total));
	buf_printf(out,
		   "# HELP isms_store_errors_total Store errors (connection, statement).\n"
		   "# TYPE isms_store_errors_total counter\n"
		   "isms_store_errors_total %lu\n",
		   atomic_load(&stats->errors));
}
