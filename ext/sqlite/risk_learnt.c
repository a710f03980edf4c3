/*
** risk_learnt.c: risk_score('model', m, factor, value, ...) and risk_explain('model', m, ...):
** scoring and explaining accounts with a model learnt by risk_fit.
**
** Rules (the scoring structure is ext/core/risk_model.h; binning, the score and the
** explanation are ext/core/core_risk_learnt.c's, shared with PostgreSQL):
**   1. 'model' is the first argument, m the model JSON text; the rest are (factor, value)
**      pairs naming the model's factors (ASCII case-insensitive). A factor the model does
**      not know is an error listing the model's factors; a factor twice, 'weights', an odd
**      count or a name that is not TEXT are errors too.
**   2. A constant m is parsed once per statement (auxdata on argument 2). A non-constant m
**      (a column) is compared with the last model text this function parsed on the
**      connection, so a column holding the same model is parsed once, not per row.
**   3. Values: NULL or '' is missing. A numeric factor takes INTEGER, REAL or numeric TEXT
**      (a built-in factor also its range, as in version 0.1); a categorical one reads every
**      value as its text. Bins as risk_model.h says (out of range: first or last bin;
**      unseen category: other; missing: the missing bin; no such bin: 0 points).
**   4. risk_score = 100 / (1 + exp(-(intercept + sum of points))).
**   5. risk_explain: {"score", "probability", "intercept", "factors": [{factor, value, bin,
**      points, outcome_rate}], "missing": [...]}: every model factor is in factors (a
**      missing one with value null, so the intercept plus the points is always the
**      log-odds), sorted by points, largest first (ties in model order); missing lists the
**      factors not given or NULL, in model order. A bin-less factor has bin and
**      outcome_rate null and 0 points.
**   6. With constant arguments a row allocates nothing.
*/
#include "core_risk_learnt.h"
#include "names.h"
#include "pf_host.h"
#include "risk_sqlite.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

/* The most factors a model may have here: rows keep one slot per factor on the stack. */
#define LEARNT_MAX_FACTORS PF_MODEL_MAX_FACTORS

struct pf_model_cache {
  pf_model *model; /* the last model parsed from a non-constant argument, or NULL */
  char *text;      /* its text */
  int n;
  uint64_t next_id;
  uint64_t hits; /* cache hits, to offer the model as auxdata now and then */
};

pf_model_cache *pf_model_cache_new(void) {
  pf_model_cache *c = sqlite3_malloc64(sizeof(*c));
  if (c) memset(c, 0, sizeof(*c));
  return c;
}

void pf_model_cache_free(void *p) {
  pf_model_cache *c = p;
  if (c == 0) return;
  pf_model_release(c->model);
  sqlite3_free(c->text);
  sqlite3_free(c);
}

static void release_model(void *p) { pf_model_release(p); }

/* Marks argument 1 as the word 'model' once it was read (auxdata), like risk.c's names. */
static const char model_word = 0;

int pf_risk_is_learnt(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const void *known;
  if (argc < 1) return 0;
  known = sqlite3_get_auxdata(ctx, 0);
  if (known) return known == &model_word;
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT ||
      !pf_name_is((const char *)sqlite3_value_text(argv[0]), sqlite3_value_bytes(argv[0]),
                  "model"))
    return 0;
  sqlite3_set_auxdata(ctx, 0, (void *)&model_word, 0);
  return 1;
}

static pf_model *pf_model_read(sqlite3_context *ctx, const char *fn, sqlite3_value *v,
                        uint64_t id) {
  char err[PF_MODEL_ERR_SIZE];
  pf_model *m = 0;
  const char *z;
  int rc;
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    pf_error_bad_value(ctx, fn, "model", "the JSON text of a model from risk_fit", v);
    return 0;
  }
  z = (const char *)sqlite3_value_text(v);
  if (z == 0) { /* TEXT whose conversion ran out of memory */
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  rc = pf_model_parse(z, sqlite3_value_bytes(v), &m, err);
  if (rc == PF_NOMEM) sqlite3_result_error_nomem(ctx);
  if (rc == PF_MODEL_BAD) pf_result_errorf(ctx, "%s: model %s", fn, err);
  if (rc != PF_OK) return 0;
  m->id = id;
  pf_model_tag_builtins(m);
  return m;
}

/* The model at argv[1] (rule 2), or NULL after an error. The statement's auxdata holds a
** reference, so the model lives at least until the result is set. */
static pf_model *get_model(sqlite3_context *ctx, const char *fn, sqlite3_value **argv) {
  pf_model_cache *cache = sqlite3_user_data(ctx);
  pf_model *m = sqlite3_get_auxdata(ctx, 1);
  const char *z;
  int n;
  if (m) return m;
  z = (const char *)sqlite3_value_text(argv[1]);
  n = sqlite3_value_bytes(argv[1]);
  if (cache->model && z && sqlite3_value_type(argv[1]) == SQLITE_TEXT && n == cache->n &&
      memcmp(z, cache->text, (size_t)n) == 0) {
    m = cache->model;
    /* A hit is a column holding the same model (SQLite drops auxdata on a column after each
    ** row, so keeping it costs an allocation per row for nothing), or a constant model this
    ** connection read before: offering it as auxdata on one hit in 64 lets a constant stay
    ** in the statement after a few rows, at 1/64 of the cost for a column. */
    if (++cache->hits % 64 != 1) return m;
  } else {
    char *copy;
    m = pf_model_read(ctx, fn, argv[1], ++cache->next_id);
    if (m == 0) return 0;
    copy = sqlite3_malloc64((sqlite3_uint64)n + 1);
    if (copy == 0) {
      pf_model_release(m);
      sqlite3_result_error_nomem(ctx);
      return 0;
    }
    memcpy(copy, z, (size_t)n);
    pf_model_release(cache->model);
    sqlite3_free(cache->text);
    cache->model = m;
    cache->text = copy;
    cache->n = n;
  }
  /* The cache keeps its reference, so m outlives this call even when SQLite drops the
  ** auxdata at once (non-constant argument, or no memory for it). */
  pf_model_retain(m);
  sqlite3_set_auxdata(ctx, 1, m, release_model);
  return m;
}

/* ---- the arguments ------------------------------------------------------------------- */

/* What a factor name argument was found to mean, for one model (auxdata on the name). */
typedef struct name_memo {
  uint64_t model_id;
  int factor;
} name_memo;

typedef struct learnt_row {
  pf_model_row row;
  int arg[LEARNT_MAX_FACTORS]; /* argv index of each factor's value, or -1 */
} learnt_row;

static void error_unknown(sqlite3_context *ctx, const char *fn, const pf_model *m,
                          sqlite3_value *name) {
  char *message = pf_model_unknown_factor_message(
      fn, m, (const char *)sqlite3_value_text(name), sqlite3_value_bytes(name));
  if (message == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, message, -1);
  pf_free(message);
}

/* The model factor named by argv[i], or -1 after an error. */
static int read_name(sqlite3_context *ctx, const char *fn, const pf_model *m,
                     sqlite3_value **argv, int i) {
  name_memo *memo = sqlite3_get_auxdata(ctx, i);
  const char *name;
  int k, n;
  if (memo && memo->model_id == m->id) return memo->factor;
  if (sqlite3_value_type(argv[i]) != SQLITE_TEXT) {
    char what[40];
    sqlite3_snprintf(sizeof(what), what, "argument %d", i + 1);
    pf_error_bad_value(ctx, fn, what, "a factor name", argv[i]);
    return -1;
  }
  name = (const char *)sqlite3_value_text(argv[i]);
  n = sqlite3_value_bytes(argv[i]);
  if (name == 0) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  k = pf_model_factor_find(m, name, n);
  if (k < 0 && (pf_name_is(name, n, "weights") || pf_name_is(name, n, "model"))) {
    pf_result_errorf(ctx, PF_MODEL_NOT_WITH, fn,
                     pf_name_is(name, n, "model") ? "model" : "weights");
    return -1;
  }
  if (k < 0) {
    error_unknown(ctx, fn, m, argv[i]);
    return -1;
  }
  if (memo == 0) {
    memo = sqlite3_malloc64(sizeof(*memo));
    if (memo == 0) return k; /* only the memo is lost: the name is read again next row */
    memo->model_id = m->id;
    memo->factor = k;
    sqlite3_set_auxdata(ctx, i, memo, sqlite3_free);
  } else {
    memo->model_id = m->id;
    memo->factor = k;
  }
  return k;
}

/* Reads factor k's value at argv[r->arg[k]] (if given) into the row. 1, or 0 after an
** error. */
static int read_value(sqlite3_context *ctx, const char *fn, learnt_row *r, int k,
                      sqlite3_value **argv) {
  const pf_model_factor *x = &r->row.m->factors[k];
  sqlite3_value *v = r->arg[k] >= 0 ? argv[r->arg[k]] : 0;
  pf_num num;
  int rc;
  if (v == 0 || sqlite3_value_type(v) == SQLITE_NULL ||
      (sqlite3_value_type(v) == SQLITE_TEXT && sqlite3_value_bytes(v) == 0))
    return 1; /* missing */
  if (x->kind == PF_MODEL_CATEGORICAL) {
    const char *z = (const char *)sqlite3_value_text(v);
    if (z == 0) {
      sqlite3_result_error_nomem(ctx);
      return 0;
    }
    pf_model_row_text(&r->row, k, z, sqlite3_value_bytes(v));
    return 1;
  }
  rc = pf_risk_value_number(v, &num);
  if (rc > 0 && x->tag >= 0 && !pf_risk_value_in_range(x->tag, num.d)) rc = -2;
  if (rc < 0) {
    pf_error_bad_value(ctx, fn, x->name, rc == -2 ? pf_risk_factors[x->tag].range : "a number",
                       v);
    return 0;
  }
  pf_model_row_number(&r->row, k, &num);
  return 1;
}

/* Reads the pairs after the model and scores them. 1, or 0 after an error. */
static int score_row(sqlite3_context *ctx, const char *fn, int argc, sqlite3_value **argv,
                     learnt_row *r, const pf_model *m) {
  int i, k;
  if (argc % 2) {
    pf_result_errorf(ctx, PF_RISK_ODD_ARGUMENTS, fn, argc, argc == 1 ? "" : "s");
    return 0;
  }
  pf_model_row_init(&r->row, m);
  for (k = 0; k < m->nfactors; k++) r->arg[k] = -1;
  for (i = 2; i < argc; i += 2) {
    k = read_name(ctx, fn, m, argv, i);
    if (k < 0) return 0;
    if (!pf_model_row_name(&r->row, k)) {
      pf_result_errorf(ctx, PF_RISK_FACTOR_TWICE, fn, m->factors[k].name);
      return 0;
    }
    r->arg[k] = i + 1;
  }
  for (k = 0; k < m->nfactors; k++)
    if (!read_value(ctx, fn, r, k, argv)) return 0;
  pf_model_row_score(&r->row);
  return 1;
}

void pf_risk_learnt_score(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  learnt_row r;
  const pf_model *m;
  if (argc < 2) {
    pf_result_errorf(ctx, PF_MODEL_NEEDS_MODEL, "risk_score", "risk_score");
    return;
  }
  m = get_model(ctx, "risk_score", argv);
  if (m == 0) return;
  if (score_row(ctx, "risk_score", argc, argv, &r, m))
    sqlite3_result_double(ctx, 100.0 * pf_model_probability(r.row.z));
}

void pf_risk_learnt_explain(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  learnt_row r;
  const pf_model *m;
  char *json;
  if (argc < 2) {
    pf_result_errorf(ctx, PF_MODEL_NEEDS_MODEL, "risk_explain", "risk_explain");
    return;
  }
  m = get_model(ctx, "risk_explain", argv);
  if (m == 0 || !score_row(ctx, "risk_explain", argc, argv, &r, m)) return;
  json = pf_model_row_explain_json(&r.row);
  if (json == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, json, -1, pf_free);
}
