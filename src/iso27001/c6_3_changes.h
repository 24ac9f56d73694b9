/* c6_3_changes.h — planning of changes (6.3): the change records, their checks, and the
   impact trace of one change. */
#ifndef ISMS_C6_3_CHANGES_H
#define ISMS_C6_3_CHANGES_H
#include "iso.h"

extern const struct record_type changes_type;

/* The 6.3 checks appended to items ({id, clause, rule, ok, detail, link}): approved changes
   implemented by their planned date, implemented ones reviewed within 90 days. */
int changes_checks(struct ctx *c, json_t *items, struct err *e);

/* What a change reaches (c6_3_impact.c): {"change": {id, title, status, planned_on,
   approved_on}, "scopes", "processes", "assets", "documents": [{id, title}], "risks": [{id,
   title, named, through: [asset ids], last_assessed, reassess}], "controls": [{id, title,
   named, through: [risk ids]}], "soa": [{id, title, through: [control ids]}]}. *out
   (caller owns). 404 when the change does not exist. */
int change_impact_trace(struct ctx *c, long long id, json_t **out, struct err *e);

extern const struct view impact_trace_view;

#endif
