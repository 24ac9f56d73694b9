/* test_changes.c — reading the change log through its one API (changes.h) and the audit
   trail over it (audit.h): the scan in sequence order, a record's history, its state and
   last editor at a time, every state of a type at a time, and the feed with its filters and
   paging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/sec.h"
#include "../../src/engine/audit.h"
#include "../../src/iso27001/people.h"
#include "../../src/store/changes.h"
#include "../support/fixture.h"
#include "../support/widget.h"

#define T1 "2024-01-01T10:00:00Z"
#define T2 "2024-02-01T10:00:00Z"
#define T3 "2024-03-01T10:00:00Z"

static struct registry reg;

/* The scripted history: at T1 mia creates Ann and widget One; at T2 bob renames One to Uno
   and creates Two; at T3 mia deletes Two and submits Uno: six changes in all. */
struct fx {
	struct fixture x;
	long long ann, w1, w2;
};

static void at(struct fx *f, const char *when, const char *who)
{
	snprintf(f->x.c.now, sizeof f->x.c.now, "%s", when);
	fixture_as(&f->x, ROLE_ISMS_MANAGER, who);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;
	*state = f;
	if (!f || fixture_open(&f->x, "changes", &reg) < 0)
		return -1;
	at(f, T1, "mia");
	f->ann = fixture_mk(&f->x, &people_type, "{\"name\": \"Ann Lee\"}");
	f->w1 = fixture_mk(&f->x, &widget_type, "{\"title\": \"One\"}");
	at(f, T2, "bob");
	fixture_upd(&f->x, &widget_type, f->w1, "{\"title\": \"Uno\"}");
	f->w2 = fixture_mk(&f->x, &widget_type, "{\"title\": \"Two\"}");
	at(f, T3, "mia");
	if (fixture_delete(&f->x, &widget_type, f->w2, &e) < 0 ||
	    fixture_act(&f->x, &widget_type, f->w1, "submit", NULL, -1, NULL, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->x);
	free(f);
	return 0;
}

/* Collects "seq op type/id actor" lines; stops with an error after stop_after rows. */
struct seen {
	char lines[16][96];
	int n, stop_after;
};

static int see(void *arg, const struct change *ch, struct err *e)
{
	struct seen *s = arg;
	if (s->stop_after && s->n == s->stop_after)
		return err_set(e, ERR_INTERNAL, NULL, "stopped");
	assert_non_null(ch->hash);
	assert_false(ch->unreadable);
	if (s->n < 16)
		snprintf(s->lines[s->n], sizeof s->lines[0], "%lld %s %s/%lld %s", ch->seq, ch->op,
			 ch->record_type, ch->record_id, ch->actor);
	s->n++;
	return 0;
}

static void test_scan_in_sequence_order(void **state)
{
	struct fx *f = *state;
	struct seen s = {0};
	struct err e;
	char want[96];
	assert_int_equal(changes_scan(f->x.s, see, &s, &e), 0);
	assert_int_equal(s.n, 6);
	assert_int_equal(s.n, fixture_changes(&f->x));
	snprintf(want, sizeof want, "1 create person/%lld mia", f->ann);
	assert_string_equal(s.lines[0], want);
	snprintf(want, sizeof want, "3 update test_widget/%lld bob", f->w1);
	assert_string_equal(s.lines[2], want);
	snprintf(want, sizeof want, "6 submit test_widget/%lld mia", f->w1);
	assert_string_equal(s.lines[5], want);
	long long head;
	bool found;
	assert_int_equal(changes_head(f->x.s, &head, &found, &e), 0);
	assert_true(found);
	assert_int_equal(head, 6);
}

static void test_scan_stops_when_the_callback_fails(void **state)
{
	struct fx *f = *state;
	struct seen s = {.stop_after = 2};
	struct err e;
	err_clear(&e);
	fixture_assert_err(changes_scan(f->x.s, see, &s, &e), &e, ERR_INTERNAL, NULL);
	assert_int_equal(s.n, 2);
}

static void test_history_and_last_actor(void **state)
{
	struct fx *f = *state;
	json_t *h;
	struct err e;
	char who[65];
	assert_int_equal(changes_history(f->x.s, "test_widget", f->w1, "widget", &h, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(h, "total")), 3);
	json_t *items = json_object_get(h, "items");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "op")),
			    "create");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 2), "op")),
			    "submit");
	assert_true(json_is_null(json_object_get(json_array_get(items, 0), "detail")));
	json_decref(h);
	fixture_assert_err(changes_history(f->x.s, "test_widget", 999, "widget", &h, &e), &e,
			   ERR_NOT_FOUND, NULL);
	assert_null(h);

	static const char *const edits[] = {"create", "update", NULL};
	static const char *const creates[] = {"create", NULL};
	assert_int_equal(changes_last_actor(f->x.s, "test_widget", f->w1, edits, who, sizeof who,
					    &e),
			 0);
	assert_string_equal(who, "bob");
	assert_int_equal(changes_last_actor(f->x.s, "test_widget", f->w1, creates, who,
					    sizeof who, &e),
			 0);
	assert_string_equal(who, "mia");
	assert_int_equal(changes_last_actor(f->x.s, "test_widget", 999, edits, who, sizeof who,
					    &e),
			 0);
	assert_string_equal(who, "");
}

static const char *title_at(struct fx *f, long long id, const char *when, char *buf, size_t n)
{
	json_t *s;
	struct err e;
	if (changes_state_at(f->x.s, "test_widget", id, when, &s, &e) < 0)
		fail_msg("%s", e.message);
	if (!s)
		return NULL;
	snprintf(buf, n, "%s", json_string_value(json_object_get(s, "title")));
	json_decref(s);
	return buf;
}

static void test_state_at_a_time(void **state)
{
	struct fx *f = *state;
	char buf[64];
	assert_null(title_at(f, f->w1, "2023-12-31T00:00:00Z", buf, sizeof buf));
	assert_string_equal(title_at(f, f->w1, T1, buf, sizeof buf), "One");
	assert_string_equal(title_at(f, f->w1, "2024-01-15T00:00:00Z", buf, sizeof buf), "One");
	assert_string_equal(title_at(f, f->w1, T2, buf, sizeof buf), "Uno");
	assert_string_equal(title_at(f, f->w2, T2, buf, sizeof buf), "Two");
	assert_null(title_at(f, f->w2, T3, buf, sizeof buf)); /* deleted */
}

static int count_state(void *arg, long long id, json_t *s)
{
	json_t *titles = arg;
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	json_object_set(titles, key, json_object_get(s, "title"));
	return 0;
}

static void test_states_of_a_type_at_a_time(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *titles = json_object();
	assert_int_equal(changes_states_at(f->x.s, "test_widget", T1, count_state, titles, &e), 0);
	assert_int_equal(json_object_size(titles), 1);
	json_object_clear(titles);
	assert_int_equal(changes_states_at(f->x.s, "test_widget", T2, count_state, titles, &e), 0);
	assert_int_equal(json_object_size(titles), 2);
	json_object_clear(titles);
	assert_int_equal(changes_states_at(f->x.s, "test_widget", T3, count_state, titles, &e), 0);
	assert_int_equal(json_object_size(titles), 1);
	char key[24];
	snprintf(key, sizeof key, "%lld", f->w1);
	assert_string_equal(json_string_value(json_object_get(titles, key)), "Uno");
	json_decref(titles);
}

static long long feed(struct fx *f, const char *const *types, size_t ntypes, const char *actor,
		      long long limit, long long offset, struct seen *s)
{
	struct changes_feed_query q = {.types = types, .ntypes = ntypes, .actor = actor,
				       .limit = limit, .offset = offset};
	long long total = -1;
	struct err e;
	memset(s, 0, sizeof *s);
	if (changes_feed(f->x.s, &q, &total, see, s, &e) < 0)
		fail_msg("%s", e.message);
	return total;
}

static void test_feed_filters_and_pages(void **state)
{
	struct fx *f = *state;
	static const char *const both[] = {"person", "test_widget"};
	static const char *const widgets[] = {"test_widget"};
	struct seen s;
	char want[96];
	assert_int_equal(feed(f, both, 2, NULL, 50, 0, &s), 6);
	assert_int_equal(s.n, 6);
	assert_true(strncmp(s.lines[0], "6 ", 2) == 0); /* newest first */
	assert_true(strncmp(s.lines[5], "1 ", 2) == 0);
	assert_int_equal(feed(f, widgets, 1, NULL, 50, 0, &s), 5);
	assert_int_equal(feed(f, both, 2, "bob", 50, 0, &s), 2);
	snprintf(want, sizeof want, "4 create test_widget/%lld bob", f->w2);
	assert_string_equal(s.lines[0], want);
	assert_int_equal(feed(f, both, 0, NULL, 50, 0, &s), 0); /* no types, nothing */
	assert_int_equal(s.n, 0);
	assert_int_equal(feed(f, both, 2, "nobody", 50, 0, &s), 0);
	/* A page: the total counts everything, the rows are the page. */
	assert_int_equal(feed(f, both, 2, NULL, 2, 1, &s), 6);
	assert_int_equal(s.n, 2);
	assert_true(strncmp(s.lines[0], "5 ", 2) == 0);
	assert_true(strncmp(s.lines[1], "4 ", 2) == 0);
	assert_int_equal(feed(f, both, 2, NULL, 2, 6, &s), 6);
	assert_int_equal(s.n, 0);
}

static void test_audit_trail(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *out;
	struct audit_query q = {.type = "test-widgets", .limit = 2};
	assert_int_equal(audit_trail(&f->x.c, &q, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 5);
	json_t *items = json_object_get(out, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *first = json_array_get(items, 0), *second = json_array_get(items, 1);
	fixture_assert_field(first, "type", "\"test-widgets\"");
	fixture_assert_field(first, "op", "\"submit\"");
	fixture_assert_field(first, "title", "\"Uno\"");
	fixture_assert_field(second, "op", "\"delete\"");
	fixture_assert_field(second, "title", "\"\"");
	json_decref(out);

	q = (struct audit_query){.actor = "bob", .limit = 50};
	assert_int_equal(audit_trail(&f->x.c, &q, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 2);
	json_decref(out);

	q = (struct audit_query){.limit = 0};
	fixture_assert_err(audit_trail(&f->x.c, &q, &out, &e), &e, ERR_INVALID, "limit");
	q = (struct audit_query){.limit = 1, .offset = -1};
	fixture_assert_err(audit_trail(&f->x.c, &q, &out, &e), &e, ERR_INVALID, "offset");
	q = (struct audit_query){.type = "nonsense", .limit = 1};
	fixture_assert_err(audit_trail(&f->x.c, &q, &out, &e), &e, ERR_INVALID, "type");
	/* Staff may not read user accounts: that type is refused, and the other types' changes
	   are all they see. */
	fixture_as(&f->x, ROLE_STAFF, "sam");
	q = (struct audit_query){.type = "users", .limit = 1};
	fixture_assert_err(audit_trail(&f->x.c, &q, &out, &e), &e, ERR_INVALID, "type");
	q = (struct audit_query){.limit = 50};
	assert_int_equal(audit_trail(&f->x.c, &q, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 6);
	json_decref(out);
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	reg = *widget_registry();
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_scan_in_sequence_order),
		T(test_scan_stops_when_the_callback_fails),
		T(test_history_and_last_actor),
		T(test_state_at_a_time),
		T(test_states_of_a_type_at_a_time),
		T(test_feed_filters_and_pages),
		T(test_audit_trail),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
