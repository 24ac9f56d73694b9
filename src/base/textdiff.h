/* textdiff.h — a line diff of two texts: the longest common subsequence of their lines after
   setting aside the lines both share at the start and the end (the same result as the web
   app's diff.js). */
#ifndef ISMS_TEXTDIFF_H
#define ISMS_TEXTDIFF_H
#include <jansson.h>

/* Above this many cells (lines × lines of the part that differs) the differing part is
   reported as removed and added as a whole instead of using that much memory. */
#define TEXTDIFF_MAX_CELLS 4000000

/* The edit script from old to new (NULL counts as ""; CRLF and CR count as LF) as a new
   array (caller owns) of {"op": " " | "-" | "+", "text", "old": n, "new": n}: " " for a line
   in both, "-" only in old, "+" only in new; old and new are 1-based line numbers, present
   where the line exists on that side. NULL if out of memory. */
json_t *textdiff_lines(const char *old, const char *new_);

#endif
