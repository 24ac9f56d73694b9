/* markdown.h — Markdown to HTML on the server (libcmark, CommonMark), safe by default: raw
   HTML is dropped and links with dangerous schemes (javascript:, vbscript:, file:, most
   data:) are emptied, so a record's text can be shown in any page without running code. */
#ifndef ISMS_MARKDOWN_H
#define ISMS_MARKDOWN_H

/* The HTML for md (NULL counts as ""); caller frees it with free(). NULL if out of memory. */
char *markdown_to_html(const char *md);

#endif
