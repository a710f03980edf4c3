/*
** pg_values.h: reading the arguments of PostgreSQL's VARIADIC "any" functions (risk_score,
** risk_explain) as the SQLite host reads its values, and quoting them back in errors.
**
** Included by: pg_values.c, which implements it, and the functions that read such
** arguments (pg_phase.c, pg_ranking.c, pg_risk_fit.c, and pg_risk.h for the risk files) only.
** Rules:
**   1. Numbers: smallint/integer/bigint and integral numeric that fit in 64 bits are exact
**      integers; other numeric, real and double precision are doubles; boolean is 1 or 0
**      (SQLite's TRUE and FALSE). Text-like values (text, varchar, char, name, unknown
**      literals) are read by SQLite's numeric affinity (pf_text_to_number).
**   2. An argument is described for a message as SQLite describes a value: NULL, 12, 1.5
**      (15 digits), 'text' (quoted, cut at 40 bytes), a BLOB of N bytes (bytea); any other
**      type by its output text, quoted.
*/
#ifndef PG_VALUES_H
#define PG_VALUES_H

#include "pg_portfolio.h"

/* What one argument is, read once per call site. */
enum { PG_ARG_NUMBER = 1, PG_ARG_TEXT = 2, PG_ARG_BOOL = 3, PG_ARG_BYTES = 4,
       PG_ARG_JSON = 5, PG_ARG_OTHER = 6 };
int pg_arg_kind(Oid type);

/* The text of a text-like or json argument (not NULL), and its length. */
char *pg_arg_text(FunctionCallInfo fcinfo, int i, Oid type, int *n);
/* Argument i as a number: 1 with *out set, 0 for NULL or '', -1 when it is not a number
** (text that is not numeric, another type, NaN or an infinity). */
int pg_arg_number(FunctionCallInfo fcinfo, int i, Oid type, pf_num *out);
/* Argument i (not NULL) as the text SQLite would read from the same value: text as it
** is, integers in decimal, doubles and fractional numerics as REALs print (%!.15g),
** booleans 1 or 0, bytea its bytes, other types their output text. */
char *pg_arg_as_text(FunctionCallInfo fcinfo, int i, Oid type, int *n);
/* "NULL", "12", "'abc'"... (rule 2), palloc'd. */
char *pg_describe_arg(FunctionCallInfo fcinfo, int i, Oid type);

#endif
