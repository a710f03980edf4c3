/*
** test_oom.c: out-of-memory injection for every function and table of the extension.
**
** An allocator wrapping SQLite's default one (SQLITE_CONFIG_GETMALLOC, then
** SQLITE_CONFIG_MALLOC before sqlite3_initialize; lookaside off so that every allocation
** reaches it) fails the Nth allocation, either once ("transient") or from then on
** ("persistent"). For each query and N = 1, 2, ... until a run hits no failure:
**   1. open a connection and load the data with the failure disarmed;
**   2. arm it, prepare and run the query to the end, disarm;
**   3. the run either succeeds with exactly the rows of an undisturbed run (itself checked
**      against hand-worked values where given), or fails with SQLITE_NOMEM (or with the
**      query's own expected error), never anything else and never a crash;
**   4. after sqlite3_close(), the number of live allocations and sqlite3_memory_used() are
**      back where they were before the connection was opened: nothing leaked.
** PF_OOM_STRIDE=k tries only every k-th N (make valgrind sets it: memcheck is ~50x slower).
** Debugging: PF_OOM_ONLY=<scenario name> runs one scenario, PF_OOM_VERBOSE=1 prints the
** allocation count of each, PF_OOM_TRACE=N prints the call stack of the N-th allocation
** (link with LDFLAGS=-rdynamic for names).
*/
#include "testing.h"
#include "measure.h"
#include "pf_host.h"
#include "scorecard.h"

#include <execinfo.h>
#include <stdarg.h>
#include <stdint.h>

/* ---- the failing allocator ------------------------------------------------------------ */

static sqlite3_mem_methods base_mem;
static struct {
  long long calls;    /* allocation attempts since armed */
  long long fail_at;  /* 0: disarmed */
  int persistent;     /* fail every attempt from fail_at on */
  long long injected; /* failures injected since armed */
  long long live;     /* allocations not yet freed */
} oom;

static int oom_should_fail(void) {
  if (oom.fail_at == 0) return 0;
  oom.calls++;
  if (oom.calls == oom.fail_at || (oom.persistent && oom.calls > oom.fail_at)) {
    const char *trace = getenv("PF_OOM_TRACE");
    oom.injected++;
    if (oom.injected == 1 && trace && atoll(trace) == oom.fail_at) {
      void *frames[32];
      backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
    }
    return 1;
  }
  return 0;
}

static void *oom_malloc(int n) {
  void *p;
  if (oom_should_fail()) return 0;
  p = base_mem.xMalloc(n);
  if (p) oom.live++;
  return p;
}

static void oom_free(void *p) {
  if (p) oom.live--;
  base_mem.xFree(p);
}

static void *oom_realloc(void *p, int n) {
  if (oom_should_fail()) return 0;
  return base_mem.xRealloc(p, n);
}

static int oom_size(void *p) { return base_mem.xSize(p); }
static int oom_roundup(int n) { return base_mem.xRoundup(n); }
static int oom_init(void *app) {
  (void)app;
  return base_mem.xInit(base_mem.pAppData);
}
static void oom_shutdown(void *app) {
  (void)app;
  base_mem.xShutdown(base_mem.pAppData);
}

static void oom_arm(long long n, int persistent) {
  oom.calls = 0;
  oom.injected = 0;
  oom.persistent = persistent;
  oom.fail_at = n;
}

static void oom_disarm(void) { oom.fail_at = 0; }

/* ---- running a query without allocating through SQLite ------------------------------- */

/* The rows of a query as text, in memory from libc (never through the failing allocator). */
typedef struct result {
  char *text;
  size_t len, cap;
  int rc;         /* SQLITE_OK, or the error code */
  char err[512];  /* the error message */
} result;

static void result_put(result *r, const void *p, size_t n) {
  if (r->len + n + 1 > r->cap) {
    r->cap = (r->len + n + 1) * 2;
    r->text = realloc(r->text, r->cap);
    ck_assert_ptr_nonnull(r->text);
  }
  memcpy(r->text + r->len, p, n);
  r->len += n;
  r->text[r->len] = 0;
}

static void result_putf(result *r, const char *fmt, ...) {
  char buf[64];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  result_put(r, buf, (size_t)n);
}

/* Appends one row; reading a column never converts, so it never allocates. */
static void result_row(result *r, sqlite3_stmt *stmt) {
  int i, n = sqlite3_column_count(stmt);
  for (i = 0; i < n; i++) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        result_putf(r, "%lld", sqlite3_column_int64(stmt, i));
        break;
      case SQLITE_FLOAT:
        result_putf(r, "%.17g", sqlite3_column_double(stmt, i));
        break;
      case SQLITE_NULL:
        result_put(r, "NULL", 4);
        break;
      default: { /* TEXT and BLOB: the bytes as stored */
        int blob = sqlite3_column_type(stmt, i) == SQLITE_BLOB;
        const void *p = sqlite3_column_blob(stmt, i);
        result_put(r, blob ? "x:" : "'", blob ? 2 : 1);
        if (p) result_put(r, p, (size_t)sqlite3_column_bytes(stmt, i));
        break;
      }
    }
    result_put(r, i + 1 < n ? "|" : "\n", 1);
  }
}

static void run_query(sqlite3 *db, const char *sql, result *r) {
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  r->len = 0;
  if (r->text) r->text[0] = 0;
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) result_row(r, stmt);
  }
  oom_disarm(); /* the error message and the finalize below must not fail */
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  r->rc = rc == SQLITE_OK ? SQLITE_OK : sqlite3_errcode(db);
  snprintf(r->err, sizeof r->err, "%s", rc == SQLITE_OK ? "" : sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
}

/* ---- the scenarios -------------------------------------------------------------------- */

/* 400 invoices of 150 customers with 600-byte TEXT keys (so the key arena needs several
** chunks and the hash table grows twice), integer and REAL amounts, refunds, NULLs; and
** 14,000 integer keys in `big`: the keyed table goes through its prefetch pipeline from
** 6,554 customers on and grows again, inside the pipeline, at 13,108. */
/* A learnt model (risk_score('model', ...)): a numeric factor with a missing bin and a
** categorical one with an other bin; z = -1 + 1 + 0.9 for (3, 'a'): 71.0949502625004. */
#define OOM_MODEL                                                                            \
  "{\"model\": \"portfolio-risk-scorecard\", \"version\": 1, \"intercept\": -1, \"factors\": ["  \
  "{\"factor\": \"tenure\", \"kind\": \"numeric\", \"bins\": ["                          \
  "{\"bin\": \"<= 6\", \"upper\": 6, \"accounts\": 2, \"outcome_rate\": 0.5, \"points\": 1},"  \
  "{\"bin\": \"> 6\", \"lower\": 6, \"accounts\": 2, \"outcome_rate\": 0.1, \"points\": -1},"  \
  "{\"bin\": \"missing\", \"missing\": true, \"accounts\": 1, \"outcome_rate\": 0.2,"    \
  " \"points\": 0.5}]},"                                                                  \
  "{\"factor\": \"plan\", \"kind\": \"categorical\", \"bins\": ["                         \
  "{\"bin\": \"a\", \"value\": \"a\", \"accounts\": 2, \"outcome_rate\": 0.5, \"points\": 0.9}," \
  "{\"bin\": \"other\", \"other\": true, \"accounts\": 2, \"outcome_rate\": 0.1,"        \
  " \"points\": -0.9}]}]}"

static const char *const invoices_sql =
    "CREATE TABLE inv(c, a);"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 400)"
    " INSERT INTO inv SELECT printf('%0600d', x % 150),"
    "  CASE WHEN x % 50 = 0 THEN NULL WHEN x % 7 = 0 THEN (x % 13) - 9.5"
    "       ELSE (x * 37) % 101 - 5 END FROM n;"
    "CREATE TABLE small(c, a);"
    "INSERT INTO small VALUES (1, 30), (2, 30), (3, 20), (4, 20);"
    "CREATE TABLE big(x INTEGER PRIMARY KEY);"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 14000)"
    " INSERT INTO big SELECT x FROM n;"
    "CREATE TABLE q(s);"
    "INSERT INTO q VALUES ('SELECT customer, amount FROM concentration((SELECT s FROM q))');"
    "CREATE TABLE mdl(id, m);"
    "INSERT INTO mdl VALUES (1, '" OOM_MODEL "'), (2, replace('" OOM_MODEL "', '-1', '0'));"
    "SELECT count(*) FROM sqlite_master;";

typedef struct scenario {
  const char *name;
  const char *sql;
  const char *want;  /* rows of the undisturbed run worked out by hand, or 0 */
  const char *error; /* the query's own error message, or 0 when it succeeds */
} scenario;

static const scenario scenarios[] = {
    /* 30/30/20/20: HHI 2600, CR2 0.6, Gini 0.1 (hand-worked in test_security.c) */
    {"herfindahl", "SELECT herfindahl(a) FROM small", "2600\n", 0},
    {"herfindahl keyed", "SELECT herfindahl(c, a) FROM inv", 0, 0},
    {"top_share", "SELECT top_share(a, 2) FROM small", "0.59999999999999998\n", 0},
    {"top_share many", "SELECT top_share(a, 3) FROM inv", 0, 0},
    {"top_share keyed", "SELECT top_share(c, a, 5) FROM inv", 0, 0},
    {"gini", "SELECT gini(a) FROM small", "0.10000000000000001\n", 0},
    {"gini many", "SELECT gini(a) FROM inv", 0, 0},
    {"gini keyed", "SELECT gini(c, a) FROM inv", 0, 0},
    {"hhi_band", "SELECT hhi_band(2600), hhi_band(1600, 2010), portfolio_version()",
     "'highly concentrated|'moderately concentrated|'0.1.0\n", 0},
    {"windows",
     "SELECT herfindahl(c, a) OVER w, top_share(c, a, 2) OVER w, gini(c, a) OVER w,"
     " herfindahl(a) OVER w, top_share(a, 2) OVER w, gini(a) OVER w"
     " FROM (SELECT rowid r, * FROM inv WHERE rowid <= 60)"
     " WINDOW w AS (ORDER BY r ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)",
     0, 0},
    {"concentration",
     "SELECT rank, length(customer), amount, share, cumulative_share, pareto_class, major,"
     " hhi_points, hhi_without FROM concentration('SELECT c, a FROM inv')",
     0, 0},
    {"concentration small",
     "SELECT rank, customer, amount FROM concentration('SELECT c, a FROM small')",
     "1|1|30\n2|2|30\n3|3|20\n4|4|20\n", 0},
    {"concentration nested",
     "SELECT count(*) FROM concentration('SELECT customer, amount"
     " FROM concentration(''SELECT c, a FROM small'')')",
     "4\n", 0},
    /* 400 rows (past the radix sort's 256) and 14,000: the key arrays grow and sort */
    {"auc", "SELECT auc(a, rowid % 3 = 0) FROM inv", 0, 0},
    {"lift", "SELECT lift(x % 97, x % 5 = 0, 0.1) FROM big", 0, 0},
    /* positives 2, 3 and negatives 1, 2: (2 + 1 + 0.5) / 4 */
    {"auc small", "SELECT auc(column1, column2) FROM (VALUES (1, 0), (2, 1), (2, 0), (3, 1))",
     "0.875\n", 0},
    /* a number of 72 characters: the JSON reader copies it to the heap for strtod;
    ** adoption 0.25 with weight 2 alone: 75 */
    {"risk_score long number", "SELECT risk_score('adoption', 0.25, 'weights', '{\"adoption\": "
     "2.0000000000000000000000000000000000000000000000000000000000000000000000}')", "75\n", 0},
    /* (3 * (1 - 0.25) + 1 * 1) / 4 = 0.8125 */
    {"risk_score", "SELECT risk_score('adoption', 0.25, 'region', 1,"
     " 'weights', '{\"adoption\": 3, \"region\": 1}')", "81.25\n", 0},
    {"risk_score per row",
     "SELECT sum(risk_score('industry', 'travel', 'adoption', (rowid % 10) / 10.0,"
     " 'weights', '{\"adoption\": 2, \"Industry\": 1}')) FROM inv", 0, 0},
    {"risk_explain",
     "SELECT risk_explain('industry', 'Travel', 'stakeholders', 2, 'contract_year', NULL,"
     " 'weights', '{\"industry\": 1}')", 0, 0},
    {"risk_explain per row",
     "SELECT max(risk_explain('days_to_renewal', rowid - 50, 'penetration', 0.5)) FROM inv",
     0, 0},
    {"risk_score model", "SELECT risk_score('model', '" OOM_MODEL "', 'tenure', 3, 'plan', 'a')",
     "71.09495026250039\n", 0},
    {"risk_score model per row",
     "SELECT sum(risk_score('model', (SELECT m FROM mdl WHERE id = 1), 'tenure', rowid % 9,"
     " 'plan', c)) FROM inv", 0, 0},
    {"risk_score model column",
     "SELECT sum(risk_score('model', m, 'Tenure', inv.rowid % 9, 'plan', substr(c, 600)))"
     " FROM inv JOIN mdl ON mdl.id = 1 + (inv.rowid > 390)", 0, 0},
    {"risk_explain model",
     "SELECT risk_explain('model', m, 'tenure', NULL, 'plan', 'b') FROM mdl", 0, 0},
    {"risk_scorecard", "SELECT * FROM risk_scorecard((SELECT m FROM mdl WHERE id = 2))", 0, 0},
    {"risk_score bad model", "SELECT risk_score('model', '{\"model\": \"x\"}')", 0,
     "risk_score: model has no \"model\": \"portfolio-risk-scorecard\" (it is not a risk_fit"
     " model)"},
    {"risk_score model unknown factor", "SELECT risk_score('model', m, 'x', 1) FROM mdl", 0,
     "risk_score: unknown factor 'x' (the model's factors: tenure, plan)"},
    /* every allocation of risk_fit: the row store and dictionaries growing (400 rows,
    ** 97 numbers, 7 texts, missing values), bins, patterns, the solver, monotone refits,
    ** the options read through json_each, and the JSON written */
    {"risk_fit",
     "SELECT length(risk_fit(x % 3 = 0, 'n', x % 97, 'plan', char(65 + x % 7),"
     " 'tickets', CASE WHEN x % 11 = 0 THEN NULL ELSE x % 5 END,"
     " 'options', '{\"monotone\": [\"n\"], \"bins\": 6}')) FROM (SELECT rowid x FROM inv)",
     0, 0},
    {"risk_fit text", "SELECT risk_fit(x % 2, 'c', c, 'a', a) FROM"
     " (SELECT rowid x, * FROM inv)", 0, 0},
    /* rollout complete and adoption 0.5 below the 0.6 threshold: defense */
    {"phase_of", "SELECT phase_of('deployment', 1, 'adoption', 0.5,"
     " 'thresholds', '{\"adoption\": 0.6}'), phase_of('deployment', 0.5)",
     "'defense|'deployment\n", 0},
    {"phase_of per row",
     "SELECT group_concat(phase_of('expansion', rowid % 2, 'risk', rowid % 100,"
     " 'thresholds', '{\"risk\": 90}')) FROM inv", 0, 0},
    {"risk tables",
     "SELECT * FROM risk_model, (SELECT count(*) FROM risk_industries),"
     " (SELECT group_concat(phase || ordinal || objective) FROM phases)", 0, 0},
    {"concentration_by",
     "SELECT * FROM concentration_by('SELECT rowid % 4, c, a FROM inv')", 0, 0},
    /* periods {2: 30, 4: 20} and {1: 30, 3: 20}: shares 0.6 and 0.4, HHI 3600 + 1600 */
    {"concentration_by small",
     "SELECT period, customers, herfindahl"
     " FROM concentration_by('SELECT c % 2, c, a FROM small')",
     "0|2|5200\n1|2|5200\n", 0},
    /* 40 periods of 150 customers with 600-byte keys: the tables of periods and the customer
    ** states, rows and cohort cells grow; customers sorted by key */
    {"revenue_movements",
     "SELECT * FROM revenue_movements('SELECT printf(''%0700d'', rowid % 40), c, a FROM inv')",
     0, 0},
    {"customer_movements",
     "SELECT * FROM customer_movements('SELECT rowid % 40, c, a FROM inv')", 0, 0},
    {"revenue_cohorts", "SELECT * FROM revenue_cohorts('SELECT rowid % 40, c, a FROM inv')", 0,
     0},
    /* periods {1: 30, 2: 30} and {0: 20, 1: 20}: new 60; then 1 shrinks by 10, 2 churns 30,
    ** 0 is new (20): start 60, end 40, quick 20 / 40 */
    {"revenue_movements small",
     "SELECT period, start_revenue, new, contraction, churn, end_revenue, quick_ratio"
     " FROM revenue_movements('SELECT c > 2, c % 3, a FROM small')",
     "0|0|60|0|0|60|NULL\n1|60|20|10|30|40|0.5\n", 0},
    /* 7,000 customers a period: the period tables use the prefetch pipeline */
    {"customer_movements pipeline",
     "SELECT count(*), sum(change) FROM customer_movements('SELECT x % 2, x, x FROM big')",
     0, 0},
    /* the same through functions the runner checks in PRAGMA function_list (issue 15.2) */
    {"concentration_by functions",
     "SELECT period, customers, herfindahl"
     " FROM concentration_by('SELECT c % 2, c, abs(json_extract(json_array(a), ''$[0]''))"
     " FROM small')",
     "0|2|5200\n1|2|5200\n", 0},
    /* 14,000 customers: the table grows while rows wait in the prefetch pipeline */
    {"herfindahl keyed pipeline",
     "SELECT herfindahl(x, 1.5), top_share(x, 2, 3), gini(x, x) FROM big", 0, 0},
    {"concentration pipeline",
     "SELECT count(*), sum(amount), max(hhi_without) FROM concentration('SELECT x, x FROM big')",
     0, 0},
    /* customer 1's rows cancel across 2^53: its sum moves into a superaccumulator (one
    ** allocation) and nets to 0.5 beside customer 2's 0.5: HHI 5000, CR1 0.5, Gini 0 */
    {"exact customer sums",
     "WITH t(k, x) AS (VALUES (1, 1e32), (1, 1e16), (1, 0.5), (2, 0.5), (1, -1e32), (1, -1e16))"
     " SELECT herfindahl(k, x), top_share(k, x, 1), gini(k, x) FROM t", "5000|0.5|0\n", 0},
    /* the same in a sliding frame: customers in superaccumulators leave the frame */
    {"exact customer sums window",
     "WITH t(r, k, x) AS (VALUES (1, 1, 1e32), (2, 1, 1e16), (3, 1, 0.5), (4, 2, 0.5),"
     " (5, 1, -1e32), (6, 1, -1e16), (7, 3, 2.0), (8, 3, 1e300), (9, 3, -1e300))"
     " SELECT group_concat(h, ' ') FROM (SELECT herfindahl(k, x) OVER"
     " (ORDER BY r ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) h FROM t)", 0, 0},
    /* hhi_without of the largest beside customers 1e170 times smaller: summed again */
    {"concentration hhi_without rescaled",
     "SELECT group_concat(hhi_without, ' ') FROM concentration('VALUES (1, 1e200),"
     " (2, 1e30), (3, 1e30)')", 0, 0},
    /* errors: the run gives exactly this message, or runs out of memory */
    {"top_share bad n", "SELECT top_share(a, 0) FROM inv", 0,
     "top_share: n must be a positive integer, got 0"},
    {"herfindahl bad amount", "SELECT herfindahl(c, 'abc') FROM small", 0,
     "herfindahl: amount must be a finite number, got 'abc'"},
    {"hhi_band bad edition", "SELECT hhi_band(100, 1999)", 0,
     "hhi_band: edition must be 2010 or 2023, got 1999"},
    {"concentration columns", "SELECT * FROM concentration('SELECT c FROM inv')", 0,
     "concentration: the query must return 2 columns (customer, amount), it returns 1"},
    {"concentration fails half-way",
     "SELECT * FROM concentration('SELECT c, CASE WHEN rowid > 200"
     " THEN abs(-9223372036854775808) ELSE a END FROM inv')",
     0, "concentration: integer overflow"},
    {"concentration side effects",
     "SELECT * FROM concentration('SELECT c, abs(a) + load_extension(''x'') FROM small')", 0,
     "concentration: the query may not call load_extension(): it is SQLITE_DIRECTONLY (it may"
     " have side effects)"},
    {"concentration self-calling", "SELECT * FROM concentration((SELECT s FROM q))", 0,
     "concentration: queries nested more than 10 deep "
     "(does the query call concentration on itself?)"},
    {"concentration no query", "SELECT * FROM concentration", 0,
     "concentration: a query is required"},
    {"concentration bad amount", "SELECT * FROM concentration('SELECT c, ''abc'' FROM small')",
     0, "concentration: amount must be a finite number, got 'abc' (customer 1)"},
    {"concentration_by bad amount",
     "SELECT * FROM concentration_by('SELECT 1, c, ''abc'' FROM small')", 0,
     "concentration_by: amount must be a finite number, got 'abc' (period 1, customer 1)"},
    {"concentration number argument", "SELECT * FROM concentration(12345)", 0,
     "concentration: near \"12345\": syntax error"},
    {"concentration_by number argument", "SELECT * FROM concentration_by(12345)", 0,
     "concentration_by: near \"12345\": syntax error"},
    {"concentration_by columns", "SELECT * FROM concentration_by('SELECT c, a FROM inv')", 0,
     "concentration_by: the query must return 3 columns (period, customer, amount),"
     " it returns 2"},
    {"concentration_by fails half-way",
     "SELECT * FROM concentration_by('SELECT 1, c, CASE WHEN rowid > 200"
     " THEN abs(-9223372036854775808) ELSE a END FROM inv')",
     0, "concentration_by: integer overflow"},
    {"revenue_movements bad amount",
     "SELECT * FROM revenue_movements('SELECT 1, c, ''abc'' FROM small')", 0,
     "revenue_movements: amount must be a finite number, got 'abc' (period 1, customer 1)"},
    {"customer_movements columns", "SELECT * FROM customer_movements('SELECT c, a FROM inv')",
     0, "customer_movements: the query must return 3 columns (period, customer, amount),"
     " it returns 2"},
    {"revenue_cohorts fails half-way",
     "SELECT * FROM revenue_cohorts('SELECT rowid % 3, c, CASE WHEN rowid > 200"
     " THEN abs(-9223372036854775808) ELSE a END FROM inv')",
     0, "revenue_cohorts: integer overflow"},
    {"risk_score bad weights", "SELECT risk_score('adoption', 0.5, 'weights', '{bad')", 0,
     "risk_score: weights must be valid JSON (unexpected character at byte 1), got '{bad'"},
    {"risk_score unknown factor", "SELECT risk_score('nope', 1)", 0,
     "risk_score: unknown factor 'nope' (known: industry, region, cash_runway_months,"
     " days_to_renewal, adoption, deployment, stakeholders, days_since_contact, penetration,"
     " contract_year, weights)"},
    {"risk_explain odd", "SELECT risk_explain('adoption')", 0,
     "risk_explain: arguments come in factor, value pairs, got 1 argument"},
    {"risk_fit bad options", "SELECT risk_fit(rowid % 2, 'n', a, 'options', '{\"bins\": 1}')"
     " FROM inv", 0, "risk_fit: options: bins must be a whole number from 2 to 20, got 1"},
    /* the core's messages (scorecard_args.c) are allocated too: names, options, the fit */
    {"risk_fit reserved name", "SELECT risk_fit(rowid % 2, 'weights', a) FROM inv", 0,
     "risk_fit: 'weights' cannot be a factor name (it is an argument of risk_score)"},
    {"risk_fit not an object", "SELECT risk_fit(rowid % 2, 'n', a, 'options', '{bad') FROM inv",
     0, "risk_fit: options must be a JSON object (unexpected character at byte 1), got '{bad'"},
    {"risk_fit unknown key", "SELECT risk_fit(rowid % 2, 'n', a, 'options', '{\"bin\": 3}')"
     " FROM inv", 0, "risk_fit: options: unknown key 'bin' (known: bins, min_share, l2, monotone)"},
    {"risk_fit monotone text", "SELECT risk_fit(rowid % 2, 'c', 'x' || (rowid % 3), 'options',"
     " '{\"monotone\": [\"c\"]}') FROM inv", 0,
     "risk_fit: monotone factor 'c' is categorical (it has TEXT values), so its bins have no order"},
    {"phase_of bad threshold", "SELECT phase_of('risk', 50, 'thresholds', '{\"risk\": \"x\"}')",
     0, "phase_of: risk in thresholds must be a number between 0 and 100, got 'x'"},
    {"phase_of unknown signal", "SELECT phase_of('speed', 1)", 0,
     "phase_of: unknown signal 'speed' (known: deployment, adoption, risk, stakeholder_change,"
     " competitive_pressure, technical_issues, expected_churn, expansion, thresholds)"},
    {"phase_of unknown key", "SELECT phase_of('risk', 50, 'thresholds', '{\"speed\": 1}')",
     0, "phase_of: unknown key 'speed' in thresholds (known: risk, adoption)"},
};

static void check_outcome(const scenario *s, const result *want, const result *got,
                          long long n, int persistent) {
  if (got->rc == SQLITE_NOMEM) return;
  ck_assert_msg(got->rc == want->rc, "%s: N=%lld%s: rc %d (%s), want %d (%s)", s->name, n,
                persistent ? " persistent" : "", got->rc, got->err, want->rc, want->err);
  if (want->rc == SQLITE_OK) {
    ck_assert_msg(strcmp(got->text, want->text) == 0, "%s: N=%lld%s: different rows",
                  s->name, n, persistent ? " persistent" : "");
  } else {
    /* When SQLite cannot copy an error message (sqlite3VdbeTransferError runs out of
    ** memory) it keeps the error code and reports its generic text instead. */
    char generic[128];
    const char *colon = strchr(want->err, ':');
    snprintf(generic, sizeof generic, "%.*s: %s", colon ? (int)(colon - want->err) : 0,
             want->err, sqlite3_errstr(want->rc));
    if (strcmp(got->err, sqlite3_errstr(want->rc)) == 0 || strcmp(got->err, generic) == 0)
      return;
    ck_assert_msg(strcmp(got->err, want->err) == 0, "%s: N=%lld%s: error '%s', want '%s'",
                  s->name, n, persistent ? " persistent" : "", got->err, want->err);
  }
}

/* The data, built once and then opened read-only from this image: far cheaper than
** inserting it again before each of the thousands of runs. In libc memory. */
static unsigned char *image;
static sqlite3_int64 image_size;

static sqlite3 *open_loaded(void) {
  sqlite3 *db = 0;
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  if (image == 0) {
    unsigned char *p;
    pf_exec(db, invoices_sql);
    p = sqlite3_serialize(db, "main", &image_size, 0);
    ck_assert_ptr_nonnull(p);
    image = malloc((size_t)image_size);
    ck_assert_ptr_nonnull(image);
    memcpy(image, p, (size_t)image_size);
    sqlite3_free(p);
    return db;
  }
  ck_assert_int_eq(sqlite3_deserialize(db, "main", image, image_size, image_size,
                                       SQLITE_DESERIALIZE_READONLY),
                   SQLITE_OK);
  pf_exec(db, "SELECT count(*) FROM sqlite_master"); /* reads the schema */
  return db;
}

/* Runs one scenario for N = 1, 2, ... (every stride-th) until no failure is injected. */
static void run_scenario(const scenario *s, int persistent, int stride) {
  result want = {0}, got = {0};
  sqlite3 *db;
  long long n, live0;
  sqlite3_int64 used0;

  db = open_loaded();
  run_query(db, s->sql, &want);
  sqlite3_close(db);
  if (s->error) {
    ck_assert_msg(want.rc != SQLITE_OK, "%s: expected an error", s->name);
    ck_assert_str_eq(want.err, s->error);
  } else {
    ck_assert_msg(want.rc == SQLITE_OK, "%s: %s", s->name, want.err);
    if (s->want) ck_assert_str_eq(want.text, s->want);
  }

  for (n = 1;; n += stride) {
    live0 = oom.live;
    used0 = sqlite3_memory_used();
    db = open_loaded();
    oom_arm(n, persistent);
    run_query(db, s->sql, &got);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
    ck_assert_msg(oom.live == live0 && sqlite3_memory_used() == used0,
                  "%s: N=%lld%s: %lld allocations (%lld bytes) leaked", s->name, n,
                  persistent ? " persistent" : "", oom.live - live0,
                  (long long)(sqlite3_memory_used() - used0));
    if (oom.injected == 0) {
      /* Past the last allocation of the query: it must have run undisturbed. */
      ck_assert_int_eq(got.rc, want.rc);
      break;
    }
    check_outcome(s, &want, &got, n, persistent);
    ck_assert_msg(n < 200000, "%s: no end to the allocations", s->name);
  }
  if (getenv("PF_OOM_VERBOSE"))
    fprintf(stderr, "%s%s: %lld allocations\n", s->name, persistent ? " (persistent)" : "", n);
  free(want.text);
  free(got.text);
}

static int stride_from_env(void) {
  const char *z = getenv("PF_OOM_STRIDE");
  int k = z ? atoi(z) : 1;
  return k > 0 ? k : 1;
}

START_TEST(every_allocation_failure_is_nomem_or_the_right_answer) {
  const scenario *s = &scenarios[_i / 2];
  const char *only = getenv("PF_OOM_ONLY"); /* debugging: one scenario by name */
  if (only && strcmp(only, s->name) != 0) return;
  run_scenario(s, _i % 2, stride_from_env());
}
END_TEST

/* Every measure of the engine's list (pf_measures), in each of its forms: a measure added
** to the list is covered here without a line of this file changing. The sliding keyed
** window holds 200 customers, so its ordered multiset and running sums grow, and its rows
** go through pf_table_update. Loop index: measure * 8 + form * 2 + persistent. */
static const char *const measure_forms[] = {
    "SELECT %s(a%s) FROM inv",
    "SELECT %s(c, a%s) FROM inv",
    "SELECT count(v), sum(v) FROM (SELECT %s(x * 1.5%s) OVER (ORDER BY x ROWS 20 PRECEDING)"
    " AS v FROM big WHERE x <= 300)",
    "SELECT count(v), sum(v) FROM (SELECT %s(x %% 251, x %% 7 + 0.5%s) OVER (ORDER BY x"
    " ROWS 200 PRECEDING) AS v FROM big WHERE x <= 600)",
};
#define N_MEASURE_FORMS ((int)(sizeof(measure_forms) / sizeof(measure_forms[0])))

START_TEST(every_measure_form_under_oom) {
  const pf_measure *m = pf_measures[_i / (2 * N_MEASURE_FORMS)];
  int form = (_i / 2) % N_MEASURE_FORMS;
  char sql[300], name[80];
  scenario s = {name, sql, 0, 0};
  const char *only = getenv("PF_OOM_ONLY");
  snprintf(sql, sizeof sql, measure_forms[form], m->name, m->extra_arg ? ", 3" : "");
  snprintf(name, sizeof name, "%s form %d", m->name, form);
  if (only && strcmp(only, name) != 0) return;
  run_scenario(&s, _i % 2, stride_from_env());
}
END_TEST

/* Loading the extension into a plain connection with the Nth allocation failing:
** SQLITE_NOMEM with a message naming what failed (or no message when even that cannot be
** allocated), nothing leaked; loading again afterwards works. The auto-extension is off
** during the test (and restored at its end) so that the connection starts plain. */
START_TEST(registration_out_of_memory) {
  long long n;
  sqlite3_reset_auto_extension();
  for (n = 1;; n++) {
    long long live0 = oom.live;
    sqlite3_int64 used0 = sqlite3_memory_used();
    sqlite3 *db = 0;
    char *err = 0;
    int rc;
    ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    oom_arm(n, _i);
    rc = sqlite3_portfolio_init(db, n % 2 ? &err : 0, 0); /* also without a message */
    oom_disarm();
    ck_assert_msg(rc == SQLITE_OK || rc == SQLITE_NOMEM, "N=%lld: rc %d (%s)", n, rc,
                  err ? err : "");
    if (rc == SQLITE_OK) ck_assert_ptr_null(err);
    if (rc != SQLITE_OK && err)
      ck_assert_msg(strncmp(err, "portfolio: cannot register ", 27) == 0, "%s", err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) ck_assert_int_eq(sqlite3_portfolio_init(db, 0, 0), SQLITE_OK);
    pf_assert_near(pf_double(db, "SELECT herfindahl(a) + top_share(a, 1) + gini(a)"
                                 " FROM (SELECT 1 a UNION ALL SELECT 3)"),
                   6250 + 0.75 + 0.25, 1e-12);
    ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT 1, 1'),"
                                " risk_model, phases"),
                     40);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
    ck_assert_msg(oom.live == live0 && sqlite3_memory_used() == used0, "N=%lld: leaked", n);
    if (oom.injected == 0) break;
  }
  sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
}
END_TEST

/* risk_fit's parallel parts in the core (what the PostgreSQL host calls): merging, encoding
** and decoding with the Nth allocation failing return PF_NOMEM and free what they made. */
START_TEST(fit_parts_out_of_memory) {
  pf_fit_value v[2] = {{PF_FIT_NUMBER, {1, 0, 0}, 0, 0}, {PF_FIT_TEXT, {0, 0, 0}, "b", 1}};
  long long n;
  for (n = 1;; n++) {
    long long live0 = oom.live;
    pf_fit *a = pf_fit_new(2), *b = pf_fit_new(2), *c = 0;
    char *bytes = 0;
    uint64_t len;
    int i, rc;
    ck_assert(a && b && pf_fit_name(a, 0, "x", 1) == PF_OK && pf_fit_name(b, 0, "x", 1) == PF_OK);
    ck_assert(pf_fit_name(a, 1, "p", 1) == PF_OK && pf_fit_name(b, 1, "p", 1) == PF_OK);
    for (i = 0; i < 300; i++) {
      v[0].num.i = i % 40;
      v[0].num.d = (double)(i % 40);
      ck_assert_int_eq(pf_fit_row(i % 2 ? a : b, i % 3 == 0, v), PF_OK);
    }
    oom_arm(n, _i);
    rc = pf_fit_merge(a, b);
    if (rc == PF_OK) rc = pf_fit_encode(a, &bytes, &len);
    if (rc == PF_OK) rc = pf_fit_decode(bytes, len, &c);
    oom_disarm();
    ck_assert_msg(rc == PF_OK || rc == PF_NOMEM, "N=%lld: rc %d", n, rc);
    if (rc == PF_OK) ck_assert_int_eq(pf_fit_count(c, 0) + pf_fit_count(c, 1), 300);
    if (rc != PF_OK) ck_assert_ptr_null(c);
    pf_fit_free(c);
    pf_free(bytes);
    pf_fit_free(a);
    pf_fit_free(b);
    ck_assert_msg(oom.live == live0, "N=%lld: leaked", n);
    if (oom.injected == 0) break;
  }
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("oom");
  TCase *tc = tcase_create("injection");
  tcase_set_timeout(tc, 600);
  tcase_add_loop_test(tc, every_allocation_failure_is_nomem_or_the_right_answer, 0,
                      (int)(2 * sizeof(scenarios) / sizeof(scenarios[0])));
  tcase_add_loop_test(tc, every_measure_form_under_oom, 0,
                      pf_measure_count * N_MEASURE_FORMS * 2);
  tcase_add_loop_test(tc, registration_out_of_memory, 0, 2);
  tcase_add_loop_test(tc, fit_parts_out_of_memory, 0, 2);
  suite_add_tcase(s, tc);
  return s;
}

/* Not PF_TEST_MAIN: the allocator must be installed before SQLite initialises, and
** sqlite3_auto_extension() initialises it. */
int main(void) {
  static sqlite3_mem_methods failing = {oom_malloc, oom_free, oom_realloc, oom_size,
                                        oom_roundup, oom_init, oom_shutdown, 0};
  SRunner *runner;
  int failed;
  if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &base_mem) != SQLITE_OK ||
      sqlite3_config(SQLITE_CONFIG_MALLOC, &failing) != SQLITE_OK ||
      sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0) != SQLITE_OK ||
      sqlite3_initialize() != SQLITE_OK) {
    fprintf(stderr, "test_oom: cannot install the failing allocator\n");
    return EXIT_FAILURE;
  }
  sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
  runner = srunner_create(make_suite());
  srunner_run_all(runner, CK_NORMAL);
  failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  sqlite3_reset_auto_extension();
  sqlite3_shutdown();
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
