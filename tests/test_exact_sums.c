/*
** test_exact_sums.c: REAL sums that are exact whatever the row order (issue 15, points 5
** and 6), with every expected value worked out by hand:
**   1. pf_exact, the superaccumulator: sums whose exact value and rounding are known
**      (ties to even, a sticky bit far below, subnormals, past the double range and back).
**   2. pf_sum_step: the fast path stays on ordinary data and refuses the step that would
**      round its compensation.
**   3. The table: a customer whose rows cancel across 2^53 and more gives its exact total
**      in every one of the 120 orders of its rows; 1e308 + 1e308 - 1e308 is 1e308, not an
**      overflow; the superaccumulator's allocation failing is PF_NOMEM.
**   4. SQL: the reproducers of the issue (keyed forms and concentration's hhi_without).
** The generated cases (many more values, orders and measures against fractions.Fraction)
** are in tests/exact_oracle.test.sh.
*/
#include "testing.h"

#include "core_testing.h"

static double exact_sum(const double *v, int n) {
  pf_exact x;
  int i;
  pf_exact_clear(&x);
  for (i = 0; i < n; i++) pf_exact_add(&x, v[i]);
  return pf_exact_value(&x);
}

START_TEST(superaccumulator_sums_known_values) {
  /* 1 + 2^-53 is a tie: to even, 1. One bit far below breaks the tie upwards. */
  double tie[] = {1.0, 0x1p-53};
  double tie_up[] = {1.0, 0x1p-53, 0x1p-1000};
  double tie_odd[] = {1.0 + 0x1p-52, 0x1p-53}; /* odd last bit: a tie goes up, to even */
  double cancel[] = {1e32, 1e16, 0.5, -1e32, -1e16};
  double past_range[] = {1e308, 1e308, -1e308};
  double subnormal[] = {0x1p-1074, 0x1p-1074, 0x1p-1074};
  double negative[] = {-1.0, 0x1p-60, -0x1p-1074};
  double over[] = {1e308, 1e308};
  double zero[] = {5.5, -5.5, 0x1p-1074, -0x1p-1074};
  pf_exact x;
  int64_t i64;
  ck_assert(exact_sum(tie, 2) == 1.0);
  ck_assert(exact_sum(tie_up, 3) == 1.0 + 0x1p-52);
  ck_assert(exact_sum(tie_odd, 2) == 1.0 + 0x1p-51);
  ck_assert(exact_sum(cancel, 5) == 0.5);
  ck_assert(exact_sum(past_range, 3) == 1e308);
  ck_assert(exact_sum(subnormal, 3) == 3 * 0x1p-1074);
  /* -1 + 2^-60 is -(1 - 2^-60), which rounds to -1 (2^-60 is below half an ulp of 1) */
  ck_assert(exact_sum(negative, 3) == -1.0);
  ck_assert(isinf(exact_sum(over, 2)) && exact_sum(over, 2) > 0);
  ck_assert(exact_sum(zero, 4) == 0.0);
  /* integers: 2^62 + 2^62 - 1 ... exactly, and a fraction is not one */
  pf_exact_clear(&x);
  pf_exact_add(&x, 0x1p62);
  pf_exact_add(&x, 0x1p62);
  pf_exact_add(&x, -1.0);
  ck_assert(pf_exact_int64(&x, &i64) && i64 == INT64_MAX);
  pf_exact_add(&x, 1.0); /* 2^63: one past the int64 range */
  ck_assert(!pf_exact_int64(&x, &i64));
  pf_exact_add(&x, -0x1p64); /* -2^63: INT64_MIN fits */
  ck_assert(pf_exact_int64(&x, &i64) && i64 == INT64_MIN);
  pf_exact_add(&x, 0.5);
  ck_assert(!pf_exact_int64(&x, &i64)); /* not an integer */
  ck_assert(pf_exact_value(&x) == -0x1p63 + 0.5 || pf_exact_value(&x) == -0x1p63);
}
END_TEST

/* A fixed-seed generator: the same doubles on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t next_random(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* 52-bit integers times powers of two within 2^-30..2^30: their exact sum is an __int128
** count of 2^-30 (below 2^118), a second implementation to check the superaccumulator
** against, signs and carries included. */
START_TEST(superaccumulator_matches_integer_arithmetic) {
#if defined(__SIZEOF_INT128__)
  int round, i;
  for (round = 0; round < 200; round++) {
    pf_exact x;
    __int128 units = 0;
    pf_exact_clear(&x);
    for (i = 0; i < 50; i++) {
      int64_t m = (int64_t)(next_random() >> 12) - ((int64_t)1 << 51); /* 52 bits, signed */
      int e = (int)(next_random() % 61) - 30;                          /* 2^-30 .. 2^30 */
      pf_exact_add(&x, ldexp((double)m, e));
      units += (__int128)m * ((__int128)1 << (e + 30)); /* below 2^112 each */
    }
    {
      /* the exact value rounded to a double: the cast rounds once, the scaling is exact */
      double want = ldexp((double)units, -30);
      ck_assert_msg(pf_exact_value(&x) == want, "round %d: %.17g, want %.17g", round,
                    pf_exact_value(&x), want);
    }
  }
#endif
}
END_TEST

/* Squares added as exact integers (pf_exact_add_square), signed, against __int128: 24-bit
** integers times 2^-10..2^10, so each square is a count of 2^-20 below 2^88. */
START_TEST(superaccumulator_squares_match_integer_arithmetic) {
#if defined(__SIZEOF_INT128__)
  int round, i;
  for (round = 0; round < 200; round++) {
    pf_exact x;
    __int128 units = 0;
    pf_exact_clear(&x);
    for (i = 0; i < 50; i++) {
      int64_t m = (int64_t)(next_random() >> 40) - ((int64_t)1 << 23);
      int e = (int)(next_random() % 21) - 10, negative = (int)(next_random() & 1);
      __int128 sq = (__int128)m * m * ((__int128)1 << (2 * e + 20));
      ck_assert(pf_exact_add_square(&x, ldexp((double)m, e), negative));
      units += negative ? -sq : sq;
    }
    ck_assert(pf_exact_value(&x) == ldexp((double)units, -20));
  }
#endif
  {
    pf_exact x;
    pf_exact_clear(&x);
    /* (1 + 2^-52)^2 - 1 = 2^-51 + 2^-104: half an ulp of 2^-51 over it, a tie, to even */
    ck_assert(pf_exact_add_square(&x, 1.0 + 0x1p-52, 0));
    pf_exact_add(&x, -1.0);
    ck_assert(pf_exact_value(&x) == 0x1p-51);
    pf_exact_add(&x, 0x1p-200); /* past the tie: up */
    ck_assert(pf_exact_value(&x) == 0x1p-51 + 0x1p-103);
    ck_assert(!pf_exact_add_square(&x, 0x1p-600, 0)); /* its square is below 2^-1074 */
    ck_assert(!pf_exact_add_square(&x, 0x1p600, 0));  /* its square is beyond doubles */
  }
}
END_TEST

START_TEST(fast_path_refuses_a_step_that_would_round) {
  double s = 0, c = 0;
  int i;
  /* ordinary amounts: every step exact */
  for (i = 0; i < 1000; i++) ck_assert(pf_sum_step(&s, &c, 0.01 * (i % 97) + 123.45));
  s = c = 0;
  ck_assert(pf_sum_step(&s, &c, 1e32));
  ck_assert(pf_sum_step(&s, &c, 1e16)); /* its error, about 1e16, goes into c exactly */
  /* 0.5 next to a compensation of about 2^53 would round: refused, nothing changed */
  {
    double s0 = s, c0 = c;
    ck_assert(!pf_sum_step(&s, &c, 0.5));
    ck_assert(s == s0 && c == c0);
  }
  s = 1e308;
  c = 0;
  ck_assert(!pf_sum_step(&s, &c, 1e308)); /* an overflow is refused too */
  ck_assert(s == 1e308 && c == 0);
}
END_TEST

static pf_num real_num(double d) {
  pf_num x;
  x.is_int = 0;
  x.i = 0;
  x.d = d;
  return x;
}

/* The total of the one customer of a table, as a double. */
static double only_total(pf_table *t) {
  uint64_t pos = 0;
  const pf_entry *e;
  pf_num total;
  ck_assert_int_eq(pf_table_flush(t), PF_OK);
  ck_assert_int_eq(pf_table_count(t), 1);
  e = pf_table_next(t, &pos);
  ck_assert_ptr_nonnull(e);
  pf_entry_total(e, &total);
  return total.d;
}

/* Calls f with every permutation of v[0..n) (Heap's algorithm). */
static void each_order(double *v, int n, int k, void (*f)(const double *, int)) {
  int i;
  if (k == 1) {
    f(v, n);
    return;
  }
  for (i = 0; i < k; i++) {
    double t;
    each_order(v, n, k - 1, f);
    t = v[k % 2 ? 0 : i];
    v[k % 2 ? 0 : i] = v[k - 1];
    v[k - 1] = t;
  }
}

static double want_total;
static int orders_seen;

static void check_order(const double *v, int n) {
  pf_table t = {0};
  pf_key k = int_key(7);
  int i;
  for (i = 0; i < n; i++) {
    pf_num x = real_num(v[i]);
    ck_assert_int_eq(pf_table_add(&t, &k, &x, 1), PF_OK);
  }
  ck_assert_msg(only_total(&t) == want_total, "order %d: %.17g, want %.17g", orders_seen,
                only_total(&t), want_total);
  pf_table_free(&t);
  orders_seen++;
}

START_TEST(customer_total_is_exact_in_every_row_order) {
  double cancel[] = {1e32, -1e32, 1e16, -1e16, 0.5};
  double range[] = {1e308, 1e308, -1e308, 1.0, -1.0};
  double mixed[] = {0x1p-1074, 1e300, -1e300, 3.0, 0x1p-1074};
  want_total = 0.5;
  orders_seen = 0;
  each_order(cancel, 5, 5, check_order);
  ck_assert_int_eq(orders_seen, 120);
  want_total = 1e308; /* past the double range half-way, exactly back */
  each_order(range, 5, 5, check_order);
  want_total = 3.0; /* 3 + 2^-1073 rounds to 3 */
  each_order(mixed, 5, 5, check_order);
}
END_TEST

START_TEST(window_takes_exact_rows_back_out) {
  pf_table t = {0};
  pf_key k = int_key(1), other = int_key(2);
  pf_num big = real_num(1e32), small = real_num(1e16), half = real_num(0.5);
  uint64_t pos = 0;
  ck_assert_int_eq(pf_table_add(&t, &k, &big, 1), PF_OK);
  ck_assert_int_eq(pf_table_add(&t, &k, &small, 1), PF_OK);
  ck_assert_int_eq(pf_table_add(&t, &k, &half, 1), PF_OK); /* now in a superaccumulator */
  ck_assert_int_eq(pf_table_add(&t, &other, &half, 1), PF_OK);
  ck_assert_uint_gt(pf_table_bytes(&t), sizeof(pf_exact));
  ck_assert_int_eq(pf_table_add(&t, &k, &big, -1), PF_OK);
  ck_assert_int_eq(pf_table_add(&t, &k, &small, -1), PF_OK);
  ck_assert_int_eq(pf_table_flush(&t), PF_OK);
  ck_assert_int_eq(pf_table_count(&t), 2);
  {
    const pf_entry *e;
    while ((e = pf_table_next(&t, &pos)) != 0) {
      pf_num total;
      pf_entry_total(e, &total);
      ck_assert(total.d == 0.5);
    }
  }
  /* the last row out removes the customer and frees its superaccumulator (valgrind) */
  ck_assert_int_eq(pf_table_add(&t, &k, &half, -1), PF_OK);
  ck_assert_int_eq(pf_table_flush(&t), PF_OK);
  ck_assert_int_eq(pf_table_count(&t), 1);
  pf_table_free(&t);
}
END_TEST

START_TEST(superaccumulator_out_of_memory_is_nomem) {
  pf_table t = {0};
  pf_key k = int_key(3);
  pf_num big = real_num(1e32), small = real_num(1e16), half = real_num(0.5);
  install_failing_allocator();
  ck_assert_int_eq(pf_table_add(&t, &k, &big, 1), PF_OK);
  ck_assert_int_eq(pf_table_add(&t, &k, &small, 1), PF_OK);
  fail_allocations = 1;
  ck_assert_int_eq(pf_table_add(&t, &k, &half, 1), PF_NOMEM);
  fail_allocations = 0;
  /* unchanged: 1e32 + 1e16, and the row can be added again */
  ck_assert(only_total(&t) == 1e32 + 1e16);
  ck_assert_int_eq(pf_table_add(&t, &k, &half, 1), PF_OK);
  ck_assert(only_total(&t) == 1e32 + 1e16); /* + 0.5 rounds away, exactly as it should */
  pf_table_free(&t);
}
END_TEST

START_TEST(reproducers_of_the_issue) {
  sqlite3 *db = pf_open();
  /* point 5: A nets to 0.5, B is 0.5: HHI 5000 in both orders */
  static const char *const orders[] = {"(1e32),(-1e32),(1e16),(-1e16),(0.5)",
                                       "(1e32),(1e16),(0.5),(-1e32),(-1e16)",
                                       "(-1e16),(0.5),(1e16),(-1e32),(1e32)"};
  size_t i;
  for (i = 0; i < sizeof orders / sizeof orders[0]; i++) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "WITH a(x) AS (VALUES %s), t(k, x) AS (SELECT 'A', x FROM a UNION ALL"
             " SELECT 'B', 0.5) SELECT herfindahl(k, x) + top_share(k, x, 1) + gini(k, x)"
             " + (SELECT count(*) FROM concentration('SELECT ''A'', column1 FROM"
             " (VALUES %s) UNION ALL SELECT ''B'', 0.5')) FROM t", orders[i], orders[i]);
    /* 5000 + 0.5 + 0 + 2 customers */
    ck_assert_double_eq(pf_double(db, sql), 5002.5);
  }
  /* point 6 and 8: hhi_without when the others are far smaller */
  ck_assert_double_eq_tol(pf_double(db, "SELECT hhi_without FROM concentration('VALUES"
                                        " (''big'',1e200),(''small'',1e30),(''s2'',1e30)')"
                                        " WHERE customer = 'big'"), 5000.0, 1e-9);
  ck_assert_double_eq(pf_double(db, "SELECT hhi_without FROM concentration('VALUES"
                                    " (''big'',1e300),(''tiny'',1e-300)')"
                                    " WHERE customer = 'big'"), 10000.0);
  ck_assert_double_eq(pf_double(db, "SELECT hhi_without FROM concentration('SELECT"
                                    " ''1e-400'', ''1800'' UNION ALL SELECT -9e999,"
                                    " 1.0e-300') WHERE rank = 1"), 10000.0);
  /* the total past the double range half-way comes back exactly: 1e308 of 2e308 */
  ck_assert_double_eq(pf_double(db, "WITH t(k, x) AS (VALUES ('A', 1e308), ('A', 1e308),"
                                    " ('A', -1e308), ('B', 1e308)) SELECT herfindahl(k, x)"
                                    " FROM t"),
                      5000.0);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("exact_sums");
  TCase *core = tcase_create("core");
  tcase_add_test(core, superaccumulator_sums_known_values);
  tcase_add_test(core, superaccumulator_matches_integer_arithmetic);
  tcase_add_test(core, superaccumulator_squares_match_integer_arithmetic);
  tcase_add_test(core, fast_path_refuses_a_step_that_would_round);
  tcase_add_test(core, customer_total_is_exact_in_every_row_order);
  tcase_add_test(core, window_takes_exact_rows_back_out);
  tcase_add_test(core, superaccumulator_out_of_memory_is_nomem);
  suite_add_tcase(s, core);
  {
    TCase *sql = tcase_create("sql");
    tcase_add_test(sql, reproducers_of_the_issue);
    suite_add_tcase(s, sql);
  }
  return s;
}

PF_TEST_MAIN
