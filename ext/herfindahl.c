/*
** herfindahl.c: herfindahl(amount) and herfindahl(customer, amount).
**
** The Herfindahl-Hirschman index on the 0-10000 scale: the sum of the customers' squared
** percentage shares. 30/30/20/20 gives 2600; one customer gives 10000.
**   1. herfindahl(amount): one row per customer. Rows with amount <= 0 hold no share and
**      are left out.
**   2. herfindahl(customer, amount): many rows per customer; rows are netted per customer
**      first, then customers with a net total <= 0 are left out.
**   3. A NULL or '' amount or customer skips the row. No positive customer: NULL.
**   4. A non-numeric amount (other TEXT, a BLOB, an infinity) is an error naming it.
**   5. Both are window functions; xInverse takes a row back out exactly (integer sums are
**      exact, double sums compensated).
*/
#include "portfolio_core.h"
SQLITE_EXTENSION_INIT3

typedef struct hhi_state {
  pf_acc sum, sumsq;
  sqlite3_int64 customers;
} hhi_state;

static void hhi_update(sqlite3_context *ctx, sqlite3_value *amount, int sign) {
  hhi_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  pf_num x;
  if (s == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (pf_amount_read(ctx, "herfindahl", "amount", amount, &x) <= 0 || x.d <= 0) return;
  if (sign > 0)
    pf_acc_add_num(&s->sum, &x);
  else
    pf_acc_sub_num(&s->sum, &x);
  pf_acc_add_square(&s->sumsq, &x, sign);
  s->customers += sign;
}

static void hhi_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  hhi_update(ctx, argv[0], 1);
}

static void hhi_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  hhi_update(ctx, argv[0], -1);
}

static void hhi_value(sqlite3_context *ctx) {
  hhi_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0 || s->customers <= 0) return; /* NULL */
  sqlite3_result_double(ctx, pf_hhi(&s->sum, &s->sumsq));
}

/* ---- keyed form ---------------------------------------------------------------------- */

static void keyed_update(sqlite3_context *ctx, sqlite3_value **argv, int sign) {
  pf_table *t = sqlite3_aggregate_context(ctx, sizeof(*t));
  if (t == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  pf_keyed_add(ctx, "herfindahl", t, argv[0], argv[1], sign);
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
  pf_table *t = sqlite3_aggregate_context(ctx, 0);
  pf_acc sum = {0, 0, 0, 0}, sumsq = {0, 0, 0, 0};
  sqlite3_int64 customers = 0;
  sqlite3_uint64 i;
  if (t == 0) return;
  if (pf_table_flush(t) != SQLITE_OK) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  for (i = 0; i < t->cap; i++) {
    pf_num total;
    if (PF_TABLE_ENTRY(t, i) == 0) continue;
    pf_entry_total(&t->slots[i], &total);
    if (total.d <= 0) continue;
    pf_acc_add_num(&sum, &total);
    pf_acc_add_square(&sumsq, &total, 1);
    customers++;
  }
  if (customers > 0) sqlite3_result_double(ctx, pf_hhi(&sum, &sumsq));
}

static void keyed_final(sqlite3_context *ctx) {
  pf_table *t = sqlite3_aggregate_context(ctx, 0);
  if (t == 0) return;
  keyed_value(ctx);
  pf_table_free(t);
}

static const pf_function herfindahl_functions[] = {
    {"herfindahl", 1, PF_PURE, 0, hhi_step, hhi_value, hhi_value, hhi_inverse},
    {"herfindahl", 2, PF_PURE, 0, keyed_step, keyed_final, keyed_value, keyed_inverse},
};

int pf_init_herfindahl(sqlite3 *db, char **pzErrMsg) {
  return pf_register(db, herfindahl_functions, 2, pzErrMsg);
}
