/*
** scorecard.h: learning a risk scorecard from history (the core of risk_fit).
**
** Included by: the scorecard_*.c files of ext/core, ext/sqlite/risk_fit*.c,
** postgres/pg_risk_fit.c and the tests.
** Rules:
**   1. Host-neutral like the rest of ext/core: values arrive as plain C values
**      (pf_fit_value), memory only through pf_host.h, errors are return codes.
**   2. Rows are collected as they come (pf_fit_row): each factor keeps a dictionary of the
**      distinct values it has seen, and a row is stored as one dictionary index per factor.
**      Everything computed later (bins, counts, the fit) reads the dictionaries in sorted
**      order and the rows grouped by sorted bin pattern, so the model is the same, bit for
**      bit, whatever the order the rows arrived in.
**   3. pf_fit_run bins every factor, fits an L2-penalised logistic regression on the bins
**      with Newton's method, centres the points per factor and writes the model JSON
**      (the "Learning the risk model from history" section of spec/sql-api.md).
*/
#ifndef PORTFOLIO_SCORECARD_H
#define PORTFOLIO_SCORECARD_H

#include "portfolio_core.h"

#include <string.h>

/* 1 when a[0..n) and b[0..n) are the same bytes: inline, for the short names and category
** texts compared on every row. From 4 bytes on, words (the last one overlapping the one
** before), read within [0, n) only; memcpy of a constant size compiles to one load. */
static inline int pf_fit_same_bytes(const char *a, const char *b, int n) {
  uint64_t x, y, u, v;
  uint32_t p, q, r, t;
  int i;
  if (n >= 8) {
    for (i = 0; i + 8 < n; i += 8) {
      memcpy(&x, a + i, 8);
      memcpy(&y, b + i, 8);
      if (x != y) return 0;
    }
    memcpy(&u, a + n - 8, 8);
    memcpy(&v, b + n - 8, 8);
    return u == v;
  }
  if (n >= 4) {
    memcpy(&p, a, 4);
    memcpy(&q, b, 4);
    memcpy(&r, a + n - 4, 4);
    memcpy(&t, b + n - 4, 4);
    return p == q && r == t;
  }
  for (i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* What a factor's value is in one row. */
enum { PF_FIT_MISSING = 0, PF_FIT_NUMBER = 1, PF_FIT_TEXT = 2 };

/* One value. PF_FIT_NUMBER: num is set, and text/n hold the TEXT it was written as (numeric
** TEXT such as '12.50'), or text is NULL for an INTEGER or REAL. PF_FIT_TEXT: text[0..n),
** a category, or TEXT the host has not tested as a number: the collector keys TEXT by its
** bytes and tests it (pf_fit_text_value) when it first sees those bytes, so a host may pass
** TEXT unparsed and pay the number test once per distinct text, not once per row.
** The bytes belong to the caller; the collector copies what it keeps. */
typedef struct pf_fit_value {
  int kind;
  pf_num num;
  const char *text;
  int n;
} pf_fit_value;

typedef struct pf_fit_options {
  int bins;         /* 2-20: the most equal-count bins of a numeric factor */
  double min_share; /* 0-0.5: the least share of the rows a bin (or a category) holds */
  double l2;        /* >= 0: the penalty on the squared bin coefficients */
} pf_fit_options;

#define PF_FIT_DEFAULT_BINS 5
#define PF_FIT_DEFAULT_MIN_SHARE 0.05
#define PF_FIT_DEFAULT_L2 1.0
/* The most bins a model may have over all its factors: the Newton step solves a dense
** system of that size, so many more (a categorical factor of ids with min_share 0) would
** take minutes and gigabytes; a scorecard that large is no scorecard anyway. */
#define PF_FIT_MAX_TOTAL_BINS 1000
/* Newton steps before the fit is declared not to converge (it takes 5-10 normally). */
#define PF_FIT_MAX_ITERATIONS 100
/* The most factors a model has: SQLite 3.40 passes at most 127 arguments to a function,
** which is the outcome, 62 (factor, value) pairs and the options. */
#define PF_FIT_MAX_FACTORS 62

/* Return codes of pf_fit_run besides PF_OK and PF_NOMEM. */
enum {
  PF_FIT_TOO_MANY_BINS = 10, /* more than PF_FIT_MAX_TOTAL_BINS bins */
  PF_FIT_NO_CONVERGENCE,     /* l2 = 0 and bins that separate the outcomes */
  PF_FIT_SINGULAR,           /* l2 = 0 and factors that duplicate each other */
  PF_FIT_MONOTONE_CATEGORICAL /* a factor named in monotone is categorical */
};

typedef struct pf_fit pf_fit;

/* A collector for rows of `factors` factors; NULL when out of memory. */
pf_fit *pf_fit_new(int factors);
void pf_fit_free(pf_fit *fit);
/* Names factor f (the name as the user wrote it, copied). PF_OK or PF_NOMEM. */
int pf_fit_name(pf_fit *fit, int f, const char *name, int n);
/* Factor f's name as given to pf_fit_name, NUL-terminated; *n its length. */
const char *pf_fit_factor_name(const pf_fit *fit, int f, int *n);
/* The number of factors given to pf_fit_new. */
int pf_fit_factors(const pf_fit *fit);
/* Marks factor f as monotone (points rise or fall with its value). */
void pf_fit_monotone(pf_fit *fit, int f);
/* Adds one row: outcome 0 or 1 and values[0..factors). PF_OK or PF_NOMEM (the row is then
** not counted). */
int pf_fit_row(pf_fit *fit, int outcome, const pf_fit_value *values);
/* Rows added so far with that outcome. */
int64_t pf_fit_count(const pf_fit *fit, int outcome);
/* 1 when factor f has a non-numeric TEXT value (so it is categorical). */
int pf_fit_categorical(const pf_fit *fit, int f);

/* Bins, fits and writes the model into *json (from pf_malloc, NUL-terminated; the caller
** frees it with pf_free). Needs rows of both outcomes. Returns PF_OK, PF_NOMEM or a
** PF_FIT_* code; for PF_FIT_MONOTONE_CATEGORICAL *factor is the factor, for
** PF_FIT_TOO_MANY_BINS *factor is the number of bins. */
int pf_fit_run(pf_fit *fit, const pf_fit_options *options, char **json, int *factor);

/* ---- parallel parts (a host that splits the rows between processes) -------------------
** The model depends only on the set of rows, so parts may be merged in any order.
** pf_fit_merge adds src's rows to dst (the same factors, in the same order): a lookup per
** distinct value of src, then a copy of its rows. pf_fit_encode writes a collector's names,
** monotone marks, dictionaries and rows as bytes (pf_malloc'd; the same binary reads them);
** pf_fit_decode makes an equal collector, PF_RANGE when the bytes are malformed.
** PF_OK or PF_NOMEM otherwise. (scorecard_collect.c, scorecard_encode.c) */
int pf_fit_merge(pf_fit *dst, const pf_fit *src);
int pf_fit_encode(const pf_fit *fit, char **out, uint64_t *n);
int pf_fit_decode(const char *p, uint64_t n, pf_fit **out);

/* ---- risk_fit's arguments, the same in every host (scorecard_args.c) -------------------
** The hosts read their own values; the rules and the messages are these, so SQLite and
** PostgreSQL refuse the same calls with the same words. Messages from these functions are
** pf_malloc'd and start with "risk_fit: "; PF_FIT_ERROR means *message is set. */
enum { PF_FIT_ERROR = 20, PF_FIT_BAD_NAME };

#define PF_FIT_FN "risk_fit"
#define PF_FIT_NAME_RULE "letters, digits and _, starting with a letter, at most 64 characters"
#define PF_FIT_ARGUMENTS "%s: takes the outcome and then (factor, value) pairs, got %d argument%s"
#define PF_FIT_TOO_MANY "%s: at most %d factors, got %d"
#define PF_FIT_ROW_ARGUMENTS "%s: a row has %d arguments but the first row had %d"
#define PF_FIT_ROW_NAME "%s: factor %d is %s in this row but '%s' in the first row"
#define PF_FIT_SAME_OPTIONS "%s: options must be the same on every row"
#define PF_FIT_NEEDS_ROWS \
  "%s: needs at least 2 rows of each outcome, got %lld with outcome 1 and %lld with outcome 0"

/* 1 when z[0..n) is the word 'options' (ASCII case ignored): the options pair's name. */
int pf_fit_is_options(const char *z, int n);
/* The first row's name of factor f, z[0..n) (z NULL when the argument is not TEXT): a
** valid name, not 'options', 'weights' or 'model', not given before (ASCII case ignored).
** PF_OK (the factor is named), PF_NOMEM, PF_FIT_BAD_NAME (the host says "<fn>: a factor name
** must be PF_FIT_NAME_RULE, got <the value>") or PF_FIT_ERROR. */
int pf_fit_first_name(pf_fit *fit, int f, const char *z, int n, char **message);
/* A later row's name of factor f: 1 when z[0..n) names it (z NULL: not TEXT). */
int pf_fit_same_name(const pf_fit *fit, int f, const char *z, int n);
/* TEXT z[0..n) (not empty) as a value: a number when it reads as one in full (spaces
** around it allowed; core_text.h rule 4), kept with its text; else a category.
** PF_OK or PF_NOMEM. */
int pf_fit_text_value(const char *z, int n, pf_fit_value *out);
/* Built-in factor k (pf_risk_factor_find) keeps risk_score's rules: 1 when v (not missing)
** is allowed, else 0 with *must the rule ("a number", or the factor's range). */
int pf_fit_builtin_ok(int k, const pf_fit_value *v, const char **must);
void pf_fit_default_options(pf_fit_options *o);
/* The options JSON text[0..n) (spec rule: bins, min_share, l2, monotone) into *o (first
** set to the defaults), marking the monotone factors of fit. PF_OK, PF_NOMEM or
** PF_FIT_ERROR. */
int pf_fit_parse_options(pf_fit *fit, const char *text, size_t n, pf_fit_options *o,
                         char **message);
/* The message for a pf_fit_run code other than PF_OK/PF_NOMEM (detail as it returned it);
** NULL when out of memory. */
char *pf_fit_run_message(const pf_fit *fit, int rc, int detail);

#endif
