/* textdiff.c — line diff by dynamic programming over the part of two texts that differs. */
#include "textdiff.h"
#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct lines {
	char *copy;   /* the text with line ends replaced by NULs */
	char **line;  /* pointers into copy */
	size_t n;
};

static void lines_free(struct lines *l)
{
	free(l->copy);
	free(l->line);
}

/* Splits s into lines; a final line end does not start another line. 0, or -1 if out of
   memory. */
static int lines_split(const char *s, struct lines *l)
{
	size_t len = s ? strlen(s) : 0, cap = 1;
	memset(l, 0, sizeof *l);
	l->copy = malloc(len + 1);
	if (!l->copy)
		return -1;
	/* CRLF and CR become LF. */
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r') {
			l->copy[o++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else {
			l->copy[o++] = s[i];
		}
	}
	l->copy[o] = '\0';
	for (size_t i = 0; i < o; i++)
		cap += l->copy[i] == '\n';
	l->line = malloc(cap * sizeof *l->line);
	if (!l->line)
		return -1;
	if (o == 0)
		return 0;
	if (l->copy[o - 1] == '\n')
		l->copy[--o] = '\0';
	char *p = l->copy;
	for (;;) {
		l->line[l->n++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return 0;
}

static void emit(json_t *out, const char *op, const char *text, size_t old, size_t new_)
{
	json_t *row = json_build("{s:s, s:s}", "op", op, "text", text);
	if (old)
		json_object_set_new(row, "old", json_integer((json_int_t)old));
	if (new_)
		json_object_set_new(row, "new", json_integer((json_int_t)new_));
	json_array_append_new(out, row);
}

/* The differing middle a[a0..a1) against b[b0..b1): len[i][j] is the LCS length of a[i..a1)
   and b[j..b1), walked from the top left. -1 if out of memory. */
static int middle(const struct lines *a, const struct lines *b, size_t a0, size_t a1, size_t b0,
		  size_t b1, json_t *out)
{
	size_t n = a1 - a0, m = b1 - b0, w = m + 1;
	uint32_t *len = NULL;
	if (n && m && n <= TEXTDIFF_MAX_CELLS / m)
		len = calloc((n + 1) * w, sizeof *len);
	if (!len) {
		if (n && m && n <= TEXTDIFF_MAX_CELLS / m)
			return -1;
		for (size_t i = a0; i < a1; i++)
			emit(out, "-", a->line[i], i + 1, 0);
		for (size_t j = b0; j < b1; j++)
			emit(out, "+", b->line[j], 0, j + 1);
		return 0;
	}
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;) {
			uint32_t down = len[(i + 1) * w + j], right = len[i * w + j + 1];
			len[i * w + j] = strcmp(a->line[a0 + i], b->line[b0 + j]) == 0
						 ? len[(i + 1) * w + j + 1] + 1
						 : (down > right ? down : right);
		}
	size_t i = 0, j = 0;
	while (i < n && j < m) {
		if (strcmp(a->line[a0 + i], b->line[b0 + j]) == 0) {
			emit(out, " ", a->line[a0 + i], a0 + i + 1, b0 + j + 1);
			i++;
			j++;
		} else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) {
			emit(out, "-", a->line[a0 + i], a0 + i + 1, 0);
			i++;
		} else {
			emit(out, "+", b->line[b0 + j], 0, b0 + j + 1);
			j++;
		}
	}
	for (; i < n; i++)
		emit(out, "-", a->line[a0 + i], a0 + i + 1, 0);
	for (; j < m; j++)
		emit(out, "+", b->line[b0 + j], 0, b0 + j + 1);
	free(len);
	return 0;
}

json_t *textdiff_lines(const char *old, const char *new_)
{
	struct lines a = {0}, b = {0};
	json_t *out = NULL;
	if (lines_split(old, &a) < 0 || lines_split(new_, &b) < 0)
		goto cleanup;
	size_t start = 0, end_a = a.n, end_b = b.n;
	while (start < a.n && start < b.n && strcmp(a.line[start], b.line[start]) == 0)
		start++;
	while (end_a > start && end_b > start && strcmp(a.line[end_a - 1], b.line[end_b - 1]) == 0) {
		end_a--;
		end_b--;
	}
	out = json_array();
	for (size_t i = 0; i < start; i++)
		emit(out, " ", a.line[i], i + 1, i + 1);
	if (middle(&a, &b, start, end_a, start, end_b, out) < 0) {
		json_decref(out);
		out = NULL;
		goto cleanup;
	}
	for (size_t i = end_a, j = end_b; i < a.n; i++, j++)
		emit(out, " ", a.line[i], i + 1, j + 1);
cleanup:
	lines_free(&a);
	lines_free(&b);
	return out;
}
