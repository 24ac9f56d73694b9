/* test_controls.c — the control catalog seed, applied controls, the Statement of
   Applicability (refused creation and deletion, exclusions, reasons, derived status and
   links), SoA versions (numbers, content hash, immutability) and treatment actions (done_on,
   overdue), on a fresh SQLite store seeded once for the whole group. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/json.h"
#include "../../src/engine/query.h"
#include "../../src/base/text.h"
#include "../../src/base/sec.h"
#include "../../src/iso27001/annex_a.h"
#include "../../src/iso27001/c4_context.h"
#include "../../src/iso27001/c6_1_3_controls.h"
#include "../../src/iso27001/c6_1_3_soa.h"
#include "../../src/iso27001/people.h"
#include "../../src/engine/record.h"
#include "../../src/iso27001/c6_1_2_risks.h"
#include "../../src/engine/schema.h"
#include "../../src/iso27001/c6_1_3_treatment.h"
#include "../../src/engine/verify.h"
#include "../support/fixture.h"
#include "../support/widget.h"

struct fx {
	struct fixture x;
	long long person, party, requirement;
};

static int w_seed(struct fx *f, struct err *e)
{
	err_clear(e);
	assert_int_equal(store_begin(f->x.s, true, e), 0);
	int rc = catalog_seed(&f->x.c, e);
	if (rc == 0)
		rc = store_commit(f->x.s, e);
	else
		store_rollback(f->x.s);
	return rc;
}

/* The SoA entry of an Annex A control, by its number. */
static long long soa_of(struct fx *f, const char *control_id)
{
	struct store_val p[] = {SVS(control_id)};
	return fixture_sql_int(&f->x,
			       "SELECT s.id FROM soa_entries s JOIN catalog_controls c ON c.id = "
			       "s.catalog_control WHERE c.control_id = $1",
			       p, 1);
}

static long long catalog_of(struct fx *f, const char *control_id)
{
	struct store_val p[] = {SVS(control_id)};
	return fixture_sql_int(&f->x, "SELECT id FROM catalog_controls WHERE control_id = $1", p, 1);
}

static int group_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;
	*state = f;
	if (!f || fixture_open(&f->x, "controls", widget_registry()) < 0)
		return -1;
	if (w_seed(f, &e) < 0) {
		fprintf(stderr, "seed: %s\n", e.message);
		return -1;
	}
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	f->person = fixture_mk(&f->x, &people_type, "{\"name\": \"Olga Owner\"}");
	char json[256];
	f->party = fixture_mk(&f->x, &interested_parties_type,
			      "{\"name\": \"Big customer\", \"origin\": \"external\", \"kind\": "
			      "\"customer\"}");
	snprintf(json, sizeof json,
		 "{\"description\": \"Encrypt backups\", \"party\": %lld, \"source\": "
		 "\"contractual\", \"how_addressed\": \"Backup encryption\"}",
		 f->party);
	f->requirement = fixture_mk(&f->x, &requirements_type, json);
	return 0;
}

static int group_teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->x);
	free(f);
	return 0;
}

/* ---- the catalog seed ----------------------------------------------------------------- */

static void test_seed_loads_annex_a(void **state)
{
	struct fx *f = *state;
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM frameworks", NULL, 0), 1);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM catalog_controls", NULL, 0), 93);
	static const struct {
		const char *theme;
		long long n;
	} themes[] = {{"organizational", 37}, {"people", 8}, {"physical", 14}, {"technological", 34}};
	for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
		struct store_val p[] = {SVS(themes[i].theme)};
		assert_int_equal(
			fixture_sql_int(&f->x, "SELECT count(*) FROM catalog_controls WHERE theme = $1", p, 1),
			themes[i].n);
	}
	assert_int_equal(
		fixture_sql_int(&f->x, "SELECT count(*) FROM catalog_controls WHERE new_in_2022 = 1", NULL, 0),
		11);
	json_t *cc = fixture_get(&f->x, &catalog_controls_type, catalog_of(f, "8.16"));
	fixture_assert_field(cc, "title", "\"Monitoring activities\"");
	fixture_assert_field(cc, "name", "\"8.16 Monitoring activities\"");
	fixture_assert_field(cc, "theme", "\"technological\"");
	fixture_assert_field(cc, "new_in_2022", "true");
	fixture_assert_field(json_object_get(cc, "attributes"), "control_types",
		     "[\"Detective\",\"Corrective\"]");
	json_decref(cc);
}

static void test_seed_creates_one_soa_entry_per_control(void **state)
{
	struct fx *f = *state;
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM soa_entries", NULL, 0), 93);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(DISTINCT catalog_control) FROM soa_entries",
				 NULL, 0),
			 93);
	json_t *s = fixture_get(&f->x, &soa_type, soa_of(f, "5.1"));
	fixture_assert_field(s, "title", "\"5.1 Policies for information security\"");
	fixture_assert_field(s, "applicable", "true");
	fixture_assert_field(s, "inclusion_reasons", "[]");
	fixture_assert_field(s, "implementation_status", "\"not_started\"");
	fixture_assert_field(s, "controls", "[]");
	fixture_assert_field(s, "risks", "[]");
	fixture_assert_field(s, "requirements", "[]");
	json_decref(s);
	/* Every seeded record is in the change log, by the local administrator. */
	assert_int_equal(fixture_sql_int(&f->x,
				 "SELECT count(*) FROM changes WHERE record_type IN ('framework', "
				 "'catalog_control', 'soa_entry') AND op = 'create' AND actor = "
				 "'@local'",
				 NULL, 0),
			 1 + 93 + 93);
}

static void test_seed_is_idempotent(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long before = fixture_changes(&f->x);
	ctx_set_local_admin(&f->x.c);
	assert_int_equal(w_seed(f, &e), 0);
	assert_int_equal(w_seed(f, &e), 0);
	assert_int_equal(fixture_changes(&f->x), before);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM catalog_controls", NULL, 0), 93);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM soa_entries", NULL, 0), 93);
}

/* ---- read-only catalogs --------------------------------------------------------------- */

static void test_catalogs_refuse_every_writer(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long cc = catalog_of(f, "5.1");
	long long fw = fixture_sql_int(&f->x, "SELECT id FROM frameworks", NULL, 0);
	long long before = fixture_changes(&f->x);
	char json[200];
	snprintf(json, sizeof json,
		 "{\"framework\": %lld, \"control_id\": \"9.9\", \"title\": \"Made up\", "
		 "\"name\": \"9.9 Made up\"}",
		 fw);
	for (int role = 0; role < ROLE_COUNT; role++) {
		fixture_as(&f->x, (enum role)role, "someone");
		if (role == ROLE_ADMIN)
			ctx_set_local_admin(&f->x.c); /* even the local administrator */
		fixture_assert_err(fixture_create(&f->x, &catalog_controls_type, json, NULL, &e),
		                   &e, ERR_FORBIDDEN, NULL);
		fixture_assert_err(fixture_update(&f->x, &catalog_controls_type, cc,
		                                  "{\"title\": \"Renamed\"}", NULL, &e),
		                   &e, ERR_FORBIDDEN, NULL);
		fixture_assert_err(fixture_delete(&f->x, &catalog_controls_type, cc, &e), &e,
		                   ERR_FORBIDDEN, NULL);
		fixture_assert_err(fixture_create(&f->x, &frameworks_type, "{\"name\": \"NIST\"}", NULL, &e), &e,
			   ERR_FORBIDDEN, NULL);
		fixture_assert_err(fixture_update(&f->x, &frameworks_type, fw,
		                                  "{\"edition\": \"2013\"}", NULL, &e),
		                   &e, ERR_FORBIDDEN, NULL);
		fixture_assert_err(fixture_delete(&f->x, &frameworks_type, fw, &e), &e, ERR_FORBIDDEN, NULL);
	}
	assert_int_equal(fixture_changes(&f->x), before);
	fixture_as(&f->x, ROLE_STAFF, "sam");
	json_t *got = fixture_get(&f->x, &catalog_controls_type, cc);
	fixture_assert_field(got, "title", "\"Policies for information security\"");
	json_decref(got);
}

/* ---- the Statement of Applicability --------------------------------------------------- */

static void test_soa_entries_cannot_be_created(void **state)
{
	struct fx *f = *state;
	struct err e;
	char json[100];
	snprintf(json, sizeof json, "{\"catalog_control\": %lld}", catalog_of(f, "5.1"));
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	fixture_assert_err(fixture_create(&f->x, &soa_type, "{\"applicable\": true}", NULL, &e), &e,
	                   ERR_FORBIDDEN, NULL);
	fixture_assert_err(fixture_create(&f->x, &soa_type, "{\"note\": \"extra\"}", NULL, &e), &e,
	                   ERR_FORBIDDEN, NULL);
	assert_non_null(strstr(e.message, "created by isms"));
	ctx_set_local_admin(&f->x.c); /* even the local administrator */
	fixture_assert_err(fixture_create(&f->x, &soa_type, "{\"note\": \"x\"}", NULL, &e), &e,
	                   ERR_FORBIDDEN, NULL);
	fixture_as(&f->x, ROLE_STAFF, "sam");
	fixture_assert_err(fixture_create(&f->x, &soa_type, "{}", NULL, &e), &e, ERR_FORBIDDEN, NULL);
	/* Read-only fields cannot be sent at all. */
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	fixture_assert_err(fixture_create(&f->x, &soa_type, json, NULL, &e), &e, ERR_INVALID,
	                   "catalog_control");
	fixture_assert_err(fixture_update(&f->x, &soa_type, soa_of(f, "5.2"), json, NULL, &e), &e,
	                   ERR_INVALID, "catalog_control");
	/* Nor deleted: exclusion is the way to drop a control. */
	fixture_assert_err(fixture_delete(&f->x, &soa_type, soa_of(f, "5.3"), &e), &e, ERR_CONFLICT, NULL);
	ctx_set_local_admin(&f->x.c);
	fixture_assert_err(fixture_delete(&f->x, &soa_type, soa_of(f, "5.3"), &e), &e, ERR_CONFLICT, NULL);
	fixture_as(&f->x, ROLE_STAFF, "sam");
	fixture_assert_err(fixture_delete(&f->x, &soa_type, soa_of(f, "5.3"), &e), &e,
	                   ERR_FORBIDDEN, NULL);
	assert_int_equal(fixture_sql_int(&f->x, "SELECT count(*) FROM soa_entries", NULL, 0), 93);
}

static void test_soa_exclusion_needs_justification(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long id = soa_of(f, "7.5");
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	fixture_assert_err(fixture_update(&f->x, &soa_type, id, "{\"applicable\": false}", NULL, &e), &e,
		   ERR_INVALID, "exclusion_justification");
	fixture_assert_err(fixture_update(&f->x, &soa_type, id,
			    "{\"applicable\": false, \"exclusion_justification\": \" \\n \"}", NULL,
			    &e),
		   &e, ERR_INVALID, "exclusion_justification");
	fixture_upd(&f->x, &soa_type, id,
	    "{\"applicable\": false, \"exclusion_justification\": \"No premises of our own\"}");
	/* Clearing the justification of an excluded control is refused too. */
	fixture_assert_err(fixture_update(&f->x, &soa_type, id,
	                                  "{\"exclusion_justification\": \"\"}", NULL, &e),
	                   &e, ERR_INVALID, "exclusion_justification");
	json_t *s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "applicable", "false");
	fixture_assert_field(s, "exclusion_justification", "\"No premises of our own\"");
	json_decref(s);
	/* Only managers change the SoA. */
	fixture_as(&f->x, ROLE_CONTROL_OWNER, "carl");
	fixture_assert_err(fixture_update(&f->x, &soa_type, id, "{\"applicable\": true}", NULL, &e), &e,
		   ERR_FORBIDDEN, NULL);
	fixture_as(&f->x, ROLE_ADMIN, "adam");
	fixture_upd(&f->x, &soa_type, id, "{\"applicable\": true}");
}

static void test_soa_inclusion_reasons(void **state)
{
	struct fx *f = *state;
	struct err e;
	long long id = soa_of(f, "5.2");
	json_t *s;
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	static const char *const bad[] = {
		"{\"inclusion_reasons\": [\"because\"]}",
		"{\"inclusion_reasons\": \"legal\"}",
		"{\"inclusion_reasons\": [1]}",
		"{\"inclusion_reasons\": {\"legal\": true}}",
		"{\"inclusion_reasons\": [\"legal\", null]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		fixture_assert_err(fixture_update(&f->x, &soa_type, id, bad[i], NULL, &e), &e, ERR_INVALID,
			   "inclusion_reasons");
	/* Stored in one canonical order without duplicates. */
	assert_int_equal(fixture_update(&f->x, &soa_type, id,
				  "{\"inclusion_reasons\": [\"good_practice\", \"legal\", "
				  "\"risk_treatment\", \"legal\"]}",
				  &s, &e),
			 0);
	fixture_assert_field(s, "inclusion_reasons", "[\"risk_treatment\",\"legal\",\"good_practice\"]");
	json_decref(s);
	fixture_upd(&f->x, &soa_type, id, "{\"inclusion_reasons\": null}");
	s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "inclusion_reasons", "[]");
	json_decref(s);
	fixture_upd(&f->x, &soa_type, id,
	    "{\"inclusion_reasons\": [\"business_requirement\", \"contractual\"]}");
}

static void test_soa_status_is_derived_from_controls(void **state)
{
	struct fx *f = *state;
	char json[300];
	long long cc = catalog_of(f, "8.13"), other = catalog_of(f, "5.30");
	long long id = soa_of(f, "8.13");
	json_t *s;
	fixture_as(&f->x, ROLE_CONTROL_OWNER, "carl");

	s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "implementation_status", "\"not_started\"");
	json_decref(s);

	snprintf(json, sizeof json,
		 "{\"name\": \"Nightly backups\", \"status\": \"implemented\", \"owner\": %lld, "
		 "\"catalog_controls\": [%lld, %lld], \"implemented_on\": \"2025-01-10\"}",
		 f->person, cc, other);
	long long a = fixture_mk(&f->x, &controls_type, json);
	snprintf(json, sizeof json,
		 "{\"name\": \"Offsite backup copy\", \"catalog_controls\": [%lld], "
		 "\"requirements\": [%lld], \"owner\": %lld}",
		 cc, f->requirement, f->person);
	long long b = fixture_mk(&f->x, &controls_type, json);
	json_t *ctl = fixture_get(&f->x, &controls_type, b);
	fixture_assert_field(ctl, "status", "\"planned\"");
	fixture_assert_field(ctl, "effectiveness", "\"not_assessed\"");
	json_decref(ctl);

	char want[64];
	s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "implementation_status", "\"partial\"");
	snprintf(want, sizeof want, "[%lld,%lld]", a, b);
	fixture_assert_field(s, "controls", want);
	snprintf(want, sizeof want, "[%lld]", f->requirement);
	fixture_assert_field(s, "requirements", want);
	json_decref(s);
	/* The one applied control serves both catalog controls. */
	s = fixture_get(&f->x, &soa_type, soa_of(f, "5.30"));
	fixture_assert_field(s, "implementation_status", "\"implemented\"");
	snprintf(want, sizeof want, "[%lld]", a);
	fixture_assert_field(s, "controls", want);
	fixture_assert_field(s, "requirements", "[]");
	json_decref(s);

	fixture_upd(&f->x, &controls_type, b,
		    "{\"status\": \"implemented\", \"implemented_on\": \"2025-02-01\"}");
	s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "implementation_status", "\"implemented\"");
	json_decref(s);

	fixture_upd(&f->x, &controls_type, a, "{\"status\": \"planned\"}");
	fixture_upd(&f->x, &controls_type, b, "{\"status\": \"not_implemented\"}");
	s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "implementation_status", "\"not_started\"");
	json_decref(s);

	fixture_upd(&f->x, &controls_type, a, "{\"status\": \"in_progress\"}");
	s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "implementation_status", "\"partial\"");
	json_decref(s);

	/* The override wins; clearing it brings the derived status back. */
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	fixture_upd(&f->x, &soa_type, id,
	            "{\"status_override\": \"implemented\", \"note\": \"Tape too\"}");
	s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "implementation_status", "\"implemented\"");
	fixture_assert_field(s, "status_override", "\"implemented\"");
	json_decref(s);
	fixture_upd(&f->x, &soa_type, id, "{\"status_override\": null}");
	s = fixture_get(&f->x, &soa_type, id);
	fixture_assert_field(s, "implementation_status", "\"partial\"");
	json_decref(s);

	/* Derived values are shown, never stored nor logged. */
	struct store_val p[] = {SVI(id)};
	assert_int_equal(fixture_sql_int(&f->x,
				 "SELECT count(*) FROM changes WHERE record_type = 'soa_entry' AND "
				 "record_id = $1 AND state LIKE '%implementation_status%'",
				 p, 1),
			 0);
}

static void test_soa_lists_the_risks_behind_it(void **state)
{
	struct fx *f = *state;
	char json[300];
	long long cc = catalog_of(f, "8.7");
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	snprintf(json, sizeof json,
		 "{\"name\": \"Endpoint protection\", \"catalog_controls\": [%lld], \"owner\": %lld}",
		 cc, f->person);
	long long ctl = fixture_mk(&f->x, &controls_type, json);
	snprintf(json, sizeof json,
		 "{\"title\": \"Ransomware on laptops\", \"owner\": %lld, \"controls\": [%lld]}",
		 f->person, ctl);
	long long r1 = fixture_mk(&f->x, &risks_type, json);
	snprintf(json, sizeof json,
		 "{\"title\": \"Malware via USB\", \"owner\": %lld, \"controls\": [%lld]}",
		 f->person, ctl);
	long long r2 = fixture_mk(&f->x, &risks_type, json);
	snprintf(json, sizeof json, "{\"title\": \"Unrelated\", \"owner\": %lld}", f->person);
	fixture_mk(&f->x, &risks_type, json);

	char want[64];
	snprintf(want, sizeof want, "[%lld,%lld]", r1, r2);
	json_t *s = fixture_get(&f->x, &soa_type, soa_of(f, "8.7"));
	fixture_assert_field(s, "risks", want);
	json_decref(s);
	json_t *c = fixture_get(&f->x, &controls_type, ctl);
	fixture_assert_field(c, "risks", want);
	json_decref(c);

	/* Deleting a risk takes it off the SoA. */
	struct err e;
	assert_int_equal(fixture_delete(&f->x, &risks_type, r1, &e), 0);
	snprintf(want, sizeof want, "[%lld]", r2);
	s = fixture_get(&f->x, &soa_type, soa_of(f, "8.7"));
	fixture_assert_field(s, "risks", want);
	json_decref(s);
}

/* Creates a control from json with the fixture's owner put in front of it ("{" + owner +
   the rest of json after its "{"), expecting err code and field. */
static void control_refused(struct fx *f, const char *json, enum err_code code,
			    const char *field)
{
	char full[600];
	struct err e;
	snprintf(full, sizeof full, "{\"owner\": %lld, %s", f->person, json + 1);
	fixture_assert_err(fixture_create(&f->x, &controls_type, full, NULL, &e), &e, code, field);
}

static void test_control_rules(void **state)
{
	struct fx *f = *state;
	struct err e;
	char json[300];
	fixture_as(&f->x, ROLE_CONTROL_OWNER, "carl");
	fixture_assert_err(fixture_create(&f->x, &controls_type, "{\"description\": \"x\"}", NULL, &e), &e,
		   ERR_INVALID, "name");
	/* An owner is required. */
	fixture_assert_err(fixture_create(&f->x, &controls_type, "{\"name\": \"x\"}", NULL, &e), &e,
			   ERR_INVALID, "owner");
	control_refused(f, "{\"name\": \"x\", \"status\": \"done\"}", ERR_INVALID, "status");
	control_refused(f, "{\"name\": \"x\", \"effectiveness\": \"great\"}", ERR_INVALID,
			"effectiveness");
	control_refused(f, "{\"name\": \"x\", \"catalog_controls\": [99999]}", ERR_INVALID,
			"catalog_controls");
	control_refused(f,
			"{\"name\": \"x\", \"implemented_on\": \"2025-05-01\", \"next_review\": "
			"\"2025-04-01\"}",
			ERR_INVALID, "next_review");
	/* Implemented needs the day; the day is in the past and in a sane year. */
	control_refused(f, "{\"name\": \"x\", \"status\": \"implemented\"}", ERR_INVALID,
			"implemented_on");
	control_refused(f, "{\"name\": \"x\", \"status\": \"implemented\", \"implemented_on\": "
			   "\"2199-01-01\"}",
			ERR_INVALID, "implemented_on");
	control_refused(f, "{\"name\": \"x\", \"implemented_on\": \"1850-01-01\"}", ERR_INVALID,
			"implemented_on");
	control_refused(f, "{\"name\": \"x\", \"next_review\": \"2300-01-01\"}", ERR_INVALID,
			"next_review");
	/* Effective needs evidence: a dated effectiveness check (or a file). */
	control_refused(f, "{\"name\": \"x\", \"effectiveness\": \"effective\"}", ERR_INVALID,
			"effectiveness");
	control_refused(f, "{\"name\": \"x\", \"implemented_on\": \"2025-05-01\", "
			   "\"effectiveness_reviewed_on\": \"2025-04-01\"}",
			ERR_INVALID, "effectiveness_reviewed_on");
	snprintf(json, sizeof json,
		 "{\"name\": \"Checked\", \"owner\": %lld, \"status\": \"implemented\", "
		 "\"implemented_on\": \"2025-01-01\", \"effectiveness\": \"effective\", "
		 "\"effectiveness_reviewed_on\": \"2025-03-01\"}",
		 f->person);
	long long ok = fixture_mk(&f->x, &controls_type, json);
	/* Clearing the check's date of an effective control without a file is refused. */
	fixture_assert_err(fixture_update(&f->x, &controls_type, ok,
					  "{\"effectiveness_reviewed_on\": null}", NULL, &e),
			   &e, ERR_INVALID, "effectiveness");
	fixture_as(&f->x, ROLE_STAFF, "sam");
	fixture_assert_err(fixture_create(&f->x, &controls_type, "{\"name\": \"x\"}", NULL, &e), &e,
	                   ERR_FORBIDDEN, NULL);
	fixture_as(&f->x, ROLE_RISK_OWNER, "rita");
	fixture_assert_err(fixture_create(&f->x, &controls_type, "{\"name\": \"x\"}", NULL, &e), &e,
	                   ERR_FORBIDDEN, NULL);
}

/* ---- SoA versions --------------------------------------------------------------------- */

/* Every applicable entry without a reason gets one, through the record layer (logged). */
static void decide_every_entry(struct fx *f)
{
	struct err e;
	json_t *ids, *id;
	size_t i;
	struct query all = {.type = "soa_entry"};
	assert_int_equal(query_ids(&f->x.c, &all, &ids, &e), 0);
	json_array_foreach(ids, i, id) {
		json_t *s = fixture_get(&f->x, &soa_type, json_integer_value(id));
		if (json_is_true(json_object_get(s, "applicable")) &&
		    json_array_size(json_object_get(s, "inclusion_reasons")) == 0)
			fixture_upd(&f->x, &soa_type, json_integer_value(id),
				    "{\"inclusion_reasons\": [\"good_practice\"]}");
		json_decref(s);
	}
	json_decref(ids);
}

static void test_soa_versions_freeze_the_soa(void **state)
{
	struct fx *f = *state;
	struct err e;
	json_t *v1, *v2, *v3;
	fixture_as(&f->x, ROLE_STAFF, "sam");
	fixture_assert_err(fixture_create(&f->x, &soa_versions_type, "{}", NULL, &e), &e,
	                   ERR_FORBIDDEN, NULL);
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	/* Not while an entry is undecided: 409 naming them. */
	fixture_assert_err(fixture_create(&f->x, &soa_versions_type, "{}", NULL, &e), &e,
	                   ERR_CONFLICT, "entries");
	assert_non_null(strstr(e.message, "applicable but no reason for inclusion given"));
	decide_every_entry(f);
	fixture_assert_err(fixture_create(&f->x, &soa_versions_type, "{\"number\": 7}", NULL, &e),
	                   &e, ERR_INVALID, "number");
	fixture_assert_err(
		fixture_create(&f->x, &soa_versions_type, "{\"content_hash\": \"abc\"}", NULL, &e),
		&e, ERR_INVALID, "content_hash");

	assert_int_equal(fixture_create(&f->x, &soa_versions_type, "{\"note\": \"First\"}", &v1, &e), 0);
	/* Prepared, not yet approved: numbered only on approval. */
	fixture_assert_field(v1, "status", "\"prepared\"");
	fixture_assert_field(v1, "number", "null");
	fixture_assert_field(v1, "prepared_by", "\"mia\"");
	char today[32];
	snprintf(today, sizeof today, "\"%.10s\"", f->x.c.now);
	fixture_assert_field(v1, "prepared_on", today);
	json_t *snap = json_object_get(v1, "snapshot");
	assert_int_equal(json_array_size(snap), 93);
	/* The hash is SHA-256 of the canonical snapshot. */
	char *canon = json_canonical(snap), hash[SEC_HASH_HEX];
	sec_sha256_hex(canon, strlen(canon), hash);
	free(canon);
	assert_string_equal(json_str(v1, "content_hash"), hash);
	json_t *first = json_array_get(snap, 0);
	fixture_assert_field(first, "control_id", "\"5.1\"");
	fixture_assert_field(first, "title", "\"Policies for information security\"");
	fixture_assert_field(first, "theme", "\"organizational\"");
	/* Linked records come with their titles. */
	json_t *e813 = NULL;
	size_t i;
	json_t *x;
	json_array_foreach(snap, i, x) if (str_eq(json_str(x, "control_id"), "8.13")) e813 = x;
	assert_non_null(e813);
	assert_string_equal(json_str(json_array_get(json_object_get(e813, "controls"), 0), "title"),
			    "Nightly backups");
	assert_string_equal(
		json_str(json_array_get(json_object_get(e813, "requirements"), 0), "title"),
		"Encrypt backups");

	fixture_as(&f->x, ROLE_ADMIN, "adam");
	assert_int_equal(fixture_create(&f->x, &soa_versions_type, "{}", &v2, &e), 0);
	assert_string_equal(json_str(v1, "content_hash"), json_str(v2, "content_hash"));

	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	fixture_upd(&f->x, &soa_type, soa_of(f, "6.7"), "{\"note\": \"Remote work policy v2\"}");
	assert_int_equal(fixture_create(&f->x, &soa_versions_type, "{}", &v3, &e), 0);
	assert_string_not_equal(json_str(v1, "content_hash"), json_str(v3, "content_hash"));

	/* Frozen from the start: no edit of any version, by anyone who may make one. */
	long long before = fixture_changes(&f->x);
	fixture_assert_err(fixture_update(&f->x, &soa_versions_type, fixture_id(v1),
	                                  "{\"note\": \"Edited\"}", NULL, &e),
	                   &e, ERR_CONFLICT, NULL);
	fixture_assert_err(
		fixture_update(&f->x, &soa_versions_type, fixture_id(v1), "{}", NULL, &e), &e,
		ERR_CONFLICT, NULL);
	fixture_as(&f->x, ROLE_ADMIN, "adam");
	fixture_assert_err(fixture_update(&f->x, &soa_versions_type, fixture_id(v2),
	                                  "{\"note\": \"x\"}", NULL, &e),
	                   &e, ERR_CONFLICT, NULL);
	assert_int_equal(fixture_changes(&f->x), before);
	/* A prepared version that will not be approved is deleted (approval: the API tests). */
	assert_int_equal(fixture_delete(&f->x, &soa_versions_type, fixture_id(v2), &e), 0);
	/* The stored version is what was returned. */
	json_t *got = fixture_get(&f->x, &soa_versions_type, fixture_id(v1));
	assert_true(json_equal(json_object_get(got, "snapshot"), json_object_get(v1, "snapshot")));
	assert_string_equal(json_str(got, "content_hash"), json_str(v1, "content_hash"));
	json_decref(got);
	json_decref(v1);
	json_decref(v2);
	json_decref(v3);
}

/* ---- treatment actions ---------------------------------------------------------------- */

static void test_treatment_actions(void **state)
{
	struct fx *f = *state;
	struct err e;
	char json[300];
	json_t *t;
	fixture_as(&f->x, ROLE_RISK_OWNER, "rita");
	snprintf(json, sizeof json, "{\"title\": \"Stolen laptop\", \"owner\": %lld}", f->person);
	long long risk = fixture_mk(&f->x, &risks_type, json);
	snprintf(f->x.c.now, sizeof f->x.c.now, "2026-03-10T12:00:00.000Z");

	static const struct {
		const char *due, *status, *done_on;
		const char *overdue;
	} cases[] = {
		{"2026-03-09", "planned", NULL, "true"},
		{"2026-03-09", "in_progress", NULL, "true"},
		{"2026-03-10", "planned", NULL, "false"}, /* due today is not late yet */
		{"2026-03-11", "planned", NULL, "false"},
		{"2026-03-01", "done", "2026-03-05", "false"},
		{"2026-03-01", "cancelled", NULL, "false"},
		{NULL, "planned", NULL, "false"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char due[40] = "null", done[40] = "null";
		if (cases[i].due)
			snprintf(due, sizeof due, "\"%s\"", cases[i].due);
		if (cases[i].done_on)
			snprintf(done, sizeof done, "\"%s\"", cases[i].done_on);
		snprintf(json, sizeof json,
			 "{\"risk\": %lld, \"action\": \"Step %zu\", \"due_date\": %s, \"status\": "
			 "\"%s\", \"done_on\": %s}",
			 risk, i, due, cases[i].status, done);
		long long id = fixture_mk(&f->x, &treatment_actions_type, json);
		t = fixture_get(&f->x, &treatment_actions_type, id);
		fixture_assert_field(t, "overdue", cases[i].overdue);
		json_decref(t);
	}

	snprintf(json, sizeof json,
		 "{\"risk\": %lld, \"action\": \"Encrypt disks\", \"due_date\": \"2026-01-31\", "
		 "\"owner\": %lld}",
		 risk, f->person);
	long long id = fixture_mk(&f->x, &treatment_actions_type, json);
	t = fixture_get(&f->x, &treatment_actions_type, id);
	fixture_assert_field(t, "status", "\"planned\"");
	fixture_assert_field(t, "overdue", "true");
	json_decref(t);
	fixture_assert_err(fixture_update(&f->x, &treatment_actions_type, id,
	                                  "{\"status\": \"done\"}", NULL, &e),
	                   &e, ERR_INVALID, "done_on");
	assert_int_equal(fixture_update(&f->x, &treatment_actions_type, id,
				  "{\"status\": \"done\", \"done_on\": \"2026-02-02\"}", &t, &e),
			 0);
	fixture_assert_field(t, "overdue", "false");
	json_decref(t);
	/* Overdue is never stored nor logged. */
	struct store_val p[] = {SVI(id)};
	assert_int_equal(fixture_sql_int(&f->x,
				 "SELECT count(*) FROM changes WHERE record_type = "
				 "'treatment_action' AND record_id = $1 AND state LIKE '%overdue%'",
				 p, 1),
			 0);

	fixture_assert_err(fixture_create(&f->x, &treatment_actions_type,
	                                  "{\"action\": \"No risk\"}", NULL, &e),
	                   &e, ERR_INVALID, "risk");
	snprintf(json, sizeof json, "{\"risk\": %lld}", risk);
	fixture_assert_err(fixture_create(&f->x, &treatment_actions_type, json, NULL, &e), &e, ERR_INVALID,
		   "action");
	fixture_as(&f->x, ROLE_AUDITOR, "audrey");
	snprintf(json, sizeof json, "{\"risk\": %lld, \"action\": \"x\"}", risk);
	fixture_assert_err(fixture_create(&f->x, &treatment_actions_type, json, NULL, &e), &e,
	                   ERR_FORBIDDEN, NULL);
	/* A risk with a treatment plan cannot be deleted out from under it. */
	fixture_as(&f->x, ROLE_ISMS_MANAGER, "mia");
	fixture_assert_err(fixture_delete(&f->x, &risks_type, risk, &e), &e, ERR_IN_USE, NULL);
}

static void test_verify_after_everything(void **state)
{
	struct fx *f = *state;
	struct verify_result res;
	struct err e;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	err_clear(&e);
	assert_int_equal(store_begin(f->x.s, false, &e), 0);
	int rc = verify_run(&f->x.c, &res, out, &e);
	store_rollback(f->x.s);
	fclose(out);
	if (rc < 0 || res.first_bad != 0)
		fail_msg("verify: %s %s", e.message, text ? text : "");
	free(text);
	assert_true(res.checked > 93 * 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_loads_annex_a),
		cmocka_unit_test(test_seed_creates_one_soa_entry_per_control),
		cmocka_unit_test(test_seed_is_idempotent),
		cmocka_unit_test(test_catalogs_refuse_every_writer),
		cmocka_unit_test(test_soa_entries_cannot_be_created),
		cmocka_unit_test(test_soa_exclusion_needs_justification),
		cmocka_unit_test(test_soa_inclusion_reasons),
		cmocka_unit_test(test_soa_status_is_derived_from_controls),
		cmocka_unit_test(test_soa_lists_the_risks_behind_it),
		cmocka_unit_test(test_control_rules),
		cmocka_unit_test(test_soa_versions_freeze_the_soa),
		cmocka_unit_test(test_treatment_actions),
		cmocka_unit_test(test_verify_after_everything),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
