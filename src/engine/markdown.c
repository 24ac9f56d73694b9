/* markdown.c — CommonMark rendering with libcmark. CMARK_OPT_UNSAFE is deliberately never
   set: without it cmark replaces raw HTML by a comment and blanks unsafe link targets. */
#include "markdown.h"

#include <cmark.h>
#include <string.h>

char *markdown_to_html(const char *md)
{
	if (!md)
		md = "";
	return cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT);
}
