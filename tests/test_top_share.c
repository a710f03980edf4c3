/*
** top_share(amount, n) and top_share(customer, amount, n): worked examples by hand, ties,
** n at and above the customer count, every error case for n, keyed vs pre-grouped on
** generated invoices (checked against agg_reference.h) and row-order independence.
*/
#include "agg_reference.h"

START_TEST(worked_example_50_30_20) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1,50),(2,30),(3,20);");
  /* total 100: top 1 = 50 -> 0.5; top 2 = 80 -> 0.8 */
  pf_assert_near(pf_double(db, "SELECT top_share(amount, 1) FROM c"), 0.5, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(amount, 2) FROM c"), 0.8, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(id, amount, 1) FROM c"), 0.5, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(id, amount, 2) FROM c"), 0.8, 1e-15);
  /* invoices: 1 = 20+30, 2 = 10+25-5, 3 = 20 -> same 50/30/20 */
  pf_exec(db, "CREATE TABLE inv(cust, amount); INSERT INTO inv VALUES "
              "(2,10),(1,20),(3,20),(2,25),(1,30),(2,-5);");
  pf_assert_near(pf_double(db, "SELECT top_share(cust, amount, 2) FROM inv"), 0.8, 1e-15);
  /* the largest customer need not come first: 1,2,3,4,90 -> top 1 = 90/100 */
  pf_assert_near(pf_double(db, "SELECT top_share(column1, 1) FROM "
                               "(VALUES (1),(2),(3),(4),(90))"),
                 0.9, 1e-15);
  /* top 3 of 1..10 (total 55): 10+9+8 = 27 */
  pf_assert_near(pf_double(db, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s "
                               "WHERE i < 10) SELECT top_share(i, 3) FROM s"),
                 27.0 / 55.0, 1e-15);
  sqlite3_close(db);
}
END_TEST

START_TEST(n_at_or_above_customer_count_is_one) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1,50),(2,30),(3,20),(4,-7);");
  /* three positive customers: n = 3, 4, 1000, int64 max all hold everything */
  ck_assert(pf_double(db, "SELECT top_share(amount, 3) FROM c") == 1.0);
  ck_assert(pf_double(db, "SELECT top_share(amount, 4) FROM c") == 1.0);
  ck_assert(pf_double(db, "SELECT top_share(amount, 1000) FROM c") == 1.0);
  ck_assert(pf_double(db, "SELECT top_share(amount, 9223372036854775807) FROM c") == 1.0);
  ck_assert(pf_double(db, "SELECT top_share(id, amount, 3) FROM c") == 1.0);
  ck_assert(pf_double(db, "SELECT top_share(id, amount, 1000000) FROM c") == 1.0);
  /* one customer: 1.0 for any n */
  ck_assert(pf_double(db, "SELECT top_share(5, 1)") == 1.0);
  ck_assert(pf_double(db, "SELECT top_share('x', 5, 2)") == 1.0);
  sqlite3_close(db);
}
END_TEST

START_TEST(ties) {
  sqlite3 *db = pf_open();
  /* 10,10,10,5 (total 35): whichever 10 is picked, top 1 = 10/35, top 2 = 20/35,
  ** top 3 = 30/35 */
  pf_exec(db, "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1,10),(2,10),(3,5),(4,10);");
  pf_assert_near(pf_double(db, "SELECT top_share(amount, 1) FROM c"), 10.0 / 35, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(amount, 2) FROM c"), 20.0 / 35, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(amount, 3) FROM c"), 30.0 / 35, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(id, amount, 2) FROM c"), 20.0 / 35, 1e-15);
  /* all equal: top n of m equal customers = n/m */
  pf_assert_near(pf_double(db, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s "
                               "WHERE i < 300) SELECT top_share(i % 100, 2.5, 7) FROM s"),
                 7.0 / 100, 1e-14);
  /* ties at the cut between the n-th and (n+1)-th: 9,5,5,1 -> top 2 = 14/20 */
  pf_assert_near(pf_double(db, "SELECT top_share(column1, 2) FROM (VALUES (5),(1),(5),(9))"),
                 0.7, 1e-15);
  sqlite3_close(db);
}
END_TEST

START_TEST(n_accepts_integral_forms) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1,50),(2,30),(3,20);");
  /* 2.0 and '2' and ' 2 ' are the integer 2: 0.8 */
  pf_assert_near(pf_double(db, "SELECT top_share(amount, 2.0) FROM c"), 0.8, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(amount, '2') FROM c"), 0.8, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(id, amount, ' 2 ') FROM c"), 0.8, 1e-15);
  /* n from a column, the same on every row */
  pf_assert_near(pf_double(db, "SELECT top_share(amount, id - id + 1) FROM c"), 0.5, 1e-15);
  sqlite3_close(db);
}
END_TEST

START_TEST(bad_n_is_an_error) {
  static const struct {
    const char *n, *got;
  } cases[] = {{"0", "0"},         {"-1", "-1"},       {"1.5", "1.5"},   {"'abc'", "'abc'"},
               {"NULL", "NULL"},   {"''", "''"},       {"-2.0", "-2.0"}, {"x'01'", "a BLOB of 1 byte"},
               {"1e999", "Inf"},   {"'1e999'", "'1e999'"}};
  sqlite3 *db = pf_open();
  size_t i;
  pf_exec(db, "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1,50),(2,30);");
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char sql[200], want[200];
    snprintf(want, sizeof want, "top_share: n must be a positive integer, got %s", cases[i].got);
    snprintf(sql, sizeof sql, "SELECT top_share(amount, %s) FROM c", cases[i].n);
    pf_expect_error(db, sql, want);
    snprintf(sql, sizeof sql, "SELECT top_share(id, amount, %s) FROM c", cases[i].n);
    pf_expect_error(db, sql, want);
    /* a bad n is an error even when the amount is NULL */
    snprintf(sql, sizeof sql, "SELECT top_share(NULL, %s)", cases[i].n);
    pf_expect_error(db, sql, want);
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(n_changing_between_rows_is_an_error) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE c(id INTEGER PRIMARY KEY, amount); "
              "INSERT INTO c VALUES (1,50),(2,30),(3,20);");
  pf_expect_error(db, "SELECT top_share(amount, id) FROM (SELECT * FROM c ORDER BY id)",
                  "top_share: n must be the same on every row, got 2 after 1");
  pf_expect_error(db, "SELECT top_share(id, amount, 4 - id) FROM (SELECT * FROM c ORDER BY id)",
                  "top_share: n must be the same on every row, got 2 after 3");
  /* 2 and 2.0 are the same n */
  pf_assert_near(pf_double(db, "SELECT top_share(amount, CASE id WHEN 1 THEN 2 ELSE 2.0 END) "
                               "FROM c"),
                 0.8, 1e-15);
  sqlite3_close(db);
}
END_TEST

START_TEST(empty_and_nonpositive_inputs_are_null) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE c(id, amount)");
  ck_assert_int_eq(pf_type(db, "SELECT top_share(amount, 1) FROM c"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT top_share(id, amount, 1) FROM c"), SQLITE_NULL);
  pf_exec(db, "INSERT INTO c VALUES (1, 0), (2, -5), (3, NULL), (1, -1), (3, 3), (3, -3)");
  /* unkeyed: each row a customer, so leave out the one positive row */
  ck_assert_int_eq(pf_type(db, "SELECT top_share(amount, 1) FROM c WHERE amount IS NOT 3"),
                   SQLITE_NULL);
  /* keyed: 1 nets -1, 2 nets -5, 3 nets 0 */
  ck_assert_int_eq(pf_type(db, "SELECT top_share(id, amount, 1) FROM c"), SQLITE_NULL);
  /* one positive customer among non-positive ones holds everything */
  pf_exec(db, "INSERT INTO c VALUES (9, 4)");
  ck_assert(pf_double(db, "SELECT top_share(amount, 1) FROM c WHERE amount IS NOT 3") == 1.0);
  ck_assert(pf_double(db, "SELECT top_share(id, amount, 1) FROM c") == 1.0);
  sqlite3_close(db);
}
END_TEST

START_TEST(keyed_equals_pregrouped_generated) {
  static const int ns[] = {1, 2, 5, 10, 50, 500, 940, 1000, 5000};
  sqlite3 *db = pf_open();
  ref_vals ref = {0, 0, 0};
  int count;
  size_t k;
  ref_row *rows = ref_make_invoices(20000, 1000, 4242u, &count);
  pf_exec(db, "CREATE TABLE inv(cust, amount)");
  ref_insert(db, "inv", rows, count, 1, 0);
  free(rows);
  ref_collect(db, "SELECT sum(amount) FROM inv GROUP BY cust", &ref);
  ck_assert_int_gt(ref.n, 900);
  ck_assert_int_lt(ref.n, 1000); /* some customers net <= 0 */
  for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
    char sql[200];
    double want = ref_top_share(&ref, ns[k]), keyed, grouped;
    snprintf(sql, sizeof sql, "SELECT top_share(cust, amount, %d) FROM inv", ns[k]);
    keyed = pf_double(db, sql);
    snprintf(sql, sizeof sql,
             "SELECT top_share(t, %d) FROM (SELECT sum(amount) t FROM inv GROUP BY cust)", ns[k]);
    grouped = pf_double(db, sql);
    ref_assert_rel(keyed, want, 1e-9);
    ref_assert_rel(grouped, want, 1e-9);
    ref_assert_rel(keyed, grouped, 1e-9);
    if (ns[k] >= ref.n) ck_assert(keyed == 1.0 && grouped == 1.0);
  }
  ref_free(&ref);
  sqlite3_close(db);
}
END_TEST

START_TEST(row_order_does_not_matter) {
  sqlite3 *db = pf_open();
  int count, k;
  ref_row *rows = ref_make_invoices(20000, 1000, 99u, &count);
  double first[4] = {0, 0, 0, 0};
  const char *tables[] = {"a", "b", "c"};
  int strides[3];
  strides[0] = 1;
  strides[1] = ref_coprime_stride(count, 7919);
  strides[2] = ref_coprime_stride(count, count - 3);
  for (k = 0; k < 3; k++) {
    char sql[200];
    double got[4];
    int j;
    snprintf(sql, sizeof sql, "CREATE TABLE %s(cust, amount)", tables[k]);
    pf_exec(db, sql);
    ref_insert(db, tables[k], rows, count, strides[k], 5 * k);
    for (j = 0; j < 4; j++) {
      /* j = 0, 1: keyed with n = 10, 100; j = 2, 3: each row its own customer */
      snprintf(sql, sizeof sql, j < 2 ? "SELECT top_share(cust, amount, %d) FROM %s"
                                      : "SELECT top_share(amount, %d) FROM %s",
               j % 2 ? 100 : 10, tables[k]);
      got[j] = pf_double(db, sql);
      if (k == 0)
        first[j] = got[j];
      else /* exact inputs: identical results */
        ck_assert_msg(got[j] == first[j], "form %d: %.17g vs %.17g", j, got[j], first[j]);
    }
  }
  free(rows);
  /* cents (no exact binary form) in ascending and descending order */
  pf_exec(db, "CREATE TABLE cents AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 "
              "FROM s WHERE i < 5000) SELECT i % 97 AS cust, (i * 7919 % 100003) / 100.0 AS "
              "amount FROM s");
  ref_assert_rel(pf_double(db, "SELECT top_share(amount, 20) FROM (SELECT amount FROM cents "
                               "ORDER BY amount)"),
                 pf_double(db, "SELECT top_share(amount, 20) FROM (SELECT amount FROM cents "
                               "ORDER BY amount DESC)"),
                 1e-15);
  ref_assert_rel(pf_double(db, "SELECT top_share(cust, amount, 9) FROM (SELECT * FROM cents "
                               "ORDER BY amount)"),
                 pf_double(db, "SELECT top_share(cust, amount, 9) FROM (SELECT * FROM cents "
                               "ORDER BY cust DESC, amount DESC)"),
                 1e-15);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("top_share");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, worked_example_50_30_20);
  tcase_add_test(tc, n_at_or_above_customer_count_is_one);
  tcase_add_test(tc, ties);
  tcase_add_test(tc, n_accepts_integral_forms);
  tcase_add_test(tc, bad_n_is_an_error);
  tcase_add_test(tc, n_changing_between_rows_is_an_error);
  tcase_add_test(tc, empty_and_nonpositive_inputs_are_null);
  tcase_add_test(tc, keyed_equals_pregrouped_generated);
  tcase_add_test(tc, row_order_does_not_matter);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
