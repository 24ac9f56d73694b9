/* export.c — the table formats of views, and the two text ones: CSV (RFC 4180, guarded
   against formula injection) and a standalone printable HTML page. */
#include "export.h"
#include "export_table.h"

#include <stdio.h>
#include <string.h>

static const struct {
	enum export_format format;
	const char *ext, *media_type;
} formats[] = {
	{EXPORT_XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{EXPORT_CSV, "csv", "text/csv; charset=utf-8"},
	{EXPORT_HTML, "html", "text/html; charset=utf-8"},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

bool export_format_parse(const char *ext, enum export_format *out)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (ext && strcmp(formats[i].ext, ext) == 0) {
			*out = formats[i].format;
			return true;
		}
	return false;
}

const char *export_format_ext(enum export_format f)
{
	return formats[f].ext;
}

const char *export_media_type(enum export_format f)
{
	return formats[f].media_type;
}

static int table_write(struct ctx *c, const struct view_args *a, const struct view_format *vf,
		       struct buf *out, char *filename, size_t size, struct err *e)
{
	enum export_format f;
	if (!a->view->table || !export_format_parse(vf->ext, &f))
		return err_set(e, ERR_INTERNAL, NULL, "%s declares no table", a->view->name);
	struct export_table t;
	size_t start = out->len;
	if (a->view->table(c, a, &t, e) < 0)
		return -1;
	int rc = 0;
	switch (f) {
	case EXPORT_XLSX: rc = export_xlsx_render(&t, out, e); break;
	case EXPORT_CSV: rc = export_csv_render(&t, out, e); break;
	case EXPORT_HTML: rc = export_html_render(&t, out, e); break;
	}
	if (rc == 0)
		snprintf(filename, size, "%s.%s", t.filename, export_format_ext(f));
	else if (out->data) { /* nothing half-written stays behind */
		out->len = start;
		out->data[start] = '\0';
	}
	export_table_release(&t);
	return rc;
}

const struct view_format export_table_formats[EXPORT_TABLE_NFORMATS] = {
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true,
	 table_write},
	{"csv", "text/csv; charset=utf-8", true, table_write},
	{"html", "text/html; charset=utf-8", false, table_write},
};

/* ---- CSV ----------------------------------------------------------------------------- */

void export_csv_field(struct buf *b, const char *s, bool text)
{
	bool guard = text && s[0] && strchr("=+-@\t\r", s[0]);
	if (!strpbrk(s, ",\"\r\n")) {
		if (guard)
			buf_putc(b, '\'');
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (guard)
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static int csv_row(void *arg, const json_t *row, struct err *e)
{
	(void)e;
	struct buf *out = arg;
	size_t k;
	json_t *cell;
	json_array_foreach(row, k, cell) {
		char tmp[32];
		bool number;
		const char *s = export_cell_text(cell, tmp, &number);
		if (k)
			buf_putc(out, ',');
		export_csv_field(out, s, !number);
	}
	buf_puts(out, "\r\n");
	return 0;
}

int export_csv_render(struct export_table *t, struct buf *out, struct err *e)
{
	size_t k;
	json_t *col;
	json_array_foreach(t->columns, k, col) {
		if (k)
			buf_putc(out, ',');
		export_csv_field(out, json_string_value(json_object_get(col, "label")), true);
	}
	buf_puts(out, "\r\n");
	return export_table_each_row(t, csv_row, out, e);
}

/* ---- HTML ---------------------------------------------------------------------------- */

void export_html_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

/* A small colour swatch: inline SVG, because the Content-Security-Policy allows no inline
   styles (a fill attribute is not a style) and it prints even when backgrounds do not. */
static void html_swatch(struct buf *b, const char *colour)
{
	unsigned rgb;
	if (!colour || strlen(colour) != 7 || sscanf(colour, "#%6x", &rgb) != 1)
		return;
	buf_printf(b,
		   "<svg class=\"swatch\" width=\"10\" height=\"10\" aria-hidden=\"true\">"
		   "<rect width=\"10\" height=\"10\" fill=\"#%06x\"/></svg> ",
		   rgb);
}

struct html_rows {
	struct buf *out;
	size_t n;
};

static int html_row(void *arg, const json_t *row, struct err *e)
{
	(void)e;
	struct html_rows *h = arg;
	size_t k;
	json_t *cell;
	buf_puts(h->out, "<tr>");
	json_array_foreach(row, k, cell) {
		char tmp[32];
		bool number;
		const char *s = export_cell_text(cell, tmp, &number);
		buf_puts(h->out, number ? "<td class=\"num\">" : "<td>");
		if (json_is_object(cell))
			html_swatch(h->out, json_string_value(json_object_get(cell, "fill")));
		export_html_text(h->out, s);
		buf_puts(h->out, "</td>");
	}
	buf_puts(h->out, "</tr>\n");
	h->n++;
	return 0;
}

int export_html_render(struct export_table *t, struct buf *out, struct err *e)
{
	size_t i, k;
	json_t *col, *about;
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>");
	export_html_text(out, t->title);
	buf_puts(out, " — ");
	export_html_text(out, t->subtitle);
	buf_puts(out, "</title>\n<link rel=\"stylesheet\" href=\"/static/print.css\">\n</head>\n"
		      "<body class=\"report\">\n<header>\n<h1>");
	export_html_text(out, t->title);
	buf_puts(out, "</h1>\n<p class=\"subtitle\">");
	export_html_text(out, t->subtitle);
	buf_puts(out, "</p>\n<dl class=\"about\">\n");
	json_array_foreach(t->about, i, about) {
		buf_puts(out, "<dt>");
		export_html_text(out, json_string_value(json_array_get(about, 0)));
		buf_puts(out, "</dt><dd>");
		export_html_text(out, json_string_value(json_array_get(about, 1)));
		buf_puts(out, "</dd>\n");
	}
	buf_puts(out, "</dl>\n</header>\n<main>\n<table>\n<thead>\n<tr>");
	json_array_foreach(t->columns, k, col) {
		buf_puts(out, "<th scope=\"col\">");
		export_html_text(out, json_string_value(json_object_get(col, "label")));
		buf_puts(out, "</th>");
	}
	buf_puts(out, "</tr>\n</thead>\n<tbody>\n");
	struct html_rows h = {.out = out};
	if (export_table_each_row(t, html_row, &h, e) < 0)
		return -1;
	buf_printf(out, "</tbody>\n</table>\n</main>\n<footer>\n<p>%zu %s. ", h.n,
		   h.n == 1 ? "row" : "rows");
	export_html_text(out, t->title);
	buf_puts(out, ", ");
	export_html_text(out, t->subtitle);
	buf_puts(out, ".</p>\n</footer>\n</body>\n</html>\n");
	return 0;
}
