/* controls.h — clause 6.1.3: control frameworks and their catalog controls (read-only,
   loaded by catalog.c), the organization's applied controls, the Statement of Applicability
   (one entry per Annex A control, its implementation status, risks and requirements derived
   from the links) and its approved, frozen versions. */
#ifndef ISMS_CONTROLS_H
#define ISMS_CONTROLS_H
#include "record.h"

extern const struct record_type frameworks_type;
extern const struct record_type catalog_controls_type;
extern const struct record_type controls_type;
extern const struct record_type soa_type;
extern const struct record_type soa_versions_type;

/* The current SoA as the array a version freezes: every entry in catalog order with its
   control id, title, theme, decisions and derived values, and the ids and titles of the
   linked applied controls, risks and requirements. No record metadata (versions, times), so
   the same content gives the same canonical JSON. Caller owns *out. */
int controls_soa_snapshot(struct ctx *c, json_t **out, struct err *e);

#endif
