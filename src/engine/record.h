/* record.h — the record registry: every kind of ISMS record is declared once as a static
   table, and generic code derives storage, validation, JSON, the API, meta/OpenAPI and the
   CLI from it. Also the context (store, actor) every domain call runs in. */
#ifndef ISMS_RECORD_H
#define ISMS_RECORD_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/err.h"
#include "../store/store.h"

/* Application roles are permissions (which screens and writes an account may use); the
   product declares them in its registry (names and labels). Role 0 is always the
   administrator: it manages accounts and is the local administrator's role. A set of roles
   is a bit mask: RB(role). */
#define APP_ROLE_ADMIN 0
#define RB(r) (1u << (r))
#define ROLES_ANY 0xffffffffu

struct app_role {
	const char *name;  /* "isms_manager" */
	const char *label; /* "ISMS manager" */
};

/* FT_JSON holds structured data (lists of levels, matrices) checked by the type's validate
   hook. */
enum field_type {
	FT_TEXT,
	FT_MARKDOWN,
	FT_EMAIL,
	FT_INT,
	FT_BOOL,
	FT_DATE,
	FT_ENUM,
	FT_REF,
	FT_REFS,
	FT_JSON
};

enum field_flag {
	F_REQUIRED = 1u << 0,
	F_UNIQUE = 1u << 1,
	F_READONLY = 1u << 2,  /* never set by clients: computed, or set by actions */
	F_SEARCH = 1u << 3,    /* part of full-text q= */
	F_WRITEONLY = 1u << 4, /* accepted on input, never stored as a column nor shown */
	F_SET_NULL = 1u << 5,  /* F_REF/F_REFS: deleting the target clears this field */
	F_INDEX = 1u << 6,     /* worth an index for filters and sorting */
	F_DERIVED = 1u << 7,   /* computed when shown (e.g. overdue), never stored or logged */
	F_APP_ROLE = 1u << 8,  /* FT_ENUM whose values are the registry's application roles */
	F_PAST = 1u << 9,      /* FT_DATE recording something that happened: never after today */
	F_NULLABLE = 1u << 10, /* FT_BOOL with a third state, not decided yet: null stays null */
	/* With F_APP_ROLE on an FT_JSON field: a list of distinct application role names. */
};

struct field {
	const char *name, *label, *help; /* help in our own words */
	enum field_type type;
	unsigned flags;
	const char *const *values; /* FT_ENUM: NULL-terminated */
	const char *ref;           /* FT_REF/FT_REFS: target record type name */
	int max_len;               /* text: maximum characters; 0 = default (10000) */
	long long min, max;        /* FT_INT: inclusive range when min < max */
	const char *def;           /* default as JSON text ("true", "\"draft\""), or NULL */
	int since;                 /* schema version that added it (0 = with its type) */
};

struct ctx;
struct record_type;

/* A body parameter of an action, stored into a (read-only) field of the record. */
struct action_param {
	const char *name, *field;
	bool required;
};

/* One workflow transition: from any of `from` to `to`, for the given roles. */
struct action {
	const char *name, *label, *help;
	const char *const *from; /* NULL-terminated states it may start from */
	const char *to; /* NULL: the state stays (e.g. acknowledging a published version) */
	unsigned roles;
	const char *const *requires; /* fields that must be set on the record (NULL-terminated) */
	const struct action_param *params;
	size_t nparams;
	/* A decision (approve, accept, assess, publish, acknowledge): the body may carry
	   "effective_on", the day it was decided when that is not today, and "reason"
	   (record_act checks them; record_stamp and ctx_decision_day use the date). */
	bool effective;
	/* The actor speaks only for themselves (acknowledging what they read): not a decision
	   for the organization, so impartial roles may take it. */
	bool personal;
	/* Optional: whether this actor may take the action on this record at all (beyond the
	   role), e.g. only the record's owner; fills err (ERR_FORBIDDEN) and returns -1 if not.
	   Also decides whether the action is listed in the record's "actions". */
	int (*permit)(struct ctx *c, const struct record_type *rt, const json_t *rec,
		      struct err *e);
	/* Optional extra rule on the record's state; fills err and returns -1 to refuse. */
	int (*guard)(struct ctx *c, const struct record_type *rt, const json_t *rec,
		     struct err *e);
	/* Optional: more effects of the transition, after the state moved and before the
	   record is stored (set approver fields, supersede other records…). */
	int (*apply)(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e);
};

/* When a record falls due: its date field, whose it is, and the states that close it. */
struct due_rule {
	const char *date_field;
	const char *owner_field;  /* a reference to a person, or NULL */
	const char *status_field; /* or NULL */
	const char *const *closed; /* values of status_field that are not due (NULL-terminated) */
	const char *what;          /* "review", "due", … shown to people */
};

struct record_type {
	const char *name;   /* singular identifier: "person" */
	const char *plural; /* API path and CLI name: "people" */
	const char *table;  /* SQL table */
	const char *label, *label_plural, *clause, *help;
	const char *section;     /* where the web app lists it: "4" … "10", "admin" */
	const char *title_field; /* names a record in references and lists */
	/* Optional: the title is derived, not typed: the titles of the records these reference
	   fields point to and the text of these other fields, the set ones joined by " — "
	   ("Ann Lee — ISMS manager"). NULL-terminated. */
	const char *const *title_from;
	const char *default_sort;
	const struct field *fields;
	size_t nfields;
	unsigned read_roles, write_roles;
	const char *state_field; /* the field actions move, or NULL */
	/* States in which a record is evidence: no edits, no deletes (409), only its actions.
	   NULL-terminated, or NULL. */
	const char *const *frozen;
	/* What makes its records due (due.c): rules ending with one whose date_field is NULL,
	   or NULL. */
	const struct due_rule *due;
	/* Optional: records hang on a record of any type, named by these two fields (the
	   type's plural, the id): evidence files. A record with some is not deleted until they
	   are (409 in_use). */
	const char *attached_type_field, *attached_id_field;
	/* Records are evidence from the moment they are made (an acknowledgement): never
	   edited (409), only deleted when recorded in error. */
	bool append_only;
	const struct action *actions;
	size_t nactions;
	/* Optional: a sealed JSON field (a review's frozen inputs) and the field holding the
	   SHA-256 of its canonical text (record_seal sets it). Once the hash is set, writes
	   that would change either, and deletes, are refused (409), and `isms verify` checks
	   the hash of every record against its field. */
	struct {
		const char *json_field, *hash_field;
	} seal;
	int since; /* schema version that created its table */
	/* Records made only by domain code (an upload), never by the generic create: when set,
	   a client's create is refused with this hint naming the way to make one. */
	const char *create_hint;
	/* Optional: extra checks on the merged record (old is NULL on create). */
	int (*validate)(struct ctx *c, const struct record_type *rt, json_t *rec,
			const json_t *old, struct err *e);
	/* Optional: adds F_DERIVED values to a record being shown (not to its logged state). */
	int (*decorate)(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e);
	/* Optional: whether the actor may edit or delete this record, beyond the type's write
	   roles (e.g. only editors and the owner of the document a version belongs to); fills
	   err (ERR_FORBIDDEN) and returns -1 if not. Also decides can_edit / can_delete. */
	int (*can_change)(struct ctx *c, const struct record_type *rt, const json_t *rec,
			  struct err *e);
	/* Optional: refuses a delete (e.g. of an approved record); rec is the current state. */
	int (*before_delete)(struct ctx *c, const struct record_type *rt, const json_t *rec,
			     struct err *e);
	/* Optional: runs after a write in the same transaction; input is the client's JSON. */
	int (*after_write)(struct ctx *c, const struct record_type *rt, const json_t *rec,
			   const json_t *input, struct err *e);
};

/* Seeds shipped data (catalogs, defaults) at `isms init`; must be idempotent: init runs
   them on every call and they add only what is missing. */
typedef int (*registry_seed_fn)(struct ctx *c, struct err *e);

struct module;
struct view;
struct clause;

/* The product: its modules (module.h), and what registry_build derives from them. */
struct registry {
	const char *name; /* "ISO/IEC 27001:2022" */
	const struct module *const *modules;
	size_t nmodules;
	/* The clauses the product means to cover, in order, for the clause index. */
	const struct clause *clauses;
	size_t nclauses;
	/* Derived from the modules by registry_build. */
	const struct record_type *const *types;
	size_t ntypes;
	const struct view *const *views;
	size_t nviews;
	int schema_version; /* the newest migration this binary knows */
	const registry_seed_fn *seeds;
	size_t nseeds;
	const struct app_role *roles; /* indexed by role number; roles[APP_ROLE_ADMIN] first */
	const char *const *role_names; /* the same names, NULL-terminated (enum values) */
	int nroles;
	int default_role; /* an account whose stored role is unknown gets this one */
	/* The roles that may record on someone's behalf, and so record a decision as taken on
	   an earlier day (backdate it). */
	unsigned backdate_roles;
	/* The roles that must stay impartial (auditors): an account holding one never takes a
	   decision (approve, accept, sign: actions marked effective), 409. */
	unsigned impartial_roles;
};

/* Who acts. Local administration (init, user, token…) uses the local administrator. */
struct actor {
	long long user_id;   /* 0 for the local administrator */
	long long person_id; /* the person the account belongs to, 0 if none */
	char username[65];
	int role;       /* the account's main role: an index into the registry's roles */
	unsigned roles; /* every role the account holds (RB mask), the main one included */
	/* The hash of the session or API token this request signed in with ("" otherwise):
	   the one kept when the actor changes their own password. */
	char signed_in_with[65];
};

#define ACTOR_LOCAL "@local"

/* Everything a domain call needs: one store connection inside one transaction, the
   registry, the actor. Owned by the caller (an HTTP request or a CLI command). */
struct ctx {
	struct store *store;
	const struct registry *reg;
	struct actor actor;
	char now[32];
	/* isms itself is writing (seeding catalogs): read-only fields may be set and the
	   types' write roles do not apply. Never set on behalf of a client. */
	bool system;
	/* While a decision runs (record_act): the day it took effect when the client named one
	   ("" otherwise, meaning today), and why it is recorded late (borrowed, or NULL). The
	   change log adds both to the detail of every change the decision makes. */
	char effective_on[11];
	const char *reason;
	/* While a decision runs: the person it is recorded for, when someone who records on
	   others' behalf keys in another person's decision (a paper signature; 0 otherwise),
	   and how records name them: their username, or their name if they have no account. */
	long long decided_by;
	char decided_by_name[201];
};

void ctx_init(struct ctx *c, struct store *s, const struct registry *reg);
/* Today's UTC date (YYYY-MM-DD) of the context's clock. */
void ctx_today(const struct ctx *c, char out[11]);
void ctx_set_local_admin(struct ctx *c);
/* The day the decision being recorded took effect: its effective_on, or today. */
void ctx_decision_day(const struct ctx *c, char out[11]);
/* Who takes the decision being recorded: the person it is recorded for (decided_by), or
   the actor's own person (0 if the account has none); and the name records give them. */
long long ctx_decider_person(const struct ctx *c);
const char *ctx_decider(const struct ctx *c);

/* A decision may be recorded this many days after it was taken without a reason. */
#define RECORD_LATE_DAYS 7
/* Checks the day a decision or an acknowledgement took effect, named by field: a sane date,
   not after today; before today only for the registry's backdate roles (403); more than
   RECORD_LATE_DAYS back only with a reason (400 naming reason_field). */
int record_check_effective(const struct ctx *c, const char *field, const char *date,
			   const char *reason_field, const char *reason, struct err *e);

/* Sets the actor's roles: main (a role index, or -1 for the registry's default) and the
   names in more (a JSON array of role names, or NULL; unknown names are ignored). */
void actor_set_roles(const struct registry *reg, struct actor *a, int main, const json_t *more);
/* Whether the actor holds any role of mask. */
bool actor_has(const struct actor *a, unsigned mask);
/* 409 if the actor holds an impartial role (auditors never decide), naming what. */
int actor_check_impartial(const struct ctx *c, const char *what, struct err *e);

/* The name of application role r ("isms_manager"), or "?" if there is none. */
const char *registry_role_name(const struct registry *reg, int r);
/* The role named name, or -1. */
int registry_role_parse(const struct registry *reg, const char *name);
/* The values of an FT_ENUM field (NULL-terminated): its own, or the registry's role names
   for a field flagged F_APP_ROLE. */
const char *const *field_values(const struct registry *reg, const struct field *f);

const struct record_type *registry_find(const struct registry *reg, const char *name_or_plural);
const struct field *record_field(const struct record_type *rt, const char *name);
bool record_can_read(const struct ctx *c, const struct record_type *rt);
bool record_can_write(const struct ctx *c, const struct record_type *rt);

/* List query. Filters are name=value pairs from the client, checked against the registry. */
struct list_query {
	const char *q;
	const char *sort; /* "field" or "-field", NULL for the type's default */
	long long limit, offset;
	const char *const *filter_names;
	const char *const *filter_values;
	size_t nfilters;
	const char *as_of; /* canonical RFC 3339 UTC time: the list as it stood then, or NULL */
};

/* All functions below run inside the caller's transaction and return 0 or -1 with e set.
   JSON results are new references the caller owns (json_decref). */
int record_get(struct ctx *c, const struct record_type *rt, long long id, json_t **out,
	       struct err *e);
/* The record as stored, without the derived values its type's decorate hook adds: for
   domain code that reads many records and needs none of them. */
int record_get_stored(struct ctx *c, const struct record_type *rt, long long id, json_t **out,
		      struct err *e);
/* The record as it stood at as_of (canonical RFC 3339 UTC), from the change log; 404 if it
   did not exist then. */
int record_get_as_of(struct ctx *c, const struct record_type *rt, long long id, const char *as_of,
		     json_t **out, struct err *e);
int record_list(struct ctx *c, const struct record_type *rt, const struct list_query *q,
		json_t **out, struct err *e);
int record_create(struct ctx *c, const struct record_type *rt, const json_t *input, json_t **out,
		  struct err *e);
/* if_match < 0 means no precondition. */
int record_update(struct ctx *c, const struct record_type *rt, long long id, const json_t *input,
		  long long if_match, json_t **out, struct err *e);
int record_delete(struct ctx *c, const struct record_type *rt, long long id, long long if_match,
		  struct err *e);
int record_act(struct ctx *c, const struct record_type *rt, long long id, const char *action,
	       const json_t *body, long long if_match, json_t **out, struct err *e);
/* Saves a record that domain code changed (not client input: no validation, read-only
   fields allowed), bumping its version if it is still expect_version (ERR_STALE otherwise),
   and logs the change as op with an optional detail. Refreshes rec's version and
   updated_at. */
int record_save(struct ctx *c, const struct record_type *rt, json_t *rec,
		long long expect_version, const char *op, const json_t *detail, struct err *e);
/* Records who did something and when: by_field gets the decider (ctx_decider: the actor's
   username, or the person a decision is recorded for), on_field (if not NULL) the
   decision's day (ctx_decision_day: its effective date, or today's UTC date). */
void record_stamp(const struct ctx *c, json_t *rec, const char *by_field, const char *on_field);
/* An action's apply hook for versioned records (scopes, risk methods): stamps approved_by
   and approved_on and supersedes the record approved before. */
int record_approve_superseding(struct ctx *c, const struct record_type *rt, json_t *rec,
			       struct err *e);
/* Actions' apply hooks for submit → approve workflows (scopes, planned changes): stamp
   submitted_by/submitted_on, clear them again (returned to draft), stamp
   approved_by/approved_on. */
int record_submit_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			struct err *e);
int record_unsubmit_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			  struct err *e);
int record_approve_apply(struct ctx *c, const struct record_type *rt, json_t *rec,
			 struct err *e);
/* Moves every other record of rt that is in state `from` (and, when group is a field name,
   has the same value in it as rec: "the same document") to state `to`, each as a logged
   change named op: approving a new version supersedes the previous one. */
int record_supersede_others(struct ctx *c, const struct record_type *rt, const json_t *rec,
			    const char *group, const char *from, const char *to, const char *op,
			    struct err *e);
/* Seals rec's seal.json_field: stores the SHA-256 (hex) of its canonical JSON text (compact,
   sorted keys) in seal.hash_field. */
void record_seal(const struct record_type *rt, json_t *rec);
/* Whether rec's sealed field still matches its hash (true when the type seals nothing or
   rec is not sealed yet). */
bool record_seal_holds(const struct record_type *rt, const json_t *rec);
/* ERR_CONFLICT if old is sealed and rec (NULL for a delete) would change the sealed field
   or its hash. */
int record_check_seal(const struct record_type *rt, const json_t *old, const json_t *rec,
		      struct err *e);
/* ERR_CONFLICT if rec is in one of its type's frozen states (approved versions). */
int record_check_frozen(const struct record_type *rt, const json_t *rec, struct err *e);
/* Adds derived values (the type's decorate hook) to a record being shown. */
int record_decorate(struct ctx *c, const struct record_type *rt, json_t *rec, struct err *e);
/* Adds what c's actor may do with the record now: "actions" (workflow action names) and
   "can_edit" / "can_delete". */
void record_add_actions(struct ctx *c, const struct record_type *rt, json_t *rec);
/* Four eyes: ERR_CONFLICT if the decider (ctx_decider) ever created the record or changed
   its content by an edit (not by its actions; changes only to the fields in ignored, a
   NULL-terminated list or NULL, such as a reviewer's comments, do not count), naming what
   they may not do ("approve it"). */
int record_check_four_eyes(struct ctx *c, const struct record_type *rt, long long id,
			   const char *const *ignored, const char *what, struct err *e);
/* An approve action's guard for submit → approve workflows (scopes, planned changes): four
   eyes against who submitted the record (submitted_by) and anyone who wrote its content. */
int record_approve_guard(struct ctx *c, const struct record_type *rt, const json_t *rec,
			 struct err *e);
/* The username of whoever last created or edited the record (not actions), into out. */
int record_last_editor(struct ctx *c, const struct record_type *rt, long long id, char *out,
		       size_t size, struct err *e);
/* Adds the titles of the records that items' reference fields point to, as
   {"<target plural>": {"<id>": "<title>"}} under key "refs" of into (for display). */
int record_add_ref_titles(struct ctx *c, const struct record_type *rt, const json_t *items,
			  json_t *into, struct err *e);
/* The title of record id of type rt ("Ann Lee") into out: "" if there is no such record. */
int record_title_of(struct ctx *c, const struct record_type *rt, long long id, char *out,
		    size_t size, struct err *e);
/* The ids a one-column query returns, as a new JSON array into *out (caller owns). */
int record_ids(struct ctx *c, const char *sql, const struct store_val *p, int n, json_t **out,
	       struct err *e);
/* The record's title for people ("Ann Lee"), borrowed from rec. */
const char *record_title(const struct record_type *rt, const json_t *rec);

/* After a schema upgrade to version: logs a "migrate" change (detail {schema_version}) for
   every record whose row no longer equals its last logged state (new columns, converted
   values), so the log still tells the whole story and verify holds. *changed counts them. */
int record_log_upgrade(struct ctx *c, int version, long long *changed, struct err *e);

/* Reads every row of a type as canonical state objects; calls fn for each (verify). */
int record_scan(struct ctx *c, const struct record_type *rt,
		int (*fn)(void *arg, long long id, json_t *state), void *arg, struct err *e);

#endif
