/*
** test_exact.c: exactness at the edges of the core (issue 15.3), without 4e9 rows or
** 1e300-sized data sets:
**   1. 64-bit row counts per customer: counts set near 2^32 (pf_table_set_rows) and then
**      walked up and down with real rows against a plain uint64_t count; a customer past
**      2^32 rows is never seen as empty; the side table's allocation failing is PF_NOMEM
**      with the table unchanged.
** Core allocations go through SQLite's allocator here (ext/sqlite/host_memory.c), wrapped
** so that a test can fail the next one.
*/
#include "testing.h"

#include "core_testing.h"

/* ---- 1. row counts ------------------------------------------------------------------- */

static pf_key text_key(const char *s) {
  pf_key k;
  memset(&k, 0, sizeof k);
  k.type = PF_KEY_TEXT;
  k.p = s;
  k.n = (int)strlen(s);
  return k;
}

static pf_num int_num(int64_t i) {
  pf_num x = {1, i, (double)i};
  return x;
}

/* The entry of key k (flushing first), or NULL. */
static const pf_entry *find_entry(pf_table *t, const pf_key *k) {
  const pf_entry *e;
  uint64_t pos = 0;
  ck_assert_int_eq(pf_table_flush(t), PF_OK);
  while ((e = pf_table_next(t, &pos)) != 0) {
    pf_key ek;
    pf_entry_key(e, &ek);
    if (pf_key_compare(&ek, k) == 0 && ek.type == k->type) return e;
  }
  return 0;
}

static void assert_rows(pf_table *t, const pf_key *k, uint64_t want) {
  const pf_entry *e = find_entry(t, k);
  ck_assert_msg(e != 0, "customer gone, want %llu rows", (unsigned long long)want);
  ck_assert_msg(pf_entry_rows(t, e) == want, "rows %llu, want %llu",
                (unsigned long long)pf_entry_rows(t, e), (unsigned long long)want);
}

/* The reproducer in the core: a customer at 2^32+5 rows is still there (the
** 32-bit counter wrapped to 5, or to 0 = an empty slot, before). */
START_TEST(customer_past_2_32_rows_is_not_empty) {
  pf_table t;
  pf_key a = int_key(0), b = int_key(1), c = text_key("customer");
  pf_num one = int_num(1);
  int i;
  install_failing_allocator();
  memset(&t, 0, sizeof t);
  ck_assert_int_eq(pf_table_add(&t, &a, &one, 1), PF_OK);
  ck_assert_int_eq(pf_table_add(&t, &b, &one, 1), PF_OK);
  ck_assert_int_eq(pf_table_add(&t, &c, &one, 1), PF_OK);
  ck_assert_int_eq(pf_table_flush(&t), PF_OK);
  ck_assert_int_eq(pf_table_set_rows(&t, &a, UINT32_MAX - 2), PF_OK);
  ck_assert_int_eq(pf_table_set_rows(&t, &c, UINT32_MAX - 2), PF_OK);
  for (i = 0; i < 8; i++) {
    /* both the add_int fast path and the general path, both key kinds */
    ck_assert_int_eq(pf_table_add_int(&t, 0, &one), PF_OK);
    ck_assert_int_eq(pf_table_add(&t, &c, &one, 1), PF_OK);
  }
  assert_rows(&t, &a, (uint64_t)UINT32_MAX + 6);
  assert_rows(&t, &c, (uint64_t)UINT32_MAX + 6);
  assert_rows(&t, &b, 1);
  ck_assert_int_eq(pf_table_count(&t), 3);
  /* removing rows across the boundary again */
  for (i = 0; i < 12; i++) ck_assert_int_eq(pf_table_add(&t, &a, &one, -1), PF_OK);
  assert_rows(&t, &a, (uint64_t)UINT32_MAX - 6);
  /* the last rows removed: the customer leaves */
  ck_assert_int_eq(pf_table_set_rows(&t, &a, 2), PF_OK);
  ck_assert_int_eq(pf_table_add(&t, &a, &one, -1), PF_OK);
  ck_assert_int_eq(pf_table_add(&t, &a, &one, -1), PF_OK);
  ck_assert_ptr_null(find_entry(&t, &a));
  ck_assert_int_eq(pf_table_count(&t), 2);
  ck_assert_int_eq(pf_table_set_rows(&t, &a, 5), PF_RANGE); /* absent */
  ck_assert_int_eq(pf_table_set_rows(&t, &b, 0), PF_RANGE);
  pf_table_free(&t);
}
END_TEST

/* Random walks of rows up and down from random counts around 2^32, 2^33 and 2^62, against a
** plain uint64_t; customers spread over a table that grows and shifts slots meanwhile. */
START_TEST(row_counts_walk_across_32_bits_like_a_uint64) {
  enum { N = 40 };
  pf_table t;
  uint64_t want[N];
  unsigned seed = 7;
  pf_num one = int_num(1);
  int k, step;
  static const uint64_t bases[] = {(uint64_t)1 << 32, (uint64_t)1 << 33, (uint64_t)1 << 62};
  install_failing_allocator();
  memset(&t, 0, sizeof t);
  for (k = 0; k < N; k++) {
    pf_key key = int_key(k * 7919);
    ck_assert_int_eq(pf_table_add(&t, &key, &one, 1), PF_OK);
  }
  ck_assert_int_eq(pf_table_flush(&t), PF_OK);
  for (k = 0; k < N; k++) {
    pf_key key = int_key(k * 7919);
    want[k] = bases[k % 3] - 300 + (uint64_t)(rand_r(&seed) % 600);
    ck_assert_int_eq(pf_table_set_rows(&t, &key, want[k]), PF_OK);
  }
  for (step = 0; step < 200000; step++) {
    int which = rand_r(&seed) % N;
    pf_key key = int_key(which * 7919);
    int sign = rand_r(&seed) % 2 ? 1 : -1;
    ck_assert_int_eq(pf_table_add(&t, &key, &one, sign), PF_OK);
    want[which] += sign > 0 ? 1 : (uint64_t)-1;
    if (step % 20000 == 0) {
      /* other customers come and go, so slots move */
      pf_key other = int_key(1000000 + step);
      ck_assert_int_eq(pf_table_add(&t, &other, &one, 1), PF_OK);
    }
  }
  for (k = 0; k < N; k++) {
    pf_key key = int_key(k * 7919);
    assert_rows(&t, &key, want[k]);
  }
  pf_table_free(&t);
}
END_TEST

/* The side table's allocation failing: PF_NOMEM, and the customer keeps its rows. */
START_TEST(row_count_spill_out_of_memory_leaves_the_table_unchanged) {
  pf_table t;
  pf_key a = int_key(42);
  pf_num one = int_num(1);
  pf_num total;
  install_failing_allocator();
  memset(&t, 0, sizeof t);
  ck_assert_int_eq(pf_table_add(&t, &a, &one, 1), PF_OK);
  ck_assert_int_eq(pf_table_flush(&t), PF_OK);
  ck_assert_int_eq(pf_table_set_rows(&t, &a, UINT32_MAX), PF_OK);
  fail_allocations = 1;
  ck_assert_int_eq(pf_table_add(&t, &a, &one, 1), PF_NOMEM);
  ck_assert_int_eq(pf_table_set_rows(&t, &a, (uint64_t)1 << 40), PF_NOMEM);
  fail_allocations = 0;
  assert_rows(&t, &a, UINT32_MAX);
  pf_entry_total(find_entry(&t, &a), &total);
  ck_assert_int_eq(total.i, 1);
  ck_assert_int_eq(pf_table_add(&t, &a, &one, 1), PF_OK);
  assert_rows(&t, &a, (uint64_t)UINT32_MAX + 1);
  pf_table_free(&t);
}
END_TEST

/* ---- 2. wide integers and the unkeyed integer window ------------------------------- */

#if defined(__SIZEOF_INT128__)
/* pf_wide.h (the fallback under make test-no-int128) against the compiler's __int128. */
START_TEST(wide_integers_match_native_int128) {
  unsigned seed = 11;
  int n, first_bad = -1;
  /* checked with plain comparisons, asserted once: a ck_assert per operation costs a
  ** message to Check's parent process each, 1.2 million of them, seconds on a busy machine */
  for (n = 0; n < 200000; n++) {
    /* shifted as unsigned: a signed left shift past the top bit is undefined */
    int64_t a = (int64_t)(((uint64_t)rand_r(&seed) << 40) ^ ((uint64_t)rand_r(&seed) << 20) ^
                          (uint64_t)rand_r(&seed));
    int64_t b = (int64_t)(((uint64_t)rand_r(&seed) << 41) ^ (uint64_t)rand_r(&seed));
    __int128 p, q;
    pf_i128 wp, wq, ws;
    int overflow, ok;
    if (n % 3 == 0) a = -a;
    p = (__int128)a * b;
    q = (__int128)b * b;
    wp = pf_i128_mul_i64(a, b);
    wq = pf_i128_mul_i64(b, b);
    ok = wp.lo == (uint64_t)p && wp.hi == (uint64_t)((unsigned __int128)p >> 64);
    ws = pf_i128_add(wp, wq, &overflow);
    ok = ok && !overflow && ws.lo == (uint64_t)(p + q);
    ok = ok && pf_i128_to_double(wp) == (double)p;
    ok = ok && pf_mul_high_u64((uint64_t)a, (uint64_t)b) ==
                   (uint64_t)(((unsigned __int128)(uint64_t)a * (uint64_t)b) >> 64);
    ok = ok && pf_i128_cmp(wp, wq) == (p < q ? -1 : p > q);
    if (!ok && first_bad < 0) first_bad = n;
  }
  ck_assert_msg(first_bad < 0, "operation %d differs from __int128", first_bad);
}
END_TEST
#endif

/* Issue 15.4: a frame that held amounts near 9.2e18 and now holds only 9 is one customer,
** 10000 (was 2.33e24 or a "REAL amounts differ" error once the 128-bit sum overflowed). */
START_TEST(integer_window_exact_past_128_bits) {
  sqlite3 *db;
  sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
  db = pf_open();
  pf_exec(db, "CREATE TABLE t(i INTEGER PRIMARY KEY, a INTEGER);"
              "INSERT INTO t VALUES (1, 9223372036854775807), (2, 9223372036854775806),"
              "(3, 9223372036854775805), (4, 9), (5, 4), (6, 4)");
  /* frame {9}: rows 2..4 then 4..4 */
  ck_assert(pf_double(db, "SELECT h FROM (SELECT i, herfindahl(a) OVER (ORDER BY i ROWS"
                          " BETWEEN CURRENT ROW AND CURRENT ROW) h FROM t) WHERE i = 4") ==
            10000.0);
  /* 9, 4, 4 after the huge rows left: exactly (81+16+16)/17^2 */
  ck_assert_double_eq_tol(pf_double(db, "SELECT h FROM (SELECT i, herfindahl(a) OVER ("
                                        "ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT"
                                        " ROW) h FROM t) WHERE i = 6"),
                          10000.0 * 113.0 / 289.0, 1e-9);
  sqlite3_close(db);
}
END_TEST

/* ---- 3. key order ------------------------------------------------------------------ */

static pf_key real_key(double r) {
  pf_key k;
  memset(&k, 0, sizeof k);
  pf_key_from_double(r, &k);
  return k;
}

/* The exact order of an INTEGER and a REAL, worked out on integers: -1 when i < r. Written
** here rather than asked of SQLite, whose comparison uses long double, which valgrind runs
** as a plain double (so SQLite itself answers differently under make valgrind). */
static int exact_int_real_order(int64_t i, double r) {
  double t;
  int64_t ti;
  if (r >= 9223372036854775808.0) return -1;
  if (r < -9223372036854775808.0) return 1;
  t = trunc(r); /* in [-2^63, 2^63): exact as an int64 */
  ti = (int64_t)t;
  if (i != ti) return i < ti ? -1 : 1;
  return r > t ? -1 : r < t ? 1 : 0;
}

/* Issue 15.7: SQLite's ORDER BY puts INTEGER 2^63-1 before REAL 2^63; so must the keys.
** Integers and reals around 2^63, 2^53 and 0, against the exact order above. */
START_TEST(keys_order_as_sqlite_near_2_63) {
  static const double reals[] = {9223372036854775808.0, -9223372036854775808.0,
                                 -9223372036854777856.0, 9007199254740993.5, 0.5, -0.5,
                                 1e300, -1e300, 4611686018427387904.5, 9007199254740994.0};
  static const int64_t ints[] = {INT64_MAX, INT64_MAX - 1, INT64_MIN, INT64_MIN + 1, 0, -1, 1,
                                 9007199254740993, 9007199254740994};
  size_t i, j;
  pf_key a = int_key(INT64_MAX), b = real_key(9223372036854775808.0);
  ck_assert_int_eq(pf_key_compare(&a, &b), -1);
  ck_assert_int_eq(pf_key_compare(&b, &a), 1);
  for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    for (j = 0; j < sizeof reals / sizeof reals[0]; j++) {
      pf_key ki = int_key(ints[i]), kr = real_key(reals[j]);
      int want = exact_int_real_order(ints[i], reals[j]);
      ck_assert_msg(pf_key_compare(&ki, &kr) == want, "%lld vs %.17g: want %d",
                    (long long)ints[i], reals[j], want);
      ck_assert_int_eq(pf_key_compare(&kr, &ki), -want);
    }
  }
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("exact");
  TCase *rows = tcase_create("row counts");
  tcase_add_test(rows, customer_past_2_32_rows_is_not_empty);
  tcase_add_test(rows, row_counts_walk_across_32_bits_like_a_uint64);
  tcase_add_test(rows, row_count_spill_out_of_memory_leaves_the_table_unchanged);
  suite_add_tcase(s, rows);
  {
    TCase *wide = tcase_create("wide integers");
#if defined(__SIZEOF_INT128__)
    tcase_add_test(wide, wide_integers_match_native_int128);
#endif
    tcase_add_test(wide, integer_window_exact_past_128_bits);
    suite_add_tcase(s, wide);
  }
  {
    TCase *keys = tcase_create("key order");
    tcase_add_test(keys, keys_order_as_sqlite_near_2_63);
    suite_add_tcase(s, keys);
  }
  return s;
}

PF_TEST_MAIN
