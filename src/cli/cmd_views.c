/* cmd_views.c — every declared view on the command line: `isms NAME [ARGS] [--json]` for
   the views that answer in JSON (printed as text for people unless --json), and
   `isms report NAME --format F [ARGS] --output FILE` for their other formats. Usage, --help
   and the options come from the view's parameters, so the CLI refuses what the API
   refuses, with the same message. */
#include "cli.h"
#include "../base/text.h"

#include <string.h>
#include <unistd.h>

static const struct view_param *param_named(const struct view *v, const char *name)
{
	for (size_t i = 0; i < v->nparams; i++)
		if (strcmp(v->params[i].name, name) == 0)
			return &v->params[i];
	return NULL;
}

bool cli_view_takes_value(const struct view *v, const char *option)
{
	if (!v || strncmp(option, "--", 2) != 0)
		return false;
	const struct view_param *p = param_named(v, option + 2);
	return p && !p->position && p->type != VP_BOOL;
}

bool cli_view_flag(const struct view *v, const char *option)
{
	if (!v || strncmp(option, "--", 2) != 0)
		return false;
	const struct view_param *p = param_named(v, option + 2);
	return p && !p->position && p->type == VP_BOOL;
}

void cli_view_formats(const struct view *v, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < v->nformats && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "|" : "", v->formats[i].ext);
}

/* "diff AGAINST ID [--json]", "due [--mine] [--days N] [--json]". */
void cli_view_usage(const struct view *v, bool report, char *out, size_t size)
{
	size_t len = (size_t)snprintf(out, size, "%s%s", report ? "report " : "",
				      report || !v->command ? v->name : v->command);
	for (int pos = 1; pos <= (int)v->nparams; pos++)
		for (size_t i = 0; i < v->nparams; i++)
			if (v->params[i].position == pos && len < size) {
				len += (size_t)snprintf(out + len, size - len, " ");
				for (const char *c = v->params[i].name; *c && len + 1 < size; c++)
					out[len++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
				out[len] = '\0';
			}
	if (report && len < size) {
		char formats[64];
		cli_view_formats(v, formats, sizeof formats);
		len += (size_t)snprintf(out + len, size - len, " --format %s", formats);
	}
	for (size_t i = 0; i < v->nparams && len < size; i++) {
		const struct view_param *p = &v->params[i];
		if (p->position)
			continue;
		if (p->type == VP_BOOL)
			len += (size_t)snprintf(out + len, size - len, " [--%s]", p->name);
		else
			len += (size_t)snprintf(out + len, size - len, p->required ? " --%s %s" : " [--%s %s]",
						p->name, p->type == VP_ID ? "ID" : p->type == VP_INT ? "N" : "VALUE");
	}
	if (len < size)
		snprintf(out + len, size - len, report ? " --output FILE" : " [--json]");
}

/* Prints text from column col wrapped at 78 columns, continuation lines (and lines after a
   newline in text) indented by indent. */
static void print_wrapped(const char *text, int col, int indent)
{
	bool first = true;
	while (*text) {
		int word = (int)strcspn(text, " \n");
		if (!first && col + 1 + word > 78) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			putchar(' ');
			col++;
		}
		printf("%.*s", word, text);
		col += word;
		first = false;
		text += word;
		if (*text == '\n') {
			printf("\n%*s", indent, "");
			col = indent;
			first = true;
		}
		if (*text)
			text++;
	}
	putchar('\n');
}

void cli_view_help(const struct view *v, bool report)
{
	char usage[300];
	cli_view_usage(v, report, usage, sizeof usage);
	printf("usage: isms %s\n\n", usage);
	print_wrapped(v->help ? v->help : v->summary, 0, 0);
	if (v->nparams)
		putchar('\n');
	for (size_t i = 0; i < v->nparams; i++) {
		const struct view_param *p = &v->params[i];
		char line[400];
		size_t len = (size_t)snprintf(line, sizeof line, "%s", p->help);
		for (int k = 0; p->type == VP_ENUM && p->values[k] && len < sizeof line; k++)
			len += (size_t)snprintf(line + len, sizeof line - len, "%s%s%s", k ? ", " : " (",
						p->values[k], p->values[k + 1] ? "" : ")");
		char name[40];
		snprintf(name, sizeof name, "%s%s", p->position ? "" : "--", p->name);
		printf("  %-14s ", name);
		print_wrapped(line, 17, 17);
	}
	if (report)
		printf("\nFILE must not exist.\n");
}

/* A parameter's text from the command line: its positional argument, its flag, or the
   value of its option. */
static const char *param_text(void *arg, const char *name)
{
	struct cli *cli = arg;
	const struct view_param *p = param_named(cli->view, name);
	const char *value = NULL;
	char option[64];
	if (p->position)
		return cli_arg(cli, p->position - (cli->report ? 0 : 1));
	snprintf(option, sizeof option, "--%s", name);
	if (!cli_option(cli, option, &value))
		return NULL;
	return p->type == VP_BOOL ? "true" : value ? value : "";
}

/* Parses the view's arguments: a bad one is a usage error (exit 2) with the API's message. */
static int parse_args(struct cli *cli, struct view_args *a, struct err *e)
{
	int positional = cli->report ? 1 : 0;
	for (size_t i = 0; i < cli->view->nparams; i++)
		positional += cli->view->params[i].position > 0;
	if (cli_arg(cli, positional))
		return err_set(e, ERR_USAGE, NULL, "unexpected argument \"%s\"",
			       cli_arg(cli, positional));
	if (view_parse_args(cli->view, param_text, cli, a, e) < 0) {
		e->code = ERR_USAGE;
		return -1;
	}
	return 0;
}

struct view_job {
	const struct view_args *args;
	const struct view_format *format;
	json_t *out;
	struct buf bytes;
	char filename[128];
};

static int do_view(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	struct view_job *j = arg;
	if (view_check_access(c, cli->view, e) < 0)
		return -1;
	if (j->format)
		return j->format->write(c, j->args, j->format, &j->bytes, j->filename,
					sizeof j->filename, e);
	return cli->view->run(c, j->args, &j->out, e);
}

static int run_job(struct cli *cli, struct view_job *j, struct err *e)
{
	struct ctx c;
	if (cli_open(cli, &c, false, true, e) < 0)
		return -1;
	int rc = cli_in_tx(&c, false, do_view, cli, j, e);
	store_close(c.store);
	return rc;
}

int cmd_view(struct cli *cli, struct err *e)
{
	struct view_args a;
	struct view_job j = {.args = &a};
	if (parse_args(cli, &a, e) < 0 || run_job(cli, &j, e) < 0)
		return -1;
	if (cli->json || !cli->view->print) {
		json_incref(j.out);
		cli_print_json(j.out);
	} else {
		cli->view->print(j.out, stdout);
	}
	int rc = cli->view->verdict ? cli->view->verdict(j.out, e) : 0;
	json_decref(j.out);
	return rc;
}

static void list_reports(const struct registry *reg, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < reg->nviews && len < size; i++)
		if (reg->views[i]->nformats)
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? ", " : "",
						reg->views[i]->name);
}

int cmd_report(struct cli *cli, struct err *e)
{
	char names[300];
	const char *format = NULL, *output = NULL;
	list_reports(cli->reg, names, sizeof names);
	if (!cli_arg(cli, 0))
		return err_set(e, ERR_USAGE, NULL, "which report? %s", names);
	if (!cli->view || !cli->view->nformats)
		return err_set(e, ERR_USAGE, NULL, "no report \"%s\"; there are %s", cli_arg(cli, 0),
			       names);
	struct view_args a;
	struct view_job j = {.args = &a, .bytes = BUF_INIT};
	if (!cli_option(cli, "--format", &format) || !format ||
	    !(j.format = view_format_find(cli->view, format))) {
		char formats[64];
		cli_view_formats(cli->view, formats, sizeof formats);
		return err_set(e, ERR_USAGE, "--format", "--format takes %s", formats);
	}
	if (!cli_option(cli, "--output", &output) || !output || !*output)
		return err_set(e, ERR_USAGE, "--output", "--output FILE says where to write it");
	if (parse_args(cli, &a, e) < 0)
		return -1;
	/* Checked before the work, and again by the exclusive create after it. */
	if (access(output, F_OK) == 0)
		return err_set(e, ERR_INVALID, "output", "%s already exists; choose a new file",
			       output);
	int rc = run_job(cli, &j, e);
	if (rc == 0)
		rc = cli_write_new_file(output, &j.bytes, e);
	if (rc == 0)
		printf("isms: wrote %s (%zu bytes) to %s\n", j.filename, j.bytes.len, output);
	buf_release(&j.bytes);
	return rc;
}
