/* api_reading.c — the policy framework's own routes: GET /api/v1/reading (the signed-in
   person's "Policies to read") and GET /api/v1/document-versions/:id/diff?against=ID. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "api.h"
#include "../iso27001/c7_3_acknowledgements.h"
#include "../iso27001/c7_5_documents.h"

#include <errno.h>
#include <stdlib.h>

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

/* The diff from version ?against=ID (the older one, usually) to the version in the path. */
int api_version_diff(struct http_req *r, struct err *e)
{
	const char *s = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "against");
	char *end;
	errno = 0;
	long long against = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || against <= 0)
		return err_set(e, ERR_INVALID, "against",
			       "against must be the id of the version to compare with");
	json_t *out;
	if (documents_diff(&r->ctx, against, r->id, &out, e) < 0)
		return -1;
	http_reply_json(r, 200, out);
	return 0;
}
