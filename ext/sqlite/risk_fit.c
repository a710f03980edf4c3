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
**   4. TEXT is tested as a number by the core (pf_fit_text_value: here for a built-in
**      factor, whose range is checked per row; for the team's own factors by the collector,
**      once per distinct text), not with
**      sqlite3_value_numeric_type, which rewrites the value: a categorical factor must read
**      '12.50' as written. The names' rules and every message are the core's
**      (scorecard_args.c), shared with the PostgreSQL host.
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

/* ---- the factor names (rules and messages: ext/core/scorecard_args.c) --------------- */

/* Checks the name at argv[i] of the first row and records it as factor f. */
static int first_name(sqlite3_context *ctx, fit_state *st, sqlite3_value **argv, int i, int f) {
  const char *z = sqlite3_value_type(argv[i]) == SQLITE_TEXT
                      ? (const char *)sqlite3_value_text(argv[i]) : 0;
  char *message = 0;
  int rc = pf_fit_first_name(st->fit, f, z, sqlite3_value_bytes(argv[i]), &message);
  if (rc == PF_FIT_BAD_NAME) {
    pf_error_bad_value(ctx, fn, "a factor name", PF_FIT_NAME_RULE, argv[i]);
    return 0;
  }
  if (rc != PF_OK) {
    if (message) sqlite3_result_error(ctx, message, -1);
    else sqlite3_result_error_nomem(ctx);
    pf_free(message);
    return 0;
  }
  st->builtin[f] = pf_risk_factor_find(z, sqlite3_value_bytes(argv[i]));
  st->name[f] = pf_fit_factor_name(st->fit, f, &st->name_n[f]);
  return 1;
}

static int is_options_name(sqlite3_value *v) {
  return sqlite3_value_type(v) == SQLITE_TEXT &&
         pf_fit_is_options((const char *)sqlite3_value_text(v), sqlite3_value_bytes(v));
}

/* Rule 1 for the first row: the argument count, the names and the options. */
static int first_row(sqlite3_context *ctx, fit_state *st, int argc, sqlite3_value **argv) {
  int f;
  if (argc < 3 || argc % 2 == 0) {
    pf_result_errorf(ctx, PF_FIT_ARGUMENTS, fn, argc, argc == 1 ? "" : "s");
    return 0;
  }
  st->argc = argc;
  st->has_options = argc >= 5 && is_options_name(argv[argc - 2]);
  st->nf = (argc - 1) / 2 - st->has_options;
  if (st->nf > PF_FIT_MAX_FACTORS) {
    pf_result_errorf(ctx, PF_FIT_TOO_MANY, fn, PF_FIT_MAX_FACTORS, st->nf);
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

/* Rule 1 for a later row. */
static int same_row_shape(sqlite3_context *ctx, fit_state *st, int argc, sqlite3_value **argv) {
  int f;
  if (argc != st->argc) {
    pf_result_errorf(ctx, PF_FIT_ROW_ARGUMENTS, fn, argc, st->argc);
    return 0;
  }
  for (f = 0; f < st->nf; f++) {
    sqlite3_value *v = argv[1 + 2 * f];
    const char *z = sqlite3_value_type(v) == SQLITE_TEXT ? (const char *)sqlite3_value_text(v) : 0;
    int n = sqlite3_value_bytes(v), gn;
    /* the same bytes as the first row (the usual case) here, without a call per name */
    if (z && n == st->name_n[f] && pf_fit_same_bytes(z, st->name[f], n)) continue;
    if (!pf_fit_same_name(st->fit, f, z, n)) {
      char *got = pf_describe_value(v);
      if (got == 0) {
        sqlite3_result_error_nomem(ctx);
        return 0;
      }
      pf_result_errorf(ctx, PF_FIT_ROW_NAME, fn, f + 1, got, pf_fit_factor_name(st->fit, f, &gn));
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

/* Rule 3 for a built-in factor k: its range and whole-number rules. */
static int check_builtin(sqlite3_context *ctx, int k, sqlite3_value *v, pf_fit_value *out) {
  const char *must;
  if (pf_fit_builtin_ok(k, out, &must)) return 1;
  pf_error_bad_value(ctx, fn, pf_risk_factors[k].name, must, v);
  return 0;
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
    const char *z = (const char *)sqlite3_value_text(v);
    int n = sqlite3_value_bytes(v);
    if (n == 0) {
      out->kind = PF_FIT_MISSING;
      return 1;
    }
    if (z == 0) {
      sqlite3_result_error_nomem(ctx);
      return 0;
    }
    /* the team's own factor: the core tests the TEXT as a number once per distinct text */
    out->kind = PF_FIT_TEXT;
    out->text = z;
    out->n = n;
    if (st->builtin[f] >= 0 && pf_fit_text_value(z, n, out) != PF_OK) {
      sqlite3_result_error_nomem(ctx);
      return 0;
    }
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
  char *message = rc == PF_NOMEM ? 0 : pf_fit_run_message(st->fit, rc, detail);
  if (message)
    sqlite3_result_error(ctx, message, -1);
  else
    sqlite3_result_error_nomem(ctx);
  pf_free(message);
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
    pf_result_errorf(ctx, PF_FIT_NEEDS_ROWS, fn, (long long)ones, (long long)zeros);
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
