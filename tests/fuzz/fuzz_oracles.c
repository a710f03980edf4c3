/*
** fuzz_oracles.c: what the harness of fuzz_portfolio.c checks of every statement it runs:
** the documented range of each function's result, every column of the concentration and
** movements tables, and an error that always has a message.
*/

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* ---- oracles -------------------------------------------------------------------------- */

void fail(const char *what, const char *sql) {
  fprintf(stderr, "fuzz_portfolio: %s\n  in: %.300s\n", what, sql);
  abort();
}

/* FUZZ_VERBOSE=1: prints the rows of t (to replay a crash by hand). */
static void dump_rows(sqlite3 *db) {
  sqlite3_stmt *stmt = 0;
  if (!getenv("FUZZ_VERBOSE")) return;
  sqlite3_prepare_v2(db, "SELECT quote(k), quote(a), quote(n) FROM t", -1, &stmt, 0);
  while (stmt && sqlite3_step(stmt) == SQLITE_ROW)
    fprintf(stderr, "row: %.80s | %.80s | %.80s\n", sqlite3_column_text(stmt, 0),
            sqlite3_column_text(stmt, 1), sqlite3_column_text(stmt, 2));
  sqlite3_finalize(stmt);
}

/* NULL, or a REAL within [lo, hi]. */
static int null_or_in(sqlite3_stmt *stmt, int col, double lo, double hi) {
  int type = sqlite3_column_type(stmt, col);
  double d = sqlite3_column_double(stmt, col);
  return type == SQLITE_NULL || (type == SQLITE_FLOAT && d >= lo && d <= hi);
}

/* Rows of the concentration(...) statement now running, and whether one had a NULL
** hhi_without: that is only right when the portfolio has one customer. */
static int conc_rows, conc_null_without;

/* A row of SELECT * FROM concentration(...) or concentration_by(...). */
static void check_table_row(const char *fn, sqlite3_stmt *stmt, const char *sql) {
  const double hhi_max = 10000 * (1 + 1e-9);
  if (strcmp(fn, "concentration") == 0 && sqlite3_column_count(stmt) == 9) {
    const char *pareto = (const char *)sqlite3_column_text(stmt, 5);
    if (sqlite3_column_int64(stmt, 0) < 1) fail("concentration: rank below 1", sql);
    if (sqlite3_column_type(stmt, 3) == SQLITE_NULL || !null_or_in(stmt, 3, 0, 1))
      fail("concentration: share out of [0, 1]", sql);
    if (!null_or_in(stmt, 4, 0, 1 + 1e-9)) fail("concentration: cumulative_share > 1", sql);
    if (!pareto || (strcmp(pareto, "A") && strcmp(pareto, "B") && strcmp(pareto, "C")))
      fail("concentration: pareto_class not A, B or C", sql);
    if (sqlite3_column_int64(stmt, 6) >> 1) fail("concentration: major not 0 or 1", sql);
    if (!null_or_in(stmt, 7, 0, hhi_max) || !null_or_in(stmt, 8, 0, hhi_max))
      fail("concentration: hhi column out of 0-10000", sql);
    /* the others hold positive totals: their HHI is at least 10000 / their count */
    if (sqlite3_column_type(stmt, 8) == SQLITE_FLOAT && !(sqlite3_column_double(stmt, 8) > 0))
      fail("concentration: hhi_without 0 beside positive customers", sql);
    conc_rows++;
    conc_null_without |= sqlite3_column_type(stmt, 8) == SQLITE_NULL;
  }
  if (strcmp(fn, "concentration_by") == 0 && sqlite3_column_count(stmt) == 5) {
    if (sqlite3_column_type(stmt, 0) == SQLITE_NULL) fail("concentration_by: NULL period", sql);
    if (sqlite3_column_int64(stmt, 1) < 0) fail("concentration_by: customers < 0", sql);
    if (!null_or_in(stmt, 2, 0, hhi_max) || !null_or_in(stmt, 3, 0, 1) ||
        !null_or_in(stmt, 4, -1e-12, 1))
      fail("concentration_by: a measure out of its range", sql);
  }
}

/* A row of SELECT * FROM revenue_movements / customer_movements / revenue_cohorts. */
static void check_movements_row(const char *fn, sqlite3_stmt *stmt, const char *sql) {
  static const char *const moves = " new reactivation expansion contraction churn flat ";
  int i;
  if (sqlite3_column_type(stmt, 0) == SQLITE_NULL) fail("movements: NULL period or cohort", sql);
  if (strcmp(fn, "revenue_movements") == 0 && sqlite3_column_count(stmt) == 17) {
    double v[7], scale = 1;
    for (i = 0; i < 7; i++) {
      v[i] = sqlite3_column_double(stmt, 2 + i);
      if (!(v[i] >= 0)) fail("revenue_movements: a negative sum", sql);
      scale += v[i];
    }
    if (fabs(v[0] + v[1] + v[2] + v[3] - v[4] - v[5] - v[6]) > 1e-9 * scale)
      fail("revenue_movements: start + movements != end", sql);
    for (i = 9; i < 14; i++)
      if (sqlite3_column_int64(stmt, i) < 0) fail("revenue_movements: a count < 0", sql);
    if (!null_or_in(stmt, 14, -1e-9, 1 + 1e-9) || !null_or_in(stmt, 15, -1e-9, DBL_MAX) ||
        !null_or_in(stmt, 16, 0, DBL_MAX))
      fail("revenue_movements: a ratio out of its range", sql);
  }
  if (strcmp(fn, "customer_movements") == 0 && sqlite3_column_count(stmt) == 6) {
    const char *m = (const char *)sqlite3_column_text(stmt, 5);
    char word[16];
    snprintf(word, sizeof word, " %.12s ", m ? m : "?");
    if (!m || !strstr(moves, word)) fail("customer_movements: unknown movement", sql);
    if (!(sqlite3_column_double(stmt, 2) >= 0 && sqlite3_column_double(stmt, 3) >= 0))
      fail("customer_movements: a negative revenue", sql);
  }
  if (strcmp(fn, "revenue_cohorts") == 0 && sqlite3_column_count(stmt) == 7) {
    if (sqlite3_column_int64(stmt, 2) < 0 || sqlite3_column_int64(stmt, 3) < 0 ||
        !null_or_in(stmt, 5, 0, 1) || !null_or_in(stmt, 6, 0, DBL_MAX))
      fail("revenue_cohorts: a column out of its range", sql);
  }
}

/* Checks the documented range of a successful result of function fn. */
static void check_result(const char *fn, sqlite3_stmt *stmt, int col, const char *sql) {
  int type = sqlite3_column_type(stmt, col);
  double d = sqlite3_column_double(stmt, col);
  if (strncmp(fn, "concentration", 13) == 0) {
    check_table_row(fn, stmt, sql);
    return;
  }
  if (strstr(fn, "movements") || strcmp(fn, "revenue_cohorts") == 0) {
    check_movements_row(fn, stmt, sql);
    return;
  }
  if (type == SQLITE_NULL) return;
  if (strcmp(fn, "herfindahl") == 0 && !(type == SQLITE_FLOAT && d >= 0 && d <= 10000.0000001))
    fail("herfindahl out of 0-10000", sql);
  if (strcmp(fn, "top_share") == 0 && !(type == SQLITE_FLOAT && d > 0 && d <= 1))
    fail("top_share out of (0, 1]", sql);
  if (strcmp(fn, "gini") == 0 && !(type == SQLITE_FLOAT && d >= -1e-12 && d < 1))
    fail("gini out of [0, 1)", sql);
  if (strcmp(fn, "risk_score") == 0 && !(type == SQLITE_FLOAT && d >= 0 && d <= 100))
    fail("risk_score out of 0-100", sql);
  if (strcmp(fn, "auc") == 0 && !(type == SQLITE_FLOAT && d >= 0 && d <= 1))
    fail("auc out of [0, 1]", sql);
  if (strcmp(fn, "lift") == 0 && !(type == SQLITE_FLOAT && d >= 0 && isfinite(d)))
    fail("lift negative or not finite", sql);
  if (strcmp(fn, "hhi_band") == 0) {
    const char *z = (const char *)sqlite3_column_text(stmt, col);
    if (!z || (strcmp(z, "unconcentrated") && strcmp(z, "moderately concentrated") &&
               strcmp(z, "highly concentrated")))
      fail("hhi_band gave an unknown band", sql);
  }
  if (strcmp(fn, "risk_explain") == 0 || strcmp(fn, "risk_fit") == 0) {
    sqlite3_stmt *check = 0;
    int valid = 0;
    if (type != SQLITE_TEXT) fail("risk_explain or risk_fit did not return TEXT", sql);
    if (sqlite3_prepare_v2(sqlite3_db_handle(stmt), "SELECT json_valid(?)", -1, &check, 0) ==
            SQLITE_OK &&
        sqlite3_bind_value(check, 1, sqlite3_column_value(stmt, col)) == SQLITE_OK &&
        sqlite3_step(check) == SQLITE_ROW)
      valid = sqlite3_column_int(check, 0);
    else
      valid = 1; /* out of memory: no verdict */
    sqlite3_finalize(check);
    if (!valid) fail("risk_explain or risk_fit returned invalid JSON", sql);
  }
  if (strcmp(fn, "phase_of") == 0) {
    const char *z = (const char *)sqlite3_column_text(stmt, col);
    if (!z || (strcmp(z, "deployment") && strcmp(z, "defense") && strcmp(z, "maturation") &&
               strcmp(z, "growth")))
      fail("phase_of gave an unknown phase", sql);
  }
}

/* Runs a prepared statement to the end, checking column `col` of each row as fn. */
void run(sqlite3 *db, sqlite3_stmt *stmt, const char *fn, int col) {
  int rc;
  dump_rows(db);
  conc_rows = conc_null_without = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (fn) check_result(fn, stmt, col, sqlite3_sql(stmt));
  }
  if (rc == SQLITE_DONE && conc_null_without && conc_rows > 1)
    fail("concentration: hhi_without NULL with more than one customer", sqlite3_sql(stmt));
  if (getenv("FUZZ_VERBOSE")) { /* replaying a crash: what ran, over which rows */
    char *z = sqlite3_expanded_sql(stmt);
    fprintf(stderr, "ran: %.500s -> %s\n", z ? z : "?", sqlite3_errmsg(db));
    sqlite3_free(z);
  }
  if (rc != SQLITE_DONE) {
    const char *msg = sqlite3_errmsg(db);
    if (msg == 0 || msg[0] == 0) fail("an error without a message", sqlite3_sql(stmt));
  }
  sqlite3_finalize(stmt);
}

sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, 0) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return 0;
  }
  return stmt;
}

/* SELECT fn(?, ?, ...) with argc parameters, then tail, prepared (0 when it does not). */
sqlite3_stmt *prepare_call(sqlite3 *db, const char *fn, int argc, const char *tail) {
  char sql[256];
  int n = snprintf(sql, sizeof sql, "SELECT %s(", fn), i;
  for (i = 0; i < argc; i++) n += snprintf(sql + n, sizeof sql - n, "%s?", i ? "," : "");
  snprintf(sql + n, sizeof sql - n, ")%s", tail);
  return prepare(db, sql);
}
