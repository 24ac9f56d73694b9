/* api_attachments.c — evidence files over HTTP: upload to a record (a raw body named by
   ?filename= or X-Filename, or a multipart form), a record's files, and downloads that are
   always attachments, never shown inline. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "api.h"
#include "multipart.h"
#include "../base/json.h"
#include "../engine/attachments.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *query(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* Fills up from a multipart form: the part named "file" (else the first with a filename)
   and a "description" part. up then points into parts and desc, which the caller owns. */
static int upload_from_form(struct http_req *r, const char *ct, struct multipart_part *parts,
			    struct buf *desc, struct attachment_upload *up, struct err *e)
{
	int n;
	const struct multipart_part *file = NULL;
	if (multipart_parse(ct, r->body.data ? r->body.data : "", r->body.len, parts, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (parts[i].has_filename && (!file || strcmp(parts[i].name, "file") == 0))
			file = &parts[i];
		if (strcmp(parts[i].name, "description") == 0 && !parts[i].has_filename) {
			buf_append(desc, parts[i].data, parts[i].len);
			up->description = desc->data;
		}
	}
	if (!file)
		return err_set(e, ERR_INVALID, "file",
			       "the form has no file: send it in a part named \"file\" with a "
			       "filename");
	up->filename = file->filename;
	up->media_type = file->content_type[0] ? file->content_type : NULL;
	up->data = file->data;
	up->len = file->len;
	return 0;
}

/* Fills up from a raw body named by ?filename= or a percent-encoded X-Filename header. */
static int upload_from_body(struct http_req *r, const char *ct, char *name, size_t size,
			    struct attachment_upload *up, struct err *e)
{
	const char *q = NULL, *h = http_header(r, "X-Filename");
	size_t qlen = 0;
	if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, "filename", 8, &q,
					  &qlen) != MHD_YES)
		q = NULL;
	if (q && strlen(q) != qlen) /* a %00 would cut the name short */
		return err_set(e, ERR_INVALID, "filename", "the file name holds a NUL character");
	if (q)
		snprintf(name, size, "%s", q);
	else if (h && !multipart_unescape(h, name, size))
		return err_set(e, ERR_INVALID, "filename",
			       "X-Filename must be the file name, percent-encoded as UTF-8");
	if (!q && !h)
		return err_set(e, ERR_INVALID, "filename",
			       "name the file: ?filename=NAME or an X-Filename header, or send a "
			       "multipart/form-data form with a file part");
	up->filename = name;
	up->media_type = ct;
	up->description = query(r, "description");
	up->data = r->body.data ? r->body.data : "";
	up->len = r->body.len;
	return 0;
}

int api_attach(struct http_req *r, struct err *e)
{
	struct multipart_part parts[MULTIPART_MAX_PARTS];
	struct attachment_upload up = {0};
	struct buf desc = BUF_INIT;
	char name[768];
	json_t *rec;
	int ret = -1;
	const char *ct = http_header(r, "Content-Type");
	if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		if (upload_from_form(r, ct, parts, &desc, &up, e) < 0)
			goto out;
	} else if (upload_from_body(r, ct, name, sizeof name, &up, e) < 0) {
		goto out;
	}
	if (attachments_add(&r->ctx, r->rt, r->id, &up, &rec, e) < 0)
		goto out;
	long long id = json_integer_value(json_object_get(rec, "id"));
	snprintf(r->location, sizeof r->location, "/api/v1/attachments/%lld", id);
	r->rt = &attachments_type; /* the reply is the attachment, not its record */
	http_reply_record(r, 201, rec);
	ret = 0;
out:
	buf_release(&desc);
	return ret;
}

int api_attachments_of(struct http_req *r, struct err *e)
{
	char id[24];
	json_t *owner, *out;
	if (record_get(&r->ctx, r->rt, r->id, &owner, e) < 0)
		return -1;
	json_decref(owner);
	snprintf(id, sizeof id, "%lld", r->id);
	const char *names[] = {"record_type", "record_id"}, *values[] = {r->rt->plural, id};
	struct list_query q = {.limit = 500, .filter_names = names, .filter_values = values,
			       .nfilters = 2};
	if (record_list(&r->ctx, &attachments_type, &q, &out, e) < 0)
		return -1;
	http_reply_json(r, 200, out);
	return 0;
}

/* attachment; filename="plain ASCII fallback"; filename*=UTF-8''percent-encoded (RFC 6266,
   RFC 5987), so every browser saves the file under its name and none shows it inline. */
static void disposition(const char *filename, char *out, size_t size)
{
	struct buf b = BUF_INIT;
	const unsigned char *p;
	buf_puts(&b, "attachment; filename=\"");
	for (p = (const unsigned char *)filename; *p; p++)
		buf_putc(&b, *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? (char)*p : '_');
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (p = (const unsigned char *)filename; *p; p++) {
		if (isalnum(*p) || strchr("!#$&+-.^_`|~", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	snprintf(out, size, "%s", buf_str(&b));
	buf_release(&b);
}

int api_attachment_content(struct http_req *r, struct err *e)
{
	json_t *rec;
	if (attachments_read(&r->ctx, r->id, &rec, &r->out, e) < 0)
		return -1;
	r->status = 200;
	r->content_type = "application/octet-stream";
	disposition(json_str(rec, "filename"), r->disposition, sizeof r->disposition);
	json_decref(rec);
	return 0;
}
