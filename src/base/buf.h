/* buf.h — a growable, always NUL-terminated byte buffer. */
#ifndef ISMS_BUF_H
#define ISMS_BUF_H
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated; owned by the buf */
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_init(struct buf *b);
/* Frees the contents and leaves an empty, reusable buffer. */
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (who frees it) and leaves the buf empty. */
char *buf_detach(struct buf *b);
/* Returns the string; never NULL (an empty buffer gives ""). Owned by the buf. */
const char *buf_str(const struct buf *b);

#endif
