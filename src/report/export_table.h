/* export_table.h — inside the exports: the table each report builds (export_soa.c,
   export_risks.c) and each format renders (export.c for CSV and HTML, export_xlsx.c), plus
   the cells of registry fields with the titles of the records they refer to. */
#ifndef ISMS_EXPORT_TABLE_H
#define ISMS_EXPORT_TABLE_H
#include <time.h>

#include "../base/buf.h"
#include "../engine/record.h"

/* One report as rows and columns. A cell is a string, an integer, true/false, null (empty),
   or {"text": "High", "fill": "#rrggbb"} for a risk level shown in its colour. The rows are
   either held in `rows` or, for the long registers, made one at a time by `produce` while a
   renderer writes them, so that 10,000 risks never sit in memory as JSON all at once. The
   table owns its JSON and its state. */
struct export_table;
typedef int (*export_emit_fn)(void *arg, const json_t *row, struct err *e);

struct export_table {
	const char *title;  /* "Statement of Applicability": page heading, document title */
	const char *sheet;  /* XLSX worksheet name, at most 31 characters */
	char subtitle[200]; /* which version, or when it was exported */
	char filename[96];  /* without the extension: "soa-v3", "risk-register-2026-11-28" */
	time_t created;     /* XLSX document time; 0 = now (never 0 for a frozen version) */
	json_t *columns;    /* [{"label": "Risk", "width": 36}, …], width in characters */
	json_t *rows;       /* [[cell, …], …], one cell per column, unless produce is set */
	json_t *about;      /* [["Version", "3"], …]: what the report is, shown above the table */
	/* Optional: makes the rows in order, calling emit with each (borrowed for the call);
	   returns -1 with e set if reading fails or emit does. */
	int (*produce)(struct export_table *t, export_emit_fn emit, void *arg, struct err *e);
	void *state;                  /* the producer's, owned by the table */
	void (*free_state)(void *state);
};

void export_table_init(struct export_table *t, const char *title, const char *sheet);
void export_table_release(struct export_table *t);
void export_table_column(struct export_table *t, const char *label, int width);
void export_table_about(struct export_table *t, const char *label, const char *value);
/* Calls emit for every row in order (from rows or produce); 0, or -1 with e set. */
int export_table_each_row(struct export_table *t, export_emit_fn emit, void *arg,
			  struct err *e);
/* The text of a cell as CSV and HTML show it ("yes"/"no", digits, "" for null), into tmp
   when it must be formatted; borrowed. *number says whether it is an integer. */
const char *export_cell_text(const json_t *cell, char tmp[32], bool *number);
/* Adds "Exported at" and "Exported by" and sets the subtitle and file name of a report of
   the current records (name "risk-register" → "risk-register-2026-11-28"). */
void export_table_live(struct export_table *t, const struct ctx *c, const char *name);

/* Titles of referenced records, loaded once per type for the whole report. */
struct export_titles {
	struct ctx *c;
	json_t *cache; /* {"<type>": {"<id>": "<title>"}} */
};

void export_titles_init(struct export_titles *t, struct ctx *c);
void export_titles_release(struct export_titles *t);
/* The column width that suits a field. */
int export_field_width(const struct field *f);
/* The cell for a field of rec: references become the titles of their targets (joined with
   "; " for lists), lists of strings are joined the same way, enum values become their
   labels (export_value_label). Caller owns *out. */
int export_field_cell(struct export_titles *t, const struct field *f, const json_t *rec,
		      json_t **out, struct err *e);

/* The label people read for an enum value: with roles true, an application role's label
   ("ISMS manager"); otherwise the key with its first letter capital and "_" as spaces
   ("Risk treatment"). */
void export_value_label(const struct registry *reg, bool roles, const char *value, char *out,
			size_t size);
/* Appends the labels of a list of enum keys joined with "; " ("Risk treatment; Legal"). */
void export_labels_joined(const struct registry *reg, const json_t *keys, struct buf *out);
/* Who an account belongs to, for people: "Mona Manager (ISMS manager)", the person's (or
   the account's) name and the account's role; the username itself when there is no such
   account. */
int export_user_label(struct ctx *c, const char *username, char *out, size_t size,
		      struct err *e);

/* Appends s with the characters HTML gives meaning to escaped. */
void export_html_text(struct buf *b, const char *s);

/* Renderers: each appends the whole document to out; -1 with e set if making the rows
   (or, for XLSX, writing the file) fails. */
int export_csv_render(struct export_table *t, struct buf *out, struct err *e);
int export_html_render(struct export_table *t, struct buf *out, struct err *e);
int export_xlsx_render(struct export_table *t, struct buf *out, struct err *e);

/* Report builders: each fills t (released again on failure) and leaves roles to
   export_report. Only the SoA has versions; the others take 0. */
int export_soa_build(struct ctx *c, long long version, struct export_table *t, struct err *e);
int export_risks_register(struct ctx *c, long long version, struct export_table *t,
			  struct err *e);
int export_risks_treatment_plan(struct ctx *c, long long version, struct export_table *t,
				struct err *e);
int export_documents_register(struct ctx *c, long long version, struct export_table *t,
			      struct err *e);
/* A register of every record of rt, a column per shown field, in id order: the report
   `name` ("document-register") titled `title`. */
int export_register(struct ctx *c, const struct record_type *rt, const char *name,
		    const char *title, struct export_table *t, struct err *e);
/* The printable page of one approved, published or withdrawn document version: its
   administrative block and its text. */
int export_document_version_html(struct ctx *c, long long version_id, struct buf *out,
				 char *filename, size_t size, struct err *e);

#endif
