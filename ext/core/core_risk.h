/*
** core_risk.h: the built-in risk model (factors, curves, default weights, industry
** ratings), the score and its explanation, shared by every host.
**
** Included by: core_risk_factors.c (the tables), core_risk.c (score and explanation), the
** hosts' risk functions (ext/sqlite/risk*.c, postgres/pg_risk.c) and the tests.
** Rules:
**   1. Host-neutral: hosts read their values into pf_num (or an industry name's bytes),
**      look names up here, and report errors in their own way; messages that must read the
**      same in every host are built here.
**   2. score = 100 * sum(w_i * risk_i) / sum(w_i) over the factors given (a missing factor's
**      weight is spread over the others in proportion); no factor, or all weights zero: no
**      score. Terms are kept in risk_model order, so the argument order changes nothing.
**   3. The explanation is {"score", "factors": [{factor, value, risk, weight,
**      contribution}], "missing": [...]}: weight is the share applied (they add up to 1),
**      contribution = 100 * weight * risk (they add up to the score), factors by
**      contribution, largest first (ties in risk_model order), missing in risk_model
**      order, numbers as SQLite prints REALs (core_text.h). Without a score, score,
**      weight and contribution are null.
*/
#ifndef PORTFOLIO_CORE_RISK_H
#define PORTFOLIO_CORE_RISK_H

#include "core_json_numbers.h"
#include "portfolio_core.h"

/* The most factors risk_score handles: one bit each in the JSON weights' mask. */
#define PF_RISK_MAX_FACTORS PF_JSON_MAX_KEYS

/* One factor of risk_score. Adding a factor means adding one row to pf_risk_factors. */
typedef struct pf_risk_factor {
  const char *name;
  double min, max;      /* accepted values, inclusive (+-INFINITY for an open end) */
  int whole;            /* 1: only whole numbers are accepted */
  int industry_names;   /* 1: text is an industry name rated by pf_industry_rating */
  double (*curve)(double value); /* the value (already range-checked) -> sub-risk 0-1 */
  double weight;        /* default weight */
  const char *range;    /* for messages: "<name> must be <range>, got ..." */
  const char *curve_text;  /* the curve in words, shown by risk_model */
  const char *description; /* what the value means, shown by risk_model */
} pf_risk_factor;

extern const pf_risk_factor pf_risk_factors[];
extern const int pf_risk_factor_count;

/* Index of the factor called name[0..n) (ASCII case-insensitive), or -1. */
int pf_risk_factor_find(const char *name, int n);
/* 1 when d is in factor k's range (and whole when it must be). */
int pf_risk_value_in_range(int k, double d);

/* One built-in industry rating. */
typedef struct pf_industry {
  const char *name;
  double risk;
  const char *note;
} pf_industry;

extern const pf_industry pf_industries[];
extern const int pf_industry_count;

/* Rating of the industry called name[0..n) (case-insensitive, surrounding spaces ignored);
** PF_INDUSTRY_UNLISTED when it is not in the table. */
#define PF_INDUSTRY_UNLISTED 0.5
double pf_industry_rating(const char *name, int n);

/* ---- one call of risk_score / risk_explain -------------------------------------------- */

typedef struct pf_risk_term {
  int factor;        /* index in pf_risk_factors */
  pf_num num;        /* the value; unset for an industry name */
  const char *name;  /* an industry given by name: its bytes (the host's, valid for the
                     ** call), else NULL */
  int name_n;
  double risk, weight, applied, contribution;
} pf_risk_term;

typedef struct pf_risk_input {
  int n;            /* terms with a value, in risk_model order */
  unsigned named;   /* bit per factor named in the arguments (with a value or NULL) */
  pf_json_numbers weights; /* weights given for this call (seen = 0: the defaults) */
  pf_risk_term term[PF_RISK_MAX_FACTORS];
  double score;
} pf_risk_input;

/* Empties in (no factor named, default weights). */
void pf_risk_input_init(pf_risk_input *in);
/* Marks factor k as named: 0 when it was named before (the host's "given twice" error). */
int pf_risk_name(pf_risk_input *in, int k);
/* Adds factor k's value. 1, or 0 when it is outside the factor's range (the host's error,
** with pf_risk_factors[k].range). */
int pf_risk_add_number(pf_risk_input *in, int k, const pf_num *value);
/* Adds factor k (industry_names set) given as the name z[0..n) (kept by pointer). */
void pf_risk_add_industry_name(pf_risk_input *in, int k, const char *z, int n);
/* Weights, applied shares and contributions. 1 with in->score set, or 0: no score. */
int pf_risk_compute(pf_risk_input *in);
/* The explanation (rule 3) after pf_risk_compute returned `scored`: pf_malloc memory the
** caller frees with pf_free, or NULL when out of memory. Sorts the terms. */
char *pf_risk_explain_json(pf_risk_input *in, int scored);

/* The weights argument's reading rules, with the messages of function fn (risk_score or
** risk_explain). */
extern const pf_json_keys pf_risk_score_weights, pf_risk_explain_weights;

/* Messages every host gives in the same words (printf formats). */
#define PF_RISK_ODD_ARGUMENTS "%s: arguments come in factor, value pairs, got %d argument%s"
#define PF_RISK_WEIGHTS_TWICE "%s: 'weights' given twice"
#define PF_RISK_FACTOR_TWICE "%s: factor '%s' given twice"
#define PF_RISK_MODEL_FIRST \
  "%s: 'model' must be the first argument: %s('model', m, factor, value, ...)"
/* "<fn>: unknown factor '<name>' (known: industry, ..., weights)": pf_malloc memory or
** NULL when out of memory. */
char *pf_risk_unknown_factor_message(const char *fn, const char *name, int n);

#endif
