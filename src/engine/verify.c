/* verify.c — `isms verify`: recompute the hash chain over every change in sequence order,
   then compare each record table row with the state of that record's last change, and
   re-hash every stored file against its key. */
#include "verify.h"
#include "credentials.h"
#include "../base/sec.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../store/changes.h"

#include <stdlib.h>
#include <string.h>

#define MAX_REPORTED 30

struct scan {
	struct verify_result *res;
	long long chain_bad; /* where the chain itself broke, 0 if it holds */
	FILE *out;
	json_t *last; /* "type/id" -> [seq, op, canonical state or null, seen] */
	const struct record_type *rt;
	/* The chain as recomputed so far. */
	char hash[SEC_HASH_HEX];
	long long expect; /* the next sequence number */
	bool broken;
};

/* Reports a problem. Once the chain itself is broken, that break is the first bad
   sequence: later state mismatches may only be its consequences. */
static void problem(struct scan *s, long long seq, const char *fmt, const char *a, long long id)
{
	struct verify_result *res = s->res;
	if (res->problems++ < MAX_REPORTED) {
		if (seq > 0)
			fprintf(s->out, "  sequence %lld: ", seq);
		else
			fputs("  ", s->out);
		fprintf(s->out, fmt, a, id);
		fputc('\n', s->out);
	}
	if (s->chain_bad)
		res->first_bad = s->chain_bad;
	else if (seq > 0 && (res->first_bad <= 0 || seq < res->first_bad))
		res->first_bad = seq;
	else if (seq <= 0 && res->first_bad == 0)
		res->first_bad = -1;
}

static void chain_problem(struct scan *s, long long seq, const char *fmt, const char *a,
			  long long id)
{
	s->chain_bad = seq;
	problem(s, seq, fmt, a, id);
}

/* Checks one change against the chain so far, and remembers it as its record's last. */
static int check_change(void *arg, const struct change *ch, struct err *e)
{
	struct scan *s = arg;
	(void)e;
	s->res->checked++;
	if (!s->broken) {
		if (ch->seq != s->expect) {
			chain_problem(s, s->expect, "%s (next in the log is sequence %lld)",
				      "missing or out of order", ch->seq);
			s->broken = true;
		} else if (ch->unreadable) {
			chain_problem(s, ch->seq, "%s", "stored JSON is not valid", 0);
			s->broken = true;
		} else {
			char *canon = changes_canonical(ch);
			sec_chain_hex(s->hash, canon, strlen(canon), s->hash);
			free(canon);
			if (!str_eq(s->hash, ch->hash ? ch->hash : "")) {
				chain_problem(s, ch->seq, "%s", "hash does not match its content and "
						"the chain before it (edited, reordered or inserted)",
					      0);
				s->broken = true;
			}
		}
	}
	char key[160];
	snprintf(key, sizeof key, "%s/%lld", ch->record_type ? ch->record_type : "?",
		 ch->record_id);
	char *canon_state = ch->state ? json_canonical(ch->state) : NULL;
	json_object_set_new(s->last, key,
			    json_build("[I,s,s?,b]", (json_int_t)ch->seq, ch->op ? ch->op : "",
				      canon_state, 0));
	free(canon_state);
	s->expect = ch->seq + 1;
	return 0;
}

static int check_chain(struct ctx *c, struct scan *s, struct err *e)
{
	s->expect = 1;
	if (changes_scan(c->store, check_change, s, e) < 0)
		return -1;
	long long head_seq;
	bool found;
	if (changes_head(c->store, &head_seq, &found, e) < 0)
		return -1;
	if (!s->broken && (!found || head_seq != s->expect - 1))
		chain_problem(s, s->expect, "%s (the chain head says the log ends at sequence %lld)",
			"missing: the end of the log was removed", found ? head_seq : 0);
	snprintf(s->res->head, sizeof s->res->head, "%s", s->hash);
	return 0;
}

static int check_row(void *arg, long long id, json_t *state)
{
	struct scan *s = arg;
	char key[160];
	snprintf(key, sizeof key, "%s/%lld", s->rt->name, id);
	json_t *last = json_object_get(s->last, key);
	if (!last) {
		problem(s, 0, "%s %lld exists but no change ever created it", s->rt->label, id);
		return 0;
	}
	json_array_set_new(last, 3, json_true());
	long long seq = json_integer_value(json_array_get(last, 0));
	const char *op = json_string_value(json_array_get(last, 1));
	const char *logged = json_string_value(json_array_get(last, 2));
	if (str_eq(op, "delete")) {
		problem(s, seq, "%s %lld was deleted here but still exists", s->rt->label, id);
		return 0;
	}
	char *now = json_canonical(state);
	if (!logged || strcmp(now, logged) != 0)
		problem(s, seq, "%s %lld differs from the state this change recorded (edited outside "
				"isms)",
			s->rt->label, id);
	free(now);
	if (!record_seal_holds(s->rt, state))
		problem(s, 0, "%s %lld: its sealed content no longer matches the SHA-256 recorded "
			      "when it was sealed",
			s->rt->label, id);
	return 0;
}

/* Passwords and API tokens are logged as digests (credentials.c): a row that differs from
   its last logged state, or that no change ever wrote, was written outside isms. */
static int check_credential(void *arg, const char *kind, long long id, json_t *state)
{
	struct scan *s = arg;
	const char *label = credentials_label(kind);
	char key[160];
	snprintf(key, sizeof key, "%s/%lld", kind, id);
	json_t *last = json_object_get(s->last, key);
	if (!last) {
		problem(s, 0, "%s %lld exists but no change ever created it (written outside isms)",
			label, id);
		return 0;
	}
	json_array_set_new(last, 3, json_true());
	long long seq = json_integer_value(json_array_get(last, 0));
	const char *logged = json_string_value(json_array_get(last, 2));
	if (str_eq(json_string_value(json_array_get(last, 1)), "delete")) {
		problem(s, seq, "%s %lld was deleted here but still exists", label, id);
		return 0;
	}
	char *now = json_canonical(state);
	if (!logged || strcmp(now, logged) != 0)
		problem(s, seq, "%s %lld differs from the state this change recorded (changed "
				"outside isms)",
			label, id);
	free(now);
	return 0;
}

/* Stored files are named by their SHA-256 (the attachment records log the hash), so a file
   whose bytes no longer match its name was changed outside isms. */
static int check_blobs(struct ctx *c, struct scan *s, struct err *e)
{
	struct store_rows *r;
	int rc;
	if (store_query(c->store, "SELECT sha256, size, content FROM blobs ORDER BY sha256", NULL,
			0, &r, e) < 0)
		return -1;
	while ((rc = store_next(r, e)) > 0) {
		char hash[SEC_HASH_HEX];
		size_t len;
		const void *bytes = store_blob(r, 2, &len);
		const char *key = store_text(r, 0);
		sec_sha256_hex(bytes ? bytes : "", len, hash);
		s->res->blobs++;
		if (strcmp(hash, key) != 0 || (long long)len != store_int(r, 1))
			problem(s, 0, "stored file %s: its content no longer matches its hash (changed "
				      "outside isms; %lld bytes now)",
				key, (long long)len);
	}
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int verify_run(struct ctx *c, struct verify_result *res, FILE *out, struct err *e)
{
	struct scan s = {.res = res, .out = out, .last = json_object()};
	int ret = -1;
	memset(res, 0, sizeof *res);
	if (check_chain(c, &s, e) < 0)
		goto done;
	for (size_t i = 0; i < c->reg->ntypes; i++) {
		s.rt = c->reg->types[i];
		if (record_scan(c, s.rt, check_row, &s, e) < 0)
			goto done;
	}
	if (credentials_scan(c, check_credential, &s, e) < 0)
		goto done;
	const char *key;
	json_t *last;
	json_object_foreach(s.last, key, last) {
		if (json_is_true(json_array_get(last, 3)) ||
		    str_eq(json_string_value(json_array_get(last, 1)), "delete"))
			continue;
		const struct record_type *rt = NULL;
		char type[128] = "";
		long long id = 0;
		if (sscanf(key, "%127[^/]/%lld", type, &id) == 2)
			rt = registry_find(c->reg, type);
		const char *label = rt ? rt->label : credentials_label(type);
		if (label)
			problem(&s, json_integer_value(json_array_get(last, 0)),
				"%s %lld is missing: it was removed outside isms", label, id);
	}
	if (check_blobs(c, &s, e) < 0)
		goto done;
	ret = 0;
done:
	json_decref(s.last);
	return ret;
}
