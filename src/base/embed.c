/* embed.c — looking up files built into the binary. */
#include "embed.h"

#include <string.h>

const struct embedded_file *embed_find(const char *path)
{
	for (const struct embedded_file *f = embedded_files; f->path; f++)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}
