/* xalloc.h — allocation that aborts on failure, so callers never check for NULL. */
#ifndef ISMS_XALLOC_H
#define ISMS_XALLOC_H
#include <stddef.h>

/* All return memory the caller owns and frees with free(). Out of memory aborts. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
