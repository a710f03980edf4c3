/*
** revenue_movements, customer_movements and revenue_cohorts: a bridge worked by hand (gaps,
** a credit note netting a period to zero, a reactivation, a flat customer), the NULL rules,
** the order of customer rows, the hidden query column, every error with its exact message
** for each of the three, DIRECTONLY and bounded nesting. The comparison with a second
** implementation on generated data is tests/movements_reference.py.
*/
#include "testing.h"

static const char *const functions[] = {"revenue_movements", "customer_movements",
                                        "revenue_cohorts"};

/* Steps sql to the end; returns the number of rows. */
static int count_rows(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = 0;
  int n = 0, rc;
  ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &stmt, 0) == SQLITE_OK, "%s: %s", sql,
                sqlite3_errmsg(db));
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) n++;
  ck_assert_msg(rc == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  return n;
}

/* The rows of sql as text, columns joined by '|', rows by ';' (NULL as "NULL"). */
static const char *rows_text(sqlite3 *db, const char *sql, char *buf, size_t n) {
  sqlite3_stmt *stmt = 0;
  size_t used = 0;
  int rc, i;
  buf[0] = 0;
  ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &stmt, 0) == SQLITE_OK, "%s: %s", sql,
                sqlite3_errmsg(db));
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (i = 0; i < sqlite3_column_count(stmt); i++) {
      const unsigned char *z = sqlite3_column_text(stmt, i);
      used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? "|" : used ? ";" : "",
                               z ? (const char *)z : "NULL");
      ck_assert_msg(used < n, "buffer too small for %s", sql);
    }
  }
  ck_assert_msg(rc == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  return buf;
}

/* Four months of five customers, worked by hand:
**   'a': 10, 10, 15, -      flat, then expansion 5, then churn 15
**   'b': 20, 5+(-5), -, 8   churn 20 (its credit note nets month 2 to 0), reactivation 8
**   'c': -, 30, 12, 12      new 30, contraction 18, flat
**   7  : -, -, -3, 4        a negative month is not active: new 4 in month 4
**   1.0 and 1 are one customer: 6 in month 1, gone after (churn 6)
** plus rows skipped (NULL or '' period, customer or amount) and a month ('2025-05') whose
** only row has a NULL amount: it exists, with nothing active. */
static const char *const history_sql =
    "CREATE TABLE inv(m, c, a);"
    "INSERT INTO inv VALUES ('2025-01', 'a', 10), ('2025-01', 'b', 20), ('2025-01', 1.0, 2),"
    " ('2025-01', 1, 4), ('2025-02', 'a', 10), ('2025-02', 'b', 5), ('2025-02', 'b', -5),"
    " ('2025-02', 'c', 30), ('2025-03', 'a', 15), ('2025-03', 'c', 12), ('2025-03', 7, -3),"
    " ('2025-04', 'b', 8), ('2025-04', 'c', '12'), ('2025-04', 7, 4), ('2025-05', 'a', NULL),"
    " (NULL, 'a', 100), ('', 'a', 100), ('2025-03', NULL, 100), ('2025-03', '', 100),"
    " ('2025-03', 'a', '');";

START_TEST(bridge_by_hand) {
  sqlite3 *db = pf_open();
  char buf[2048];
  pf_exec(db, history_sql);
  /* month 1: 36 new over 3; month 2: start 36, new 30 (c), churn 20 (b) + 6 (1): end 40,
  ** gross = net = (36 - 26) / 36, quick 30 / 26; month 3: start 40, expansion 5, contraction
  ** 18: end 27, gross (40 - 18) / 40 = 0.55, net 27 / 40 = 0.675, quick 5 / 18; month 4:
  ** start 27, new 4 (7), reactivation 8 (b), churn 15 (a): end 24, gross = net = 12 / 27;
  ** month 5: start 24, churn 24, end 0 */
  ck_assert_str_eq(
      rows_text(db, "SELECT period, previous_period, start_revenue, new, reactivation,"
                    " expansion, contraction, churn, end_revenue, start_customers, new_customers,"
                    " reactivated_customers, churned_customers, end_customers,"
                    " round(gross_retention, 6), round(net_retention, 6), round(quick_ratio, 6)"
                    " FROM revenue_movements('SELECT m, c, a FROM inv')",
                buf, sizeof buf),
      "2025-01|NULL|0|36|0|0|0|0|36|0|3|0|0|3|NULL|NULL|NULL;"
      "2025-02|2025-01|36|30|0|0|0|26|40|3|1|0|2|2|0.277778|0.277778|1.153846;"
      "2025-03|2025-02|40|0|0|5|18|0|27|2|0|0|0|2|0.55|0.675|0.277778;"
      "2025-04|2025-03|27|4|8|0|0|15|24|2|1|1|1|3|0.444444|0.444444|0.8;"
      "2025-05|2025-04|24|0|0|0|0|24|0|3|0|0|3|0|0.0|0.0|0.0");
  /* ordered by period, then customer in SQLite's order (numbers before text); 1 comes back
  ** as its first row in the month gave it (1.0) */
  ck_assert_str_eq(
      rows_text(db, "SELECT period, customer, previous_revenue, revenue, change, movement"
                    " FROM customer_movements('SELECT m, c, a FROM inv') WHERE period <= '2025-04'",
                buf, sizeof buf),
      "2025-01|1.0|0|6|6|new;2025-01|a|0|10|10|new;2025-01|b|0|20|20|new;"
      "2025-02|1.0|6|0|-6|churn;2025-02|a|10|10|0|flat;2025-02|b|20|0|-20|churn;"
      "2025-02|c|0|30|30|new;"
      "2025-03|a|10|15|5|expansion;2025-03|c|30|12|-18|contraction;"
      "2025-04|7|0|4|4|new;2025-04|a|15|0|-15|churn;2025-04|b|0|8|8|reactivation;"
      "2025-04|c|12|12|0|flat");
  /* cohort 2025-01 (1.0, a, b: 36): 2025-02 a 10; 2025-03 a 15; 2025-04 b 8 (b stays in its
  ** first cohort); cohort 2025-02 (c: 30); cohort 2025-04 (7: 4) */
  ck_assert_str_eq(
      rows_text(db, "SELECT cohort, period, age, customers, revenue,"
                    " round(customer_retention, 6), round(revenue_retention, 6)"
                    " FROM revenue_cohorts('SELECT m, c, a FROM inv')",
                buf, sizeof buf),
      "2025-01|2025-01|0|3|36|1.0|1.0;2025-01|2025-02|1|1|10|0.333333|0.277778;"
      "2025-01|2025-03|2|1|15|0.333333|0.416667;2025-01|2025-04|3|1|8|0.333333|0.222222;"
      "2025-01|2025-05|4|0|0|0.0|0.0;"
      "2025-02|2025-02|0|1|30|1.0|1.0;2025-02|2025-03|1|1|12|1.0|0.4;"
      "2025-02|2025-04|2|1|12|1.0|0.4;2025-02|2025-05|3|0|0|0.0|0.0;"
      "2025-04|2025-04|0|1|4|1.0|1.0;2025-04|2025-05|1|0|0|0.0|0.0");
  sqlite3_close(db);
}
END_TEST

START_TEST(null_argument_empty_query_and_hidden_column) {
  sqlite3 *db = pf_open();
  char buf[256];
  int i;
  pf_exec(db, "CREATE TABLE inv(m, c, a)");
  for (i = 0; i < 3; i++) {
    char *sql = sqlite3_mprintf("SELECT * FROM %s(NULL)", functions[i]);
    ck_assert_int_eq(count_rows(db, sql), 0);
    sqlite3_free(sql);
    sql = sqlite3_mprintf("SELECT * FROM %s('SELECT m, c, a FROM inv')", functions[i]);
    ck_assert_int_eq(count_rows(db, sql), 0);
    sqlite3_free(sql);
    sql = sqlite3_mprintf("SELECT query FROM %s WHERE query = 'SELECT 1, 2, 3'", functions[i]);
    ck_assert_str_eq(rows_text(db, sql, buf, sizeof buf), "SELECT 1, 2, 3");
    sqlite3_free(sql);
  }
  /* a period whose rows are all skipped exists, with nothing active: no customer or cohort
  ** row, but a bridge row */
  pf_exec(db, "INSERT INTO inv VALUES (7, 1, NULL), (7, NULL, 5)");
  ck_assert_str_eq(rows_text(db, "SELECT period, start_revenue, end_revenue, end_customers "
                                 "FROM revenue_movements('SELECT * FROM inv')",
                             buf, sizeof buf),
                   "7|0|0|0");
  ck_assert_int_eq(count_rows(db, "SELECT * FROM customer_movements('SELECT * FROM inv')"), 0);
  ck_assert_int_eq(count_rows(db, "SELECT * FROM revenue_cohorts('SELECT * FROM inv')"), 0);
  sqlite3_close(db);
}
END_TEST

/* Each error of the three functions, with its exact message. */
START_TEST(every_error_says_which) {
  sqlite3 *db = pf_open();
  int i;
  pf_exec(db, "CREATE TABLE inv(m, c, a); INSERT INTO inv VALUES ('2025-01', 7, 'abc');"
              "CREATE TABLE huge(m, c, a); INSERT INTO huge VALUES (1, 'x', 1e308), "
              "(1, 'x', 1e308), (2, 'x', 1);"
              "CREATE TABLE wide(m, c, a); INSERT INTO wide VALUES (1, 'x', 1e308), "
              "(1, 'y', 1e308);");
  for (i = 0; i < 3; i++) {
    const char *f = functions[i];
    struct {
      const char *query, *message;
    } cases[] = {
        {0, "a query is required"},
        {"'SELECT m, c FROM inv'",
         "the query must return 3 columns (period, customer, amount), it returns 2"},
        {"'SELECT m, c, a, 1 FROM inv'",
         "the query must return 3 columns (period, customer, amount), it returns 4"},
        {"'SELECT m, c, a FROM inv; SELECT 1'",
         "the query must be one statement, found more than one"},
        {"'DELETE FROM inv RETURNING m, c, a'",
         "the query must be read-only, it writes to the database"},
        {"''", "the query is empty"},
        {"12345", "near \"12345\": syntax error"},
        {"'SELECT m, c, a FROM nowhere'", "no such table: nowhere"},
        {"'SELECT m, c, a FROM inv'",
         "amount must be a finite number, got 'abc' (period '2025-01', customer 7)"},
        {"'SELECT m, c, a FROM huge'", "a customer's total is beyond the range of REAL numbers "
                                       "(about 1.8e308)"},
        {"'SELECT m, c, a FROM wide'", "a period's total revenue is beyond the range of REAL "
                                       "numbers (about 1.8e308)"},
        {"'SELECT 1, 1, CASE WHEN 1 THEN abs(-9223372036854775808) END'", "integer overflow"},
    };
    size_t k;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
      char *sql = cases[k].query ? sqlite3_mprintf("SELECT * FROM %s(%s)", f, cases[k].query)
                                 : sqlite3_mprintf("SELECT * FROM %s", f);
      char *want = sqlite3_mprintf("%s: %s", f, cases[k].message);
      pf_expect_error(db, sql, want);
      sqlite3_free(sql);
      sqlite3_free(want);
    }
  }
  /* nothing was deleted by the refused statement */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM inv"), 1);
  sqlite3_close(db);
}
END_TEST

START_TEST(direct_only_and_bounded_nesting) {
  sqlite3 *db = pf_open();
  int i;
  pf_exec(db, "CREATE TABLE inv(m, c, a); INSERT INTO inv VALUES (1, 1, 5), (2, 2, 5);");
  for (i = 0; i < 3; i++) {
    const char *f = functions[i];
    char *sql = sqlite3_mprintf("DROP VIEW IF EXISTS v; DROP TABLE IF EXISTS q;"
                                "CREATE VIEW v AS SELECT * FROM %s('SELECT m, c, a FROM inv');"
                                "CREATE TABLE q(s); INSERT INTO q VALUES ('SELECT 1, 2, 3 FROM "
                                "%s((SELECT s FROM q))');",
                                f, f);
    char *want = sqlite3_mprintf("unsafe use of virtual table \"%s\"", f);
    pf_exec(db, sql);
    sqlite3_free(sql);
    /* it runs SQL: a view stored in the database may not call it */
    pf_expect_error(db, "SELECT * FROM v", want);
    sqlite3_free(want);
    sql = sqlite3_mprintf("SELECT * FROM %s((SELECT s FROM q))", f);
    want = sqlite3_mprintf("%s: queries nested more than 10 deep (does the query call %s on "
                           "itself?)", f, f);
    pf_expect_error(db, sql, want);
    sqlite3_free(sql);
    sqlite3_free(want);
  }
  /* legitimate nesting works: the bridge of the churned revenue, period by period */
  ck_assert_int_eq(pf_int(db, "SELECT sum(end_revenue) FROM revenue_movements('SELECT period,"
                              " customer, revenue FROM customer_movements(''SELECT m, c, a FROM"
                              " inv'')')"),
                   10);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("movements");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, bridge_by_hand);
  tcase_add_test(tc, null_argument_empty_query_and_hidden_column);
  tcase_add_test(tc, every_error_says_which);
  tcase_add_test(tc, direct_only_and_bounded_nesting);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
