/* view.h — read views: anything a person asks of the records that is not one record type's
   list (the RACI matrix, what is due, acknowledgement progress, an export). A view is
   declared once, beside the record types of its module; the engine derives from it the
   HTTP route, its OpenAPI entry, the CLI command with usage, --help and --json, and its
   entry in /api/v1/meta (which the web app's navigation reads). Parameters are typed and
   parsed by one strict parser, so every face refuses the same bad input with the same
   message naming the parameter. */
#ifndef ISMS_VIEW_H
#define ISMS_VIEW_H
#include <stdio.h>

#include "record.h"
#include "../base/buf.h"

#define VIEW_MAX_PARAMS 8
#define VIEW_TEXT_MAX 64

enum view_param_type {
	VP_ID,   /* a record id: a whole number ≥ 1 */
	VP_BOOL, /* true/false (also 1/0); a CLI flag */
	VP_TIME, /* an RFC 3339 date-time, kept in canonical UTC form */
	VP_DATE, /* a calendar date YYYY-MM-DD */
	VP_ENUM, /* one of values */
	VP_INT,  /* a whole number in [min, max] */
	VP_TEXT, /* a short text (at most 64 bytes): a name, a record type */
};

struct view_param {
	const char *name; /* query parameter, CLI option (--name) or path segment (:name) */
	enum view_param_type type;
	const char *help;
	bool required;
	/* CLI: the n-th positional argument (1, 2 …) instead of --name; 0 for an option. */
	int position;
	const char *const *values; /* VP_ENUM: NULL-terminated */
	long long min, max;        /* VP_INT: inclusive bounds */
	const char *def;           /* the value when not given, as a client would write it */
};

/* A parsed argument: set is false when it was not given and has no default. */
struct view_value {
	bool set;
	long long n; /* VP_ID, VP_INT, VP_BOOL (0/1) */
	char text[72]; /* VP_TIME (canonical), VP_DATE, VP_ENUM, VP_TEXT */
};

struct view;
struct export_table;

struct view_args {
	const struct view *view;
	struct view_value v[VIEW_MAX_PARAMS];
};

/* One output format besides JSON (an SVG picture, a spreadsheet, a printable page). */
struct view_format {
	const char *ext;        /* "svg", "xlsx", "csv", "html": the URL's suffix, --format */
	const char *media_type; /* "image/svg+xml" */
	bool download;          /* sent as an attachment (Content-Disposition) */
	/* Writes the document into out and, for downloads, a file name with its extension
	   into filename. f is this format (one writer may serve several). */
	int (*write)(struct ctx *c, const struct view_args *a, const struct view_format *f,
		     struct buf *out, char *filename, size_t size, struct err *e);
};

struct view {
	const char *name;   /* "raci": /api/v1/reports/raci, `isms raci` */
	const char *clause; /* "5.3", or NULL for views of the whole ISMS */
	const char *title;  /* "RACI matrix" */
	const char *summary; /* one line, for OpenAPI, `isms --help` and the navigation */
	const char *help;    /* `isms NAME --help`: what it shows, in our own words */
	/* HTTP path when not /api/v1/reports/NAME, e.g. "/api/v1/reading" or
	   "/api/v1/document-versions/:id/diff" (a :name segment is the parameter of that name). */
	const char *path;
	/* CLI command when not NAME ("checks" for policy-checks). Views without run (exports
	   only) are reached through `isms report NAME --format F`. */
	const char *command;
	const struct view_param *params;
	size_t nparams;
	/* Record types (plural) the actor must be able to read: 403 naming the first that is
	   not. NULL-terminated, or NULL when any signed-in user may ask. */
	const char *const *reads;
	/* The JSON answer (caller owns *out), or NULL for a view that only has formats. */
	int (*run)(struct ctx *c, const struct view_args *a, json_t **out, struct err *e);
	/* JSON Schema of run's answer (OpenAPI; the API tests check real answers against it),
	   as JSON text written with ' for \" so that it reads in C. */
	const char *schema;
	const struct view_format *formats;
	size_t nformats;
	/* Optional: the rows of a table, for table formats (report/export.h), from the same
	   arguments. */
	int (*table)(struct ctx *c, const struct view_args *a, struct export_table *t,
		     struct err *e);
	/* CLI text for people; NULL prints JSON. */
	void (*print)(const json_t *out, FILE *f);
	/* Optional: whether the CLI should exit 1 on this answer (checks that fail), with the
	   reason in e. */
	int (*verdict)(const json_t *out, struct err *e);
	/* The web app's page for it ("#/raci"), or NULL when the generic view page serves. */
	const char *web;
};

/* Finds a view by name (or by the CLI command name), or NULL. */
const struct view *view_find(const struct registry *reg, const char *name);
/* The view whose path pattern is pattern, or NULL. */
const struct view *view_find_path(const struct registry *reg, const char *pattern);
/* The format with extension ext, or NULL. */
const struct view_format *view_format_find(const struct view *v, const char *ext);

/* Parses one parameter's text into out: 400 (ERR_INVALID, field = the parameter) naming
   what it must be. */
int view_parse_value(const struct view_param *p, const char *text, struct view_value *out,
		     struct err *e);
/* Fills a->v from get(arg, name) for every parameter (NULL when absent), applying defaults
   and refusing a missing required one. */
int view_parse_args(const struct view *v, const char *(*get)(void *arg, const char *name),
		    void *arg, struct view_args *a, struct err *e);
/* Whether the actor may read every type the view reads. */
bool view_readable(const struct ctx *c, const struct view *v);
/* Refuses (ERR_FORBIDDEN) when the actor may not read a type the view reads. */
int view_check_access(struct ctx *c, const struct view *v, struct err *e);

/* Accessors by parameter name, for run functions (the name must be declared). */
bool view_arg_set(const struct view_args *a, const char *name);
long long view_arg_int(const struct view_args *a, const char *name);
bool view_arg_bool(const struct view_args *a, const char *name);
const char *view_arg_text(const struct view_args *a, const char *name); /* NULL if unset */

/* The JSON type name of a parameter for OpenAPI ("integer", "boolean", "string"), and its
   schema (caller owns). */
json_t *view_param_schema(const struct view_param *p);

#endif
