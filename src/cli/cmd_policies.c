/* cmd_policies.c — isms reading, acknowledgements, raci and checks: the same views as
   GET /api/v1/reading and /api/v1/reports/acknowledgements, raci and policy-checks. */
#include "cli.h"
#include "../base/json.h"
#include "../iso27001/c7_3_acknowledgements.h"
#include "../iso27001/c7_5_documents.h"
#include "../iso27001/c5_leadership.h"
#include "../iso27001/c5_policy_checks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct view_job {
	bool pending;
	long long document, from, to;
	json_t *out;
};

static int do_reading(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct view_job *j = arg;
	return ack_reading(c, c->actor.person_id, j->pending, &j->out, e);
}

static int do_progress(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct view_job *j = arg;
	return ack_progress(c, j->document, &j->out, e);
}

static int do_raci(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct view_job *j = arg;
	return leadership_raci(c, &j->out, e);
}

static int do_checks(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct view_job *j = arg;
	return policy_checks(c, &j->out, e);
}

static int do_diff(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct view_job *j = arg;
	return documents_diff(c, j->from, j->to, &j->out, e);
}

/* Runs fn in a read transaction as the --as user; j->out is set on success. */
static int run_view(struct cli *cli, int (*fn)(struct cli *, struct ctx *, void *, struct err *),
		    struct view_job *j, struct err *e)
{
	struct ctx c;
	if (cli_arg(cli, fn == do_diff ? 2 : 0))
		return err_set(e, ERR_USAGE, NULL, "unexpected argument \"%s\"",
			       cli_arg(cli, fn == do_diff ? 2 : 0));
	if (cli_open(cli, &c, false, true, e) < 0)
		return -1;
	int rc = cli_in_tx(&c, false, fn, cli, j, e);
	store_close(c.store);
	return rc;
}

static const char *text(const json_t *o, const char *key)
{
	const char *s = json_str(o, key);
	return s ? s : "";
}

int cmd_reading(struct cli *cli, struct err *e)
{
	struct view_job j = {.pending = cli_option(cli, "--pending", NULL)};
	if (run_view(cli, do_reading, &j, e) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(j.out);
		return 0;
	}
	size_t i;
	json_t *it;
	printf("%-12s  %-4s  %-20s  %s\n", "DOCUMENT", "VER", "ACKNOWLEDGED", "TITLE");
	json_array_foreach(json_object_get(j.out, "items"), i, it)
		printf("%-12s  v%-3lld  %-20.20s  %s\n", text(it, "identifier"),
		       (long long)json_integer_value(json_object_get(it, "number")),
		       json_str(it, "acknowledged_at") ? json_str(it, "acknowledged_at")
						       : "not yet",
		       text(it, "title"));
	printf("(%lld to read)\n", (long long)json_integer_value(json_object_get(j.out, "pending")));
	json_decref(j.out);
	return 0;
}

int cmd_acknowledgements(struct cli *cli, struct err *e)
{
	struct view_job j = {0};
	const char *d;
	if (cli_option(cli, "--document", &d)) {
		char *end;
		errno = 0;
		j.document = d ? strtoll(d, &end, 10) : 0;
		if (!d || !*d || *end || errno || j.document <= 0)
			return err_set(e, ERR_USAGE, "document", "--document takes a document id");
	}
	if (run_view(cli, do_progress, &j, e) < 0)
		return -1;
	if (cli->json || j.document) {
		cli_print_json(j.out);
		return 0;
	}
	size_t i;
	json_t *it;
	printf("%-12s  %-4s  %8s  %9s  %s\n", "DOCUMENT", "VER", "AUDIENCE", "READ", "TITLE");
	json_array_foreach(json_object_get(j.out, "items"), i, it) {
		json_t *pct = json_object_get(it, "percent");
		char read[16] = "n/a";
		if (json_is_integer(pct))
			snprintf(read, sizeof read, "%lld%%", (long long)json_integer_value(pct));
		printf("%-12s  v%-3lld  %8lld  %9s  %s\n", text(it, "identifier"),
		       (long long)json_integer_value(json_object_get(it, "number")),
		       (long long)json_integer_value(json_object_get(it, "audience_size")), read,
		       text(it, "title"));
	}
	json_decref(j.out);
	return 0;
}

int cmd_raci(struct cli *cli, struct err *e)
{
	struct view_job j = {0};
	if (run_view(cli, do_raci, &j, e) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(j.out);
		return 0;
	}
	/* One line per row: its entries as "Role=A", and a marker without one accountable. */
	size_t i, k;
	json_t *row, *role, *roles = json_object_get(j.out, "roles");
	json_array_foreach(json_object_get(j.out, "rows"), i, row) {
		printf("%-8s %-40.40s %s", text(row, "kind"), text(row, "title"),
		       json_integer_value(json_object_get(row, "accountable")) == 1
			       ? ""
			       : "[no single accountable] ");
		json_array_foreach(roles, k, role) {
			char key[24];
			snprintf(key, sizeof key, "%lld",
				 (long long)json_integer_value(json_object_get(role, "id")));
			json_t *cell = json_object_get(json_object_get(row, "cells"), key);
			if (cell)
				printf(" %s=%c", text(role, "name"),
				       (char)(text(cell, "value")[0] - 'a' + 'A'));
		}
		putchar('\n');
	}
	printf("(%lld rows without exactly one accountable role)\n",
	       (long long)json_integer_value(json_object_get(j.out, "without_accountable")));
	json_decref(j.out);
	return 0;
}

/* Exit 0 when every check passes, 1 otherwise: usable in scripts before an audit. */
int cmd_checks(struct cli *cli, struct err *e)
{
	struct view_job j = {0};
	if (run_view(cli, do_checks, &j, e) < 0)
		return -1;
	long long passed = json_integer_value(json_object_get(j.out, "passed")),
		  total = json_integer_value(json_object_get(j.out, "total"));
	if (cli->json) {
		cli_print_json(j.out);
	} else {
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(j.out, "checks"), i, it)
			printf("%-4s  %-4s  %s — %s\n",
			       json_is_true(json_object_get(it, "ok")) ? "ok" : "FAIL",
			       text(it, "clause"), text(it, "rule"), text(it, "detail"));
		printf("(%lld of %lld checks pass)\n", passed, total);
		json_decref(j.out);
	}
	if (passed < total)
		return err_set(e, ERR_INVALID, NULL, "%lld of %lld checks fail", total - passed,
			       total);
	return 0;
}

static int version_id(const char *s, long long *out, struct err *e)
{
	char *end;
	errno = 0;
	*out = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || *out <= 0)
		return err_set(e, ERR_USAGE, NULL,
			       "diff takes two document version ids: the older, then the newer");
	return 0;
}

int cmd_diff(struct cli *cli, struct err *e)
{
	struct view_job j = {0};
	if (version_id(cli_arg(cli, 0), &j.from, e) < 0 || version_id(cli_arg(cli, 1), &j.to, e) < 0 ||
	    run_view(cli, do_diff, &j, e) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(j.out);
		return 0;
	}
	size_t i;
	json_t *row;
	printf("--- %s\n+++ %s\n", text(json_object_get(j.out, "from"), "title"),
	       text(json_object_get(j.out, "to"), "title"));
	json_array_foreach(json_object_get(j.out, "lines"), i, row)
		printf("%s%s\n", text(row, "op"), text(row, "text"));
	printf("(%lld added, %lld removed)\n",
	       (long long)json_integer_value(json_object_get(j.out, "added")),
	       (long long)json_integer_value(json_object_get(j.out, "removed")));
	json_decref(j.out);
	return 0;
}
