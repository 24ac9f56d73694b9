/* ceiling.c — the fastest a libmicrohttpd server can answer on this machine, for comparison
   with isms: the same daemon options as isms (internal polling thread + epoll, a thread pool
   of one thread per core) and the same two-phase access handler that keeps connections
   alive, answering every request with a fixed 200-byte JSON body from memory.

   usage: ceiling [PORT]   (default 0: any free port; prints "listening on http://127.0.0.1:PORT")
   Stops on SIGTERM or SIGINT. */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BODY_LEN 200

static char body[BODY_LEN + 1];
static volatile sig_atomic_t stop;
static int marker; /* *con_cls after the first call for a request */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A JSON object padded to exactly BODY_LEN bytes, shaped like a people record. */
static void make_body(void)
{
	static const char head[] = "{\"id\":4242,\"version\":1,\"name\":\"Benchmark Person\","
				   "\"email\":\"bench.person@example.com\",\"department\":"
				   "\"Engineering\",\"active\":true,\"pad\":\"";
	size_t n = strlen(head);
	memcpy(body, head, n);
	while (n < BODY_LEN - 2)
		body[n++] = 'x';
	body[n++] = '"';
	body[n++] = '}';
	body[n] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		/* First call: headers only. Queueing now would make 0.9.75 drop keep-alive. */
		*con_cls = &marker;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(BODY_LEN, body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned port = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 0;
	make_body();
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	struct sigaction act = {.sa_handler = on_signal};
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cores > 0 ? cores : 2),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)2000, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ceiling: cannot listen on 127.0.0.1:%u\n", port);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://127.0.0.1:%u\n", info ? (unsigned)info->port : port);
	fflush(stdout);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	return 0;
}
