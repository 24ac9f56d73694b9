/* catalog.h — the shipped control catalog: ISO/IEC 27001:2022 Annex A and the SoA entries
   that go with it. */
#ifndef ISMS_CATALOG_H
#define ISMS_CATALOG_H
#include "iso.h"

/* The name of the shipped framework record. */
#define CATALOG_ISO27001 "ISO/IEC 27001:2022"

/* Seeds (at `isms init`) the ISO/IEC 27001:2022 framework, its 93 Annex A controls from the
   embedded data/annex-a.json, and one SoA entry per control (applicable, no reasons yet),
   each through record_create so it is in the change log. Idempotent: adds only what is
   missing and never changes what exists. ERR_INTERNAL if the embedded data is unusable. */
int catalog_seed(struct ctx *c, struct err *e);

#endif
