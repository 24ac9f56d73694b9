/* changes.c — appending to and reading the hash-chained change log. The chain head row is
   updated first in every write, so concurrent writers (several PostgreSQL processes)
   serialize on its row lock and the sequence has no gaps. */
#include "changes.h"
#include "../base/sec.h"
#include "../base/json.h"

#include <stdlib.h>
#include <string.h>

char *changes_canonical(const struct change *ch)
{
	json_t *o = json_object();
	json_object_set_new(o, "seq", json_integer(ch->seq));
	json_object_set_new(o, "at", json_string(ch->at));
	json_object_set_new(o, "actor", json_string(ch->actor));
	json_object_set_new(o, "type", json_string(ch->record_type));
	json_object_set_new(o, "id", json_integer(ch->record_id));
	json_object_set_new(o, "op", json_string(ch->op));
	json_object_set(o, "state", ch->state ? (json_t *)ch->state : json_null());
	json_object_set(o, "detail", ch->detail ? (json_t *)ch->detail : json_null());
	char *s = json_canonical(o);
	json_decref(o);
	return s;
}

int changes_append(struct store *s, struct change *ch, struct err *e)
{
	struct store_rows *r = NULL;
	char *canon = NULL, *state = NULL, *detail = NULL;
	char prev[SEC_HASH_HEX], hash[SEC_HASH_HEX];
	int ret = -1;
	if (store_query(s, "UPDATE chain_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
			NULL, 0, &r, e) < 0)
		goto out;
	if (store_next(r, e) <= 0) {
		if (e->code == ERR_NONE)
			err_set(e, ERR_STORE, NULL, "the change log has no chain head");
		goto out;
	}
	ch->seq = store_int(r, 0);
	snprintf(prev, sizeof prev, "%s", store_text(r, 1) ? store_text(r, 1) : "");
	store_rows_free(r);
	r = NULL;

	canon = changes_canonical(ch);
	sec_chain_hex(prev, canon, strlen(canon), hash);
	state = ch->state ? json_canonical(ch->state) : NULL;
	detail = ch->detail ? json_canonical(ch->detail) : NULL;
	struct store_val p[] = {SVI(ch->seq),         SVS(ch->at),     SVS(ch->actor),
				SVS(ch->record_type), SVI(ch->record_id), SVS(ch->op),
				SVS(state),           SVS(detail),     SVS(hash)};
	if (store_exec(s,
		       "INSERT INTO changes (seq, at, actor, record_type, record_id, op, state, "
		       "detail, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		       p, 9, e) < 0)
		goto out;
	struct store_val h[] = {SVS(hash)};
	if (store_exec(s, "UPDATE chain_head SET hash = $1 WHERE id = 1", h, 1, e) < 0)
		goto out;
	ret = 0;
out:
	store_rows_free(r);
	free(canon);
	free(state);
	free(detail);
	return ret;
}

static json_t *parse_or_null(const char *t)
{
	json_t *v = t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
	return v ? v : json_null();
}

int changes_history(struct store *s, const char *type, long long id, const char *label,
		    json_t **out, struct err *e)
{
	struct store_rows *r;
	struct store_val p[] = {SVS(type), SVI(id)};
	*out = NULL;
	if (store_query(s,
			"SELECT seq, at, actor, op, state, detail FROM changes "
			"WHERE record_type = $1 AND record_id = $2 ORDER BY seq",
			p, 2, &r, e) < 0)
		return -1;
	json_t *items = json_array();
	int rc;
	while ((rc = store_next(r, e)) > 0) {
		json_t *o = json_object();
		json_object_set_new(o, "seq", json_integer(store_int(r, 0)));
		json_object_set_new(o, "at", json_string(store_text(r, 1)));
		json_object_set_new(o, "actor", json_string(store_text(r, 2)));
		json_object_set_new(o, "op", json_string(store_text(r, 3)));
		json_object_set_new(o, "state", parse_or_null(store_text(r, 4)));
		json_object_set_new(o, "detail", parse_or_null(store_text(r, 5)));
		json_array_append_new(items, o);
	}
	store_rows_free(r);
	if (rc < 0) {
		json_decref(items);
		return -1;
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		return err_set(e, ERR_NOT_FOUND, NULL, "no %s with id %lld has ever existed", label,
			       id);
	}
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}
