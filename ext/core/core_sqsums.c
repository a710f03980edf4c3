/*
** core_sqsums.c: pf_sqsums (portfolio_core.h), the exact count, sum and sum of squares of
** positive totals that an HHI is computed from, for a sliding window as well as one pass.
**
**   1. The sum is a pf_xacc: exact for any finite doubles and integers (its superaccumulator
**      spans the whole double range). The squares go into a pf_squares, which holds the
**      square of any finite double or int64 exactly. So nothing is scaled, nothing rounds
**      until the value is read, and a total taken back out leaves exactly what remains:
**      the value does not depend on the order totals came and went in.
**   2. Reading scales both sums by the same power of two, chosen from the sum: the sums of
**      1e300-sized totals (beyond the double range, squared) and of 1e-300-sized ones
**      (whose squares are below the smallest subnormal) give the HHI that 1-sized ones do.
**   3. Merging (parallel parts) and scaling by 10^k (a recount in a finer decimal unit, the
**      PostgreSQL host's numeric amounts) are exact too, so neither changes a bit.
*/
#include "portfolio_core.h"

#include <math.h>

void pf_sqsums_clear(pf_sqsums *s) {
  pf_xacc_clear(&s->sum);
  pf_squares_clear(&s->sumsq);
  s->count = 0;
}

void pf_sqsums_add(pf_sqsums *s, const pf_num *x, int sign) {
  pf_xacc_add_num(&s->sum, x, sign);
  if (x->is_int)
    pf_squares_add_int(&s->sumsq, x->i, sign < 0);
  else
    pf_squares_add(&s->sumsq, x->d, sign < 0);
  s->count += sign;
}

double pf_sqsums_of(pf_sqsums *s, double (*f)(double sum, double sumsq)) {
  int es, eq;
  double sum = pf_xacc_frexp(&s->sum, &es);
  double sumsq = pf_squares_frexp(&s->sumsq, &eq);
  /* sumsq <= sum^2 for positive totals, and sumsq >= sum^2 / count: the scaled sum of
  ** squares is between 2^-65 and 1, a normal double */
  return f(sum, ldexp(sumsq, eq - 2 * es));
}

void pf_sqsums_merge(pf_sqsums *a, const pf_sqsums *b) {
  pf_xacc_merge(&a->sum, &b->sum);
  pf_squares_merge(&a->sumsq, &b->sumsq);
  a->count += b->count;
}

void pf_sqsums_scale10(pf_sqsums *s, int k) {
  if (k <= 0) return;
  pf_xacc_scale10(&s->sum, k);
  pf_squares_scale10(&s->sumsq, 2 * k);
}
