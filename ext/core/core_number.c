/*
** core_number.c: exact and compensated sums (see portfolio_core.h), shared by every
** measure.
**
**   1. Integers add exactly into a 128-bit part; past 2^127 the exact part is carried over
**      into the compensated sum rather than wrapping.
**   2. Doubles add into a Neumaier sum: the low-order bits lost by whichever operand is
**      smaller are kept in a running compensation, so the order of the rows does not
**      matter to within one rounding.
**   3. A square enters with its rounding error (from fma), so a sum of squares is as exact
**      as a sum.
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

void pf_acc_add_int(pf_acc *a, __int128 x) {
  __int128 r;
  if (__builtin_add_overflow(a->i, x, &r)) {
    /* Past 2^127 the exact part cannot go on: carry it over into the compensated sum. */
    pf_acc_add_double(a, (double)a->i);
    a->i = x;
  } else {
    a->i = r;
  }
}

void pf_acc_add_num(pf_acc *a, const pf_num *x) {
  if (x->is_int)
    pf_acc_add_int(a, x->i);
  else
    pf_acc_add_double(a, x->d);
}

void pf_acc_sub_num(pf_acc *a, const pf_num *x) {
  if (x->is_int)
    pf_acc_add_int(a, -(__int128)x->i);
  else
    pf_acc_add_double(a, -x->d);
}

void pf_acc_add_square(pf_acc *a, const pf_num *x, int sign) {
  if (x->is_int) {
    __int128 sq = (__int128)x->i * x->i; /* |i| <= 2^63, so the square fits in 127 bits */
    pf_acc_add_int(a, sign > 0 ? sq : -sq);
  } else {
    double sq = x->d * x->d;
    /* The rounding error of the product is exact with fma: add it too. */
    double err = fma(x->d, x->d, -sq);
    pf_acc_add_double(a, sign > 0 ? sq : -sq);
    pf_acc_add_double(a, sign > 0 ? err : -err);
  }
}

double pf_acc_value(const pf_acc *a) {
  pf_acc copy = *a;
  if (!copy.inexact) return (double)copy.i;
  pf_acc_add_double(&copy, (double)copy.i);
  return copy.d + copy.c;
}

void pf_acc_num(const pf_acc *a, pf_num *out) {
  if (!a->inexact && a->i >= INT64_MIN && a->i <= INT64_MAX) {
    out->is_int = 1;
    out->i = (int64_t)a->i;
    out->d = (double)out->i;
  } else {
    out->is_int = 0;
    out->i = 0;
    out->d = pf_acc_value(a);
  }
}
