/*
** measure_sums.c: running sums of positive amounts, for measures that are a function of
** their count, sum and sum of squares (of_sums: HHI); the unkeyed form of such a measure.
**
**   1. Each row is one customer. Rows with amount <= 0 hold no share and are left out; a
**      NULL or '' amount skips the row; a non-numeric one is an error naming it.
**   2. Integer amounts and their squares add exactly; REAL ones into compensated sums.
**   3. REAL amounts beyond about 1e120 or below 1e-120 are scaled by a power of two before
**      they are squared (pf_scale_exponent): the first row sets the scale, and a larger
**      amount raises it (rescaling what the sums hold), so 1e300 gives what 1 would.
**   4. xInverse takes a row's amount out of the running sums. With REAL amounts of very
**      different sizes, taking out a large one can leave its rounding error larger than
**      what remains (1e31 next to 1e17 gave 10002.7): when the sum of squares falls below
**      peak * count / 2^65 (the compensated sum's error bound reaching 1e-12 of the
**      result) the sums are marked lost, and the value is an error naming the exact
**      alternative, the keyed form (whose window sums are exact: measure_window.c).
**      Integer sums are exact and are never lost.
*/
#include "measure_engine.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

typedef struct pf_running_sums { /* the aggregate context */
  pf_acc sum, sumsq;
  int64_t count;
  int shift;   /* amounts enter the sums as x * 2^-shift; 0 for ordinary amounts */
  double peak; /* largest REAL part the sum of squares held since the sums were empty */
  int lost;    /* rows taken out left the REAL sums less accurate than 1e-12 */
} pf_running_sums;


/* Moves the sums to scale 2^-shift; from then on they are plain doubles. */
static void sums_rescale(pf_running_sums *s, int shift) {
  double sum = ldexp(pf_acc_value(&s->sum), s->shift - shift);
  double sumsq = ldexp(pf_acc_value(&s->sumsq), 2 * (s->shift - shift));
  memset(&s->sum, 0, sizeof(s->sum));
  memset(&s->sumsq, 0, sizeof(s->sumsq));
  pf_acc_add_double(&s->sum, sum);
  pf_acc_add_double(&s->sumsq, sumsq);
  s->shift = shift;
}

/* Adds (sign +1) or takes out (-1) one positive finite amount. */
static void sums_update(pf_running_sums *s, const pf_num *amount, int sign) {
  pf_num x = *amount;
  if (sign > 0) {
    int e = pf_scale_exponent(x.d);
    if (e > s->shift || (e != s->shift && s->count == 0)) sums_rescale(s, e);
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
  s->count += sign;
  if (sign > 0) {
    if (s->sumsq.d > s->peak) s->peak = s->sumsq.d;
  } else if (s->count <= 0) {
    memset(s, 0, sizeof(*s)); /* empty again: exactly zero, nothing lost */
  } else if (s->sumsq.inexact &&
             pf_acc_value(&s->sumsq) * 0x1p65 < s->peak * (double)s->count) {
    s->lost = 1;
  }
}

static void sums_row(sqlite3_context *ctx, sqlite3_value *amount, int sign) {
  pf_running_sums *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  pf_num x;
  if (s == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (pf_amount_read(ctx, pf_measure_of(ctx)->name, "amount", amount, &x) <= 0 || x.d <= 0)
    return;
  sums_update(s, &x, sign);
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

void pf_sums_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  pf_running_sums *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  (void)argc;
  /* The usual row: a positive REAL of ordinary size while no scale is in use. It does
  ** exactly what sums_update does for it (x and its square, with the square's rounding
  ** error from fma, into the compensated sums), without the calls. */
  if (s && s->shift == 0 && sqlite3_value_type(argv[0]) == SQLITE_FLOAT) {
    double x = sqlite3_value_double(argv[0]);
    if (x >= 0x1p-399 && x < 0x1p399) {
      double sq = x * x;
      acc_add(&s->sum, x);
      acc_add(&s->sumsq, sq);
      acc_add(&s->sumsq, fma(x, x, -sq));
      if (s->sumsq.d > s->peak) s->peak = s->sumsq.d;
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
  pf_running_sums *s = sqlite3_aggregate_context(ctx, 0);
  const pf_measure *m = pf_measure_of(ctx);
  if (s == 0 || s->count <= 0) return; /* NULL */
  if (s->lost) {
    pf_result_errorf(ctx,
                     "%s: the REAL amounts in this window frame differ too much in size to"
                     " take rows back out exactly; %s(customer, amount) is exact",
                     m->name, m->name);
    return;
  }
  sqlite3_result_double(ctx, m->of_sums(pf_acc_value(&s->sum), pf_acc_value(&s->sumsq)));
}
