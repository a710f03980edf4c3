/*
** pg_state.h: the aggregate state shared by herfindahl, top_share and gini in PostgreSQL.
**
** Included by: pg_state.c, which implements it, and the aggregates that keep such a state
** (pg_aggregates.c, pg_ranking.c) only.
**   1. One struct for every form: keyed forms use `table` (customer -> net total, the
**      core's pf_table); unkeyed HHI keeps the core's exact sums (pf_sqsums, as the SQLite
**      host does), so it is the same bits in every row order and parallel split; unkeyed
**      top_share and gini keep the positive amounts in `values`.
**   2. It lives in the aggregate memory context (AggCheckCallContext), and so does every
**      allocation the core makes for it: callers switch to that context first.
**   3. Serialised (for parallel workers) as a header and one record per customer/value;
**      workers run the same binary, so records are plain memory images.
**   4. A numeric amount without a declared scale is counted in units of 10^-s, s the
**      largest scale (dscale) seen so far: a finer amount first recounts the state in the
**      finer unit (pg_state_rescale), which happens at most PG_NUMERIC_MAX_DIGITS times.
**      Every amount and customer total is then a whole number of units within 64 bits, or
**      an error naming the function and the value: a double there would depend on the
**      unit at the time it was read, so on the row order and the parallel split.
*/
#ifndef PG_STATE_H
#define PG_STATE_H

#include "pg_portfolio.h"

enum { PG_UNKEYED = 1, PG_KEYED = 2 };

typedef struct pg_agg_state {
  int form;       /* PG_UNKEYED or PG_KEYED */
  int64 n;        /* top_share's n; 0 until the first row */
  pf_table table; /* keyed forms */
  pf_sqsums sums;    /* unkeyed herfindahl: count, sum and squares of positive amounts */
  pf_values values;  /* unkeyed top_share and gini */
  bool readers_ready;
  Oid amount_type;
  int numeric_digits; /* numeric amounts: counted in units of 10^-numeric_digits */
  bool numeric_dynamic; /* numeric without a declared scale: numeric_digits is the largest
                        ** scale seen so far (at most PG_NUMERIC_MAX_DIGITS) */
  pg_key_reader keys;
} pg_agg_state;

/* The aggregate context, or an error naming fn when not called as an aggregate. */
MemoryContext pg_agg_context(FunctionCallInfo fcinfo, const char *fn);
pg_agg_state *pg_state_new(MemoryContext cx, int form);
/* Recounts every amount of s in units of 10^-digits (digits above s->numeric_digits),
** in the current (aggregate) context: the unkeyed HHI's sums exactly; a keyed total that
** is not a whole number of units within 64 bits in the new unit is an error naming fn. */
void pg_state_rescale(pg_agg_state *s, int digits, const char *fn);
/* A numeric without a declared scale: an error naming fn when a customer's total (flushed
** table) is no longer a whole number of units within 64 bits. */
void pg_state_check_units(pg_agg_state *s, const char *fn);
/* Adds everything of src into dst (both in dst's context), first bringing both to the
** finer unit of the two; errors name fn. */
void pg_state_merge(pg_agg_state *dst, pg_agg_state *src, const char *fn);
bytea *pg_state_serialize(pg_agg_state *s);
pg_agg_state *pg_state_deserialize(MemoryContext cx, bytea *b);

#endif
