/* schema.h — numbered migrations and the schema-version check every command makes. */
#ifndef ISMS_SCHEMA_H
#define ISMS_SCHEMA_H
#include "record.h"

/* Brings the store up to reg->schema_version, one transaction per migration. A failed
   migration is rolled back and recorded, so nothing runs on a half-migrated schema.
   *applied (may be NULL) gets how many migrations ran. */
int schema_migrate(struct store *s, const struct registry *reg, int *applied, struct err *e);
/* 0 if the store is exactly at the binary's schema version; otherwise ERR_SCHEMA with a
   message saying what to do (run migrate, upgrade isms, or fix a failed migration). */
int schema_check(struct store *s, const struct registry *reg, struct err *e);

#endif
