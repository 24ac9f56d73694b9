/* cli_file.c — writing what a command made to a new file, never over an old one. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
