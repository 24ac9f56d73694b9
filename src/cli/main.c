/* main.c — argument handling and the command table of the isms CLI. */
#include "cli.h"
#include "../base/sec.h"
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
	{"serve", "serve [--listen ADDR:PORT] [--max-upload-mib N]", "serve the JSON API and web app",
	 "Serves on 127.0.0.1:8080 unless --listen says otherwise (port 0 picks a free port).\n"
	 "Prints 'isms: listening on http://ADDR:PORT' when ready; stops on SIGTERM or SIGINT.\n"
	 "Uploads larger than --max-upload-mib (or $ISMS_MAX_UPLOAD_MIB, default 25) get 413.",
	 cmd_serve},
	{"types", "types", "list the record types", "Lists every record type with its fields.",
	 cmd_types},
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
	{"due", "due [--mine] [--days N] [--json]", "list what is due",
	 "Reviews and actions whose date has come or comes within N days (default 30), oldest\n"
	 "first; --mine keeps those owned by the --as user's person.", cmd_due},
	{"reading", "reading [--pending] [--json]", "list the policies you must read",
	 "The published documents whose audience includes the --as user's person, with the\n"
	 "version in force and when they acknowledged it. Acknowledge with\n"
	 "'isms act document-versions ID acknowledge'.", cmd_reading},
	{"acknowledgements", "acknowledgements [--document ID] [--json]",
	 "show who acknowledged the policies",
	 "Per published document: the audience and the share that acknowledged the version in\n"
	 "force. --document ID prints who did and who did not, as JSON.", cmd_acknowledgements},
	{"raci", "raci [--json]", "show the RACI matrix",
	 "Every ISMS process and applied control with its RACI entries by role, marking rows\n"
	 "without exactly one accountable role.", cmd_raci},
	{"diff", "diff OLD_VERSION NEW_VERSION [--json]", "compare two versions of a document",
	 "Prints the lines of the older document version's text that the newer one removed (-)\n"
	 "and added (+); the ids are document version ids.", cmd_diff},
	{"checks", "checks [--json]", "check clauses 5 and 7.5 as an auditor would",
	 "The top-level policy (published, reviewed, acknowledged), the 5.3 duties, role\n"
	 "holders, leadership evidence, the RACI and the document register, each check with\n"
	 "why it passes or fails. Exit 0 when all pass, 1 otherwise.", cmd_checks},
	{"history", "history TYPE ID [--json]", "show a record's change history",
	 "Lists every change to the record, oldest first.", cmd_history},
	{"verify", "verify", "check the change log's integrity",
	 "Recomputes the change log's hash chain and compares every record with its last\n"
	 "logged state. Exit 0 if all is consistent, 1 naming the first bad sequence number.",
	 cmd_verify},
	{"backup", "backup FILE", "write a consistent copy of the database",
	 "SQLite: writes a consistent online copy to FILE (which must not exist).\n"
	 "PostgreSQL: explains how to back up with pg_dump.", cmd_backup},
	{"user", "user add USERNAME --role ROLE [--name NAME] [--password-stdin]\n"
		 "       user list\n"
		 "       user disable USERNAME",
	 "manage user accounts",
	 "add: without --password-stdin a one-time password is generated and printed.\n"
	 "Roles: admin, isms_manager, top_management, risk_owner, control_owner, auditor, staff.",
	 cmd_user},
	{"report", "report NAME --format xlsx|csv|html [--version N] --output FILE",
	 "export the SoA, a register or a printable document version",
	 "NAME is soa, risk-register, treatment-plan, document-register or document-version.\n"
	 "--version N exports approved SoA version N exactly as it was frozen (the same bytes\n"
	 "every time); document-version prints the document version with id N (html only).\n"
	 "FILE must not exist.",
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
	"--if-match",	"--as-of",	  "--days",	   "--document",   "--format",
	"--output",	"--version",	  "--description", "--max-upload-mib", NULL};
static const char *const flag_options[] = {"--json", "--help", "--password-stdin", "--demo",
					   "--mine", "--pending", NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static bool takes_value(const char *arg)
{
	return in_list(value_options, arg);
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
		if (takes_value(a))
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
			if (takes_value(a))
				i++;
			continue;
		}
		if (k++ == want)
			return a;
	}
	return NULL;
}

static void usage(FILE *f)
{
	fputs("usage: isms [--db PATH | --database-url URL] [--as USERNAME] COMMAND [ARGS]\n\n"
	      "The store is a SQLite file (--db, $ISMS_DB, default ./isms.db) or PostgreSQL\n"
	      "(--database-url postgres://..., $ISMS_DATABASE_URL). Record commands act as\n"
	      "--as USERNAME (default: your OS user name, which must be an isms user).\n\n"
	      "commands:\n",
	      f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
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
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
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
		if (takes_value(name)) {
			if (!strchr(a, '=') && i + 1 >= cli->argc)
				return err_set(e, ERR_USAGE, name, "%s needs a value", name);
			if (!strchr(a, '='))
				i++;
		} else if (!in_list(flag_options, name)) {
			return err_set(e, ERR_USAGE, name, "unknown option %s", name);
		}
	}
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
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, argv[1]) != 0)
			continue;
		cli.cmd = &commands[i];
		cli.argc = argc - 1;
		cli.argv = argv + 1;
		if (cli_option(&cli, "--help", NULL) || cli_option(&cli, "-h", NULL)) {
			command_help(cli.cmd);
			return 0;
		}
		if (check_options(&cli, &e) < 0 || cli.cmd->run(&cli, &e) < 0)
			goto fail;
		return 0;
	}
	fprintf(stderr, "isms: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return 2;
fail:
	if (e.field[0] && !strstr(e.message, e.field))
		fprintf(stderr, "isms: %s: %s\n", e.field, e.message);
	else
		fprintf(stderr, "isms: %s\n", e.message);
	if (e.code == ERR_USAGE && cli.cmd)
		fprintf(stderr, "usage: isms %s\n", cli.cmd->usage);
	return err_exit_status(e.code);
}
