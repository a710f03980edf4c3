/*
** testing.h: shared helpers for the Check unit tests. Each tests/test_*.c is its own
** program: it defines `static Suite *make_suite(void)` and ends with PF_TEST_MAIN.
** The extension is compiled in (-DSQLITE_CORE) and registered with sqlite3_auto_extension,
** so every connection the tests open has it.
*/
#ifndef PORTFOLIO_TESTING_H
#define PORTFOLIO_TESTING_H

#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sqlite3_portfolio_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

static inline sqlite3 *pf_open(void) {
  sqlite3 *db = 0;
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  return db;
}

/* Runs SQL that returns no rows; fails the test with SQLite's message on error. */
static inline void pf_exec(sqlite3 *db, const char *sql) {
  char *err = 0;
  int rc = sqlite3_exec(db, sql, 0, 0, &err);
  ck_assert_msg(rc == SQLITE_OK, "exec failed (%s): %s", err ? err : "?", sql);
  sqlite3_free(err);
}

/* Prepares sql, binds nothing, steps once; the caller reads column 0 and finalizes. */
static inline sqlite3_stmt *pf_query(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  ck_assert_msg(rc == SQLITE_OK, "prepare failed (%s): %s", sqlite3_errmsg(db), sql);
  rc = sqlite3_step(stmt);
  ck_assert_msg(rc == SQLITE_ROW, "no row (%s): %s", sqlite3_errmsg(db), sql);
  return stmt;
}

/* The single value a query returns, as a double; asserts it is not NULL. */
static inline double pf_double(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = pf_query(db, sql);
  double d;
  ck_assert_msg(sqlite3_column_type(stmt, 0) != SQLITE_NULL, "NULL from: %s", sql);
  d = sqlite3_column_double(stmt, 0);
  sqlite3_finalize(stmt);
  return d;
}

static inline sqlite3_int64 pf_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = pf_query(db, sql);
  sqlite3_int64 i = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return i;
}

/* The type (SQLITE_NULL, ...) of the single value a query returns. */
static inline int pf_type(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = pf_query(db, sql);
  int t = sqlite3_column_type(stmt, 0);
  sqlite3_finalize(stmt);
  return t;
}

/* The single text value a query returns, copied into buf. */
static inline const char *pf_text(sqlite3 *db, const char *sql, char *buf, size_t n) {
  sqlite3_stmt *stmt = pf_query(db, sql);
  const unsigned char *z = sqlite3_column_text(stmt, 0);
  snprintf(buf, n, "%s", z ? (const char *)z : "(null)");
  sqlite3_finalize(stmt);
  return buf;
}

/* Runs sql to completion and asserts it fails with exactly the message `want`. */
static inline void pf_expect_error(sqlite3 *db, const char *sql, const char *want) {
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  if (rc == SQLITE_OK) { /* step past every row: the error may come after some */
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
  }
  ck_assert_msg(rc != SQLITE_DONE && rc != SQLITE_OK, "expected an error from: %s", sql);
  ck_assert_str_eq(sqlite3_errmsg(db), want);
  sqlite3_finalize(stmt);
}

/* Relative closeness for doubles worked out independently. */
#define pf_assert_near(got, want, rel)                                                       \
  do {                                                                                       \
    double g_ = (got), w_ = (want);                                                          \
    ck_assert_msg(fabs(g_ - w_) <= (rel) * fmax(1.0, fabs(w_)), "got %.17g, want %.17g", g_, \
                  w_);                                                                       \
  } while (0)

#define PF_TEST_MAIN                                                              \
  int main(void) {                                                                \
    SRunner *runner;                                                              \
    int failed;                                                                   \
    sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);               \
    runner = srunner_create(make_suite());                                        \
    srunner_run_all(runner, CK_NORMAL);                                           \
    failed = srunner_ntests_failed(runner);                                       \
    srunner_free(runner);                                                         \
    sqlite3_reset_auto_extension();                                               \
    sqlite3_shutdown();                                                           \
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                             \
  }

#endif
