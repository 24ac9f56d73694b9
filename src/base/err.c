/* err.c — the error table and err_set. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int status, exitc;
} table[] = {
#define X(name, code, status, exitc) {code, status, exitc},
	ERR_TABLE(X)
#undef X
};

void err_clear(struct err *e)
{
	e->code = ERR_NONE;
	e->field[0] = '\0';
	e->message[0] = '\0';
}

int err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	return -1;
}

const char *err_code_name(enum err_code code)
{
	return table[code].name;
}

int err_http_status(enum err_code code)
{
	return table[code].status;
}

int err_exit_status(enum err_code code)
{
	return table[code].exitc;
}
