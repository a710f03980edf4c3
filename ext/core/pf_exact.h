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
**   4. pf_squares: a superaccumulator for squares, wide enough for the square of any finite
**      double or int64: digit k weighs 2^(32k - 2148) (2^-2148 is the square of the smallest
**      subnormal), and 136 digits pass 2^2048 (the square of the largest double) times 2^63.
**      A square is an exact 106-bit integer at an even position: two 64-bit halves, so a
**      few integer operations. Read as a fraction and an exponent (pf_squares_frexp),
**      rounded once, since the sum itself may be far outside the double range. 1.1 KB.
*/
#ifndef PORTFOLIO_PF_EXACT_H
#define PORTFOLIO_PF_EXACT_H

#include <math.h>
#include <stdint.h>
#include <string.h>

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
/* The sum as f * 2^*e, f in [0.5, 1) the sum rounded once to 53 bits (0, *e = 0 for 0),
** so also a sum beyond the double range. */
double pf_exact_frexp(pf_exact *x, int *e);
/* The sum of two superaccumulators into *a. */
void pf_exact_merge(pf_exact *a, const pf_exact *b);

#define PF_SQUARES_DIGITS 136

typedef struct pf_squares {
  int64_t digit[PF_SQUARES_DIGITS]; /* digit k weighs 2^(32k - 2148) */
  int64_t pending;
} pf_squares;

void pf_squares_clear(pf_squares *x);
/* Each square adds up to two pieces below 2^32 to one digit: a carry pass (pf_squares_carry)
** every 2^28 squares keeps the digits below 2^62. */
#define PF_SQUARES_CARRY_EVERY ((int64_t)1 << 28)
void pf_squares_carry(pf_squares *x);

/* Adds (or subtracts) m * 2^pos units, m any 64 bits: three pieces below 2^32. */
static inline void pf_digits_add64(int64_t *digit, uint64_t m, int pos, int negative) {
  int k = pos / 32, off = pos % 32;
  int64_t d0 = (int64_t)((m << off) & 0xffffffffu);
  int64_t d1 = (int64_t)((m >> (32 - off)) & 0xffffffffu);
  int64_t d2 = (int64_t)((m >> 1) >> (63 - off)); /* m >> (64 - off), 0 when off is 0 */
  if (negative) {
    digit[k] -= d0;
    digit[k + 1] -= d1;
    digit[k + 2] -= d2;
  } else {
    digit[k] += d0;
    digit[k + 1] += d1;
    digit[k + 2] += d2;
  }
}

/* A finite double's integer significand and its position p: |v| = m * 2^(p - 1074). */
static inline uint64_t pf_split_double(double v, int *p, int *negative) {
  uint64_t bits, m;
  int biased;
  memcpy(&bits, &v, 8);
  biased = (int)((bits >> 52) & 0x7ff);
  m = bits & (((uint64_t)1 << 52) - 1);
  *negative = (int)(bits >> 63);
  if (biased == 0) {
    *p = 0; /* subnormal (or zero): m units of 2^-1074 */
    return m;
  }
  *p = biased - 1;
  return m | (uint64_t)1 << 52;
}

/* +-v*v, v finite: inline, for the row loop of the unkeyed HHI. */
static inline void pf_squares_add(pf_squares *x, double v, int negative) {
  int p, sign;
  uint64_t m = pf_split_double(v, &p, &sign), lo, hi;
  if (m == 0) return;
  /* v*v = m^2 * 2^(2p - 2148): m^2 < 2^106 at position 2p, in two 64-bit halves */
  lo = m * m;
  hi = pf_mul_high_u64(m, m); /* pf_wide.h, included first by portfolio_core.h */
  pf_digits_add64(x->digit, lo, 2 * p, negative);
  pf_digits_add64(x->digit, hi, 2 * p + 64, negative);
  if (++x->pending == PF_SQUARES_CARRY_EVERY) pf_squares_carry(x);
}
void pf_squares_add_int(pf_squares *x, int64_t v, int negative); /* +-v*v */
/* The sum as f * 2^*e, as pf_exact_frexp. */
double pf_squares_frexp(pf_squares *x, int *e);
/* a += b, exactly (the parts of a parallel aggregate). */
void pf_squares_merge(pf_squares *a, const pf_squares *b);
/* The sum times 10^k (k >= 0), exactly: a recount in a finer decimal unit. The sum must
** stay below about 2^2200 (squares of totals below 2^1100). */
void pf_squares_scale10(pf_squares *x, int k);

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
