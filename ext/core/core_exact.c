/*
** core_exact.c: the superaccumulator of pf_exact.h, and pf_xacc (portfolio_core.h) on top of
** it, in one file so that a square's exact addition inlines into pf_xacc_add_square.
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

#include <math.h>
#include <string.h>

#define DIGIT_BITS 32
#define DIGIT_MASK 0xffffffffu
#define CARRY_EVERY ((int64_t)1 << 30)

void pf_exact_clear(pf_exact *x) { memset(x, 0, sizeof(*x)); }

/* Brings digits 0..n-2 back to [0, 2^32), the sign left in the top digit. */
static void digits_normalise(int64_t *digit, int n) {
  int k;
  for (k = 0; k < n - 1; k++) {
    int64_t carry = digit[k] >> DIGIT_BITS; /* arithmetic shift: floor division */
    digit[k] -= carry * ((int64_t)1 << DIGIT_BITS);
    digit[k + 1] += carry;
  }
}

static void normalise(pf_exact *x) {
  digits_normalise(x->digit, PF_EXACT_DIGITS);
  x->pending = 0;
}

void pf_exact_add(pf_exact *x, double v) {
  int p, negative;
  uint64_t m = pf_split_double(v, &p, &negative);
  if (m == 0) return;
  pf_digits_add64(x->digit, m, p, negative);
  if (++x->pending == CARRY_EVERY) normalise(x);
}

int pf_exact_add_square(pf_exact *x, double v, int negative) {
  uint64_t bits, m, lo, hi;
  uint32_t q[5], shifted[5];
  int biased, p, pos, k, off, j;
  memcpy(&bits, &v, 8);
  biased = (int)((bits >> 52) & 0x7ff);
  m = bits & (((uint64_t)1 << 52) - 1);
  if (biased == 0) {
    if (m == 0) return 1;
    p = 0;
  } else {
    m |= (uint64_t)1 << 52;
    p = biased - 1;
  }
  /* v = m * 2^(p - 1074), so v*v = m^2 * 2^(2p - 1074) units of 2^-1074 */
  pos = 2 * p - 1074;
  if (pos < 0 || pos + 106 > 32 * (PF_EXACT_DIGITS - 2)) return 0;
  lo = m * m; /* m < 2^53: m^2 < 2^106, its low and high 64 bits */
  hi = pf_mul_high_u64(m, m);
  q[0] = (uint32_t)lo;
  q[1] = (uint32_t)(lo >> 32);
  q[2] = (uint32_t)hi;
  q[3] = (uint32_t)(hi >> 32);
  q[4] = 0;
  k = pos / DIGIT_BITS;
  off = pos % DIGIT_BITS;
  for (j = 0; j < 5; j++)
    shifted[j] = off ? (q[j] << off) | (j ? q[j - 1] >> (DIGIT_BITS - off) : 0) : q[j];
  for (j = 0; j < 5; j++) {
    if (negative)
      x->digit[k + j] -= shifted[j];
    else
      x->digit[k + j] += shifted[j];
  }
  if (++x->pending == CARRY_EVERY) normalise(x);
  return 1;
}

void pf_exact_merge(pf_exact *a, const pf_exact *b) {
  int k;
  pf_exact copy = *b;
  normalise(a);
  normalise(&copy);
  for (k = 0; k < PF_EXACT_DIGITS; k++) a->digit[k] += copy.digit[k];
  normalise(a);
}

/* The magnitude of digit[0..n), all in [0, 2^32), into mag; 1 if the sum is negative.
** Only the digits from the lowest nonzero one to two above the highest are normalised:
** those above are 0, so the carry out of the highest (below 2^31 in magnitude, as every
** digit is below 2^62) ends within two digits, the top one holding the sign. A window's
** read so costs what the span of its values needs, not all the digits. */
static int digits_magnitude(int64_t *digit, int n, uint32_t *mag) {
  int64_t neg[PF_SQUARES_DIGITS];
  int lo = 0, hi = n - 1, top, k, negative;
  memset(mag, 0, (size_t)n * sizeof(*mag));
  while (lo < n && digit[lo] == 0) lo++;
  if (lo == n) return 0;
  while (digit[hi] == 0) hi--;
  top = hi + 2 < n ? hi + 2 : n - 1;
  digits_normalise(digit + lo, top - lo + 1);
  negative = digit[top] < 0;
  for (k = lo; k <= top; k++) neg[k] = negative ? -digit[k] : digit[k];
  if (negative) digits_normalise(neg + lo, top - lo + 1);
  for (k = lo; k <= top; k++) mag[k] = (uint32_t)neg[k];
  return negative;
}

/* The magnitude rounded once to 53 bits: the result times 2^*low units. The top 64 bits
** from the highest set bit down, with a sticky bit for everything below them, converted
** once (the sticky bit keeps a tie from being rounded twice). Below 2^64 units the
** magnitude itself is converted (*low = 0). */
static double digits_round(const uint32_t *mag, int n, int *low) {
  int top, k, shift, sticky;
  uint64_t window;
  for (top = n - 1; top > 0 && mag[top] == 0; top--) {
  }
  *low = 0;
  if (top <= 1) return (double)(((uint64_t)mag[1] << 32) | mag[0]);
  shift = __builtin_clz(mag[top]);
  window = ((uint64_t)mag[top] << (32 + shift)) | ((uint64_t)mag[top - 1] << shift);
  if (shift) window |= (uint64_t)mag[top - 2] >> (32 - shift);
  sticky = (uint32_t)(mag[top - 2] << shift) != 0;
  for (k = 0; k < top - 2; k++) sticky |= mag[k] != 0;
  /* the window's lowest bit weighs 2^(32 (top - 2) + 32 - shift) units */
  *low = 32 * top - 32 - shift;
  return (double)(window | (uint64_t)sticky);
}

static int magnitude(pf_exact *x, uint32_t *mag) {
  x->pending = 0; /* digits_magnitude normalises */
  return digits_magnitude(x->digit, PF_EXACT_DIGITS, mag);
}

double pf_exact_value(pf_exact *x) {
  uint32_t mag[PF_EXACT_DIGITS];
  int negative = magnitude(x, mag), low;
  /* Below 2^53 units the value is a subnormal or in the lowest binade: exact. Above, the
  ** rounded magnitude is a normal double (or overflows): the scaling is exact. */
  double d = digits_round(mag, PF_EXACT_DIGITS, &low);
  d = ldexp(d, low - 1074);
  return negative ? -d : d;
}

/* d * 2^(low - base) as a fraction in [0.5, 1) and an exponent; 0 and *e = 0 for 0. */
static double as_frexp(double d, int low, int base, int negative, int *e) {
  int e2;
  if (d == 0) {
    *e = 0;
    return 0;
  }
  d = frexp(d, &e2);
  *e = e2 + low - base;
  return negative ? -d : d;
}

double pf_exact_frexp(pf_exact *x, int *e) {
  uint32_t mag[PF_EXACT_DIGITS];
  int negative = magnitude(x, mag), low;
  double d = digits_round(mag, PF_EXACT_DIGITS, &low);
  return as_frexp(d, low, 1074, negative, e);
}

/* ---- squares (pf_squares) ------------------------------------------------------------- */

void pf_squares_clear(pf_squares *x) { memset(x, 0, sizeof(*x)); }

void pf_squares_carry(pf_squares *x) {
  digits_normalise(x->digit, PF_SQUARES_DIGITS);
  x->pending = 0;
}

void pf_squares_add_int(pf_squares *x, int64_t v, int negative) {
  uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  if (m == 0) return;
  /* v*v = m^2 units of 2^0, which is 2^2148 units */
  pf_digits_add64(x->digit, m * m, 2148, negative);
  pf_digits_add64(x->digit, pf_mul_high_u64(m, m), 2148 + 64, negative);
  if (++x->pending == PF_SQUARES_CARRY_EVERY) pf_squares_carry(x);
}

double pf_squares_frexp(pf_squares *x, int *e) {
  uint32_t mag[PF_SQUARES_DIGITS];
  int negative, low;
  double d;
  x->pending = 0;
  negative = digits_magnitude(x->digit, PF_SQUARES_DIGITS, mag);
  d = digits_round(mag, PF_SQUARES_DIGITS, &low);
  return as_frexp(d, low, 2148, negative, e);
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

/* digit[0..n) times f (0 < f <= 10^9), exactly: normalised first, each digit is below 2^32,
** so its product stays below 2^62 (the top digit, holding the sign, is far smaller). */
static void digits_times(int64_t *digit, int n, int64_t f) {
  int k;
  digits_normalise(digit, n);
  for (k = 0; k < n; k++) digit[k] *= f;
  digits_normalise(digit, n);
}

/* digit[0..n) times 10^k, in factors of at most 10^9. */
static void digits_times_pow10(int64_t *digit, int n, int k) {
  static const int64_t pow10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                    100000000, 1000000000};
  for (; k > 0; k -= 9) digits_times(digit, n, pow10[k > 9 ? 9 : k]);
}

void pf_squares_scale10(pf_squares *x, int k) {
  digits_times_pow10(x->digit, PF_SQUARES_DIGITS, k);
  x->pending = 0;
}

void pf_squares_merge(pf_squares *a, const pf_squares *b) {
  pf_squares copy = *b;
  int k;
  pf_squares_carry(a);
  pf_squares_carry(&copy);
  for (k = 0; k < PF_SQUARES_DIGITS; k++) a->digit[k] += copy.digit[k];
  pf_squares_carry(a);
}

/* ---- exact accumulators (pf_xacc) ----------------------------------------------------- */

void pf_xacc_clear(pf_xacc *a) {
  memset(&a->i, 0, sizeof(a->i));
  a->s = a->c = 0;
  a->doubles = a->spilled = 0;
  a->special = 0;
}

/* From the Neumaier pair to the superaccumulator. The pair holds the exact sum of the
** doubles so far (every step was exact), so the move loses nothing. */
static void xacc_spill(pf_xacc *a) {
  pf_exact_clear(&a->big);
  pf_exact_add(&a->big, a->s);
  pf_exact_add(&a->big, a->c);
  a->spilled = 1;
}

void pf_xacc_add_double_slow(pf_xacc *a, double x) {
  a->doubles = 1;
  if (!isfinite(x)) {
    a->special += x;
    return;
  }
  if (!a->spilled) xacc_spill(a);
  pf_exact_add(&a->big, x);
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
    return;
  }
  a->doubles = 1;
  if (!a->spilled) {
    /* A square that is itself a double (fma: no rounding error), such as that of 1.5 or
    ** of 1234.25, goes into the pair when the step is provably exact. Most squares of
    ** amounts with decimals (123.45) have twice the bits of a double: those go to the
    ** superaccumulator, as one exact integer each. */
    double sq = x->d * x->d;
    if (fma(x->d, x->d, -sq) == 0 && isfinite(sq) &&
        pf_sum_step(&a->s, &a->c, sign > 0 ? sq : -sq))
      return;
    xacc_spill(a);
  }
  if (!pf_exact_add_square(&a->big, x->d, sign < 0)) {
    /* beyond the superaccumulator's range: the square's rounded parts, themselves
    ** subnormal or infinite (the measures scale amounts so that this never happens) */
    double sq = x->d * x->d, err = fma(x->d, x->d, -sq);
    pf_xacc_add_double_slow(a, sign > 0 ? sq : -sq);
    if (err != 0 && isfinite(err)) pf_xacc_add_double_slow(a, sign > 0 ? err : -err);
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

/* 1 with the exact sum of a in *sum; 0 with its value in *plain instead when it needs no
** superaccumulator: integers only, a non-finite input, or a pair holding the exact sum. */
static int xacc_exact(const pf_xacc *a, pf_exact *sum, double *plain) {
  int has_int = a->i.w[0] || a->i.w[1] || a->i.w[2];
  if (!a->doubles) {
    *plain = pf_wide192_to_double(&a->i);
    return 0;
  }
  if (a->special != 0 || a->special != a->special) {
    *plain = a->special;
    return 0;
  }
  if (!has_int && !a->spilled) {
    *plain = a->s + a->c; /* the exact sum, rounded once */
    return 0;
  }
  if (a->spilled) {
    *sum = a->big;
  } else {
    pf_exact_clear(sum);
    pf_exact_add(sum, a->s);
    pf_exact_add(sum, a->c);
  }
  exact_add_wide(sum, &a->i);
  return 1;
}

double pf_xacc_value(const pf_xacc *a) {
  pf_exact sum;
  double plain;
  return xacc_exact(a, &sum, &plain) ? pf_exact_value(&sum) : plain;
}

double pf_xacc_frexp(const pf_xacc *a, int *e) {
  pf_exact sum;
  double plain;
  if (!xacc_exact(a, &sum, &plain)) {
    if (!a->doubles || (a->special == 0 && isfinite(plain)))
      return frexp(plain, e); /* a 192-bit integer, or a pair's exact sum, rounded once */
    if (a->special != 0 || a->special != a->special) {
      *e = 0;
      return plain;
    }
    pf_exact_clear(&sum); /* the pair's sum rounds past the double range */
    pf_exact_add(&sum, a->s);
    pf_exact_add(&sum, a->c);
  }
  return pf_exact_frexp(&sum, e);
}

void pf_xacc_split(const pf_xacc *a, double *hi, double *lo) {
  pf_exact sum;
  double plain;
  if (!xacc_exact(a, &sum, &plain)) {
    /* a 192-bit integer, or a pair that holds the exact sum */
    pf_exact_clear(&sum);
    if (!a->doubles) {
      exact_add_wide(&sum, &a->i);
    } else if (!isfinite(plain)) {
      *hi = plain;
      *lo = 0;
      return;
    } else {
      pf_exact_add(&sum, a->s);
      pf_exact_add(&sum, a->c);
    }
  }
  *hi = pf_exact_value(&sum);
  if (!isfinite(*hi)) {
    *lo = 0;
    return;
  }
  pf_exact_add(&sum, -*hi);
  *lo = pf_exact_value(&sum);
}

void pf_xacc_merge(pf_xacc *a, const pf_xacc *b) {
  pf_wide192_add(&a->i, &b->i);
  a->special += b->special;
  if (!b->doubles) return;
  a->doubles = 1;
  if (b->spilled) {
    if (!a->spilled) xacc_spill(a);
    pf_exact_merge(&a->big, &b->big);
  } else {
    /* b's pair holds its exact sum: its two doubles, each added exactly */
    pf_xacc_add_double(a, b->s);
    pf_xacc_add_double(a, b->c);
  }
}

void pf_xacc_scale10(pf_xacc *a, int k) {
  pf_exact x;
  pf_exact_clear(&x);
  if (a->spilled)
    x = a->big;
  else if (a->doubles) {
    pf_exact_add(&x, a->s);
    pf_exact_add(&x, a->c);
  }
  exact_add_wide(&x, &a->i);
  digits_times_pow10(x.digit, PF_EXACT_DIGITS, k);
  x.pending = 0;
  memset(&a->i, 0, sizeof(a->i));
  a->s = a->c = 0;
  a->doubles = a->spilled = 1;
  a->big = x;
  if (a->special != 0 || a->special != a->special) a->special *= pow(10.0, k);
}
