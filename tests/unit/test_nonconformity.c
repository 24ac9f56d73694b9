/* test_nonconformity.c — what clause 10 offers other modules, which no API reaches yet:
   nonconformity_open (for an audit finding: validation and the change log apply, nothing
   stored on refusal) and the management review inputs of 10.2 (into 9.3.2 d) and 10.1 (into
   g), on a fresh SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/iso27001/c10_2_nonconformity.h"
#include "../../src/iso27001/people.h"
#include "../support/fixture.h"
#include "../support/widget.h"

struct fx {
	struct fixture x;
	long long person;
};

static int group_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	*state = f;
	if (!f || fixture_open(&f->x, "nonconformity", widget_registry()) < 0)
		return -1;
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	f->person = fixture_mk(&f->x, &people_type, "{\"name\": \"Olga Owner\"}");
	return 0;
}

static int group_teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->x);
	free(f);
	return 0;
}

/* nonconformity_open in its own transaction. */
static int w_open(struct fx *f, const char *json, long long *id, struct err *e)
{
	json_t *fields = fixture_json(json);
	err_clear(e);
	assert_int_equal(store_begin(f->x.s, true, e), 0);
	int rc = nonconformity_open(&f->x.c, fields, id, e);
	if (rc == 0)
		rc = store_commit(f->x.s, e);
	else
		store_rollback(f->x.s);
	json_decref(fields);
	return rc;
}

static void test_open_creates_and_logs(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long id = 0, before = fixture_changes(&f->x);
	assert_int_equal(w_open(f,
				"{\"title\": \"Finding 2\", \"source\": \"audit_finding\", \"severity\": "
				"\"major\", \"requirement\": \"Threat models for every epic\", "
				"\"clause\": \"A.8.25\", \"source_detail\": \"Audit 2026, finding 2\"}",
				&id, &e),
			 0);
	assert_true(id > 0);
	json_t *rec = fixture_get(&f->x, &nonconformities_type, id);
	fixture_assert_field(rec, "status", "\"open\"");
	fixture_assert_field(rec, "severity", "\"major\"");
	assert_non_null(json_str(rec, "detected_on"));
	json_decref(rec);
	assert_int_equal(fixture_changes(&f->x), before + 1);
}

static void test_open_refuses_bad_fields(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long id = 7, before = fixture_changes(&f->x);
	fixture_assert_err(w_open(f,
				  "{\"title\": \"x\", \"source\": \"audit_finding\", \"requirement\": "
				  "\"x\"}",
				  &id, &e),
			   &e, ERR_INVALID, "severity");
	assert_int_equal(id, 0);
	fixture_assert_err(w_open(f, "{\"title\": \"x\", \"source\": \"gossip\", \"requirement\": \"x\"}",
				  &id, &e),
			   &e, ERR_INVALID, "source");
	assert_int_equal(fixture_changes(&f->x), before);
}

/* The inputs as the 9.3 compiler asks for them: {"a": [] … "g": []}. */
static json_t *inputs_of(struct fx *f, const struct module *m, const char *since)
{
	struct err e;
	json_t *in = json_object();
	for (char l = 'a'; l <= 'g'; l++) {
		char k[2] = {l, 0};
		json_object_set_new(in, k, json_array());
	}
	err_clear(&e);
	assert_int_equal(store_begin(f->x.s, false, &e), 0);
	int rc = m->review_inputs(&f->x.c, since, "2999-12-31", in, &e);
	store_rollback(f->x.s);
	if (rc < 0)
		fail_msg("review_inputs: %s", e.message);
	return in;
}

static const json_t *entry_titled(const json_t *list, const char *title)
{
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) if (strcmp(json_text(x, "title"), title) == 0) return x;
	fail_msg("no entry \"%s\"", title);
	return NULL;
}

static void test_review_inputs_10_2(void **state)
{
	struct fx *f = *state;
	char json[300];
	long long nc = fixture_mk(&f->x, &nonconformities_type,
				  "{\"title\": \"Late\", \"source\": \"incident\", \"requirement\": "
				  "\"x\", \"detected_on\": \"2026-01-10\"}");
	snprintf(json, sizeof json,
		 "{\"nonconformity\": %lld, \"description\": \"Fix it\", \"owner\": %lld, "
		 "\"due_on\": \"2020-01-01\"}",
		 nc, f->person);
	long long ca = fixture_mk(&f->x, &corrective_actions_type, json);
	json_t *in = inputs_of(f, &c10_2_module, NULL);
	const json_t *d = json_object_get(in, "d");
	assert_int_equal(json_array_size(d), 3);
	const json_t *opened = entry_titled(d, "Nonconformities opened and closed");
	assert_non_null(strstr(json_text(opened, "summary"), "opened and 0 closed"));
	const json_t *open = entry_titled(d, "Open nonconformities");
	assert_non_null(strstr(json_text(open, "summary"), "still open: 2 open"));
	const json_t *late = entry_titled(d, "Corrective actions overdue");
	assert_string_equal(json_text(late, "summary"), "1 corrective action is overdue.");
	const json_t *item = json_array_get(json_object_get(late, "items"), 0);
	assert_string_equal(json_text(item, "type"), "corrective-actions");
	assert_int_equal(json_int(item, "id"), ca);
	/* Nothing else is touched. */
	assert_int_equal(json_array_size(json_object_get(in, "g")), 0);
	json_decref(in);
	/* A period after it was detected: not opened in the period, still open. */
	in = inputs_of(f, &c10_2_module, "2026-06-01");
	opened = entry_titled(json_object_get(in, "d"), "Nonconformities opened and closed");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(opened, "items"), i, x) assert_int_not_equal(json_int(x, "id"), nc);
	json_decref(in);
}

static void test_review_inputs_10_1(void **state)
{
	struct fx *f = *state;
	json_t *in = inputs_of(f, &c10_1_module, NULL);
	const json_t *g = json_object_get(in, "g");
	assert_int_equal(json_array_size(g), 1);
	assert_string_equal(json_text(json_array_get(g, 0), "summary"),
			    "No improvement opportunity is open.");
	json_decref(in);
	const struct record_type *rt = registry_find(f->x.c.reg, "improvements");
	assert_non_null(rt);
	long long id = fixture_mk(&f->x, rt,
				  "{\"title\": \"Automate\", \"opportunity\": \"x\", \"source\": "
				  "\"suggestion\"}");
	in = inputs_of(f, &c10_1_module, NULL);
	g = json_object_get(in, "g");
	assert_string_equal(json_text(json_array_get(g, 0), "summary"),
			    "1 improvement opportunity is open.");
	assert_int_equal(json_int(json_array_get(json_object_get(json_array_get(g, 0), "items"), 0),
				  "id"),
			 id);
	assert_int_equal(json_array_size(json_object_get(in, "d")), 0);
	json_decref(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates_and_logs),
		cmocka_unit_test(test_open_refuses_bad_fields),
		cmocka_unit_test(test_review_inputs_10_2),
		cmocka_unit_test(test_review_inputs_10_1),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
