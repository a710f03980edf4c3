/*
** test_security.c: one test per claim of SECURITY.md.
**   1. concentration is DIRECTONLY: a view or a trigger that calls it fails, whatever
**      trusted_schema says; the pure functions are INNOCUOUS: views, triggers and generated
**      columns that call them work with trusted_schema=OFF.
**   2. The query argument is one read-only statement returning two columns: writes,
**      statements that change the connection (ATTACH, BEGIN, PRAGMA x=y), RETURNING and a
**      second statement are refused before anything runs, and the database is unchanged.
**   3. A query that calls concentration on itself (through a value stored in a table) stops
**      with an error at a fixed depth instead of overflowing the C stack.
**   4. Nothing the extension runs writes or changes the connection: every function and
**      table works under an authorizer that denies everything but reading, and the
**      authorizer also governs the query given to concentration.
** (That the library imports no file, network or process functions is checked by
** tests/no_io_imports.test.sh.)
*/
#include "testing.h"

static sqlite3 *open_with_invoices(void) {
  sqlite3 *db = pf_open();
  pf_exec(db,
          "CREATE TABLE t(c, a);"
          "INSERT INTO t VALUES (1, 30), (2, 30), (3, 20), (4, 20);");
  return db;
}

static int count_rows(sqlite3 *db, const char *sql) {
  return (int)pf_int(db, sql);
}

/* Prepares and steps sql to the end; returns the first error code (or SQLITE_DONE). */
static int run_to_end(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
  }
  sqlite3_finalize(stmt);
  return rc;
}

START_TEST(view_calling_concentration_fails_with_trusted_schema_on_and_off) {
  sqlite3 *db = open_with_invoices();
  pf_exec(db, "CREATE VIEW v AS SELECT * FROM concentration('SELECT c, a FROM t')");
  pf_exec(db, "PRAGMA trusted_schema=ON");
  pf_expect_error(db, "SELECT count(*) FROM v", "unsafe use of virtual table \"concentration\"");
  pf_exec(db, "PRAGMA trusted_schema=OFF");
  pf_expect_error(db, "SELECT count(*) FROM v", "unsafe use of virtual table \"concentration\"");
  /* The same query typed directly runs. */
  ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM concentration('SELECT c, a FROM t')"),
                   4);
  /* concentration_by is DIRECTONLY too */
  pf_exec(db, "CREATE VIEW vb AS SELECT * FROM concentration_by('SELECT 1, c, a FROM t')");
  pf_expect_error(db, "SELECT count(*) FROM vb",
                  "unsafe use of virtual table \"concentration_by\"");
  pf_exec(db, "PRAGMA trusted_schema=ON");
  pf_expect_error(db, "SELECT count(*) FROM vb",
                  "unsafe use of virtual table \"concentration_by\"");
  ck_assert_int_eq(
      count_rows(db, "SELECT customers FROM concentration_by('SELECT 1, c, a FROM t')"), 4);
  sqlite3_close(db);
}
END_TEST

START_TEST(trigger_calling_concentration_fails) {
  sqlite3 *db = open_with_invoices();
  pf_exec(db,
          "CREATE TABLE log(x);"
          "CREATE TABLE out(n);"
          "CREATE TRIGGER tr AFTER INSERT ON log BEGIN"
          "  INSERT INTO out SELECT count(*) FROM concentration('SELECT c, a FROM t');"
          "END;");
  pf_exec(db, "PRAGMA trusted_schema=ON");
  pf_expect_error(db, "INSERT INTO log VALUES (1)",
                  "unsafe use of virtual table \"concentration\"");
  ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM out"), 0);
  ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM log"), 0);
  sqlite3_close(db);
}
END_TEST

START_TEST(pure_functions_work_in_views_triggers_and_generated_columns_untrusted) {
  sqlite3 *db = open_with_invoices();
  pf_exec(db, "PRAGMA trusted_schema=OFF");
  pf_exec(db,
          "CREATE VIEW v AS SELECT herfindahl(a) h, herfindahl(c, a) hk, top_share(a, 2) t2,"
          " top_share(c, a, 1) t1, gini(a) g, gini(c, a) gk, hhi_band(herfindahl(a)) b,"
          " hhi_band(2600, 2010) b10, portfolio_version() ver FROM t;"
          "CREATE VIEW w AS SELECT herfindahl(a) OVER (ORDER BY c ROWS 1 PRECEDING) h FROM t;"
          "CREATE TABLE g(x, band AS (hhi_band(x)));"
          "CREATE TABLE log(h);"
          "CREATE TRIGGER tr AFTER INSERT ON g BEGIN"
          "  INSERT INTO log SELECT herfindahl(a) FROM t;"
          "END;"
          "INSERT INTO g(x) VALUES (2600);");
  /* 30/30/20/20: HHI 2600 (0.09+0.09+0.04+0.04), top 2 = 0.6, top 1 = 0.3 */
  pf_assert_near(pf_double(db, "SELECT h FROM v"), 2600, 1e-12);
  pf_assert_near(pf_double(db, "SELECT hk FROM v"), 2600, 1e-12);
  pf_assert_near(pf_double(db, "SELECT t2 FROM v"), 0.6, 1e-12);
  pf_assert_near(pf_double(db, "SELECT t1 FROM v"), 0.3, 1e-12);
  /* Gini of 20,20,30,30: sum|xi-xj| over ordered pairs = 8*10 = 80; / (2 n^2 mean) = 80/800 */
  pf_assert_near(pf_double(db, "SELECT g FROM v"), 0.1, 1e-12);
  pf_assert_near(pf_double(db, "SELECT gk FROM v"), 0.1, 1e-12);
  {
    char buf[64];
    ck_assert_str_eq(pf_text(db, "SELECT b FROM v", buf, sizeof buf), "highly concentrated");
    ck_assert_str_eq(pf_text(db, "SELECT b10 FROM v", buf, sizeof buf),
                     "highly concentrated");
    ck_assert_str_eq(pf_text(db, "SELECT band FROM g", buf, sizeof buf),
                     "highly concentrated");
    ck_assert_str_eq(pf_text(db, "SELECT ver FROM v", buf, sizeof buf), "0.1.0");
  }
  /* first frame: customer 1 alone */
  pf_assert_near(pf_double(db, "SELECT h FROM w LIMIT 1"), 10000, 1e-12);
  pf_assert_near(pf_double(db, "SELECT h FROM log"), 2600, 1e-12);
  sqlite3_close(db);
}
END_TEST

/* Each refused query leaves the database exactly as it was. */
static void expect_refused(sqlite3 *db, const char *query, const char *want) {
  char sql[512];
  snprintf(sql, sizeof sql, "SELECT * FROM concentration('%s')", query);
  pf_expect_error(db, sql, want);
  ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM t"), 4);
  ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM pragma_database_list"
                                  " WHERE name NOT IN ('main', 'temp')"),
                   0);
  ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM sqlite_temp_master"), 0);
  ck_assert_int_eq(count_rows(db, "PRAGMA user_version"), 0);
  ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
}

START_TEST(writing_and_connection_changing_queries_are_refused) {
  sqlite3 *db = open_with_invoices();
  const char *read_only = "concentration: the query must be read-only, it writes to the database";
  const char *two_cols = "concentration: the query must return 2 columns (customer, amount), "
                         "it returns 0";
  expect_refused(db, "INSERT INTO t VALUES (5, 5) RETURNING c, a", read_only);
  expect_refused(db, "UPDATE t SET a = 0 RETURNING c, a", read_only);
  expect_refused(db, "DELETE FROM t RETURNING c, a", read_only);
  expect_refused(db, "CREATE TEMP TABLE x(c, a)", read_only);
  expect_refused(db, "DROP TABLE t", read_only);
  expect_refused(db, "PRAGMA user_version = 5", read_only);
  /* ATTACH and BEGIN count as read-only for SQLite, and return no columns: refused. */
  expect_refused(db, "ATTACH '':memory:'' AS x", two_cols);
  expect_refused(db, "BEGIN", two_cols);
  expect_refused(db, "SELECT c, a FROM t; DROP TABLE t",
                 "concentration: the query must be one statement, found more than one");
  expect_refused(db, "SELECT c, a FROM t; ATTACH '':memory:'' AS x",
                 "concentration: the query must be one statement, found more than one");
  /* concentration_by checks its query the same way */
  {
    char sql[256];
    snprintf(sql, sizeof sql, "%s", "SELECT * FROM concentration_by("
             "'DELETE FROM t RETURNING 1, c, a')");
    pf_expect_error(db, sql,
                    "concentration_by: the query must be read-only, it writes to the database");
    pf_expect_error(db, "SELECT * FROM concentration_by('ATTACH '':memory:'' AS x')",
                    "concentration_by: the query must return 3 columns (period, customer,"
                    " amount), it returns 0");
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM t"), 4);
  }
  /* A trailing semicolon, blanks or a comment are not a second statement. */
  ck_assert_int_eq(
      count_rows(db, "SELECT count(*) FROM concentration('SELECT c, a FROM t;  -- done')"), 4);
  sqlite3_close(db);
}
END_TEST

START_TEST(self_calling_query_stops_at_a_fixed_depth) {
  sqlite3 *db = open_with_invoices();
  pf_exec(db,
          "CREATE TABLE q(s);"
          "INSERT INTO q VALUES"
          " ('SELECT customer, amount FROM concentration((SELECT s FROM q))');");
  pf_expect_error(db, "SELECT count(*) FROM concentration((SELECT s FROM q))",
                  "concentration: queries nested more than 10 deep "
                  "(does the query call concentration on itself?)");
  /* Legitimate nesting still works: the ranking of a ranking. */
  ck_assert_int_eq(count_rows(db,
                              "SELECT count(*) FROM concentration('SELECT customer, amount"
                              " FROM concentration(''SELECT c, a FROM t'')')"),
                   4);
  /* And the connection is usable afterwards (the depth was unwound). */
  ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM concentration('SELECT c, a FROM t')"),
                   4);
  ck_assert_int_eq(run_to_end(db, "SELECT * FROM concentration((SELECT s FROM q))"),
                   SQLITE_ERROR);
  /* concentration_by on itself, and the two calling each other */
  pf_exec(db,
          "CREATE TABLE qb(s);"
          "INSERT INTO qb VALUES ('SELECT 1, period, customers"
          " FROM concentration_by((SELECT s FROM qb))');"
          "CREATE TABLE qc(s);"
          "INSERT INTO qc VALUES ('SELECT 1, customer, amount FROM concentration("
          "''SELECT period, customers FROM concentration_by((SELECT s FROM qc))'')');");
  pf_expect_error(db, "SELECT count(*) FROM concentration_by((SELECT s FROM qb))",
                  "concentration_by: queries nested more than 10 deep "
                  "(does the query call concentration_by on itself?)");
  /* each stops at its own depth; the message is not prefixed again at every level */
  pf_expect_error(db, "SELECT count(*) FROM concentration_by((SELECT s FROM qc))",
                  "concentration_by: queries nested more than 10 deep "
                  "(does the query call concentration_by on itself?)");
  sqlite3_close(db);
}
END_TEST

/* ---- the extension never writes ------------------------------------------------------ */

/* Denies every action that could change a database or the connection, and counts them. */
static int denied;
static int deny_writes(void *arg, int action, const char *a, const char *b, const char *c,
                       const char *d) {
  (void)arg, (void)a, (void)b, (void)c, (void)d;
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    default:
      denied++;
      return SQLITE_DENY;
  }
}

START_TEST(every_function_runs_with_all_writes_denied) {
  static const char *const calls[] = {
      "SELECT herfindahl(a), herfindahl(c, a), top_share(a, 2), top_share(c, a, 2), gini(a),"
      " gini(c, a), hhi_band(2600), hhi_band(2600, 2010), portfolio_version() FROM t",
      "SELECT herfindahl(c, a) OVER (ORDER BY c ROWS 1 PRECEDING) FROM t",
      "SELECT count(*) FROM concentration('SELECT c, a FROM t')",
      "SELECT risk_score('adoption', 0.5, 'weights', '{\"adoption\": 2}')",
      "SELECT risk_explain('industry', 'travel', 'weights', '{\"industry\": 1}')",
      "SELECT phase_of('risk', 80, 'thresholds', '{\"risk\": 90}')",
      "SELECT count(*) FROM risk_model, risk_industries, phases",
  };
  sqlite3 *db = open_with_invoices();
  size_t i;
  /* SQLite itself checks SQLITE_UPDATE on sqlite_master while it sets up an eponymous
  ** table (concentration, json_each) for the first time: do that before watching. */
  for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
    ck_assert_int_eq(run_to_end(db, calls[i]), SQLITE_DONE);
  denied = 0;
  sqlite3_set_authorizer(db, deny_writes, 0);
  for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
    ck_assert_msg(run_to_end(db, calls[i]) == SQLITE_DONE, "%s: %s", calls[i],
                  sqlite3_errmsg(db));
  ck_assert_int_eq(denied, 0);
  /* and the authorizer does see what runs inside concentration: */
  pf_expect_error(db,
                  "SELECT * FROM concentration('SELECT c, a FROM t"
                  " WHERE c IN (SELECT c FROM pragma_table_info(''t''))')",
                  "concentration: not authorized");
  ck_assert_int_gt(denied, 0);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("security");
  TCase *tc = tcase_create("claims");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, view_calling_concentration_fails_with_trusted_schema_on_and_off);
  tcase_add_test(tc, trigger_calling_concentration_fails);
  tcase_add_test(tc, pure_functions_work_in_views_triggers_and_generated_columns_untrusted);
  tcase_add_test(tc, writing_and_connection_changing_queries_are_refused);
  tcase_add_test(tc, self_calling_query_stops_at_a_fixed_depth);
  tcase_add_test(tc, every_function_runs_with_all_writes_denied);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
