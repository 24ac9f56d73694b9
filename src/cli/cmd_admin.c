/* cmd_admin.c — local administration: init, migrate, serve, verify, backup. */
#include "cli.h"
#include "../base/json.h"
#include "../base/sec.h"
#include "../base/text.h"
#include "../http/http.h"
#include "../iso27001/demo.h"
#include "../engine/schema.h"
#include "../engine/users.h"
#include "../engine/verify.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int create_first_admin(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	char *password = arg;
	long long n;
	if (store_query_int(c->store, "SELECT count(*) FROM users", NULL, 0, &n, NULL, e) < 0)
		return -1;
	if (n > 0) {
		password[0] = '\0';
		return 0;
	}
	sec_token(password);
	password[20] = '\0';
	json_t *input = json_build("{s:s, s:s, s:s}", "username", "admin", "name",
				  "Administrator", "role", "admin");
	json_t *rec;
	int rc = record_create(c, &users_type, input, &rec, e);
	json_decref(input);
	if (rc < 0)
		return -1;
	rc = users_set_password(c, json_integer_value(json_object_get(rec, "id")), password, true,
				e);
	json_decref(rec);
	return rc;
}

static int run_seeds(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)arg;
	for (size_t i = 0; i < cli->reg->nseeds; i++)
		if (cli->reg->seeds[i] && cli->reg->seeds[i](c, e) < 0)
			return -1;
	return 0;
}

/* Upgrades change rows that the log had recorded otherwise: log them. */
static int log_upgrade(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	long long changed;
	ctx_set_local_admin(c);
	if (record_log_upgrade(c, cli->reg->schema_version, &changed, e) < 0)
		return -1;
	if (changed)
		printf("isms: %lld record%s changed by the upgrade, each logged as \"migrate\"\n",
		       changed, changed == 1 ? "" : "s");
	(void)arg;
	return 0;
}

static int load_demo(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	return demo_load(c, arg, e);
}

int cmd_init(struct cli *cli, struct err *e)
{
	struct ctx c;
	char password[SEC_TOKEN_LEN], *demo = NULL;
	size_t demo_len = 0;
	FILE *demo_out = open_memstream(&demo, &demo_len);
	int applied, ret = -1;
	if (cli_open(cli, &c, true, false, e) < 0) {
		fclose(demo_out);
		free(demo);
		return -1;
	}
	if (schema_migrate(c.store, cli->reg, &applied, e) < 0 ||
	    (applied && cli_in_tx(&c, true, log_upgrade, cli, NULL, e) < 0))
		goto out;
	if (cli_option(cli, "--demo", NULL))
		demo_start_clock(&c); /* the demo's history starts with the database */
	if (cli_in_tx(&c, true, create_first_admin, cli, password, e) < 0 ||
	    cli_in_tx(&c, true, run_seeds, cli, NULL, e) < 0)
		goto out;
	if (cli_option(cli, "--demo", NULL) &&
	    cli_in_tx(&c, true, load_demo, cli, demo_out, e) < 0)
		goto out;
	fflush(demo_out);
	printf("isms: database ready at schema version %d (%d migration%s applied)\n",
	       cli->reg->schema_version, applied, applied == 1 ? "" : "s");
	if (password[0])
		printf("admin password: %s\n(one-time: sign in as 'admin' and choose a new "
		       "password)\n",
		       password);
	if (demo_len)
		fputs(demo, stdout);
	ret = 0;
out:
	fclose(demo_out);
	free(demo);
	store_close(c.store);
	return ret;
}

int cmd_migrate(struct cli *cli, struct err *e)
{
	struct ctx c;
	int applied;
	if (cli_open(cli, &c, true, false, e) < 0)
		return -1;
	int rc = schema_migrate(c.store, cli->reg, &applied, e);
	if (rc == 0 && applied)
		rc = cli_in_tx(&c, true, log_upgrade, cli, NULL, e);
	if (rc == 0)
		printf("isms: schema at version %d (%d migration%s applied)\n",
		       cli->reg->schema_version, applied, applied == 1 ? "" : "s");
	store_close(c.store);
	return rc;
}

int cmd_serve(struct cli *cli, struct err *e)
{
	const char *listen = "127.0.0.1:8080";
	struct ctx c;
	size_t max_upload;
	cli_option(cli, "--listen", &listen);
	if (cli_upload_limit(cli, &max_upload, e) < 0)
		return -1;
	/* Serving never creates a database: an empty file would pass for a lost one. */
	struct store *probe;
	if (store_open_existing(&probe, cli->target, NULL, e) < 0)
		return -1;
	store_close(probe);
	if (cli_open(cli, &c, true, true, e) < 0)
		return -1;
	store_close(c.store);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* worker threads inherit the mask */
	signal(SIGPIPE, SIG_IGN);

	const char *trust = getenv("ISMS_TRUST_PROXY"), *per = NULL, *timeout = NULL;
	long long per_address = 0, client_timeout = 0;
	if (cli_option(cli, "--max-connections-per-address", &per) &&
	    !text_to_ll(per, 1, 100000, &per_address))
		return err_set(e, ERR_USAGE, "--max-connections-per-address",
			       "--max-connections-per-address takes a whole number from 1 to 100000");
	if (cli_option(cli, "--client-timeout", &timeout) &&
	    !text_to_ll(timeout, 1, 3600, &client_timeout))
		return err_set(e, ERR_USAGE, "--client-timeout",
			       "--client-timeout takes seconds, a whole number from 1 to 3600");
	struct http_server srv = {.reg = cli->reg, .store_target = cli->target,
				  .max_upload = max_upload,
				  .trust_proxy = cli_option(cli, "--trust-proxy", NULL) ||
						 (trust && str_eq(trust, "1")),
				  .per_address_limit = (unsigned)per_address,
				  .client_timeout = (unsigned)client_timeout};
	if (http_start(&srv, listen, e) < 0)
		return -1;
	char host[64];
	snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
	printf("isms: listening on http://%s:%u\n", host, srv.port);
	fflush(stdout);
	int sig;
	sigwait(&set, &sig);
	http_stop(&srv);
	fprintf(stderr, "isms: stopped\n");
	return 0;
}

int cmd_verify(struct cli *cli, struct err *e)
{
	struct ctx c;
	struct verify_result res;
	if (cli_open(cli, &c, true, true, e) < 0)
		return -1;
	int rc = store_begin(c.store, false, e);
	if (rc == 0) {
		rc = verify_run(&c, &res, stdout, e);
		store_rollback(c.store);
	}
	store_close(c.store);
	if (rc < 0)
		return -1;
	if (res.problems == 0) {
		printf("isms: verified %lld change%s and %lld stored file%s; chain head %s\n",
		       res.checked, res.checked == 1 ? "" : "s", res.blobs, res.blobs == 1 ? "" : "s",
		       res.head[0] ? res.head : "(empty)");
		return 0;
	}
	if (res.first_bad > 0)
		return err_set(e, ERR_CONFLICT, NULL,
			       "verification failed: %lld problem%s, the first at sequence %lld "
			       "(%lld changes read)",
			       res.problems, res.problems == 1 ? "" : "s", res.first_bad, res.checked);
	return err_set(e, ERR_CONFLICT, NULL, "verification failed: %lld problem%s (%lld changes read)",
		       res.problems, res.problems == 1 ? "" : "s", res.checked);
}

int cmd_backup(struct cli *cli, struct err *e)
{
	const char *file = cli_arg(cli, 0);
	struct ctx c;
	if (!file)
		return err_set(e, ERR_USAGE, NULL, "backup needs a FILE");
	if (cli_open(cli, &c, true, true, e) < 0)
		return -1;
	if (store_is_postgres(c.store)) {
		store_close(c.store);
		return err_set(e, ERR_INVALID, NULL,
			       "a PostgreSQL store is backed up with PostgreSQL's own tools, e.g. "
			       "pg_dump --format=custom --file=%s \"$ISMS_DATABASE_URL\" (restore "
			       "with pg_restore); run `isms verify` on the restored copy",
			       file);
	}
	if (access(file, F_OK) == 0) {
		store_close(c.store);
		return err_set(e, ERR_INVALID, NULL, "%s already exists; choose a new file", file);
	}
	struct store_val p[] = {SVS(file)};
	int rc = store_exec(c.store, "VACUUM INTO $1", p, 1, e);
	store_close(c.store);
	if (rc == 0)
		printf("isms: wrote a consistent copy to %s\n", file);
	return rc;
}
