/* cmd_attach.c — evidence files from the command line: isms attach TYPE ID FILE uploads a
   file to a record, isms attachment-get ID writes one back out; the upload limit shared
   with isms serve. */
#include "cli.h"
#include "../base/text.h"
#include "../engine/attachments.h"

#include <errno.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_upload_limit(struct cli *cli, size_t *bytes, struct err *e)
{
	const char *mib = NULL, *what = "--max-upload-mib";
	if (!cli_option(cli, what, &mib)) {
		mib = getenv("ISMS_MAX_UPLOAD_MIB");
		what = "ISMS_MAX_UPLOAD_MIB";
		if (mib && !*mib)
			mib = NULL;
	}
	return attachments_limit(mib, what, bytes, e);
}

struct attach_job {
	const struct record_type *owner;
	long long owner_id, id;
	struct attachment_upload up;
	struct buf bytes;
	json_t *out;
};

static int positive_id(const char *s, long long *id, struct err *e)
{
	if (!text_to_ll(s, 1, LLONG_MAX, id))
		return err_set(e, ERR_USAGE, "id", "\"%s\" is not a record id", s ? s : "");
	return 0;
}

/* Reads all of path into b, refusing a file larger than limit before reading it. */
static int read_file(const char *path, size_t limit, struct buf *b, struct err *e)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_INVALID, "file", "cannot read %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return err_set(e, ERR_INVALID, "file", "%s is not a regular file", path);
	}
	if ((unsigned long long)st.st_size > limit) {
		fclose(f);
		return err_set(e, ERR_TOO_LARGE, "file",
			       "%s is %lld bytes, more than the upload limit of %zu MiB "
			       "(--max-upload-mib or ISMS_MAX_UPLOAD_MIB)",
			       path, (long long)st.st_size, limit / (1024 * 1024));
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b->len + n <= limit)
		buf_append(b, chunk, n);
	bool grew = n > 0, failed = ferror(f); /* grew: past the limit while being read */
	fclose(f);
	if (grew)
		return err_set(e, ERR_TOO_LARGE, "file", "%s grew past the upload limit while being "
							  "read", path);
	if (failed)
		return err_set(e, ERR_INVALID, "file", "cannot read all of %s", path);
	return 0;
}

static int do_attach(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct attach_job *j = arg;
	return attachments_add(c, j->owner, j->owner_id, &j->up, &j->out, e);
}

int cmd_attach(struct cli *cli, struct err *e)
{
	struct attach_job j = {.bytes = BUF_INIT};
	const char *type = cli_arg(cli, 0), *file = cli_arg(cli, 2);
	size_t limit;
	struct ctx c;
	int ret = -1;
	if (!type || !file)
		return err_set(e, ERR_USAGE, NULL, "attach needs TYPE, ID and FILE");
	if (cli_arg(cli, 3))
		return err_set(e, ERR_USAGE, NULL, "unexpected argument \"%s\"", cli_arg(cli, 3));
	j.owner = registry_find(cli->reg, type);
	if (!j.owner || strcmp(j.owner->plural, type) != 0)
		return err_set(e, ERR_USAGE, NULL,
			       "no record type \"%s\"; give its plural name (isms types lists them)",
			       type);
	if (positive_id(cli_arg(cli, 1), &j.owner_id, e) < 0 || cli_upload_limit(cli, &limit, e) < 0 ||
	    read_file(file, limit, &j.bytes, e) < 0)
		goto out;
	cli_option(cli, "--description", &j.up.description);
	j.up.filename = file;
	j.up.data = j.bytes.data;
	j.up.len = j.bytes.len;
	if (cli_open(cli, &c, false, true, e) < 0)
		goto out;
	ret = cli_in_tx(&c, true, do_attach, cli, &j, e);
	store_close(c.store);
	if (ret == 0)
		cli_print_json(j.out);
out:
	buf_release(&j.bytes);
	return ret;
}

static int do_get(struct cli *cli, struct ctx *c, void *arg, struct err *e)
{
	(void)cli;
	struct attach_job *j = arg;
	return attachments_read(c, j->id, &j->out, &j->bytes, e);
}

int cmd_attachment_get(struct cli *cli, struct err *e)
{
	struct attach_job j = {.bytes = BUF_INIT};
	const char *output = NULL;
	struct ctx c;
	int ret = -1;
	if (cli_arg(cli, 1))
		return err_set(e, ERR_USAGE, NULL, "unexpected argument \"%s\"", cli_arg(cli, 1));
	if (cli_option(cli, "--output", &output) && (!output || !*output))
		return err_set(e, ERR_USAGE, "--output", "--output takes a FILE");
	if (positive_id(cli_arg(cli, 0), &j.id, e) < 0 || cli_open(cli, &c, false, true, e) < 0)
		return -1;
	ret = cli_in_tx(&c, false, do_get, cli, &j, e);
	store_close(c.store);
	if (ret == 0 && output)
		ret = cli_write_new_file(output, &j.bytes, e);
	else if (ret == 0 && fwrite(j.bytes.data, 1, j.bytes.len, stdout) != j.bytes.len)
		ret = err_set(e, ERR_INTERNAL, NULL, "cannot write to standard output");
	json_decref(j.out);
	buf_release(&j.bytes);
	return ret;
}
