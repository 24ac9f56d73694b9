/* export_xlsx.c — a report as an XLSX workbook (libxlsxwriter): the table on the first
   sheet with a bold, frozen header row and an autofilter, risk levels filled with their
   colours, and an "About" sheet. libxlsxwriter writes to a file, so the workbook goes to a
   private temporary file that is read back and removed; in its constant-memory mode each row
   goes straight to disk as it is made, strings inline. With a fixed document time the output
   is byte-for-byte reproducible (the library dates every zip entry 1980-01-01). */
#include "export_table.h"
#include "../base/xalloc.h"

#include <xlsxwriter.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XLSX_MAX_CHARS 32767 /* Excel's limit for one cell */
#define XLSX_MAX_FILLS 16    /* distinct level colours given their own format */
#define WRAP_FROM 30         /* columns at least this wide wrap their text */

struct sheet_formats {
	lxw_workbook *wb;
	lxw_format *header, *top, *wrap, *bold;
	unsigned fill_rgb[XLSX_MAX_FILLS];
	lxw_format *fill[XLSX_MAX_FILLS];
	int nfills;
	lxw_error error; /* the first error of any write */
};

static void formats_init(struct sheet_formats *f, lxw_workbook *wb)
{
	memset(f, 0, sizeof *f);
	f->wb = wb;
	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	format_set_bg_color(f->header, 0xE7E6E6);
	format_set_bottom(f->header, LXW_BORDER_THIN);
	format_set_text_wrap(f->header);
	format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
	f->top = workbook_add_format(wb);
	format_set_align(f->top, LXW_ALIGN_VERTICAL_TOP);
	f->wrap = workbook_add_format(wb);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	f->bold = workbook_add_format(wb);
	format_set_bold(f->bold);
	format_set_align(f->bold, LXW_ALIGN_VERTICAL_TOP);
}

/* The format for a cell filled with "#rrggbb", text in black or white for contrast; NULL
   when the colour is malformed or there are too many colours. */
static lxw_format *fill_format(struct sheet_formats *f, const char *colour)
{
	unsigned rgb;
	if (!colour || strlen(colour) != 7 || sscanf(colour, "#%6x", &rgb) != 1)
		return NULL;
	for (int i = 0; i < f->nfills; i++)
		if (f->fill_rgb[i] == rgb)
			return f->fill[i];
	if (f->nfills == XLSX_MAX_FILLS)
		return NULL;
	lxw_format *fmt = workbook_add_format(f->wb);
	format_set_bg_color(fmt, rgb);
	format_set_pattern(fmt, LXW_PATTERN_SOLID);
	format_set_align(fmt, LXW_ALIGN_VERTICAL_TOP);
	double lum = 0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) +
		     0.0722 * (rgb & 0xff);
	format_set_font_color(fmt, lum > 140 ? LXW_COLOR_BLACK : LXW_COLOR_WHITE);
	f->fill_rgb[f->nfills] = rgb;
	f->fill[f->nfills++] = fmt;
	return fmt;
}

static void check(struct sheet_formats *f, lxw_error rc)
{
	if (rc != LXW_NO_ERROR && f->error == LXW_NO_ERROR)
		f->error = rc;
}

/* Writes text as a string cell (never a formula), cut to Excel's limit with "…". */
static void write_text(struct sheet_formats *f, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		       const char *s, lxw_format *fmt)
{
	size_t chars = 0, cut = 0;
	bool longer = false;
	for (size_t i = 0; s[i] && !longer; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80) /* a UTF-8 continuation byte */
			continue;
		if (++chars == XLSX_MAX_CHARS)
			cut = i; /* the last character that fits gives way to the ellipsis */
		longer = chars > XLSX_MAX_CHARS;
	}
	if (!longer) {
		check(f, worksheet_write_string(ws, r, c, s, fmt));
		return;
	}
	char *shortened = xasprintf("%.*s…", (int)cut, s);
	check(f, worksheet_write_string(ws, r, c, shortened, fmt));
	free(shortened);
}

static void write_cell(struct sheet_formats *f, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		       const json_t *cell, bool wrap)
{
	lxw_format *fmt = wrap ? f->wrap : f->top;
	if (json_is_object(cell)) {
		lxw_format *fill = fill_format(f, json_string_value(json_object_get(cell, "fill")));
		fmt = fill ? fill : fmt;
		cell = json_object_get(cell, "text");
	}
	if (json_is_integer(cell))
		check(f, worksheet_write_number(ws, r, c, (double)json_integer_value(cell), fmt));
	else if (json_is_boolean(cell))
		check(f, worksheet_write_string(ws, r, c, json_is_true(cell) ? "yes" : "no", fmt));
	else if (json_is_string(cell) && json_string_length(cell) > 0)
		write_text(f, ws, r, c, json_string_value(cell), fmt);
}

struct sheet_rows {
	struct sheet_formats *f;
	lxw_worksheet *ws;
	const bool *wrap;
	size_t ncols;
	lxw_row_t n; /* rows written below the header */
};

static int sheet_row(void *arg, const json_t *row, struct err *e)
{
	(void)e;
	struct sheet_rows *s = arg;
	size_t k;
	json_t *cell;
	s->n++;
	json_array_foreach(row, k, cell) {
		if (k < s->ncols)
			write_cell(s->f, s->ws, s->n, (lxw_col_t)k, cell, s->wrap[k]);
	}
	return 0;
}

/* The table on its own sheet; the row count goes to *nrows. */
static int table_sheet(struct sheet_formats *f, struct export_table *t, size_t *nrows,
		       struct err *e)
{
	lxw_worksheet *ws = workbook_add_worksheet(f->wb, t->sheet);
	size_t ncols = json_array_size(t->columns), k;
	json_t *col;
	bool *wrap = xcalloc(ncols ? ncols : 1, sizeof *wrap);
	json_array_foreach(t->columns, k, col) {
		int width = (int)json_integer_value(json_object_get(col, "width"));
		wrap[k] = width >= WRAP_FROM;
		check(f, worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, width, NULL));
		write_text(f, ws, 0, (lxw_col_t)k, json_string_value(json_object_get(col, "label")),
			   f->header);
	}
	struct sheet_rows s = {.f = f, .ws = ws, .wrap = wrap, .ncols = ncols};
	int rc = export_table_each_row(t, sheet_row, &s, e);
	free(wrap);
	*nrows = s.n;
	if (rc < 0)
		return -1;
	if (ncols) {
		worksheet_freeze_panes(ws, 1, 0);
		check(f, worksheet_autofilter(ws, 0, 0, s.n, (lxw_col_t)(ncols - 1)));
		check(f, worksheet_repeat_rows(ws, 0, 0));
	}
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	char header[300];
	snprintf(header, sizeof header, "&L%s&R%s", t->title, t->subtitle);
	check(f, worksheet_set_header(ws, header));
	check(f, worksheet_set_footer(ws, "&CPage &P of &N"));
	return 0;
}

static void about_sheet(struct sheet_formats *f, const struct export_table *t, size_t nrows)
{
	lxw_worksheet *ws = workbook_add_worksheet(f->wb, "About");
	check(f, worksheet_set_column(ws, 0, 0, 26, NULL));
	check(f, worksheet_set_column(ws, 1, 1, 90, NULL));
	write_text(f, ws, 0, 0, t->title, f->bold);
	write_text(f, ws, 1, 0, t->subtitle, f->top);
	size_t i;
	json_t *about;
	json_array_foreach(t->about, i, about) {
		write_text(f, ws, (lxw_row_t)(i + 3), 0, json_string_value(json_array_get(about, 0)),
			   f->bold);
		write_text(f, ws, (lxw_row_t)(i + 3), 1, json_string_value(json_array_get(about, 1)),
			   f->wrap);
	}
	write_text(f, ws, (lxw_row_t)(i + 3), 0, "Rows", f->bold);
	check(f, worksheet_write_number(ws, (lxw_row_t)(i + 3), 1, (double)nrows, f->top));
}

/* Appends the whole file at path to out. */
static int read_back(const char *path, struct buf *out, struct err *e)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return err_set(e, ERR_INTERNAL, NULL, "cannot read the spreadsheet back: %s",
			       strerror(errno));
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(out, chunk, n);
	int bad = ferror(fp);
	fclose(fp);
	if (bad)
		return err_set(e, ERR_INTERNAL, NULL, "cannot read the spreadsheet back");
	return 0;
}

int export_xlsx_render(struct export_table *t, struct buf *out, struct err *e)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *path = xasprintf("%s/isms-export-XXXXXX", dir);
	int ret = -1, fd = mkstemp(path);
	if (fd < 0) {
		err_set(e, ERR_INTERNAL, NULL, "cannot create a temporary file in %s: %s", dir,
			strerror(errno));
		free(path);
		return -1;
	}
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb) {
		err_set(e, ERR_INTERNAL, NULL, "cannot start the spreadsheet");
		goto out;
	}
	char title[300];
	snprintf(title, sizeof title, "%s — %s", t->title, t->subtitle);
	lxw_doc_properties props = {
		.title = title,
		.subject = "ISO/IEC 27001:2022 information security management system",
		.author = "isms",
		.created = t->created,
	};
	struct sheet_formats f;
	formats_init(&f, wb);
	check(&f, workbook_set_properties(wb, &props));
	size_t nrows;
	if (table_sheet(&f, t, &nrows, e) < 0) {
		workbook_close(wb);
		goto out;
	}
	about_sheet(&f, t, nrows);
	lxw_error rc = workbook_close(wb);
	if (f.error != LXW_NO_ERROR || rc != LXW_NO_ERROR) {
		err_set(e, ERR_INTERNAL, NULL, "cannot write the spreadsheet: %s",
			lxw_strerror(f.error != LXW_NO_ERROR ? f.error : rc));
		goto out;
	}
	ret = read_back(path, out, e);
out:
	unlink(path);
	free(path);
	return ret;
}
