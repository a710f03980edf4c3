/*
** core_number.c: exact and compensated sums (see portfolio_core.h), shared by every
** measure.
**
**   1. Integers and their squares add exactly into a 192-bit part (pf_wide.h): a square of
**      an int64 is below 2^126, so no count of rows a host can hold overflows it, and a
**      window that takes huge integers back out leaves exactly what remains.
**   2. Doubles add into a Neumaier sum: the low-order bits lost by whichever operand is
**      smaller are kept in a running compensation, so the order of the rows does not
**      matter to within one rounding.
**   3. A square enters with its rounding error (from fma), so a sum of squares is as exact
**      as a sum.
**   4. Reading: the exact part rounded once to a double (pf_wide192_to_double), then the
**      compensated part added to it.
** pf_acc is for running sums a host keeps row by row. Where the result must be the same
** bits in every order (the measures over customer totals), pf_xacc (core_exact.c) is exact.
*/
#include "portfolio_core.h"

#include <math.h>

/* ---- accumulators ------------------------------------------------------------------- */

void pf_acc_add_double(pf_acc *a, double x) {
  double t = a->d + x;
  /* Neumaier: keep the low-order bits lost by whichever operand is smaller. */
  if (fabs(a->d) >= fabs(x))
    a->c += (a->d - t) + x;
  else
    a->c += (x - t) + a->d;
  a->d = t;
  a->inexact = 1;
}

void pf_acc_add_i128(pf_acc *a, pf_i128 x) { pf_wide192_add_i128(&a->i, x); }

void pf_acc_add_int(pf_acc *a, int64_t x) { pf_wide192_add_i128(&a->i, pf_i128_from_i64(x)); }

void pf_acc_add_num(pf_acc *a, const pf_num *x) {
  if (x->is_int)
    pf_acc_add_int(a, x->i);
  else
    pf_acc_add_double(a, x->d);
}

void pf_acc_sub_num(pf_acc *a, const pf_num *x) {
  if (x->is_int)
    pf_acc_add_i128(a, pf_i128_neg(pf_i128_from_i64(x->i))); /* -INT64_MIN fits */
  else
    pf_acc_add_double(a, -x->d);
}

void pf_acc_add_acc(pf_acc *a, const pf_acc *b) {
  pf_wide192_add(&a->i, &b->i);
  if (b->inexact) {
    pf_acc_add_double(a, b->d);
    pf_acc_add_double(a, b->c);
  }
}

void pf_acc_add_square(pf_acc *a, const pf_num *x, int sign) {
  if (x->is_int) {
    pf_i128 sq = pf_i128_mul_i64(x->i, x->i); /* |i| <= 2^63: below 2^127 */
    pf_acc_add_i128(a, sign > 0 ? sq : pf_i128_neg(sq));
  } else {
    double sq = x->d * x->d;
    /* The rounding error of the product is exact with fma: add it too. */
    double err = fma(x->d, x->d, -sq);
    pf_acc_add_double(a, sign > 0 ? sq : -sq);
    pf_acc_add_double(a, sign > 0 ? err : -err);
  }
}

double pf_acc_value(const pf_acc *a) {
  pf_acc copy;
  double exact = pf_wide192_to_double(&a->i);
  if (!a->inexact) return exact;
  copy = *a;
  pf_acc_add_double(&copy, exact);
  if (fabs(exact) < 0x1p126) {
    /* what the exact part lost in its rounding to a double (itself exact) */
    pf_wide192 rest = a->i;
    pf_wide192_add_i128(&rest, pf_i128_neg(pf_i128_from_double(exact)));
    pf_acc_add_double(&copy, pf_wide192_to_double(&rest));
  }
  return copy.d + copy.c;
}

void pf_acc_num(const pf_acc *a, pf_num *out) {
  if (!a->inexact && pf_wide192_fits_i128(&a->i) && pf_i128_fits_i64(pf_wide192_low(&a->i))) {
    out->is_int = 1;
    out->i = (int64_t)pf_wide192_low(&a->i).lo;
    out->d = (double)out->i;
  } else {
    out->is_int = 0;
    out->i = 0;
    out->d = pf_acc_value(a);
  }
}
