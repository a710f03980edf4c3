/*
** risk_model.h: a learnt risk scorecard (risk_fit's model JSON) as a compact scoring
** structure, built once and then used for any number of accounts.
**
** Included by: core_risk_model.c (the structure, lookups, the score),
** core_risk_model_json.c (reading the model JSON), ext/sqlite/risk_learnt.c,
** ext/sqlite/risk_scorecard.c and the tests.
** Rules:
**   1. Host-neutral: no host header, memory only through pf_host.h, errors are return codes
**      plus a message (without the function's name) in the caller's buffer.
**   2. A numeric factor's bins are kept in value order with their upper edges in one sorted
**      array: a value v falls in the first bin whose upper edge is >= v (lower < v <= upper),
**      found by binary search; values beyond the fitted range fall in the first or last bin.
**   3. A categorical factor's value bins are kept sorted by their bytes (exact, case-
**      sensitive match); an unseen category takes the `other` bin, or no bin (0 points).
**   4. A factor not given, NULL or '' takes its `missing` bin, or no bin (0 points).
**   5. The log-odds are the intercept plus the points of each factor's bin, added in model
**      order, so the score does not depend on the order the arguments come in.
**   6. A model is reference-counted: a statement's auxdata and a connection's cache may
**      share one.
*/
#ifndef PORTFOLIO_RISK_MODEL_H
#define PORTFOLIO_RISK_MODEL_H

#include "portfolio_core.h"

enum { PF_MODEL_NUMERIC = 1, PF_MODEL_CATEGORICAL = 2 };
/* What a bin holds. */
enum { PF_BIN_RANGE = 1, PF_BIN_VALUE = 2, PF_BIN_OTHER = 3, PF_BIN_MISSING = 4 };
/* Return codes besides PF_OK and PF_NOMEM: the model is malformed (message set). */
enum { PF_MODEL_BAD = 20 };

/* The most factors a model may have (risk_fit makes at most 62: SQLite's 127 arguments). */
#define PF_MODEL_MAX_FACTORS 100
/* The message buffer every builder takes. */
#define PF_MODEL_ERR_SIZE 200

typedef struct pf_model_bin {
  int kind;
  char *label;          /* the "bin" text (NUL-terminated) */
  int has_lower, has_upper;
  double lower, upper;  /* PF_BIN_RANGE: lower < v <= upper */
  char *value;          /* PF_BIN_VALUE: the category's bytes (NUL-terminated) */
  int value_n;
  int64_t accounts;
  double outcome_rate, points;
} pf_model_bin;

typedef struct pf_model_factor {
  char *name;
  int kind;             /* PF_MODEL_NUMERIC or PF_MODEL_CATEGORICAL */
  int tag;              /* free for the host (the SQLite layer: its built-in factor, or -1) */
  int nbins;
  pf_model_bin *bins;   /* in model order */
  int missing_bin;      /* index in bins, or -1 */
  int other_bin;        /* index in bins, or -1 */
  int nranges;          /* numeric: range bins, in value order */
  double *uppers;       /* [nranges - 1] upper edges (the last range has none) */
  int *range_bin;       /* [nranges] index in bins */
  int nvalues;          /* categorical: value bins */
  int *value_bin;       /* [nvalues] index in bins, sorted by the bins' bytes */
} pf_model_factor;

typedef struct pf_model {
  int refs;
  uint64_t id;          /* set by the host: tells models apart in its caches */
  int64_t accounts, outcomes;
  double outcome_rate, intercept;
  int nfactors;
  pf_model_factor *factors;
} pf_model;

/* Reads model JSON text[0..n) into *out (refs = 1). PF_OK, PF_NOMEM, or PF_MODEL_BAD with
** err (PF_MODEL_ERR_SIZE bytes) saying what is wrong: "is not valid JSON: ...",
** "\"model\" must be \"portfolio-risk-scorecard\"", "has no \"intercept\"", ... */
int pf_model_parse(const char *text, int64_t n, pf_model **out, char *err);

/* The builder pf_model_parse uses (and tests may use): a model of nfactors factors, each
** then given a name, kind and bin count, then its bins; pf_model_finish checks the bins
** and builds the lookups. */
pf_model *pf_model_new(int nfactors);
/* Names factor f. PF_OK, PF_NOMEM, or PF_MODEL_BAD for a name given twice or not a name. */
int pf_model_factor_init(pf_model *m, int f, const char *name, int name_n, int kind,
                         int nbins, char *err);
/* Copies bin b of factor f (its label, value bytes). PF_OK or PF_NOMEM. */
int pf_model_bin_set(pf_model *m, int f, int b, const pf_model_bin *bin);
/* Checks every factor's bins (kinds that fit the factor, edges rising, one missing and one
** other bin at most, no category twice) and builds the sorted lookups. PF_OK, PF_NOMEM or
** PF_MODEL_BAD with err set. */
int pf_model_finish(pf_model *m, char *err);

void pf_model_retain(pf_model *m);
void pf_model_release(pf_model *m); /* frees the model when the last reference goes; NULL ok */

/* Index of the factor called name[0..n) (ASCII case-insensitive), or -1. */
int pf_model_factor_find(const pf_model *m, const char *name, int n);
/* The bin of a numeric value (rule 2), or -1 for a factor with no range bin. */
int pf_model_bin_of_number(const pf_model_factor *f, double v);
/* The bin of a category (rule 3), or -1. */
int pf_model_bin_of_text(const pf_model_factor *f, const char *z, int n);

/* Probability of the outcome for log-odds z: 1 / (1 + exp(-z)). */
double pf_model_probability(double z);

#endif
