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
**      thresholds (auc and lift are among the aggregates of 2);
**   7. (bytes 252-255) queries reading combinations of virtual tables, allowed and refused,
**      through concentration and concentration_by: rule 10 of the query runner
**      (fuzz_vtabs.c), whose refusal must name a refused table the query reads.
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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "json_reader.h"

int sqlite3_portfolio_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

/* progress-handler calls left to the statement now running (reset before each action) */
int budget;

static int progress(void *arg) {
  int *budget = arg;
  return --*budget <= 0; /* nonzero interrupts the statement */
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
  vtabs_init(db);
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
    unsigned op = take(&in);
    /* bytes 252-255 choose the actions added after the corpus' findings were recorded, so
    ** that the bytes 0-251 of every checked-in input keep their meaning */
    switch (op >= 252 ? 9 + op % 2 : op % 9) {
      case 0: action_scalar(db, &in); break;
      case 1: action_aggregate(db, &in); break;
      case 2: action_concentration(db, &in, 0); break;
      case 3: action_risk(db, &in); break;
      case 4: action_tables(db, &in); break;
      case 5: action_concentration(db, &in, 1); break;
      case 6: action_json(db, &in); break;
      case 7: action_learnt(db, &in); break;
      case 9:
      case 10: action_vtabs(db, &in); break;
      default: fill_rows(db, &in); break;
    }
  }
  return 0;
}

