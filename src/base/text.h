/* text.h — NULL-safe string comparison and one strict parser for whole numbers, used by
   every place that reads a number from a client, a command line or a file. */
#ifndef ISMS_TEXT_H
#define ISMS_TEXT_H
#include <stdbool.h>

/* True if a and b are both non-NULL and equal. */
bool str_eq(const char *a, const char *b);
/* Parses s as a whole decimal number in [min, max] into *out: no sign but an optional
   leading '-', no spaces, no trailing characters, no overflow. Returns false (leaving *out
   alone) if s is NULL, empty or anything else. */
bool text_to_ll(const char *s, long long min, long long max, long long *out);

#endif
