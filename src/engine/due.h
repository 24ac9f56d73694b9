/* due.h — what is due: records whose review or due date has come (or comes within a number
   of days), across every type with a due rule, for everyone or for the signed-in person. */
#ifndef ISMS_DUE_H
#define ISMS_DUE_H
#include "record.h"

/* *out (caller owns): {"items":[{type, id, title, what, date, overdue, owner}], "total",
   "overdue"} sorted by date, for types c's actor may read. mine: only records owned by the
   actor's person. days: include what falls due within that many days from today (0 = only
   today and before). */
int due_list(struct ctx *c, bool mine, int days, json_t **out, struct err *e);

#endif
