/* cmd_users.c — `isms user …` and `isms token create`: local administration of accounts,
   through the same users record type (and change log) as the API. */
#include "cli.h"
#include "../base/json.h"
#include "../base/sec.h"
#include "../engine/users.h"
#include "../base/text.h"

#include <stdlib.h>
#include <string.h>

struct user_job {
	json_t *input, *out;
	const char *username;
	char secret[64];
	const char *label;
	bool one_time;
};

static int read_password(char *out, size_t size, struct err *e)
{
	if (!fgets(out, (int)size, stdin))
		return err_set(e, ERR_INVALID, "password", "no password on standard input");
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int do_add(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct user_job *j = arg;
	if (record_create(c, &users_type, j->input, &j->out, e) < 0)
		return -1;
	if (!j->one_time)
		return 0;
	/* A generated password is for one use only. */
	long long id = json_integer_value(json_object_get(j->out, "id"));
	return users_set_password(c, id, json_string_value(json_object_get(j->input, "password")),
				  true, e);
}

static int find_user(struct ctx *c, const char *username, long long *id, struct err *e)
{
	bool found;
	struct store_val p[] = {SVS(username)};
	if (store_query_int(c->store, "SELECT id FROM users WHERE username = $1", p, 1, id, &found,
			    e) < 0)
		return -1;
	if (!found)
		return err_set(e, ERR_INVALID, "username", "no user \"%s\"", username);
	return 0;
}

static int do_disable(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct user_job *j = arg;
	long long id;
	if (find_user(c, j->username, &id, e) < 0)
		return -1;
	return record_update(c, &users_type, id, j->input, -1, &j->out, e);
}

static int do_list(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct user_job *j = arg;
	struct list_query q = {.limit = 500};
	return record_list(c, &users_type, &q, &j->out, e);
}

static int do_token(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct user_job *j = arg;
	return users_token_create(c, j->username, j->label, j->secret, e);
}

static int with_admin(struct cli *cli, int (*fn)(struct cli *, struct ctx *, void *, struct err *),
		      struct user_job *j, struct err *e)
{
	struct ctx c;
	if (cli_open(cli, &c, true, true, e) < 0)
		return -1;
	int rc = cli_in_tx(&c, true, fn, cli, j, e);
	store_close(c.store);
	return rc;
}

static int user_add(struct cli *cli, struct err *e)
{
	struct user_job j = {0};
	const char *role = NULL, *name = NULL;
	char password[256];
	bool one_time = !cli_option(cli, "--password-stdin", NULL);
	j.one_time = one_time;
	j.username = cli_arg(cli, 1);
	if (!j.username)
		return err_set(e, ERR_USAGE, NULL, "user add needs a USERNAME");
	if (!cli_option(cli, "--role", &role) || !role)
		return err_set(e, ERR_USAGE, "role", "user add needs --role ROLE");
	cli_option(cli, "--name", &name);
	const char *person = NULL, *more = NULL;
	long long person_id = 0;
	if (cli_option(cli, "--person", &person) &&
	    (!person || !text_to_ll(person, 1, (1LL << 62), &person_id)))
		return err_set(e, ERR_USAGE, "person", "--person needs the id of a person");
	cli_option(cli, "--more-roles", &more);
	if (one_time) {
		sec_token(password);
		password[20] = '\0';
	} else if (read_password(password, sizeof password, e) < 0) {
		return -1;
	}
	j.input = json_build("{s:s, s:s, s:s?, s:s}", "username", j.username, "role", role, "name",
			    name, "password", password);
	if (person_id)
		json_object_set_new(j.input, "person", json_integer(person_id));
	if (more) { /* "risk_owner,control_owner" */
		json_t *list = json_array();
		for (const char *p = more; *p;) {
			size_t n = strcspn(p, ",");
			if (n)
				json_array_append_new(list, json_stringn(p, n));
			p += n + (p[n] == ',');
		}
		json_object_set_new(j.input, "more_roles", list);
	}
	int rc = with_admin(cli, do_add, &j, e);
	json_decref(j.input);
	if (rc < 0)
		return -1;
	json_decref(j.out);
	printf("isms: added user %s (%s)\n", j.username, role);
	if (one_time)
		printf("one-time password: %s\n", password);
	return 0;
}

int cmd_user(struct cli *cli, struct err *e)
{
	const char *sub = cli_arg(cli, 0);
	struct user_job j = {0};
	if (!sub)
		return err_set(e, ERR_USAGE, NULL, "user needs add, list or disable");
	if (strcmp(sub, "add") == 0) {
		if (user_add(cli, e) < 0)
			return -1;
		return 0;
	}
	if (strcmp(sub, "list") == 0) {
		if (with_admin(cli, do_list, &j, e) < 0)
			return -1;
		if (cli->json) {
			cli_print_json(j.out);
			return 0;
		}
		size_t i;
		json_t *u;
		printf("%-20s  %-15s  %-7s  %s\n", "USERNAME", "ROLE", "ACTIVE", "NAME");
		json_array_foreach(json_object_get(j.out, "items"), i, u)
			printf("%-20s  %-15s  %-7s  %s\n", json_string_value(json_object_get(u, "username")),
			       json_string_value(json_object_get(u, "role")),
			       json_is_true(json_object_get(u, "active")) ? "yes" : "no",
			       json_string_value(json_object_get(u, "name")) ?
				       json_string_value(json_object_get(u, "name")) : "");
		json_decref(j.out);
		return 0;
	}
	if (strcmp(sub, "disable") == 0) {
		j.username = cli_arg(cli, 1);
		if (!j.username)
			return err_set(e, ERR_USAGE, NULL, "user disable needs a USERNAME");
		j.input = json_build("{s:b}", "active", 0);
		int rc = with_admin(cli, do_disable, &j, e);
		json_decref(j.input);
		json_decref(j.out);
		if (rc < 0)
			return -1;
		printf("isms: disabled %s; their sessions and API tokens are revoked\n", j.username);
		return 0;
	}
	return err_set(e, ERR_USAGE, NULL, "unknown user subcommand \"%s\"", sub);
}

int cmd_token(struct cli *cli, struct err *e)
{
	struct user_job j = {0};
	const char *sub = cli_arg(cli, 0);
	if (!sub || strcmp(sub, "create") != 0)
		return err_set(e, ERR_USAGE, NULL, "token needs: create USERNAME");
	j.username = cli_arg(cli, 1);
	if (!j.username)
		return err_set(e, ERR_USAGE, NULL, "token create needs a USERNAME");
	j.label = "cli";
	cli_option(cli, "--name", &j.label);
	if (with_admin(cli, do_token, &j, e) < 0)
		return -1;
	puts(j.secret);
	return 0;
}
