/*
** gini.c: gini(amount) and gini(customer, amount).
**
** The Gini coefficient of the customers' amounts, population form: 0 when every customer
** holds the same, approaching 1 when one holds everything. One customer gives 0.
**   1. Customers with a total <= 0 are left out (as in every measure of the extension).
**   2. A NULL or '' amount or customer skips the row; no positive customer gives NULL.
**   3. A non-numeric amount is an error naming it.
**   4. It must see every amount, so it keeps them (8 bytes per customer) and sorts them
**      when the value is asked for. Both forms are window functions.
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT3

#include <float.h>

typedef struct gini_state {
  pf_table customers; /* keyed form only */
  pf_values values;
} gini_state;

static gini_state *gini_state_get(sqlite3_context *ctx) {
  gini_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  if (s == 0) sqlite3_result_error_nomem(ctx);
  return s;
}

static void gini_update(sqlite3_context *ctx, sqlite3_value *amount, int sign) {
  gini_state *s = gini_state_get(ctx);
  pf_num x;
  if (s == 0) return;
  if (pf_amount_read(ctx, "gini", "amount", amount, &x) <= 0 || x.d <= 0) return;
  if (sign < 0) {
    pf_values_remove(&s->values, x.d);
  } else if (pf_values_push(&s->values, x.d) != PF_OK) {
    sqlite3_result_error_nomem(ctx);
  }
}

static void gini_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  gini_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  (void)argc;
  /* The usual row, a positive REAL with room in the list, is one store. */
  if (s && s->values.n < s->values.cap && sqlite3_value_type(argv[0]) == SQLITE_FLOAT) {
    double x = sqlite3_value_double(argv[0]);
    if (x > 0 && x <= DBL_MAX) {
      s->values.v[s->values.n++] = x;
      return;
    }
  }
  gini_update(ctx, argv[0], 1);
}

static void gini_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  gini_update(ctx, argv[0], -1);
}

static void gini_value(sqlite3_context *ctx) {
  gini_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0 || s->values.n == 0) return;
  sqlite3_result_double(ctx, pf_gini(s->values.v, s->values.n));
}

static void gini_final(sqlite3_context *ctx) {
  gini_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  gini_value(ctx);
  pf_values_free(&s->values);
}

/* ---- keyed form ---------------------------------------------------------------------- */

static void keyed_update(sqlite3_context *ctx, sqlite3_value **argv, int sign) {
  gini_state *s = gini_state_get(ctx);
  if (s == 0) return;
  pf_keyed_add(ctx, "gini", &s->customers, argv[0], argv[1], sign);
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
  gini_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0 || !pf_values_from_table_for(ctx, "gini", &s->values, &s->customers)) return;
  gini_value(ctx);
}

static void keyed_final(sqlite3_context *ctx) {
  gini_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  keyed_value(ctx);
  pf_values_free(&s->values);
  pf_table_free(&s->customers);
}

static const pf_function gini_functions[] = {
    {"gini", 1, PF_PURE, 0, gini_step, gini_final, gini_value, gini_inverse},
    {"gini", 2, PF_PURE, 0, keyed_step, keyed_final, keyed_value, keyed_inverse},
};

int pf_init_gini(sqlite3 *db, char **pzErrMsg) {
  return pf_register(db, gini_functions, PF_COUNT(gini_functions), pzErrMsg);
}
