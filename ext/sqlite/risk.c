/*
** risk.c: risk_score(factor, value, ...) and risk_explain(factor, value, ...).
**
** Rules (the factors, their ranges, curves and default weights are in risk_factors.c):
**   1. Arguments come in (name, value) pairs; an odd count is an error. A name is TEXT
**      matched ignoring ASCII case; an unknown name is an error listing the known ones,
**      and a name given twice is an error.
**   2. A NULL or '' value drops the factor (it is "missing"). Values are INTEGER, REAL or
**      numeric TEXT within the factor's range; anything else is an error naming the
**      function, the factor and the value. Whole-number factors accept 2 and 2.0, not 2.5.
**   3. industry also takes an industry name, rated from the built-in table (0.5 when not
**      listed); numeric TEXT such as '0.7' is a rating, like the number 0.7.
**   4. The pair ('weights', json) overrides default weights for this call: a JSON object of
**      factor -> number >= 0 (json_numbers.c reads it; NULL means the defaults).
**   5. score = 100 * sum(w_i * risk_i) / sum(w_i) over the factors given: the weight of a
**      missing factor is spread over the others in proportion to their weights. No factor
**      given, or all of their weights zero: risk_score is NULL.
**   6. risk_explain returns {"score", "factors": [{factor, value, risk, weight,
**      contribution}], "missing": [...]}: weight is the share actually applied (they add
**      up to 1), contribution = 100 * weight * risk (they add up to the score), factors
**      sorted by contribution, largest first (ties in risk_model order), missing in
**      risk_model order. Numbers print with 15 significant digits, as SQLite prints REALs.
**      With no score, score/weight/contribution are null.
**   7. With constant weights a row allocates nothing in risk_score.
*/
#include "names.h"
#include "risk.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

typedef struct risk_term {
  int factor;   /* index in pf_risk_factors */
  int arg;      /* argv index of the value */
  pf_num num;   /* the value as a number; unset for an industry name */
  int is_name;  /* industry given by name: argv[arg] is the name */
  double risk, weight, applied, contribution;
} risk_term;

typedef struct risk_input {
  int n;            /* terms with a value */
  unsigned named;   /* bit per factor named in the arguments (with a value or NULL) */
  int weights_arg;  /* argv index of the weights JSON, or -1 */
  int weights_fresh; /* weights parsed in this call: cache them after the result */
  pf_json_numbers weights;
  risk_term term[PF_RISK_MAX_FACTORS];
  double score;
} risk_input;

/* ---- weights ------------------------------------------------------------------------- */

static int weight_accepts(int i, double w) {
  (void)i;
  return w >= 0 && isfinite(w);
}

static const char *weight_expect(int i) {
  (void)i;
  return "a number >= 0";
}

static char *factor_names(void) {
  return pf_name_list(pf_risk_factors, sizeof(pf_risk_factors[0]), pf_risk_factor_count, 0);
}

static char *argument_names(void) {
  return pf_name_list(pf_risk_factors, sizeof(pf_risk_factors[0]), pf_risk_factor_count,
                      "weights");
}

static const pf_json_keys score_weights = {"risk_score", "weights", "factor",
                                           pf_risk_factor_find, weight_accepts,
                                           weight_expect, factor_names};
static const pf_json_keys explain_weights = {"risk_explain", "weights", "factor",
                                             pf_risk_factor_find, weight_accepts,
                                             weight_expect, factor_names};

/* ---- reading the arguments ----------------------------------------------------------- */

/* pf_amount_parse, with the usual INTEGER and REAL values read without the call. */
int pf_risk_value_number(sqlite3_value *v, pf_num *out) {
  int type = sqlite3_value_type(v);
  if (type == SQLITE_FLOAT) {
    double d = sqlite3_value_double(v);
    if (isfinite(d)) {
      out->is_int = 0;
      out->i = 0;
      out->d = d;
      return 1;
    }
  } else if (type == SQLITE_INTEGER) {
    out->is_int = 1;
    out->i = sqlite3_value_int64(v);
    out->d = (double)out->i;
    return 1;
  }
  return pf_amount_parse(v, out);
}

int pf_risk_value_in_range(int k, double d) {
  const pf_risk_factor *f = &pf_risk_factors[k];
  return !(d < f->min || d > f->max || (f->whole && d != floor(d)));
}

/* Reads the value of factor k. Returns 1 (term filled), 0 (NULL: missing) or -1 (error). */
static int read_value(sqlite3_context *ctx, const char *fn, int k, sqlite3_value *v,
                      risk_term *t) {
  const pf_risk_factor *f = &pf_risk_factors[k];
  int rc = pf_risk_value_number(v, &t->num);
  t->is_name = 0;
  if (rc == 0) return 0;
  if (rc < 0 && f->industry_names && sqlite3_value_type(v) == SQLITE_TEXT) {
    t->is_name = 1;
    t->risk = pf_industry_rating((const char *)sqlite3_value_text(v), sqlite3_value_bytes(v));
    return 1;
  }
  if (rc < 0) {
    pf_error_bad_value(ctx, fn, f->name,
                       f->industry_names ? "an industry name or a number" : "a number", v);
    return -1;
  }
  if (!pf_risk_value_in_range(k, t->num.d)) {
    pf_error_bad_value(ctx, fn, f->name, f->range, v);
    return -1;
  }
  t->risk = f->curve(t->num.d);
  return 1;
}

static void error_unknown_factor(sqlite3_context *ctx, const char *fn, const char *name) {
  char *known = argument_names();
  if (known == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  pf_result_errorf(ctx, "%s: unknown factor '%q' (known: %s)", fn, name, known);
  sqlite3_free(known);
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
  int k;
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
  k = pf_risk_factor_find(name, sqlite3_value_bytes(argv[i]));
  if (k < 0 && sqlite3_stricmp(name, "weights") == 0) {
    sqlite3_set_auxdata(ctx, i, (void *)&weights_name, 0);
    return PF_RISK_MAX_FACTORS;
  }
  if (k < 0 && sqlite3_stricmp(name, "model") == 0) {
    pf_result_errorf(ctx, "%s: 'model' must be the first argument: %s('model', m, factor, "
                     "value, ...)", fn, fn);
    return -1;
  }
  if (k < 0) {
    error_unknown_factor(ctx, fn, name);
    return -1;
  }
  sqlite3_set_auxdata(ctx, i, (void *)&pf_risk_factors[k], 0);
  return k;
}

/* Reads one (name, value) pair at argv[i], argv[i+1]. Returns 1, or 0 after an error. */
static int read_pair(sqlite3_context *ctx, const char *fn, sqlite3_value **argv, int i,
                     risk_input *in) {
  risk_term *t;
  int j, rc, k = read_name(ctx, fn, argv, i);
  if (k < 0) return 0;
  if (k == PF_RISK_MAX_FACTORS) {
    if (in->weights_arg >= 0) {
      pf_result_errorf(ctx, "%s: 'weights' given twice", fn);
      return 0;
    }
    in->weights_arg = i + 1;
    return 1;
  }
  if (in->named & (1u << k)) {
    pf_result_errorf(ctx, "%s: factor '%s' given twice", fn, pf_risk_factors[k].name);
    return 0;
  }
  in->named |= 1u << k;
  t = &in->term[in->n]; /* read in place: arguments in risk_model order move nothing */
  rc = read_value(ctx, fn, k, argv[i + 1], t);
  if (rc <= 0) return rc == 0;
  t->factor = k;
  t->arg = i + 1;
  /* Kept in risk_model order, so the sums below do not depend on the argument order. */
  for (j = in->n++; j > 0 && in->term[j - 1].factor > k; j--) {
    risk_term swap = in->term[j];
    in->term[j] = in->term[j - 1];
    in->term[j - 1] = swap;
  }
  return 1;
}

static int read_arguments(sqlite3_context *ctx, const char *fn, const pf_json_keys *keys,
                          int argc, sqlite3_value **argv, risk_input *in) {
  int i;
  in->n = 0;
  in->named = 0;
  in->weights_arg = -1;
  in->weights_fresh = 0;
  if (argc % 2) {
    pf_result_errorf(ctx, "%s: arguments come in factor, value pairs, got %d argument%s", fn,
                     argc, argc == 1 ? "" : "s");
    return 0;
  }
  for (i = 0; i < argc; i += 2)
    if (!read_pair(ctx, fn, argv, i, in)) return 0;
  if (in->weights_arg < 0) {
    in->weights.seen = 0;
    return 1;
  }
  return pf_json_numbers_get(ctx, keys, argv, in->weights_arg, &in->weights,
                             &in->weights_fresh);
}

/* ---- the score ----------------------------------------------------------------------- */

/* Sets weights, applied shares and contributions. Returns 1 with in->score set, or 0 when
** there is no score (no factor given, or all their weights zero). */
static int compute(risk_input *in) {
  pf_acc score;
  double wmax = 0, sum = 0, scale = 1, product_errors = 0;
  int i;
  for (i = 0; i < in->n; i++) {
    int k = in->term[i].factor;
    double w = (in->weights.seen & (1u << k)) ? in->weights.value[k] : pf_risk_factors[k].weight;
    in->term[i].weight = w;
    if (w > wmax) wmax = w;
  }
  if (wmax == 0) return 0;
  /* The terms are >= 0 and at most 32: a plain sum is within 32 ulp, no cancellation.
  ** Only weights near DBL_MAX overflow it; those are scaled down first. */
  for (i = 0; i < in->n; i++) sum += in->term[i].weight;
  if (!isfinite(sum)) {
    scale = wmax;
    for (sum = 0, i = 0; i < in->n; i++) sum += in->term[i].weight / scale;
  }
  /* score = 100 * sum(w * risk) / sum(w), with each product's rounding error (exact by
  ** fma) added back: fewer roundings than adding up the contributions, so round inputs
  ** give round scores (65 for 0.15 * 0.75 + 0.10 * 0.5 over 0.25, not 64.99999999999999). */
  memset(&score, 0, sizeof(score));
  for (i = 0; i < in->n; i++) {
    risk_term *t = &in->term[i];
    double w = t->weight / scale, product = w * t->risk;
    t->applied = w / sum;
    t->contribution = 100.0 * t->applied * t->risk;
    pf_acc_add_double(&score, product);
    product_errors += fma(w, t->risk, -product);
  }
  pf_acc_add_double(&score, product_errors);
  in->score = fmin(100.0, fmax(0.0, 100.0 * pf_acc_value(&score) / sum));
  return 1;
}

static void risk_score(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  risk_input in;
  if (pf_risk_is_learnt(ctx, argc, argv)) {
    pf_risk_learnt_score(ctx, argc, argv);
    return;
  }
  if (!read_arguments(ctx, "risk_score", &score_weights, argc, argv, &in)) return;
  if (compute(&in)) sqlite3_result_double(ctx, in.score);
  if (in.weights_fresh) pf_json_numbers_cache(ctx, in.weights_arg, &in.weights);
}

/* ---- risk_explain -------------------------------------------------------------------- */

static void json_number(sqlite3_str *s, double x) { sqlite3_str_appendf(s, "%!.15g", x); }

void pf_json_string(sqlite3_str *s, const unsigned char *z, int n) {
  int i;
  sqlite3_str_appendchar(s, 1, '"');
  for (i = 0; i < n; i++) {
    unsigned char c = z[i];
    if (c == '"' || c == '\\')
      sqlite3_str_appendf(s, "\\%c", c);
    else if (c < 0x20)
      sqlite3_str_appendf(s, "\\u%04x", c);
    else
      sqlite3_str_appendchar(s, 1, (char)c);
  }
  sqlite3_str_appendchar(s, 1, '"');
}

static void json_term(sqlite3_str *s, const risk_term *t, sqlite3_value **argv, int scored) {
  sqlite3_str_appendf(s, "{\"factor\":\"%s\",\"value\":", pf_risk_factors[t->factor].name);
  if (t->is_name)
    pf_json_string(s, sqlite3_value_text(argv[t->arg]), sqlite3_value_bytes(argv[t->arg]));
  else if (t->num.is_int)
    sqlite3_str_appendf(s, "%lld", t->num.i);
  else
    json_number(s, t->num.d);
  sqlite3_str_appendall(s, ",\"risk\":");
  json_number(s, t->risk);
  if (!scored) {
    sqlite3_str_appendall(s, ",\"weight\":null,\"contribution\":null}");
    return;
  }
  sqlite3_str_appendall(s, ",\"weight\":");
  json_number(s, t->applied);
  sqlite3_str_appendall(s, ",\"contribution\":");
  json_number(s, t->contribution);
  sqlite3_str_appendchar(s, 1, '}');
}

/* Largest contribution first; equal ones in risk_model order. Insertion sort: n <= 32. */
static void sort_terms(risk_input *in) {
  int i, j;
  for (i = 1; i < in->n; i++) {
    risk_term t = in->term[i];
    for (j = i; j > 0; j--) {
      const risk_term *p = &in->term[j - 1];
      if (p->contribution > t.contribution ||
          (p->contribution == t.contribution && p->factor < t.factor))
        break;
      in->term[j] = in->term[j - 1];
    }
    in->term[j] = t;
  }
}

static char *explain_json(risk_input *in, sqlite3_value **argv, int scored) {
  sqlite3_str *s = sqlite3_str_new(0);
  unsigned given = 0;
  int i, first = 1;
  if (scored) sort_terms(in);
  sqlite3_str_appendall(s, "{\"score\":");
  if (scored)
    json_number(s, in->score);
  else
    sqlite3_str_appendall(s, "null");
  sqlite3_str_appendall(s, ",\"factors\":[");
  for (i = 0; i < in->n; i++) {
    if (i) sqlite3_str_appendchar(s, 1, ',');
    json_term(s, &in->term[i], argv, scored);
    given |= 1u << in->term[i].factor;
  }
  sqlite3_str_appendall(s, "],\"missing\":[");
  for (i = 0; i < pf_risk_factor_count; i++) {
    if (given & (1u << i)) continue;
    sqlite3_str_appendf(s, "%s\"%s\"", first ? "" : ",", pf_risk_factors[i].name);
    first = 0;
  }
  sqlite3_str_appendall(s, "]}");
  return sqlite3_str_finish(s);
}

static void risk_explain(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  risk_input in;
  char *json;
  if (pf_risk_is_learnt(ctx, argc, argv)) {
    pf_risk_learnt_explain(ctx, argc, argv);
    return;
  }
  if (!read_arguments(ctx, "risk_explain", &explain_weights, argc, argv, &in)) return;
  json = explain_json(&in, argv, compute(&in));
  if (json == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, json, -1, sqlite3_free);
  if (in.weights_fresh) pf_json_numbers_cache(ctx, in.weights_arg, &in.weights);
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
