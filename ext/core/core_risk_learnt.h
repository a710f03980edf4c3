/*
** core_risk_learnt.h: scoring and explaining one account with a learnt model (risk_fit's
** JSON, read by risk_model.h), the same in every host.
**
** Included by: core_risk_learnt.c, which implements it, the hosts' learnt-model code
** (ext/sqlite/risk_learnt.c, postgres/pg_risk_learnt.c) and the tests.
** Rules:
**   1. The host names factors (pf_model_factor_find), reads each value and hands it over:
**      missing (NULL or ''), a number (numeric factors; a built-in factor's range is checked
**      by the host with pf_risk_value_in_range on the factor's tag), or a category's bytes.
**   2. Bins: out of range goes to the first or last bin, an unseen category to `other`, a
**      missing value to `missing`; no such bin gives 0 points. The log-odds are the
**      intercept plus the points, added in model order.
**   3. risk_score = 100 / (1 + exp(-log-odds)).
**   4. The explanation is {"score", "probability", "intercept", "factors": [{factor,
**      value, bin, points, outcome_rate}], "missing": [...]}: every model factor is in
**      factors (a missing one with value null), by points, largest first (ties in model
**      order); missing lists the factors not given, in model order; a bin-less factor has
**      bin and outcome_rate null. Numbers as core_text.h prints them.
*/
#ifndef PORTFOLIO_CORE_RISK_LEARNT_H
#define PORTFOLIO_CORE_RISK_LEARNT_H

#include "risk_model.h"

typedef struct pf_model_row {
  const pf_model *m;
  unsigned char named[PF_MODEL_MAX_FACTORS]; /* 1 once the factor's name was read */
  unsigned char given[PF_MODEL_MAX_FACTORS]; /* 1 when a value (not NULL or '') was given */
  int bin[PF_MODEL_MAX_FACTORS];             /* the factor's bin, or -1 */
  pf_num num[PF_MODEL_MAX_FACTORS];          /* numeric factors' values */
  const char *text[PF_MODEL_MAX_FACTORS];    /* categorical values' bytes (the host's) */
  int text_n[PF_MODEL_MAX_FACTORS];
  double z;                                  /* log-odds, after pf_model_row_score */
} pf_model_row;

/* Sets each numeric factor's tag to the built-in factor of its name (core_risk.h), or -1,
** so the host applies that factor's range. */
void pf_model_tag_builtins(pf_model *m);

void pf_model_row_init(pf_model_row *r, const pf_model *m);
/* Marks factor k as named: 0 when it was named before (the host's "given twice" error). */
int pf_model_row_name(pf_model_row *r, int k);
void pf_model_row_number(pf_model_row *r, int k, const pf_num *value);
void pf_model_row_text(pf_model_row *r, int k, const char *z, int n); /* kept by pointer */
/* Bins every factor (missing ones too) and sums the log-odds into r->z. */
void pf_model_row_score(pf_model_row *r);
/* The explanation (rule 4) after pf_model_row_score: pf_malloc memory, or NULL when out of
** memory. */
char *pf_model_row_explain_json(const pf_model_row *r);

/* "<fn>: unknown factor '<name>' (the model's factors: a, b)": pf_malloc memory or NULL. */
char *pf_model_unknown_factor_message(const char *fn, const pf_model *m, const char *name,
                                      int n);
#define PF_MODEL_NEEDS_MODEL "%s: 'model' needs the model: %s('model', m, factor, value, ...)"
#define PF_MODEL_NOT_WITH \
  "%s: '%s' cannot be given with 'model' (a learnt model has no weights, and one model per call)"

#endif
