/*
** pf_wide.h: exact wide integers for the core, with or without a compiler's __int128.
**
** Included by: portfolio_core.h (so by every file of ext/core and the hosts).
**   1. pf_i128: a signed 128-bit integer as two uint64_t halves (two's complement), so it
**      needs only 8-byte alignment (host allocators promise no more) and has one layout on
**      every compiler. Add, negate, 64x64 multiply, compare and conversions are inline.
**   2. Where the compiler has __int128 (GCC, Clang on 64-bit targets) the operations use it;
**      elsewhere (MSVC, 32-bit targets) two-uint64 arithmetic gives the same bits.
**      -DPF_NO_INT128 forces the fallback, so Linux tests it: make test-no-int128.
**   3. pf_wide192: a signed 192-bit sum (three uint64_t limbs), for sums of squares of
**      64-bit integers: a square is below 2^126, so 2^64 of them cannot overflow it.
**   4. Conversions to double round to nearest (even), as a cast of __int128 does.
*/
#ifndef PORTFOLIO_PF_WIDE_H
#define PORTFOLIO_PF_WIDE_H

#include <math.h>
#include <stdint.h>

#if defined(__SIZEOF_INT128__) && !defined(PF_NO_INT128)
#define PF_HAVE_INT128 1
#else
#define PF_HAVE_INT128 0
#endif

typedef struct pf_i128 {
  uint64_t lo, hi; /* value = hi * 2^64 + lo, hi read as signed */
} pf_i128;

typedef struct pf_wide192 {
  uint64_t w[3]; /* little-endian limbs, two's complement */
} pf_wide192;

static inline pf_i128 pf_i128_from_i64(int64_t x) {
  pf_i128 r;
  r.lo = (uint64_t)x;
  r.hi = x < 0 ? UINT64_MAX : 0;
  return r;
}

static inline int pf_i128_is_negative(pf_i128 a) { return (a.hi >> 63) != 0; }

static inline pf_i128 pf_i128_neg(pf_i128 a) {
  pf_i128 r;
  r.lo = ~a.lo + 1;
  r.hi = ~a.hi + (r.lo == 0);
  return r;
}

/* a + b; *overflow set (and the wrapped sum returned) when it leaves the 128-bit range. */
static inline pf_i128 pf_i128_add(pf_i128 a, pf_i128 b, int *overflow) {
  pf_i128 r;
  r.lo = a.lo + b.lo;
  r.hi = a.hi + b.hi + (r.lo < a.lo);
  /* signed overflow: both operands of one sign, the result of the other */
  *overflow = (int)((~(a.hi ^ b.hi) & (a.hi ^ r.hi)) >> 63);
  return r;
}

/* The high 64 bits of the 128-bit product a * b (unsigned). */
static inline uint64_t pf_mul_high_u64(uint64_t a, uint64_t b) {
#if PF_HAVE_INT128
  return (uint64_t)(((unsigned __int128)a * b) >> 64);
#else
  uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

/* The exact product of two int64. */
static inline pf_i128 pf_i128_mul_i64(int64_t a, int64_t b) {
  pf_i128 r;
#if PF_HAVE_INT128
  __int128 p = (__int128)a * b;
  r.lo = (uint64_t)p;
  r.hi = (uint64_t)((unsigned __int128)p >> 64);
#else
  int negative = (a < 0) != (b < 0);
  uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a, ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
  r.lo = ua * ub;
  r.hi = pf_mul_high_u64(ua, ub);
  if (negative) r = pf_i128_neg(r);
#endif
  return r;
}

static inline int pf_i128_fits_i64(pf_i128 a) {
  return a.hi == ((a.lo >> 63) ? UINT64_MAX : 0);
}

static inline int pf_i128_cmp(pf_i128 a, pf_i128 b) {
  if (a.hi != b.hi) return (int64_t)a.hi < (int64_t)b.hi ? -1 : 1;
  return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* The magnitude of n limbs (two's complement) to double, rounded to nearest even: the
** top 64 bits with a sticky bit for the rest, converted once (the sticky bit keeps a tie
** from being rounded twice), then scaled. */
static inline double pf_limbs_to_double(const uint64_t *w, int n) {
  uint64_t m[3];
  int negative = (w[n - 1] >> 63) != 0, i, top, shift;
  uint64_t carry = 1, bits, sticky = 0;
  double d;
  for (i = 0; i < n; i++) {
    m[i] = negative ? ~w[i] + carry : w[i];
    if (negative) carry = carry && m[i] == 0;
  }
  for (top = n - 1; top > 0 && m[top] == 0; top--) {
  }
  if (top == 0) {
    d = (double)m[0];
    return negative ? -d : d;
  }
  /* bits: the 64 bits from the highest set bit down, in m[top] and m[top - 1] */
  shift = 0;
  while (!(m[top] >> (63 - shift))) shift++;
  bits = shift ? (m[top] << shift) | (m[top - 1] >> (64 - shift)) : m[top];
  sticky = shift ? (m[top - 1] << shift) != 0 : m[top - 1] != 0;
  for (i = 0; i < top - 1; i++) sticky |= m[i] != 0;
  d = ldexp((double)(bits | sticky), 64 * top - shift);
  return negative ? -d : d;
}

static inline double pf_i128_to_double(pf_i128 a) {
#if PF_HAVE_INT128
  return (double)(__int128)(((unsigned __int128)a.hi << 64) | a.lo);
#else
  uint64_t w[2];
  w[0] = a.lo;
  w[1] = a.hi;
  return pf_limbs_to_double(w, 2);
#endif
}

/* An integral double of magnitude below 2^127, exactly. */
static inline pf_i128 pf_i128_from_double(double d) {
  pf_i128 r;
  double m = fabs(d);
  if (m < 0x1p63) {
    r = pf_i128_from_i64((int64_t)m);
  } else {
    int e;
    double f = frexp(m, &e); /* m = f * 2^e, 2^63 <= m < 2^127: 64 <= e <= 127 */
    uint64_t top = (uint64_t)ldexp(f, 64); /* all 53 bits, exactly */
    int s = e - 64;
    r.lo = s ? top << s : top;
    r.hi = s ? top >> (64 - s) : 0;
  }
  return d < 0 ? pf_i128_neg(r) : r;
}

/* ---- 192-bit sums ----------------------------------------------------------------- */

static inline void pf_wide192_add_i128(pf_wide192 *a, pf_i128 x) {
  uint64_t ext = pf_i128_is_negative(x) ? UINT64_MAX : 0, c0, c1;
  a->w[0] += x.lo;
  c0 = a->w[0] < x.lo;
  a->w[1] += x.hi;
  c1 = a->w[1] < x.hi;
  a->w[1] += c0;
  c1 += a->w[1] < c0;
  a->w[2] += ext + c1;
}

/* a += b, both 192-bit two's complement (wraps modulo 2^192, as the limbs do). */
static inline void pf_wide192_add(pf_wide192 *a, const pf_wide192 *b) {
  uint64_t carry = 0;
  int k;
  for (k = 0; k < 3; k++) {
    uint64_t s = a->w[k] + carry, c = s < carry, t = s + b->w[k];
    c += t < s;
    a->w[k] = t;
    carry = c;
  }
}

static inline int pf_wide192_fits_i128(const pf_wide192 *a) {
  return a->w[2] == ((a->w[1] >> 63) ? UINT64_MAX : 0);
}

static inline pf_i128 pf_wide192_low(const pf_wide192 *a) {
  pf_i128 r;
  r.lo = a->w[0];
  r.hi = a->w[1];
  return r;
}

static inline double pf_wide192_to_double(const pf_wide192 *a) {
  if (pf_wide192_fits_i128(a)) return pf_i128_to_double(pf_wide192_low(a));
  return pf_limbs_to_double(a->w, 3);
}

#endif
