/* people.h — the people record type. */
#ifndef ISMS_PEOPLE_H
#define ISMS_PEOPLE_H
#include "iso.h"

extern const struct record_type people_type;

#endif
