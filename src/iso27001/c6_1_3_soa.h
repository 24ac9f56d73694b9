/* soa.h — the Statement of Applicability and its approved, frozen versions. */
#ifndef ISMS_SOA_H
#define ISMS_SOA_H
#include "iso.h"
#include "../engine/named_sql.h"

extern const struct record_type soa_type;
extern const struct record_type soa_versions_type;
/* The statements the SoA writes by hand (checked by tests/unit/test_query.c). */
extern const struct named_sql soa_sql[];

/* The current SoA as the array a version freezes: every entry in catalog order with its
   control id, title, theme, decisions and derived values, and the ids and titles of the
   linked applied controls, risks and requirements. No record metadata (versions, times), so
   the same content gives the same canonical JSON. Caller owns *out. */
int soa_snapshot(struct ctx *c, json_t **out, struct err *e);

extern const struct view soa_export_view;

#endif
