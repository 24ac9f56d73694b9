/* controls.h — clause 6.1.3: control frameworks and their catalog controls (read-only,
   loaded by catalog.c) and the organization's applied controls. The SoA is in soa.h. */
#ifndef ISMS_CONTROLS_H
#define ISMS_CONTROLS_H
#include "iso.h"

extern const struct record_type frameworks_type;
extern const struct record_type catalog_controls_type;
extern const struct record_type controls_type;
/* Runs sql (one $1 parameter: id) and collects the first column's integers into a new
   array *out (caller owns). */
int controls_id_list(struct ctx *c, const char *sql, long long id, json_t **out, struct err *e);

#endif
