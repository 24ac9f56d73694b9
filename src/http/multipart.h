/* multipart.h — reading a multipart/form-data body (RFC 7578) as a browser's file form sends
   it, and the header parameter and percent-decoding helpers it needs. */
#ifndef ISMS_MULTIPART_H
#define ISMS_MULTIPART_H
#include <stdbool.h>
#include <stddef.h>

#include "../base/err.h"

#define MULTIPART_MAX_PARTS 8

/* One part; data points into the body it was parsed from. */
struct multipart_part {
	char name[64];
	char filename[768]; /* "" when the part is not a file */
	char content_type[128];
	bool has_filename;
	bool bad_filename; /* it holds a NUL (raw or %00): refused, never cut short */
	const char *data;
	size_t len;
};

/* Splits body (len bytes, may hold NULs) into its parts, at most MULTIPART_MAX_PARTS, by the
   boundary named in content_type. ERR_INVALID when the body is not well-formed or a file
   name holds a NUL. */
int multipart_parse(const char *content_type, const char *body, size_t len,
		    struct multipart_part *parts, int *nparts, struct err *e);

/* The value of parameter key in a header value such as `form-data; name="file"` (quoted or
   not, key compared without case) into out; false if absent or too long. */
bool multipart_param(const char *header, size_t n, const char *key, char *out, size_t size);

/* Decodes %XX escapes of in into out (NUL-terminated); false if the result would hold a NUL
   or not fit. */
bool multipart_unescape(const char *in, char *out, size_t size);

#endif
