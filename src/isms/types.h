/* types.h — the product registry. */
#ifndef ISMS_TYPES_H
#define ISMS_TYPES_H
#include "record.h"

extern const struct registry isms_registry;

#endif
