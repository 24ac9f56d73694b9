/* text.c — NULL-safe string comparison and the strict number parser. */
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool text_to_ll(const char *s, long long min, long long max, long long *out)
{
	if (!s || !*s || !(isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]))))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10); /* lint: allow: the one parser */
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}
