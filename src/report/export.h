/* export.h — exports of the Statement of Applicability, the risk register and the risk
   treatment plan as XLSX, CSV (RFC 4180) and a printable HTML page. The HTTP report routes
   and `isms report` both call export_report. */
#ifndef ISMS_EXPORT_H
#define ISMS_EXPORT_H
#include <stdbool.h>
#include <stddef.h>

#include "../base/buf.h"
#include "../engine/record.h"

enum export_format { EXPORT_XLSX, EXPORT_CSV, EXPORT_HTML };

/* The format named by its file extension ("xlsx", "csv", "html"); false if unknown. */
bool export_format_parse(const char *ext, enum export_format *out);
/* The file extension and the media type (with charset for text) of a format. */
const char *export_format_ext(enum export_format f);
const char *export_media_type(enum export_format f);
/* True if name is a report export_report knows ("soa", "risk-register", "treatment-plan"). */
bool export_known(const char *name);
/* The reports, for messages. */
#define EXPORT_REPORTS                                                                         \
	"soa, risk-register, treatment-plan, document-register and document-version (html, "  \
	"version=ID)"

/* Builds report `name` in format f and appends it to out; runs inside the caller's (read)
   transaction. version > 0 exports that approved SoA version (soa only) from its frozen
   snapshot: the same bytes every time, with no time in it but the version's own approval
   date; version 0 exports the current records and says when. filename receives the name to
   save it under ("soa-v3.xlsx"). Errors: ERR_NOT_FOUND for an unknown report or version,
   ERR_FORBIDDEN if the actor may not read the records, ERR_INVALID for a version of another
   report, ERR_INTERNAL if the spreadsheet cannot be written. */
int export_report(struct ctx *c, const char *name, enum export_format f, long long version,
		  struct buf *out, char *filename, size_t size, struct err *e);

/* Appends one CSV field: quoted (with doubled quotes) when it holds a comma, quote, CR or LF.
   A text value starting with = + - @ (or a tab or CR) gets a leading ' so that spreadsheets
   do not run it as a formula; numbers (text == false) are written as they are. */
void export_csv_field(struct buf *b, const char *s, bool text);

#endif
