/*
** fuzz_actions.c: the actions of fuzz_portfolio.c over the table t: scalar calls, filling
** t, aggregates and windows (with the row-order check of the exact measures), and the
** query-taking tables (concentration, concentration_by, the movements tables).
*/

#include <string.h>

#include "fuzz.h"

static const char *const function_names[] = {
    "herfindahl", "top_share", "gini", "hhi_band", "portfolio_version", "risk_score",
    "risk_explain", "phase_of", "concentration", "concentration_by", "risk_fit",
};

/* ---- actions -------------------------------------------------------------------------- */

void action_scalar(sqlite3 *db, input *in) {
  const char *fn = PICK(in, function_names);
  int argc = (int)(take(in) % (MAX_ARGS + 1)), i;
  sqlite3_stmt *stmt = prepare_call(db, fn, argc, "");
  if (stmt == 0) return;
  for (i = 1; i <= argc; i++) bind_value(stmt, i, in);
  run(db, stmt, fn, 0);
}

/* Fills table t(k, a, n) with fuzzed rows. */
void fill_rows(sqlite3 *db, input *in) {
  int rows = (int)(take(in) % (MAX_ROWS + 1)), r;
  sqlite3_stmt *stmt = prepare(db, "INSERT INTO t(k, a, n) VALUES (?, ?, ?)");
  if (stmt == 0) return;
  for (r = 0; r < rows && in->n > 0; r++) {
    bind_value(stmt, 1, in);
    bind_value(stmt, 2, in);
    if (take(in) % 4 == 0)
      bind_value(stmt, 3, in);
    else
      sqlite3_bind_int(stmt, 3, 2);
    sqlite3_step(stmt);
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
}

static const char *const aggregate_forms[] = {
    "herfindahl(a)", "herfindahl(k, a)", "top_share(a, n)", "top_share(k, a, n)", "gini(a)",
    "gini(k, a)", "top_share(a, 1)", "top_share(k, a, 3)", "herfindahl(a, a)", "gini(k, k)",
    "herfindahl(k)", "top_share(k, a, n, n)", "gini()", "hhi_band(a)", "hhi_band(a, n)",
    "risk_score(k, a)", "phase_of(k, a)", "risk_explain(k, a, 'weights', n)",
    "auc(a, n)", "auc(a, a)", "auc(k, n % 2)", "lift(a, n, 0.5)", "lift(a, n % 2, n)",
    "risk_fit(a, 'x', k)", "risk_fit(rowid % 2, 'x', a, 'y', k)", "risk_fit(n, k, a)",
    "risk_fit(rowid % 2, 'x', a, 'options', k)", "risk_fit(rowid % 2, 'x', k, 'y', a, 'options',"
    " '{\"monotone\": [\"x\"], \"l2\": 0, \"min_share\": 0, \"bins\": 20}')",
    "risk_fit(rowid % 2, 'adoption', a, 'industry', k)",
};

static const char *const frames[] = {
    "", "ORDER BY rowid", "ORDER BY rowid ROWS BETWEEN 1 PRECEDING AND CURRENT ROW",
    "ORDER BY rowid ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING",
    "ORDER BY a RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW",
    "PARTITION BY n ORDER BY rowid ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING",
    "ORDER BY rowid ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING",
    "ORDER BY rowid GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW",
};

/* The one value of a statement (its first row's first column) as its type and bytes: 0
** when the statement fails (an error, an interrupt, out of memory) or gives no row. */
static int value_of(sqlite3 *db, const char *sql, int *type, unsigned char *bytes, int *len) {
  sqlite3_stmt *stmt;
  int ok = 0;
  if ((stmt = prepare(db, sql)) == 0) return 0;
  budget = STEP_BUDGET;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    *type = sqlite3_column_type(stmt, 0);
    if (*type == SQLITE_FLOAT) {
      double d = sqlite3_column_double(stmt, 0);
      memcpy(bytes, &d, 8);
      *len = 8;
    } else {
      const unsigned char *z = sqlite3_column_text(stmt, 0);
      *len = z ? (int)strnlen((const char *)z, 255) : 0;
      if (z) memcpy(bytes, z, (size_t)*len);
    }
    ok = 1;
  }
  sqlite3_finalize(stmt);
  return ok;
}

/* `SELECT form FROM t` read in the given row order. */
static int value_in_order(sqlite3 *db, const char *form, const char *order, int *type,
                          unsigned char *bytes, int *len) {
  char sql[512];
  snprintf(sql, sizeof sql, "SELECT %s FROM (SELECT * FROM t ORDER BY %s)", form, order);
  return value_of(db, sql, type, bytes, len);
}

/* The HHI sums are exact (pf_sqsums), and a sliding frame takes the rows that leave it
** out exactly: its value at the last row equals the one pass over the frame's 3 rows. */
static void check_window_equals_pass(sqlite3 *db, const char *form) {
  char sql[512];
  unsigned char a[256], b[256];
  int ta, tb, la, lb;
  if (strcmp(form, "herfindahl(a)") != 0 && strcmp(form, "herfindahl(k, a)") != 0) return;
  if (!value_in_order(db, form, "rowid DESC LIMIT 3", &ta, a, &la)) return;
  snprintf(sql, sizeof sql, "SELECT v FROM (SELECT rowid r, %s OVER (ORDER BY rowid ROWS 2"
                            " PRECEDING) v FROM t) ORDER BY r DESC LIMIT 1", form);
  if (!value_of(db, sql, &tb, b, &lb)) return;
  if (ta != tb || la != lb || memcmp(a, b, (size_t)la) != 0)
    fail("a sliding window differs from one pass over its frame", sql);
}

/* The measures whose sums are exact: the same rows in the opposite order give the same
** bits (issue 15.5; the unkeyed herfindahl(a) too since its squares are exact). */
static void check_order_independent(sqlite3 *db, const char *form) {
  static const char *const exact_forms[] = {"herfindahl(a)", "herfindahl(k, a)",
                                            "top_share(a, n)", "top_share(k, a, n)",
                                            "gini(a)", "gini(k, a)", "top_share(a, 1)",
                                            "top_share(k, a, 3)"};
  /* reversed, and largest first (which puts x and -x side by side: cancelled early) */
  static const char *const orders[] = {"rowid DESC", "abs(a) DESC, rowid"};
  unsigned char a[256], b[256];
  int ta, tb, la, lb;
  size_t i;
  check_window_equals_pass(db, form);
  for (i = 0; i < sizeof exact_forms / sizeof exact_forms[0]; i++)
    if (strcmp(form, exact_forms[i]) == 0) break;
  if (i == sizeof exact_forms / sizeof exact_forms[0]) return;
  if (!value_in_order(db, form, "rowid", &ta, a, &la)) return;
  for (i = 0; i < sizeof orders / sizeof orders[0]; i++) {
    if (!value_in_order(db, form, orders[i], &tb, b, &lb)) continue;
    if (ta != tb || la != lb || memcmp(a, b, (size_t)la) != 0)
      fail("a measure changed with the order of the rows", form);
  }
}

void action_aggregate(sqlite3 *db, input *in) {
  const char *form = PICK(in, aggregate_forms);
  char fn[32], sql[512];
  sqlite3_stmt *stmt;
  size_t fl = strcspn(form, "(");
  snprintf(fn, sizeof fn, "%.*s", (int)fl, form);
  if (take(in) % 2) {
    snprintf(sql, sizeof sql, "SELECT %s FROM t", form);
    check_order_independent(db, form);
  } else {
    const char *frame = PICK(in, frames);
    snprintf(sql, sizeof sql, "SELECT %s OVER (%s) FROM t", form, frame);
  }
  if ((stmt = prepare(db, sql)) != 0) run(db, stmt, fn, 0);
}

static const char *const query_fragments[] = {
    "SELECT k, a FROM t", "SELECT a, k FROM t", "SELECT k FROM t", "SELECT k, a, n FROM t",
    "SELECT k, a FROM t; SELECT 1", "SELECT k, a FROM t;  -- end",
    "INSERT INTO t VALUES (1, 2, 3) RETURNING k, a",
    "DELETE FROM t RETURNING k, a", "ATTACH ':memory:' AS x", "BEGIN", "PRAGMA user_version = 1",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x % 7, x FROM c",
    "SELECT customer, amount FROM concentration('SELECT k, a FROM t')",
    "SELECT customer, amount FROM concentration((SELECT s FROM q))", "", "  ", "-- only",
    "SELECT k, CASE WHEN rowid > 3 THEN abs(-9223372036854775808) ELSE a END FROM t",
    "SELECT k, a FROM t ORDER BY random()", "SELECT n, sum(a) FROM t GROUP BY n",
    "SELECT k, herfindahl(a) OVER () FROM t", "SELECT 1, 2 UNION ALL SELECT 1, -2",
    "VALUES (1, 1e308), (2, 1e308), (3, -1e308)", "SELECT zeroblob(0), 1",
    "SELECT k, a FROM nowhere", "SELECT", "SELECT k, a FROM t WHERE a > ?",
    "SELECT k, fuzz_direct(a) FROM t", "SELECT k, a FROM t WHERE fuzz_unsafe(a)",
    "WITH w AS (SELECT k, fuzz_unsafe(a) AS a FROM t) SELECT k, a FROM w",
    "SELECT k, (SELECT fuzz_direct(1)) FROM t", "SELECT k, a FROM unsafe_view",
    "SELECT customer, amount FROM concentration('SELECT k, FUZZ_DIRECT(a) FROM t')",
    "SELECT json_extract(json_object('k', k), '$.k'), a ->> '$' FROM t",
    "SELECT date('2024-01-01', k || ' days'), a FROM t",
};

static const char *const by_fragments[] = {
    "SELECT n, k, a FROM t", "SELECT k, n, a FROM t", "SELECT n, k FROM t",
    "SELECT n, k, a, a FROM t", "SELECT n, k, a FROM t; SELECT 1", "SELECT 1, k, a FROM t",
    "SELECT a, k, a FROM t", "SELECT k, k, a FROM t", "SELECT NULL, k, a FROM t",
    "SELECT '', k, a FROM t", "SELECT zeroblob(n), k, a FROM t",
    "SELECT n, k, CASE WHEN rowid > 3 THEN abs(-9223372036854775808) ELSE a END FROM t",
    "SELECT period, customers, herfindahl FROM concentration_by('SELECT n, k, a FROM t')",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x % 3, x % 7, x"
    " FROM c",
    "UPDATE t SET a = 1 RETURNING n, k, a", "",
    "SELECT n % 3, k, a FROM t UNION ALL SELECT n % 3, k, -a FROM t WHERE rowid % 2",
    "SELECT period, customer, revenue FROM customer_movements('SELECT n, k, a FROM t')",
    "SELECT n, k, fuzz_unsafe(a) FROM t", "SELECT n, k, a FROM t GROUP BY n HAVING fuzz_direct(1)",
};

/* concentration(...), or when `by` one of the three-column tables, with a fuzzed argument
** (the byte that chooses a WHERE query = ? also chooses the table). */
void action_concentration(sqlite3 *db, input *in, int by) {
  static const char *const by_functions[] = {"concentration_by", "revenue_movements",
                                             "customer_movements", "revenue_cohorts"};
  unsigned choice = take(in);
  int where = choice % 3 == 0;
  const char *fn = by ? by_functions[(choice / 3) % 4] : "concentration";
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT * FROM %s(?)%s", fn, where ? " WHERE query = ?" : "");
  sqlite3_stmt *stmt = prepare(db, sql);
  size_t len;
  const char *p;
  if (stmt == 0) return;
  switch (take(in) % 4) {
    case 0:
    case 1:
      sqlite3_bind_text(stmt, 1, by ? PICK(in, by_fragments) : PICK(in, query_fragments), -1,
                        SQLITE_STATIC);
      break;
    case 2:
      p = take_bytes(in, 255, &len);
      sqlite3_bind_text(stmt, 1, p, (int)len, SQLITE_TRANSIENT);
      break;
    default: bind_value(stmt, 1, in); break;
  }
  if (sqlite3_bind_parameter_count(stmt) == 2) {
    if (take(in) % 2)
      bind_value(stmt, 2, in);
    else
      sqlite3_bind_text(stmt, 2, by ? "SELECT n, k, a FROM t" : "SELECT k, a FROM t", -1,
                        SQLITE_STATIC);
  }
  run(db, stmt, fn, 0);
}
