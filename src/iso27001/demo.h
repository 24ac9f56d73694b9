/* demo.h — loading the demo organization shipped in data/demo.json. */
#ifndef ISMS_DEMO_H
#define ISMS_DEMO_H
#include <stdio.h>

#include "iso.h"

/* Creates the demo records in c's transaction through the normal validation, actions and
   change log, acting as the local administrator and the demo users the file names. Each
   demo account gets a generated password, listed on out. Refuses if people exist already. */
int demo_load(struct ctx *c, FILE *out, struct err *e);

/* Sets c's clock to 07:00 UTC on the day the demo's history starts (its first entry's "on"),
   so that what `isms init --demo` writes before the demo (the first account, the shipped
   catalogs) comes first in its log too. Leaves the clock alone if the demo has no such day. */
void demo_start_clock(struct ctx *c);

#endif
