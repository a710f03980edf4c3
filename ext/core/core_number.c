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
*/
#include "portfolio_core.h"

#include <math.h>
#include <string.h>

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

/* ---- exact accumulators (pf_xacc) ----------------------------------------------------- */

void pf_xacc_clear(pf_xacc *a) {
  memset(&a->i, 0, sizeof(a->i));
  a->s = a->c = 0;
  a->doubles = a->spilled = 0;
  a->special = 0;
}

void pf_xacc_add_double(pf_xacc *a, double x) {
  a->doubles = 1;
  if (!isfinite(x)) {
    a->special += x;
    return;
  }
  if (a->spilled) {
    pf_exact_add(&a->big, x);
    return;
  }
  if (pf_sum_step(&a->s, &a->c, x)) return;
  /* The pair still holds the exact sum of what came before x: move it over. */
  pf_exact_clear(&a->big);
  pf_exact_add(&a->big, a->s);
  pf_exact_add(&a->big, a->c);
  pf_exact_add(&a->big, x);
  a->spilled = 1;
}

void pf_xacc_add_num(pf_xacc *a, const pf_num *x, int sign) {
  if (x->is_int) {
    pf_i128 v = pf_i128_from_i64(x->i);
    pf_wide192_add_i128(&a->i, sign > 0 ? v : pf_i128_neg(v)); /* -INT64_MIN fits */
  } else {
    pf_xacc_add_double(a, sign > 0 ? x->d : -x->d);
  }
}

void pf_xacc_add_square(pf_xacc *a, const pf_num *x, int sign) {
  if (x->is_int) {
    pf_i128 sq = pf_i128_mul_i64(x->i, x->i);
    pf_wide192_add_i128(&a->i, sign > 0 ? sq : pf_i128_neg(sq));
  } else {
    /* x*x = sq + err exactly (fma), unless the square leaves the double range */
    double sq = x->d * x->d, err = fma(x->d, x->d, -sq);
    pf_xacc_add_double(a, sign > 0 ? sq : -sq);
    if (err != 0) pf_xacc_add_double(a, sign > 0 ? err : -err);
  }
}

/* Adds the 192-bit integer part to a superaccumulator, as six exact doubles (32 bits each). */
static void exact_add_wide(pf_exact *x, const pf_wide192 *w) {
  pf_wide192 m = *w;
  int negative = (m.w[2] >> 63) != 0, k;
  if (negative) {
    uint64_t carry = 1;
    for (k = 0; k < 3; k++) {
      m.w[k] = ~m.w[k] + carry;
      carry = carry && m.w[k] == 0;
    }
  }
  for (k = 0; k < 6; k++) {
    double piece = ldexp((double)((m.w[k / 2] >> (32 * (k % 2))) & 0xffffffffu), 32 * k);
    pf_exact_add(x, negative ? -piece : piece);
  }
}

double pf_xacc_value(const pf_xacc *a) {
  pf_exact sum;
  int has_int = a->i.w[0] || a->i.w[1] || a->i.w[2];
  if (!a->doubles) return pf_wide192_to_double(&a->i);
  if (a->special != 0 || a->special != a->special) return a->special;
  if (!has_int && !a->spilled) return a->s + a->c; /* the exact sum, rounded once */
  if (a->spilled) {
    sum = a->big;
  } else {
    pf_exact_clear(&sum);
    pf_exact_add(&sum, a->s);
    pf_exact_add(&sum, a->c);
  }
  exact_add_wide(&sum, &a->i);
  return pf_exact_value(&sum);
}
