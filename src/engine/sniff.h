/* sniff.h — what a file is, judged from its bytes rather than from what the sender said. */
#ifndef ISMS_SNIFF_H
#define ISMS_SNIFF_H
#include <stddef.h>

/* The media type of data: PDF, PNG, JPEG, GIF, ZIP (and the Office Open XML formats inside
   ZIP), UTF-8 text, else application/octet-stream. Returns a static string. */
const char *sniff_media_type(const void *data, size_t len);

#endif
