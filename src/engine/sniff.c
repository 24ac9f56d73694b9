/* sniff.c — a small table of leading bytes ("magic numbers") and a UTF-8 text check; enough
   to label the usual evidence files without trusting the uploader's declared type. */
#include "sniff.h"

#include <stdbool.h>
#include <string.h>

static const struct {
	const char *magic;
	size_t len;
	const char *type;
} magics[] = {
	{"%PDF-", 5, "application/pdf"},
	{"\x89PNG\r\n\x1a\n", 8, "image/png"},
	{"\xff\xd8\xff", 3, "image/jpeg"},
	{"GIF87a", 6, "image/gif"},
	{"GIF89a", 6, "image/gif"},
	{"PK\x03\x04", 4, "application/zip"},
};

/* Office Open XML files are ZIP archives whose first entries name their main part. */
static const struct {
	const char *dir, *type;
} ooxml[] = {
	{"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
};

#define OOXML_WINDOW 4096 /* how far into the archive to look for the part names */

static const char *zip_type(const unsigned char *p, size_t len)
{
	size_t n = len < OOXML_WINDOW ? len : OOXML_WINDOW;
	if (!memmem(p, n, "[Content_Types].xml", 19))
		return "application/zip";
	for (size_t i = 0; i < sizeof ooxml / sizeof ooxml[0]; i++)
		if (memmem(p, n, ooxml[i].dir, strlen(ooxml[i].dir)))
			return ooxml[i].type;
	return "application/zip";
}

/* Well-formed UTF-8 without NULs or control characters other than tab, newlines and form
   feed. */
static bool is_text(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f)
				return false;
			i++;
			continue;
		}
		size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
		if (c > 0xf4 || n == 0 || i + n > len)
			return false;
		unsigned cp = c & (0xff >> (n + 1));
		for (size_t k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* no overlong forms, surrogates or values past U+10FFFF */
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n;
	}
	return true;
}

const char *sniff_media_type(const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (len >= magics[i].len && memcmp(p, magics[i].magic, magics[i].len) == 0)
			return strcmp(magics[i].type, "application/zip") == 0 ? zip_type(p, len)
									   : magics[i].type;
	if (len > 0 && is_text(p, len))
		return "text/plain; charset=utf-8";
	return "application/octet-stream";
}
