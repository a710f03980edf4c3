/*
** measure_sums.c: running sums of positive amounts, for measures that are a function of
** their count, sum and sum of squares (of_sums: HHI); the unkeyed form of such a measure.
**
**   1. Each row is one customer. Rows with amount <= 0 hold no share and are left out; a
**      NULL or '' amount skips the row; a non-numeric one is an error naming it.
**   2. The sums are exact (pf_sqsums: the amounts into an exact accumulator, their squares
**      into a superaccumulator that holds the square of any double), so the value is the
**      exact HHI's sums rounded once: the same bits in every row order, for any sizes
**      (1e300 gives what 1 gives; no scale), and exactly the one-pass value in a window.
**   3. xInverse takes a row's amount out of the sums, exactly, so nothing of a row that
**      left the frame stays behind; a frame that empties starts again from zero.
**   4. The usual row, a positive REAL, goes through an inline fast path: a Neumaier step
**      that proves itself exact for the sum, and the square's two 64-bit halves added to
**      the superaccumulator's digits (no carry moves), a few integer operations.
*/
#include "measure_engine.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

/* The aggregate context is a pf_sqsums: zeroed memory is empty. */

/* Adds (sign +1) or takes out (-1) one positive finite amount. */
static void sums_update(pf_sqsums *s, const pf_num *amount, int sign) {
  pf_sqsums_add(s, amount, sign);
  if (s->count <= 0) pf_sqsums_clear(s); /* empty again: exactly zero, fast path again */
}

static void sums_row(sqlite3_context *ctx, sqlite3_value *amount, int sign) {
  pf_sqsums *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  pf_num x;
  if (s == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (pf_amount_read(ctx, pf_measure_of(ctx)->name, "amount", amount, &x) <= 0 || x.d <= 0)
    return;
  sums_update(s, &x, sign);
}

void pf_sums_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  pf_sqsums *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  (void)argc;
  /* The usual row: a positive finite REAL. It does exactly what pf_sqsums_add does for
  ** it, with the sum's provably exact step inline. */
  if (s && sqlite3_value_type(argv[0]) == SQLITE_FLOAT) {
    double x = sqlite3_value_double(argv[0]);
    if (x > 0 && isfinite(x)) {
      pf_xacc_add_double(&s->sum, x);
      pf_squares_add(&s->sumsq, x, 0);
      s->count++;
      return;
    }
  }
  sums_row(ctx, argv[0], 1);
}

void pf_sums_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  sums_row(ctx, argv[0], -1);
}

void pf_sums_value(sqlite3_context *ctx) {
  pf_sqsums *s = sqlite3_aggregate_context(ctx, 0);
  const pf_measure *m = pf_measure_of(ctx);
  if (s == 0 || s->count <= 0) return; /* NULL */
  sqlite3_result_double(ctx, pf_sqsums_of(s, m->of_sums));
}
