/* widget.h — the test-only record type "test_widget" (every field type, references that
   restrict and that clear, a three-step workflow) and a registry of the product's types plus
   it. Shared by the isms-test binary and the unit tests. */
#ifndef ISMS_TEST_WIDGET_H
#define ISMS_TEST_WIDGET_H
#include "../../src/engine/record.h"

extern const struct record_type widget_type;

/* The product registry plus widget_type (a static registry; built on first call). */
const struct registry *widget_registry(void);

#endif
