/* widget.h — the test-only record type "test_widget" (every field type, references that
   restrict and that clear, a three-step workflow) and a registry of the product's types plus
   it. Shared by the isms-test binary and the unit tests. */
#ifndef ISMS_TEST_WIDGET_H
#define ISMS_TEST_WIDGET_H
#include "../../src/engine/module.h"

extern const struct record_type widget_type;
/* The example view: how many widgets of each kind (widget_tally.c). */
extern const struct view widget_tally_view;

/* The product's modules plus the test module (widget_type and widget_tally_view), built
   on first call. */
const struct registry *widget_registry(void);

#endif
