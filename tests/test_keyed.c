/*
** Customer keys of the keyed forms herfindahl(customer, amount), top_share(customer,
** amount, n) and gini(customer, amount): which keys are the same customer. The rule is
** GROUP BY's: 1 and 1.0 are one key; TEXT '1' and INTEGER 1 are two; TEXT and BLOB with
** the same bytes are two; TEXT compares byte for byte. Every case is checked by hand and
** against GROUP BY sums fed to agg_reference.h.
*/
#include "agg_reference.h"

/* All three keyed forms over table `t`(k, a) against GROUP BY k. */
static void expect_like_group_by(sqlite3 *db, const char *t) {
  char sql[300];
  ref_vals ref = {0, 0, 0};
  snprintf(sql, sizeof sql, "SELECT sum(a) FROM %s GROUP BY k", t);
  ref_collect(db, sql, &ref);
  ck_assert_int_gt(ref.n, 0);
  snprintf(sql, sizeof sql, "SELECT herfindahl(k, a) FROM %s", t);
  ref_assert_rel(pf_double(db, sql), ref_hhi(&ref), 1e-12);
  snprintf(sql, sizeof sql, "SELECT gini(k, a) FROM %s", t);
  ref_assert_rel(pf_double(db, sql), ref_gini(&ref), 1e-12);
  snprintf(sql, sizeof sql, "SELECT top_share(k, a, 2) FROM %s", t);
  ref_assert_rel(pf_double(db, sql), ref_top_share(&ref, 2), 1e-12);
  ref_free(&ref);
}

START_TEST(integer_and_integral_real_are_one_key) {
  sqlite3 *db = pf_open();
  /* 1 and 1.0 -> one customer of 20, customer 2 of 20: HHI 5000 (as three separate
  ** customers 10/10/20 it would be (1+1+4)/16 * 10000 = 3750) */
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES (1,10),(1.0,10),(2,20);");
  ck_assert(pf_double(db, "SELECT herfindahl(k, a) FROM t") == 5000.0);
  ck_assert(pf_double(db, "SELECT gini(k, a) FROM t") == 0.0);
  ck_assert(pf_double(db, "SELECT top_share(k, a, 1) FROM t") == 0.5);
  expect_like_group_by(db, "t");
  /* 0 and -0.0; 2^53 as INTEGER and REAL; int64 min as INTEGER and REAL */
  pf_exec(db, "CREATE TABLE u(k, a); INSERT INTO u VALUES (0,10),(-0.0,10),"
              "(9007199254740992,5),(9007199254740992.0,15),"
              "(-9223372036854775808,20),(-9223372036854775808.0,0),(7.0,3),(7,17);");
  /* four customers of 20 each: HHI 2500 */
  ck_assert(pf_double(db, "SELECT herfindahl(k, a) FROM u") == 2500.0);
  expect_like_group_by(db, "u");
  sqlite3_close(db);
}
END_TEST

START_TEST(distinct_numeric_keys_stay_apart) {
  sqlite3 *db = pf_open();
  /* 1.5 vs 1 vs 2; 0.1+0.2 vs 0.3 (different doubles); int64 max vs 2^63 as REAL */
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES (1.5,10),(1,10),(2,10),(1.5,10),"
              "(0.1+0.2,10),(0.3,10),(9223372036854775807,10),(9223372036854775807.0,10),"
              "(1e300,10),(1e300,10),(-2.5,10);");
  /* customers: 1.5 -> 20, 1, 2, 0.30000000000000004, 0.3, int64 max, 2^63 -> 10 each,
  ** 1e300 -> 20, -2.5 -> 10: totals 20,10,10,10,10,10,10,20,10 (sum 110)
  ** HHI = (2 * 400 + 7 * 100) / 12100 * 10000 = 1500/1.21 */
  pf_assert_near(pf_double(db, "SELECT herfindahl(k, a) FROM t"), 1500.0 / 1.21, 1e-12);
  /* GROUP BY compares int64 max with 2^63 in long double, which valgrind only emulates
  ** at double precision (and then merges them): compare the rest with GROUP BY. */
  pf_exec(db, "DELETE FROM t WHERE abs(k) > 1e18 AND abs(k) < 1e19");
  expect_like_group_by(db, "t");
  sqlite3_close(db);
}
END_TEST

START_TEST(text_one_and_integer_one_differ) {
  sqlite3 *db = pf_open();
  /* '1' (TEXT) and 1 are two customers: 10/10/20 -> 3750; top 1 = 0.5;
  ** gini [10,10,20]: 10 apart twice each way = 40; 40 / (2 * 9 * 40/3) = 1/6 */
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES ('1',10),(1,10),(2,20);");
  ck_assert_int_eq(pf_int(db, "SELECT typeof(k) = 'text' FROM t WHERE rowid = 1"), 1);
  ck_assert(pf_double(db, "SELECT herfindahl(k, a) FROM t") == 3750.0);
  pf_assert_near(pf_double(db, "SELECT top_share(k, a, 1) FROM t"), 0.5, 1e-15);
  pf_assert_near(pf_double(db, "SELECT gini(k, a) FROM t"), 1.0 / 6, 1e-15);
  expect_like_group_by(db, "t");
  /* '1.0' and '1' are different TEXT too */
  pf_exec(db, "CREATE TABLE u(k, a); INSERT INTO u VALUES ('1.0',10),('1',10);");
  ck_assert(pf_double(db, "SELECT herfindahl(k, a) FROM u") == 5000.0);
  sqlite3_close(db);
}
END_TEST

START_TEST(text_and_blob_with_same_bytes_differ) {
  sqlite3 *db = pf_open();
  /* 'ab' and x'6162' ("ab") are two customers: 10/10/20 -> 3750 */
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES ('ab',10),(x'6162',10),('zz',20);");
  ck_assert(pf_double(db, "SELECT herfindahl(k, a) FROM t") == 3750.0);
  expect_like_group_by(db, "t");
  /* but the same BLOB twice is one customer: x'6162' 10+10, 'zz' 20 -> 5000 */
  pf_exec(db, "CREATE TABLE u(k, a); INSERT INTO u VALUES (x'6162',10),(x'6162',10),('zz',20);");
  ck_assert(pf_double(db, "SELECT herfindahl(k, a) FROM u") == 5000.0);
  expect_like_group_by(db, "u");
  sqlite3_close(db);
}
END_TEST

START_TEST(text_compares_byte_for_byte) {
  sqlite3 *db = pf_open();
  /* case, trailing space, embedded NUL and a combining accent all make different keys:
  ** 'abc','ABC','abc ','a\0b','a\0c', 'é' (U+00E9) and 'é' (e + U+0301): seven
  ** customers, 'abc' twice -> totals 20,10,10,10,10,10,10 (sum 80):
  ** HHI = (400 + 6 * 100) / 6400 * 10000 = 1562.5 */
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES ('abc',10),('ABC',10),('abc ',10),"
              "(CAST(x'610062' AS TEXT),10),(CAST(x'610063' AS TEXT),10),('abc',10),"
              "(CAST(x'c3a9' AS TEXT),10),(CAST(x'65cc81' AS TEXT),10);");
  ck_assert(pf_double(db, "SELECT herfindahl(k, a) FROM t") == 1562.5);
  expect_like_group_by(db, "t");
  sqlite3_close(db);
}
END_TEST

START_TEST(long_text_keys) {
  sqlite3 *db = pf_open();
  /* 40 keys of 1000 bytes differing only in the last characters; 3 keys of 100 kB (larger
  ** than one arena chunk) differing only in the last byte; 3000 keys of 200 bytes
  ** (several chunks). Amounts vary so a merged or split key changes every measure. */
  pf_exec(db, "CREATE TABLE t(k, a);"
              "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 400)"
              "INSERT INTO t SELECT printf('%.998c%02d', 'x', i % 40), i % 7 + 1 FROM s;");
  ck_assert_int_eq(pf_int(db, "SELECT min(length(k)) = 1000 AND max(length(k)) = 1000 FROM t"),
                   1);
  ck_assert_int_eq(pf_int(db, "SELECT count(DISTINCT k) FROM t"), 40);
  expect_like_group_by(db, "t");
  pf_exec(db, "CREATE TABLE big(k, a);"
              "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 30)"
              "INSERT INTO big SELECT replace(hex(zeroblob(50000)), '00', 'kk') || (i % 3), i "
              "FROM s;");
  ck_assert_int_eq(pf_int(db, "SELECT max(length(k)) FROM big"), 100001);
  expect_like_group_by(db, "big");
  pf_exec(db, "CREATE TABLE many(k, a);"
              "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 9000)"
              "INSERT INTO many SELECT printf('%.196c%04d', 'm', i % 3000), (i * 37) % 101 - 10 "
              "FROM s;");
  expect_like_group_by(db, "many");
  sqlite3_close(db);
}
END_TEST

START_TEST(many_integer_customers) {
  sqlite3 *db = pf_open();
  ref_vals ref = {0, 0, 0};
  double got, want;
  /* 60k customers (the table grows many times), two invoices each, some netting <= 0 */
  pf_exec(db, "CREATE TABLE t(k, a);"
              "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 120000)"
              "INSERT INTO t SELECT (i % 60000) * 7919, (i * 7) % 1009 - 300 FROM s;");
  ref_collect(db, "SELECT sum(a) FROM t GROUP BY k", &ref);
  ck_assert_int_gt(ref.n, 40000);
  ck_assert_int_lt(ref.n, 60000); /* some customers net <= 0 */
  want = ref_hhi(&ref);
  got = pf_double(db, "SELECT herfindahl(k, a) FROM t");
  ref_assert_rel(got, want, 1e-9);
  want = ref_top_share(&ref, 100);
  got = pf_double(db, "SELECT top_share(k, a, 100) FROM t");
  ref_assert_rel(got, want, 1e-9);
  ref_free(&ref);
  sqlite3_close(db);
}
END_TEST

START_TEST(mixed_key_types_in_one_call) {
  sqlite3 *db = pf_open();
  /* INTEGER, REAL, TEXT and BLOB keys side by side, invoices netting per key; the 5.0 row
  ** joins customer 5, x'78' is the BLOB "x" (not 'x'), '5' is TEXT, '' and NULL skip. */
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES (5,10),(5.0,5),('x',7),(x'78',10),"
              "('x',3),(2.5,10),('',100),(NULL,100),('5',1);");
  /* customers: 5 -> 15, 'x' -> 10, x'78' -> 10, 2.5 -> 10, '5' -> 1; sum 46:
  ** HHI = (225 + 100 + 100 + 100 + 1) / 2116 * 10000 = 5260000 / 2116 */
  pf_assert_near(pf_double(db, "SELECT herfindahl(k, a) FROM t"), 5260000.0 / 2116, 1e-12);
  pf_exec(db, "DELETE FROM t WHERE k IS NULL OR k = ''");
  expect_like_group_by(db, "t");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("keyed");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, integer_and_integral_real_are_one_key);
  tcase_add_test(tc, distinct_numeric_keys_stay_apart);
  tcase_add_test(tc, text_one_and_integer_one_differ);
  tcase_add_test(tc, text_and_blob_with_same_bytes_differ);
  tcase_add_test(tc, text_compares_byte_for_byte);
  tcase_add_test(tc, long_text_keys);
  tcase_add_test(tc, many_integer_customers);
  tcase_add_test(tc, mixed_key_types_in_one_call);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
