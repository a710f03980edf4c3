/*
** core_exact.c: the superaccumulator of pf_exact.h.
**
**   1. A double's 53-bit integer significand m at bit position p (its value is m * 2^(p -
**      1074)) is split along 32-bit digit boundaries into three pieces below 2^32, added
**      to (or, negative, subtracted from) three digits. No carry moves, so an addition is
**      a handful of integer operations whatever the sum holds.
**   2. A carry pass (normalise) brings digits 0..66 back to [0, 2^32) and leaves the sign
**      in the top digit; it runs every 2^30 additions (each digit then holds less than
**      2^62 in magnitude) and before reading.
**   3. Reading: the magnitude's top 64 bits with a sticky bit for everything below them,
**      converted once (the sticky bit keeps a tie from being rounded twice). A magnitude
**      below 2^53 units is a subnormal or the lowest binade, exact as it is.
*/
#include "portfolio_core.h"

#include <string.h>

#define DIGIT_BITS 32
#define DIGIT_MASK 0xffffffffu
#define CARRY_EVERY ((int64_t)1 << 30)

void pf_exact_clear(pf_exact *x) { memset(x, 0, sizeof(*x)); }

static void normalise(pf_exact *x) {
  int k;
  for (k = 0; k < PF_EXACT_DIGITS - 1; k++) {
    int64_t carry = x->digit[k] >> DIGIT_BITS; /* arithmetic shift: floor division */
    x->digit[k] -= carry * ((int64_t)1 << DIGIT_BITS);
    x->digit[k + 1] += carry;
  }
  x->pending = 0;
}

void pf_exact_add(pf_exact *x, double v) {
  uint64_t bits, m;
  int biased, p, k, off;
  int64_t d0, d1, d2;
  memcpy(&bits, &v, 8);
  biased = (int)((bits >> 52) & 0x7ff);
  m = bits & (((uint64_t)1 << 52) - 1);
  if (biased == 0) {
    if (m == 0) return;
    p = 0; /* subnormal: m units of 2^-1074 */
  } else {
    m |= (uint64_t)1 << 52;
    p = biased - 1;
  }
  k = p / DIGIT_BITS;
  off = p % DIGIT_BITS;
  d0 = (int64_t)((m << off) & DIGIT_MASK);
  d1 = (int64_t)((m >> (DIGIT_BITS - off)) & DIGIT_MASK);
  d2 = off ? (int64_t)(m >> (2 * DIGIT_BITS - off)) : 0;
  if (bits >> 63) {
    x->digit[k] -= d0;
    x->digit[k + 1] -= d1;
    x->digit[k + 2] -= d2;
  } else {
    x->digit[k] += d0;
    x->digit[k + 1] += d1;
    x->digit[k + 2] += d2;
  }
  if (++x->pending == CARRY_EVERY) normalise(x);
}

void pf_exact_merge(pf_exact *a, const pf_exact *b) {
  int k;
  pf_exact copy = *b;
  normalise(a);
  normalise(&copy);
  for (k = 0; k < PF_EXACT_DIGITS; k++) a->digit[k] += copy.digit[k];
  normalise(a);
}

/* The magnitude's digits (normalised, all in [0, 2^32)) into mag; returns 1 if negative. */
static int magnitude(pf_exact *x, uint32_t *mag) {
  int k, negative;
  normalise(x);
  negative = x->digit[PF_EXACT_DIGITS - 1] < 0;
  if (!negative) {
    for (k = 0; k < PF_EXACT_DIGITS; k++) mag[k] = (uint32_t)x->digit[k];
    return 0;
  }
  {
    pf_exact neg;
    for (k = 0; k < PF_EXACT_DIGITS; k++) neg.digit[k] = -x->digit[k];
    normalise(&neg);
    for (k = 0; k < PF_EXACT_DIGITS; k++) mag[k] = (uint32_t)neg.digit[k];
  }
  return 1;
}

double pf_exact_value(pf_exact *x) {
  uint32_t mag[PF_EXACT_DIGITS];
  int negative = magnitude(x, mag), top, k, shift;
  uint64_t window;
  int sticky;
  double d;
  for (top = PF_EXACT_DIGITS - 1; top > 0 && mag[top] == 0; top--) {
  }
  if (top <= 1) {
    /* Below 2^53 units the value is a subnormal or in the lowest binade: exact. From 2^53
    ** to 2^64 the conversion rounds once and the scaling of a normal double is exact. */
    d = ldexp((double)(((uint64_t)mag[1] << 32) | mag[0]), -1074);
    return negative ? -d : d;
  }
  /* The 64 bits from the magnitude's highest set bit down, from digits top..top-2. */
  shift = __builtin_clz(mag[top]);
  window = ((uint64_t)mag[top] << (32 + shift)) | ((uint64_t)mag[top - 1] << shift);
  if (shift) window |= (uint64_t)mag[top - 2] >> (32 - shift);
  sticky = (uint32_t)(mag[top - 2] << shift) != 0;
  for (k = 0; k < top - 2; k++) sticky |= mag[k] != 0;
  /* the window's lowest bit weighs 2^(32 (top - 2) + 32 - shift) units */
  d = ldexp((double)(window | (uint64_t)sticky), 32 * top - 32 - shift - 1074);
  return negative ? -d : d;
}

int pf_exact_int64(pf_exact *x, int64_t *out) {
  uint32_t mag[PF_EXACT_DIGITS];
  int negative = magnitude(x, mag), k;
  /* 2^1074 units are 1: bit 18 of digit 33 (1074 = 32 * 33 + 18) */
  uint64_t whole = 0;
  if (mag[33] & ((1u << 18) - 1)) return 0;
  for (k = 0; k < 33; k++)
    if (mag[k]) return 0;
  for (k = 36; k < PF_EXACT_DIGITS; k++)
    if (mag[k]) return 0;
  /* whole = the magnitude's integer bits: digits 33..35 shifted down by 18 (78 bits) */
  if (mag[35] >> 18) return 0; /* 2^78 and up */
  whole = ((uint64_t)mag[35] << 46) | ((uint64_t)mag[34] << 14) | (mag[33] >> 18);
  if (negative ? whole > (uint64_t)1 << 63 : whole >= (uint64_t)1 << 63) return 0;
  *out = negative ? (int64_t)(0 - whole) : (int64_t)whole;
  return 1;
}
