/* named_sql.h — the SQL domain code still writes by hand (joins and aggregates the query
   interface, query.h, cannot express), kept as named constants beside the record type they
   belong to, and a check that every table and column they name exists in the registry.

   How the check works: it reads a statement as tokens, not as a grammar. A name after FROM
   or JOIN is a table, which must be a record type's table (or record_links, the engine's
   table of references), optionally followed by an alias; "(…) alias" after FROM or JOIN is
   a subquery whose columns are not known. A qualified name t.col must name a column of the
   table t stands for (skipped for a subquery's alias). Any other bare name that is not a
   keyword, a function (followed by "(") or an alias (after AS) must be a column of one of
   the statement's tables — or, when the statement reads a subquery, of some table in the
   registry. A table's columns are id, version, created_at, updated_at, _search and its
   stored fields. Statements may be printf templates: %s stands for text made at run time
   (a subquery that is itself a named statement, or a list of parameters) and $%d for a
   parameter numbered at run time.

   This is simpler than parsing SQL and robust for what domain code writes (SELECT with
   joins, subqueries, EXISTS, CASE, aggregates): a misspelt table or column, or a field
   renamed in the registry, fails the unit test that checks every set (tests/unit/
   test_query.c lists them; add a new set there). */
#ifndef ISMS_NAMED_SQL_H
#define ISMS_NAMED_SQL_H
#include "record.h"

/* A set of them is an array ending with a zeroed entry, indexed by an enum of the file
   that uses it: ack_sql[ACK_SIZE].sql. */
struct named_sql {
	const char *name; /* what it answers, e.g. "audience_all" */
	const char *sql;  /* static text */
};

/* Checks one statement against the registry: ERR_INTERNAL naming the statement and the
   first unknown table, alias or column. */
int named_sql_check(const struct registry *reg, const struct named_sql *s, struct err *e);
/* Checks every statement of a set that ends with a zeroed entry ({0}). */
int named_sql_check_all(const struct registry *reg, const struct named_sql *set,
			struct err *e);

#endif
