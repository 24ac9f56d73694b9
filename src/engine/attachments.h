/* attachments.h — evidence files (7.5.3): files uploaded to any record, kept once per content
   in the blobs table (keyed by SHA-256) and described by attachment records, whose creation
   and deletion are logged like any other change. */
#ifndef ISMS_ATTACHMENTS_H
#define ISMS_ATTACHMENTS_H
#include <stdbool.h>
#include <stddef.h>

#include "../base/buf.h"
#include "record.h"

#define ATTACHMENTS_DEFAULT_MIB 25
#define ATTACHMENTS_MAX_MIB 1024

extern const struct record_type attachments_type;

/* One file as it arrives. Everything is borrowed for the call. */
struct attachment_upload {
	const char *filename;    /* as sent; any directory part is dropped */
	const char *media_type;  /* the type the sender declared, or NULL */
	const char *description; /* or NULL */
	const void *data;
	size_t len;
};

/* Whether records of rt take files. The attachments register is readable by every role, so
   files go only on records every role may read (not on user accounts), and not on files. */
bool attachments_accepts(const struct registry *reg, const struct record_type *rt);

/* Parses a size limit in MiB (NULL: the default) into bytes; ERR_USAGE names `what` (the
   option or variable it came from) when it is not a whole number from 1 to the maximum. */
int attachments_limit(const char *mib, const char *what, size_t *bytes, struct err *e);

/* Stores up's bytes (once per content) and attaches them to record owner_id of owner as a new
   attachment record, logged as a change by c's actor. Needs write permission on owner
   (ERR_FORBIDDEN), an existing record (ERR_NOT_FOUND) that is not frozen (ERR_CONFLICT).
   *out is the new record (caller owns). */
int attachments_add(struct ctx *c, const struct record_type *owner, long long owner_id,
		    const struct attachment_upload *up, json_t **out, struct err *e);

/* Reads attachment id and appends its bytes to content; *rec is its record (caller owns).
   Needs read permission on the owning record's type. */
int attachments_read(struct ctx *c, long long id, json_t **rec, struct buf *content,
		     struct err *e);

#endif
