/* embed.h — files built into the binary (the web app, shipped data), by tools/embed.c. */
#ifndef ISMS_EMBED_H
#define ISMS_EMBED_H
#include <stddef.h>

struct embedded_file {
	const char *path; /* as given at build time, e.g. "web/index.html" */
	const char *media_type;
	const unsigned char *data; /* NUL-terminated for convenience; size excludes it */
	size_t size;
};

/* Ends with an entry whose path is NULL. */
extern const struct embedded_file embedded_files[];

/* The file at path, or NULL. */
const struct embedded_file *embed_find(const char *path);

#endif
