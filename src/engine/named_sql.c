/* named_sql.c — checking hand-written statements against the registry (named_sql.h): a
   tokenizer, then one pass that finds the tables and aliases and one that checks every
   name against them. */
#include "named_sql.h"
#include "record_internal.h"
#include "../base/xalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAME_MAX_LEN 64
#define SCOPE_MAX 16

enum tok_kind { T_NAME, T_DOT, T_OPEN, T_CLOSE, T_SUBQUERY, T_OTHER };

struct tok {
	enum tok_kind kind;
	bool quoted;   /* "name": never a keyword */
	bool declared; /* a table, or an alias being defined */
	char text[NAME_MAX_LEN];
};

/* The engine's own table of references (schema.c), which named statements may join. */
static const char *const record_links_columns[] = {"from_type", "from_id", "field", "to_type",
						   "to_id", NULL};

static const char *const keywords[] = {
	"select", "distinct", "from", "where", "and", "or", "not", "in", "is", "null", "join",
	"inner", "left", "right", "outer", "cross", "on", "as", "order", "by", "asc", "desc",
	"group", "having", "limit", "offset", "exists", "case", "when", "then", "else", "end",
	"like", "escape", "union", "all", "between", "true", "false", NULL};

/* A table the statement reads: a record type's, or record_links (rt NULL). */
struct table {
	const struct record_type *rt;
	const char *name;
};

struct alias {
	char name[NAME_MAX_LEN];
	int table; /* index into tables, -1 for a subquery */
};

struct scope {
	const struct registry *reg;
	const struct named_sql *s;
	struct tok *toks;
	size_t ntoks;
	struct table tables[SCOPE_MAX];
	size_t ntables;
	struct alias aliases[SCOPE_MAX];
	size_t naliases;
	bool subquery; /* reads a subquery, whose columns are not known */
};

static bool is_keyword(const struct tok *t, const char *only)
{
	if (t->kind != T_NAME || t->quoted)
		return false;
	if (only)
		return strcasecmp(t->text, only) == 0;
	for (int i = 0; keywords[i]; i++)
		if (strcasecmp(t->text, keywords[i]) == 0)
			return true;
	return false;
}

static bool is_name(const struct tok *t)
{
	return t->kind == T_NAME && !is_keyword(t, NULL);
}

static void push(struct scope *sc, enum tok_kind kind, const char *text, size_t len,
		 bool quoted)
{
	sc->toks = xrealloc(sc->toks, (sc->ntoks + 1) * sizeof *sc->toks);
	struct tok *t = &sc->toks[sc->ntoks++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->quoted = quoted;
	if (len >= NAME_MAX_LEN)
		len = NAME_MAX_LEN - 1;
	snprintf(t->text, sizeof t->text, "%.*s", (int)len, text);
}

/* Splits the statement into names, dots, parentheses, subquery slots and everything else
   (literals, parameters, operators), which the check passes over. */
static void tokenize(struct scope *sc)
{
	const char *p = sc->s->sql;
	while (*p) {
		const char *start = p;
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			push(sc, T_NAME, start, (size_t)(p - start), false);
		} else if (*p == '"') {
			const char *end = strchr(p + 1, '"');
			end = end ? end : p + strlen(p);
			push(sc, T_NAME, p + 1, (size_t)(end - p - 1), true);
			p = *end ? end + 1 : end;
		} else if (*p == '\'') {
			for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
				;
			p += *p != '\0';
			push(sc, T_OTHER, "'", 1, false);
		} else if (*p == '$') {
			for (p++; isdigit((unsigned char)*p) || *p == '%' || *p == 'd'; p++)
				;
			push(sc, T_OTHER, "$", 1, false);
		} else if (p[0] == '%' && p[1] == 's') {
			p += 2;
			push(sc, T_SUBQUERY, "%s", 2, false);
		} else if (isdigit((unsigned char)*p)) {
			while (isalnum((unsigned char)*p) || *p == '.')
				p++;
			push(sc, T_OTHER, start, (size_t)(p - start), false);
		} else {
			enum tok_kind k = *p == '.'   ? T_DOT
					  : *p == '(' ? T_OPEN
					  : *p == ')' ? T_CLOSE
						      : T_OTHER;
			push(sc, k, p, 1, false);
			p++;
		}
	}
}

static int fail(struct scope *sc, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct scope *sc, struct err *e, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INTERNAL, NULL, "named statement %s: %s", sc->s->name, what);
}

static bool table_has(const struct table *t, const char *col)
{
	static const char *const meta[] = {"id", "version", "created_at", "updated_at", "_search",
					   NULL};
	if (!t->rt) {
		for (int i = 0; record_links_columns[i]; i++)
			if (strcmp(record_links_columns[i], col) == 0)
				return true;
		return false;
	}
	for (int i = 0; meta[i]; i++)
		if (strcmp(meta[i], col) == 0)
			return true;
	const struct field *f = record_field(t->rt, col);
	return f && field_stored(f);
}

static int find_table(struct scope *sc, const char *name, struct table *out, struct err *e)
{
	out->name = name;
	out->rt = NULL;
	if (strcmp(name, "record_links") == 0)
		return 0;
	for (size_t i = 0; i < sc->reg->ntypes; i++)
		if (strcmp(sc->reg->types[i]->table, name) == 0) {
			out->rt = sc->reg->types[i];
			out->name = out->rt->table;
			return 0;
		}
	return fail(sc, e, "no table \"%s\" in the registry", name);
}

/* Defines the alias at toks[k] (after an optional AS), if there is one, for table. */
static void take_alias(struct scope *sc, size_t k, int table)
{
	if (k < sc->ntoks && is_keyword(&sc->toks[k], "as"))
		k++;
	if (k >= sc->ntoks || !is_name(&sc->toks[k]) || sc->naliases == SCOPE_MAX)
		return;
	sc->toks[k].declared = true;
	struct alias *a = &sc->aliases[sc->naliases++];
	snprintf(a->name, sizeof a->name, "%s", sc->toks[k].text);
	a->table = table;
}

/* The first pass: the tables after FROM and JOIN, and their aliases. */
static int find_tables(struct scope *sc, struct err *e)
{
	for (size_t i = 0; i + 1 < sc->ntoks; i++) {
		if (!is_keyword(&sc->toks[i], "from") && !is_keyword(&sc->toks[i], "join"))
			continue;
		struct tok *t = &sc->toks[i + 1];
		if (is_name(t)) {
			if (sc->ntables == SCOPE_MAX)
				return fail(sc, e, "more than %d tables", SCOPE_MAX);
			if (find_table(sc, t->text, &sc->tables[sc->ntables], e) < 0)
				return -1;
			t->declared = true;
			take_alias(sc, i + 2, (int)sc->ntables++);
		} else if (t->kind == T_OPEN || t->kind == T_SUBQUERY) {
			size_t k = i + 1;
			for (int depth = 0; k < sc->ntoks; k++) {
				depth += sc->toks[k].kind == T_OPEN;
				depth -= sc->toks[k].kind == T_CLOSE;
				if (depth == 0)
					break;
			}
			sc->subquery = true;
			take_alias(sc, k + 1, -1);
		}
	}
	return 0;
}

static bool any_table_has(const struct scope *sc, const char *col)
{
	for (size_t i = 0; i < sc->ntables; i++)
		if (table_has(&sc->tables[i], col))
			return true;
	return false;
}

/* A bare name: a column of the statement's tables, an alias (AS name, or a table's), or
   with a subquery in the statement, a column some table of the registry has. */
static bool bare_name_known(const struct scope *sc, size_t i)
{
	const char *name = sc->toks[i].text;
	if (any_table_has(sc, name))
		return true;
	for (size_t k = 0; k < sc->naliases; k++)
		if (strcmp(sc->aliases[k].name, name) == 0)
			return true;
	for (size_t k = 1; k < sc->ntoks; k++)
		if (is_keyword(&sc->toks[k - 1], "as") && strcmp(sc->toks[k].text, name) == 0)
			return true;
	if (!sc->subquery)
		return false;
	for (size_t k = 0; k < sc->reg->ntypes; k++) {
		struct table t = {.rt = sc->reg->types[k]};
		if (table_has(&t, name))
			return true;
	}
	struct table links = {.rt = NULL};
	return table_has(&links, name);
}

/* t.col: t must be an alias or a table of the statement, and col one of its columns. */
static int check_qualified(struct scope *sc, const char *q, const char *col, struct err *e)
{
	for (size_t k = 0; k < sc->naliases; k++)
		if (strcmp(sc->aliases[k].name, q) == 0) {
			if (sc->aliases[k].table < 0)
				return 0; /* a subquery's column */
			const struct table *t = &sc->tables[sc->aliases[k].table];
			if (table_has(t, col))
				return 0;
			return fail(sc, e, "%s has no column \"%s\"", t->name, col);
		}
	for (size_t k = 0; k < sc->ntables; k++)
		if (strcmp(sc->tables[k].name, q) == 0)
			return table_has(&sc->tables[k], col)
				       ? 0
				       : fail(sc, e, "%s has no column \"%s\"", q, col);
	return fail(sc, e, "\"%s\" is neither a table nor an alias of this statement", q);
}

/* The second pass: every name that is not a keyword, a function or a declaration. */
static int check_names(struct scope *sc, struct err *e)
{
	for (size_t i = 0; i < sc->ntoks; i++) {
		struct tok *t = &sc->toks[i];
		if (!is_name(t) || t->declared)
			continue;
		if (i > 0 && is_keyword(&sc->toks[i - 1], "as"))
			continue; /* an output alias */
		bool dotted = i + 2 < sc->ntoks && sc->toks[i + 1].kind == T_DOT &&
			      sc->toks[i + 2].kind == T_NAME;
		if (dotted) {
			if (check_qualified(sc, t->text, sc->toks[i + 2].text, e) < 0)
				return -1;
			i += 2;
		} else if (i + 1 < sc->ntoks && sc->toks[i + 1].kind == T_OPEN && !t->quoted) {
			continue; /* a function: count(…), max(…), coalesce(…) */
		} else if (!bare_name_known(sc, i)) {
			return fail(sc, e, "no table it reads has a column \"%s\"", t->text);
		}
	}
	return 0;
}

int named_sql_check(const struct registry *reg, const struct named_sql *s, struct err *e)
{
	struct scope sc = {.reg = reg, .s = s};
	int ret = -1;
	if (!s->name || !s->sql) {
		err_set(e, ERR_INTERNAL, NULL, "a named statement lacks its name or its text");
		goto out;
	}
	tokenize(&sc);
	if (find_tables(&sc, e) < 0 || check_names(&sc, e) < 0)
		goto out;
	if (sc.ntables == 0 && !sc.subquery) {
		fail(&sc, e, "it reads no table");
		goto out;
	}
	ret = 0;
out:
	free(sc.toks);
	return ret;
}

int named_sql_check_all(const struct registry *reg, const struct named_sql *set,
			struct err *e)
{
	for (; set->name || set->sql; set++)
		if (named_sql_check(reg, set, e) < 0)
			return -1;
	return 0;
}
