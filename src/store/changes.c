/* changes.c — appending to and reading the hash-chained change log: the one file that
   names its tables. The chain head row is updated first in every write, so concurrent
   writers (several PostgreSQL processes) serialize on its row lock and the sequence has no
   gaps. Every read selects the same columns and goes through one row reader (each). */
#include "changes.h"
#include "../base/buf.h"
#include "../base/sec.h"
#include "../base/json.h"
#include "../base/xalloc.h"

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

/* The columns every read selects, in the order each() reads them. */
#define CHANGE_COLS                                                                        \
	"c.seq, c.at, c.actor, c.record_type, c.record_id, c.op, c.state, c.detail, c.hash"

static json_t *parse_json(const char *text, bool *bad)
{
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	if (text && !v)
		*bad = true;
	return v;
}

/* Runs a query selecting CHANGE_COLS and calls fn for each row. */
static int each(struct store *s, const char *sql, const struct store_val *p, int n,
		changes_fn fn, void *arg, struct err *e)
{
	struct store_rows *r;
	int rc;
	if (store_query(s, sql, p, n, &r, e) < 0)
		return -1;
	while ((rc = store_next(r, e)) > 0) {
		bool bad = false;
		json_t *state = parse_json(store_text(r, 6), &bad);
		json_t *detail = parse_json(store_text(r, 7), &bad);
		struct change ch = {.seq = store_int(r, 0),
				    .at = store_text(r, 1),
				    .actor = store_text(r, 2),
				    .record_type = store_text(r, 3),
				    .record_id = store_int(r, 4),
				    .op = store_text(r, 5),
				    .state = state,
				    .detail = detail,
				    .hash = store_text(r, 8),
				    .unreadable = bad};
		rc = fn(arg, &ch, e);
		json_decref(state);
		json_decref(detail);
		if (rc < 0)
			break;
	}
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int changes_scan(struct store *s, changes_fn fn, void *arg, struct err *e)
{
	return each(s, "SELECT " CHANGE_COLS " FROM changes c ORDER BY c.seq", NULL, 0, fn, arg,
		    e);
}

int changes_head(struct store *s, long long *seq, bool *found, struct err *e)
{
	return store_query_int(s, "SELECT seq FROM chain_head WHERE id = 1", NULL, 0, seq, found,
			       e);
}

/* A JSON value for a borrowed, possibly absent one. */
static json_t *or_null(const json_t *v)
{
	return v ? json_incref((json_t *)v) : json_null();
}

/* A decision recorded late says in its detail the day it took effect, and why. */
static json_t *detail_text(const struct change *ch, const char *key)
{
	json_t *v = json_is_object(ch->detail) ? json_object_get(ch->detail, key) : NULL;
	return json_is_string(v) ? json_incref(v) : json_null();
}

static int add_history(void *arg, const struct change *ch, struct err *e)
{
	(void)e;
	json_array_append_new(arg, json_build("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
					     "seq", (json_int_t)ch->seq, "at", ch->at, "actor",
					     ch->actor, "op", ch->op, "state", or_null(ch->state),
					     "detail", or_null(ch->detail), "effective_on",
					     detail_text(ch, "effective_on"), "reason",
					     detail_text(ch, "reason"), "decided_by",
					     detail_text(ch, "decided_by")));
	return 0;
}

int changes_history(struct store *s, const char *type, long long id, const char *label,
		    json_t **out, struct err *e)
{
	struct store_val p[] = {SVS(type), SVI(id)};
	json_t *items = json_array();
	*out = NULL;
	if (each(s,
		 "SELECT " CHANGE_COLS " FROM changes c WHERE c.record_type = $1 AND "
		 "c.record_id = $2 ORDER BY c.seq",
		 p, 2, add_history, items, e) < 0) {
		json_decref(items);
		return -1;
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		return err_set(e, ERR_NOT_FOUND, NULL, "no %s with id %lld has ever existed", label,
			       id);
	}
	*out = json_build("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}

#define LAST_ACTOR_OPS 8

int changes_last_actor(struct store *s, const char *type, long long id,
		       const char *const *ops, char *out, size_t size, struct err *e)
{
	struct store_val p[2 + LAST_ACTOR_OPS] = {SVS(type), SVI(id)};
	struct buf sql = BUF_INIT;
	struct store_rows *r = NULL;
	int n = 2, ret = -1;
	out[0] = '\0';
	buf_puts(&sql, "SELECT c.actor FROM changes c WHERE c.record_type = $1 AND c.record_id = "
		       "$2 AND c.op IN (NULL");
	for (size_t i = 0; ops && ops[i]; i++) {
		if (i == LAST_ACTOR_OPS) {
			err_set(e, ERR_INTERNAL, NULL, "changes_last_actor: more than %d ops",
				LAST_ACTOR_OPS);
			goto out;
		}
		p[n++] = SVS(ops[i]);
		buf_printf(&sql, ", $%d", n);
	}
	buf_puts(&sql, ") ORDER BY c.seq DESC LIMIT 1");
	if (store_query(s, sql.data, p, n, &r, e) < 0)
		goto out;
	int rc = store_next(r, e);
	if (rc < 0)
		goto out;
	if (rc > 0)
		snprintf(out, size, "%s", store_text(r, 0));
	ret = 0;
out:
	store_rows_free(r);
	buf_release(&sql);
	return ret;
}

/* Keeps the state of the one change read, unless it is a delete. */
static int keep_state(void *arg, const struct change *ch, struct err *e)
{
	json_t **out = arg;
	(void)e;
	if (strcmp(ch->op, "delete") != 0 && json_is_object(ch->state))
		*out = json_incref((json_t *)ch->state);
	return 0;
}

int changes_state_at(struct store *s, const char *type, long long id, const char *until,
		     json_t **out, struct err *e)
{
	struct store_val p[] = {SVS(type), SVI(id), SVS(until)};
	*out = NULL;
	if (each(s,
		 "SELECT " CHANGE_COLS " FROM changes c WHERE c.record_type = $1 AND "
		 "c.record_id = $2 AND c.at <= $3 ORDER BY c.seq DESC LIMIT 1",
		 p, 3, keep_state, out, e) < 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

struct states_at {
	int (*fn)(void *arg, long long id, json_t *state);
	void *arg;
};

static int pass_state(void *arg, const struct change *ch, struct err *e)
{
	struct states_at *a = arg;
	(void)e;
	if (!json_is_object(ch->state))
		return 0;
	return a->fn(a->arg, ch->record_id, (json_t *)ch->state);
}

int changes_states_at(struct store *s, const char *type, const char *until,
		      int (*fn)(void *arg, long long id, json_t *state), void *arg,
		      struct err *e)
{
	struct store_val p[] = {SVS(type), SVS(until)};
	struct states_at a = {.fn = fn, .arg = arg};
	return each(s,
		    "SELECT " CHANGE_COLS " FROM changes c JOIN (SELECT record_id, max(seq) AS seq "
		    "FROM changes WHERE record_type = $1 AND at <= $2 GROUP BY record_id) last ON "
		    "last.seq = c.seq WHERE c.op <> 'delete'",
		    p, 2, pass_state, &a, e);
}

int changes_feed(struct store *s, const struct changes_feed_query *q, long long *total,
		 changes_fn fn, void *arg, struct err *e)
{
	struct store_val *p = xcalloc(q->ntypes + 3, sizeof *p);
	struct buf where = BUF_INIT, sql = BUF_INIT;
	int n = 0, ret = -1;
	buf_puts(&where, " WHERE c.record_type IN (NULL");
	for (size_t i = 0; i < q->ntypes; i++) {
		p[n++] = SVS(q->types[i]);
		buf_printf(&where, ", $%d", n);
	}
	buf_putc(&where, ')');
	if (q->actor) {
		p[n++] = SVS(q->actor);
		buf_printf(&where, " AND c.actor = $%d", n);
	}
	buf_printf(&sql, "SELECT count(*) FROM changes c%s", where.data);
	if (store_query_int(s, sql.data, p, n, total, NULL, e) < 0)
		goto out;
	buf_reset(&sql);
	buf_printf(&sql, "SELECT " CHANGE_COLS " FROM changes c%s ORDER BY c.seq DESC LIMIT $%d "
			 "OFFSET $%d",
		   where.data, n + 1, n + 2);
	p[n] = SVI(q->limit);
	p[n + 1] = SVI(q->offset);
	ret = each(s, sql.data, p, n + 2, fn, arg, e);
out:
	free(p);
	buf_release(&where);
	buf_release(&sql);
	return ret;
}

int changes_counts(struct store *s, const char *since, const char *until,
		   int (*fn)(void *arg, const char *type, const char *op, long long n,
			     long long some_id, struct err *e),
		   void *arg, struct err *e)
{
	struct store_val p[] = {SVS(since ? since : ""), SVS(until)};
	struct store_rows *r;
	int rc;
	if (store_query(s,
			"SELECT record_type, op, count(*), max(record_id) FROM changes WHERE at >= $1 "
			"AND at < $2 GROUP BY record_type, op ORDER BY record_type, op",
			p, 2, &r, e) < 0)
		return -1;
	while ((rc = store_next(r, e)) > 0) {
		rc = fn(arg, store_text(r, 0), store_text(r, 1), store_int(r, 2), store_int(r, 3),
			e);
		if (rc < 0)
			break;
	}
	store_rows_free(r);
	return rc < 0 ? -1 : 0;
}
