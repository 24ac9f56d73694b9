/* export.h — tables as documents: XLSX, CSV (RFC 4180) and a printable HTML page, the
   formats of every view that declares a table (the SoA, the registers, the treatment
   plan). */
#ifndef ISMS_EXPORT_H
#define ISMS_EXPORT_H
#include <stdbool.h>
#include <stddef.h>

#include "../base/buf.h"
#include "../engine/view.h"

enum export_format { EXPORT_XLSX, EXPORT_CSV, EXPORT_HTML };

/* The format named by its file extension ("xlsx", "csv", "html"); false if unknown. */
bool export_format_parse(const char *ext, enum export_format *out);
/* The file extension and the media type (with charset for text) of a format. */
const char *export_format_ext(enum export_format f);
const char *export_media_type(enum export_format f);
/* The table formats of a view (XLSX, CSV, printable HTML) whose rows its `table` function
   makes: declare `.table = fn, .formats = export_table_formats, .nformats =
   EXPORT_TABLE_NFORMATS`. Each writes the whole document into out (nothing of it on
   failure) and the file name ("soa-v3.xlsx") into filename. */
extern const struct view_format export_table_formats[];
#define EXPORT_TABLE_NFORMATS 3

/* Appends one CSV field: quoted (with doubled quotes) when it holds a comma, quote, CR or LF.
   A text value starting with = + - @ (or a tab or CR) gets a leading ' so that spreadsheets
   do not run it as a formula; numbers (text == false) are written as they are. */
void export_csv_field(struct buf *b, const char *s, bool text);

#endif
