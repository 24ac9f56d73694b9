/* acknowledgements.h — proof that people read the policies meant for them (5.2, 7.3): who
   belongs to a document's audience, the acknowledgement records, each person's "Policies
   to read", and per document the share of its audience that acknowledged the version in
   force. */
#ifndef ISMS_ACKNOWLEDGEMENTS_H
#define ISMS_ACKNOWLEDGEMENTS_H
#include "iso.h"
#include "../engine/named_sql.h"

extern const struct record_type acknowledgements_type;
/* The statements over documents' audiences (checked by tests/unit/test_query.c). */
extern const struct named_sql ack_sql[];

/* The active people a document (a documents record) is meant for, as a new array of
   {"person": id, "name": "…"} sorted by name, into *out (caller owns). For the audience
   "external_parties" there is no one inside the organization: *out is JSON null. */
int ack_audience(struct ctx *c, const json_t *doc, json_t **out, struct err *e);

/* The whole percent of a published document's audience that acknowledged its version in
   force, into *out (new reference: an integer, or null for an audience outside the
   organization or an empty one). */
int ack_percent(struct ctx *c, const json_t *doc, json_t **out, struct err *e);

/* The share of its audience (whole percent) that must acknowledge a document's version in
   force: its ack_target, or ACK_TARGET_DEFAULT when none is stored. */
#define ACK_TARGET_DEFAULT 90
int ack_target(const json_t *doc);

/* The acknowledge action on a published document version: whether the actor may take it
   (0), or why not (-1 with e: no person behind the account, not in the audience, already
   acknowledged). */
int ack_permit(struct ctx *c, const json_t *version, struct err *e);
/* Records that the actor's own person read and understood the version ("in_app"). */
int ack_record_self(struct ctx *c, const json_t *version, struct err *e);

/* "Policies to read" for a person: every published document whose audience includes them,
   with its version in force and when they acknowledged it (null if not yet). *out (caller
   owns): {"items": [...], "total", "pending"}. pending_only leaves out what they read. */
int ack_reading(struct ctx *c, long long person_id, bool pending_only, json_t **out,
		struct err *e);

/* Acknowledgement progress of the version in force. document_id 0: every published
   document, a line each {document, identifier, title, version, number, audience,
   audience_size, acknowledged, percent, target, met}; otherwise that document's line with the lists
   "acknowledged" [{person, name, at, method}] and "pending" [{person, name}]. *out (caller
   owns). Needs read access to documents and acknowledgements. */
int ack_progress(struct ctx *c, long long document_id, json_t **out, struct err *e);

extern const struct view reading_view, acknowledgements_view;

#endif
