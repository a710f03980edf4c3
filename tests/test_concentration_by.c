/*
** concentration_by(query): a worked example by hand; generated invoices over 12 numeric and
** 3 text periods compared, period by period, with herfindahl/top_share/gini under GROUP BY
** and with the plain reference of agg_reference.h; period grouping and order; NULL rules;
** every error with its exact message, nested ones with one prefix; DIRECTONLY; the hidden
** query column; nesting depth.
*/
#include "agg_reference.h"

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

START_TEST(worked_example_by_hand) {
  sqlite3 *db = pf_open();
  char buf[64];
  pf_exec(db, "CREATE TABLE inv(m, c, a);"
              /* period 1: customer 1 = 10, 2 = 30, 3 = -5 (left out), 4 = 0 (left out; its
              ** period is 1.0, the same period as 1) -> shares .25/.75: HHI 625 + 5625 =
              ** 6250, top-1 .75, Gini (x sorted 10, 30): (-1*10 + 1*30) / (2 * 40) = .25 */
              "INSERT INTO inv VALUES (1,1,10),(1,2,30),(1,3,-5),(1.0,4,0),"
              /* period 2: 1 = 5, 'x' = 5 (a NULL customer skips its row): 5000, .5, 0 */
              "(2,1,5),(2,'x',5),(2,NULL,3),"
              /* period 3: only a negative customer: a row with customers 0, NULL measures */
              "(3,1,-1),"
              /* a text period after the numbers; NULL and '' periods are skipped */
              "('q',1,2),(NULL,1,1),('',1,1);");
  ck_assert_int_eq(count_rows(db, "SELECT * FROM concentration_by('SELECT m, c, a FROM inv')"),
                   4);
  ck_assert_int_eq(pf_int(db, "SELECT customers FROM concentration_by('SELECT m, c, a FROM "
                              "inv') WHERE period = 1"),
                   2);
  pf_assert_near(pf_double(db, "SELECT herfindahl FROM concentration_by('SELECT m, c, a FROM "
                               "inv') WHERE period = 1"),
                 6250.0, 1e-12);
  pf_assert_near(pf_double(db, "SELECT top1_share FROM concentration_by('SELECT m, c, a FROM "
                               "inv') WHERE period = 1"),
                 0.75, 1e-12);
  pf_assert_near(pf_double(db, "SELECT gini FROM concentration_by('SELECT m, c, a FROM inv') "
                               "WHERE period = 1"),
                 0.25, 1e-12);
  pf_assert_near(pf_double(db, "SELECT herfindahl FROM concentration_by('SELECT m, c, a FROM "
                               "inv') WHERE period = 2"),
                 5000.0, 1e-12);
  ck_assert_int_eq(pf_int(db, "SELECT customers FROM concentration_by('SELECT m, c, a FROM "
                              "inv') WHERE period = 3"),
                   0);
  ck_assert_int_eq(pf_type(db, "SELECT herfindahl FROM concentration_by('SELECT m, c, a FROM "
                               "inv') WHERE period = 3"),
                   SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT gini FROM concentration_by('SELECT m, c, a FROM inv') "
                               "WHERE period = 3"),
                   SQLITE_NULL);
  /* order: numbers ascending, then text; the period comes back as its first row gave it */
  ck_assert_str_eq(pf_text(db, "SELECT group_concat(quote(period), ',') FROM "
                               "concentration_by('SELECT m, c, a FROM inv')",
                           buf, sizeof buf),
                   "1,2,3,'q'");
  sqlite3_close(db);
}
END_TEST

/* One period's measures from the extension's aggregates under GROUP BY and from the plain
** reference, against the row concentration_by returned for it. */
static void check_period(sqlite3 *db, sqlite3_stmt *row) {
  char *where = sqlite3_column_type(row, 0) == SQLITE_TEXT
                    ? sqlite3_mprintf("period = %Q", sqlite3_column_text(row, 0))
                    : sqlite3_mprintf("period = %lld", sqlite3_column_int64(row, 0));
  char *sql = sqlite3_mprintf("SELECT herfindahl(cust, amount), top_share(cust, amount, 1), "
                              "gini(cust, amount) FROM inv WHERE %s", where);
  char *refsql = sqlite3_mprintf("SELECT sum(amount) FROM inv WHERE %s GROUP BY cust", where);
  sqlite3_stmt *agg = pf_query(db, sql);
  ref_vals ref = {0, 0, 0};
  ref_collect(db, refsql, &ref);
  ck_assert_int_gt(ref.n, 10);
  ck_assert_int_eq(sqlite3_column_int64(row, 1), ref.n);
  ref_assert_rel(sqlite3_column_double(row, 2), sqlite3_column_double(agg, 0), 1e-12);
  ref_assert_rel(sqlite3_column_double(row, 3), sqlite3_column_double(agg, 1), 1e-12);
  ref_assert_rel(sqlite3_column_double(row, 4), sqlite3_column_double(agg, 2), 1e-12);
  ref_assert_rel(sqlite3_column_double(row, 2), ref_hhi(&ref), 1e-9);
  ref_assert_rel(sqlite3_column_double(row, 4), ref_gini(&ref), 1e-9);
  ref_assert_rel(sqlite3_column_double(row, 3), ref_top_share(&ref, 1), 1e-9);
  ref_free(&ref);
  sqlite3_finalize(agg);
  sqlite3_free(sql);
  sqlite3_free(refsql);
  sqlite3_free(where);
}

START_TEST(generated_invoices_equal_group_by_per_period) {
  sqlite3 *db = pf_open();
  int count, periods = 0;
  ref_row *rows = ref_make_invoices(30000, 400, 4242u, &count);
  sqlite3_stmt *st;
  pf_exec(db, "CREATE TABLE inv(cust, amount, period)");
  ref_insert(db, "inv", rows, count, ref_coprime_stride(count, 7919), 11);
  free(rows);
  /* 12 numeric periods, and every 17th row in one of 3 text periods */
  pf_exec(db, "UPDATE inv SET period = 202401 + rowid % 12;"
              "UPDATE inv SET period = 'Q' || (rowid % 3) WHERE rowid % 17 = 0;");
  ck_assert_int_eq(pf_int(db, "SELECT count(DISTINCT period) FROM inv"), 15);
  st = pf_query(db, "SELECT * FROM concentration_by('SELECT period, cust, amount FROM inv')");
  do {
    check_period(db, st);
    periods++;
  } while (sqlite3_step(st) == SQLITE_ROW);
  sqlite3_finalize(st);
  ck_assert_int_eq(periods, 15);
  /* the same numbers whatever order the query returns its rows in */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration_by('SELECT period, cust, "
                              "amount FROM inv') a JOIN concentration_by('SELECT period, cust, "
                              "amount FROM inv ORDER BY amount DESC') b USING (period) WHERE "
                              "a.customers = b.customers AND abs(a.herfindahl - b.herfindahl) "
                              "< 1e-9 * a.herfindahl AND abs(a.gini - b.gini) < 1e-12"),
                   15);
  sqlite3_close(db);
}
END_TEST

START_TEST(null_argument_and_empty_query_results) {
  sqlite3 *db = pf_open();
  char buf[64];
  pf_exec(db, "CREATE TABLE inv(m, c, a)");
  ck_assert_int_eq(count_rows(db, "SELECT * FROM concentration_by(NULL)"), 0);
  ck_assert_int_eq(count_rows(db, "SELECT * FROM concentration_by('SELECT m, c, a FROM inv')"),
                   0);
  /* a period whose rows all have NULL amounts still has its row, with no customers */
  pf_exec(db, "INSERT INTO inv VALUES (7, 1, NULL), (7, 2, '')");
  ck_assert_str_eq(pf_text(db, "SELECT period || ':' || customers || ':' || "
                               "coalesce(herfindahl, 'NULL') FROM concentration_by('SELECT m, c,"
                               " a FROM inv')",
                           buf, sizeof buf),
                   "7:0:NULL");
  /* the hidden column reads back the query, so WHERE query = ... agrees with it */
  ck_assert_str_eq(pf_text(db, "SELECT query FROM concentration_by('SELECT m, c, a FROM inv')",
                           buf, sizeof buf),
                   "SELECT m, c, a FROM inv");
  ck_assert_int_eq(count_rows(db, "SELECT * FROM concentration_by WHERE query = 'SELECT m, c, a"
                                  " FROM inv'"),
                   1);
  sqlite3_close(db);
}
END_TEST

START_TEST(every_error_says_which) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(m, c, a); INSERT INTO inv VALUES (202401, 7, 'abc');");
  pf_expect_error(db, "SELECT * FROM concentration_by", "concentration_by: a query is required");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT m, c FROM inv')",
                  "concentration_by: the query must return 3 columns (period, customer, "
                  "amount), it returns 2");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT m, c, a, 1 FROM inv')",
                  "concentration_by: the query must return 3 columns (period, customer, "
                  "amount), it returns 4");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT m, c, a FROM inv; SELECT 1')",
                  "concentration_by: the query must be one statement, found more than one");
  pf_expect_error(db, "SELECT * FROM concentration_by('DELETE FROM inv RETURNING m, c, a')",
                  "concentration_by: the query must be read-only, it writes to the database");
  pf_expect_error(db, "SELECT * FROM concentration_by('')",
                  "concentration_by: the query is empty");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT m, c, a FROM nowhere')",
                  "concentration_by: no such table: nowhere");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT m, c, a FROM inv')",
                  "concentration_by: amount must be a finite number, got 'abc' (period 202401,"
                  " customer 7)");
  /* nothing was deleted by the refused statement */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM inv"), 1);
  sqlite3_close(db);
}
END_TEST

START_TEST(direct_only_and_bounded_nesting) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(m, c, a); INSERT INTO inv VALUES (1, 1, 5), (1, 2, 5);"
              "CREATE VIEW v AS SELECT * FROM concentration_by('SELECT m, c, a FROM inv');"
              "CREATE TABLE q(s);"
              "INSERT INTO q VALUES ('SELECT period, customers, 1 FROM "
              "concentration_by((SELECT s FROM q))');");
  /* it runs SQL: a view stored in the database may not call it */
  pf_expect_error(db, "SELECT * FROM v", "unsafe use of virtual table \"concentration_by\"");
  pf_expect_error(db, "SELECT * FROM concentration_by((SELECT s FROM q))",
                  "concentration_by: queries nested more than 10 deep (does the query call "
                  "concentration_by on itself?)");
  /* legitimate nesting works, and the connection is usable afterwards */
  ck_assert_int_eq(pf_int(db, "SELECT customers FROM concentration_by('SELECT 1, period, "
                              "customers FROM concentration_by(''SELECT m, c, a FROM inv'')')"),
                   1);
  sqlite3_close(db);
}
END_TEST

/* An error raised inside a query carries the prefix of the function that ran the query,
** once: a nested query-running function's own prefix gives way to the outer one (issue 10:
** it used to read "concentration_by: concentration: amount ..."), while an aggregate's
** prefix stays, since it says which function of the query refused the value. */
START_TEST(nested_errors_carry_one_prefix) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(m, c, a); INSERT INTO inv VALUES (1, 7, 'abc');");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT 1, customer, amount FROM "
                      "concentration(''SELECT c, a FROM inv'')')",
                  "concentration_by: amount must be a finite number, got 'abc' (customer 7)");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT period, customers FROM "
                      "concentration_by(''SELECT m, c, a FROM inv'')')",
                  "concentration: amount must be a finite number, got 'abc' (period 1, "
                  "customer 7)");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT 1, customer, amount FROM "
                      "concentration(''SELECT 1, 2, 3'')')",
                  "concentration_by: the query must return 2 columns (customer, amount), "
                  "it returns 3");
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT 1, 1, herfindahl(a) FROM inv')",
                  "concentration_by: herfindahl: amount must be a finite number, got 'abc'");
  /* SQLite's own errors get the prefix once too */
  pf_expect_error(db, "SELECT * FROM concentration_by('SELECT 1, customer, amount FROM "
                      "concentration(''SELECT x, a FROM inv'')')",
                  "concentration_by: no such column: x");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("concentration_by");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, worked_example_by_hand);
  tcase_add_test(tc, generated_invoices_equal_group_by_per_period);
  tcase_add_test(tc, null_argument_and_empty_query_results);
  tcase_add_test(tc, every_error_says_which);
  tcase_add_test(tc, direct_only_and_bounded_nesting);
  tcase_add_test(tc, nested_errors_carry_one_prefix);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
