/*
** risk.c: risk_score(factor, value, ...) and risk_explain(factor, value, ...) in SQLite.
**
** The model (factors, ranges, curves, default weights, the score and the explanation) is
** the core's (core_risk.h, core_risk_factors.c, core_risk.c), shared with PostgreSQL; this
** file reads SQLite's arguments into it.
** Rules:
**   1. Arguments come in (name, value) pairs; an odd count is an error. A name is TEXT
**      matched ignoring ASCII case; an unknown name is an error listing the known ones,
**      and a name given twice is an error.
**   2. A NULL or '' value drops the factor (it is "missing"). Values are INTEGER, REAL or
**      numeric TEXT within the factor's range; anything else is an error naming the
**      function, the factor and the value. Whole-number factors accept 2 and 2.0, not 2.5.
**   3. industry also takes an industry name, rated from the built-in table (0.5 when not
**      listed); numeric TEXT such as '0.7' is a rating, like the number 0.7.
**   4. The pair ('weights', json) overrides default weights for this call: a JSON object of
**      factor -> number >= 0 (read by the core; NULL means the defaults).
**   5. risk_score is NULL without a score; risk_explain returns the core's JSON.
**   6. With constant weights a row allocates nothing in risk_score; constant names are
**      looked up once per statement.
*/
#include "json_numbers.h"
#include "names.h"
#include "risk_sqlite.h"
#include "pf_host.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

typedef struct risk_call {
  pf_risk_input in;
  int weights_arg;   /* argv index of the weights JSON, or -1 */
  int weights_fresh; /* weights parsed in this call: cache them after the result */
} risk_call;

/* ---- reading the arguments ----------------------------------------------------------- */

/* Reads the value of factor k into the call. Returns 1, or 0 after an error. */
static int read_value(sqlite3_context *ctx, const char *fn, int k, sqlite3_value *v,
                      pf_risk_input *in) {
  const pf_risk_factor *f = &pf_risk_factors[k];
  pf_num num;
  int rc = pf_risk_value_number(v, &num);
  if (rc == 0) return 1; /* NULL or '': missing */
  if (rc < 0 && f->industry_names && sqlite3_value_type(v) == SQLITE_TEXT) {
    pf_risk_add_industry_name(in, k, (const char *)sqlite3_value_text(v),
                              sqlite3_value_bytes(v));
    return 1;
  }
  if (rc < 0) {
    pf_error_bad_value(ctx, fn, f->name,
                       f->industry_names ? "an industry name or a number" : "a number", v);
    return 0;
  }
  if (!pf_risk_add_number(in, k, &num)) {
    pf_error_bad_value(ctx, fn, f->name, f->range, v);
    return 0;
  }
  return 1;
}

static void error_unknown_factor(sqlite3_context *ctx, const char *fn, const char *name,
                                 int n) {
  char *message = pf_risk_unknown_factor_message(fn, name, n);
  if (message == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, message, -1);
  pf_free(message);
}

/* What a constant name argument was found to be, kept on it with sqlite3_set_auxdata:
** &pf_risk_factors[k], or this marker for 'weights'. Factor names are constants in
** practice, so every row after the first skips comparing them (most of risk_score's time
** per row before: 1,200 of 4,100 instructions). */
static const char weights_name = 0;

/* The name at argv[i]: the factor index, PF_RISK_MAX_FACTORS for 'weights', or -1 after
** an error. A constant name is read once per statement (see weights_name). */
static int read_name(sqlite3_context *ctx, const char *fn, sqlite3_value **argv, int i) {
  const void *known = sqlite3_get_auxdata(ctx, i);
  const char *name;
  int k, n;
  if (known == &weights_name) return PF_RISK_MAX_FACTORS;
  if (known) return (int)((const pf_risk_factor *)known - pf_risk_factors);
  if (sqlite3_value_type(argv[i]) != SQLITE_TEXT) {
    char what[40];
    sqlite3_snprintf(sizeof(what), what, "argument %d", i + 1);
    pf_error_bad_value(ctx, fn, what, "a factor name", argv[i]);
    return -1;
  }
  name = (const char *)sqlite3_value_text(argv[i]);
  if (name == 0) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  n = sqlite3_value_bytes(argv[i]);
  k = pf_risk_factor_find(name, n);
  if (k < 0 && sqlite3_stricmp(name, "weights") == 0) {
    sqlite3_set_auxdata(ctx, i, (void *)&weights_name, 0);
    return PF_RISK_MAX_FACTORS;
  }
  if (k < 0 && sqlite3_stricmp(name, "model") == 0) {
    pf_result_errorf(ctx, PF_RISK_MODEL_FIRST, fn, fn);
    return -1;
  }
  if (k < 0) {
    error_unknown_factor(ctx, fn, name, n);
    return -1;
  }
  sqlite3_set_auxdata(ctx, i, (void *)&pf_risk_factors[k], 0);
  return k;
}

/* Reads one (name, value) pair at argv[i], argv[i+1]. Returns 1, or 0 after an error. */
static int read_pair(sqlite3_context *ctx, const char *fn, sqlite3_value **argv, int i,
                     risk_call *call) {
  int k = read_name(ctx, fn, argv, i);
  if (k < 0) return 0;
  if (k == PF_RISK_MAX_FACTORS) {
    if (call->weights_arg >= 0) {
      pf_result_errorf(ctx, PF_RISK_WEIGHTS_TWICE, fn);
      return 0;
    }
    call->weights_arg = i + 1;
    return 1;
  }
  if (!pf_risk_name(&call->in, k)) {
    pf_result_errorf(ctx, PF_RISK_FACTOR_TWICE, fn, pf_risk_factors[k].name);
    return 0;
  }
  return read_value(ctx, fn, k, argv[i + 1], &call->in);
}

static int read_arguments(sqlite3_context *ctx, const pf_json_keys *keys, int argc,
                          sqlite3_value **argv, risk_call *call) {
  int i;
  pf_risk_input_init(&call->in);
  call->weights_arg = -1;
  call->weights_fresh = 0;
  if (argc % 2) {
    pf_result_errorf(ctx, PF_RISK_ODD_ARGUMENTS, keys->fn, argc, argc == 1 ? "" : "s");
    return 0;
  }
  for (i = 0; i < argc; i += 2)
    if (!read_pair(ctx, keys->fn, argv, i, call)) return 0;
  if (call->weights_arg < 0) return 1;
  return pf_json_numbers_get(ctx, keys, argv, call->weights_arg, &call->in.weights,
                             &call->weights_fresh);
}

/* ---- the functions ------------------------------------------------------------------- */

static void risk_score(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  risk_call call;
  if (pf_risk_is_learnt(ctx, argc, argv)) {
    pf_risk_learnt_score(ctx, argc, argv);
    return;
  }
  if (!read_arguments(ctx, &pf_risk_score_weights, argc, argv, &call)) return;
  if (pf_risk_compute(&call.in)) sqlite3_result_double(ctx, call.in.score);
  if (call.weights_fresh) pf_json_numbers_cache(ctx, call.weights_arg, &call.in.weights);
}

static void risk_explain(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  risk_call call;
  char *json;
  if (pf_risk_is_learnt(ctx, argc, argv)) {
    pf_risk_learnt_explain(ctx, argc, argv);
    return;
  }
  if (!read_arguments(ctx, &pf_risk_explain_weights, argc, argv, &call)) return;
  json = pf_risk_explain_json(&call.in, pf_risk_compute(&call.in));
  if (json == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, json, -1, pf_free);
  if (call.weights_fresh) pf_json_numbers_cache(ctx, call.weights_arg, &call.in.weights);
}

/* ---- registration -------------------------------------------------------------------- */

/* Each function gets its own cache of the last model parsed from a column (risk_learnt.c),
** freed with the connection. */
static int register_with_cache(sqlite3 *db, const char *name,
                               void (*fn)(sqlite3_context *, int, sqlite3_value **),
                               char **pzErrMsg) {
  pf_model_cache *cache = pf_model_cache_new();
  int rc;
  if (cache == 0) return SQLITE_NOMEM;
  rc = sqlite3_create_function_v2(db, name, -1, PF_PURE, cache, fn, 0, 0, pf_model_cache_free);
  if (rc != SQLITE_OK && pzErrMsg)
    *pzErrMsg = sqlite3_mprintf("portfolio: cannot register %s: %s", name, sqlite3_errmsg(db));
  return rc;
}

int pf_init_risk(sqlite3 *db, char **pzErrMsg) {
  int rc;
  if (pf_risk_factor_count > PF_RISK_MAX_FACTORS) {
    if (pzErrMsg)
      *pzErrMsg = sqlite3_mprintf("portfolio: more risk factors than PF_RISK_MAX_FACTORS");
    return SQLITE_INTERNAL;
  }
  rc = register_with_cache(db, "risk_score", risk_score, pzErrMsg);
  if (rc == SQLITE_OK) rc = register_with_cache(db, "risk_explain", risk_explain, pzErrMsg);
  if (rc == SQLITE_OK) rc = pf_risk_tables_register(db, pzErrMsg);
  if (rc == SQLITE_OK) rc = pf_risk_scorecard_register(db, pzErrMsg);
  return rc;
}
