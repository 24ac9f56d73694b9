/* main.c — argument handling and the command table of the isms CLI. */
#include "cli.h"
#include "../base/sec.h"
#include "../base/text.h"
#include "../engine/schema.h"
#include "../engine/users.h"
#include "../store/store.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cli_command commands[] = {
	{"init", "init [--demo]", "create or upgrade the database and a first admin account",
	 "Creates the schema (or brings it up to date). If there are no users yet, creates the\n"
	 "account 'admin' with a one-time password printed once; it must be changed at first\n"
	 "sign-in.", cmd_init},
	{"migrate", "migrate", "apply pending schema migrations",
	 "Applies each pending migration in its own transaction. A failed migration is rolled\n"
	 "back and recorded; no command runs until it succeeds.", cmd_migrate},
	{"serve", "serve [--listen ADDR:PORT] [--max-upload-mib N] [--trust-proxy]\n"
		  "      [--max-connections-per-address N] [--client-timeout SECONDS]",
	 "serve the JSON API and web app",
	 "Serves on 127.0.0.1:8080 unless --listen says otherwise (port 0 picks a free port).\n"
	 "Prints 'isms: listening on http://ADDR:PORT' when ready; stops on SIGTERM or SIGINT.\n"
	 "Uploads larger than --max-upload-mib (or $ISMS_MAX_UPLOAD_MIB, default 25) get 413.\n"
	 "--trust-proxy (or ISMS_TRUST_PROXY=1): behind a reverse proxy, take the client's\n"
	 "address from X-Forwarded-For and TLS from X-Forwarded-Proto (cookies get Secure).\n"
	 "Refuses a SQLite database that does not exist: create it with 'isms init'.\n"
	 "Slow clients: one address holds at most --max-connections-per-address connections\n"
	 "(default 64; no cap with --trust-proxy, where the proxy must limit), and a connection\n"
	 "silent for --client-timeout seconds (default 10; three times that within a body) is\n"
	 "closed.",
	 cmd_serve},
	{"types", "types", "list the record types", "Lists every record type with its fields.",
	 cmd_types},
	{"clauses", "clauses [--markdown]", "show where each clause of the standard is built",
	 "For every clause the product covers: the source files of its module, its record\n"
	 "types, views and checks, or \"not built yet\". --markdown prints docs/clauses.md.",
	 cmd_clauses},
	{"list", "list TYPE [--json] [--q TEXT] [--sort FIELD|-FIELD] [--limit N] [--offset N]\n"
		 "            [--as-of TIME] [field=value...]",
	 "list records",
	 "Lists records of TYPE (plural, e.g. people), filtered by field=value. --as-of shows\n"
	 "the records as they stood at an RFC 3339 time, rebuilt from the change log.",
	 cmd_list},
	{"show", "show TYPE ID", "show one record as JSON", "Prints the record as JSON.", cmd_show},
	{"add", "add TYPE field=value...", "create a record",
	 "Creates a record. Values are typed by the field: numbers, true/false, dates as\n"
	 "YYYY-MM-DD, references as ids, lists of references as 1,2,3; field= clears a field.",
	 cmd_add},
	{"edit", "edit TYPE ID field=value... [--if-match VERSION]", "change a record",
	 "Changes the given fields only.", cmd_edit},
	{"rm", "rm TYPE ID [--if-match VERSION]", "delete a record",
	 "Deletes a record unless other records refer to it.", cmd_rm},
	{"act", "act TYPE ID ACTION [param=value...]", "take a workflow action",
	 "Takes a workflow action (approve, publish, ...) on a record.", cmd_act},
	{"history", "history TYPE ID [--json]", "show a record's change history",
	 "Lists every change to the record, oldest first.", cmd_history},
	{"verify", "verify", "check the change log's integrity",
	 "Recomputes the change log's hash chain and compares every record with its last\n"
	 "logged state. Exit 0 if all is consistent, 1 naming the first bad sequence number.",
	 cmd_verify},
	{"backup", "backup FILE", "write a consistent copy of the database",
	 "SQLite: writes a consistent online copy to FILE (which must not exist).\n"
	 "PostgreSQL: explains how to back up with pg_dump.", cmd_backup},
	{"user", "user add USERNAME --role ROLE [--more-roles R1,R2] [--name NAME] [--person ID]\n"
		 "                [--password-stdin]\n"
		 "       user list\n"
		 "       user disable USERNAME",
	 "manage user accounts",
	 "add: without --password-stdin a one-time password is generated and printed.\n"
	 "--person links the account to a person of the staff directory: authority to approve\n"
	 "comes from the organization's roles that person holds, not from application roles.\n"
	 "Roles: admin, isms_manager, top_management, risk_owner, control_owner, auditor, staff.",
	 cmd_user},
	{"report", "report NAME --format FORMAT [ARGS] --output FILE",
	 "write a view as a file: the SoA, a register, a printable version",
	 "Writes a format of a view (XLSX, CSV, printable HTML, SVG) to FILE, which must not\n"
	 "exist; NAME is one of the views below that have formats, and `isms report NAME --help`\n"
	 "names its formats and arguments. E.g. `isms report soa --format xlsx --version 3\n"
	 "--output soa-v3.xlsx` writes approved SoA version 3 exactly as it was frozen.",
	 cmd_report},
	{"attach", "attach TYPE ID FILE [--description TEXT] [--max-upload-mib N]",
	 "attach an evidence file to a record",
	 "Uploads FILE to record ID of TYPE (plural, e.g. risks) and prints the new attachment.\n"
	 "The same content is stored once however often it is attached. Files larger than\n"
	 "--max-upload-mib (or $ISMS_MAX_UPLOAD_MIB, default 25) are refused.",
	 cmd_attach},
	{"attachment-get", "attachment-get ID [--output FILE]", "write an evidence file's bytes",
	 "Writes the content of attachment ID to FILE (which must not exist), or to standard\n"
	 "output. `isms list attachments record_type=risks record_id=5` lists a record's files.",
	 cmd_attachment_get},
	{"token", "token create USERNAME [--name LABEL]", "create an API token",
	 "Prints a new API token once; send it as 'Authorization: Bearer TOKEN'.", cmd_token},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* Options that take a value; every other --option is a flag. */
static const char *const value_options[] = {
	"--db",		"--database-url", "--as",	   "--role",	   "--name",
	"--listen",	"--q",		  "--sort",	   "--limit",	   "--offset",
	"--if-match",	"--as-of",	  "--format",	   "--output",	   "--description",
	"--max-upload-mib", "--max-connections-per-address", "--client-timeout", "--person",
	"--more-roles", NULL};
static const char *const flag_options[] = {"--json", "--help", "--password-stdin", "--demo",
					   "--markdown", "--trust-proxy", NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* Options of a view command are its parameters (and --help); `report NAME` adds --format
   and --output; every other command takes the global lists. */
static bool takes_value(const struct cli *cli, const char *arg)
{
	if (cli->view)
		return cli_view_takes_value(cli->view, arg) ||
		       (cli->report && (str_eq(arg, "--format") || str_eq(arg, "--output")));
	return in_list(value_options, arg);
}

static bool is_flag(const struct cli *cli, const char *arg)
{
	if (cli->view)
		return cli_view_flag(cli->view, arg) || str_eq(arg, "--help");
	return in_list(flag_options, arg);
}

bool cli_option(struct cli *cli, const char *name, const char **value)
{
	size_t n = strlen(name);
	for (int i = 1; i < cli->argc; i++) {
		const char *a = cli->argv[i];
		if (strcmp(a, name) == 0) {
			if (value)
				*value = i + 1 < cli->argc ? cli->argv[i + 1] : NULL;
			return true;
		}
		if (strncmp(a, name, n) == 0 && a[n] == '=') {
			if (value)
				*value = a + n + 1;
			return true;
		}
		if (takes_value(cli, a))
			i++;
	}
	return false;
}

const char *cli_arg(struct cli *cli, int want)
{
	int k = 0;
	for (int i = 1; i < cli->argc; i++) {
		const char *a = cli->argv[i];
		if (strncmp(a, "--", 2) == 0) {
			if (takes_value(cli, a))
				i++;
			continue;
		}
		if (k++ == want)
			return a;
	}
	return NULL;
}

static void usage(const struct registry *reg, FILE *f)
{
	fputs("usage: isms [--db PATH | --database-url URL] [--as USERNAME] COMMAND [ARGS]\n\n"
	      "The store is a SQLite file (--db, $ISMS_DB, default ./isms.db) or PostgreSQL\n"
	      "(--database-url postgres://..., $ISMS_DATABASE_URL). Record commands act as\n"
	      "--as USERNAME (default: your OS user name, which must be an isms user).\n\n"
	      "commands:\n",
	      f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].summary);
	fputs("\nviews (as text, or --json):\n", f);
	for (size_t i = 0; i < reg->nviews; i++)
		if (reg->views[i]->run)
			fprintf(f, "  %-16s %s\n",
				reg->views[i]->command ? reg->views[i]->command : reg->views[i]->name,
				reg->views[i]->title);
	fputs("\nreports (isms report NAME --format F --output FILE):\n", f);
	for (size_t i = 0; i < reg->nviews; i++)
		if (reg->views[i]->nformats) {
			char formats[64];
			cli_view_formats(reg->views[i], formats, sizeof formats);
			fprintf(f, "  %-16s %s (%s)\n", reg->views[i]->name, reg->views[i]->title,
				formats);
		}
	fputs("\n'isms COMMAND --help' describes one command. Exit status: 0 success, 1 failure,\n"
	      "2 usage error.\n",
	      f);
}

static void command_help(const struct cli_command *c)
{
	printf("usage: isms %s\n\n%s\n", c->usage, c->help);
}

static const char *os_user(void)
{
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name)
		return pw->pw_name;
	return getenv("USER");
}

int cli_open(struct cli *cli, struct ctx *c, bool admin, bool check_schema, struct err *e)
{
	struct store *s;
	if (store_open(&s, cli->target, NULL, e) < 0)
		return -1;
	ctx_init(c, s, cli->reg);
	if (check_schema && schema_check(s, cli->reg, e) < 0)
		goto fail;
	if (admin) {
		ctx_set_local_admin(c);
		return 0;
	}
	const char *as = cli->as ? cli->as : os_user();
	if (!as)
		as = "";
	if (users_actor(c, as, e) < 0)
		goto fail;
	return 0;
fail:
	store_close(s);
	c->store = NULL;
	return -1;
}

int cli_in_tx(struct ctx *c, bool write, int (*fn)(struct cli *, struct ctx *, void *, struct err *),
	      struct cli *cli, void *arg, struct err *e)
{
	if (store_begin(c->store, write, e) < 0)
		return -1;
	if (fn(cli, c, arg, e) < 0) {
		store_rollback(c->store);
		return -1;
	}
	return store_commit(c->store, e);
}

void cli_print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	if (s) {
		puts(s);
		free(s);
	}
	json_decref(v);
}

/* Moves global options out of argv; returns -1 on a usage error. */
static int take_globals(struct cli *cli, int *argc, char **argv, struct err *e)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--db") == 0)
			slot = &cli->target;
		else if (strcmp(a, "--database-url") == 0)
			slot = &cli->target;
		else if (strcmp(a, "--as") == 0)
			slot = &cli->as;
		if (slot) {
			if (i + 1 >= *argc)
				return err_set(e, ERR_USAGE, a, "%s needs a value", a);
			*slot = argv[++i];
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			cli->json = true;
			continue;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	return 0;
}

static int check_options(struct cli *cli, struct err *e)
{
	for (int i = 1; i < cli->argc; i++) {
		const char *a = cli->argv[i];
		if (strncmp(a, "--", 2) != 0)
			continue;
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(a, "="), a);
		if (takes_value(cli, name)) {
			if (!strchr(a, '=') && i + 1 >= cli->argc)
				return err_set(e, ERR_USAGE, name, "%s needs a value", name);
			if (!strchr(a, '='))
				i++;
		} else if (!is_flag(cli, name)) {
			return err_set(e, ERR_USAGE, name, "unknown option %s", name);
		}
	}
	return 0;
}

static int report_error(const struct cli *cli, const struct err *e)
{
	if (e->field[0] && !strstr(e->message, e->field))
		fprintf(stderr, "isms: %s: %s\n", e->field, e->message);
	else
		fprintf(stderr, "isms: %s\n", e->message);
	if (e->code == ERR_USAGE && cli->view && !cli->report) {
		char usage[300];
		cli_view_usage(cli->view, false, usage, sizeof usage);
		fprintf(stderr, "usage: isms %s\n", usage);
	} else if (e->code == ERR_USAGE && cli->cmd) {
		fprintf(stderr, "usage: isms %s\n", cli->cmd->usage);
	}
	return err_exit_status(e->code);
}

/* `isms NAME …` for a view that answers in JSON. */
static int run_view(struct cli *cli, const struct view *v, int argc, char **argv)
{
	struct err e;
	err_clear(&e);
	cli->view = v;
	cli->argc = argc - 1;
	cli->argv = argv + 1;
	if (cli_option(cli, "--help", NULL) || cli_option(cli, "-h", NULL)) {
		cli_view_help(v, false);
		return 0;
	}
	if (check_options(cli, &e) < 0 || cmd_view(cli, &e) < 0)
		return report_error(cli, &e);
	return 0;
}

int cli_main(int argc, char **argv, const struct registry *reg)
{
	struct cli cli = {.reg = reg};
	struct err e;
	err_clear(&e);
	if (sec_init() < 0) {
		fputs("isms: libsodium failed to initialize\n", stderr);
		return 1;
	}
	const char *url = getenv("ISMS_DATABASE_URL"), *db = getenv("ISMS_DB");
	cli.target = url && *url ? url : db && *db ? db : "./isms.db";
	if (take_globals(&cli, &argc, argv, &e) < 0)
		goto fail;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(reg, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, argv[1]) != 0)
			continue;
		cli.cmd = &commands[i];
		cli.argc = argc - 1;
		cli.argv = argv + 1;
		if (cli.cmd->run == cmd_report) {
			cli.report = true;
			cli.view = view_find(reg, cli_arg(&cli, 0));
		}
		if (cli_option(&cli, "--help", NULL) || cli_option(&cli, "-h", NULL)) {
			if (cli.report && cli.view)
				cli_view_help(cli.view, true);
			else
				command_help(cli.cmd);
			return 0;
		}
		if (check_options(&cli, &e) < 0 || cli.cmd->run(&cli, &e) < 0)
			goto fail;
		return 0;
	}
	const struct view *v = view_find(reg, argv[1]);
	if (v && v->run && str_eq(v->command ? v->command : v->name, argv[1]))
		return run_view(&cli, v, argc, argv);
	fprintf(stderr, "isms: unknown command \"%s\"\n\n", argv[1]);
	usage(reg, stderr);
	return 2;
fail:
	return report_error(&cli, &e);
}
