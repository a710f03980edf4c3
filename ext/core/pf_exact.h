/*
** pf_exact.h: exact sums of doubles for the core (core_exact.c).
**
** Included by: portfolio_core.h only (so every file of ext/core and the hosts see it
** through that header; none includes this one directly).
**   1. pf_exact: a fixed-point superaccumulator. Every finite double is an integer number
**      of units of 2^-1074 (the smallest subnormal) below 2^2098 units; 68 digits of 32
**      bits, each kept in an int64, hold any sum of up to 2^63 doubles without rounding.
**      Adding a double touches three digits and never propagates a carry (each digit has
**      31 bits of room, emptied by a carry pass every 2^30 additions), so it costs a few
**      integer operations. Reading it rounds once, to nearest even: the result is the
**      exact sum, correctly rounded, whatever order the doubles came in.
**   2. pf_sum_step: a Neumaier step that says whether it stayed exact. A Neumaier pair
**      (s, c) whose compensation c has been accumulated without rounding holds the exact
**      sum s + c, so s + c rounded once is the correctly rounded sum: as good as the
**      superaccumulator, at the cost of one more TwoSum. When a step cannot be proven
**      exact (c itself rounded, or s overflowed), nothing is changed and the caller moves
**      the pair, exactly, into a pf_exact. Ordinary data (amounts with a few decimals, of
**      similar sizes) never leaves the fast path.
**   3. pf_xacc: pf_acc's exactness for integers, pf_sum_step for doubles, and a pf_exact
**      inside it for when a step fails: exact for any inputs, no allocation. About 600
**      bytes, so it lives on the stack of a measure or in a cursor, not per customer.
*/
#ifndef PORTFOLIO_PF_EXACT_H
#define PORTFOLIO_PF_EXACT_H

#include <math.h>
#include <stdint.h>

#define PF_EXACT_DIGITS 68

typedef struct pf_exact {
  int64_t digit[PF_EXACT_DIGITS]; /* digit k weighs 2^(32k - 1074) */
  int64_t pending;                /* additions since the last carry pass */
} pf_exact;

void pf_exact_clear(pf_exact *x);
void pf_exact_add(pf_exact *x, double v); /* v finite */
/* Adds v*v (or -v*v when `negative`) exactly, as the integer m^2 of v's significand m:
** 1 when done, 0 when the square is outside the superaccumulator's range (|v| below about
** 2^-485, whose square has bits below the smallest subnormal, or above 2^518). */
int pf_exact_add_square(pf_exact *x, double v, int negative);
/* The sum rounded once to the nearest double (+-inf beyond the double range). */
double pf_exact_value(pf_exact *x);
/* 1 and *out set when the sum is an integer that fits in 64 bits. */
int pf_exact_int64(pf_exact *x, int64_t *out);
/* The sum of two superaccumulators into *a. */
void pf_exact_merge(pf_exact *a, const pf_exact *b);

/* One Neumaier step s + x into the exact pair (*s, *c): 1 and the pair updated when the
** step was exact (the error of s + x, itself exact, entered c without rounding); 0 and
** nothing changed otherwise. */
static inline int pf_sum_step(double *s, double *c, double x) {
  double t = *s + x, err, cn, back, lost;
  if (fabs(*s) >= fabs(x))
    err = (*s - t) + x;
  else
    err = (x - t) + *s;
  /* TwoSum of c + err: its error is 0 exactly when c + err did not round. An overflow of
  ** s + x makes it NaN, which is not 0 either. */
  cn = *c + err;
  back = cn - *c;
  lost = (*c - (cn - back)) + (err - back);
  if (lost != 0) return 0;
  *s = t;
  *c = cn;
  return 1;
}

#endif
