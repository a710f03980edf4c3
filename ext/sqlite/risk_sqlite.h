/*
** risk_sqlite.h: the SQLite layer of the risk functions. The model itself (factors,
** curves, weights, industries, the score and its explanation) is the core's: core_risk.h.
**
** Included by:
**   risk.c           risk_score() and risk_explain()
**   risk_learnt.c    the learnt models' scoring and explanation
**   risk_scorecard.c the risk_scorecard(m) table
**   risk_tables.c    the risk_model and risk_industries tables
**   risk_fit.c       risk_fit(), which tells built-in factors by their ranges
** and by these only: phase and JSON code have json_numbers.h and names.h.
*/
#ifndef PORTFOLIO_RISK_SQLITE_H
#define PORTFOLIO_RISK_SQLITE_H

#include "core_risk.h"
#include "portfolio_sqlite.h"

/* The value rules of risk.c, shared with the learnt models (risk_learnt.c): a value as a
** number (1, 0 for NULL or '', -1 when not a number). pf_amount_parse, with the usual
** INTEGER and REAL values read inline (pf_amount_fast). Inline here, so that neither file
** calls the other for it (risk.c calls risk_learnt.c, never the other way round). */
static inline int pf_risk_value_number(sqlite3_value *v, pf_num *out) {
  return pf_amount_fast(v, out) ? 1 : pf_amount_parse(v, out);
}

/* ---- learnt models (risk_learnt.c, risk_scorecard.c) ------------------------------------ */

/* The last model parsed from a non-constant argument, per function and connection. */
typedef struct pf_model_cache pf_model_cache;
pf_model_cache *pf_model_cache_new(void);
void pf_model_cache_free(void *cache);
/* 1 when argv[0] is 'model' (remembered per statement). */
int pf_risk_is_learnt(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void pf_risk_learnt_score(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void pf_risk_learnt_explain(sqlite3_context *ctx, int argc, sqlite3_value **argv);
/* Registers the risk_scorecard(m) table-valued function. */
int pf_risk_scorecard_register(sqlite3 *db, char **pzErrMsg);

/* Registers the risk_model and risk_industries tables (risk_tables.c). */
int pf_risk_tables_register(sqlite3 *db, char **pzErrMsg);

#endif
