/* module.h — how a product is put together: modules, each one clause of the standard (or
   a theme of its annex, or reference data), each declaring its record types, views,
   checks and shipped data in one place. The product lists its modules once;
   registry_build derives the registry the rest of the engine reads. */
#ifndef ISMS_MODULE_H
#define ISMS_MODULE_H
#include "record.h"
#include "view.h"

struct named_sql;

struct module {
	const char *clause; /* "6.1.3", "A.5.9"; NULL for what serves every clause */
	const char *title;  /* "Information security risk treatment" */
	const char *file;   /* the source file that declares it (__FILE__), for the index */
	const struct record_type *const *types;
	size_t ntypes;
	const struct view *const *views;
	size_t nviews;
	/* Optional: the auditor's checks of this module's clause, each appended to items as
	   {id, clause, rule, ok, detail, link}. */
	int (*checks)(struct ctx *c, json_t *items, struct err *e);
	/* Optional: what is due that no single record's date says (a gap in someone's
	   competence, a person who has not completed a campaign, a plan entry's next
	   occurrence), each appended to items as {type, id, title, what, date, owner} and
	   optionally overdue (due.c adds it when left out): what is due by horizon
	   (YYYY-MM-DD), only the actor's person's when mine. Shows only what the actor may
	   read. */
	int (*due)(struct ctx *c, bool mine, const char *today, const char *horizon,
		   json_t *items, struct err *e);
	/* Optional: what this module brings to a management review (9.3.2), for the period
	   from since (YYYY-MM-DD: the previous review's date, or NULL for the first review) to
	   until. Appends to inputs[letter], letter one of "a" … "g" of 9.3.2 (each an array
	   that exists), entries {clause, title, summary, items: [{type, id, title, detail}]}
	   in plain words: summary states the finding ("2 of 7 objectives missed their
	   target"), items the records behind it; an entry with no items says why in summary.
	   Reads what the actor may read. */
	int (*review_inputs)(struct ctx *c, const char *since, const char *until,
			     json_t *inputs, struct err *e);
	/* Its hand-written statements (named_sql.h), ending with a zeroed entry, or NULL:
	   registry_build checks every table and column they name. */
	const struct named_sql *sql;
	/* Shipped data loaded by `isms init`, in order (idempotent). */
	const registry_seed_fn *seeds;
	size_t nseeds;
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* What the engine itself declares: user accounts, evidence files, and the views over the
   whole store (what is due, the change log, the auditor's checks). */
extern const struct module engine_module;
extern const struct view due_view, changes_view, checks_view;

/* A clause of the standard the product means to cover, for the clause index. */
struct clause {
	const char *number; /* "6.1.3" */
	const char *title;  /* a short title */
};

/* Fills reg's types, views and seeds from its modules, in the modules' order (allocating
   the arrays once; they live as long as the process). Refuses (ERR_INTERNAL, naming it) a
   duplicate type or view name, and a module's named statement that names a table or
   column the registry does not have: every command stops at start-up rather than fail a
   query later. */
int registry_build(struct registry *reg, struct err *e);

/* The module that declares a record type, or NULL. */
const struct module *module_of_type(const struct registry *reg, const struct record_type *rt);

#endif
