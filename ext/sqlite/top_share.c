/*
** top_share.c: top_share(amount, n) and top_share(customer, amount, n).
**
** The share (0-1) of the portfolio held by its n largest customers (concentration ratio
** CR_n).
**   1. n must be a positive integer (INTEGER, an integral REAL, or TEXT reading as one), the
**      same on every row; otherwise "top_share: n must be a positive integer, got X". A NULL
**      n is that error too: a missing n is a mistake, not an unknown.
**   2. Fewer than n customers gives 1.0.
**   3. Customers with a total <= 0 hold no share; NULL or '' amounts and keys skip the row;
**      no positive customer gives NULL.
**   4. The n largest are found with a size-n heap when the value is asked for.
**   5. Both are window functions (xInverse takes the row's amount back out).
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT3

#include <float.h>

typedef struct top_state {
  pf_table customers; /* keyed form only */
  pf_values values;   /* positive amounts (unkeyed) or scratch for totals (keyed) */
  sqlite3_int64 n;
} top_state;

/* Reads n on every row and insists it does not change within one aggregate. */
static top_state *top_state_for_row(sqlite3_context *ctx, sqlite3_value *nArg) {
  top_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  sqlite3_int64 n;
  if (s == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  if (!pf_topn_read(ctx, nArg, &n)) return 0;
  if (s->n != 0 && s->n != n) {
    pf_result_errorf(ctx, "top_share: n must be the same on every row, got %lld after %lld",
                     n, s->n);
    return 0;
  }
  s->n = n;
  return s;
}

static void top_update(sqlite3_context *ctx, sqlite3_value **argv, int sign) {
  top_state *s = top_state_for_row(ctx, argv[1]);
  pf_num x;
  if (s == 0) return;
  if (pf_amount_read(ctx, "top_share", "amount", argv[0], &x) <= 0 || x.d <= 0) return;
  if (sign < 0) {
    pf_values_remove(&s->values, x.d);
  } else if (pf_values_push(&s->values, x.d) != PF_OK) {
    sqlite3_result_error_nomem(ctx);
  }
}

static void top_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  top_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  (void)argc;
  /* The usual row, a positive REAL with the same INTEGER n as before and room in the
  ** list, is one store; anything else (first row, errors, growth) takes top_update. */
  if (s && s->n > 0 && s->values.n < s->values.cap &&
      sqlite3_value_type(argv[0]) == SQLITE_FLOAT &&
      sqlite3_value_type(argv[1]) == SQLITE_INTEGER && sqlite3_value_int64(argv[1]) == s->n) {
    double x = sqlite3_value_double(argv[0]);
    if (x > 0 && x <= DBL_MAX) {
      s->values.v[s->values.n++] = x;
      return;
    }
  }
  top_update(ctx, argv, 1);
}

static void top_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  top_update(ctx, argv, -1);
}

static void result_top_share(sqlite3_context *ctx, const pf_values *v, sqlite3_int64 n) {
  double share;
  if (v->n == 0) return; /* NULL */
  if (pf_top_share(v->v, v->n, n, &share) != PF_OK) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_double(ctx, share);
}

static void top_value(sqlite3_context *ctx) {
  top_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  result_top_share(ctx, &s->values, s->n);
}

static void top_final(sqlite3_context *ctx) {
  top_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  top_value(ctx);
  pf_values_free(&s->values);
}

/* ---- keyed form ---------------------------------------------------------------------- */

static void keyed_update(sqlite3_context *ctx, sqlite3_value **argv, int sign) {
  top_state *s = top_state_for_row(ctx, argv[2]);
  if (s == 0) return;
  pf_keyed_add(ctx, "top_share", &s->customers, argv[0], argv[1], sign);
}

static void keyed_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  keyed_update(ctx, argv, 1);
}

static void keyed_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  keyed_update(ctx, argv, -1);
}

static void keyed_value(sqlite3_context *ctx) {
  top_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0 || !pf_values_from_table_for(ctx, "top_share", &s->values, &s->customers)) return;
  result_top_share(ctx, &s->values, s->n);
}

static void keyed_final(sqlite3_context *ctx) {
  top_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  keyed_value(ctx);
  pf_values_free(&s->values);
  pf_table_free(&s->customers);
}

static const pf_function top_share_functions[] = {
    {"top_share", 2, PF_PURE, 0, top_step, top_final, top_value, top_inverse},
    {"top_share", 3, PF_PURE, 0, keyed_step, keyed_final, keyed_value, keyed_inverse},
};

int pf_init_top_share(sqlite3 *db, char **pzErrMsg) {
  return pf_register(db, top_share_functions, PF_COUNT(top_share_functions), pzErrMsg);
}
