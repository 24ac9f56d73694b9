/* cli.h — the command-line face of isms: a table of commands over the same domain
   functions the HTTP API calls. */
#ifndef ISMS_CLI_H
#define ISMS_CLI_H
#include <stdbool.h>
#include <stdio.h>

#include "../base/buf.h"
#include "../engine/record.h"
#include "../engine/view.h"

struct cli {
	const struct registry *reg;
	const char *target; /* SQLite path or postgres:// URL */
	const char *as;     /* --as USERNAME, or NULL for the OS user */
	bool json;
	int argc; /* the command's own arguments, argv[0] being the command name */
	char **argv;
	const struct cli_command *cmd;
	/* The view a view command or `report NAME` runs, or NULL. */
	const struct view *view;
	bool report;
};

struct cli_command {
	const char *name, *usage, *summary, *help;
	int (*run)(struct cli *cli, struct err *e);
};

/* Runs isms with argv; returns the process exit status. */
int cli_main(int argc, char **argv, const struct registry *reg);

/* Opens the store, checks the schema (unless migrating) and prepares a context acting as the
   local administrator (admin) or as --as / the OS user. Caller closes c->store. */
int cli_open(struct cli *cli, struct ctx *c, bool admin, bool check_schema, struct err *e);
/* Begins a write transaction, runs fn, commits; rolls back on failure. */
int cli_in_tx(struct ctx *c, bool write, int (*fn)(struct cli *, struct ctx *, void *, struct err *),
	      struct cli *cli, void *arg, struct err *e);
/* Prints JSON (pretty) to stdout and releases it. */
void cli_print_json(json_t *v);
/* True if argv has the option; takes its value into *value when value is non-NULL. */
bool cli_option(struct cli *cli, const char *name, const char **value);
/* The i-th positional argument after the command name (options skipped), or NULL. */
const char *cli_arg(struct cli *cli, int i);

/* Writes all of data to a file that must not exist yet (O_EXCL: never overwrites). */
int cli_write_new_file(const char *path, const struct buf *data, struct err *e);
/* The largest upload in bytes: --max-upload-mib, else $ISMS_MAX_UPLOAD_MIB, else 25 MiB. */
int cli_upload_limit(struct cli *cli, size_t *bytes, struct err *e);

int cmd_init(struct cli *cli, struct err *e);
int cmd_migrate(struct cli *cli, struct err *e);
int cmd_serve(struct cli *cli, struct err *e);
int cmd_verify(struct cli *cli, struct err *e);
int cmd_backup(struct cli *cli, struct err *e);
int cmd_list(struct cli *cli, struct err *e);
int cmd_show(struct cli *cli, struct err *e);
int cmd_add(struct cli *cli, struct err *e);
int cmd_edit(struct cli *cli, struct err *e);
int cmd_rm(struct cli *cli, struct err *e);
int cmd_history(struct cli *cli, struct err *e);
int cmd_act(struct cli *cli, struct err *e);
int cmd_types(struct cli *cli, struct err *e);
int cmd_user(struct cli *cli, struct err *e);
int cmd_token(struct cli *cli, struct err *e);
/* Views (cmd_views.c): cli->view is set. */
int cmd_report(struct cli *cli, struct err *e);
int cmd_view(struct cli *cli, struct err *e);
int cmd_clauses(struct cli *cli, struct err *e);
/* Whether option ("--days") takes a value, or is a flag, of view v (NULL: no). */
bool cli_view_takes_value(const struct view *v, const char *option);
bool cli_view_flag(const struct view *v, const char *option);
/* The usage line of v without "isms " ("due [--mine] [--days N] [--json]"); report: as
   `isms report NAME --format … --output FILE`. */
void cli_view_usage(const struct view *v, bool report, char *out, size_t size);
/* Its formats, "xlsx|csv|html". */
void cli_view_formats(const struct view *v, char *out, size_t size);
/* Prints the usage and help of v (`isms NAME --help`). */
void cli_view_help(const struct view *v, bool report);
int cmd_attach(struct cli *cli, struct err *e);
int cmd_attachment_get(struct cli *cli, struct err *e);

#endif
