/*
** auc(score, outcome) and lift(score, outcome, fraction) (ext/sqlite/ranking.c,
** ext/core/core_ranking.c): hand-worked examples with ties, row-order independence,
** the NULL rules and every error. (tests/ranking_reference.test.sh compares with
** scikit-learn and a Fraction implementation on random data.)
*/
#include "testing.h"

static sqlite3 *db;
static void setup(void) {
  db = pf_open();
  /* 10 accounts, 4 with outcome 1; ties at 4 (1 positive, 2 negatives), 1 and 0 */
  pf_exec(db, "CREATE TABLE h(s, o);"
              "INSERT INTO h VALUES (5, 1), (4, 1), (4, 0), (4, 0), (3, 0), (2, 1), (1, 0),"
              " (1, 0), (0, 0), (0, 1);");
}
static void teardown(void) { sqlite3_close(db); }

/* Positives 5, 4, 2, 0 against negatives 4, 4, 3, 1, 1, 0 (24 pairs), ties one half:
** 5 beats 6; 4 beats 4 and ties 2 (5); 2 beats 3; 0 ties 1 (0.5): 14.5 / 24 = 29/48. */
START_TEST(auc_hand_worked_with_ties) {
  ck_assert(pf_double(db, "SELECT auc(s, o) FROM h") == 29.0 / 48.0);
  /* a perfect and a reversed score */
  ck_assert(pf_double(db, "SELECT auc(o, o) FROM h") == 1.0);
  ck_assert(pf_double(db, "SELECT auc(-o, o) FROM h") == 0.0);
  /* a constant score: every pair ties */
  ck_assert(pf_double(db, "SELECT auc(7, o) FROM h") == 0.5);
  /* numeric TEXT and integral REAL outcomes read as numbers; -0.0 ties with 0 */
  ck_assert(pf_double(db, "SELECT auc(CAST(s AS TEXT), o * 1.0) FROM h") == 29.0 / 48.0);
  ck_assert(pf_double(db, "SELECT auc(column1, column2) FROM (VALUES (-0.0, 1), (0, 0))") ==
            0.5);
}
END_TEST

/* Lift at 0.2 takes 2 rows: 5 (positive), then 1 of the 3 rows tied at 4, of which 1 is
** positive: 1 + 1/3 positives in 2 rows, rate 2/3 against 4/10: 5/3. */
START_TEST(lift_hand_worked_with_ties_at_the_cut) {
  pf_assert_near(pf_double(db, "SELECT lift(s, o, 0.2) FROM h"), 5.0 / 3.0, 1e-15);
  ck_assert(pf_double(db, "SELECT lift(s, o, 0.1) FROM h") == 2.5); /* the top row: 1/0.4 */
  ck_assert(pf_double(db, "SELECT lift(s, o, 1) FROM h") == 1.0);
  /* 0.4 takes 4 rows, 5 and the three 4s: 2 positives, rate 0.5 against 0.4 */
  ck_assert(pf_double(db, "SELECT lift(s, o, 0.4) FROM h") == 1.25);
  /* 0.5: 5 rows, the next group (3) has no positive: 2 / 5 / 0.4 = 1 */
  pf_assert_near(pf_double(db, "SELECT lift(s, o, 0.5) FROM h"), 1.0, 1e-15);
  /* fraction as numeric TEXT */
  ck_assert(pf_double(db, "SELECT lift(s, o, '0.1') FROM h") == 2.5);
}
END_TEST

/* Every order of the rows gives the same bits: 20 shuffles of 3,000 rows in 37 ties. */
START_TEST(results_do_not_depend_on_row_order) {
  double auc0, lift0;
  int k;
  pf_exec(db, "CREATE TABLE r(s, o);"
              "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000)"
              " INSERT INTO r SELECT (x * 7919) % 37 / 4.0, (x * 104729) % 11 < 4 FROM n;");
  auc0 = pf_double(db, "SELECT auc(s, o) FROM (SELECT * FROM r ORDER BY s, o)");
  lift0 = pf_double(db, "SELECT lift(s, o, 0.1) FROM (SELECT * FROM r ORDER BY s, o)");
  for (k = 0; k < 20; k++) {
    ck_assert(pf_double(db, "SELECT auc(s, o) FROM (SELECT * FROM r ORDER BY random())") ==
              auc0);
    ck_assert(pf_double(db, "SELECT lift(s, o, 0.1) FROM (SELECT * FROM r ORDER BY random())") ==
              lift0);
  }
  ck_assert(pf_double(db, "SELECT auc(s, o) FROM (SELECT * FROM r ORDER BY s DESC, o DESC)") ==
            auc0);
}
END_TEST

START_TEST(null_rules) {
  /* NULL or '' score or outcome skips the row */
  pf_exec(db, "INSERT INTO h VALUES (NULL, 1), (100, NULL), ('', 0), (-100, '')");
  ck_assert(pf_double(db, "SELECT auc(s, o) FROM h") == 29.0 / 48.0);
  pf_assert_near(pf_double(db, "SELECT lift(s, o, 0.2) FROM h"), 5.0 / 3.0, 1e-15);
  /* no rows, or one outcome only: NULL */
  ck_assert_int_eq(pf_type(db, "SELECT auc(s, o) FROM h WHERE 0"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT auc(s, o) FROM h WHERE o = 1"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT auc(s, o) FROM h WHERE o = 0"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT lift(s, o, 0.5) FROM h WHERE 0"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT lift(s, o, 0.5) FROM h WHERE o = 0"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT lift(s, o, 0.5) FROM h WHERE o = 1"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT auc(NULL, NULL)"), SQLITE_NULL);
}
END_TEST

START_TEST(errors_name_function_argument_and_value) {
  pf_expect_error(db, "SELECT auc(1, 2)", "auc: outcome must be 0 or 1, got 2");
  pf_expect_error(db, "SELECT auc(1, 0.5)", "auc: outcome must be 0 or 1, got 0.5");
  pf_expect_error(db, "SELECT auc(1, -1)", "auc: outcome must be 0 or 1, got -1");
  pf_expect_error(db, "SELECT auc(1, 'yes')", "auc: outcome must be 0 or 1, got 'yes'");
  pf_expect_error(db, "SELECT auc(1, x'01')", "auc: outcome must be 0 or 1, got a BLOB of 1 byte");
  pf_expect_error(db, "SELECT auc('high', 1)", "auc: score must be a finite number, got 'high'");
  pf_expect_error(db, "SELECT auc(1e999, 1)", "auc: score must be a finite number, got Inf");
  pf_expect_error(db, "SELECT auc(s, o + 1) FROM h", "auc: outcome must be 0 or 1, got 2");
  pf_expect_error(db, "SELECT lift(1, 3, 0.1)", "lift: outcome must be 0 or 1, got 3");
  pf_expect_error(db, "SELECT lift('x', 1, 0.1)", "lift: score must be a finite number, got 'x'");
  pf_expect_error(db, "SELECT lift(1, 1, 0)",
                  "lift: fraction must be a number > 0 and <= 1, got 0");
  pf_expect_error(db, "SELECT lift(1, 1, 1.5)",
                  "lift: fraction must be a number > 0 and <= 1, got 1.5");
  pf_expect_error(db, "SELECT lift(1, 1, -0.1)",
                  "lift: fraction must be a number > 0 and <= 1, got -0.1");
  pf_expect_error(db, "SELECT lift(1, 1, NULL)",
                  "lift: fraction must be a number > 0 and <= 1, got NULL");
  pf_expect_error(db, "SELECT lift(1, 1, 'a tenth')",
                  "lift: fraction must be a number > 0 and <= 1, got 'a tenth'");
  pf_expect_error(db, "SELECT lift(s, o, CASE WHEN s > 3 THEN 0.1 ELSE 0.2 END) FROM h",
                  "lift: fraction must be the same on every row, got 0.1 then 0.2");
  /* the fraction is checked on skipped rows too */
  pf_expect_error(db, "SELECT lift(NULL, NULL, 2)",
                  "lift: fraction must be a number > 0 and <= 1, got 2");
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("ranking");
  TCase *tc = tcase_create("auc_lift");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, auc_hand_worked_with_ties);
  tcase_add_test(tc, lift_hand_worked_with_ties_at_the_cut);
  tcase_add_test(tc, results_do_not_depend_on_row_order);
  tcase_add_test(tc, null_rules);
  tcase_add_test(tc, errors_name_function_argument_and_value);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
