/*
** measure_engine.h: the engine's own state and the calls between its files. The calls go
** one way (tests/core_layers.test.sh): measure_engine.c calls measure_sums.c and
** measure_window.c, and all three call measure_result.c.
**
** Included by: measure_engine.c, measure_sums.c, measure_window.c and measure_result.c only.
**   1. measure_state: the aggregate context of every keyed form and of the unkeyed form of
**      an of_values measure; `window` is made when SQLite first asks the aggregate for a
**      value before its end or takes a row back out (measure_window.c), never in a plain
**      GROUP BY, whose rows keep the fast path.
*/
#ifndef PORTFOLIO_MEASURE_ENGINE_H
#define PORTFOLIO_MEASURE_ENGINE_H

#include "measure.h"

typedef struct measure_window measure_window;

typedef struct measure_state {
  const pf_measure *measure; /* set on the first row: no API call on the next ones */
  int fast_rows; /* 1: keyed aggregate rows may go straight to the table (not on the first
                 ** row, nor in a window) */
  pf_table customers;     /* keyed forms */
  pf_values values;       /* unkeyed rows of an of_values measure; scratch for keyed totals */
  int64_t extra;          /* the extra argument, 0 before the first row */
  measure_window *window; /* windows, once tracking (measure_window.c) */
} measure_state;

/* The measure a function was registered for (inline: the rows of every form ask it). */
static inline const pf_measure *pf_measure_of(sqlite3_context *ctx) {
  return sqlite3_user_data(ctx);
}

/* Reads and checks the extra argument of row argv (when the measure has one): 1, or 0
** after setting the error. */
int pf_measure_extra_read(sqlite3_context *ctx, const pf_measure *m, measure_state *s,
                          sqlite3_value *v);

/* ---- windows (measure_window.c) ----------------------------------------------------- */

/* Starts tracking: builds the window's summary from the rows so far (the table when
** keyed, else the amounts kept). 1, or 0 after setting NOMEM. */
int pf_window_start(sqlite3_context *ctx, const pf_measure *m, measure_state *s, int keyed);
/* One row in (sign +1) or out (-1) of a tracking keyed window. */
void pf_window_row(sqlite3_context *ctx, const pf_measure *m, measure_state *s,
                   sqlite3_value *key, sqlite3_value *amount, int sign);
/* One positive amount in or out of a tracking unkeyed window. */
void pf_window_amount(sqlite3_context *ctx, const pf_measure *m, measure_state *s,
                      const pf_num *x, int sign);
/* The measure over the window's rows now, as the result of ctx. */
void pf_window_result(sqlite3_context *ctx, const pf_measure *m, measure_state *s, int keyed);
void pf_window_free(measure_state *s);

/* ---- results (measure_result.c) ------------------------------------------------------ */

/* The result of an of_values measure over v (its positive totals): NULL when empty. */
void pf_result_of_values(sqlite3_context *ctx, const pf_measure *m, pf_values *v,
                         int64_t extra);
/* The result of an of_sums measure over the positive totals of a table. */
void pf_result_of_table_sums(sqlite3_context *ctx, const pf_measure *m, pf_table *t);

/* The unkeyed callbacks of an of_sums measure (measure_sums.c). */
void pf_sums_step(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void pf_sums_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void pf_sums_value(sqlite3_context *ctx);

#endif
