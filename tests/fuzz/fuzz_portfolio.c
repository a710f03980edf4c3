/*
** fuzz_portfolio.c: libFuzzer harness for every function and table of the extension.
**
** The extension is compiled in (every ext/ source with -DSQLITE_CORE) and registered on one
** in-memory connection; each input starts from an empty table. The input is read as a
** little program: each step takes a byte that chooses an action, then the bytes it needs:
**   1. a scalar call of any function name with 0-9 arguments of any type and value;
**   2. an aggregate, keyed aggregate and window call over a table of up to 64 fuzzed rows;
**   3. concentration(...), concentration_by(...) and the three-column movements tables
**      (revenue_movements, customer_movements, revenue_cohorts) with a query string built
**      from fragments, taken raw from the input, or a value of another type, optionally
**      with a further WHERE query = ...;
**   4. risk_score / risk_explain / phase_of with factor or signal names and fuzzed JSON
**      (valid, malformed, deeply nested, duplicated keys); risk_fit over the fuzzed rows,
**      with fuzzed outcomes, names, values and options; risk_score / risk_explain with
**      'model' and a learnt model (valid, broken, or fuzzed bytes), and risk_scorecard(model);
**   5. the eponymous tables;
**   6. the core JSON reader (ext/core/json_reader.c) on raw input bytes, with a check of
**      the tree it returns, and the same bytes as risk_score's weights or phase_of's
**      thresholds (auc and lift are among the aggregates of 2).
** Values include NULL, 64-bit extremes, NaN, infinities, -0.0, denormals, numeric TEXT
** ('1e999', ' 7 ', '0x10'), empty and long (up to 1 MB) TEXT, BLOBs and empty BLOBs.
** Oracles beyond "no crash, no sanitizer report, no leak": a successful result is in the
** documented range (herfindahl 0-10000, top_share 0-1, gini 0-1, risk_score 0-100,
** phase_of one of four names, hhi_band one of three, risk_explain and risk_fit valid JSON, every column
** of concentration and concentration_by; the bridge identity, counts, movement names and
** ratios of the movements tables), and an error message never comes back empty.
** A progress handler interrupts any statement after a fixed number of VM steps, so a
** fuzzed recursive query cannot hang the run. Two functions with side effects are
** registered, fuzz_direct (SQLITE_DIRECTONLY) and fuzz_unsafe (no flags), and the query
** fragments call them in many places: they abort when called, since only the query of
** concentration / concentration_by calls them and its runner must refuse them.
*/
#include <float.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

int sqlite3_portfolio_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

#define MAX_ROWS 64
#define MAX_ARGS 9
#define MAX_TEXT (1 << 20)
#define STEP_BUDGET 5000 /* progress-handler calls (every 100 VM ops) before interrupt */

typedef struct input {
  const uint8_t *p;
  size_t n;
} input;

static unsigned take(input *in) {
  unsigned b;
  if (in->n == 0) return 0;
  b = *in->p++;
  in->n--;
  return b;
}

static uint64_t take64(input *in) {
  uint64_t x = 0;
  int i;
  for (i = 0; i < 8; i++) x = (x << 8) | take(in);
  return x;
}

/* Up to max bytes of the input as a piece of text (not NUL-terminated). */
static const char *take_bytes(input *in, size_t max, size_t *len) {
  size_t n = take(in);
  const char *p = (const char *)in->p;
  if (n > max) n = max;
  if (n > in->n) n = in->n;
  in->p += n;
  in->n -= n;
  *len = n;
  return p;
}

static const char *pick(input *in, const char *const *list, size_t count) {
  return list[take(in) % count];
}
#define PICK(in, list) pick(in, list, sizeof(list) / sizeof(list[0]))

static const char *const function_names[] = {
    "herfindahl", "top_share", "gini", "hhi_band", "portfolio_version", "risk_score",
    "risk_explain", "phase_of", "concentration", "concentration_by", "risk_fit",
};

static const char *const factor_names[] = {
    "industry", "region", "cash_runway_months", "days_to_renewal", "adoption", "deployment",
    "stakeholders", "days_since_contact", "penetration", "contract_year", "weights",
    "INDUSTRY", "Adoption", " adoption", "nope", "", "deployment", "risk",
    "stakeholder_change", "competitive_pressure", "technical_issues", "expected_churn",
    "expansion", "thresholds", "Thresholds", "weights",
};

static const char *const industry_names[] = {
    "travel", "Travel", "  software  ", "e-commerce", "unknown industry", "", "in-person retail",
    "0.7", "1e999", "-0", "TRAVEL\xc3\xa9",
};

static const char *const numeric_texts[] = {
    "12", " 7 ", "1e2", "1e999", "-1e999", "-0", "0x10", "1e-400", " ", "", "abc",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "0.1", "2010",
    "2023", "1800", "10000", "NaN", "inf", "1.5e308", "4.9e-324", "12abc", "\xff\xfe",
};

static const char *const json_texts[] = {
    "{}", "{\"adoption\": 2}", "{\"adoption\": 0, \"region\": 0}", "{\"risk\": 50}",
    "{\"adoption\": 0.9, \"risk\": 100}", "{\"adoption\": -1}", "{\"adoption\": \"x\"}",
    "{\"adoption\": true}", "{\"adoption\": null}", "{\"adoption\": [1]}",
    "{\"adoption\": {\"a\": 1}}", "{\"adoption\": 1e999}", "{\"adoption\": 1, \"ADOPTION\": 2}",
    "{\"nope\": 1}", "[1, 2]", "1", "\"s\"", "null", "{bad", "{\"a\":", "", " ",
    "{\"industry\": 1e308, \"region\": 1e308}", "{\"industry\": 5e-324}",
    "{\"\\u0000\": 1}", "{\"risk\": 70, \"adoption\": 0.3}",
};

static const double special_doubles[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.3, 0.5, 70, 100, 1800, 2010, 2023, 10000, 1e19, -1e19,
    9.2233720368547758e18, -9.2233720368547758e18, 1e308, -1e308, DBL_MAX, DBL_MIN, 5e-324,
    NAN, INFINITY, -INFINITY, 24, 30, 180, 90, 4.5, 1e-300,
};

static const int64_t special_ints[] = {
    0, 1, -1, 2, 5, 10, 100, 2010, 2023, 10000, INT64_MAX, INT64_MIN, INT64_MAX - 1,
    INT64_MIN + 1, (int64_t)1 << 53, ((int64_t)1 << 53) + 1, (int64_t)1 << 62, 4294967296LL,
};

/* A long TEXT: one repeated byte, or a nested JSON array. Mostly up to 4 KB; one in 16 up
** to 1 MB (more would spend the run copying megabytes). */
static void bind_long_text(sqlite3_stmt *stmt, int i, input *in) {
  size_t n = take(in) % 16 == 0 ? ((size_t)take(in) << 12 | take(in) << 4) % (MAX_TEXT + 1)
                                 : ((size_t)take(in) << 4 | take(in) % 16);
  unsigned kind = take(in) % 3;
  char *z = malloc(n + 1);
  if (z == 0) return;
  if (kind == 2 && n >= 2) { /* [[[[...]]]]: JSON nested n/2 deep */
    memset(z, '[', n / 2);
    memset(z + n / 2, ']', n - n / 2);
  } else {
    memset(z, kind ? '7' : 'x', n);
  }
  z[n] = 0;
  sqlite3_bind_text(stmt, i, z, (int)n, free);
}

/* Binds parameter i to a value chosen by the input. */
static void bind_value(sqlite3_stmt *stmt, int i, input *in) {
  size_t len;
  const char *p;
  switch (take(in) % 13) {
    case 0: sqlite3_bind_null(stmt, i); break;
    case 1: sqlite3_bind_int64(stmt, i, (sqlite3_int64)take64(in)); break;
    case 2: sqlite3_bind_int64(stmt, i, special_ints[take(in) % (sizeof(special_ints) / 8)]); break;
    case 3: {
      uint64_t bits = take64(in);
      double d;
      memcpy(&d, &bits, 8);
      sqlite3_bind_double(stmt, i, d);
      break;
    }
    case 4:
      sqlite3_bind_double(stmt, i, special_doubles[take(in) % (sizeof(special_doubles) / 8)]);
      break;
    case 5:
      p = take_bytes(in, 255, &len);
      sqlite3_bind_text(stmt, i, p, (int)len, SQLITE_TRANSIENT);
      break;
    case 6: sqlite3_bind_text(stmt, i, PICK(in, numeric_texts), -1, SQLITE_STATIC); break;
    case 7: bind_long_text(stmt, i, in); break;
    case 8:
      p = take_bytes(in, 255, &len);
      sqlite3_bind_blob(stmt, i, p, (int)len, SQLITE_TRANSIENT);
      break;
    case 9: sqlite3_bind_zeroblob(stmt, i, (int)(take(in) % 3)); break;
    case 10: sqlite3_bind_text(stmt, i, PICK(in, factor_names), -1, SQLITE_STATIC); break;
    case 11: sqlite3_bind_text(stmt, i, PICK(in, json_texts), -1, SQLITE_STATIC); break;
    default: sqlite3_bind_text(stmt, i, PICK(in, industry_names), -1, SQLITE_STATIC); break;
  }
}

/* progress-handler calls left to the statement now running (reset before each action) */
static int budget;

static int progress(void *arg) {
  int *budget = arg;
  return --*budget <= 0; /* nonzero interrupts the statement */
}

/* ---- oracles -------------------------------------------------------------------------- */

static void fail(const char *what, const char *sql) {
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
static void run(sqlite3 *db, sqlite3_stmt *stmt, const char *fn, int col) {
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

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, 0) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return 0;
  }
  return stmt;
}

/* ---- actions -------------------------------------------------------------------------- */

static void action_scalar(sqlite3 *db, input *in) {
  const char *fn = PICK(in, function_names);
  int argc = (int)(take(in) % (MAX_ARGS + 1)), i;
  char sql[256];
  int n = snprintf(sql, sizeof sql, "SELECT %s(", fn);
  sqlite3_stmt *stmt;
  for (i = 0; i < argc; i++) n += snprintf(sql + n, sizeof sql - n, "%s?", i ? "," : "");
  snprintf(sql + n, sizeof sql - n, ")");
  if ((stmt = prepare(db, sql)) == 0) return;
  for (i = 1; i <= argc; i++) bind_value(stmt, i, in);
  run(db, stmt, fn, 0);
}

/* Fills table t(k, a, n) with fuzzed rows. */
static void fill_rows(sqlite3 *db, input *in) {
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

/* The one value of `SELECT form FROM t` read in the given row order, as its type and
** bytes: 0 when the statement fails (an error, an interrupt, out of memory). */
static int value_in_order(sqlite3 *db, const char *form, const char *order, int *type,
                          unsigned char *bytes, int *len) {
  char sql[512];
  sqlite3_stmt *stmt;
  int ok = 0;
  snprintf(sql, sizeof sql, "SELECT %s FROM (SELECT * FROM t ORDER BY %s)", form, order);
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

/* The measures whose sums are exact: the same rows in the opposite order give the same
** bits (issue 15.5). The unkeyed herfindahl(a) streams a compensated sum instead. */
static void check_order_independent(sqlite3 *db, const char *form) {
  static const char *const exact_forms[] = {"herfindahl(k, a)", "top_share(a, n)",
                                            "top_share(k, a, n)", "gini(a)", "gini(k, a)",
                                            "top_share(a, 1)", "top_share(k, a, 3)"};
  /* reversed, and largest first (which puts x and -x side by side: cancelled early) */
  static const char *const orders[] = {"rowid DESC", "abs(a) DESC, rowid"};
  unsigned char a[256], b[256];
  int ta, tb, la, lb;
  size_t i;
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

static void action_aggregate(sqlite3 *db, input *in) {
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
static void action_concentration(sqlite3 *db, input *in, int by) {
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

static void action_risk(sqlite3 *db, input *in) {
  static const char *const fns[] = {"risk_score", "risk_explain", "phase_of"};
  const char *fn = PICK(in, fns);
  int pairs = (int)(take(in) % 6), i;
  int odd = take(in) % 8 == 0;
  int argc = 2 * pairs + odd;
  char sql[256];
  int n = snprintf(sql, sizeof sql, "SELECT %s(", fn);
  sqlite3_stmt *stmt;
  for (i = 0; i < argc; i++) n += snprintf(sql + n, sizeof sql - n, "%s?", i ? "," : "");
  snprintf(sql + n, sizeof sql - n, ") FROM (SELECT 1 UNION ALL SELECT 2)");
  if ((stmt = prepare(db, sql)) == 0) return;
  for (i = 1; i <= argc; i++) {
    if (i % 2 == 1 && take(in) % 4)
      sqlite3_bind_text(stmt, i, PICK(in, factor_names), -1, SQLITE_STATIC);
    else
      bind_value(stmt, i, in);
  }
  run(db, stmt, fn, 0);
}

/* Learnt models: a valid one (tenure numeric with a missing bin, plan categorical with an
** other bin), one of its variants, raw fuzzed bytes, or the valid one with fuzzed bytes
** written over it; scored, explained or listed by risk_scorecard. */
#define FUZZ_MODEL                                                                          \
  "{\"model\":\"portfolio-risk-scorecard\",\"version\":1,\"intercept\":-1,\"factors\":["        \
  "{\"factor\":\"tenure\",\"kind\":\"numeric\",\"bins\":["                                  \
  "{\"bin\":\"<= 6\",\"upper\":6,\"accounts\":2,\"outcome_rate\":0.5,\"points\":1e300},"        \
  "{\"bin\":\"> 6\",\"lower\":6,\"accounts\":2,\"outcome_rate\":0.1,\"points\":-1},"           \
  "{\"bin\":\"missing\",\"missing\":true,\"accounts\":1,\"outcome_rate\":0.2,\"points\":0.5}]}," \
  "{\"factor\":\"plan\",\"kind\":\"categorical\",\"bins\":["                                 \
  "{\"bin\":\"a\",\"value\":\"a\",\"accounts\":2,\"outcome_rate\":0.5,\"points\":-1e300},"     \
  "{\"bin\":\"other\",\"other\":true,\"accounts\":2,\"outcome_rate\":0.1,\"points\":-0.9}]}]}"

static const char *const model_texts[] = {
    FUZZ_MODEL,
    "{\"model\":\"portfolio-risk-scorecard\",\"version\":1,\"intercept\":0,\"factors\":[]}",
    "{\"model\":\"portfolio-risk-scorecard\",\"version\":1,\"intercept\":0,\"factors\":["
    "{\"factor\":\"x\",\"kind\":\"numeric\",\"bins\":[]}]}",
    "{\"model\":\"portfolio-risk-scorecard\",\"version\":2}", "{}", "[]", "",
};

static const char *const model_factor_names[] = {"tenure", "PLAN", "plan", "weights", "model",
                                                 "x", ""};

static void bind_model(sqlite3_stmt *stmt, int i, input *in) {
  size_t len, at;
  const char *p;
  char z[sizeof(FUZZ_MODEL)];
  switch (take(in) % 4) {
    case 0: sqlite3_bind_text(stmt, i, PICK(in, model_texts), -1, SQLITE_STATIC); break;
    case 1:
      p = take_bytes(in, 600, &len);
      sqlite3_bind_text(stmt, i, p, (int)len, SQLITE_TRANSIENT);
      break;
    case 2:
      memcpy(z, FUZZ_MODEL, sizeof(z));
      at = ((size_t)take(in) << 8 | take(in)) % (sizeof(z) - 1);
      p = take_bytes(in, 8, &len);
      memcpy(z + at, p, len < sizeof(z) - 1 - at ? len : sizeof(z) - 1 - at);
      sqlite3_bind_text(stmt, i, z, (int)(sizeof(z) - 1), SQLITE_TRANSIENT);
      break;
    default: bind_value(stmt, i, in); break;
  }
}

static void action_learnt(sqlite3 *db, input *in) {
  static const char *const fns[] = {"risk_score", "risk_explain", "risk_scorecard"};
  const char *fn = PICK(in, fns);
  int pairs = (int)(take(in) % 4), i, argc = 2 + 2 * pairs + (take(in) % 8 == 0);
  char sql[256];
  int n;
  sqlite3_stmt *stmt;
  if (strcmp(fn, "risk_scorecard") == 0) {
    if ((stmt = prepare(db, "SELECT * FROM risk_scorecard(?)")) == 0) return;
    bind_model(stmt, 1, in);
    run(db, stmt, 0, 0);
    return;
  }
  n = snprintf(sql, sizeof sql, "SELECT %s('model'", fn);
  for (i = 1; i < argc; i++) n += snprintf(sql + n, sizeof sql - n, ",?");
  /* two rows: the second reads the model from the statement's auxdata */
  snprintf(sql + n, sizeof sql - n, ") FROM (SELECT 1 UNION ALL SELECT 2)");
  if ((stmt = prepare(db, sql)) == 0) return;
  bind_model(stmt, 1, in);
  for (i = 2; i < argc; i++) {
    if (i % 2 == 0 && take(in) % 4)
      sqlite3_bind_text(stmt, i, PICK(in, model_factor_names), -1, SQLITE_STATIC);
    else
      bind_value(stmt, i, in);
  }
  run(db, stmt, fn, 0);
}

static void action_tables(sqlite3 *db, input *in) {
  static const char *const sqls[] = {
      "SELECT * FROM risk_model", "SELECT * FROM risk_industries WHERE industry = 'travel'",
      "SELECT * FROM phases ORDER BY ordinal DESC", "SELECT * FROM risk_model(1)",
      "SELECT rowid, * FROM phases WHERE rowid = 2",
  };
  sqlite3_stmt *stmt = prepare(db, PICK(in, sqls));
  if (stmt) run(db, stmt, 0, 0);
}

/* Called only if the query runner let a function with side effects through. */
static void side_effect(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)ctx, (void)argc, (void)argv;
  fprintf(stderr, "a function with side effects ran inside a query argument\n");
  abort();
}

/* One connection for the whole run (opening one per input costs more than most inputs):
** each input starts from an empty table t, and no action can change anything else. */
static sqlite3 *db;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  sqlite3_initialize();
  sqlite3_hard_heap_limit64(512 << 20);
  sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  sqlite3_progress_handler(db, 100, progress, &budget);
  if (sqlite3_create_function(db, "fuzz_direct", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, 0,
                              side_effect, 0, 0) != SQLITE_OK ||
      sqlite3_create_function(db, "fuzz_unsafe", -1, SQLITE_UTF8, 0, side_effect, 0, 0) !=
          SQLITE_OK)
    abort();
  if (sqlite3_exec(db,
                   "CREATE TABLE t(k, a, n);"
                   "CREATE TEMP VIEW unsafe_view AS SELECT k, fuzz_unsafe(a) AS a FROM t;"
                   "CREATE TABLE q(s);"
                   "INSERT INTO q VALUES"
                   " ('SELECT customer, amount FROM concentration((SELECT s FROM q))');",
                   0, 0, 0) != SQLITE_OK)
    abort();
  return 0;
}

/* The tree of a parsed document holds together: counts match the children, members have
** keys and array items none, numbers are finite, strings are NUL-terminated, the nesting
** stays within the limit and no object names one key twice. Returns the nodes seen. */
static size_t check_json_node(const pf_json_node *nd, int depth, const char *sql) {
  const pf_json_node *c, *d;
  size_t seen = 1, count = 0;
  if (depth > PF_JSON_MAX_DEPTH) fail("json_reader nested beyond its limit", sql);
  if (nd->kind == PF_JSON_NUMBER && !isfinite(nd->number))
    fail("json_reader: infinite number", sql);
  if (nd->kind == PF_JSON_STRING && nd->string[nd->string_len] != 0)
    fail("json_reader: string not NUL-terminated", sql);
  for (c = nd->first; c; c = c->next, count++) {
    if ((nd->kind == PF_JSON_OBJECT) != (c->key != 0)) fail("json_reader: key misplaced", sql);
    if (nd->kind == PF_JSON_OBJECT && count < 64)
      for (d = nd->first; d != c; d = d->next)
        if (d->key_len == c->key_len && memcmp(d->key, c->key, c->key_len) == 0)
          fail("json_reader: duplicate key accepted", sql);
    int nested = c->kind == PF_JSON_ARRAY || c->kind == PF_JSON_OBJECT;
    seen += check_json_node(c, depth + nested, sql);
  }
  if (count != nd->count) fail("json_reader: count differs from the children", sql);
  return seen;
}

static void action_json(sqlite3 *db, input *in) {
  static const char *const calls[] = {
      "SELECT risk_score('adoption', 0.5, 'region', 1, 'weights', ?)",
      "SELECT risk_explain('adoption', 0.5, 'weights', ?)",
      "SELECT phase_of('risk', 50, 'adoption', 0.5, 'thresholds', ?)"};
  const char *fn[] = {"risk_score", "risk_explain", "phase_of"};
  size_t len;
  const char *p = take_bytes(in, 4096, &len);
  unsigned which = take(in) % 3;
  pf_json_doc *doc = 0;
  pf_json_error err;
  sqlite3_stmt *stmt;
  int rc = pf_json_parse(p, len, &doc, &err);
  if (rc == PF_JSON_OK) {
    int container = doc->root->kind == PF_JSON_ARRAY || doc->root->kind == PF_JSON_OBJECT;
    check_json_node(doc->root, container, "json_reader");
  } else if (rc == PF_JSON_INVALID && (err.offset > len || err.problem == PF_JSON_NO_PROBLEM)) {
    fail("json_reader: error without a problem or past the input", "json_reader");
  }
  pf_json_free(doc);
  if ((stmt = prepare(db, calls[which])) == 0) return;
  sqlite3_bind_text(stmt, 1, p, (int)len, SQLITE_TRANSIENT);
  run(db, stmt, fn[which], 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  input in = {data, size};
  int steps = 0;
  budget = STEP_BUDGET;
  if (sqlite3_exec(db, "DELETE FROM t", 0, 0, 0) != SQLITE_OK) abort();
  if (sqlite3_get_autocommit(db) == 0) abort(); /* no action may leave a transaction open */
  fill_rows(db, &in);
  while (in.n > 0 && steps++ < 16) {
    budget = STEP_BUDGET;
    switch (take(&in) % 9) {
      case 0: action_scalar(db, &in); break;
      case 1: action_aggregate(db, &in); break;
      case 2: action_concentration(db, &in, 0); break;
      case 3: action_risk(db, &in); break;
      case 4: action_tables(db, &in); break;
      case 5: action_concentration(db, &in, 1); break;
      case 6: action_json(db, &in); break;
      case 7: action_learnt(db, &in); break;
      default: fill_rows(db, &in); break;
    }
  }
  return 0;
}
