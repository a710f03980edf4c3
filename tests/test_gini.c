/*
** gini(amount) and gini(customer, amount): small cases worked out by hand, keyed vs
** pre-grouped on generated invoices (checked against the pairwise formula in
** agg_reference.h), and row-order independence.
**
** Hand arithmetic uses the mean-absolute-difference form, independent of the sorted-rank
** formula in ext/core_measures.c:
**   G = sum over all ordered pairs (i, j) of |x_i - x_j|  /  (2 * n^2 * mean)
*/
#include "agg_reference.h"

START_TEST(all_equal_is_zero) {
  sqlite3 *db = pf_open();
  /* [1,1,1,1]: every |x_i - x_j| is 0 -> G = 0 */
  ck_assert(pf_double(db, "SELECT gini(column1) FROM (VALUES (1),(1),(1),(1))") == 0.0);
  ck_assert(pf_double(db, "SELECT gini(column1) FROM (VALUES (2.5),(2.5),(2.5))") == 0.0);
  /* keyed: 4 customers of 3 each, built from different invoices: 1+2, 3, 4-1, 5-2 */
  ck_assert(pf_double(db, "SELECT gini(column1, column2) FROM (VALUES (1,1),(2,3),(1,2),"
                          "(3,4),(4,5),(3,-1),(4,-2))") == 0.0);
  sqlite3_close(db);
}
END_TEST

START_TEST(one_customer_is_zero) {
  sqlite3 *db = pf_open();
  /* [0,0,0,10]: zeros hold no share and are left out -> one customer -> 0 */
  ck_assert(pf_double(db, "SELECT gini(column1) FROM (VALUES (0),(0),(0),(10))") == 0.0);
  /* [10, -4, NULL, 0] likewise */
  ck_assert(pf_double(db, "SELECT gini(column1) FROM (VALUES (10),(-4),(NULL),(0))") == 0.0);
  ck_assert(pf_double(db, "SELECT gini(7)") == 0.0);
  /* keyed: customer 2 nets to 0 and customer 3 to -1, leaving only customer 1 */
  ck_assert(pf_double(db, "SELECT gini(column1, column2) FROM (VALUES (1,10),(2,5),(2,-5),"
                          "(3,1),(3,-2),(1,4))") == 0.0);
  sqlite3_close(db);
}
END_TEST

START_TEST(one_two_three_four_is_a_quarter) {
  sqlite3 *db = pf_open();
  /* [1,2,3,4]: n = 4, mean 2.5. Ordered pairs: |1-2|,|1-3|,|1-4| = 1+2+3 = 6;
  ** |2-3|,|2-4| = 1+2 = 3; |3-4| = 1; total 10 each way -> 20.
  ** G = 20 / (2 * 16 * 2.5) = 20 / 80 = 0.25 */
  pf_assert_near(pf_double(db, "SELECT gini(column1) FROM (VALUES (3),(1),(4),(2))"), 0.25,
                 1e-15);
  /* the same with zero and negative customers mixed in: they are left out */
  pf_assert_near(pf_double(db, "SELECT gini(column1) FROM (VALUES (3),(0),(1),(-9),(4),(2))"),
                 0.25, 1e-15);
  /* keyed from invoices: 1 = 0.5+0.5, 2 = 2, 3 = 5-2, 4 = 4, 5 = 1-1 (dropped) */
  pf_assert_near(pf_double(db, "SELECT gini(column1, column2) FROM (VALUES (1,0.5),(2,2),"
                               "(3,5),(4,4),(1,0.5),(3,-2),(5,1),(5,-1))"),
                 0.25, 1e-15);
  /* scale does not matter: [100,200,300,400] */
  pf_assert_near(pf_double(db, "SELECT gini(column1 * 100) FROM (VALUES (1),(2),(3),(4))"),
                 0.25, 1e-15);
  sqlite3_close(db);
}
END_TEST

START_TEST(other_small_cases) {
  sqlite3 *db = pf_open();
  /* [1,3]: pairs |1-3| twice = 4; mean 2; G = 4 / (2 * 4 * 2) = 0.25 */
  pf_assert_near(pf_double(db, "SELECT gini(column1) FROM (VALUES (1),(3))"), 0.25, 1e-15);
  /* [1,9]: pairs 8 twice = 16; mean 5; G = 16 / (2 * 4 * 5) = 0.4 */
  pf_assert_near(pf_double(db, "SELECT gini(column1) FROM (VALUES (9),(1))"), 0.4, 1e-15);
  /* [1,2,3,4,10]: sum 20, mean 4. Pair sums (one way): from 1: 1+2+3+9 = 15; from 2:
  ** 1+2+8 = 11; from 3: 1+7 = 8; from 4: 6. Total 40, both ways 80.
  ** G = 80 / (2 * 25 * 4) = 0.4 */
  pf_assert_near(pf_double(db, "SELECT gini(column1) FROM (VALUES (1),(2),(3),(4),(10))"), 0.4,
                 1e-15);
  /* [1,1,1,1,1,1,1,1,1,91] (n = 10, sum 100, mean 10): each of 9 small ones differs from
  ** 91 by 90: 9 * 90 = 810 one way, 1620 both ways. G = 1620 / (2 * 100 * 10) = 0.81 */
  pf_assert_near(pf_double(db, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s "
                               "WHERE i < 10) SELECT gini(CASE i WHEN 10 THEN 91 ELSE 1 END) "
                               "FROM s"),
                 0.81, 1e-14);
  /* n-1 customers with 1e-9 and one with 1: G -> (n-1)/n; n = 4: pairs 3 * (1 - 1e-9)
  ** twice = 6(1-1e-9); mean (1 + 3e-9)/4; G = 6(1-1e-9) / (32 (1+3e-9)/4)
  ** = 0.75 (1-1e-9) / (1+3e-9) */
  pf_assert_near(pf_double(db, "SELECT gini(column1) FROM (VALUES (1e-9),(1),(1e-9),(1e-9))"),
                 0.75 * (1 - 1e-9) / (1 + 3e-9), 1e-14);
  sqlite3_close(db);
}
END_TEST

START_TEST(empty_and_nonpositive_inputs_are_null) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE c(id, amount)");
  ck_assert_int_eq(pf_type(db, "SELECT gini(amount) FROM c"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT gini(id, amount) FROM c"), SQLITE_NULL);
  pf_exec(db, "INSERT INTO c VALUES (1, 0), (2, -5), (NULL, 7), (3, NULL), (4, 3), (4, -3)");
  /* unkeyed: 0, -5, -3 and NULL hold nothing, leaving 7 and 3 -> not NULL, but without
  ** those two rows nothing is left */
  ck_assert_int_eq(pf_type(db, "SELECT gini(amount) FROM c WHERE amount NOT IN (7, 3)"),
                   SQLITE_NULL);
  /* keyed: NULL key skipped; 1 -> 0, 2 -> -5, 4 -> 0 */
  ck_assert_int_eq(pf_type(db, "SELECT gini(id, amount) FROM c"), SQLITE_NULL);
  sqlite3_close(db);
}
END_TEST

START_TEST(keyed_equals_pregrouped_generated) {
  sqlite3 *db = pf_open();
  ref_vals ref = {0, 0, 0};
  int count;
  ref_row *rows = ref_make_invoices(20000, 1000, 2024u, &count);
  double keyed, grouped, want;
  pf_exec(db, "CREATE TABLE inv(cust, amount)");
  ref_insert(db, "inv", rows, count, 1, 0);
  free(rows);
  ref_collect(db, "SELECT sum(amount) FROM inv GROUP BY cust", &ref);
  ck_assert_int_gt(ref.n, 900);
  ck_assert_int_lt(ref.n, 1000);
  want = ref_gini(&ref);
  ck_assert(want > 0.1 && want < 0.9); /* the generator's skew makes a real spread */
  keyed = pf_double(db, "SELECT gini(cust, amount) FROM inv");
  grouped = pf_double(db, "SELECT gini(t) FROM (SELECT sum(amount) t FROM inv GROUP BY cust)");
  ref_assert_rel(keyed, want, 1e-9);
  ref_assert_rel(grouped, want, 1e-9);
  ref_assert_rel(keyed, grouped, 1e-9);
  ref_free(&ref);
  sqlite3_close(db);
}
END_TEST

START_TEST(row_order_does_not_matter) {
  sqlite3 *db = pf_open();
  int count, k;
  ref_row *rows = ref_make_invoices(20000, 1000, 31337u, &count);
  double first_keyed = 0, first_plain = 0;
  const char *tables[] = {"a", "b", "c"};
  int strides[3];
  strides[0] = 1;
  strides[1] = ref_coprime_stride(count, 104729);
  strides[2] = ref_coprime_stride(count, count / 3);
  for (k = 0; k < 3; k++) {
    char sql[200];
    double keyed, plain;
    snprintf(sql, sizeof sql, "CREATE TABLE %s(cust, amount)", tables[k]);
    pf_exec(db, sql);
    ref_insert(db, tables[k], rows, count, strides[k], 17 * k);
    snprintf(sql, sizeof sql, "SELECT gini(cust, amount) FROM %s", tables[k]);
    keyed = pf_double(db, sql);
    snprintf(sql, sizeof sql, "SELECT gini(amount) FROM %s", tables[k]);
    plain = pf_double(db, sql);
    if (k == 0) {
      first_keyed = keyed, first_plain = plain;
    } else {
      ck_assert_msg(keyed == first_keyed, "keyed %.17g vs %.17g", keyed, first_keyed);
      ck_assert_msg(plain == first_plain, "plain %.17g vs %.17g", plain, first_plain);
    }
  }
  free(rows);
  pf_exec(db, "CREATE TABLE cents AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 "
              "FROM s WHERE i < 5000) SELECT i % 97 AS cust, (i * 7919 % 100003) / 100.0 AS "
              "amount FROM s");
  ref_assert_rel(pf_double(db, "SELECT gini(amount) FROM (SELECT amount FROM cents "
                               "ORDER BY amount)"),
                 pf_double(db, "SELECT gini(amount) FROM (SELECT amount FROM cents "
                               "ORDER BY amount DESC)"),
                 1e-15);
  ref_assert_rel(pf_double(db, "SELECT gini(cust, amount) FROM (SELECT * FROM cents "
                               "ORDER BY amount)"),
                 pf_double(db, "SELECT gini(cust, amount) FROM (SELECT * FROM cents "
                               "ORDER BY cust DESC, amount DESC)"),
                 1e-15);
  sqlite3_close(db);
}
END_TEST

START_TEST(huge_integers) {
  sqlite3 *db = pf_open();
  /* customer 1 = 3 * 2^62 (past int64), customer 2 = 2^62: [1, 3] scaled -> 0.25 */
  pf_assert_near(pf_double(db, "SELECT gini(column1, column2) FROM (VALUES "
                               "(1, 4611686018427387904), (1, 4611686018427387904), "
                               "(2, 4611686018427387904), (1, 4611686018427387904))"),
                 0.25, 1e-15);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("gini");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, all_equal_is_zero);
  tcase_add_test(tc, one_customer_is_zero);
  tcase_add_test(tc, one_two_three_four_is_a_quarter);
  tcase_add_test(tc, other_small_cases);
  tcase_add_test(tc, empty_and_nonpositive_inputs_are_null);
  tcase_add_test(tc, keyed_equals_pregrouped_generated);
  tcase_add_test(tc, row_order_does_not_matter);
  tcase_add_test(tc, huge_integers);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
