/* c9_3_review.h — 9.3 management review: reviews and their actions, the inputs compiled
   from live data (every module's review_inputs hook) and frozen when the review is held,
   the review pack, and the helpers modules use to write their part of the inputs. */
#ifndef ISMS_C9_3_REVIEW_H
#define ISMS_C9_3_REVIEW_H
#include "iso.h"

extern const struct record_type management_reviews_type;
extern const struct record_type review_actions_type;
extern const struct view review_pack_view, review_inputs_view;

/* Compiles the inputs of a management review for the period since (YYYY-MM-DD, the
   previous review's date; NULL for the first review) to until: {period: {since, until},
   sections: {a … g: {title, entries, note?}}, changes: [...]}, every module's hook called
   in module order; a section with no entries carries a note saying why. *out (caller
   owns). */
int review_inputs_compile(struct ctx *c, const char *since, const char *until, json_t **out,
			  struct err *e);

/* Appends an entry {clause, title, summary, items} to inputs[letter] (items is stolen; NULL
   for none). */
void review_entry_add(json_t *inputs, const char *letter, const char *clause,
		      const char *title, const char *summary, json_t *items);

/* The change log between since (inclusive; NULL: from the start) and until (inclusive),
   counted per record type the actor may read: a new array of {type, label, created,
   updated, deleted, actions: {op: n}, summary}, in type order (one grouped query). */
int review_changes(struct ctx *c, const char *since, const char *until, json_t **out,
		   struct err *e);

/* Phrases the changes of the types named (plural or name, NULL-terminated) from a
   review_changes array: "3 context issues added, 1 changed; the climate decision
   reviewed", into out ("" when none changed). */
void review_changes_phrase(const json_t *changes, const char *const *types, char *out,
			   size_t size);

/* The usual entry for "what changed" in a register: the change log's phrase for types
   (the first one's records, changed in the period, as items, up to 25) appended to
   inputs[letter]; states the number on record when nothing changed. Nothing when the actor
   may read none of the types. */
int review_entry_changes(struct ctx *c, json_t *inputs, const char *letter,
			 const char *clause, const char *title, const char *const *types,
			 const char *since, const char *until, struct err *e);

/* Management reviews (9.3): the actions from previous reviews, for the next one's (a). */
int review_inputs_actions(struct ctx *c, const char *since, const char *until, json_t *inputs,
			  struct err *e);
int review_checks(struct ctx *c, json_t *items, struct err *e);

#endif
