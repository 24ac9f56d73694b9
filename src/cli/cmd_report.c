/* cmd_report.c — isms report NAME --format F [--version N] --output FILE: the same exports
   as GET /api/v1/reports/NAME.F, written to a new file. */
#include "cli.h"
#include "../report/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct report_job {
	const char *name;
	enum export_format format;
	long long version;
	struct buf out;
	char filename[128];
};

static int do_report(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct report_job *j = arg;
	return export_report(c, j->name, j->format, j->version, &j->out, j->filename,
			     sizeof j->filename, e);
}

int cli_write_new_file(const char *path, const struct buf *data, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(e, errno == EEXIST ? ERR_INVALID : ERR_INTERNAL, "output",
			       errno == EEXIST ? "%s already exists; choose a new file"
					       : "cannot create %s: %s",
			       path, strerror(errno));
	size_t done = 0;
	while (done < data->len) {
		ssize_t n = write(fd, data->data + done, data->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = errno;
			close(fd);
			unlink(path);
			return err_set(e, ERR_INTERNAL, "output", "cannot write %s: %s", path,
				       strerror(saved));
		}
		done += (size_t)n;
	}
	if (close(fd) < 0) {
		int saved = errno;
		unlink(path);
		return err_set(e, ERR_INTERNAL, "output", "cannot write %s: %s", path,
			       strerror(saved));
	}
	return 0;
}

int cmd_report(struct cli *cli, struct err *e)
{
	struct report_job j = {.name = cli_arg(cli, 0), .out = BUF_INIT};
	const char *format = NULL, *output = NULL, *version = NULL;
	struct ctx c;
	if (!j.name)
		return err_set(e, ERR_USAGE, NULL,
			       "which report? %s", EXPORT_REPORTS);
	if (!export_known(j.name))
		return err_set(e, ERR_USAGE, NULL,
			       "no report \"%s\"; there are %s", j.name, EXPORT_REPORTS);
	if (cli_arg(cli, 1))
		return err_set(e, ERR_USAGE, NULL, "unexpected argument \"%s\"", cli_arg(cli, 1));
	if (!cli_option(cli, "--format", &format) || !format ||
	    !export_format_parse(format, &j.format))
		return err_set(e, ERR_USAGE, "--format", "--format takes xlsx, csv or html");
	if (!cli_option(cli, "--output", &output) || !output || !*output)
		return err_set(e, ERR_USAGE, "--output", "--output FILE says where to write it");
	if (cli_option(cli, "--version", &version)) {
		char *end;
		errno = 0;
		j.version = version ? strtoll(version, &end, 10) : 0;
		if (!version || !*version || *end || errno || j.version <= 0)
			return err_set(e, ERR_USAGE, "--version",
				       "--version takes an approved SoA version's number or a "
				       "document version's id");
	}
	if (j.version && strcmp(j.name, "soa") != 0 && strcmp(j.name, "document-version") != 0)
		return err_set(e, ERR_USAGE, "--version",
			       "only the soa and document-version reports take a version");
	/* Checked before the work, and again by the exclusive create after it. */
	if (access(output, F_OK) == 0)
		return err_set(e, ERR_INVALID, "output", "%s already exists; choose a new file",
			       output);
	if (cli_open(cli, &c, false, true, e) < 0)
		return -1;
	int rc = cli_in_tx(&c, false, do_report, cli, &j, e);
	store_close(c.store);
	if (rc == 0)
		rc = cli_write_new_file(output, &j.out, e);
	if (rc == 0)
		printf("isms: wrote %s (%zu bytes) to %s\n", j.filename, j.out.len, output);
	buf_release(&j.out);
	return rc;
}
