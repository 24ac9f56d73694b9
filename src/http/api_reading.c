/* api_reading.c — GET /api/v1/reading: the signed-in person's "Policies to read". */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "api.h"
#include "../isms/acknowledgements.h"

#include <string.h>

int api_reading(struct http_req *r, struct err *e)
{
	const char *pending = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "pending");
	if (pending && strcmp(pending, "true") != 0 && strcmp(pending, "false") != 0)
		return err_set(e, ERR_INVALID, "pending", "pending must be true or false");
	json_t *out;
	if (ack_reading(&r->ctx, r->ctx.actor.person_id, pending && strcmp(pending, "true") == 0,
			&out, e) < 0)
		return -1;
	http_reply_json(r, 200, out);
	return 0;
}
