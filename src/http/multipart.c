/* multipart.c — a small multipart/form-data reader: finds the parts between boundary lines,
   and reads the name, filename (also RFC 5987 filename*) and Content-Type of each. */
#include "multipart.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool multipart_param(const char *header, size_t n, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), i = 0;
	while (i < n) {
		/* each parameter follows a ';' */
		while (i < n && header[i] != ';' && header[i] != '"')
			i++;
		if (i < n && header[i] == '"') { /* skip a quoted string in a value */
			for (i++; i < n && header[i] != '"'; i++)
				;
			i++;
			continue;
		}
		if (i >= n)
			return false;
		for (i++; i < n && (header[i] == ' ' || header[i] == '\t'); i++)
			;
		bool match = n - i > klen && strncasecmp(header + i, key, klen) == 0 &&
			     header[i + klen] == '=';
		if (!match)
			continue;
		i += klen + 1;
		size_t o = 0;
		if (i < n && header[i] == '"') {
			/* Browsers write a quote in a name as %22 and leave backslashes alone (they
			   are not escapes here: "C:\\x" stays as it is). */
			for (i++; i < n && header[i] != '"'; i++) {
				bool quote = n - i >= 3 && strncmp(header + i, "%22", 3) == 0;
				if (o + 1 >= size)
					return false;
				out[o++] = quote ? '"' : header[i];
				i += quote ? 2 : 0;
			}
		} else {
			for (; i < n && header[i] != ';' && header[i] != ' ' && header[i] != '\t'; i++) {
				if (o + 1 >= size)
					return false;
				out[o++] = header[i];
			}
		}
		out[o] = '\0';
		return true;
	}
	return false;
}

static int hex(char c)
{
	return isdigit((unsigned char)c) ? c - '0'
	       : isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10
					    : -1;
}

bool multipart_unescape(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (; *in; in++) {
		char c = *in;
		if (c == '%' && hex(in[1]) >= 0 && hex(in[2]) >= 0) {
			c = (char)(hex(in[1]) * 16 + hex(in[2]));
			in += 2;
		}
		if (c == '\0' || o + 1 >= size)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

static bool has_escaped_nul(const char *s)
{
	for (; *s; s++)
		if (s[0] == '%' && s[1] == '0' && s[2] == '0')
			return true;
	return false;
}

/* Reads the header lines of one part (from p up to the blank line) into part. */
static void part_headers(const char *p, size_t n, struct multipart_part *part)
{
	char star[sizeof part->filename];
	while (n > 0) {
		const char *eol = memmem(p, n, "\r\n", 2);
		size_t len = eol ? (size_t)(eol - p) : n;
		if (len > 20 && strncasecmp(p, "Content-Disposition:", 20) == 0) {
			multipart_param(p, len, "name", part->name, sizeof part->name);
			part->has_filename =
				multipart_param(p, len, "filename", part->filename, sizeof part->filename);
			/* A NUL would cut the name short where C strings end: refuse the part. */
			if (memchr(p, '\0', len))
				part->bad_filename = true;
			/* filename*=UTF-8''%E2%82%AC.pdf wins over the plain one */
			if (multipart_param(p, len, "filename*", star, sizeof star) &&
			    strncasecmp(star, "UTF-8''", 7) == 0) {
				if (has_escaped_nul(star + 7))
					part->bad_filename = true;
				else if (multipart_unescape(star + 7, part->filename,
							    sizeof part->filename))
					part->has_filename = true;
			}
		} else if (len > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
			size_t skip = 13;
			while (skip < len && p[skip] == ' ')
				skip++;
			snprintf(part->content_type, sizeof part->content_type, "%.*s",
				 (int)(len - skip), p + skip);
		}
		if (!eol)
			break;
		n -= len + 2;
		p = eol + 2;
	}
}

/* The next delimiter ("\r\n--boundary") at or after p that really ends a part: followed by
   "--" or, after optional spaces and tabs, by CRLF. Content may hold lines that only start
   like the boundary. Returns where the delimiter starts, or NULL. */
static const char *next_delimiter(const char *p, const char *end, const char *delim,
				  size_t dlen)
{
	while (p < end) {
		const char *at = memmem(p, (size_t)(end - p), delim, dlen);
		if (!at)
			return NULL;
		const char *q = at + dlen;
		if (end - q >= 2 && memcmp(q, "--", 2) == 0)
			return at;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (end - q >= 2 && memcmp(q, "\r\n", 2) == 0)
			return at;
		p = at + 1;
	}
	return NULL;
}

int multipart_parse(const char *content_type, const char *body, size_t len,
		    struct multipart_part *parts, int *nparts, struct err *e)
{
	char boundary[80], delim[84];
	*nparts = 0;
	if (!multipart_param(content_type, strlen(content_type), "boundary", boundary,
			     sizeof boundary) ||
	    !boundary[0])
		return err_set(e, ERR_INVALID, NULL,
			       "a multipart/form-data body needs a boundary in its Content-Type");
	size_t dlen = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", boundary);
	/* The first boundary line may open the body without the CRLF before it. */
	const char *p;
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = memmem(body, len, delim, dlen)))
		p += dlen;
	const char *end = body + len;
	while (p) {
		if (end - p >= 2 && memcmp(p, "--", 2) == 0)
			return 0; /* the closing boundary */
		if (end - p < 2 || memcmp(p, "\r\n", 2) != 0)
			break;
		p += 2;
		const char *blank = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!blank)
			break;
		if (*nparts >= MULTIPART_MAX_PARTS)
			return err_set(e, ERR_INVALID, NULL,
				       "the form has more than %d parts", MULTIPART_MAX_PARTS);
		struct multipart_part *part = &parts[(*nparts)++];
		memset(part, 0, sizeof *part);
		part_headers(p, (size_t)(blank - p), part);
		if (part->bad_filename)
			return err_set(e, ERR_INVALID, "filename",
				       "the file name holds a NUL character");
		part->data = blank + 4;
		const char *next = next_delimiter(part->data, end, delim, dlen);
		if (!next)
			break;
		part->len = (size_t)(next - part->data);
		p = next + dlen;
		while (p < end && (*p == ' ' || *p == '\t')) /* transport padding */
			p++;
	}
	return err_set(e, ERR_INVALID, NULL,
		       "the multipart/form-data body is cut short or not well-formed");
}
