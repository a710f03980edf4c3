/*
** test_coverage_tables.c: branches of the keyed table and of the two table-valued
** functions that the capability tests do not reach (see COVERAGE.md).
**   1. Keys of every kind: REAL keys (fractional, beyond int64, -0.0), REAL keys equal to
**      integers (given back as REAL), BLOB keys (empty too), TEXT keys sharing a prefix;
**      ties in concentration ordered by SQLite's order of those keys.
**   2. Tables large enough for the prefetch pipeline (more than 6,553 customers), with
**      INTEGER and REAL keys and amounts, also in a sliding window (rows leave through the
**      pipeline).
**   3. An infinite REAL amount after a REAL one for the same customer (the fast path).
**   4. The query argument: from another table (a join, where SQLite first offers the
**      constraint as unusable), a further WHERE query = ... that agrees or not (by type,
**      length, bytes), constraints on other columns.
**   5. concentration_by with hundreds of periods (its tables of periods grow).
** Every expected value is worked out in the comment next to it.
*/
#include "testing.h"

#include "portfolio_core.h"

/* ---- 1. keys of every kind ------------------------------------------------------------- */

START_TEST(every_kind_of_key) {
  sqlite3 *db = pf_open();
  char buf[256];
  /* Eleven rows of 10; 3.0 and 3 are one customer (20), as are -0.0 and 0 (20): nine
  ** customers, total 110, seven of 10 and two of 20:
  ** HHI = 10000 * (7 * 10^2 + 2 * 20^2) / 110^2 = 10000 * 1500 / 12100. */
  pf_exec(db,
          "CREATE TABLE k(c, a);"
          "INSERT INTO k VALUES (1.5, 10), (2, 10), (3.0, 10), (3, 10), (1e19, 10),"
          " (-0.0, 10), (0, 10), ('ab', 10), ('abc', 10), (x'00', 10), (zeroblob(0), 10);");
  pf_assert_near(pf_double(db, "SELECT herfindahl(c, a) FROM k"), 10000.0 * 1500 / 12100,
                 1e-12);
  /* Ties at 10 in SQLite's order: numbers (1.5, 2, 1e19), text ('ab' < 'abc'), blobs
  ** (x'' < x'00'); the two customers of 20 come first, 0 before 3.0 (given back as REAL,
  ** as first seen). */
  ck_assert_str_eq(pf_text(db,
                           "SELECT group_concat(quote(customer), ' ') FROM"
                           " concentration('SELECT c, a FROM k')",
                           buf, sizeof buf),
                   "0.0 3.0 1.5 2 1.0e+19 'ab' 'abc' X'' X'00'");
  ck_assert_str_eq(pf_text(db,
                           "SELECT group_concat(rank || ':' || amount, ' ') FROM"
                           " concentration('SELECT c, a FROM k')",
                           buf, sizeof buf),
                   "1:20 2:20 3:10 4:10 5:10 6:10 7:10 8:10 9:10");
  sqlite3_close(db);
}
END_TEST

/* More keys and amounts at the edges: a REAL key below int64, a customer whose integer
** total is below int64 (left out: negative), only negative totals (NULL), an upper-case
** exponent, many customers whose second REAL row takes the fast path through probes. */
START_TEST(edges_of_keys_and_totals) {
  sqlite3 *db = pf_open();
  char buf[64];
  ck_assert_str_eq(pf_text(db, "SELECT quote(customer) FROM concentration('SELECT -1e19, 5')",
                           buf, sizeof buf),
                   "-1.0e+19");
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('VALUES"
                              " (1, -9223372036854775808), (1, -9223372036854775808), (2, 4)')"),
                   1);
  ck_assert_int_eq(pf_type(db, "SELECT herfindahl(c, a) FROM (SELECT 1 c, -5 a)"), SQLITE_NULL);
  ck_assert_int_eq(pf_int(db, "SELECT herfindahl('1E5')"), 10000);
  /* 5,000 customers of 1.5 + 1.5 = 3: HHI 10000 / 5000 = 2 */
  pf_assert_near(pf_double(db,
                           "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
                           " WHERE x < 10000) SELECT herfindahl(x % 5000, 1.5) FROM n"),
                 2, 1e-12);
  /* top_share's one-store path and its way out: INTEGER amounts, then a REAL one, then n
  ** given as TEXT; 1 + 2 + 3 + 4.5 + 5 = 15.5, the top two 9.5 */
  pf_assert_near(pf_double(db, "SELECT top_share(column1, column2) FROM (VALUES (1, 2), (2, 2),"
                               " (3, 2), (4.5, 2), (5, '2'))"),
                 9.5 / 15.5, 1e-12);
  pf_expect_error(db, "SELECT risk_score('adoption', 9e999)",
                  "risk_score: adoption must be a number, got Inf");
  pf_expect_error(db, "SELECT * FROM concentration('') WHERE query = ''",
                  "concentration: the query is empty");
  pf_expect_error(db, "SELECT * FROM concentration_by('') WHERE query = ''",
                  "concentration_by: the query is empty");
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration_by('SELECT 1, 2, 3')"
                              " WHERE query = 'SELECT 1, 2, 3 '"),
                   0);
  sqlite3_close(db);
}
END_TEST

/* The core's C helpers the SQL functions do not call (the benchmark and future callers
** do): pf_acc_num and pf_table_bytes. */
START_TEST(core_helpers) {
  pf_acc a = PF_ACC_ZERO;
  pf_num x;
  pf_table t;
  pf_key k;
  pf_num one = {1, 1, 1.0};
  uint64_t slots_and_more;
  pf_acc_add_int(&a, INT64_MAX);
  pf_acc_num(&a, &x);
  ck_assert(x.is_int && x.i == INT64_MAX);
  pf_acc_add_int(&a, 1); /* 2^63: exact, but no longer an int64 */
  pf_acc_num(&a, &x);
  ck_assert(!x.is_int && x.d == 9223372036854775808.0);
  memset(&a, 0, sizeof a);
  pf_acc_add_int(&a, INT64_MIN);
  pf_acc_add_int(&a, -1);
  pf_acc_num(&a, &x);
  ck_assert(!x.is_int && x.d == -9223372036854775808.0);
  memset(&a, 0, sizeof a);
  pf_acc_add_double(&a, 0.5);
  pf_acc_add_int(&a, 2);
  pf_acc_num(&a, &x);
  ck_assert(!x.is_int && x.d == 2.5);

  memset(&t, 0, sizeof t);
  ck_assert_int_eq(pf_table_bytes(&t), 0);
  memset(&k, 0, sizeof k);
  k.type = PF_KEY_INT;
  k.i = 7;
  ck_assert_int_eq(pf_table_add(&t, &k, &one, 1), SQLITE_OK);
  ck_assert_int_eq(pf_table_flush(&t), SQLITE_OK);
  ck_assert_int_ge(pf_table_bytes(&t), 64 * 32); /* at least the first 64 slots */
  slots_and_more = pf_table_bytes(&t);
  k.type = PF_KEY_TEXT;
  k.p = "customer";
  k.n = 8;
  ck_assert_int_eq(pf_table_add(&t, &k, &one, 1), SQLITE_OK);
  ck_assert_int_gt(pf_table_bytes(&t), slots_and_more + 8); /* the key's copy */
  ck_assert_int_eq(pf_table_count(&t), 2);
  pf_table_free(&t);
  ck_assert_int_eq(pf_table_bytes(&t), 0);
}
END_TEST

/* ---- 2. the prefetch pipeline ----------------------------------------------------------- */

START_TEST(large_tables_through_the_pipeline) {
  sqlite3 *db = pf_open();
  /* 8,000 customers of 1.5 each (REAL keys x + 0.5): HHI = 10000 / 8000 = 1.25 */
  pf_assert_near(pf_double(db,
                           "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
                           " WHERE x < 8000) SELECT herfindahl(x + 0.5, 1.5) FROM n"),
                 1.25, 1e-12);
  /* 8,000 INTEGER customers, twice each, REAL then INTEGER amounts: 2.5 + 3 each */
  pf_assert_near(pf_double(db,
                           "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
                           " WHERE x < 16000) SELECT top_share(x % 8000, CASE WHEN x <= 8000"
                           " THEN 2.5 ELSE 3 END, 80) FROM n"),
                 0.01, 1e-12);
  /* A sliding window over 7,000 customers: the frame of the last row holds rows
  ** 1,001..8,000, customers x % 7000 = 1001..6999, 0 and 1..1000: all 7,000 once. */
  pf_assert_near(pf_double(db,
                           "SELECT h FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL"
                           " SELECT x + 1 FROM n WHERE x < 8000) SELECT x, herfindahl(x % 7000,"
                           " 1) OVER (ORDER BY x ROWS 6999 PRECEDING) h FROM n) WHERE x = 8000"),
                 10000.0 / 7000, 1e-12);
  sqlite3_close(db);
}
END_TEST

/* ---- 3. the fast path meeting an infinity ---------------------------------------------- */

START_TEST(infinite_amount_after_a_real_one) {
  sqlite3 *db = pf_open();
  pf_expect_error(db, "SELECT herfindahl(c, a) FROM (SELECT 1 c, 1.5 a UNION ALL SELECT 1, 9e999)",
                  "herfindahl: amount must be a finite number, got Inf");
  pf_expect_error(db, "SELECT gini(c, a) FROM (SELECT 1 c, 1.5 a UNION ALL SELECT 1, -9e999)",
                  "gini: amount must be a finite number, got -Inf");
  sqlite3_close(db);
}
END_TEST

/* ---- 4. the query argument -------------------------------------------------------------- */

START_TEST(query_argument_from_joins_and_where) {
  sqlite3 *db = pf_open();
  pf_exec(db,
          "CREATE TABLE t(c, a); INSERT INTO t VALUES (1, 30), (2, 70);"
          "CREATE TABLE qs(q); INSERT INTO qs VALUES ('SELECT c, a FROM t'),"
          " ('SELECT c, a FROM t WHERE c = 1');"
          "CREATE TABLE qb(q); INSERT INTO qb VALUES ('SELECT 1, c, a FROM t');");
  /* one query gives 2 rows, the other 1 */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM qs, concentration(qs.q)"), 3);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM qs JOIN concentration ON"
                              " concentration.query = qs.q"),
                   3);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM qb, concentration_by(qb.q)"), 1);
  /* a further WHERE query = ... : the same text keeps the rows, another one (longer,
  ** same length but other bytes, another type) gives none */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT c, a FROM t')"
                              " WHERE query = 'SELECT c, a FROM t'"),
                   2);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT c, a FROM t')"
                              " WHERE query = 'SELECT c, a FROM t '"),
                   0);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT c, a FROM t')"
                              " WHERE query = 'SELECT c, a FROM T'"),
                   0);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT 1, 2')"
                              " WHERE query = x'53454c45435420312c2032'"),
                   0);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration_by('SELECT 1, c, a FROM t')"
                              " WHERE query = 'SELECT 1, c, a FROM t'"),
                   1);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration_by('SELECT 1, c, a FROM t')"
                              " WHERE query = 'SELECT 1, c, a FROM T'"),
                   0);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration_by('SELECT 1, c, a FROM t')"
                              " WHERE query = 7"),
                   0);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration(NULL)"), 0);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration_by(NULL)"), 0);
  /* constraints on other columns and other operators are left to SQLite */
  ck_assert_int_eq(pf_int(db, "SELECT customer FROM concentration('SELECT c, a FROM t')"
                              " WHERE rank = 1 AND query > 'A' AND query LIKE 'SELECT%'"),
                   2);
  ck_assert_int_eq(pf_int(db, "SELECT customers FROM concentration_by('SELECT 1, c, a FROM t')"
                              " WHERE period = 1 AND query > 'A'"),
                   2);
  /* a query in a BLOB is read as its text */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration(CAST('SELECT c, a FROM t'"
                              " AS BLOB))"),
                   2);
  pf_expect_error(db, "SELECT * FROM concentration_by", "concentration_by: a query is required");
  pf_expect_error(db, "SELECT * FROM concentration_by('  ')",
                  "concentration_by: the query is empty");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT 1, 2, 3; x')",
                  "concentration_by: the query must be one statement, found more than one");
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration_by('SELECT 1, 2, 3; ')"), 1);
  sqlite3_close(db);
}
END_TEST

/* ---- 5. many periods --------------------------------------------------------------------- */

START_TEST(hundreds_of_periods) {
  sqlite3 *db = pf_open();
  /* 300 periods x % 300, each with customers x % 7 over x = 0..2999: ten rows per period,
  ** customers (p + 300k) % 7 for k = 0..9: 7 distinct customers, three of them twice
  ** (k and k + 7 give the same customer): totals 2,2,2,1,1,1,1 of 10 -> HHI
  ** 3 * 400 + 4 * 100 = 1600 in every period. */
  sqlite3_stmt *stmt = pf_query(db,
                                "SELECT count(*), min(herfindahl), max(herfindahl),"
                                " sum(customers) FROM concentration_by('WITH RECURSIVE n(x) AS"
                                " (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < 2999)"
                                " SELECT x % 300, x % 7, 1 FROM n')");
  ck_assert_int_eq(sqlite3_column_int(stmt, 0), 300);
  pf_assert_near(sqlite3_column_double(stmt, 1), 1600, 1e-12);
  pf_assert_near(sqlite3_column_double(stmt, 2), 1600, 1e-12);
  ck_assert_int_eq(sqlite3_column_int(stmt, 3), 2100);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("coverage_tables");
  TCase *tc = tcase_create("branches");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, every_kind_of_key);
  tcase_add_test(tc, edges_of_keys_and_totals);
  tcase_add_test(tc, core_helpers);
  tcase_add_test(tc, large_tables_through_the_pipeline);
  tcase_add_test(tc, infinite_amount_after_a_real_one);
  tcase_add_test(tc, query_argument_from_joins_and_where);
  tcase_add_test(tc, hundreds_of_periods);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
