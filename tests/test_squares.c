/*
** test_squares.c: the superaccumulator of squares (pf_squares, pf_exact.h) and the exact
** HHI sums built on it (pf_sqsums), issue 15.3:
**   1. Hand-worked squares at the ends of the double range: the largest double, the
**      smallest subnormal, 1e300 (whose square is far beyond the range), read as a fraction
**      and an exponent.
**   2. Against a second implementation: squares of k * 2^-20 (k < 2^40) summed as exact
**      128-bit integers, converted once.
**   3. Order and removal: squares of doubles from the whole range, added in three orders,
**      half of them taken out again, give the bits a fresh sum of the other half gives.
**   4. pf_sqsums_of: the HHI of totals scaled by 2^900 or 2^-1000 is that of the unscaled
**      ones, to the bit (the scaling is exact and the sums are exact).
**   5. pf_sqsums_merge: rows split between two parts (one spilled to its superaccumulator,
**      one not) and merged give the one-pass sums to the bit, in either merge order.
**   6. pf_sqsums_scale10: integer totals recounted in a unit 10^k finer give what the
**      totals times 10^k give, hand-worked: 4779 * 10^k and 20880539 * 10^2k rounded once.
*/
#include "testing.h"

#include "portfolio_core.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static double squares_value(pf_squares *x, int *e) { return pf_squares_frexp(x, e); }

START_TEST(squares_at_the_ends_of_the_range) {
  pf_squares x;
  int e;
  double f;
  /* DBL_MAX = (1 - 2^-53) 2^1024; its square (1 - 2^-52 + 2^-106) 2^2048 rounds to
  ** (1 - 2^-52) 2^2048 */
  pf_squares_clear(&x);
  pf_squares_add(&x, DBL_MAX, 0);
  f = squares_value(&x, &e);
  ck_assert(f == 1 - 0x1p-52);
  ck_assert_int_eq(e, 2048);
  /* 2^-1074 squared is 2^-2148 = 0.5 * 2^-2147, and twice that is 2^-2147 */
  pf_squares_clear(&x);
  pf_squares_add(&x, 0x1p-1074, 0);
  f = squares_value(&x, &e);
  ck_assert(f == 0.5 && e == -2147);
  pf_squares_add(&x, -0x1p-1074, 0); /* the sign of v does not matter */
  f = squares_value(&x, &e);
  ck_assert(f == 0.5 && e == -2146);
  /* (3 * 2^900)^2 + (2^-1000)^2 - (3 * 2^900)^2 = 2^-2000 exactly: nothing of the large
  ** square is left behind */
  pf_squares_clear(&x);
  pf_squares_add(&x, 3 * 0x1p900, 0);
  pf_squares_add(&x, 0x1p-1000, 0);
  pf_squares_add(&x, 3 * 0x1p900, 1);
  f = squares_value(&x, &e);
  ck_assert(f == 0.5 && e == -1999);
  /* taken out again: exactly zero */
  pf_squares_add(&x, 0x1p-1000, 1);
  f = squares_value(&x, &e);
  ck_assert(f == 0 && e == 0);
  /* INTEGER: (2^63 - 1)^2 = 2^126 - 2^64 + 1, within half an ulp (2^72) of 2^126: it rounds
  ** to 2^126 = 0.5 * 2^127 */
  pf_squares_clear(&x);
  pf_squares_add_int(&x, INT64_MAX, 0);
  f = squares_value(&x, &e);
  ck_assert(f == 0.5 && e == 127);
  pf_squares_add_int(&x, INT64_MIN, 0); /* + 2^126: 2^127 - 2^64 + 1 rounds to 2^127 */
  f = squares_value(&x, &e);
  ck_assert(f == 0.5 && e == 128);
  pf_squares_add_int(&x, INT64_MAX, 1); /* back to 2^126 exactly */
  f = squares_value(&x, &e);
  ck_assert(f == 0.5 && e == 127);
}
END_TEST

#if defined(__SIZEOF_INT128__)
/* 2: the same sums as exact 128-bit integers (the second implementation). */
START_TEST(squares_match_128_bit_integers) {
  int round;
  srand(20261203);
  for (round = 0; round < 200; round++) {
    pf_squares x;
    unsigned __int128 want = 0;
    int n = 1 + rand() % 300, i, e, we;
    double f, wf;
    pf_squares_clear(&x);
    for (i = 0; i < n; i++) {
      uint64_t k = (((uint64_t)rand() << 31) ^ (uint64_t)rand()) & ((UINT64_C(1) << 40) - 1);
      pf_squares_add(&x, ldexp((double)k, -20), 0);
      want += (unsigned __int128)k * k;
    }
    f = squares_value(&x, &e);
    wf = frexp((double)want, &we); /* rounded once, to nearest even */
    ck_assert_msg(f == wf && e == we - 40, "round %d: %a * 2^%d, want %a * 2^%d", round, f, e,
                  wf, we - 40);
  }
}
END_TEST
#endif

static double random_double(void) {
  /* any finite double, subnormals and the largest included, either sign */
  uint64_t bits = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
  double d;
  bits &= ~(UINT64_C(0x7ff) << 52);
  bits |= (uint64_t)(rand() % 2047) << 52; /* biased exponent 0..2046: finite */
  memcpy(&d, &bits, 8);
  return d;
}

/* 3: three orders, half taken back out, against a fresh sum of the other half. */
START_TEST(squares_do_not_depend_on_order_or_removal) {
  enum { N = 400 };
  static double v[N];
  int round;
  srand(7);
  for (round = 0; round < 20; round++) {
    pf_squares fwd, back, odd_fresh, mixed;
    int i, e1, e2, e3, e4;
    double f1, f2, f3, f4;
    for (i = 0; i < N; i++) v[i] = random_double();
    pf_squares_clear(&fwd);
    pf_squares_clear(&back);
    pf_squares_clear(&odd_fresh);
    pf_squares_clear(&mixed);
    for (i = 0; i < N; i++) pf_squares_add(&fwd, v[i], 0);
    for (i = N - 1; i >= 0; i--) pf_squares_add(&back, v[i], 0);
    for (i = 0; i < N; i += 2) pf_squares_add(&fwd, v[i], 1); /* evens out again */
    for (i = N - 2; i >= 0; i -= 2) pf_squares_add(&back, v[i], 1);
    for (i = 1; i < N; i += 2) pf_squares_add(&odd_fresh, v[i], 0);
    for (i = 0; i < N; i++) { /* evens in and out at once, odds kept */
      pf_squares_add(&mixed, v[(i * 7) % N], 0);
      if (((i * 7) % N) % 2 == 0) pf_squares_add(&mixed, v[(i * 7) % N], 1);
    }
    f1 = squares_value(&fwd, &e1);
    f2 = squares_value(&back, &e2);
    f3 = squares_value(&odd_fresh, &e3);
    f4 = squares_value(&mixed, &e4);
    ck_assert(f1 == f3 && e1 == e3);
    ck_assert(f2 == f3 && e2 == e3);
    ck_assert(f4 == f3 && e4 == e3);
    ck_assert(f3 >= 0.5 && f3 < 1);
  }
}
END_TEST

static pf_num real_num(double d) {
  pf_num x = {0, 0, d};
  return x;
}

/* 4: the HHI does not see a power-of-two scale, even one that takes the sums beyond the
** double range (2^900: squares to 2^1800+) or below it (2^-1000: squares below 2^-2000). */
START_TEST(sqsums_hhi_does_not_see_the_scale) {
  static const double totals[] = {1234.25, 0.5, 77.125, 3.0, 1e-3, 981.0, 12.75};
  static const int scales[] = {900, 1000, -1000, -1070, 0};
  pf_sqsums plain;
  double want;
  int i, j;
  pf_sqsums_clear(&plain);
  for (i = 0; i < 7; i++) {
    pf_num x = real_num(totals[i]);
    pf_sqsums_add(&plain, &x, 1);
  }
  want = pf_sqsums_of(&plain, pf_hhi_of_sums);
  /* the plain sums are in range: the read is the unscaled formula's, to the bit */
  {
    double s = 0, q = 0;
    pf_xacc xs, xq;
    pf_xacc_clear(&xs);
    pf_xacc_clear(&xq);
    for (i = 0; i < 7; i++) {
      pf_num x = real_num(totals[i]);
      pf_xacc_add_num(&xs, &x, 1);
      pf_xacc_add_square(&xq, &x, 1);
    }
    s = pf_xacc_value(&xs);
    q = pf_xacc_value(&xq);
    ck_assert(want == pf_hhi_of_sums(s, q));
  }
  for (j = 0; j < 5; j++) {
    pf_sqsums scaled;
    pf_sqsums_clear(&scaled);
    for (i = 0; i < 7; i++) {
      /* 1e-3 * 2^-1070 is subnormal and not exact: leave that one out at -1070, and
      ** compare with the plain sums without it */
      pf_num x = real_num(ldexp(totals[i], scales[j]));
      if (scales[j] == -1070 && i == 4) continue;
      pf_sqsums_add(&scaled, &x, 1);
    }
    if (scales[j] == -1070) {
      pf_num x = real_num(totals[4]);
      pf_sqsums_add(&plain, &x, -1);
      ck_assert(pf_sqsums_of(&scaled, pf_hhi_of_sums) == pf_sqsums_of(&plain, pf_hhi_of_sums));
      pf_sqsums_add(&plain, &x, 1);
    } else {
      ck_assert_msg(pf_sqsums_of(&scaled, pf_hhi_of_sums) == want, "scale 2^%d", scales[j]);
    }
  }
}
END_TEST

static void sqsums_bits(pf_sqsums *s, double *sum, double *sumsq) {
  int es = 0, eq = 0;
  double fs = pf_xacc_frexp(&s->sum, &es), fq = pf_squares_frexp(&s->sumsq, &eq);
  *sum = ldexp(fs, es);
  *sumsq = ldexp(fq, eq);
}

/* 5: two parts merged are one pass; 1e300 and 1e-300 make a part spill, 3 and 5 are ints */
START_TEST(sqsums_merge_is_one_pass) {
  static const double reals[] = {1234.25, 1e300, 0.1, 1e-300, 77.125, 0.3, 1e16, 2.5};
  pf_sqsums all, part[2];
  double want_s, want_q, got_s, got_q;
  int i, first;
  for (first = 0; first < 2; first++) {
    pf_sqsums_clear(&all);
    pf_sqsums_clear(&part[0]);
    pf_sqsums_clear(&part[1]);
    for (i = 0; i < 10; i++) {
      pf_num x = i < 8 ? real_num(reals[i]) : (pf_num){1, i == 8 ? 3 : 5, i == 8 ? 3 : 5};
      int sign = i == 6 ? -1 : 1; /* 1e16 taken out: cancellation against the others */
      pf_sqsums_add(&all, &x, sign);
      /* part 0 gets 1e300 and 1e-300 (it spills), part 1 the rest */
      pf_sqsums_add(&part[(i == 1 || i == 3) ? 0 : 1], &x, sign);
    }
    pf_sqsums_merge(&part[first], &part[1 - first]);
    sqsums_bits(&all, &want_s, &want_q);
    sqsums_bits(&part[first], &got_s, &got_q);
    ck_assert(got_s == want_s && got_q == want_q);
    ck_assert_int_eq(part[first].count, 8);
  }
  /* a part with only small values: the merge of the pair, exactly (0.1 + 0.2 - 0.3) */
  pf_sqsums_clear(&part[0]);
  pf_sqsums_clear(&part[1]);
  {
    pf_num a = real_num(0.1), b = real_num(0.2), c = real_num(0.3);
    pf_sqsums_add(&part[0], &a, 1);
    pf_sqsums_add(&part[1], &b, 1);
    pf_sqsums_add(&part[1], &c, -1);
    pf_sqsums_merge(&part[0], &part[1]);
    pf_sqsums_clear(&all);
    pf_sqsums_add(&all, &a, 1);
    pf_sqsums_add(&all, &b, 1);
    pf_sqsums_add(&all, &c, -1);
    sqsums_bits(&all, &want_s, &want_q);
    sqsums_bits(&part[0], &got_s, &got_q);
    ck_assert(got_s == want_s && got_q == want_q);
  }
}
END_TEST

/* 6: 123 + 4567 + 89 = 4779; 123^2 + 4567^2 + 89^2 = 20880539 */
START_TEST(sqsums_scale10_is_exact) {
  static const int64_t ints[] = {123, 4567, 89};
  pf_sqsums s, direct;
  double sum, sumsq;
  int i;
  /* k = 12: the totals times 10^12 still fit in 64 bits, so the direct sums are exact */
  pf_sqsums_clear(&s);
  pf_sqsums_clear(&direct);
  for (i = 0; i < 3; i++) {
    pf_num x = {1, ints[i], (double)ints[i]}, y = {1, ints[i] * 1000000000000, 0};
    y.d = (double)y.i;
    pf_sqsums_add(&s, &x, 1);
    pf_sqsums_add(&direct, &y, 1);
  }
  pf_sqsums_scale10(&s, 12);
  sqsums_bits(&s, &sum, &sumsq);
  ck_assert(sum == 4779e12 && sumsq == 20880539e24);
  ck_assert(pf_sqsums_of(&s, pf_hhi_of_sums) == pf_sqsums_of(&direct, pf_hhi_of_sums));
  /* k = 30 (squares by 10^60: seven factors), then more rows in the new unit */
  pf_sqsums_clear(&s);
  for (i = 0; i < 3; i++) {
    pf_num x = {1, ints[i], (double)ints[i]};
    pf_sqsums_add(&s, &x, 1);
  }
  pf_sqsums_scale10(&s, 30);
  sqsums_bits(&s, &sum, &sumsq);
  ck_assert(sum == 4779e30 && sumsq == 20880539e60);
  {
    pf_num half = real_num(0.5);
    pf_sqsums_add(&s, &half, 1); /* 0.5 + 4779e30: the sum rounds once to 4779e30 */
    pf_sqsums_scale10(&s, 1);
    sqsums_bits(&s, &sum, &sumsq);
    ck_assert(sum == 47790000000000000000000000000000005.0);
    ck_assert(sumsq == 2088053900000000000000000000000000000000000000000000000000000000000025.0);
  }
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("squares");
  TCase *tc = tcase_create("squares");
  tcase_add_test(tc, squares_at_the_ends_of_the_range);
#if defined(__SIZEOF_INT128__)
  tcase_add_test(tc, squares_match_128_bit_integers);
#endif
  tcase_add_test(tc, squares_do_not_depend_on_order_or_removal);
  tcase_add_test(tc, sqsums_hhi_does_not_see_the_scale);
  tcase_add_test(tc, sqsums_merge_is_one_pass);
  tcase_add_test(tc, sqsums_scale10_is_exact);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
