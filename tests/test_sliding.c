/*
** Keyed sliding windows kept up to date row by row (ext/sqlite/measure_window.c), checked
** against a second implementation: the same measure as a plain aggregate over exactly the
** frame's rows, which sums every customer again (the one-pass path); the unkeyed forms of
** top_share and gini keep the same multiset and are checked the same way. And the ordered
** multiset behind top_share and gini (ext/core/core_multiset.c) against a sorted array.
**   1. Every measure of pf_measures, over generated frames that slide over many customers
**      (INTEGER and TEXT keys, REAL and INTEGER amounts, credit notes).
**   2. Integer amounts near 2^62: the window's HHI equals the exact one-pass HHI to the bit.
**   3. REAL amounts of very different sizes leaving the frame (1e31 beside 1e17), totals
**      beyond 1e120 or below 1e-120 (to the bit for HHI), and a total beyond the double
**      range: the right answer or the one-pass form's error, never a drifted number.
*/
#include "agg_reference.h"
#include "measure.h"
#include "pf_window.h"

/* Rows w(rn, cust, amount), rn = 1..nrows, from a fixed LCG. */
static void make_sliding_rows(sqlite3 *db, int nrows, int ncust, int text_keys, int ints) {
  sqlite3_stmt *stmt = 0;
  unsigned seed = 31337u;
  int i;
  pf_exec(db, "CREATE TABLE w(rn INTEGER PRIMARY KEY, cust, amount)");
  ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO w VALUES (?1, ?2, ?3)", -1, &stmt, 0),
                   SQLITE_OK);
  pf_exec(db, "BEGIN");
  for (i = 1; i <= nrows; i++) {
    unsigned r = ref_lcg(&seed);
    int cust = 1 + (int)(ref_lcg(&seed) % (unsigned)ncust);
    int amount = (int)(ref_lcg(&seed) % 1000) - 150; /* credit notes too */
    char key[32];
    sqlite3_bind_int(stmt, 1, i);
    if (text_keys) {
      snprintf(key, sizeof key, "c-%d", cust);
      sqlite3_bind_text(stmt, 2, key, -1, SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_int(stmt, 2, cust);
    }
    if (ints || r % 3)
      sqlite3_bind_int(stmt, 3, amount);
    else
      sqlite3_bind_double(stmt, 3, amount * 1.37);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_reset(stmt);
  }
  pf_exec(db, "COMMIT");
  sqlite3_finalize(stmt);
}

/* Compares call OVER (ORDER BY rn ROWS `preceding` PRECEDING) on every row with call as an
** aggregate over rows rn - preceding .. rn. exact: to the bit; else within rel. */
static void compare_sliding(sqlite3 *db, const char *call, int preceding, int exact,
                            double rel) {
  char sql[300], one_pass[300];
  sqlite3_stmt *win = 0, *ref = 0;
  int rows = 0, rc;
  snprintf(sql, sizeof sql, "SELECT rn, %s OVER (ORDER BY rn ROWS %d PRECEDING) FROM w ORDER BY rn",
           call, preceding);
  snprintf(one_pass, sizeof one_pass, "SELECT %s FROM w WHERE rn BETWEEN ?1 - %d AND ?1", call,
           preceding);
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &win, 0), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, one_pass, -1, &ref, 0), SQLITE_OK);
  while ((rc = sqlite3_step(win)) == SQLITE_ROW) {
    sqlite3_int64 rn = sqlite3_column_int64(win, 0);
    sqlite3_bind_int64(ref, 1, rn);
    ck_assert_int_eq(sqlite3_step(ref), SQLITE_ROW);
    ck_assert_msg(sqlite3_column_type(win, 1) == sqlite3_column_type(ref, 0),
                  "%s row %lld: type %d, one pass %d", sql, rn, sqlite3_column_type(win, 1),
                  sqlite3_column_type(ref, 0));
    if (sqlite3_column_type(ref, 0) == SQLITE_FLOAT) {
      double got = sqlite3_column_double(win, 1), want = sqlite3_column_double(ref, 0);
      if (exact)
        ck_assert_msg(got == want, "%s row %lld: %.17g, one pass %.17g", sql, rn, got, want);
      else
        ck_assert_msg(fabs(got - want) <= rel * fabs(want) + 1e-15,
                      "%s row %lld: %.17g, one pass %.17g", sql, rn, got, want);
    }
    sqlite3_reset(ref);
    rows++;
  }
  ck_assert_msg(rc == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
  ck_assert_int_gt(rows, 0);
  sqlite3_finalize(win);
  sqlite3_finalize(ref);
}

/* The measure's keyed call, or its unkeyed one (one row per customer) when !keyed. */
static void call_form(const pf_measure *m, char *buf, size_t size, int extra, int keyed) {
  char n[16] = "";
  if (m->extra_arg) snprintf(n, sizeof n, ", %d", extra);
  snprintf(buf, size, "%s(%samount%s)", m->name, keyed ? "cust, " : "", n);
}

static void call_of(const pf_measure *m, char *buf, size_t size, int extra) {
  call_form(m, buf, size, extra, 1);
}

/* 1: loop test over pf_measures. */
START_TEST(sliding_frames_match_the_one_pass_form) {
  const pf_measure *m = pf_measures[_i];
  static const int preceding[] = {0, 7, 60, 400};
  int keys, p;
  for (keys = 0; keys < 2; keys++) {
    sqlite3 *db = pf_open();
    char call[80];
    make_sliding_rows(db, 1500, 300, keys, 0);
    for (p = 0; p < (int)(sizeof(preceding) / sizeof(preceding[0])); p++) {
      call_of(m, call, sizeof call, 1 + p * 3);
      /* an of_sums measure's keyed window keeps exact sums: the one pass, to the bit */
      compare_sliding(db, call, preceding[p], m->of_sums != 0, 1e-12);
      if (keys == 0) { /* the unkeyed form over the same rows, each its own customer */
        call_form(m, call, sizeof call, 1 + p * 3, 0);
        compare_sliding(db, call, preceding[p], 0, 1e-12);
      }
    }
    sqlite3_close(db);
  }
}
END_TEST

/* 1, integers. */
START_TEST(sliding_frames_of_integers_match_to_the_bit_for_hhi) {
  sqlite3 *db = pf_open();
  make_sliding_rows(db, 1200, 150, 0, 1);
  compare_sliding(db, "herfindahl(cust, amount)", 90, 1, 0);
  compare_sliding(db, "herfindahl(cust, amount)", 3, 1, 0);
  sqlite3_close(db);
}
END_TEST

/* 2: totals near 2^62, whose squares need 124 bits; a REAL sum of squares would round. */
START_TEST(huge_integers_stay_exact) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE w(rn INTEGER PRIMARY KEY, cust, amount);"
              "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s"
              " WHERE value < 900) INSERT INTO w SELECT value, value % 37,"
              " 4611686018427387904 - (value * 7919 % 1000003) * 4096"
              " * CASE WHEN value % 5 = 0 THEN -1 ELSE 1 END FROM s");
  compare_sliding(db, "herfindahl(cust, amount)", 50, 1, 0);
  compare_sliding(db, "herfindahl(cust, amount)", 1, 1, 0);
  sqlite3_close(db);
}
END_TEST

/* 3: a 1e31 customer next to 1e17 ones leaves the frame: taking it out of compensated REAL
** sums would leave its rounding error larger than the rest (the unkeyed form's error); the
** keyed window's sums are exact and give the one-pass answer, to the bit for HHI. */
START_TEST(large_real_leaving_gives_the_right_answer) {
  const pf_measure *m = pf_measures[_i];
  sqlite3 *db = pf_open();
  char call[80];
  pf_exec(db, "CREATE TABLE w(rn INTEGER PRIMARY KEY, cust, amount);"
              "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s"
              " WHERE value < 400) INSERT INTO w SELECT value, value % 11,"
              " CASE WHEN value % 40 = 1 THEN 1e31 ELSE 1e17 * (1 + value % 9) + 0.3 END"
              " FROM s");
  call_of(m, call, sizeof call, 2);
  compare_sliding(db, call, 12, m->of_sums != 0, 1e-12);
  compare_sliding(db, call, 100, m->of_sums != 0, 1e-12);
  sqlite3_close(db);
}
END_TEST

/* 3: totals beyond 1e120 (up to 1.5e308, whose sums and rank sums overflow unscaled) and
** below 1e-120 come and go. HHI's sums hold any square exactly (no rescan, no scale): its
** windows, keyed and unkeyed, are the one-pass value to the bit; top_share's and gini's
** multiset falls back to a pass over the frame while such a total is in it. */
START_TEST(extreme_totals_give_the_right_answer) {
  const pf_measure *m = pf_measures[_i];
  sqlite3 *db = pf_open();
  char call[80];
  pf_exec(db, "CREATE TABLE w(rn INTEGER PRIMARY KEY, cust, amount);"
              "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s"
              " WHERE value < 500) INSERT INTO w SELECT value, value % 13,"
              " CASE WHEN value % 50 = 7 THEN 5e307 * (1 + value % 3)"
              "      WHEN value % 50 = 30 THEN 1e-300 WHEN value % 4 = 0 THEN -2.5"
              "      ELSE value % 17 + 0.5 END FROM s");
  call_of(m, call, sizeof call, 3);
  compare_sliding(db, call, 9, m->of_sums != 0, 1e-12);
  compare_sliding(db, call, 60, m->of_sums != 0, 1e-12);
  call_form(m, call, sizeof call, 3, 0);
  compare_sliding(db, call, 9, m->of_sums != 0, 1e-12);
  compare_sliding(db, call, 60, m->of_sums != 0, 1e-12);
  sqlite3_close(db);
}
END_TEST

/* 3: the multiset's bound, on both sides: a total at 2^400 or more, or below 2^-401, makes
** top_share and gini go over the frame again; 2^400 less one ulp and 2^-401 are held. Either
** way the answer is the one-pass form's (HHI has no bound: to the bit). */
START_TEST(totals_at_the_multiset_bound_give_the_right_answer) {
  const pf_measure *m = pf_measures[_i];
  sqlite3 *db = pf_open();
  char call[80];
  sqlite3_stmt *ins = 0;
  static const double edge[] = {0x1p400, 0x1.fffffffffffffp399, 0x1p-401, 0x1.fffffffffffffp-402};
  int i;
  pf_exec(db, "CREATE TABLE w(rn INTEGER PRIMARY KEY, cust, amount)");
  ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO w VALUES (?1, ?2, ?3)", -1, &ins, 0),
                   SQLITE_OK);
  for (i = 1; i <= 240; i++) {
    double a = i % 15 == 0 ? edge[(i / 15) % 4] * (1 + i % 2) : (i % 9) + 0.25;
    if (i % 60 >= 30 && i % 15 == 0) a = edge[(i / 15) % 4]; /* some frames: edges alone */
    sqlite3_bind_int(ins, 1, i);
    sqlite3_bind_int(ins, 2, i % 7);
    sqlite3_bind_double(ins, 3, a);
    ck_assert_int_eq(sqlite3_step(ins), SQLITE_DONE);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  call_of(m, call, sizeof call, 2);
  compare_sliding(db, call, 5, m->of_sums != 0, 1e-12);
  compare_sliding(db, call, 40, m->of_sums != 0, 1e-12);
  call_form(m, call, sizeof call, 2, 0);
  compare_sliding(db, call, 5, m->of_sums != 0, 1e-12);
  compare_sliding(db, call, 40, m->of_sums != 0, 1e-12);
  sqlite3_close(db);
}
END_TEST

/* 3: a customer whose REAL rows add up beyond the double range: the window reports the
** one-pass form's error while the customer is in the frame. */
START_TEST(total_beyond_the_double_range_is_the_error) {
  const pf_measure *m = pf_measures[_i];
  sqlite3 *db = pf_open();
  char call[80], sql[300], want[200];
  pf_exec(db, "CREATE TABLE w(rn INTEGER PRIMARY KEY, cust, amount);"
              "INSERT INTO w VALUES (1, 'a', 1), (2, 'b', 2), (3, 'x', 1.5e308),"
              " (4, 'x', 1.5e308), (5, 'c', 3)");
  call_of(m, call, sizeof call, 1);
  snprintf(sql, sizeof sql, "SELECT %s OVER (ORDER BY rn ROWS 2 PRECEDING) FROM w", call);
  snprintf(want, sizeof want, "%s: " PF_TOTAL_RANGE, m->name);
  ref_expect_error(db, sql, want);
  sqlite3_close(db);
}
END_TEST

/* ---- the ordered multiset against a sorted array ----------------------------------- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Checks count, sum, rank sum and the top-k sums of m against the values v[0..n). Values
** are small integers, so every exact sum is a double and must come out exactly. */
static void check_multiset(const pf_multiset *m, const double *v, int n) {
  double sorted[400], sum = 0, rank_sum = 0, top = 0;
  int i, k;
  memcpy(sorted, v, sizeof(double) * (size_t)n);
  qsort(sorted, (size_t)n, sizeof(double), cmp_double);
  for (i = 0; i < n; i++) {
    sum += sorted[i];
    rank_sum += (i + 1) * sorted[i];
  }
  ck_assert_int_eq(pf_multiset_count(m), n);
  ck_assert(pf_dd_value(pf_multiset_sum(m)) == sum);
  ck_assert(pf_dd_value(pf_multiset_rank_sum(m)) == rank_sum);
  for (k = 0; k <= n + 1; k++) {
    ck_assert_msg(pf_dd_value(pf_multiset_top_sum(m, k)) == top, "top %d of %d", k, n);
    if (k < n) top += sorted[n - 1 - k];
  }
}

START_TEST(multiset_matches_a_sorted_array) {
  pf_multiset m = {0};
  double v[400];
  int n = 0, step;
  unsigned seed = 99u;
  for (step = 0; step < 3000; step++) {
    unsigned r = ref_lcg(&seed);
    if (n < 400 && (n == 0 || r % 5 < 3)) {
      v[n] = 1 + (double)(ref_lcg(&seed) % 50); /* many repeats */
      ck_assert_int_eq(pf_multiset_add(&m, v[n], 1), PF_OK);
      n++;
    } else {
      int i = (int)(ref_lcg(&seed) % (unsigned)n);
      ck_assert_int_eq(pf_multiset_add(&m, v[i], -1), PF_OK);
      v[i] = v[--n];
    }
    if (step % 37 == 0) check_multiset(&m, v, n);
  }
  check_multiset(&m, v, n);
  ck_assert_int_eq(pf_multiset_add(&m, 12345.0, -1), PF_OK); /* absent: nothing */
  check_multiset(&m, v, n);
  pf_multiset_free(&m);
}
END_TEST

/* The same values in two orders give the same tree, so the same sums to the last bit. */
START_TEST(multiset_sums_do_not_depend_on_the_order) {
  pf_multiset a = {0}, b = {0};
  int i;
  for (i = 0; i < 1000; i++) {
    ck_assert_int_eq(pf_multiset_add(&a, 1.0 / (1 + i) + 0.1 * i, 1), PF_OK);
    ck_assert_int_eq(pf_multiset_add(&b, 1.0 / (1000 - i) + 0.1 * (999 - i), 1), PF_OK);
  }
  ck_assert(pf_multiset_sum(&a).hi == pf_multiset_sum(&b).hi &&
            pf_multiset_sum(&a).lo == pf_multiset_sum(&b).lo);
  ck_assert(pf_multiset_rank_sum(&a).hi == pf_multiset_rank_sum(&b).hi &&
            pf_multiset_rank_sum(&a).lo == pf_multiset_rank_sum(&b).lo);
  ck_assert(pf_multiset_top_sum(&a, 17).hi == pf_multiset_top_sum(&b, 17).hi);
  pf_multiset_free(&a);
  pf_multiset_free(&b);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("sliding");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 300);
  tcase_add_loop_test(tc, sliding_frames_match_the_one_pass_form, 0, pf_measure_count);
  tcase_add_test(tc, sliding_frames_of_integers_match_to_the_bit_for_hhi);
  tcase_add_test(tc, huge_integers_stay_exact);
  tcase_add_loop_test(tc, large_real_leaving_gives_the_right_answer, 0, pf_measure_count);
  tcase_add_loop_test(tc, extreme_totals_give_the_right_answer, 0, pf_measure_count);
  tcase_add_loop_test(tc, totals_at_the_multiset_bound_give_the_right_answer, 0,
                      pf_measure_count);
  tcase_add_loop_test(tc, total_beyond_the_double_range_is_the_error, 0, pf_measure_count);
  tcase_add_test(tc, multiset_matches_a_sorted_array);
  tcase_add_test(tc, multiset_sums_do_not_depend_on_the_order);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
