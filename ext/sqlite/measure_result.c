/*
** measure_result.c: what every form of the engine ends with, the measure's answer as the
** result of an SQLite call. Its own file so that the engine's three other files
** (measure_engine.c, measure_sums.c, measure_window.c) all call down into it and never
** round into each other (tests/core_layers.test.sh).
**
**   1. of_values over the positive totals: NULL when there are none; NOMEM when the
**      finaliser cannot allocate.
**   2. of_sums over a table's positive totals: "<name>: " PF_TOTAL_RANGE when a customer's
**      total leaves the double range; NULL when no customer is positive.
*/
#include "measure_engine.h"
SQLITE_EXTENSION_INIT3

void pf_result_of_values(sqlite3_context *ctx, const pf_measure *m, pf_values *v,
                         int64_t extra) {
  double out;
  if (v->n == 0) return; /* NULL */
  if (m->of_values(v->v, v->n, extra, &out) != PF_OK) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_double(ctx, out);
}

void pf_result_of_table_sums(sqlite3_context *ctx, const pf_measure *m, pf_table *t) {
  pf_sqsums sums;
  int rc = pf_table_sqsums(t, &sums);
  if (rc == PF_RANGE)
    pf_result_errorf(ctx, "%s: " PF_TOTAL_RANGE, m->name);
  else if (rc != PF_OK)
    sqlite3_result_error_nomem(ctx);
  else if (sums.count > 0)
    sqlite3_result_double(ctx, pf_sqsums_of(&sums, m->of_sums));
}
