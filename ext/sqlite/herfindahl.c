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
**   6. REAL amounts beyond about 1e120 or below 1e-120 are scaled by a power of two before
**      they are squared (pf_scale_for), so 1e300 or 1e-300 give the same HHI as 1 would.
**      The unkeyed form does not know the largest amount in advance: it takes its scale
**      from the first row and raises it (rescaling what it holds) when a larger one comes.
**   7. The unkeyed window form takes leaving rows out of its running sums. With REAL
**      amounts of very different sizes, taking out a large one can leave its rounding
**      error larger than what remains (1e31 next to 1e17 gave 10002.7): when the sum of
**      squares falls below peak * customers / 2^65 (the compensated sum's error bound
**      reaching 1e-12 of the result) it is an error that names the exact alternative,
**      herfindahl(customer, amount), instead of a wrong number. INTEGER sums are exact.
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

typedef struct hhi_state {
  pf_acc sum, sumsq;
  sqlite3_int64 customers;
  int shift; /* amounts enter the sums as x * 2^-shift; 0 for ordinary amounts */
  double peak; /* largest REAL part the sum of squares held since the sums were empty */
  int lost;    /* rows taken out left the REAL sums less accurate than 1e-12 (rule 7) */
} hhi_state;

/* Moves the sums to scale 2^-shift; from then on they are plain doubles. */
static void hhi_rescale(hhi_state *s, int shift) {
  double sum = ldexp(pf_acc_value(&s->sum), s->shift - shift);
  double sumsq = ldexp(pf_acc_value(&s->sumsq), 2 * (s->shift - shift));
  memset(&s->sum, 0, sizeof(s->sum));
  memset(&s->sumsq, 0, sizeof(s->sumsq));
  pf_acc_add_double(&s->sum, sum);
  pf_acc_add_double(&s->sumsq, sumsq);
  s->shift = shift;
}

static void hhi_update(sqlite3_context *ctx, sqlite3_value *amount, int sign) {
  hhi_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  pf_num x;
  if (s == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (pf_amount_read(ctx, "herfindahl", "amount", amount, &x) <= 0 || x.d <= 0) return;
  if (sign > 0) {
    int e = pf_scale_exponent(x.d);
    if (e > s->shift || (e != s->shift && s->customers == 0)) hhi_rescale(s, e);
  }
  if (s->shift != 0) {
    x.is_int = 0;
    x.d = ldexp(x.d, -s->shift);
  }
  if (sign > 0)
    pf_acc_add_num(&s->sum, &x);
  else
    pf_acc_sub_num(&s->sum, &x);
  pf_acc_add_square(&s->sumsq, &x, sign);
  s->customers += sign;
  if (sign > 0) {
    if (s->sumsq.d > s->peak) s->peak = s->sumsq.d;
  } else if (s->customers <= 0) {
    memset(s, 0, sizeof(*s)); /* empty again: exactly zero, nothing lost */
  } else if (s->sumsq.inexact &&
             pf_acc_value(&s->sumsq) * 0x1p65 < s->peak * (double)s->customers) {
    s->lost = 1;
  }
}

/* pf_acc_add_double, inlined for the row loop: the same operations, the same result. */
static inline void acc_add(pf_acc *a, double x) {
  double t = a->d + x;
  if (fabs(a->d) >= fabs(x))
    a->c += (a->d - t) + x;
  else
    a->c += (x - t) + a->d;
  a->d = t;
  a->inexact = 1;
}

static void hhi_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  hhi_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  (void)argc;
  /* The usual row: a positive REAL of ordinary size while no scale is in use. It does
  ** exactly what hhi_update does for it (x and its square, with the square's rounding
  ** error from fma, into the compensated sums), without the calls. */
  if (s && s->shift == 0 && sqlite3_value_type(argv[0]) == SQLITE_FLOAT) {
    double x = sqlite3_value_double(argv[0]);
    if (x >= 0x1p-399 && x < 0x1p399) {
      double sq = x * x;
      acc_add(&s->sum, x);
      acc_add(&s->sumsq, sq);
      acc_add(&s->sumsq, fma(x, x, -sq));
      if (s->sumsq.d > s->peak) s->peak = s->sumsq.d;
      s->customers++;
      return;
    }
  }
  hhi_update(ctx, argv[0], 1);
}

static void hhi_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  hhi_update(ctx, argv[0], -1);
}

static void hhi_value(sqlite3_context *ctx) {
  hhi_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0 || s->customers <= 0) return; /* NULL */
  if (s->lost) {
    sqlite3_result_error(ctx,
                         "herfindahl: the REAL amounts in this window frame differ too much in"
                         " size to take rows back out exactly; herfindahl(customer, amount) is"
                         " exact",
                         -1);
    return;
  }
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
  sqlite3_int64 customers;
  int64_t n;
  double hhi;
  int rc;
  if (t == 0) return;
  rc = pf_table_hhi(t, &hhi, &n);
  customers = n;
  if (rc == PF_RANGE)
    sqlite3_result_error(ctx, "herfindahl: " PF_TOTAL_RANGE, -1);
  else if (rc != PF_OK)
    sqlite3_result_error_nomem(ctx);
  else if (customers > 0)
    sqlite3_result_double(ctx, hhi);
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
  return pf_register(db, herfindahl_functions, PF_COUNT(herfindahl_functions), pzErrMsg);
}
