/* cmd_records.c — record commands (types, list, show, add, edit, rm, act, history): argv
   becomes the same JSON the API takes, typed by the registry. */
#include "cli.h"
#include "../base/text.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../engine/describe.h"
#include "../engine/due.h"
#include "../store/changes.h"

#include <errno.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

static int parse_int(const char *field, const char *s, long long *out, struct err *e)
{
	if (!text_to_ll(s, LLONG_MIN, LLONG_MAX, out))
		return err_set(e, ERR_INVALID, field, "%s must be a whole number, not \"%s\"", field, s);
	return 0;
}

/* Turns "value" into the JSON the field takes (caller owns *out). */
static int field_value(const struct field *f, const char *s, json_t **out, struct err *e)
{
	long long n;
	*out = NULL;
	if (!*s && f->type != FT_REFS) {
		*out = json_null();
		return 0;
	}
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		if (parse_int(f->name, s, &n, e) < 0)
			return -1;
		*out = json_integer(n);
		return 0;
	case FT_BOOL:
		if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcmp(s, "1"))
			*out = json_true();
		else if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcmp(s, "0"))
			*out = json_false();
		else
			return err_set(e, ERR_INVALID, f->name, "%s must be true or false, not \"%s\"",
				       f->name, s);
		return 0;
	case FT_REFS: {
		json_t *a = json_array();
		char *copy = strdup(s), *save = NULL;
		for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (parse_int(f->name, tok, &n, e) < 0) {
				free(copy);
				json_decref(a);
				return -1;
			}
			json_array_append_new(a, json_integer(n));
		}
		free(copy);
		*out = a;
		return 0;
	}
	case FT_JSON: {
		json_error_t je;
		*out = json_loads(s, JSON_DECODE_ANY, &je);
		if (!*out)
			return err_set(e, ERR_INVALID, f->name, "%s must be JSON: %s", f->name, je.text);
		return 0;
	}
	default:
		*out = json_string(s);
		if (!*out)
			return err_set(e, ERR_INVALID, f->name, "%s is not valid UTF-8 text", f->name);
		return 0;
	}
}

/* Builds the input object from field=value arguments starting at positional first. */
static int fields_input(struct cli *cli, const struct record_type *rt, int first, json_t **out,
			struct err *e)
{
	json_t *o = json_object();
	const char *a;
	for (int i = first; (a = cli_arg(cli, i)); i++) {
		const char *eq = strchr(a, '=');
		if (!eq || eq == a) {
			json_decref(o);
			return err_set(e, ERR_USAGE, NULL, "expected field=value, got \"%s\"", a);
		}
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
		const struct field *f = record_field(rt, name);
		if (!f) {
			json_decref(o);
			return err_set(e, ERR_INVALID, name, "%s has no field \"%s\"", rt->label, name);
		}
		json_t *v;
		if (field_value(f, eq + 1, &v, e) < 0) {
			json_decref(o);
			return -1;
		}
		json_object_set_new(o, name, v);
	}
	*out = o;
	return 0;
}

static int record_type_arg(struct cli *cli, const struct record_type **rt, struct err *e)
{
	const char *name = cli_arg(cli, 0);
	if (!name)
		return err_set(e, ERR_USAGE, NULL, "which record type? (isms types lists them)");
	*rt = registry_find(cli->reg, name);
	if (!*rt)
		return err_set(e, ERR_USAGE, NULL, "no record type \"%s\" (isms types lists them)",
			       name);
	return 0;
}

static int id_arg(struct cli *cli, int pos, long long *id, struct err *e)
{
	const char *s = cli_arg(cli, pos);
	if (!s)
		return err_set(e, ERR_USAGE, NULL, "which record? give its id");
	if (parse_int("id", s, id, e) < 0 || *id <= 0)
		return err_set(e, ERR_USAGE, "id", "\"%s\" is not a record id", s);
	return 0;
}

static int if_match_arg(struct cli *cli, long long *v, struct err *e)
{
	const char *s;
	*v = -1;
	if (!cli_option(cli, "--if-match", &s))
		return 0;
	return parse_int("--if-match", s ? s : "", v, e);
}

struct job {
	const struct record_type *rt;
	long long id, if_match;
	json_t *input, *out;
	const char *action;
	struct list_query q;
};

/* Opens the store as the acting user, runs fn in one transaction, closes. */
static int run(struct cli *cli, bool write,
	       int (*fn)(struct cli *, struct ctx *, void *, struct err *), struct job *j,
	       struct err *e)
{
	struct ctx c;
	if (cli_open(cli, &c, false, true, e) < 0)
		return -1;
	int rc = cli_in_tx(&c, write, fn, cli, j, e);
	if (rc == 0 && j->out && json_is_object(j->out) && json_object_get(j->out, "version"))
		record_add_actions(&c, j->rt, j->out);
	store_close(c.store);
	return rc;
}

static int do_list(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct job *j = arg;
	return record_list(c, j->rt, &j->q, &j->out, e);
}

static void print_table(const struct record_type *rt, json_t *list)
{
	const struct field *cols[5];
	int n = 0;
	for (size_t i = 0; i < rt->nfields && n < 5; i++) {
		const struct field *f = &rt->fields[i];
		if (f->type != FT_MARKDOWN && f->type != FT_REFS && f->type != FT_JSON &&
		    !(f->flags & F_WRITEONLY))
			cols[n++] = f;
	}
	printf("%-6s", "ID");
	for (int k = 0; k < n; k++)
		printf("  %-22.22s", cols[k]->label);
	putchar('\n');
	size_t i;
	json_t *rec;
	json_array_foreach(json_object_get(list, "items"), i, rec) {
		printf("%-6lld", (long long)json_integer_value(json_object_get(rec, "id")));
		for (int k = 0; k < n; k++) {
			json_t *v = json_object_get(rec, cols[k]->name);
			char cell[64] = "";
			if (json_is_string(v))
				snprintf(cell, sizeof cell, "%s", json_string_value(v));
			else if (json_is_integer(v))
				snprintf(cell, sizeof cell, "%lld", (long long)json_integer_value(v));
			else if (json_is_boolean(v))
				snprintf(cell, sizeof cell, "%s", json_is_true(v) ? "yes" : "no");
			printf("  %-22.22s", cell);
		}
		putchar('\n');
	}
	long long total = json_integer_value(json_object_get(list, "total"));
	printf("(%zu of %lld)\n", json_array_size(json_object_get(list, "items")), total);
}

int cmd_list(struct cli *cli, struct err *e)
{
	struct job j = {0};
	const char *names[64], *values[64], *s, *a;
	if (record_type_arg(cli, &j.rt, e) < 0)
		return -1;
	j.q.limit = 50;
	cli_option(cli, "--q", &j.q.q);
	cli_option(cli, "--sort", &j.q.sort);
	if ((cli_option(cli, "--limit", &s) && parse_int("limit", s ? s : "", &j.q.limit, e) < 0) ||
	    (cli_option(cli, "--offset", &s) && parse_int("offset", s ? s : "", &j.q.offset, e) < 0))
		return -1;
	for (int i = 1; (a = cli_arg(cli, i)); i++) {
		const char *eq = strchr(a, '=');
		if (!eq || i > 64)
			return err_set(e, ERR_USAGE, NULL, "expected field=value, got \"%s\"", a);
		names[j.q.nfilters] = strndup(a, (size_t)(eq - a));
		values[j.q.nfilters++] = eq + 1;
	}
	j.q.filter_names = names;
	j.q.filter_values = values;
	char as_of[CLOCK_TS_LEN];
	if (cli_option(cli, "--as-of", &s)) {
		if (!s || !clock_parse_rfc3339(s, as_of)) {
			for (size_t i = 0; i < j.q.nfilters; i++)
				free((char *)names[i]);
			return err_set(e, ERR_USAGE, "as-of",
				       "--as-of takes an RFC 3339 time, e.g. 2026-06-30T23:59:59Z");
		}
		j.q.as_of = as_of;
	}
	int rc = run(cli, false, do_list, &j, e);
	for (size_t i = 0; i < j.q.nfilters; i++)
		free((char *)names[i]);
	if (rc < 0)
		return -1;
	if (cli->json)
		cli_print_json(j.out);
	else {
		print_table(j.rt, j.out);
		json_decref(j.out);
	}
	return 0;
}

static int do_show(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct job *j = arg;
	return record_get(c, j->rt, j->id, &j->out, e);
}

int cmd_show(struct cli *cli, struct err *e)
{
	struct job j = {0};
	if (record_type_arg(cli, &j.rt, e) < 0 || id_arg(cli, 1, &j.id, e) < 0 ||
	    run(cli, false, do_show, &j, e) < 0)
		return -1;
	cli_print_json(j.out);
	return 0;
}

static int do_add(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct job *j = arg;
	return record_create(c, j->rt, j->input, &j->out, e);
}

int cmd_add(struct cli *cli, struct err *e)
{
	struct job j = {0};
	if (record_type_arg(cli, &j.rt, e) < 0 || fields_input(cli, j.rt, 1, &j.input, e) < 0)
		return -1;
	int rc = run(cli, true, do_add, &j, e);
	json_decref(j.input);
	if (rc < 0)
		return -1;
	cli_print_json(j.out);
	return 0;
}

static int do_edit(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct job *j = arg;
	return record_update(c, j->rt, j->id, j->input, j->if_match, &j->out, e);
}

int cmd_edit(struct cli *cli, struct err *e)
{
	struct job j = {0};
	if (record_type_arg(cli, &j.rt, e) < 0 || id_arg(cli, 1, &j.id, e) < 0 ||
	    if_match_arg(cli, &j.if_match, e) < 0 || fields_input(cli, j.rt, 2, &j.input, e) < 0)
		return -1;
	int rc = run(cli, true, do_edit, &j, e);
	json_decref(j.input);
	if (rc < 0)
		return -1;
	cli_print_json(j.out);
	return 0;
}

static int do_rm(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct job *j = arg;
	return record_delete(c, j->rt, j->id, j->if_match, e);
}

int cmd_rm(struct cli *cli, struct err *e)
{
	struct job j = {0};
	if (record_type_arg(cli, &j.rt, e) < 0 || id_arg(cli, 1, &j.id, e) < 0 ||
	    if_match_arg(cli, &j.if_match, e) < 0 || run(cli, true, do_rm, &j, e) < 0)
		return -1;
	printf("isms: deleted %s %lld\n", j.rt->label, j.id);
	return 0;
}

static int do_act(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct job *j = arg;
	return record_act(c, j->rt, j->id, j->action, j->input, j->if_match, &j->out, e);
}

int cmd_act(struct cli *cli, struct err *e)
{
	struct job j = {0};
	const char *a;
	if (record_type_arg(cli, &j.rt, e) < 0 || id_arg(cli, 1, &j.id, e) < 0 ||
	    if_match_arg(cli, &j.if_match, e) < 0)
		return -1;
	j.action = cli_arg(cli, 2);
	if (!j.action)
		return err_set(e, ERR_USAGE, NULL, "which action?");
	j.input = json_object();
	for (int i = 3; (a = cli_arg(cli, i)); i++) {
		const char *eq = strchr(a, '=');
		if (!eq) {
			json_decref(j.input);
			return err_set(e, ERR_USAGE, NULL, "expected param=value, got \"%s\"", a);
		}
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
		json_object_set_new(j.input, name, json_string(eq + 1));
	}
	int rc = run(cli, true, do_act, &j, e);
	json_decref(j.input);
	if (rc < 0)
		return -1;
	cli_print_json(j.out);
	return 0;
}

static int do_history(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct job *j = arg;
	if (!record_can_read(c, j->rt))
		return err_set(e, ERR_FORBIDDEN, NULL, "your role may not read %s", j->rt->label_plural);
	return changes_history(c->store, j->rt->name, j->id, j->rt->label, &j->out, e);
}

int cmd_history(struct cli *cli, struct err *e)
{
	struct job j = {0};
	if (record_type_arg(cli, &j.rt, e) < 0 || id_arg(cli, 1, &j.id, e) < 0 ||
	    run(cli, false, do_history, &j, e) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(j.out);
		return 0;
	}
	size_t i;
	json_t *ch;
	printf("%-6s  %-24s  %-16s  %s\n", "SEQ", "AT", "ACTOR", "CHANGE");
	json_array_foreach(json_object_get(j.out, "items"), i, ch) {
		json_t *state = json_object_get(ch, "state");
		printf("%-6lld  %-24s  %-16s  %s", (long long)json_integer_value(json_object_get(ch, "seq")),
		       json_string_value(json_object_get(ch, "at")),
		       json_string_value(json_object_get(ch, "actor")),
		       json_string_value(json_object_get(ch, "op")));
		if (json_is_object(state))
			printf(" (version %lld)", (long long)json_integer_value(json_object_get(state, "version")));
		putchar('\n');
	}
	json_decref(j.out);
	return 0;
}

int cmd_types(struct cli *cli, struct err *e)
{
	(void)e;
	for (size_t t = 0; t < cli->reg->ntypes; t++) {
		const struct record_type *rt = cli->reg->types[t];
		printf("%s (clause %s): %s\n", rt->plural, rt->clause, rt->help ? rt->help : "");
		for (size_t i = 0; i < rt->nfields; i++) {
			const struct field *f = &rt->fields[i];
			printf("  %-22s %-10s%s%s%s\n", f->name, describe_field_type(f->type),
			       f->flags & F_REQUIRED ? " required" : "",
			       f->flags & F_READONLY ? " read-only" : "",
			       f->flags & F_UNIQUE ? " unique" : "");
		}
		for (size_t i = 0; i < rt->nactions; i++)
			printf("  action %s\n", rt->actions[i].name);
	}
	return 0;
}
