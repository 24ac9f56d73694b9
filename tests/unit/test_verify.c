/* test_verify.c — `isms verify` on a SQLite store: a clean log verifies, and each way of
   tampering with the change log or the record tables behind isms's back is detected at the
   right sequence number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/sec.h"
#include "../../src/iso27001/people.h"
#include "../../src/engine/record.h"
#include "../../src/engine/schema.h"
#include "../../src/iso27001/iso.h"
#include "../support/fixture.h"
#include "../support/widget.h"
#include "../../src/engine/verify.h"

static struct registry reg;

static void registry_load(void)
{
	reg = *widget_registry();
}

struct fx {
	struct fixture x;
	/* The scripted history (see setup): record ids and the sequence of each change. */
	long long ann, bob, w1, w2;
	long long seq_ann_create, seq_bob_create, seq_w1_create, seq_w1_update, seq_ann_update,
		seq_w2_create, seq_w1_submit, seq_w2_update;
};

static long long sql_int(struct fx *f, const char *sql)
{
	return fixture_sql_int(&f->x, sql, NULL, 0);
}

static void sql_exec(struct fx *f, const char *sql)
{
	struct err e;
	err_clear(&e);
	if (store_script(f->x.s, sql, &e) < 0)
		fail_msg("%s: %s", sql, e.message);
}

static long long last_seq(struct fx *f)
{
	return sql_int(f, "SELECT max(seq) FROM changes");
}

/* One write in its own transaction; returns the record id and the change's sequence. */
static long long write1(struct fx *f, const char *what, const struct record_type *rt, long long id,
			const char *json, long long *seq)
{
	struct err e;
	json_t *out = NULL;
	int rc = strcmp(what, "create") == 0   ? fixture_create(&f->x, rt, json, &out, &e)
		 : strcmp(what, "update") == 0 ? fixture_update(&f->x, rt, id, json, &out, &e)
		 : strcmp(what, "delete") == 0 ? fixture_delete(&f->x, rt, id, &e)
					       : fixture_act(&f->x, rt, id, what, json, -1, &out, &e);
	if (rc < 0)
		fail_msg("%s %s: %s", what, rt->name, e.message);
	if (out)
		id = fixture_id(out);
	json_decref(out);
	if (seq)
		*seq = last_seq(f);
	return id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char json[128];
	*state = f;
	if (!f || fixture_open(&f->x, "verify", &reg) < 0)
		return -1;
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	f->ann =
		write1(f, "create", &people_type, 0, "{\"name\": \"Ann Lee\"}", &f->seq_ann_create);
	f->bob = write1(f, "create", &people_type, 0, "{\"name\": \"Bob Stone\"}",
			&f->seq_bob_create);
	snprintf(json, sizeof json, "{\"title\": \"W1\", \"owner\": %lld, \"members\": [%lld]}",
		 f->ann, f->bob);
	f->w1 = write1(f, "create", &widget_type, 0, json, &f->seq_w1_create);
	write1(f, "update", &widget_type, f->w1, "{\"count\": 1}", &f->seq_w1_update);
	write1(f, "update", &people_type, f->ann, "{\"department\": \"IT\"}", &f->seq_ann_update);
	f->w2 = write1(f, "create", &widget_type, 0, "{\"title\": \"W2\", \"flag\": true}",
		       &f->seq_w2_create);
	write1(f, "submit", &widget_type, f->w1, NULL, &f->seq_w1_submit);
	write1(f, "update", &widget_type, f->w2, "{\"body\": \"text\"}", &f->seq_w2_update);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->x);
	free(f);
	return 0;
}

/* Runs verify; the report text goes to *text (caller frees) when text is not NULL. */
static struct verify_result run(struct fx *f, char **text)
{
	struct verify_result res;
	struct err e;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	err_clear(&e);
	memset(&res, 0x5a, sizeof res);
	int rc = verify_run(&f->x.c, &res, out, &e);
	fclose(out);
	if (rc < 0) {
		free(buf);
		fail_msg("verify_run failed: %s", e.message);
	}
	if (text)
		*text = buf;
	else
		free(buf);
	return res;
}

static void expect_first_bad(struct fx *f, long long want)
{
	char *text;
	struct verify_result res = run(f, &text);
	if (res.problems == 0 || res.first_bad != want) {
		char copy[1024];
		snprintf(copy, sizeof copy, "%s", text);
		free(text);
		fail_msg("first_bad %lld with %lld problems, want first_bad %lld; report:\n%s",
			 res.first_bad, res.problems, want, copy);
	}
	free(text);
}

static void test_clean_log_verifies(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->seq_w2_update, 8);
	char *text;
	struct verify_result res = run(f, &text);
	assert_int_equal(res.problems, 0);
	assert_int_equal(res.first_bad, 0);
	assert_int_equal(res.checked, 8);
	assert_int_equal(res.checked, sql_int(f, "SELECT count(*) FROM changes"));
	assert_string_equal(text, "");
	free(text);
	/* head is the chain head's hash. */
	assert_int_equal(strlen(res.head), 64);
	struct store_rows *r;
	struct err e;
	assert_int_equal(store_query(f->x.s, "SELECT hash FROM chain_head WHERE id = 1", NULL, 0, &r,
				     &e),
			 0);
	assert_int_equal(store_next(r, &e), 1);
	assert_string_equal(store_text(r, 0), res.head);
	store_rows_free(r);
}

static void test_clean_after_deletes_and_set_null(void **state)
{
	struct fx *f = *state;
	char json[96];
	long long cy = write1(f, "create", &people_type, 0, "{\"name\": \"Cy\"}", NULL);
	snprintf(json, sizeof json, "{\"contact\": %lld}", cy);
	write1(f, "update", &widget_type, f->w2, json, NULL);
	write1(f, "delete", &people_type, cy, NULL, NULL); /* clears w2.contact */
	write1(f, "delete", &widget_type, f->w1, NULL, NULL);
	struct verify_result res = run(f, NULL);
	assert_int_equal(res.problems, 0);
	assert_int_equal(res.first_bad, 0);
	assert_int_equal(res.checked, 13);
}

static void test_empty_store_verifies(void **state)
{
	struct fx *f = *state;
	/* A separate, fresh store. */
	char path[160];
	struct store *s;
	struct err e;
	struct ctx c;
	struct verify_result res;
	snprintf(path, sizeof path, "%s/empty.db", f->x.dir);
	assert_int_equal(store_open(&s, path, NULL, &e), 0);
	assert_int_equal(schema_migrate(s, &reg, NULL, &e), 0);
	ctx_init(&c, s, &reg);
	ctx_set_local_admin(&c);
	FILE *out = fopen("/dev/null", "w");
	assert_int_equal(verify_run(&c, &res, out, &e), 0);
	fclose(out);
	assert_int_equal(res.checked, 0);
	assert_int_equal(res.problems, 0);
	assert_int_equal(res.first_bad, 0);
	store_close(s);
	static const char *const suffixes[] = {"", "-wal", "-shm", NULL};
	for (int i = 0; suffixes[i]; i++) {
		char p[200];
		snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
		unlink(p);
	}
}

/* (a) Editing a change's content breaks its hash. */
static void test_edited_change_state(void **state)
{
	struct fx *f = *state;
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE changes SET state = '{\"forged\":true}' WHERE seq = %lld",
		 f->seq_w1_update);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w1_update);
	char *text;
	run(f, &text);
	char want[32];
	snprintf(want, sizeof want, "sequence %lld", f->seq_w1_update);
	assert_non_null(strstr(text, want));
	free(text);
}

static void test_edited_change_actor(void **state)
{
	struct fx *f = *state;
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE changes SET actor = 'eve' WHERE seq = %lld",
		 f->seq_w1_create);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w1_create);
}

static void test_edited_change_invalid_json(void **state)
{
	struct fx *f = *state;
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE changes SET state = '{' WHERE seq = %lld",
		 f->seq_ann_update);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_ann_update);
}

static void test_edited_change_hash(void **state)
{
	struct fx *f = *state;
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE changes SET hash = 'abc' WHERE seq = %lld",
		 f->seq_w2_update);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w2_update);
}

/* (b) A change removed from the middle of the log. Here the removed change is not its
   record's last one, so only the chain is affected. */
static void test_deleted_middle_change(void **state)
{
	struct fx *f = *state;
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM changes WHERE seq = %lld", f->seq_w1_update);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w1_update);
	struct verify_result res = run(f, NULL);
	assert_int_equal(res.checked, 7);
}

/* (b) The removed middle change is the last change of its record (Ann's update): the log
   first goes wrong at that sequence, so that is the one to report, not Ann's earlier,
   intact create. */
static void test_deleted_middle_change_that_was_records_last(void **state)
{
	struct fx *f = *state;
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM changes WHERE seq = %lld", f->seq_ann_update);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_ann_update);
}

/* (c) The end of the log cut off while the chain head still says where it ended. */
static void test_deleted_last_change(void **state)
{
	struct fx *f = *state;
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM changes WHERE seq = %lld", f->seq_w2_update);
	sql_exec(f, sql);
	char *text;
	struct verify_result res = run(f, &text);
	assert_true(res.problems > 0);
	assert_true(res.first_bad > 0 && res.first_bad <= f->seq_w2_update);
	assert_non_null(strstr(text, "end of the log"));
	free(text);
}

/* (c) Cutting the end off and rewinding the chain head too: the last record's row no longer
   matches its last remaining change. */
static void test_deleted_last_change_and_head_rewound(void **state)
{
	struct fx *f = *state;
	char sql[200];
	snprintf(
		sql, sizeof sql,
		"DELETE FROM changes WHERE seq = %lld;"
		"UPDATE chain_head SET seq = seq - 1, hash = (SELECT hash FROM changes WHERE seq = "
		"%lld) WHERE id = 1",
		f->seq_w2_update, f->seq_w2_update - 1);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w2_create);
}

static void test_chain_head_moved(void **state)
{
	struct fx *f = *state;
	sql_exec(f, "UPDATE chain_head SET seq = seq + 1 WHERE id = 1");
	struct verify_result res = run(f, NULL);
	assert_true(res.problems > 0);
	assert_true(res.first_bad != 0);
}

/* (d) Two changes swapped in the sequence. */
static void test_swapped_sequence(void **state)
{
	struct fx *f = *state;
	char sql[256];
	snprintf(sql, sizeof sql,
		 "UPDATE changes SET seq = -1 WHERE seq = %lld;"
		 "UPDATE changes SET seq = %lld WHERE seq = %lld;"
		 "UPDATE changes SET seq = %lld WHERE seq = -1;",
		 f->seq_w1_create, f->seq_w1_create, f->seq_w2_create, f->seq_w2_create);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w1_create);
}

/* (e) A record row edited outside isms: reported at that record's last change. */
static void test_edited_record_row(void **state)
{
	struct fx *f = *state;
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE test_widgets SET body = 'tampered' WHERE id = %lld",
		 f->w2);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w2_update);
	char *text;
	run(f, &text);
	assert_non_null(strstr(text, "test widget"));
	free(text);
}

static void test_edited_record_row_earlier(void **state)
{
	struct fx *f = *state;
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE people SET name = 'Eve' WHERE id = %lld", f->bob);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_bob_create);
}

static void test_edited_record_version_only(void **state)
{
	struct fx *f = *state;
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE test_widgets SET version = version + 1 WHERE id = %lld",
		 f->w1);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w1_submit);
}

/* (f) A record row that no change created. */
static void test_inserted_record_row(void **state)
{
	struct fx *f = *state;
	sql_exec(f,
		 "INSERT INTO people (version, created_at, updated_at, name, active) "
		 "VALUES (1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'Ghost', 1)");
	char *text;
	struct verify_result res = run(f, &text);
	assert_true(res.problems > 0);
	assert_true(res.first_bad != 0);
	assert_non_null(strstr(text, "no change ever created it"));
	free(text);
}

/* A record row removed outside isms. */
static void test_deleted_record_row(void **state)
{
	struct fx *f = *state;
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM test_widgets WHERE id = %lld", f->w1);
	sql_exec(f, sql);
	expect_first_bad(f, f->seq_w1_submit);
}

/* A record deleted through isms and then put back behind its back. */
static void test_deleted_record_reinserted(void **state)
{
	struct fx *f = *state;
	write1(f, "delete", &widget_type, f->w2, NULL, NULL);
	long long del = last_seq(f);
	char sql[200];
	snprintf(sql, sizeof sql,
		 "INSERT INTO test_widgets (id, version, created_at, updated_at, title, flag) "
		 "VALUES (%lld, 3, 'x', 'x', 'W2', 1)",
		 f->w2);
	sql_exec(f, sql);
	expect_first_bad(f, del);
}

/* A stored file is checked against its SHA-256 key: intact it verifies, changed it is a
   problem that names it. */
static void test_stored_file_rehashed(void **state)
{
	struct fx *f = *state;
	struct err e;
	char hash[SEC_HASH_HEX], *text;
	static const char bytes[] = "evidence\0with a NUL";
	err_clear(&e);
	sec_sha256_hex(bytes, sizeof bytes, hash);
	struct store_val p[] = {SVS(hash), SVI(sizeof bytes), SVB(bytes, sizeof bytes)};
	assert_int_equal(store_exec(f->x.s, "INSERT INTO blobs (sha256, size, content) VALUES ($1, "
					  "$2, $3)",
				    p, 3, &e),
			 0);
	struct verify_result res = run(f, NULL);
	assert_int_equal(res.problems, 0);
	assert_int_equal(res.blobs, 1);
	struct store_val q[] = {SVS(hash), SVB("evidence\0with a NUM", sizeof bytes)};
	assert_int_equal(store_exec(f->x.s, "UPDATE blobs SET content = $2 WHERE sha256 = $1", q, 2,
				    &e),
			 0);
	res = run(f, &text);
	assert_int_equal(res.problems, 1);
	assert_non_null(strstr(text, hash));
	free(text);
}

int main(void)
{
	if (sec_init() < 0)
		return 1;
	registry_load();
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_clean_log_verifies),
		T(test_clean_after_deletes_and_set_null),
		T(test_empty_store_verifies),
		T(test_edited_change_state),
		T(test_edited_change_actor),
		T(test_edited_change_invalid_json),
		T(test_edited_change_hash),
		T(test_deleted_middle_change),
		T(test_deleted_middle_change_that_was_records_last),
		T(test_deleted_last_change),
		T(test_deleted_last_change_and_head_rewound),
		T(test_chain_head_moved),
		T(test_swapped_sequence),
		T(test_edited_record_row),
		T(test_edited_record_row_earlier),
		T(test_edited_record_version_only),
		T(test_inserted_record_row),
		T(test_deleted_record_row),
		T(test_deleted_record_reinserted),
		T(test_stored_file_rehashed),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
