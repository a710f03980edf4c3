/*
** risk_fit.c: risk_fit(outcome, factor, value, ... [, 'options', json]), the aggregate
** that learns a risk scorecard from history (core: ext/core/scorecard_*.c).
**
** Rules (spec/sql-api.md, "Learning the risk model from history"):
**   1. The first row fixes the factors: each name is TEXT of letters, digits and '_',
**      starting with a letter, at most 64 characters; not 'weights', 'model' or 'options'
**      (those are arguments of risk_score, or the options pair, which must come last); no
**      name twice (ASCII case ignored). Every later row must have as many arguments and
**      name the same factors in the same order, and the same options.
**   2. outcome: 0 or 1 (INTEGER, integral REAL, or TEXT reading as one); NULL or '' skips the
**      row; anything else is an error.
**   3. A value is missing when NULL or ''. A built-in factor (risk_score's) keeps its rules:
**      a number within its range (whole where it must be), or for industry also a name.
**      The team's own factors take INTEGER, finite REAL or TEXT; TEXT that reads as a number
**      in full (spaces around it allowed) is that number, kept with its text, so the factor
**      stays numeric; any other TEXT makes the factor categorical. A BLOB is an error.
**   4. TEXT is tested as a number by scanning it here, not with sqlite3_value_numeric_type,
**      which rewrites the value: a categorical factor must read '12.50' as written.
**   5. No row at all (or only rows with a NULL outcome): NULL. Fewer than 2 rows of either
**      outcome: an error naming both counts.
**   6. A row costs one dictionary lookup per factor and no allocation once the row store
**      has grown; the factor names of every row are compared with the first row's.
*/
#include "risk_sqlite.h"
#include "pf_host.h"
#include "risk_fit.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

static const char fn[] = "risk_fit";

static void fit_state_free(fit_state *st) {
  pf_fit_free(st->fit);
  sqlite3_free(st->options_text);
  st->fit = 0;
  st->options_text = 0;
}

/* ---- the factor names ----------------------------------------------------------------- */

static int is_factor_name(const unsigned char *z, int n) {
  int i;
  if (n < 1 || n > 64) return 0;
  if (!((z[0] | 0x20) >= 'a' && (z[0] | 0x20) <= 'z')) return 0;
  for (i = 1; i < n; i++) {
    unsigned char c = z[i];
    if (!(((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return 0;
  }
  return 1;
}

static int is_word(const unsigned char *z, int n, const char *word) {
  return n == (int)strlen(word) && sqlite3_strnicmp((const char *)z, word, n) == 0;
}

/* Checks the name at argv[i] of the first row and records it as factor f. */
static int first_name(sqlite3_context *ctx, fit_state *st, sqlite3_value **argv, int i, int f) {
  const unsigned char *z = sqlite3_value_text(argv[i]);
  int n = sqlite3_value_bytes(argv[i]), g;
  if (sqlite3_value_type(argv[i]) != SQLITE_TEXT || !is_factor_name(z, n)) {
    pf_error_bad_value(ctx, fn, "a factor name",
                       "letters, digits and _, starting with a letter, at most 64 characters",
                       argv[i]);
    return 0;
  }
  if (is_word(z, n, "options")) {
    pf_result_errorf(ctx, "%s: 'options' must be the last pair of arguments", fn);
    return 0;
  }
  if (is_word(z, n, "weights") || is_word(z, n, "model")) {
    pf_result_errorf(ctx, "%s: '%s' cannot be a factor name (it is an argument of risk_score)",
                     fn, z);
    return 0;
  }
  for (g = 0; g < f; g++) {
    int gn;
    const char *name = pf_fit_factor_name(st->fit, g, &gn);
    if (gn == n && sqlite3_strnicmp(name, (const char *)z, n) == 0) {
      pf_result_errorf(ctx, "%s: factor '%s' is named twice", fn, z);
      return 0;
    }
  }
  if (pf_fit_name(st->fit, f, (const char *)z, n) != PF_OK) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  st->builtin[f] = pf_risk_factor_find((const char *)z, n);
  st->name[f] = pf_fit_factor_name(st->fit, f, &st->name_n[f]);
  return 1;
}

static int is_options_name(sqlite3_value *v) {
  return sqlite3_value_type(v) == SQLITE_TEXT &&
         is_word(sqlite3_value_text(v), sqlite3_value_bytes(v), "options");
}

/* Rule 1 for the first row: the argument count, the names and the options. */
static int first_row(sqlite3_context *ctx, fit_state *st, int argc, sqlite3_value **argv) {
  int f;
  if (argc < 3 || argc % 2 == 0) {
    pf_result_errorf(ctx,
                     "%s: takes the outcome and then (factor, value) pairs, got %d argument%s",
                     fn, argc, argc == 1 ? "" : "s");
    return 0;
  }
  st->argc = argc;
  st->has_options = argc >= 5 && is_options_name(argv[argc - 2]);
  st->nf = (argc - 1) / 2 - st->has_options;
  if (st->nf > PF_FIT_MAX_FACTORS) {
    pf_result_errorf(ctx, "%s: at most %d factors, got %d", fn, PF_FIT_MAX_FACTORS, st->nf);
    return 0;
  }
  st->fit = pf_fit_new(st->nf);
  if (st->fit == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  for (f = 0; f < st->nf; f++)
    if (!first_name(ctx, st, argv, 1 + 2 * f, f)) return 0;
  return pf_fit_read_options(ctx, st, st->has_options ? argv[argc - 1] : 0);
}

/* 1 when z[0..n) is name[0..n), byte for byte: inline, for names of a few bytes. */
static int same_name(const char *z, const char *name, int n) {
  int i;
  for (i = 0; i < n; i++)
    if (z[i] != name[i]) return 0;
  return 1;
}

/* Rule 1 for a later row. */
static int same_row_shape(sqlite3_context *ctx, fit_state *st, int argc, sqlite3_value **argv) {
  int f;
  if (argc != st->argc) {
    pf_result_errorf(ctx, "%s: a row has %d arguments but the first row had %d", fn, argc,
                     st->argc);
    return 0;
  }
  for (f = 0; f < st->nf; f++) {
    sqlite3_value *v = argv[1 + 2 * f];
    int type = sqlite3_value_type(v);
    const char *z = (const char *)sqlite3_value_text(v);
    int n = sqlite3_value_bytes(v), gn = st->name_n[f];
    const char *name = st->name[f];
    /* the same bytes as the first row (the usual case) before the case-blind compare */
    if (type == SQLITE_TEXT && n == gn && z && same_name(z, name, n)) continue;
    if (type != SQLITE_TEXT || n != gn || sqlite3_strnicmp(z, name, n) != 0) {
      char *got = pf_describe_value(v);
      if (got == 0) {
        sqlite3_result_error_nomem(ctx);
        return 0;
      }
      pf_result_errorf(ctx, "%s: factor %d is %s in this row but '%s' in the first row", fn,
                       f + 1, got, name);
      sqlite3_free(got);
      return 0;
    }
  }
  if (st->has_options) return pf_fit_same_options(ctx, st, argv[argc - 1]);
  return 1;
}

/* ---- the values ----------------------------------------------------------------------- */

/* Rule 2: 1 with *y set, 0 to skip the row, -1 after an error. */
static int read_outcome(sqlite3_context *ctx, sqlite3_value *v, int *y) {
  pf_num x;
  int rc = pf_amount_parse(v, &x);
  if (rc == 0) return 0;
  if (rc > 0 && (x.d == 0 || x.d == 1)) {
    *y = x.d == 1;
    return 1;
  }
  pf_error_bad_value(ctx, fn, "outcome", "0 or 1", v);
  return -1;
}

/* Rule 4: 1 when z[0..n) is a decimal number with optional spaces around it. */
static int numeric_text(const unsigned char *z, int n, int *integral) {
  int i = 0, digits = 0;
  *integral = 1;
  while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '\n' || z[i] == '\r')) i++;
  if (i < n && (z[i] == '+' || z[i] == '-')) i++;
  while (i < n && z[i] >= '0' && z[i] <= '9') i++, digits++;
  if (i < n && z[i] == '.') {
    *integral = 0;
    for (i++; i < n && z[i] >= '0' && z[i] <= '9'; i++) digits++;
  }
  if (digits == 0) return 0;
  if (i < n && (z[i] == 'e' || z[i] == 'E')) {
    int exp_digits = 0;
    *integral = 0;
    i++;
    if (i < n && (z[i] == '+' || z[i] == '-')) i++;
    while (i < n && z[i] >= '0' && z[i] <= '9') i++, exp_digits++;
    if (exp_digits == 0) return 0;
  }
  while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '\n' || z[i] == '\r')) i++;
  return i == n;
}

/* Reads TEXT v (z, n bytes, n > 0) into *out: a number (kept with its text) or a category. */
static void read_text(sqlite3_value *v, const unsigned char *z, int n, pf_fit_value *out) {
  int integral;
  out->text = (const char *)z;
  out->n = n;
  out->kind = PF_FIT_TEXT;
  if (!numeric_text(z, out->n, &integral)) return;
  out->num.d = sqlite3_value_double(v); /* reads the TEXT without rewriting it */
  if (!isfinite(out->num.d)) return;    /* '1e999' stays a category */
  out->kind = PF_FIT_NUMBER;
  out->num.is_int = integral && fabs(out->num.d) < 9.2e18;
  out->num.i = out->num.is_int ? sqlite3_value_int64(v) : 0;
  if (out->num.is_int) out->num.d = (double)out->num.i;
}

/* Rule 3 for a built-in factor k: its range and whole-number rules. */
static int check_builtin(sqlite3_context *ctx, int k, sqlite3_value *v, pf_fit_value *out) {
  const pf_risk_factor *f = &pf_risk_factors[k];
  if (out->kind == PF_FIT_TEXT) {
    if (f->industry_names) return 1;
    pf_error_bad_value(ctx, fn, f->name, "a number", v);
    return 0;
  }
  if (out->num.d < f->min || out->num.d > f->max ||
      (f->whole && out->num.d != floor(out->num.d))) {
    pf_error_bad_value(ctx, fn, f->name, f->range, v);
    return 0;
  }
  return 1;
}

/* Rule 3: reads the value of factor f. 1, or 0 after an error. */
static int read_value(sqlite3_context *ctx, fit_state *st, int f, sqlite3_value *v,
                      pf_fit_value *out) {
  /* each sqlite3_value_* is called once: they are calls through the API table, per row */
  int type = sqlite3_value_type(v);
  double d = 0;
  out->text = 0;
  out->n = 0;
  if (type == SQLITE_FLOAT) d = sqlite3_value_double(v);
  if (type == SQLITE_TEXT) {
    const unsigned char *z = sqlite3_value_text(v);
    int n = sqlite3_value_bytes(v);
    if (n == 0) {
      out->kind = PF_FIT_MISSING;
      return 1;
    }
    if (z == 0) {
      sqlite3_result_error_nomem(ctx);
      return 0;
    }
    read_text(v, z, n, out);
  } else if (type == SQLITE_NULL) {
    out->kind = PF_FIT_MISSING;
    return 1;
  } else if (type == SQLITE_INTEGER) {
    out->kind = PF_FIT_NUMBER;
    out->num.is_int = 1;
    out->num.i = sqlite3_value_int64(v);
    out->num.d = (double)out->num.i;
  } else if (type == SQLITE_FLOAT && isfinite(d)) {
    out->kind = PF_FIT_NUMBER;
    out->num.is_int = 0;
    out->num.i = 0;
    out->num.d = d;
  } else {
    int n;
    const char *name = pf_fit_factor_name(st->fit, f, &n);
    pf_error_bad_value(ctx, fn, name,
                       st->builtin[f] >= 0 ? "a number" : "a finite number or TEXT", v);
    return 0;
  }
  return st->builtin[f] < 0 || check_builtin(ctx, st->builtin[f], v, out);
}

/* ---- the aggregate -------------------------------------------------------------------- */

/* One row; 0 after an error (set on ctx). */
static int add_row(sqlite3_context *ctx, fit_state *st, int argc, sqlite3_value **argv) {
  pf_fit_value values[PF_FIT_MAX_FACTORS];
  int f, y, rc;
  if (st->fit == 0 ? !first_row(ctx, st, argc, argv) : !same_row_shape(ctx, st, argc, argv))
    return 0;
  rc = read_outcome(ctx, argv[0], &y);
  if (rc <= 0) return rc == 0;
  for (f = 0; f < st->nf; f++)
    if (!read_value(ctx, st, f, argv[2 + 2 * f], &values[f])) return 0;
  if (pf_fit_row(st->fit, y, values) != PF_OK) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  return 1;
}

static void risk_fit_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  fit_state *st = sqlite3_aggregate_context(ctx, sizeof(*st));
  if (st == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (!st->failed && !add_row(ctx, st, argc, argv)) st->failed = 1;
}

static void report(sqlite3_context *ctx, fit_state *st, int rc, int detail) {
  int n;
  switch (rc) {
    case PF_FIT_TOO_MANY_BINS:
      pf_result_errorf(ctx,
                       "%s: the model would have %d bins, more than %d; raise min_share or "
                       "group rare categories",
                       fn, detail, PF_FIT_MAX_TOTAL_BINS);
      break;
    case PF_FIT_NO_CONVERGENCE:
      pf_result_errorf(ctx,
                       "%s: the fit does not converge with l2 = 0 (some bins separate the "
                       "outcomes completely); use an l2 above 0",
                       fn);
      break;
    case PF_FIT_SINGULAR:
      pf_result_errorf(ctx,
                       "%s: with l2 = 0 some factors' bins duplicate each other, so the "
                       "fit has no single answer; use an l2 above 0",
                       fn);
      break;
    case PF_FIT_MONOTONE_CATEGORICAL:
      pf_result_errorf(ctx, "%s: monotone factor '%s' is categorical (it has TEXT values), "
                       "so its bins have no order", fn, pf_fit_factor_name(st->fit, detail, &n));
      break;
    default:
      sqlite3_result_error_nomem(ctx);
  }
}

static void risk_fit_final(sqlite3_context *ctx) {
  fit_state *st = sqlite3_aggregate_context(ctx, 0);
  char *json = 0;
  int64_t ones, zeros;
  int rc, detail = 0;
  if (st == 0) return; /* no rows: NULL */
  if (st->fit == 0 || st->failed) {
    fit_state_free(st);
    return;
  }
  ones = pf_fit_count(st->fit, 1);
  zeros = pf_fit_count(st->fit, 0);
  if (ones + zeros == 0) {
    /* only NULL outcomes: NULL */
  } else if (ones < 2 || zeros < 2) {
    pf_result_errorf(ctx,
                     "%s: needs at least 2 rows of each outcome, got %lld with outcome 1 and "
                     "%lld with outcome 0",
                     fn, (long long)ones, (long long)zeros);
  } else if ((rc = pf_fit_run(st->fit, &st->options, &json, &detail)) != PF_OK) {
    report(ctx, st, rc, detail);
  } else {
    sqlite3_result_text64(ctx, json, strlen(json), pf_free, SQLITE_UTF8);
  }
  fit_state_free(st);
}

static const pf_function fit_functions[] = {
    {.name = "risk_fit", .nArg = -1, .flags = PF_PURE, .xStep = risk_fit_step,
     .xFinal = risk_fit_final},
};

int pf_init_risk_fit(sqlite3 *db, char **pzErrMsg) {
  return pf_register(db, fit_functions, PF_COUNT(fit_functions), pzErrMsg);
}
