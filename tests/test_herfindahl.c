/*
** herfindahl(amount) and herfindahl(customer, amount): worked examples by hand, keyed vs
** pre-grouped on generated invoices (checked against agg_reference.h), row-order
** independence, and exact integer arithmetic near and past 2^63.
*/
#include "agg_reference.h"

START_TEST(worked_example_30_30_20_20_is_2600) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1,30),(2,30),(3,20),(4,20);");
  /* 30^2 + 30^2 + 20^2 + 20^2 = 2600 percentage points squared */
  pf_assert_near(pf_double(db, "SELECT herfindahl(amount) FROM c"), 2600.0, 1e-12);
  pf_assert_near(pf_double(db, "SELECT herfindahl(id, amount) FROM c"), 2600.0, 1e-12);
  sqlite3_close(db);
}
END_TEST

START_TEST(worked_example_as_invoices_and_scaled) {
  sqlite3 *db = pf_open();
  /* The same 30/30/20/20 portfolio split into invoices, with a credit note on customer 1:
  ** 1: 20+15-5 = 30, 2: 30, 3: 12+8 = 20, 4: 20 -> 2600 again. */
  pf_exec(db, "CREATE TABLE inv(cust, amount);"
              "INSERT INTO inv VALUES (1,20),(2,30),(3,12),(1,15),(4,20),(3,8),(1,-5);");
  pf_assert_near(pf_double(db, "SELECT herfindahl(cust, amount) FROM inv"), 2600.0, 1e-12);
  /* Shares only: 3000/3000/2000/2000 and 0.3/0.3/0.2/0.2 are the same portfolio. */
  pf_assert_near(pf_double(db, "SELECT herfindahl(column1) FROM "
                               "(VALUES (3000),(3000),(2000),(2000))"),
                 2600.0, 1e-12);
  pf_assert_near(pf_double(db, "SELECT herfindahl(column1) FROM (VALUES (0.3),(0.3),(0.2),(0.2))"),
                 2600.0, 1e-12);
  /* 50/30/20: 2500 + 900 + 400 = 3800 */
  pf_assert_near(pf_double(db, "SELECT herfindahl(column1) FROM (VALUES (50),(30),(20))"),
                 3800.0, 1e-12);
  sqlite3_close(db);
}
END_TEST

START_TEST(one_customer_is_10000) {
  sqlite3 *db = pf_open();
  /* One customer holds 100 %: 100^2 = 10000, whatever its size and however many rows. */
  ck_assert(pf_double(db, "SELECT herfindahl(42)") == 10000.0);
  ck_assert(pf_double(db, "SELECT herfindahl(0.001)") == 10000.0);
  ck_assert(pf_double(db, "SELECT herfindahl(column1) FROM (VALUES (7),(0),(-3),(NULL))") ==
            10000.0);
  ck_assert(pf_double(db, "SELECT herfindahl('acme', column1) FROM (VALUES (7),(5),(-3),(1.5))") ==
            10000.0);
  /* Other customers present but at or below zero do not count. */
  ck_assert(pf_double(db, "SELECT herfindahl(column1, column2) FROM "
                          "(VALUES (1, 10), (2, 5), (2, -5), (3, -1))") == 10000.0);
  sqlite3_close(db);
}
END_TEST

START_TEST(n_equal_customers_is_10000_over_n) {
  static const int ns[] = {1, 2, 3, 4, 7, 10, 64, 100, 1000, 4999};
  sqlite3 *db = pf_open();
  size_t k;
  pf_exec(db, "CREATE TABLE c(id INTEGER PRIMARY KEY, amount)");
  for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
    char sql[256];
    /* n customers of 1/n each: n * (100/n)^2 = 10000/n */
    double want = 10000.0 / ns[k];
    pf_exec(db, "DELETE FROM c");
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < %d) "
             "INSERT INTO c SELECT i, 1234.5 FROM s",
             ns[k]);
    pf_exec(db, sql);
    pf_assert_near(pf_double(db, "SELECT herfindahl(amount) FROM c"), want, 1e-12);
    /* keyed: each customer's 1234.5 split over two invoices, 1000 + 234.5 */
    pf_assert_near(pf_double(db, "SELECT herfindahl(id, a) FROM (SELECT id, 1000 a FROM c "
                                 "UNION ALL SELECT id, 234.5 FROM c)"),
                   want, 1e-12);
  }
  sqlite3_close(db);
}
END_TEST

/* 20k generated invoices over 1k customers: keyed == unkeyed over GROUP BY == reference. */
START_TEST(keyed_equals_pregrouped_generated) {
  sqlite3 *db = pf_open();
  ref_vals ref = {0, 0, 0};
  int count;
  ref_row *rows = ref_make_invoices(20000, 1000, 12345u, &count);
  double keyed, grouped, want;
  pf_exec(db, "CREATE TABLE inv(cust, amount)");
  ref_insert(db, "inv", rows, count, 1, 0);
  free(rows);
  /* the generator did make customers at and below zero */
  ck_assert_int_ge(pf_int(db, "SELECT count(*) FROM (SELECT sum(amount) t FROM inv "
                              "GROUP BY cust HAVING t < 0)"),
                   20);
  ck_assert_int_ge(pf_int(db, "SELECT count(*) FROM (SELECT sum(amount) t FROM inv "
                              "GROUP BY cust HAVING t = 0)"),
                   20);
  ref_collect(db, "SELECT sum(amount) FROM inv GROUP BY cust", &ref);
  ck_assert_int_gt(ref.n, 900);
  want = ref_hhi(&ref);
  keyed = pf_double(db, "SELECT herfindahl(cust, amount) FROM inv");
  grouped = pf_double(db, "SELECT herfindahl(t) FROM (SELECT sum(amount) t FROM inv "
                          "GROUP BY cust)");
  ref_assert_rel(keyed, want, 1e-9);
  ref_assert_rel(grouped, want, 1e-9);
  ref_assert_rel(keyed, grouped, 1e-9);
  ref_free(&ref);
  sqlite3_close(db);
}
END_TEST

/* The same rows inserted in three different orders, plus ORDER BY in a subquery. */
START_TEST(row_order_does_not_matter) {
  sqlite3 *db = pf_open();
  int count, k;
  ref_row *rows = ref_make_invoices(20000, 1000, 777u, &count);
  double first_keyed = 0, first_plain = 0;
  const char *tables[] = {"a", "b", "c"};
  int strides[3];
  strides[0] = 1;
  strides[1] = ref_coprime_stride(count, 7919);
  strides[2] = ref_coprime_stride(count, count / 2 + 1);
  for (k = 0; k < 3; k++) {
    char sql[200];
    double keyed, plain;
    snprintf(sql, sizeof sql, "CREATE TABLE %s(cust, amount)", tables[k]);
    pf_exec(db, sql);
    ref_insert(db, tables[k], rows, count, strides[k], k * 31);
    snprintf(sql, sizeof sql, "SELECT herfindahl(cust, amount) FROM %s", tables[k]);
    keyed = pf_double(db, sql);
    /* unkeyed over the rows themselves (each row a "customer"), in table order */
    snprintf(sql, sizeof sql, "SELECT herfindahl(amount) FROM %s", tables[k]);
    plain = pf_double(db, sql);
    if (k == 0) {
      first_keyed = keyed, first_plain = plain;
    } else {
      /* integer and quarter amounts: every sum is exact, so the results are identical */
      ck_assert_msg(keyed == first_keyed, "keyed %.17g vs %.17g", keyed, first_keyed);
      ck_assert_msg(plain == first_plain, "plain %.17g vs %.17g", plain, first_plain);
    }
  }
  free(rows);
  /* Amounts with no exact binary form (cents), fed in ascending and descending order. */
  pf_exec(db, "CREATE TABLE cents AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 "
              "FROM s WHERE i < 5000) SELECT i % 97 AS cust, (i * 7919 % 100003) / 100.0 AS "
              "amount FROM s");
  {
    double up = pf_double(db, "SELECT herfindahl(amount) FROM (SELECT amount FROM cents "
                              "ORDER BY amount)");
    double down = pf_double(db, "SELECT herfindahl(amount) FROM (SELECT amount FROM cents "
                                "ORDER BY amount DESC)");
    double kup = pf_double(db, "SELECT herfindahl(cust, amount) FROM (SELECT * FROM cents "
                               "ORDER BY amount)");
    double kdown = pf_double(db, "SELECT herfindahl(cust, amount) FROM (SELECT * FROM cents "
                                 "ORDER BY cust DESC, amount DESC)");
    ref_assert_rel(up, down, 1e-15);
    ref_assert_rel(kup, kdown, 1e-15);
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(two_equal_huge_integers_are_exactly_5000) {
  sqlite3 *db = pf_open();
  /* 2^62 each: sum 2^63 (past int64), squares 2^124; 10000 * 2^125 / 2^126 = 5000 exactly */
  ck_assert(pf_double(db, "SELECT herfindahl(column1) FROM (VALUES (4611686018427387904), "
                          "(4611686018427387904))") == 5000.0);
  ck_assert(pf_double(db, "SELECT herfindahl(column1, column2) FROM (VALUES "
                          "(1, 4611686018427387904), (2, 4611686018427387904))") == 5000.0);
  /* int64 max each: (2^63-1)^2 * 2 still fits the 128-bit exact sum */
  ck_assert(pf_double(db, "SELECT herfindahl(column1) FROM (VALUES (9223372036854775807), "
                          "(9223372036854775807))") == 5000.0);
  /* 2^62 + 1 and 2^62 - 1: not equal, but the difference is far below a double's reach:
  ** HHI = 10000 * (2 * 2^124 + 2) / 2^126 = 5000 + tiny */
  pf_assert_near(pf_double(db, "SELECT herfindahl(column1) FROM (VALUES (4611686018427387905), "
                               "(4611686018427387903))"),
                 5000.0, 1e-15);
  sqlite3_close(db);
}
END_TEST

START_TEST(sums_past_int64_do_not_wrap) {
  sqlite3 *db = pf_open();
  /* Customer 1: three rows of 2^62 = 3 * 2^62 (past int64 max); customer 2: 2^62.
  ** Shares 3/4 and 1/4: 5625 + 625 = 6250. A wrapped total would be negative (dropped)
  ** and give 10000. */
  pf_exec(db, "CREATE TABLE inv(cust, amount);"
              "INSERT INTO inv VALUES (1, 4611686018427387904), (1, 4611686018427387904),"
              "(1, 4611686018427387904), (2, 4611686018427387904);");
  pf_assert_near(pf_double(db, "SELECT herfindahl(cust, amount) FROM inv"), 6250.0, 1e-15);
  /* Customer 1 = 2 * (2^63 - 1), customer 2 = 2^63 - 1: shares 2/3, 1/3 -> 50000/9 */
  pf_exec(db, "DELETE FROM inv; INSERT INTO inv VALUES (1, 9223372036854775807),"
              "(2, 9223372036854775807), (1, 9223372036854775807);");
  pf_assert_near(pf_double(db, "SELECT herfindahl(cust, amount) FROM inv"), 50000.0 / 9, 1e-15);
  /* ... and back down: a credit note of -(2^63 - 1) leaves 1 and 1: 5000 */
  pf_exec(db, "INSERT INTO inv VALUES (1, -9223372036854775807)");
  pf_assert_near(pf_double(db, "SELECT herfindahl(cust, amount) FROM inv"), 5000.0, 1e-15);
  /* unkeyed: three customers of 2^63 - 1 each, the total 3 * (2^63-1) past int64: 10000/3 */
  pf_assert_near(pf_double(db, "SELECT herfindahl(amount) FROM (SELECT 9223372036854775807 "
                               "amount UNION ALL SELECT 9223372036854775807 UNION ALL "
                               "SELECT 9223372036854775807)"),
                 10000.0 / 3, 1e-15);
  sqlite3_close(db);
}
END_TEST

START_TEST(exact_small_integer_portfolio_is_exact) {
  sqlite3 *db = pf_open();
  /* Integer amounts that cancel almost entirely: 10^15 + 1 and -10^15 for customer 1
  ** leave exactly 1; customer 2 holds 1. A double sum of 1e15+1-1e15 is exact too, but
  ** the keyed HHI must be exactly 5000, not 5000 +- rounding. */
  ck_assert(pf_double(db, "SELECT herfindahl(column1, column2) FROM (VALUES "
                          "(1, 1000000000000001), (2, 1), (1, -1000000000000000))") == 5000.0);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("herfindahl");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, worked_example_30_30_20_20_is_2600);
  tcase_add_test(tc, worked_example_as_invoices_and_scaled);
  tcase_add_test(tc, one_customer_is_10000);
  tcase_add_test(tc, n_equal_customers_is_10000_over_n);
  tcase_add_test(tc, keyed_equals_pregrouped_generated);
  tcase_add_test(tc, row_order_does_not_matter);
  tcase_add_test(tc, two_equal_huge_integers_are_exactly_5000);
  tcase_add_test(tc, sums_past_int64_do_not_wrap);
  tcase_add_test(tc, exact_small_integer_portfolio_is_exact);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
