/* documents.h — documented information (7.5) and the policy framework (5.2): controlled
   documents with their metadata, and their versions with the review, approval and
   publication workflow. */
#ifndef ISMS_DOCUMENTS_H
#define ISMS_DOCUMENTS_H
#include "record.h"

extern const struct record_type documents_type;
extern const struct record_type document_versions_type;

#endif
