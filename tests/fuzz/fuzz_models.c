/*
** fuzz_models.c: the risk actions of fuzz_portfolio.c: risk_score / risk_explain /
** phase_of with factor names and fuzzed values, learnt models (valid, broken, fuzzed) and
** risk_scorecard, and the eponymous tables.
*/

#include <string.h>

#include "fuzz.h"

void action_risk(sqlite3 *db, input *in) {
  static const char *const fns[] = {"risk_score", "risk_explain", "phase_of"};
  const char *fn = PICK(in, fns);
  int pairs = (int)(take(in) % 6), i;
  int odd = take(in) % 8 == 0;
  int argc = 2 * pairs + odd;
  sqlite3_stmt *stmt = prepare_call(db, fn, argc, " FROM (SELECT 1 UNION ALL SELECT 2)");
  if (stmt == 0) return;
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

void action_learnt(sqlite3 *db, input *in) {
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

void action_tables(sqlite3 *db, input *in) {
  static const char *const sqls[] = {
      "SELECT * FROM risk_model", "SELECT * FROM risk_industries WHERE industry = 'travel'",
      "SELECT * FROM phases ORDER BY ordinal DESC", "SELECT * FROM risk_model(1)",
      "SELECT rowid, * FROM phases WHERE rowid = 2",
  };
  sqlite3_stmt *stmt = prepare(db, PICK(in, sqls));
  if (stmt) run(db, stmt, 0, 0);
}
