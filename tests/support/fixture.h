/* fixture.h — what the cmocka unit tests share: a fresh SQLite store in a temporary
   directory, migrated for a registry, a context acting as a chosen role, writes each in their
   own transaction, and assertions that name the field and value that differ. Every helper
   fails the running test (fail_msg) rather than return an error, except the w-style writes,
   which return the error for the test to check. */
#ifndef ISMS_TEST_FIXTURE_H
#define ISMS_TEST_FIXTURE_H
#include <jansson.h>

#include "../../src/iso27001/iso.h"

struct fixture {
	char dir[64], path[128];
	struct store *s;
	struct ctx c;
};

/* Creates /tmp/isms-test-NAME-XXXXXX with a store migrated for reg, the context acting as
   the local administrator. 0, or -1 with the reason on stderr. */
int fixture_open(struct fixture *f, const char *name, const struct registry *reg);
/* Closes the store and removes its files and directory. */
void fixture_close(struct fixture *f);

/* Parsed JSON text (caller owns); fails the test on bad JSON. */
json_t *fixture_json(const char *text);
/* Acts as a signed-in user with role and username. */
void fixture_as(struct fixture *f, enum role role, const char *username);

/* Writes, each in its own transaction (committed on success, rolled back on error): 0 or -1
   with e set. *out (if not NULL) receives the record (caller owns). */
int fixture_create(struct fixture *f, const struct record_type *rt, const char *json,
		   json_t **out, struct err *e);
int fixture_update(struct fixture *f, const struct record_type *rt, long long id,
		   const char *json, json_t **out, struct err *e);
int fixture_update_if(struct fixture *f, const struct record_type *rt, long long id,
		      const char *json, long long if_match, json_t **out, struct err *e);
int fixture_delete(struct fixture *f, const struct record_type *rt, long long id, struct err *e);
int fixture_delete_if(struct fixture *f, const struct record_type *rt, long long id,
		      long long if_match, struct err *e);
/* body may be NULL. */
int fixture_act(struct fixture *f, const struct record_type *rt, long long id, const char *action,
		const char *body, long long if_match, json_t **out, struct err *e);

/* The same, failing the test when the write fails: the new record's id, or nothing. */
long long fixture_mk(struct fixture *f, const struct record_type *rt, const char *json);
void fixture_upd(struct fixture *f, const struct record_type *rt, long long id, const char *json);
/* The record (caller owns), failing the test if it cannot be read. */
json_t *fixture_get(struct fixture *f, const struct record_type *rt, long long id);
/* One integer from a query (failing the test on error); -1 if there was no row. */
long long fixture_sql_int(struct fixture *f, const char *sql, const struct store_val *p, int n);
long long fixture_changes(struct fixture *f);

long long fixture_id(const json_t *rec);
long long fixture_version(const json_t *rec);
/* The compact JSON text of rec[key], "(absent)" when missing (caller frees). */
char *fixture_field_text(const json_t *rec, const char *key);
/* Fails the test unless rec[key] is exactly the JSON text want. */
void fixture_assert_field(const json_t *rec, const char *key, const char *want);
/* Fails the test unless rc is -1 with error code (and field, when not NULL). */
void fixture_assert_err(int rc, const struct err *e, enum err_code code, const char *field);

#endif
