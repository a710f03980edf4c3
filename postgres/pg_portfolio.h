/*
** pg_portfolio.h: shared declarations of the PostgreSQL host layer (postgres/pg_*.c).
**
** Included by: the files of postgres only (the core must never include it).
**   1. PostgreSQL headers first (postgres.h must be the first include), then the core.
**   2. Every error names the SQL function, as in the SQLite host ("top_share: ...").
*/
#ifndef PG_PORTFOLIO_H
#define PG_PORTFOLIO_H

#include "postgres.h"
#include "fmgr.h"

#include "portfolio_core.h"

/* Turns a core return code into an ERROR naming fn (PF_OK returns). */
void pg_check_core(int rc, const char *fn);
/* Reads a number of the given type as a core amount; errors name fn. */
void pg_read_amount(Datum v, Oid type, pf_num *out, const char *fn);

/* Numeric amounts of the measures are counted in units of 10^-digits (pg_host.c rule 2):
** the digits for a column of this typmod (its scale, or PG_NUMERIC_DEFAULT_DIGITS without
** one, at most PG_NUMERIC_MAX_DIGITS). */
#define PG_NUMERIC_DEFAULT_DIGITS 0
#define PG_NUMERIC_MAX_DIGITS 18
int pg_numeric_unit_digits(int32 typmod);
/* True when the typmod declares a scale (numeric(p, s)); without one (an expression,
** numeric without arguments) the measures count in the largest scale seen (pg_state.h). */
bool pg_numeric_has_scale(int32 typmod);
/* The display scale of a numeric (its digits after the point); 0 for NaN and infinities. */
int pg_numeric_dscale(Datum v);
/* The fewest decimals that show a numeric exactly (min_scale: 1.500 has 1); 0 for NaN and
** infinities. */
int pg_numeric_min_scale(Datum v);
/* Reads a numeric amount in units of 10^-digits: exact when it is a whole number of units
** within 64 bits, else a double in the same unit; NaN and infinities are errors naming fn. */
void pg_read_numeric_amount(Datum v, int digits, pf_num *out, const char *fn);
/* The same, for a numeric without a declared scale (pg_state.h rule 4): an amount that is
** not a whole number of units within 64 bits is an error naming fn and the amount, since
** a double there would depend on the unit at the time it was read, so on the row order. */
void pg_read_numeric_units(Datum v, int digits, pf_num *out, const char *fn);

/* Reads keys of one type; set up once per aggregate state. */
typedef struct pg_key_reader {
  Oid type;
  FmgrInfo out;  /* output function, for types keyed by their text */
  char *scratch; /* the last key's text, freed at the next key */
} pg_key_reader;
void pg_key_reader_init(pg_key_reader *r, Oid type);
bool pg_read_key(pg_key_reader *r, Datum v, pf_key *k);

#endif
