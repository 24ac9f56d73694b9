/* documents.h — documented information (7.5) and the policy framework (5.2): controlled
   documents with their metadata, and their versions with the review, approval and
   publication workflow. */
#ifndef ISMS_DOCUMENTS_H
#define ISMS_DOCUMENTS_H
#include "iso.h"

extern const struct record_type documents_type;
extern const struct record_type document_versions_type;

/* What changed from version `from` to version `to` of the same document, line by line:
   *out (caller owns) is {"document", "from": {id, number, status}, "to": {…}, "added",
   "removed", "lines": [{op, text, old, new}]} (see textdiff.h). ERR_INVALID (field "against")
   when the versions belong to different documents. */
int documents_diff(struct ctx *c, long long from, long long to, json_t **out, struct err *e);

extern const struct view diff_view, document_register_view, document_version_view;

#endif
